// End-to-end flows through the real server: an activation from creation to a full brief with
// partners, agreements, contributions and workstreams; decision rights that depend on the
// object (a workstream's own owner, the rotating facilitator seat); playbooks; and the audit
// trail that records all of it in order, with before and after, in an intact hash chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class Workflow : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }
  std::string DemoPath(const std::string& rest = {}) {
    return "/api/v1/activations/" + demo().activation + rest;
  }
  int64_t VerifiedEntries() {
    Reply verify = http().Get("/api/v1/audit/verify", token(demo::kVictor));
    EXPECT_EQ(verify.status, 200) << verify;
    EXPECT_EQ(verify.json["ok"], true) << verify;
    return verify.json.value("entries", int64_t{-1});
  }

  TestServer server_;
};

Json FullBrief() {
  return Json::parse(R"json({
    "description": "Back-to-school bundle with a streaming trial.",
    "audiences": [{"name": "Students", "description": "18-24 in university towns"}],
    "markets": [
      {"name": "US-East", "tz": "America/New_York"},
      {"name": "UK", "tz": "Europe/London"},
      {"name": "AU", "tz": "Australia/Sydney"}
    ],
    "primary_metric": {"name": "Sign-ups", "unit": "people", "target": 50000, "forecast": 42000},
    "supporting_metrics": [
      {"name": "CTR", "unit": "%", "target": 1.2, "forecast": 0.9},
      {"name": "Reach", "unit": "people", "target": 3000000}
    ],
    "budget": {"amount_micros": 750000000000, "currency": "USD"}
  })json");
}

TEST_F(Workflow, ActivationFromCreationToFullBriefWithPartners) {
  const std::string& felix = token(demo::kFelix);
  int64_t entries = VerifiedEntries();

  Reply created = http().Post("/api/v1/activations", felix,
                              Json{{"name", "Campus"}, {"objective", "retention"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = created.json["id"];
  EXPECT_TRUE(id.starts_with("act_")) << id;
  EXPECT_EQ(created.json["name"], "Campus");
  EXPECT_EQ(created.json["objective"], "retention");
  EXPECT_EQ(created.json["status"], "draft");
  EXPECT_EQ(created.json["host_org_id"], demo().host_org);
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(VerifiedEntries(), ++entries);
  const std::string path = "/api/v1/activations/" + id;

  Json brief = FullBrief();
  brief["version"] = 1;
  Reply patched = http().Patch(path, felix, brief);
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(patched.json["version"], 2);
  EXPECT_EQ(VerifiedEntries(), ++entries);

  Reply read = http().Get(path, token(demo::kVictor));
  ASSERT_EQ(read.status, 200) << read;
  for (const char* key : {"description", "audiences", "markets", "primary_metric", "budget"}) {
    EXPECT_EQ(read.json[key], FullBrief()[key]) << key;
  }
  EXPECT_EQ(read.json["supporting_metrics"][1]["forecast"], nullptr);
  EXPECT_EQ(read.json["supporting_metrics"][1]["target"], 3000000);
  EXPECT_EQ(read.json["name"], "Campus") << "a PATCH leaves fields it does not name";

  Reply added =
      http().Post(path + "/partners", felix, Json{{"org_id", demo().streamco}, {"role", "media"}});
  ASSERT_EQ(added.status, 201) << added;
  EXPECT_EQ(added.json["role"], "media");
  EXPECT_EQ(added.json["facilitator"], false);
  EXPECT_EQ(added.json["has_agreement"], false);
  EXPECT_EQ(VerifiedEntries(), ++entries);
  EXPECT_EQ(http().Get(path, token(demo::kSofia)).status, 200) << "partners see what they join";
  EXPECT_EQ(http().Get(path, token(demo::kNina)).status, 404) << "Nova is not in this one";

  Json terms = Json::parse(R"json({
    "content_ownership": "joint",
    "content_ownership_notes": "Co-created assets are jointly owned.",
    "approval_turnaround_hours": 24,
    "escalation_path": [{"after_hours": 24, "contact": "Felix Hart", "role": "facilitator"},
                        {"after_hours": 48, "contact": "Olivia Okafor", "role": "owner"}],
    "exit_clause_notice_days": 14,
    "audit_rights": {"allowed": true, "notice_days": 5},
    "data_sharing": {"scope": ["aggregates", "conversions"], "cadence": "weekly"}
  })json");
  Reply agreed = http().Put(path + "/partners/" + demo().streamco + "/agreement", felix, terms);
  ASSERT_EQ(agreed.status, 200) << agreed;
  EXPECT_EQ(VerifiedEntries(), ++entries);
  Reply agreement =
      http().Get(path + "/partners/" + demo().streamco + "/agreement", token(demo::kSam));
  ASSERT_EQ(agreement.status, 200) << agreement;
  for (const auto& [key, value] : terms.items()) EXPECT_EQ(agreement.json[key], value) << key;
  EXPECT_EQ(agreement.json["org_id"], demo().streamco);

  // StreamCo's admin records StreamCo's own contribution …
  Json contribution{{"amount_micros", 125000000000}, {"currency", "USD"}};
  Reply contributed = http().Patch(path + "/partners/" + demo().streamco, token(demo::kSam),
                                   Json{{"contribution", contribution}, {"notes", "Trial codes"}});
  ASSERT_EQ(contributed.status, 200) << contributed;
  EXPECT_EQ(contributed.json["contribution"], contribution);
  EXPECT_EQ(VerifiedEntries(), ++entries);
  // … but neither its role in the activation nor the facilitator seat.
  EXPECT_EQ(http()
                .Patch(path + "/partners/" + demo().streamco, token(demo::kSam),
                       Json{{"role", "co_brand"}})
                .status,
            403);
  EXPECT_EQ(http()
                .Patch(path + "/partners/" + demo().streamco, token(demo::kSam),
                       Json{{"facilitator", true}})
                .status,
            403);
  EXPECT_EQ(VerifiedEntries(), entries);

  Reply partners = http().Get(path + "/partners", felix);
  ASSERT_EQ(partners.status, 200);
  ASSERT_EQ(partners.json["items"].size(), 1u);
  EXPECT_EQ(partners.json["items"][0]["contribution"], contribution);
  EXPECT_EQ(partners.json["items"][0]["has_agreement"], true);
  EXPECT_EQ(http().Get(path, felix).json["partner_count"], 1);
}

TEST_F(Workflow, WorkstreamRaciHasExactlyOneAccountableThePrimaryOwner) {
  const std::string wanda = demo().User(demo::kWanda);
  const std::string sofia = demo().User(demo::kSofia);
  const std::string victor = demo().User(demo::kVictor);
  Reply created = http().Post(DemoPath("/workstreams"), token(demo::kOlivia),
                              Json{{"kind", "measurement"},
                                   {"name", "Lift study"},
                                   {"primary_owner_id", wanda},
                                   {"raci",
                                    {{{"user_id", sofia}, {"responsibility", "R"}},
                                     {{"user_id", wanda}, {"responsibility", "R"}},
                                     {{"user_id", victor}, {"responsibility", "I"}}}}});
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.json["primary_owner_id"], wanda);
  EXPECT_EQ(created.json["primary_owner_name"], "Wanda Lee");
  int accountable = 0;
  for (const Json& entry : created.json["raci"]) {
    if (entry["responsibility"] == "A") {
      ++accountable;
      EXPECT_EQ(entry["user_id"], wanda);
    }
  }
  EXPECT_EQ(accountable, 1) << created;
  EXPECT_EQ(created.json["raci"].size(), 3u);

  int64_t entries = server_.AuditCount();
  Reply second_a = http().Post(DemoPath("/workstreams"), token(demo::kOlivia),
                               Json{{"kind", "data"},
                                    {"name", "Second A"},
                                    {"primary_owner_id", wanda},
                                    {"raci", {{{"user_id", victor}, {"responsibility", "A"}}}}});
  EXPECT_EQ(second_a.status, 422) << second_a;
  EXPECT_EQ(second_a.ErrorCode(), "raci_accountable");
  EXPECT_EQ(second_a.ErrorField(), "raci[0].responsibility");

  Reply outsider = http().Post(
      DemoPath("/workstreams"), token(demo::kOlivia),
      Json{{"kind", "data"},
           {"name", "Outsider"},
           {"primary_owner_id", wanda},
           {"raci", {{{"user_id", demo().User(demo::kUna)}, {"responsibility", "C"}}}}});
  EXPECT_EQ(outsider.status, 422) << outsider;
  EXPECT_EQ(outsider.ErrorCode(), "not_a_member");
  // The field is the request's own index; the message also names the user.
  EXPECT_EQ(outsider.ErrorField(), "raci[0].user_id") << outsider;
  EXPECT_NE(outsider.json["error"]["message"].get<std::string>().find(demo().User(demo::kUna)),
            std::string::npos)
      << outsider;

  Reply outside_owner = http().Post(DemoPath("/workstreams"), token(demo::kOlivia),
                                    Json{{"kind", "data"},
                                         {"name", "Orbit-owned"},
                                         {"primary_owner_id", demo().User(demo::kUna)}});
  EXPECT_EQ(outside_owner.status, 422) << outside_owner;
  EXPECT_EQ(outside_owner.ErrorCode(), "not_a_member");
  EXPECT_EQ(outside_owner.ErrorField(), "primary_owner_id");
  EXPECT_EQ(server_.AuditCount(), entries);

  Reply listed = http().Get(DemoPath("/workstreams"), token(demo::kNina));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json["items"].size(), 5u);
}

TEST_F(Workflow, WorkstreamOwnerEditsHerOwnWorkstreamOnly) {
  const std::string& wanda = token(demo::kWanda);
  Reply own = http().Patch(DemoPath("/workstreams/" + demo().workstreams.at("creative")), wanda,
                           Json{{"name", "Hero film and cut-downs"}});
  ASSERT_EQ(own.status, 200) << own;
  EXPECT_EQ(own.json["name"], "Hero film and cut-downs");

  int64_t entries = server_.AuditCount();
  Reply other = http().Patch(DemoPath("/workstreams/" + demo().workstreams.at("media")), wanda,
                             Json{{"name", "Wanda's now"}});
  EXPECT_EQ(other.status, 403) << other;
  EXPECT_EQ(server_.AuditCount(), entries);
  Reply brief = http().Patch(DemoPath(), wanda, Json{{"description", "Wanda rewrites"}});
  EXPECT_EQ(brief.status, 403) << brief;

  // Handing her workstream to Felix moves the A with it, and her right to edit.
  Reply handed = http().Patch(DemoPath("/workstreams/" + demo().workstreams.at("creative")), wanda,
                              Json{{"primary_owner_id", demo().User(demo::kFelix)}});
  ASSERT_EQ(handed.status, 200) << handed;
  for (const Json& entry : handed.json["raci"]) {
    if (entry["user_id"] == demo().User(demo::kFelix)) {
      EXPECT_EQ(entry["responsibility"], "A");
    } else if (entry["user_id"] == demo().User(demo::kWanda)) {
      EXPECT_EQ(entry["responsibility"], "R");
    }
  }
  EXPECT_EQ(http()
                .Patch(DemoPath("/workstreams/" + demo().workstreams.at("creative")), wanda,
                       Json{{"name", "Too late"}})
                .status,
            403);
}

TEST_F(Workflow, UnrelatedCallerLearnsNothingFromAWorkstreamPatch) {
  // With an id it should not know, Orbit probes whether Wanda owns the creative workstream: a
  // RACI naming someone else as A would be a 422 if the owner were read before access is checked.
  const std::string path = DemoPath("/workstreams/" + demo().workstreams.at("creative"));
  for (const std::string& user : {demo().User(demo::kWanda), demo().User(demo::kFelix)}) {
    Reply probe = http().Patch(path, token(demo::kUna),
                               Json{{"raci", {{{"user_id", user}, {"responsibility", "A"}}}}});
    EXPECT_EQ(probe.status, 404) << probe;
    EXPECT_EQ(probe.json["error"]["message"], "activation not found") << probe;
  }
  Reply missing = http().Patch(DemoPath("/workstreams/ws_aaaaaaaaaaaaaaaaaaaa"), token(demo::kUna),
                               Json{{"name", "x"}});
  Reply existing = http().Patch(path, token(demo::kUna), Json{{"name", "x"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, existing.body) << "existence of the workstream must not show";
}

TEST_F(Workflow, FacilitatorSeatLetsThatPartnersFacilitatorEditTheBrief) {
  Reply hired = http().Post("/api/v1/orgs/" + demo().nova + "/users", token(demo::kNina),
                            Json{{"email", "fred@novasports.example"},
                                 {"name", "Fred Nova"},
                                 {"role", "facilitator"},
                                 {"password", "nova-facilitates-2026"}});
  ASSERT_EQ(hired.status, 201) << hired;
  EXPECT_EQ(hired.json["org_id"], demo().nova);
  EXPECT_EQ(hired.json["role"], "facilitator");
  std::string fred = http().Login("fred@novasports.example", "nova-facilitates-2026");
  ASSERT_FALSE(fred.empty());

  const Json edit{{"description", "Nova takes the lead this quarter"}};
  EXPECT_EQ(http().Patch(DemoPath(), fred, edit).status, 403) << "no seat yet";

  Reply seated = http().Patch(DemoPath("/partners/" + demo().nova), token(demo::kOlivia),
                              Json{{"facilitator", true}});
  ASSERT_EQ(seated.status, 200) << seated;
  EXPECT_EQ(seated.json["facilitator"], true);

  Reply edited = http().Patch(DemoPath(), fred, edit);
  ASSERT_EQ(edited.status, 200) << edited;
  EXPECT_EQ(edited.json["description"], edit["description"]);
  // The seat is Nova's, not its admin's role: Nina (partner_admin) still may not edit the brief.
  EXPECT_EQ(http().Patch(DemoPath(), token(demo::kNina), edit).status, 403);
  // Nor does the seat open other partners' private terms.
  EXPECT_EQ(http().Get(DemoPath("/partners/" + demo().streamco + "/agreement"), fred).status, 404);

  // One rotating seat: giving it to StreamCo takes it from Nova.
  ASSERT_EQ(http()
                .Patch(DemoPath("/partners/" + demo().streamco), token(demo::kFelix),
                       Json{{"facilitator", true}})
                .status,
            200);
  Reply partners = http().Get(DemoPath("/partners"), token(demo::kOlivia));
  int seats = 0;
  for (const Json& p : partners.json["items"]) seats += p["facilitator"].get<bool>() ? 1 : 0;
  EXPECT_EQ(seats, 1);
  EXPECT_EQ(http().Patch(DemoPath(), fred, edit).status, 403) << "the seat moved on";
}

TEST_F(Workflow, PlaybookCarriesBriefWorkstreamsAndAgreementTerms) {
  Reply saved =
      http().Post(DemoPath("/playbooks"), token(demo::kOlivia), Json{{"name", "Summer launch"}});
  ASSERT_EQ(saved.status, 201) << saved;
  const std::string playbook = saved.json["id"];
  EXPECT_EQ(saved.json["source_activation_id"], demo().activation);
  EXPECT_EQ(http().Get("/api/v1/playbooks/" + playbook, token(demo::kVictor)).status, 200);

  Reply made = http().Post("/api/v1/playbooks/" + playbook + "/activations", token(demo::kFelix),
                           Json{{"name", "Winter Warmer"}});
  ASSERT_EQ(made.status, 201) << made;
  const std::string id = made.json["id"];
  EXPECT_EQ(made.json["name"], "Winter Warmer");
  EXPECT_EQ(made.json["playbook_id"], playbook);
  EXPECT_EQ(made.json["partner_count"], 0);
  Reply source = http().Get(DemoPath(), token(demo::kOlivia));
  for (const char* key : {"objective", "description", "audiences", "markets", "primary_metric",
                          "supporting_metrics"}) {
    EXPECT_EQ(made.json[key], source.json[key]) << key;
  }
  EXPECT_EQ(made.json["markets"].size(), 3u);

  Reply streams = http().Get("/api/v1/activations/" + id + "/workstreams", token(demo::kOlivia));
  ASSERT_EQ(streams.status, 200);
  std::vector<std::string> kinds;
  for (const Json& w : streams.json["items"]) {
    kinds.push_back(w["kind"]);
    EXPECT_EQ(w["primary_owner_id"], demo().User(demo::kFelix)) << "the instantiator owns them";
  }
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"creative", "data", "legal", "media"}));

  // Nova joins in the co_brand role and inherits the playbook's co_brand terms.
  Reply joined = http().Post("/api/v1/activations/" + id + "/partners", token(demo::kOlivia),
                             Json{{"org_id", demo().nova}, {"role", "co_brand"}});
  ASSERT_EQ(joined.status, 201) << joined;
  EXPECT_EQ(joined.json["has_agreement"], true);
  Reply inherited = http().Get(
      "/api/v1/activations/" + id + "/partners/" + demo().nova + "/agreement", token(demo::kNina));
  ASSERT_EQ(inherited.status, 200) << inherited;
  Reply original =
      http().Get(DemoPath("/partners/" + demo().nova + "/agreement"), token(demo::kNina));
  for (const char* key : {"content_ownership", "approval_turnaround_hours", "escalation_path",
                          "exit_clause_notice_days", "data_sharing"}) {
    EXPECT_EQ(inherited.json[key], original.json[key]) << key;
  }
  EXPECT_EQ(inherited.json["approval_turnaround_hours"], 72);
  EXPECT_EQ(inherited.json["content_ownership"], "joint");

  // A role the playbook has no terms for starts without an agreement.
  Reply orbit = http().Post("/api/v1/activations/" + id + "/partners", token(demo::kOlivia),
                            Json{{"org_id", demo().orbit}, {"role", "technology"}});
  ASSERT_EQ(orbit.status, 201) << orbit;
  EXPECT_EQ(orbit.json["has_agreement"], false);
}

TEST_F(Workflow, AuditTrailListsChangesInOrderWithBeforeAndAfter) {
  const std::string& olivia = token(demo::kOlivia);
  Reply created = http().Post("/api/v1/activations", olivia,
                              Json{{"name", "Audit me"}, {"objective", "visibility"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = created.json["id"];
  const std::string path = "/api/v1/activations/" + id;
  ASSERT_EQ(http().Patch(path, olivia, Json{{"name", "Audit me twice"}}).status, 200);
  server_.clock().Advance(std::chrono::seconds(5));
  ASSERT_EQ(http().Patch(path, olivia, Json{{"objective", "lead_generation"}}).status, 200);
  ASSERT_EQ(
      http()
          .Post(path + "/partners", olivia, Json{{"org_id", demo().lumen}, {"role", "influencer"}})
          .status,
      201);

  Reply trail = http().Get("/api/v1/audit?entity_type=activation&entity_id=" + id, olivia);
  ASSERT_EQ(trail.status, 200) << trail;
  const Json& items = trail.json["items"];
  ASSERT_EQ(items.size(), 3u) << trail;
  EXPECT_EQ(items[0]["action"], "created");
  EXPECT_EQ(items[0]["before"], nullptr);
  EXPECT_EQ(items[0]["after"]["name"], "Audit me");
  EXPECT_EQ(items[1]["action"], "updated");
  EXPECT_EQ(items[1]["before"]["name"], "Audit me");
  EXPECT_EQ(items[1]["after"]["name"], "Audit me twice");
  EXPECT_EQ(items[2]["before"]["objective"], "visibility");
  EXPECT_EQ(items[2]["after"]["objective"], "lead_generation");
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i]["actor_id"], demo().User(demo::kOlivia));
    EXPECT_EQ(items[i]["actor_name"], "Olivia Okafor");
    EXPECT_EQ(items[i]["entity_id"], id);
    EXPECT_EQ(items[i]["activation_id"], id);
    EXPECT_FALSE(items[i]["hash"].get<std::string>().empty());
    if (i > 0) {
      EXPECT_GT(items[i]["seq"], items[i - 1]["seq"]);
      EXPECT_GE(items[i]["at"], items[i - 1]["at"]);
    }
  }
  EXPECT_EQ(items[2]["at"], FormatInstant(TestEpoch() + std::chrono::seconds(5)))
      << "entries take their time from the injected clock";

  Reply whole = http().Get("/api/v1/audit?activation_id=" + id, token(demo::kLeo));
  ASSERT_EQ(whole.status, 200) << whole;
  std::vector<std::string> actions;
  for (const Json& e : whole.json["items"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "updated", "updated", "partner_added"}));

  Reply after = http().Get("/api/v1/audit?activation_id=" + id +
                               "&after_seq=" + std::to_string(items[1]["seq"].get<int64_t>()),
                           olivia);
  EXPECT_EQ(after.json["items"].size(), 2u) << after;
}

TEST_F(Workflow, VerifyCountsEveryMutation) {
  int64_t entries = VerifiedEntries();
  ASSERT_GT(entries, 0);
  ASSERT_EQ(http().Patch(DemoPath(), token(demo::kOlivia), Json{{"status", "live"}}).status, 200);
  EXPECT_EQ(VerifiedEntries(), entries + 1);
  ASSERT_EQ(http()
                .Put(DemoPath("/partners/" + demo().lumen + "/agreement"), token(demo::kLeo),
                     Json{{"content_ownership", "partner"}, {"approval_turnaround_hours", 12}})
                .status,
            200);
  EXPECT_EQ(VerifiedEntries(), entries + 2);
  // Reads append nothing.
  http().Get(DemoPath(), token(demo::kOlivia));
  http().Get(DemoPath("/partners"), token(demo::kOlivia));
  EXPECT_EQ(VerifiedEntries(), entries + 2);
  Reply verify = http().Get("/api/v1/audit/verify", token(demo::kOlivia));
  EXPECT_EQ(verify.json["head"].get<std::string>().size(), 64u) << verify;
}

TEST_F(Workflow, RoleChangeIsAuditedAsRoleChanged) {
  const std::string sofia = demo().User(demo::kSofia);
  Reply changed =
      http().Patch("/api/v1/users/" + sofia, token(demo::kSam), Json{{"role", "facilitator"}});
  ASSERT_EQ(changed.status, 200) << changed;
  EXPECT_EQ(changed.json["role"], "facilitator");

  Reply trail = http().Get("/api/v1/audit?entity_type=user&entity_id=" + sofia, token(demo::kSam));
  ASSERT_EQ(trail.status, 200) << trail;
  ASSERT_FALSE(trail.json["items"].empty());
  const Json& last = trail.json["items"].back();
  EXPECT_EQ(last["action"], "role_changed");
  EXPECT_EQ(last["before"]["role"], "contributor");
  EXPECT_EQ(last["after"]["role"], "facilitator");
  EXPECT_EQ(last["actor_id"], demo().User(demo::kSam));

  // The new role takes effect on her existing session.
  Reply me = http().Get("/api/v1/me", token(demo::kSofia));
  EXPECT_EQ(me.json["role"], "facilitator");

  // A rename is audited as a plain update.
  ASSERT_EQ(
      http()
          .Patch("/api/v1/users/" + sofia, token(demo::kSam), Json{{"name", "Sofia Brandt-Ng"}})
          .status,
      200);
  trail = http().Get("/api/v1/audit?entity_type=user&entity_id=" + sofia, token(demo::kSam));
  EXPECT_EQ(trail.json["items"].back()["action"], "updated");
}

TEST_F(Workflow, HostOwnerAddsAPartnerOrganisationItsAdminThenManagesIt) {
  Reply org = http().Post("/api/v1/orgs", token(demo::kOlivia),
                          Json{{"name", "Pixel Agency"}, {"kind", "partner"}});
  ASSERT_EQ(org.status, 201) << org;
  EXPECT_EQ(org.json["kind"], "partner");
  Reply duplicate = http().Post("/api/v1/orgs", token(demo::kOlivia),
                                Json{{"name", "Pixel Agency"}, {"kind", "partner"}});
  EXPECT_EQ(duplicate.status, 409) << duplicate;
  EXPECT_EQ(duplicate.ErrorField(), "name");
  // The host's owner cannot create users inside a partner organisation: partners run their own.
  Reply user = http().Post("/api/v1/orgs/" + org.json["id"].get<std::string>() + "/users",
                           token(demo::kOlivia),
                           Json{{"email", "pat@pixel.example"},
                                {"name", "Pat"},
                                {"role", "partner_admin"},
                                {"password", "pixel-perfect-2026"}});
  EXPECT_EQ(user.status, 403) << user;
}

}  // namespace
}  // namespace tutti::testing

namespace tutti::testing {
namespace {

TEST_F(Workflow, AuditPagesCarryACursorWhenFilteringShortensThem) {
  // 600 changes to StreamCo's private terms: visible to the host and StreamCo, hidden from Nova.
  auto allow = [](const storage::ActivationRecord&) { return OkStatus(); };
  for (int i = 0; i < 600; ++i) {
    auto changed = server_.store().UpdateParticipant(
        demo().activation, demo().streamco, Json{{"notes", "note " + std::to_string(i)}},
        storage::Actor{demo().User(demo::kOlivia), demo().host_org}, allow);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  }
  auto read_all = [&](const std::string& who) {
    std::vector<int64_t> seqs;
    int pages = 0;
    Json cursor = 0;
    while (!cursor.is_null()) {
      Reply page = http().Get("/api/v1/audit?activation_id=" + demo().activation +
                                  "&after_seq=" + std::to_string(cursor.get<int64_t>()),
                              token(who));
      EXPECT_EQ(page.status, 200) << page;
      if (page.status != 200 || ++pages > 10) break;
      for (const Json& e : page.json["items"]) seqs.push_back(e["seq"].get<int64_t>());
      cursor = page.json["next_after_seq"];
    }
    return std::make_pair(seqs, pages);
  };
  auto [host_seqs, host_pages] = read_all(demo::kOlivia);
  auto [nova_seqs, nova_pages] = read_all(demo::kNina);
  EXPECT_GE(host_seqs.size(), 600u);
  EXPECT_GE(host_pages, 2) << "more than one store page of entries";
  EXPECT_TRUE(std::is_sorted(host_seqs.begin(), host_seqs.end()));
  EXPECT_LT(nova_seqs.size(), host_seqs.size() - 590) << "Nova never sees StreamCo's notes";
  EXPECT_EQ(nova_pages, host_pages) << "a short page still points at the next one";
  for (int64_t seq : nova_seqs) {
    EXPECT_TRUE(std::binary_search(host_seqs.begin(), host_seqs.end(), seq));
  }
}

}  // namespace
}  // namespace tutti::testing
