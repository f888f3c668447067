// Approval workflows through the API (issue 5, C3) on the demo world: a partner's item approved
// by the host, a reject that ends the round and the owner's resubmission, a parallel all-of step,
// a turnaround breach recorded by a job runner on the controlled clock (once, however often it
// runs), the inbox with time left, and visibility: a partner sees its own requests and those
// naming it, never another partner's.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "support/test_server.h"
#include "tutti/http/api.h"
#include "tutti/service/approvals.h"
#include "tutti/service/job_runner.h"

namespace tutti::testing {
namespace {

using std::chrono::hours;

constexpr int64_t kHourMs = 3'600'000;

class ApprovalsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  // Sessions idle out after 30 minutes, so once the clock has jumped each caller logs in afresh.
  const std::string& token(const std::string& email) {
    if (!clock_moved_) return server_.Token(email);
    auto it = fresh_tokens_.find(email);
    if (it == fresh_tokens_.end()) {
      it = fresh_tokens_.emplace(email, http().Login(email, demo::PasswordFor(email))).first;
    }
    return it->second;
  }
  void Advance(std::chrono::milliseconds by) {
    server_.clock().Advance(by);
    clock_moved_ = true;
    fresh_tokens_.clear();
  }
  std::string User(const char* email) { return demo().User(email); }
  std::string Path(const std::string& suffix = "") {
    return "/api/v1/activations/" + demo().activation + "/approvals" + suffix;
  }

  static Json Request(const Json& workflow = "default") {
    return Json{{"subject", {{"kind", "post"}, {"id", "sc-trailer-us"}}},
                {"title", "Trailer post, US"},
                {"workflow", workflow}};
  }

  // Creates a request as `who`; the test stops when that fails.
  Json Create(const char* who, const Json& body = Request()) {
    Reply created = http().Post(Path(), token(who), body);
    EXPECT_EQ(created.status, 201) << created;
    return created.json;
  }

  Reply Decide(const char* who, const Json& approval, const std::string& step,
               const std::string& decision, const std::string& comment = "") {
    Json body{{"step", step}, {"decision", decision}};
    if (!comment.empty()) body["comment"] = comment;
    return http().Post(Path("/" + approval["id"].get<std::string>() + "/decisions"), token(who),
                       body);
  }

  Reply Get(const char* who, const Json& approval) {
    return http().Get(Path("/" + approval["id"].get<std::string>()), token(who));
  }

  int CountAudit(const std::string& action) {
    storage::AuditQuery query;
    query.activation_id = demo().activation;
    query.limit = 100000;
    int count = 0;
    auto entries = server_.store().ListAudit(query);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    if (!entries.ok()) return -1;
    for (const auto& e : *entries) count += e.action == action ? 1 : 0;
    return count;
  }

  TestServer server_;
  bool clock_moved_ = false;
  std::map<std::string, std::string> fresh_tokens_;
};

TEST_F(ApprovalsApi, APartnersPostIsApprovedByTheHostsFacilitator) {
  const Json created = Create(demo::kSam);
  EXPECT_EQ(created["state"], "pending");
  EXPECT_EQ(created["org_id"], demo().streamco);
  EXPECT_EQ(created["subject"], (Json{{"kind", "post"}, {"id", "sc-trailer-us"}}));
  // StreamCo's agreement: 48 h, escalating to Felix at 48 h and Olivia at 96 h.
  EXPECT_EQ(created["workflow"]["steps"][0]["turnaround_hours"], 48);
  EXPECT_EQ(created["workflow"]["steps"][0]["escalation"].size(), 2u);
  EXPECT_EQ(created["evaluation"]["steps"][0]["due_at"], "2026-05-06T09:00:00.000Z");
  EXPECT_EQ(created["evaluation"]["steps"][0]["time_left_ms"], 48 * kHourMs);
  EXPECT_EQ(created["awaiting_you"], Json::array()) << "Sam does not review his own post";

  Reply seen = Get(demo::kFelix, created);
  ASSERT_EQ(seen.status, 200) << seen;
  EXPECT_EQ(seen.json["awaiting_you"], Json::array({"host review"}));

  Advance(hours(5));
  (void)token(demo::kFelix);  // logging in is audited too
  const int64_t audit_before = server_.AuditCount();
  Reply approved = Decide(demo::kFelix, created, "host review", "approve", "Looks good");
  ASSERT_EQ(approved.status, 201) << approved;
  EXPECT_EQ(approved.json["state"], "approved");
  EXPECT_EQ(approved.json["version"], 2);
  ASSERT_EQ(approved.json["decisions"].size(), 1u);
  EXPECT_EQ(approved.json["decisions"][0]["user_id"], User(demo::kFelix));
  EXPECT_EQ(approved.json["decisions"][0]["comment"], "Looks good");
  EXPECT_EQ(approved.json["decisions"][0]["at"], "2026-05-04T14:00:00.000Z");
  EXPECT_EQ(approved.json["evaluation"]["steps"][0]["time_left_ms"], 43 * kHourMs);
  EXPECT_EQ(server_.AuditCount(), audit_before + 1);
  EXPECT_EQ(CountAudit("decided"), 1);
}

TEST_F(ApprovalsApi, ARejectEndsTheRoundAndTheOwnerResubmits) {
  const Json created = Create(demo::kSam);
  Reply bare = Decide(demo::kOlivia, created, "host review", "reject");
  EXPECT_EQ(bare.status, 422) << bare;
  EXPECT_EQ(bare.ErrorCode(), "comment_required");
  Reply rejected = Decide(demo::kOlivia, created, "host review", "reject", "Wrong market");
  ASSERT_EQ(rejected.status, 201) << rejected;
  EXPECT_EQ(rejected.json["state"], "rejected");
  Reply late = Decide(demo::kFelix, created, "host review", "approve");
  EXPECT_EQ(late.status, 409) << late;
  EXPECT_EQ(late.ErrorCode(), "round_closed");

  const std::string resubmit = Path("/" + created["id"].get<std::string>() + "/resubmit");
  const int64_t audit_before = server_.AuditCount();
  EXPECT_EQ(http().Post(resubmit, token(demo::kFelix), Json::object()).status, 403)
      << "the host does not resubmit StreamCo's item";
  EXPECT_EQ(http().Post(resubmit, token(demo::kNina), Json::object()).status, 404);
  EXPECT_EQ(server_.AuditCount(), audit_before);

  Advance(hours(2));
  Reply again =
      http().Post(resubmit, token(demo::kSofia), Json{{"comment", "Market fixed"}, {"version", 2}});
  ASSERT_EQ(again.status, 200) << again;
  EXPECT_EQ(again.json["round"], 2);
  EXPECT_EQ(again.json["state"], "pending");
  EXPECT_EQ(again.json["round_started_at"], "2026-05-04T11:00:00.000Z");
  EXPECT_EQ(again.json["rounds"][1]["comment"], "Market fixed");
  EXPECT_EQ(again.json["evaluation"]["steps"][0]["state"], "pending");
  EXPECT_EQ(again.json["evaluation"]["steps"][0]["due_at"], "2026-05-06T11:00:00.000Z");
  EXPECT_EQ(http().Post(resubmit, token(demo::kSam), Json::object()).ErrorCode(), "round_open");

  Reply approved = Decide(demo::kFelix, created, "host review", "approve");
  ASSERT_EQ(approved.status, 201) << approved;
  EXPECT_EQ(approved.json["state"], "approved");
  EXPECT_EQ(approved.json["decisions"].size(), 2u) << "round 1's reject is kept";
}

TEST_F(ApprovalsApi, AParallelAllOfStepNeedsEveryNamedApprover) {
  Json workflow{
      {"steps",
       Json::array({Json{{"name", "legal"},
                         {"approvers", {{"users", {User(demo::kFelix), User(demo::kOlivia)}}}},
                         {"quorum", "all"},
                         {"turnaround_hours", 24}},
                    Json{{"name", "partner sign-off"},
                         {"approvers", {{"users", {User(demo::kSam)}}}},
                         {"parallel_with_previous", true},
                         {"turnaround_hours", 24}}})}};
  const Json created = Create(demo::kSam, Request(workflow));
  EXPECT_EQ(created["awaiting_you"], Json::array({"partner sign-off"}));

  Reply felix = Decide(demo::kFelix, created, "legal", "approve");
  ASSERT_EQ(felix.status, 201) << felix;
  EXPECT_EQ(felix.json["state"], "pending");
  EXPECT_EQ(felix.json["evaluation"]["steps"][0]["owed_users"], Json::array({User(demo::kOlivia)}));
  EXPECT_EQ(Decide(demo::kFelix, created, "legal", "approve").ErrorCode(), "already_decided");
  Reply sam = Decide(demo::kSam, created, "partner sign-off", "approve");
  ASSERT_EQ(sam.status, 201) << sam;
  EXPECT_EQ(sam.json["state"], "pending");
  Reply olivia = Decide(demo::kOlivia, created, "legal", "approve");
  ASSERT_EQ(olivia.status, 201) << olivia;
  EXPECT_EQ(olivia.json["state"], "approved");
}

TEST_F(ApprovalsApi, ATurnaroundBreachIsRecordedOnceByTheJobRunner) {
  Json workflow{{"steps", Json::array({Json{{"name", "host review"},
                                            {"approvers", {{"roles", {"host:owner"}}}},
                                            {"turnaround_hours", 24},
                                            {"escalation", Json::array()}}})}};
  const Json created = Create(demo::kSam, Request(workflow));
  service::JobRunner runner(server_.store(), {.owner = "test-runner"});
  service::HandleApprovalJobs(runner, server_.store());
  EXPECT_EQ(*runner.RunDue(), 0) << "nothing is due yet";

  Advance(hours(25));
  EXPECT_EQ(*runner.RunDue(), 1);
  auto breaches = *server_.store().ListApprovalBreaches(demo().activation);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].approval_id, created["id"]);
  EXPECT_EQ(breaches[0].level, 0);
  EXPECT_EQ(breaches[0].due_at, "2026-05-05T09:00:00.000Z");
  EXPECT_EQ(CountAudit("approval_breached"), 1);

  const int64_t audit_after_first = server_.AuditCount();
  EXPECT_EQ(*runner.RunDue(), 0);
  EXPECT_EQ(server_.store().ListApprovalBreaches(demo().activation)->size(), 1u);
  EXPECT_EQ(server_.AuditCount(), audit_after_first) << "a second run records nothing";

  Reply report = http().Get(Path("/breaches"), token(demo::kOlivia));
  ASSERT_EQ(report.status, 200) << report;
  ASSERT_EQ(report.json["items"].size(), 1u);
  EXPECT_EQ(report.json["items"][0]["minutes_late"], 60);
  EXPECT_EQ(report.json["items"][0]["step_state"], "pending");
  EXPECT_EQ(report.json["summary"]["breaches"], 1);
  EXPECT_EQ(http().Get(Path("/breaches"), token(demo::kSam)).json["items"].size(), 1u);
  EXPECT_EQ(http().Get(Path("/breaches"), token(demo::kNina)).json["items"].size(), 0u)
      << "another partner's breaches are not Nova's business";

  Reply inbox = http().Get("/api/v1/approvals/inbox", token(demo::kOlivia));
  ASSERT_EQ(inbox.status, 200) << inbox;
  ASSERT_EQ(inbox.json["items"].size(), 1u);
  EXPECT_EQ(inbox.json["items"][0]["breached"], true);
  EXPECT_EQ(inbox.json["items"][0]["time_left_ms"], -kHourMs);

  Advance(hours(1));
  ASSERT_EQ(Decide(demo::kOlivia, created, "host review", "approve").status, 201);
  report = http().Get(Path("/breaches"), token(demo::kOlivia));
  EXPECT_EQ(report.json["items"][0]["minutes_late"], 120) << "late until the decision";
  EXPECT_EQ(report.json["items"][0]["step_state"], "approved");
}

TEST_F(ApprovalsApi, TheInboxListsWhatAwaitsTheCallerMostUrgentFirst) {
  const Json streamco = Create(demo::kSam);  // 48 h (StreamCo's agreement)
  const Json nova = Create(demo::kNina);     // 72 h (Nova's agreement)
  Json urgent{{"steps", Json::array({Json{{"name", "copy check"},
                                          {"approvers", {{"users", {User(demo::kFelix)}}}},
                                          {"turnaround_hours", 12}}})}};
  const Json host = Create(demo::kOlivia, Request(urgent));
  Advance(hours(1));

  Reply inbox = http().Get("/api/v1/approvals/inbox", token(demo::kFelix));
  ASSERT_EQ(inbox.status, 200) << inbox;
  const Json& items = inbox.json["items"];
  ASSERT_EQ(items.size(), 3u) << inbox;
  EXPECT_EQ(items[0]["approval_id"], host["id"]);
  EXPECT_EQ(items[0]["step"], "copy check");
  EXPECT_EQ(items[0]["time_left_ms"], 11 * kHourMs);
  EXPECT_EQ(items[1]["approval_id"], streamco["id"]);
  EXPECT_EQ(items[1]["time_left_ms"], 47 * kHourMs);
  EXPECT_EQ(items[1]["due_at"], "2026-05-06T09:00:00.000Z");
  EXPECT_EQ(items[2]["approval_id"], nova["id"]);
  EXPECT_EQ(items[2]["time_left_ms"], 71 * kHourMs);
  EXPECT_EQ(items[2]["activation_name"], "Summer Splash 2026");

  EXPECT_EQ(http().Get("/api/v1/approvals/inbox", token(demo::kOlivia)).json["items"].size(), 2u)
      << "the copy check names Felix alone";
  EXPECT_TRUE(http().Get("/api/v1/approvals/inbox", token(demo::kSam)).json["items"].empty());
  EXPECT_TRUE(http().Get("/api/v1/approvals/inbox", token(demo::kVictor)).json["items"].empty())
      << "a viewer holds neither role";
  ASSERT_EQ(Decide(demo::kFelix, host, "copy check", "approve").status, 201);
  EXPECT_EQ(http().Get("/api/v1/approvals/inbox", token(demo::kFelix)).json["items"].size(), 2u);
}

TEST_F(ApprovalsApi, APartnerSeesItsOwnRequestsAndThoseNamingItNeverAnotherPartners) {
  const Json streamco = Create(demo::kSam);
  Json naming_sam{{"steps", Json::array({Json{{"name", "media check"},
                                              {"approvers", {{"users", {User(demo::kSam)}}}},
                                              {"turnaround_hours", 24}}})}};
  const Json host_named = Create(demo::kOlivia, Request(naming_sam));
  const Json host_only = Create(demo::kOlivia);

  auto listed = [&](const char* who) {
    std::set<std::string> ids;
    Reply list = http().Get(Path(), token(who));
    EXPECT_EQ(list.status, 200) << list;
    for (const Json& item : list.json["items"]) ids.insert(item["id"].get<std::string>());
    return ids;
  };
  const std::string a = streamco["id"], h = host_named["id"], o = host_only["id"];
  EXPECT_EQ(listed(demo::kVictor), (std::set<std::string>{a, h, o})) << "the host sees all";
  EXPECT_EQ(listed(demo::kSam), (std::set<std::string>{a, h})) << "own, and naming Sam";
  EXPECT_EQ(listed(demo::kSofia), (std::set<std::string>{a})) << "only Sam is named";
  EXPECT_EQ(listed(demo::kNina), std::set<std::string>{});

  EXPECT_EQ(Get(demo::kNina, streamco).status, 404);
  EXPECT_EQ(Get(demo::kNina, host_named).status, 404);
  EXPECT_EQ(Get(demo::kSam, host_only).status, 404);
  EXPECT_EQ(Get(demo::kSam, host_named).status, 200);
  EXPECT_EQ(Get(demo::kUna, streamco).status, 404);
  const int64_t audit_before = server_.AuditCount();
  EXPECT_EQ(Decide(demo::kNina, streamco, "host review", "approve").status, 404);
  EXPECT_EQ(Decide(demo::kSam, streamco, "host review", "approve").ErrorCode(), "not_an_approver");
  EXPECT_EQ(server_.AuditCount(), audit_before);
  Reply sam = Decide(demo::kSam, host_named, "media check", "approve");
  ASSERT_EQ(sam.status, 201) << sam;
  EXPECT_EQ(sam.json["state"], "approved");
}

TEST_F(ApprovalsApi, KeysMaySubmitButOnlyPeopleDecide) {
  Reply key = http().Post(
      "/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
      Json{{"name", "asset pipeline"}, {"scopes", {"activations:read", "activations:write"}}});
  ASSERT_EQ(key.status, 201) << key;
  const std::string key_token = key.json["token"];
  Reply created = http().Post(Path(), key_token, Request());
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.json["org_id"], demo().streamco);
  Reply decided = http().Post(Path("/" + created.json["id"].get<std::string>() + "/decisions"),
                              key_token, Json{{"step", "host review"}, {"decision", "approve"}});
  EXPECT_EQ(decided.status, 403) << decided;
  EXPECT_EQ(http().Get("/api/v1/approvals/inbox", key_token).status, 403);
}

TEST_F(ApprovalsApi, RefusesBadRequestsNamingTheField) {
  const int64_t audit_before = server_.AuditCount();
  Json body = Request();
  body["subject"]["kind"] = "tweet";
  Reply bad = http().Post(Path(), token(demo::kSam), body);
  EXPECT_EQ(bad.status, 422) << bad;
  EXPECT_EQ(bad.ErrorField(), "subject.kind");

  body =
      Request(Json{{"steps", Json::array({Json{{"name", "x"}, {"approvers", Json::object()}}})}});
  bad = http().Post(Path(), token(demo::kSam), body);
  EXPECT_EQ(bad.status, 422) << bad;
  EXPECT_EQ(bad.ErrorField(), "workflow.steps[0].approvers");

  body = Request(
      Json{{"steps",
            Json::array({Json{{"name", "x"}, {"approvers", {{"users", {User(demo::kUna)}}}}}})}});
  bad = http().Post(Path(), token(demo::kSam), body);
  EXPECT_EQ(bad.ErrorCode(), "unknown_user") << bad;
  EXPECT_EQ(bad.ErrorField(), "workflow.steps[0].approvers.users[0]");

  body = Request();
  body["extra"] = 1;
  EXPECT_EQ(http().Post(Path(), token(demo::kSam), body).ErrorCode(), "unknown_field");
  EXPECT_EQ(http().Post(Path(), token(demo::kSam), Request(Json(7))).ErrorField(), "workflow");
  EXPECT_EQ(server_.AuditCount(), audit_before);

  const Json created = Create(demo::kSam);
  Reply unknown_step = Decide(demo::kFelix, created, "brand", "approve");
  EXPECT_EQ(unknown_step.status, 422) << unknown_step;
  EXPECT_EQ(unknown_step.ErrorCode(), "unknown_step");
  Reply stale =
      http().Post(Path("/" + created["id"].get<std::string>() + "/decisions"), token(demo::kFelix),
                  Json{{"step", "host review"}, {"decision", "approve"}, {"version", 9}});
  EXPECT_EQ(stale.status, 409) << stale;
}

TEST(ApprovalsOpenApi, UsesTheSubjectKindsAndDecisionsOfTheCode) {
  const Json& schemas = http::OpenApiDocument().at("components").at("schemas");
  EXPECT_EQ(schemas.at("ApprovalSubjectKind").at("enum").get<std::set<std::string>>(),
            std::set<std::string>(service::kApprovalSubjectKindNames.begin(),
                                  service::kApprovalSubjectKindNames.end()));
  EXPECT_EQ(schemas.at("ApprovalDecisionKind").at("enum").get<std::set<std::string>>(),
            std::set<std::string>(governance::kDecisionKindNames.begin(),
                                  governance::kDecisionKindNames.end()));
}

}  // namespace
}  // namespace tutti::testing
