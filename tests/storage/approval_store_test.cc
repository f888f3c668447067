// Approval workflows in storage (Store, store_approvals.cc) with the escalation job
// (service/approvals.h), on SQLite and PostgreSQL: defaults from the owner's agreement, the
// escalation jobs each change schedules, decisions checked on fresh state, rounds, breaches and
// escalations recorded once on a controlled clock, and two job runners on two connection pools of
// one database racing over many escalation jobs without recording anything twice.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "support/fresh_database.h"
#include "tutti/base/crypto.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"
#include "tutti/service/approvals.h"
#include "tutti/service/job_runner.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using governance::DecisionKind;
using governance::Party;
using std::chrono::hours;
using std::chrono::milliseconds;
using tutti::testing::Backend;

using tutti::testing::Must;

Status Allow(const ActivationRecord&) { return OkStatus(); }
Status AllowApproval(const ActivationRecord&, const ApprovalRecord&) { return OkStatus(); }

Instant At(const char* text) { return *ParseInstant(text); }

class ApprovalStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);
    Seed();
  }

  UserRecord User(const OrgRecord& org, const std::string& email, const std::string& role) {
    return Must(store_->CreateUser(org.id, email, email.substr(0, email.find('@')), role,
                                   "not-a-real-hash", cli_),
                "CreateUser");
  }

  // Acme hosts; StreamCo takes part under an agreement of 36 h with a two-level escalation path;
  // Nova takes part without an agreement; Orbit takes part in nothing.
  void Seed() {
    host_ = Must(store_->CreateOrg("Acme", "host", cli_), "CreateOrg");
    streamco_ = Must(store_->CreateOrg("StreamCo", "partner", cli_), "CreateOrg");
    nova_ = Must(store_->CreateOrg("Nova", "partner", cli_), "CreateOrg");
    orbit_ = Must(store_->CreateOrg("Orbit", "partner", cli_), "CreateOrg");
    olga_ = User(host_, "olga@acme.example", "owner");
    fred_ = User(host_, "fred@acme.example", "facilitator");
    vic_ = User(host_, "vic@acme.example", "viewer");
    sam_ = User(streamco_, "sam@streamco.example", "partner_admin");
    sia_ = User(streamco_, "sia@streamco.example", "facilitator");
    nina_ = User(nova_, "nina@nova.example", "partner_admin");
    una_ = User(orbit_, "una@orbit.example", "partner_admin");
    const Actor olga{olga_.id, host_.id};
    activation_ = tutti::testing::NewActivation(*store_, host_.id, olga, "Summer", "visibility");
    Json agreement = Must(
        core::ValidateAgreement(Json{
            {"content_ownership", "host"},
            {"approval_turnaround_hours", 36},
            {"escalation_path",
             Json::array({Json{{"after_hours", 36}, {"contact", "Fred"}, {"role", "facilitator"}},
                          Json{{"after_hours", 72}, {"contact", "Olga"}, {"role", "owner"}}})}}),
        "agreement");
    ASSERT_TRUE(
        store_->AddParticipant(activation_.id, streamco_.id, "media", agreement, olga, Allow).ok());
    ASSERT_TRUE(
        store_->AddParticipant(activation_.id, nova_.id, "co_brand", std::nullopt, olga, Allow)
            .ok());
  }

  NewApprovalRequest Request(const OrgRecord& owner, std::optional<Json> workflow = std::nullopt) {
    return NewApprovalRequest{owner.id, "post", "p-1", "Trailer post", std::move(workflow)};
  }

  ApprovalRecord Create(const OrgRecord& owner, std::optional<Json> workflow = std::nullopt) {
    return Must(store_->CreateApproval(activation_.id, Request(owner, std::move(workflow)),
                                       Actor{sam_.id, owner.id}, Allow),
                "CreateApproval");
  }

  // The resolver the API passes: the user as an approver of the request.
  ApprovalActorResolver As(const UserRecord& user) {
    return [user](const ActivationRecord& a, const ApprovalRecord& r) -> Result<governance::Actor> {
      governance::Actor actor{user.id, core::Role::kViewer, std::nullopt};
      if (!core::ParseRole(user.role, &actor.role)) return Internal("bad role");
      if (user.org_id == a.host_org_id) {
        actor.party = Party::kHost;
      } else if (user.org_id == r.org_id) {
        actor.party = Party::kPartner;
      }
      return actor;
    };
  }

  Result<ApprovalRecord> Decide(const ApprovalRecord& a, const UserRecord& user,
                                const std::string& step, DecisionKind kind,
                                const std::string& comment = "",
                                std::optional<int64_t> version = std::nullopt) {
    return store_->DecideApproval(activation_.id, a.id,
                                  ApprovalDecisionRequest{step, kind, comment}, version,
                                  Actor{user.id, user.org_id}, As(user));
  }

  std::vector<JobRecord> JobsOf(const ApprovalRecord& a) {
    std::vector<JobRecord> out;
    for (const JobRecord& job : Must(store_->ListJobs("", 10000), "ListJobs")) {
      if (job.payload.value("approval_id", "") == a.id) out.push_back(job);
    }
    return out;
  }

  // Audit actions about approval requests, counted.
  std::map<std::string, int> AuditActions() {
    std::map<std::string, int> count;
    AuditQuery query;
    query.activation_id = activation_.id;
    query.limit = 100000;
    for (const auto& e : Must(store_->ListAudit(query), "ListAudit")) {
      if (e.entity_type == "approval") ++count[e.action];
    }
    return count;
  }

  service::JobRunner Runner(Store& store, const std::string& owner) {
    return service::JobRunner(store, {.owner = owner});
  }

  ManualClock clock_{At("2026-06-01T12:00:00Z")};
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;
  const Actor cli_{"cli", ""};
  OrgRecord host_, streamco_, nova_, orbit_;
  UserRecord olga_, fred_, vic_, sam_, sia_, nina_, una_;
  ActivationRecord activation_;
};

TEST_P(ApprovalStore, FillsTheDefaultWorkflowFromTheOwnersAgreementAndSchedulesItsLevels) {
  const ApprovalRecord a = Create(streamco_);
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.round, 1);
  EXPECT_EQ(a.version, 1);
  EXPECT_EQ(a.org_id, streamco_.id);
  EXPECT_EQ(a.host_org_id, host_.id);
  ASSERT_EQ(a.workflow["steps"].size(), 1u);
  const Json& step = a.workflow["steps"][0];
  EXPECT_EQ(step["name"], "host review");
  EXPECT_EQ(step["turnaround_hours"], 36) << "StreamCo's agreement";
  ASSERT_EQ(step["escalation"].size(), 2u);
  EXPECT_EQ(step["escalation"][0]["after_hours"], 36);
  EXPECT_EQ(step["escalation"][0]["contact"], "Fred (facilitator)");
  EXPECT_EQ(step["escalation"][1]["after_hours"], 72);

  // Breach and first level at 36 h, second at 72 h, each at the first millisecond past it.
  std::map<std::string, Instant> run_at;
  for (const JobRecord& job : JobsOf(a)) {
    EXPECT_EQ(job.kind, kApprovalEscalationJob);
    run_at[job.dedupe_key] = job.run_at;
  }
  const std::string key = "approval:" + a.id + ":r1:s0:l";
  EXPECT_EQ(run_at, (std::map<std::string, Instant>{{key + "0", At("2026-06-03T00:00:00.001Z")},
                                                    {key + "1", At("2026-06-03T00:00:00.001Z")},
                                                    {key + "2", At("2026-06-04T12:00:00.001Z")}}));
  EXPECT_EQ(AuditActions()["created"], 1);
}

TEST_P(ApprovalStore, HostItemsAndPartnersWithoutAnAgreementGetFortyEightHours) {
  for (const OrgRecord* owner : {&host_, &nova_}) {
    const ApprovalRecord a = Create(*owner);
    EXPECT_EQ(a.workflow["steps"][0]["turnaround_hours"], 48) << owner->name;
    EXPECT_TRUE(a.workflow["steps"][0]["escalation"].empty()) << owner->name;
    ASSERT_EQ(JobsOf(a).size(), 1u) << owner->name << ": the breach alone";
    EXPECT_EQ(JobsOf(a)[0].run_at, At("2026-06-03T12:00:00.001Z"));
  }
}

TEST_P(ApprovalStore, RefusesNamedUsersOutsideTheActivationAndStoresNothing) {
  const auto before = AuditActions();
  Json workflow{{"steps", Json::array({Json{{"name", "legal"},
                                            {"approvers", {{"users", {fred_.id, una_.id}}}}}})}};
  Result<ApprovalRecord> refused =
      store_->CreateApproval(activation_.id, Request(host_, workflow), cli_, Allow);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "workflow.steps[0].approvers.users[1]");
  EXPECT_EQ(refused.status().reason(), "unknown_user");

  workflow["steps"][0]["approvers"]["users"] = Json::array({fred_.id});
  workflow["steps"][0]["turnaround_hours"] = 0;
  refused = store_->CreateApproval(activation_.id, Request(host_, workflow), cli_, Allow);
  EXPECT_EQ(refused.status().field(), "workflow.steps[0].turnaround_hours");

  refused = store_->CreateApproval(activation_.id, Request(orbit_), cli_, Allow);
  EXPECT_EQ(refused.status().reason(), "unknown_partner");

  EXPECT_TRUE(Must(store_->ListApprovals(activation_.id), "ListApprovals").empty());
  EXPECT_TRUE(Must(store_->ListJobs("", 100), "ListJobs").empty());
  EXPECT_EQ(AuditActions(), before);
}

TEST_P(ApprovalStore, ASequentialWorkflowMovesStageByStageAndSchedulesTheNextStageWhenItStarts) {
  Json workflow{{"steps", Json::array({Json{{"name", "legal"},
                                            {"approvers", {{"users", {fred_.id}}}},
                                            {"turnaround_hours", 24},
                                            {"escalation", Json::array()}},
                                       Json{{"name", "brand"},
                                            {"approvers", {{"roles", {"host:owner"}}}},
                                            {"turnaround_hours", 8},
                                            {"escalation", Json::array()}}})}};
  const ApprovalRecord a = Create(streamco_, workflow);
  EXPECT_EQ(JobsOf(a).size(), 1u) << "only legal is active";

  clock_.Advance(hours(2));
  EXPECT_EQ(Decide(a, olga_, "brand", DecisionKind::kApprove).status().reason(), "step_not_active");
  ApprovalRecord after = Must(Decide(a, fred_, "legal", DecisionKind::kApprove, "", 1), "legal");
  EXPECT_EQ(after.state, "pending");
  EXPECT_EQ(after.version, 2);
  ASSERT_EQ(after.decisions.size(), 1u);
  EXPECT_EQ(after.decisions[0].step, "legal");
  EXPECT_EQ(after.decisions[0].role, "facilitator");
  EXPECT_EQ(after.decisions[0].party, "host");
  EXPECT_EQ(after.decisions[0].at, "2026-06-01T14:00:00.000Z");
  // Brand became active at 14:00 with 8 h: its breach is due at 22:00.
  std::map<std::string, Instant> run_at;
  for (const JobRecord& job : JobsOf(a)) run_at[job.dedupe_key] = job.run_at;
  EXPECT_EQ(run_at.at("approval:" + a.id + ":r1:s1:l0"), At("2026-06-01T22:00:00.001Z"));

  clock_.Advance(hours(1));
  after = Must(Decide(a, olga_, "brand", DecisionKind::kApprove), "brand");
  EXPECT_EQ(after.state, "approved");
  EXPECT_EQ(AuditActions()["decided"], 2);
}

TEST_P(ApprovalStore, ChecksEachDecisionOnTheStateItFinds) {
  Json workflow{
      {"steps", Json::array({Json{{"name", "review"},
                                  {"approvers", {{"roles", {"host:owner", "host:facilitator"}}}},
                                  {"turnaround_hours", 24}}})}};
  const ApprovalRecord a = Create(streamco_, workflow);
  const auto before = AuditActions();

  Result<ApprovalRecord> refused = Decide(a, vic_, "review", DecisionKind::kApprove);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "not_an_approver");
  refused = Decide(a, sam_, "review", DecisionKind::kApprove);
  EXPECT_EQ(refused.status().reason(), "not_an_approver") << "a partner's owner is not the host's";
  refused = Decide(a, fred_, "review", DecisionKind::kReject);
  EXPECT_EQ(refused.status().reason(), "comment_required");
  refused = Decide(a, fred_, "review", DecisionKind::kApprove, "", 7);
  EXPECT_EQ(refused.status().code(), StatusCode::kAborted) << "stale version";
  EXPECT_EQ(AuditActions(), before);
  EXPECT_TRUE(Must(store_->GetApproval(activation_.id, a.id), "get").decisions.empty());

  ASSERT_TRUE(Decide(a, fred_, "review", DecisionKind::kApprove).ok());
  refused = Decide(a, olga_, "review", DecisionKind::kApprove);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().reason(), "round_closed") << "quorum any: Fred's approval decided";
  EXPECT_EQ(store_->GetApproval(activation_.id, "apr_aaaaaaaaaaaaaaaaaaaa").status().code(),
            StatusCode::kNotFound);
}

TEST_P(ApprovalStore, AResubmissionStartsANewRoundWithItsOwnJobs) {
  const ApprovalRecord a = Create(streamco_);
  EXPECT_EQ(store_->ResubmitApproval(activation_.id, a.id, "", std::nullopt, cli_, AllowApproval)
                .status()
                .reason(),
            "round_open");
  clock_.Advance(hours(3));
  ASSERT_TRUE(
      Decide(a, fred_, "host review", DecisionKind::kRequestChanges, "Logo too small").ok());
  EXPECT_EQ(Decide(a, olga_, "host review", DecisionKind::kApprove).status().reason(),
            "round_closed");

  clock_.Advance(hours(1));
  bool authorized = false;
  ApprovalRecord r2 = Must(
      store_->ResubmitApproval(activation_.id, a.id, "Bigger logo", 2, Actor{sam_.id, streamco_.id},
                               [&](const ActivationRecord&, const ApprovalRecord& seen) {
                                 authorized = seen.state == "changes_requested";
                                 return OkStatus();
                               }),
      "resubmit");
  EXPECT_TRUE(authorized) << "the callback saw the request as it stood";
  EXPECT_EQ(r2.round, 2);
  EXPECT_EQ(r2.state, "pending");
  EXPECT_EQ(r2.round_started_at, "2026-06-01T16:00:00.000Z");
  ASSERT_EQ(r2.rounds.size(), 2u);
  EXPECT_EQ(r2.rounds[1].comment, "Bigger logo");
  auto workflow = Must(r2.ParsedWorkflow(), "workflow");
  auto round2 = Must(r2.Evaluate(workflow, 2, clock_.Now()), "evaluate");
  EXPECT_EQ(round2.state, governance::RoundState::kPending);
  EXPECT_EQ(*round2.steps[0].due_at, At("2026-06-03T04:00:00Z")) << "16:00 + 36 h";
  auto round1 = Must(r2.Evaluate(workflow, 1, clock_.Now()), "evaluate");
  EXPECT_EQ(round1.state, governance::RoundState::kChangesRequested);
  EXPECT_EQ(JobsOf(a).size(), 6u) << "three levels per round";

  ASSERT_TRUE(Decide(a, olga_, "host review", DecisionKind::kApprove).ok());
  EXPECT_EQ(store_->ResubmitApproval(activation_.id, a.id, "", std::nullopt, cli_, AllowApproval)
                .status()
                .reason(),
            "already_approved");
}

TEST_P(ApprovalStore, RecordsTheBreachAndEachLevelOnceWhenItIsReached) {
  const ApprovalRecord a = Create(streamco_);
  service::JobRunner runner = Runner(*store_, "runner-a");
  service::HandleApprovalJobs(runner, *store_);

  clock_.Advance(hours(36));
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 0) << "at 36 h exactly the step is on time";
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 2) << "the breach and level 1";
  auto breaches = Must(store_->ListApprovalBreaches(activation_.id), "breaches");
  ASSERT_EQ(breaches.size(), 2u);
  EXPECT_EQ(breaches[0].level, 0);
  EXPECT_EQ(breaches[0].step, "host review");
  EXPECT_EQ(breaches[0].due_at, "2026-06-03T00:00:00.000Z");
  EXPECT_EQ(breaches[0].breached_at, "2026-06-03T00:00:00.000Z");
  EXPECT_EQ(breaches[0].recorded_at, "2026-06-03T00:00:00.001Z");
  EXPECT_EQ(breaches[1].level, 1);
  // "facilitator" on either side: the host's Fred and StreamCo's Sia.
  std::set<std::string> notified = breaches[1].notified["users"].get<std::set<std::string>>();
  EXPECT_EQ(notified, (std::set<std::string>{fred_.id, sia_.id}));
  EXPECT_EQ(breaches[1].notified["contact"], "Fred (facilitator)");
  auto actions = AuditActions();
  EXPECT_EQ(actions["approval_breached"], 1);
  EXPECT_EQ(actions["approval_escalated"], 1);

  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 0);
  clock_.Advance(hours(36));
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 1) << "level 2 at 72 h";
  breaches = Must(store_->ListApprovalBreaches(activation_.id), "breaches");
  ASSERT_EQ(breaches.size(), 3u);
  EXPECT_EQ(breaches[2].level, 2);
  EXPECT_EQ(breaches[2].notified["users"], Json::array({olga_.id})) << "StreamCo has no owner";
  EXPECT_EQ(AuditActions()["approval_escalated"], 2);
}

TEST_P(ApprovalStore, AJobWhoseStepWasDecidedInTimeCompletesWithoutEffect) {
  const ApprovalRecord a = Create(streamco_);
  clock_.Advance(hours(35));
  ASSERT_TRUE(Decide(a, fred_, "host review", DecisionKind::kApprove).ok());
  clock_.Advance(hours(40));
  service::JobRunner runner = Runner(*store_, "runner-a");
  service::HandleApprovalJobs(runner, *store_);
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 3);
  EXPECT_TRUE(Must(store_->ListApprovalBreaches(activation_.id), "breaches").empty());
  for (const JobRecord& job : JobsOf(a)) EXPECT_EQ(job.state, "done") << job.dedupe_key;
  EXPECT_EQ(AuditActions().count("approval_breached"), 0u);
}

TEST_P(ApprovalStore, ALateDecisionIsStillABreachWhenTheJobRunsAfterIt) {
  const ApprovalRecord a = Create(host_);  // 48 h, no escalation path
  clock_.Advance(hours(50));
  ASSERT_TRUE(Decide(a, olga_, "host review", DecisionKind::kApprove).ok());
  service::JobRunner runner = Runner(*store_, "runner-a");
  service::HandleApprovalJobs(runner, *store_);
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 1);
  auto breaches = Must(store_->ListApprovalBreaches(activation_.id), "breaches");
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].due_at, "2026-06-03T12:00:00.000Z");
}

TEST_P(ApprovalStore, TwoRunnersOnTwoConnectionPoolsRecordEachEventExactlyOnce) {
  constexpr int kRequests = 20;  // three events each: breach, level 1, level 2
  for (int i = 0; i < kRequests; ++i) Create(streamco_);
  clock_.Advance(hours(73));
  std::unique_ptr<Database> other_db = fresh_.OpenAnother();
  Store other_store(*other_db, clock_);
  service::JobRunner a = Runner(*store_, "runner-a");
  service::JobRunner b = Runner(other_store, "runner-b");
  service::HandleApprovalJobs(a, *store_);
  service::HandleApprovalJobs(b, other_store);
  std::atomic<int> done_a{0}, done_b{0};
  auto run = [](service::JobRunner& runner, std::atomic<int>& done) {
    Result<int> ran = runner.RunDue();
    done = ran.ok() ? *ran : -1000;
  };
  std::thread ta([&] { run(a, done_a); });
  std::thread tb([&] { run(b, done_b); });
  ta.join();
  tb.join();

  EXPECT_EQ(done_a + done_b, 3 * kRequests);
  auto breaches = Must(store_->ListApprovalBreaches(activation_.id), "breaches");
  EXPECT_EQ(breaches.size(), static_cast<size_t>(3 * kRequests));
  std::set<std::string> keys;
  for (const auto& breach : breaches) {
    keys.insert(breach.approval_id + "/" + std::to_string(breach.level));
  }
  EXPECT_EQ(keys.size(), breaches.size());
  auto actions = AuditActions();
  EXPECT_EQ(actions["approval_breached"], kRequests);
  EXPECT_EQ(actions["approval_escalated"], 2 * kRequests);
  EXPECT_EQ(Must(store_->ListJobs("done", 1000), "jobs").size(),
            static_cast<size_t>(3 * kRequests));
  EXPECT_TRUE(Must(store_->ListJobs("failed", 1000), "jobs").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ApprovalStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage
