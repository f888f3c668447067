// Authentication against the real server: log-in and its cookie, uniform failures, disabled
// accounts, throttling with Retry-After on the injected clock, bearer and cookie sessions with
// CSRF, log-out, idle expiry, and API keys with scopes. Each test owns a fresh demo server.
#include <gtest/gtest.h>

#include <charconv>
#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class Auth : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }

  // A request carrying only the session cookie (what a browser sends).
  Reply WithCookie(const std::string& method, const std::string& path, const std::string& session,
                   const std::optional<Json>& body, const std::string& csrf = {}) {
    httplib::Headers headers{{"Cookie", "theme=dark; tutti_session=" + session}};
    if (!csrf.empty()) headers.emplace("X-CSRF-Token", csrf);
    return http().SendRaw(method, path, headers, body ? body->dump() : std::string(),
                          body ? "application/json" : "");
  }

  TestServer server_;
};

std::string CookieValue(const std::string& set_cookie) {
  std::string prefix = "tutti_session=";
  if (!set_cookie.starts_with(prefix)) return {};
  return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
}

TEST_F(Auth, LogInReturnsTokenCsrfTokenUserAndAStrictHttpOnlyCookie) {
  Reply reply = http().LoginReply(demo::kOlivia, demo::kOwnerPassword);
  ASSERT_EQ(reply.status, 200) << reply;
  const Json& body = reply.json;
  ASSERT_TRUE(body["token"].is_string());
  EXPECT_TRUE(body["token"].get<std::string>().starts_with("tts_"));
  EXPECT_FALSE(body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(body["user"]["org_id"], demo().host_org);
  EXPECT_EQ(body["user"]["role"], "owner");
  EXPECT_EQ(body["user"]["email"], demo::kOlivia);
  EXPECT_FALSE(body["user"].contains("password_hash"));

  std::string cookie = reply.Header("Set-Cookie");
  EXPECT_EQ(CookieValue(cookie), body["token"].get<std::string>()) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(reply.Header("Cache-Control"), "no-store");
}

TEST_F(Auth, EmailIsMatchedCaseInsensitively) {
  EXPECT_EQ(http().LoginReply("  Olivia@ACME.example ", demo::kOwnerPassword).status, 200);
}

TEST_F(Auth, WrongPasswordAndUnknownEmailFailAlike) {
  int64_t audit_before = server_.AuditCount();
  Reply wrong_password = http().LoginReply(demo::kOlivia, "tutti-demo-wrong");
  Reply unknown_email = http().LoginReply("nobody@acme.example", demo::kOwnerPassword);
  for (const Reply* reply : {&wrong_password, &unknown_email}) {
    EXPECT_EQ(reply->status, 401) << *reply;
    EXPECT_TRUE(reply->HasErrorEnvelope()) << *reply;
    EXPECT_TRUE(reply->Header("Set-Cookie").empty());
  }
  EXPECT_EQ(wrong_password.body, unknown_email.body);
  EXPECT_EQ(wrong_password.ErrorCode(), "unauthenticated");
  // The failure against a real account is on that account's audit trail.
  EXPECT_EQ(server_.AuditCount(), audit_before + 1);
}

TEST_F(Auth, LogInValidatesItsBody) {
  Reply missing = http().Post("/api/v1/auth/login", {}, Json{{"email", demo::kOlivia}});
  EXPECT_EQ(missing.status, 422) << missing;
  EXPECT_EQ(missing.ErrorField(), "password");
  Reply extra = http().Post(
      "/api/v1/auth/login", {},
      Json{{"email", demo::kOlivia}, {"password", demo::kOwnerPassword}, {"remember", true}});
  EXPECT_EQ(extra.status, 422) << extra;
  EXPECT_EQ(extra.ErrorCode(), "unknown_field");
}

TEST_F(Auth, DisabledUserCannotLogInAndLosesSessions) {
  const std::string sofia_token = token(demo::kSofia);
  ASSERT_EQ(http().Get("/api/v1/me", sofia_token).status, 200);
  Reply disabled = http().Patch("/api/v1/users/" + demo().User(demo::kSofia), token(demo::kSam),
                                Json{{"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled;
  EXPECT_EQ(disabled.json["disabled"], true);

  Reply login = http().LoginReply(demo::kSofia, demo::kPartnerPassword);
  EXPECT_EQ(login.status, 401) << login;
  EXPECT_EQ(login.body, http().LoginReply(demo::kSofia, "not-her-password").body)
      << "a disabled account must look like a wrong password";
  EXPECT_EQ(http().Get("/api/v1/me", sofia_token).status, 401);
}

TEST_F(Auth, TenFailuresThrottleTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(http().LoginReply(demo::kVictor, "guess-" + std::to_string(i)).status, 401);
  }
  Reply throttled = http().LoginReply(demo::kVictor, demo::kHostPassword);
  ASSERT_EQ(throttled.status, 429) << throttled;
  EXPECT_TRUE(throttled.HasErrorEnvelope()) << throttled;
  EXPECT_EQ(throttled.ErrorCode(), "too_many_attempts");
  EXPECT_EQ(throttled.Header("Cache-Control"), "no-store");
  std::string retry_after = throttled.Header("Retry-After");
  int seconds = 0;
  auto [end, error] =
      std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
  ASSERT_TRUE(error == std::errc() && end == retry_after.data() + retry_after.size())
      << "Retry-After must be delay-seconds, got '" << retry_after << "'";
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 15 * 60);

  // Another account from the same address is not locked out by Victor's failures.
  EXPECT_EQ(http().LoginReply(demo::kFelix, demo::kHostPassword).status, 200);

  server_.clock().Advance(std::chrono::seconds(seconds) - std::chrono::seconds(1));
  EXPECT_EQ(http().LoginReply(demo::kVictor, demo::kHostPassword).status, 429);
  server_.clock().Advance(std::chrono::seconds(2));
  Reply after = http().LoginReply(demo::kVictor, demo::kHostPassword);
  EXPECT_EQ(after.status, 200) << after;
}

TEST_F(Auth, BearerTokenAuthenticatesAndMeHasOrgAndRole) {
  Reply me = http().Get("/api/v1/me", token(demo::kSam));
  ASSERT_EQ(me.status, 200) << me;
  EXPECT_EQ(me.json["id"], demo().User(demo::kSam));
  EXPECT_EQ(me.json["org_id"], demo().streamco);
  EXPECT_EQ(me.json["org_kind"], "partner");
  EXPECT_EQ(me.json["role"], "partner_admin");

  for (const char* bad : {"tts_forged", "Bearer", "tak_forged"}) {
    Reply denied = http().Get("/api/v1/me", bad);
    EXPECT_EQ(denied.status, 401) << bad << ": " << denied;
    EXPECT_TRUE(denied.HasErrorEnvelope());
    EXPECT_FALSE(denied.Header("WWW-Authenticate").empty());
  }
}

TEST_F(Auth, CookieSessionNeedsTheCsrfHeaderToChangeAnything) {
  Reply login = http().LoginReply(demo::kFelix, demo::kHostPassword);
  ASSERT_EQ(login.status, 200) << login;
  std::string session = CookieValue(login.Header("Set-Cookie"));
  std::string csrf = login.json["csrf_token"];
  ASSERT_FALSE(session.empty());

  Reply me = WithCookie("GET", "/api/v1/me", session, std::nullopt);
  ASSERT_EQ(me.status, 200) << me;
  EXPECT_EQ(me.json["role"], "facilitator");
  EXPECT_EQ(me.json["csrf_token"], csrf) << "the UI recovers the CSRF token from /me";

  const Json create{{"name", "Cookie launch"}, {"objective", "retention"}};
  int64_t audit_before = server_.AuditCount();
  for (const std::string& wrong : {std::string(), std::string("forged-token"), csrf + "x"}) {
    Reply denied = WithCookie("POST", "/api/v1/activations", session, create, wrong);
    EXPECT_EQ(denied.status, 403) << denied;
    EXPECT_EQ(denied.ErrorCode(), "csrf_failed");
    EXPECT_EQ(denied.ErrorField(), "X-CSRF-Token");
  }
  EXPECT_EQ(server_.AuditCount(), audit_before);
  EXPECT_EQ(http().Get("/api/v1/activations", token(demo::kFelix)).json["items"].size(), 1u);

  Reply created = WithCookie("POST", "/api/v1/activations", session, create, csrf);
  EXPECT_EQ(created.status, 201) << created;

  // Bearer callers are not browsers: no CSRF header needed.
  EXPECT_EQ(http()
                .Post("/api/v1/activations", token(demo::kFelix),
                      Json{{"name", "Bearer launch"}, {"objective", "visibility"}})
                .status,
            201);
}

TEST_F(Auth, LogInWithAStaleCookieIsNotACsrfFailure) {
  Reply first = http().LoginReply(demo::kFelix, demo::kHostPassword);
  ASSERT_EQ(first.status, 200) << first;
  std::string session = CookieValue(first.Header("Set-Cookie"));
  // A browser that still holds a session cookie logs in again without any CSRF header: the
  // public route must not look at the cookie at all.
  Reply again = WithCookie("POST", "/api/v1/auth/login", session,
                           Json{{"email", demo::kFelix}, {"password", demo::kHostPassword}});
  EXPECT_EQ(again.status, 200) << again;
  EXPECT_NE(again.json["token"], first.json["token"]) << "a log-in always mints a new session";
}

TEST_F(Auth, ApiKeysNeedActivationsReadForPlaybooksAndNeverListPeople) {
  Reply created = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                              Json{{"name", "audit only"}, {"scopes", {"audit:read"}}});
  ASSERT_EQ(created.status, 201) << created;
  std::string audit_only = created.json["token"];
  EXPECT_EQ(http().Get("/api/v1/playbooks", audit_only).status, 403);
  Reply orgs = http().Get("/api/v1/orgs", audit_only);
  ASSERT_EQ(orgs.status, 200) << orgs;
  EXPECT_TRUE(orgs.json["items"].empty()) << orgs;
  EXPECT_EQ(http().Get("/api/v1/orgs/" + demo().streamco, audit_only).status, 404);

  Reply reader = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                             Json{{"name", "reader"}, {"scopes", {"activations:read"}}});
  ASSERT_EQ(reader.status, 201) << reader;
  std::string read_key = reader.json["token"];
  EXPECT_EQ(http().Get("/api/v1/orgs/" + demo().streamco, read_key).status, 200);
  Reply people = http().Get("/api/v1/orgs/" + demo().streamco + "/users", read_key);
  EXPECT_EQ(people.status, 403) << people;
  EXPECT_EQ(http().Get("/api/v1/orgs/" + demo().streamco + "/users", token(demo::kSam)).status, 200)
      << "people may list their own organisation's users";
}

TEST_F(Auth, LogOutEndsTheSession) {
  std::string session = http().Login(demo::kOlivia, demo::kOwnerPassword);
  ASSERT_EQ(http().Get("/api/v1/me", session).status, 200);
  Reply out = http().Post("/api/v1/auth/logout", session, Json::object());
  EXPECT_EQ(out.status, 204) << out;
  std::string cleared = out.Header("Set-Cookie");
  EXPECT_NE(cleared.find("tutti_session=;"), std::string::npos) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  EXPECT_EQ(http().Get("/api/v1/me", session).status, 401);
  // Other sessions of the same user are untouched.
  EXPECT_EQ(http().Get("/api/v1/me", token(demo::kOlivia)).status, 200);
}

TEST_F(Auth, SessionExpiresAfterThirtyIdleMinutes) {
  const std::string& session = token(demo::kVictor);
  server_.clock().Advance(std::chrono::minutes(29));
  ASSERT_EQ(http().Get("/api/v1/me", session).status, 200);  // slides the idle deadline
  server_.clock().Advance(std::chrono::minutes(29));
  ASSERT_EQ(http().Get("/api/v1/me", session).status, 200);
  server_.clock().Advance(std::chrono::minutes(31));
  EXPECT_EQ(http().Get("/api/v1/me", session).status, 401);
}

TEST_F(Auth, ApiKeyIsShownOnceListedWithoutSecretAndScoped) {
  const std::string keys_path = "/api/v1/orgs/" + demo().streamco + "/api-keys";
  Reply created = http().Post(keys_path, token(demo::kSam),
                              Json{{"name", "BI feed"}, {"scopes", {"activations:read"}}});
  ASSERT_EQ(created.status, 201) << created;
  std::string key = created.json["token"];
  EXPECT_TRUE(key.starts_with("tak_")) << key;
  EXPECT_EQ(created.json["scopes"], Json::array({"activations:read"}));
  EXPECT_TRUE(key.starts_with(created.json["token_hint"].get<std::string>()));

  Reply listed = http().Get(keys_path, token(demo::kSam));
  ASSERT_EQ(listed.status, 200) << listed;
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_FALSE(listed.json["items"][0].contains("token"));
  EXPECT_EQ(listed.body.find(key), std::string::npos) << "the secret must not be listed";

  Reply activations = http().Get("/api/v1/activations", key);
  ASSERT_EQ(activations.status, 200) << activations;
  ASSERT_EQ(activations.json["items"].size(), 1u);
  EXPECT_EQ(activations.json["items"][0]["id"], demo().activation);
  Reply me = http().Get("/api/v1/me", key);
  EXPECT_EQ(me.json["kind"], "api_key");
  EXPECT_EQ(me.json["org_id"], demo().streamco);

  // A key can do nothing its scopes do not name.
  EXPECT_EQ(http()
                .Patch("/api/v1/activations/" + demo().activation, key,
                       Json{{"description", "from a read key"}})
                .status,
            403);
  EXPECT_EQ(http().Get("/api/v1/audit/verify", key).status, 403);

  // An API key is a bearer credential, never a cookie.
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", key, std::nullopt).status, 401);

  Reply revoked =
      http().Delete(keys_path + "/" + created.json["id"].get<std::string>(), token(demo::kSam));
  EXPECT_EQ(revoked.status, 204) << revoked;
  EXPECT_EQ(http().Get("/api/v1/activations", key).status, 401);
  Reply again =
      http().Delete(keys_path + "/" + created.json["id"].get<std::string>(), token(demo::kSam));
  EXPECT_EQ(again.status, 404) << again;
}

TEST_F(Auth, ApiKeyWithoutActivationsReadIsForbiddenToList) {
  Reply created = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                              Json{{"name", "audit only"}, {"scopes", {"audit:read"}}});
  ASSERT_EQ(created.status, 201) << created;
  std::string key = created.json["token"];
  Reply list = http().Get("/api/v1/activations", key);
  EXPECT_EQ(list.status, 403) << list;
  EXPECT_TRUE(list.HasErrorEnvelope());
  EXPECT_EQ(http().Get("/api/v1/activations/" + demo().activation, key).status, 404);
}

TEST_F(Auth, ApiKeyCannotMintUsersOrKeys) {
  Reply created =
      http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                  Json{{"name", "writer"},
                       {"scopes", {"activations:read", "activations:write", "audit:read"}}});
  ASSERT_EQ(created.status, 201) << created;
  std::string key = created.json["token"];
  int64_t audit_before = server_.AuditCount();
  Reply user = http().Post("/api/v1/orgs/" + demo().streamco + "/users", key,
                           Json{{"email", "sneaky@streamco.example"},
                                {"name", "Sneaky"},
                                {"role", "partner_admin"},
                                {"password", "a long enough password"}});
  EXPECT_EQ(user.status, 403) << user;
  Reply another = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", key,
                              Json{{"name", "child"}, {"scopes", {"activations:read"}}});
  EXPECT_EQ(another.status, 403) << another;
  Reply promote = http().Patch("/api/v1/users/" + demo().User(demo::kSofia), key,
                               Json{{"role", "partner_admin"}});
  EXPECT_EQ(promote.status, 403) << promote;
  EXPECT_EQ(server_.AuditCount(), audit_before);
}

TEST_F(Auth, ApiKeyScopesAreValidated) {
  Reply bad = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                          Json{{"name", "x"}, {"scopes", {"activations:read", "admin"}}});
  EXPECT_EQ(bad.status, 422) << bad;
  EXPECT_EQ(bad.ErrorCode(), "invalid_enum");
  EXPECT_EQ(bad.ErrorField(), "scopes[1]");
}

TEST_F(Auth, UsersCannotChangeTheirOwnRole) {
  Reply self = http().Patch("/api/v1/users/" + demo().User(demo::kSam), token(demo::kSam),
                            Json{{"role", "owner"}});
  EXPECT_EQ(self.status, 403) << self;
}

}  // namespace
}  // namespace tutti::testing
