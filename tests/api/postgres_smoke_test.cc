// The API on PostgreSQL: a few flows of the SQLite suite, run against a fresh schema of
// $TUTTI_TEST_POSTGRES_URL (start one with `scripts/pg-test-server start DIR`). Without that
// variable these tests fail, unless TUTTI_ALLOW_NO_POSTGRES=1 turns them into skips.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class PostgresApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (PostgresTestUrl().empty()) return;
    server_ = new TestServer(TestServerOptions{.backend = Backend::kPostgres, .seed_demo = true});
    start_status_ = server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    TUTTI_REQUIRE_POSTGRES();
    ASSERT_TRUE(start_status_.ok()) << start_status_.ToString();
  }
  static HttpClient& http() { return server_->client(); }
  static const DemoWorld& demo() { return server_->demo(); }
  static const std::string& token(const std::string& email) { return server_->Token(email); }

  static TestServer* server_;
  static Status start_status_;
};

TestServer* PostgresApi::server_ = nullptr;
Status PostgresApi::start_status_;

TEST_F(PostgresApi, RunsOnAFreshSchema) {
  EXPECT_NE(server_->database_url().find("search_path"), std::string::npos);
  Reply health = http().Get("/healthz");
  EXPECT_EQ(health.status, 200) << health;
}

TEST_F(PostgresApi, VisibilityAndPrivateTermsHold) {
  Reply orbit = http().Get("/api/v1/activations", token(demo::kUna));
  ASSERT_EQ(orbit.status, 200) << orbit;
  EXPECT_TRUE(orbit.json["items"].empty());
  EXPECT_EQ(http().Get("/api/v1/activations/" + demo().activation, token(demo::kUna)).status, 404);

  Reply partners =
      http().Get("/api/v1/activations/" + demo().activation + "/partners", token(demo::kNina));
  ASSERT_EQ(partners.status, 200) << partners;
  ASSERT_EQ(partners.json["items"].size(), 3u);
  for (const Json& part : partners.json["items"]) {
    EXPECT_EQ(part.contains("contribution"), part["org_id"] == demo().nova) << part.dump();
  }
  EXPECT_EQ(http()
                .Get("/api/v1/activations/" + demo().activation + "/partners/" + demo().streamco +
                         "/agreement",
                     token(demo::kNina))
                .status,
            404);
}

TEST_F(PostgresApi, ActivationLifecycleIsAuditedInAnIntactChain) {
  const std::string& olivia = token(demo::kOlivia);
  const std::string& sam = token(demo::kSam);  // log-ins are audited too: log in first
  Reply before = http().Get("/api/v1/audit/verify", olivia);
  ASSERT_EQ(before.status, 200) << before;
  ASSERT_EQ(before.json["ok"], true) << before;

  Reply created = http().Post("/api/v1/activations", olivia,
                              Json{{"name", "PG launch"}, {"objective", "visibility"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string path = "/api/v1/activations/" + created.json["id"].get<std::string>();
  Reply patched = http().Patch(
      path, olivia,
      Json{{"version", 1},
           {"markets", {{{"name", "DE"}, {"tz", "Europe/Berlin"}}}},
           {"budget", {{"amount_micros", 9'000'000'000'000'000}, {"currency", "EUR"}}}});
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(patched.json["budget"]["amount_micros"], 9'000'000'000'000'000)
      << "BIGINT micros round-trip on PostgreSQL";
  Reply stale = http().Patch(path, olivia, Json{{"version", 1}, {"description", "lost"}});
  EXPECT_EQ(stale.status, 409) << stale;
  Reply joined =
      http().Post(path + "/partners", olivia, Json{{"org_id", demo().streamco}, {"role", "media"}});
  ASSERT_EQ(joined.status, 201) << joined;
  Reply twice =
      http().Post(path + "/partners", olivia, Json{{"org_id", demo().streamco}, {"role", "media"}});
  EXPECT_EQ(twice.status, 409) << twice;

  Reply trail =
      http().Get("/api/v1/audit?activation_id=" + created.json["id"].get<std::string>(), sam);
  ASSERT_EQ(trail.status, 200) << trail;
  std::vector<std::string> actions;
  for (const Json& e : trail.json["items"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "updated", "partner_added"}));

  Reply after = http().Get("/api/v1/audit/verify", olivia);
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.json["ok"], true) << after;
  EXPECT_EQ(after.json["entries"], before.json["entries"].get<int64_t>() + 3);
}

TEST_F(PostgresApi, LogInThrottleAndCsrfWork) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(http().LoginReply(demo::kLeo, "wrong-" + std::to_string(i)).status, 401);
  }
  Reply throttled = http().LoginReply(demo::kLeo, demo::kPartnerPassword);
  EXPECT_EQ(throttled.status, 429) << throttled;
  EXPECT_FALSE(throttled.Header("Retry-After").empty());

  Reply login = http().LoginReply(demo::kFelix, demo::kHostPassword);
  ASSERT_EQ(login.status, 200) << login;
  std::string session = login.json["token"];
  Reply denied =
      http().SendRaw("POST", "/api/v1/activations", {{"Cookie", "tutti_session=" + session}},
                     R"({"name":"csrf","objective":"visibility"})", "application/json");
  EXPECT_EQ(denied.status, 403) << denied;
  EXPECT_EQ(denied.ErrorCode(), "csrf_failed");
}

}  // namespace
}  // namespace tutti::testing
