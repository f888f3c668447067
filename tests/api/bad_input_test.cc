// Bad input gets the error envelope {"error":{"code","message","field"}} with the right status and
// the field at fault, and changes nothing: after every rejected request the activation reads back
// identical and the audit chain has not grown. Each test owns a fresh demo server.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    owner_ = server_.Token(demo::kOlivia);
    activation_path_ = "/api/v1/activations/" + server_.demo().activation;
    before_ = Snapshot();
  }

  struct State {
    Json activation;
    Json partners;
    int64_t audit_entries = 0;
    size_t activations = 0;
  };

  State Snapshot() {
    State s;
    s.activation = server_.client().Get(activation_path_, owner_).json;
    s.partners = server_.client().Get(activation_path_ + "/partners", owner_).json;
    s.audit_entries = server_.AuditCount();
    s.activations = server_.client().Get("/api/v1/activations", owner_).json["items"].size();
    return s;
  }

  // The reply is the envelope with this status, code and field, and nothing changed.
  void ExpectRejected(const Reply& reply, int status, const std::string& code,
                      const std::string& field) {
    EXPECT_EQ(reply.status, status) << reply;
    EXPECT_TRUE(reply.HasErrorEnvelope()) << reply;
    EXPECT_EQ(reply.ErrorCode(), code) << reply;
    EXPECT_EQ(reply.ErrorField(), field) << reply;
    State after = Snapshot();
    EXPECT_EQ(after.activation, before_.activation) << "the activation changed";
    EXPECT_EQ(after.partners, before_.partners) << "the partners changed";
    EXPECT_EQ(after.audit_entries, before_.audit_entries) << "the audit chain grew";
    EXPECT_EQ(after.activations, before_.activations) << "an activation was created";
  }

  Reply PatchBrief(const Json& body) {
    return server_.client().Patch(activation_path_, owner_, body);
  }
  Reply PatchBriefRaw(const std::string& body, const std::string& type = "application/json") {
    return server_.client().SendRaw("PATCH", activation_path_,
                                    {{"Authorization", "Bearer " + owner_}}, body, type);
  }
  Reply Create(const Json& body) {
    return server_.client().Post("/api/v1/activations", owner_, body);
  }

  TestServer server_;
  std::string owner_;
  std::string activation_path_;
  State before_;
};

TEST_F(BadInput, MalformedJsonIs400) {
  ExpectRejected(PatchBriefRaw(R"({"name": "Summer",)"), 400, "malformed_json", "");
  ExpectRejected(server_.client().SendRaw("POST", "/api/v1/activations",
                                          {{"Authorization", "Bearer " + owner_}}, "{name: 1}",
                                          "application/json"),
                 400, "malformed_json", "");
}

TEST_F(BadInput, EmptyBodyIs400) { ExpectRejected(PatchBriefRaw(""), 400, "malformed_json", ""); }

TEST_F(BadInput, NonObjectBodyIs422) {
  ExpectRejected(PatchBriefRaw(R"([{"name": "Summer"}])"), 422, "invalid_type", "");
  ExpectRejected(PatchBriefRaw("42"), 422, "invalid_type", "");
}

TEST_F(BadInput, WrongTypeNamesTheField) {
  ExpectRejected(PatchBrief(Json{{"name", 5}}), 422, "invalid_type", "name");
  ExpectRejected(Create(Json{{"name", "Ok"}, {"objective", true}}), 422, "invalid_type",
                 "objective");
  ExpectRejected(PatchBrief(Json{{"markets", Json{{"name", "US"}}}}), 422, "invalid_type",
                 "markets");
}

TEST_F(BadInput, UnknownFieldIsRejectedWithItsName) {
  ExpectRejected(PatchBrief(Json{{"name", "Ok"}, {"host_org_id", "org_x"}}), 422, "unknown_field",
                 "host_org_id");
  ExpectRejected(PatchBrief(Json{{"primary_metric", {{"name", "Leads"}, {"weight", 2}}}}), 422,
                 "unknown_field", "primary_metric.weight");
}

TEST_F(BadInput, OverLongNameIsTooLong) {
  ExpectRejected(PatchBrief(Json{{"name", std::string(201, 'x')}}), 422, "too_long", "name");
  ExpectRejected(Create(Json{{"name", std::string(201, 'x')}, {"objective", "visibility"}}), 422,
                 "too_long", "name");
  // 200 bytes is the limit, counted in bytes not characters: 67 × "é€" is 335 bytes.
  std::string multibyte;
  for (int i = 0; i < 67; ++i) multibyte += "\xc3\xa9\xe2\x82\xac";
  ExpectRejected(PatchBrief(Json{{"name", multibyte}}), 422, "too_long", "name");
}

TEST_F(BadInput, ControlCharactersAreRejected) {
  ExpectRejected(PatchBrief(Json{{"name", std::string("Sum\x01mer")}}), 422, "invalid_characters",
                 "name");
}

TEST_F(BadInput, InvalidEnumNamesTheField) {
  ExpectRejected(Create(Json{{"name", "Fame"}, {"objective", "fame"}}), 422, "invalid_enum",
                 "objective");
  ExpectRejected(PatchBrief(Json{{"objective", "Visibility"}}), 422, "invalid_enum", "objective");
  ExpectRejected(PatchBrief(Json{{"status", "archived"}}), 422, "invalid_enum", "status");
}

TEST_F(BadInput, MissingRequiredFieldOnCreate) {
  ExpectRejected(Create(Json{{"name", "No objective"}}), 422, "required", "objective");
}

TEST_F(BadInput, InvalidTimeZoneNamesTheMarket) {
  ExpectRejected(PatchBrief(Json{{"markets", {{{"name", "US"}, {"tz", "Mars/Olympus_Mons"}}}}}),
                 422, "invalid_time_zone", "markets[0].tz");
  ExpectRejected(PatchBrief(Json{{"markets",
                                  {{{"name", "US"}, {"tz", "America/New_York"}},
                                   {{"name", "EU"}, {"tz", "CET+1"}}}}}),
                 422, "invalid_time_zone", "markets[1].tz");
}

TEST_F(BadInput, DuplicateMarketNames) {
  ExpectRejected(PatchBrief(Json{{"markets",
                                  {{{"name", "GB"}, {"tz", "Europe/London"}},
                                   {{"name", "GB"}, {"tz", "Europe/Dublin"}}}}}),
                 422, "duplicate", "markets[1].name");
}

TEST_F(BadInput, NegativeBudget) {
  ExpectRejected(PatchBrief(Json{{"budget", {{"amount_micros", -1}, {"currency", "EUR"}}}}), 422,
                 "out_of_range", "budget.amount_micros");
  ExpectRejected(PatchBrief(Json{{"budget", {{"amount_micros", 1.5}, {"currency", "EUR"}}}}), 422,
                 "invalid_type", "budget.amount_micros");
}

TEST_F(BadInput, LowerCaseCurrency) {
  ExpectRejected(PatchBrief(Json{{"budget", {{"amount_micros", 1000}, {"currency", "eur"}}}}), 422,
                 "invalid_currency", "budget.currency");
  ExpectRejected(PatchBrief(Json{{"budget", {{"amount_micros", 1000}, {"currency", "EURO"}}}}), 422,
                 "too_long", "budget.currency");
}

TEST_F(BadInput, HugeBodyIs413WithTheEnvelope) {
  std::string huge = R"({"description": ")" + std::string((1 << 20) + 16, 'a') + R"("})";
  Reply reply = PatchBriefRaw(huge);
  ExpectRejected(reply, 413, "payload_too_large", "");
}

TEST_F(BadInput, NonJsonContentTypeIsRefused) {
  ExpectRejected(PatchBriefRaw(R"({"name": "Plain"})", "text/plain"), 415, "unsupported_media_type",
                 "Content-Type");
  ExpectRejected(PatchBriefRaw("name=Form", "application/x-www-form-urlencoded"), 415,
                 "unsupported_media_type", "Content-Type");
}

TEST_F(BadInput, StaleVersionIsAConflict) {
  int64_t version = before_.activation["version"];
  Reply ok = PatchBrief(Json{{"description", "first edit"}, {"version", version}});
  ASSERT_EQ(ok.status, 200) << ok;
  EXPECT_EQ(ok.json["version"], version + 1);
  before_ = Snapshot();
  ExpectRejected(PatchBrief(Json{{"description", "lost update"}, {"version", version}}), 409,
                 "conflict", "version");
  ExpectRejected(
      server_.client().Send("PATCH", activation_path_, owner_, Json{{"description", "lost update"}},
                            {{"If-Match", "\"" + std::to_string(version) + "\""}}),
      409, "conflict", "version");
  ExpectRejected(PatchBrief(Json{{"description", "x"}, {"version", "2"}}), 422, "invalid_type",
                 "version");
}

TEST_F(BadInput, AddingTheSamePartnerTwiceIsAConflict) {
  ExpectRejected(server_.client().Post(activation_path_ + "/partners", owner_,
                                       Json{{"org_id", server_.demo().streamco}, {"role", "data"}}),
                 409, "already_exists", "org_id");
}

TEST_F(BadInput, PartnerMustBeAPartnerOrganisation) {
  ExpectRejected(server_.client().Post(activation_path_ + "/partners", owner_,
                                       Json{{"org_id", server_.demo().host_org}, {"role", "data"}}),
                 422, "not_a_partner", "org_id");
  ExpectRejected(
      server_.client().Post(activation_path_ + "/partners", owner_,
                            Json{{"org_id", "org_aaaaaaaaaaaaaaaaaaaa"}, {"role", "data"}}),
      404, "not_found", "org_id");
  ExpectRejected(server_.client().Post(activation_path_ + "/partners", owner_,
                                       Json{{"org_id", server_.demo().orbit}, {"role", "sponsor"}}),
                 422, "invalid_enum", "role");
}

TEST_F(BadInput, InvalidAgreementNamesTheNestedField) {
  ExpectRejected(
      server_.client().Put(activation_path_ + "/partners/" + server_.demo().streamco + "/agreement",
                           owner_,
                           Json{{"content_ownership", "host"},
                                {"approval_turnaround_hours", 24},
                                {"escalation_path",
                                 {{{"after_hours", 24}, {"contact", "A"}},
                                  {{"after_hours", 12}, {"contact", "B"}}}}}),
      422, "not_increasing", "escalation_path[1].after_hours");
  ExpectRejected(server_.client().Post(
                     activation_path_ + "/partners", owner_,
                     Json{{"org_id", server_.demo().orbit},
                          {"role", "media"},
                          {"agreement",
                           {{"content_ownership", "nobody"}, {"approval_turnaround_hours", 24}}}}),
                 422, "invalid_enum", "agreement.content_ownership");
}

TEST_F(BadInput, UnknownApiRouteIs404Envelope) {
  ExpectRejected(server_.client().Get("/api/v1/nothing-here", owner_), 404, "not_found", "");
  ExpectRejected(server_.client().Get("/api/v2/activations", owner_), 404, "not_found", "");
}

TEST_F(BadInput, UnknownAuditQueryIsRejected) {
  ExpectRejected(server_.client().Get("/api/v1/audit", owner_), 422, "required", "entity_type");
  ExpectRejected(server_.client().Get("/api/v1/audit?entity_type=activation", owner_), 422,
                 "required", "entity_id");
  ExpectRejected(
      server_.client().Get(
          "/api/v1/audit?activation_id=" + server_.demo().activation + "&after_seq=-3", owner_),
      422, "invalid_type", "after_seq");
}

TEST_F(BadInput, ShortPasswordForNewUser) {
  ExpectRejected(server_.client().Post("/api/v1/orgs/" + server_.demo().host_org + "/users", owner_,
                                       Json{{"email", "new@acme.example"},
                                            {"name", "New"},
                                            {"role", "viewer"},
                                            {"password", "short"}}),
                 422, "too_short", "password");
  ExpectRejected(server_.client().Post("/api/v1/orgs/" + server_.demo().host_org + "/users", owner_,
                                       Json{{"email", "not-an-email"},
                                            {"name", "New"},
                                            {"role", "viewer"},
                                            {"password", "long enough password"}}),
                 422, "invalid_email", "email");
}

}  // namespace
}  // namespace tutti::testing
