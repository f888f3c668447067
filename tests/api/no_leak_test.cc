// What list and query endpoints return must not leak: an unrelated organisation sees no
// activation and no audit entry; a partner sees other partners' membership but never their
// contribution, notes or agreement, neither in the partner list nor in the audit trail. Each
// negative check has a positive control, so a test cannot pass because the data is absent for
// everyone. Read-only against one shared demo server.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class NoLeak : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    const DemoWorld& d = server_->demo();
    auto playbook = server_->store().SavePlaybook(
        d.activation, "Summer template", storage::Actor{d.User(demo::kOlivia), d.host_org},
        [](const storage::ActivationRecord&) { return OkStatus(); });
    ASSERT_TRUE(playbook.ok()) << playbook.status().ToString();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static Json Items(const std::string& path, const std::string& email) {
    Reply reply = server_->client().Get(path, server_->Token(email));
    EXPECT_EQ(reply.status, 200) << path << " as " << email << ": " << reply;
    if (!reply.json.is_object() || !reply.json["items"].is_array()) return Json::array();
    return reply.json["items"];
  }
  static Json Audit(const std::string& query, const std::string& email) {
    return Items("/api/v1/audit?" + query, email);
  }
  static const DemoWorld& demo() { return server_->demo(); }
  static std::string StreamCoPart() { return demo().activation + ":" + demo().streamco; }

  static TestServer* server_;
};

TestServer* NoLeak::server_ = nullptr;

std::set<std::string> Ids(const Json& items, const char* key = "id") {
  std::set<std::string> out;
  for (const Json& item : items) out.insert(item.value(key, ""));
  return out;
}

bool MentionsPrivateTerms(const Json& entry) {
  for (const char* side : {"before", "after"}) {
    const Json& state = entry[side];
    if (!state.is_object()) continue;
    for (const char* key : {"contribution", "notes", "approval_turnaround_hours",
                            "content_ownership", "escalation_path", "data_sharing"}) {
      if (state.contains(key)) return true;
    }
  }
  return false;
}

TEST_F(NoLeak, UnrelatedOrganisationListsNoActivations) {
  EXPECT_TRUE(Items("/api/v1/activations", demo::kUna).empty());
  EXPECT_EQ(Ids(Items("/api/v1/activations", demo::kSam)), std::set{demo().activation});
  EXPECT_EQ(Ids(Items("/api/v1/activations", demo::kVictor)), std::set{demo().activation});
}

TEST_F(NoLeak, UnrelatedOrganisationSeesNoAuditEntries) {
  EXPECT_TRUE(Audit("activation_id=" + demo().activation, demo::kUna).empty());
  EXPECT_TRUE(Audit("entity_type=activation&entity_id=" + demo().activation, demo::kUna).empty());
  EXPECT_TRUE(Audit("entity_type=agreement&entity_id=" + StreamCoPart(), demo::kUna).empty());
  EXPECT_FALSE(Audit("activation_id=" + demo().activation, demo::kOlivia).empty());
  EXPECT_FALSE(Audit("entity_type=activation&entity_id=" + demo().activation, demo::kSam).empty());
}

TEST_F(NoLeak, PartnerListHidesOtherPartnersPrivateTermsEntirely) {
  Json items = Items("/api/v1/activations/" + demo().activation + "/partners", demo::kNina);
  ASSERT_EQ(items.size(), 3u);
  bool saw_streamco = false;
  bool saw_nova = false;
  for (const Json& part : items) {
    const std::string org = part.value("org_id", "");
    for (const char* key : {"org_id", "org_name", "role", "facilitator", "joined_at"}) {
      EXPECT_TRUE(part.contains(key)) << key << " missing in " << part.dump();
    }
    if (org == demo().nova) {
      saw_nova = true;
      EXPECT_TRUE(part.contains("contribution")) << part.dump();
      EXPECT_TRUE(part.contains("notes")) << part.dump();
      EXPECT_TRUE(part.contains("has_agreement")) << part.dump();
    } else {
      saw_streamco = saw_streamco || org == demo().streamco;
      // Absent, not null: a null would still tell that there is something to hide.
      EXPECT_FALSE(part.contains("contribution")) << part.dump();
      EXPECT_FALSE(part.contains("notes")) << part.dump();
      EXPECT_FALSE(part.contains("has_agreement")) << part.dump();
    }
  }
  EXPECT_TRUE(saw_streamco);
  EXPECT_TRUE(saw_nova);

  // Positive control: the host sees everyone's terms, StreamCo its own.
  for (const Json& part :
       Items("/api/v1/activations/" + demo().activation + "/partners", demo::kVictor)) {
    EXPECT_TRUE(part["contribution"].is_object()) << part.dump();
    EXPECT_FALSE(part["notes"].get<std::string>().empty()) << part.dump();
  }
  for (const Json& part :
       Items("/api/v1/activations/" + demo().activation + "/partners", demo::kSofia)) {
    EXPECT_EQ(part.contains("contribution"), part["org_id"] == demo().streamco) << part.dump();
  }
}

TEST_F(NoLeak, ActivationDocumentCarriesNoPartnerPrivateTerms) {
  Reply reply = server_->client().Get("/api/v1/activations/" + demo().activation,
                                      server_->Token(demo::kNina));
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.body.find("Prime-time inventory"), std::string::npos) << "StreamCo's notes";
  EXPECT_EQ(reply.body.find("900000000000"), std::string::npos) << "StreamCo's contribution";
}

TEST_F(NoLeak, AuditHidesOtherPartnersAgreementAndTerms) {
  // Nova asks directly for StreamCo's agreement and participation entries.
  EXPECT_TRUE(Audit("entity_type=agreement&entity_id=" + StreamCoPart(), demo::kNina).empty());
  for (const Json& e :
       Audit("entity_type=participation&entity_id=" + StreamCoPart(), demo::kNina)) {
    // Only the public fact that StreamCo joined, in which role (also in the partner list).
    EXPECT_EQ(e["action"], "partner_added") << e.dump();
    EXPECT_FALSE(MentionsPrivateTerms(e)) << e.dump();
  }
  // … and through the activation's whole trail.
  for (const Json& e : Audit("activation_id=" + demo().activation, demo::kNina)) {
    const std::string entity = e.value("entity_id", "");
    bool about_streamco = entity.ends_with(":" + demo().streamco);
    EXPECT_FALSE(about_streamco && MentionsPrivateTerms(e)) << e.dump();
    EXPECT_NE(e["entity_type"], "playbook") << "playbooks carry every partner's terms";
  }

  // Positive controls: the host and StreamCo itself see those entries.
  for (const char* who : {demo::kOlivia, demo::kSam}) {
    Json agreement = Audit("entity_type=agreement&entity_id=" + StreamCoPart(), who);
    ASSERT_FALSE(agreement.empty()) << who << " should see StreamCo's agreement being recorded";
    EXPECT_EQ(agreement[0]["action"], "agreement_created");
    EXPECT_EQ(agreement[0]["after"]["approval_turnaround_hours"], 48);
    bool saw_terms = false;
    for (const Json& e : Audit("entity_type=participation&entity_id=" + StreamCoPart(), who)) {
      saw_terms = saw_terms || (e["action"] == "partner_updated" && MentionsPrivateTerms(e));
    }
    EXPECT_TRUE(saw_terms) << who;
  }
}

TEST_F(NoLeak, AuditOfAUserIsForTheirOwnOrganisation) {
  std::string sam = demo().User(demo::kSam);
  EXPECT_TRUE(Audit("entity_type=user&entity_id=" + sam, demo::kNina).empty());
  EXPECT_TRUE(Audit("entity_type=user&entity_id=" + sam, demo::kOlivia).empty());
  Json own = Audit("entity_type=user&entity_id=" + sam, demo::kSofia);
  ASSERT_FALSE(own.empty());
  bool saw_login = false;
  for (const Json& e : own) saw_login = saw_login || e["action"] == "login";
  EXPECT_TRUE(saw_login);
}

TEST_F(NoLeak, OrganisationListIsTheCallersOwnUnlessHost) {
  EXPECT_EQ(Ids(Items("/api/v1/orgs", demo::kUna)), std::set{demo().orbit});
  EXPECT_EQ(Ids(Items("/api/v1/orgs", demo::kSofia)), std::set{demo().streamco});
  EXPECT_EQ(Ids(Items("/api/v1/orgs", demo::kVictor)).size(), 5u);
}

TEST_F(NoLeak, UsersNeverCarryPasswordHashes) {
  Reply users = server_->client().Get("/api/v1/orgs/" + demo().streamco + "/users",
                                      server_->Token(demo::kSam));
  ASSERT_EQ(users.status, 200) << users;
  EXPECT_EQ(users.json["items"].size(), 2u);
  EXPECT_EQ(users.body.find("password"), std::string::npos) << users;
  EXPECT_EQ(users.body.find("$argon2id$"), std::string::npos) << users;
  Reply me = server_->client().Get("/api/v1/me", server_->Token(demo::kSam));
  EXPECT_EQ(me.body.find("argon2"), std::string::npos) << me;
}

TEST_F(NoLeak, PlaybooksAreTheHostsOwn) {
  EXPECT_TRUE(Items("/api/v1/playbooks", demo::kSam).empty());
  EXPECT_TRUE(Items("/api/v1/playbooks", demo::kUna).empty());
  EXPECT_EQ(Items("/api/v1/playbooks", demo::kVictor).size(), 1u);
}

}  // namespace
}  // namespace tutti::testing
