// Measurement through the API (issue 4, C5/C6): data contracts per partner feed and who may set
// them, delivery status and late feeds, event uploads with an organisation's API key (CSV and
// gzip NDJSON, per-record errors, once-only events, Idempotency-Key, Sec-GPC), consent and
// erasure, each refused to those without the right and leaving nothing behind when refused.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <string>

#include "support/test_server.h"
#include "tutti/ingest/contract.h"

namespace tutti::testing {
namespace {

Json Contract() {
  return Json::parse(R"({"cadence": "24h", "max_delay": "6h", "fields": [
      {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
      {"name": "email", "type": "string", "privacy": "raw_identifier", "identifier": "email",
       "role": "user_key"},
      {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
      {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"},
      {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"},
      {"name": "revenue", "type": "number", "privacy": "aggregate", "role": "value"}]})");
}

constexpr char kCsv[] =
    "event_id,email,ts,type,channel,revenue\n"
    "e1,ana@example.com,2026-05-04T08:00:00Z,click,search,\n"
    "e2,ana@example.com,2026-05-04T09:00:00Z,conversion,,49.9\n"
    "e3,bob@example.com,not-a-time,click,search,\n";

std::string Gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class MeasurementApi : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    Reply key = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                            Json{{"name", "collector"}, {"scopes", {"events:write"}}});
    ASSERT_EQ(key.status, 201) << key;
    events_key_ = key.json["token"];
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }
  std::string ContractsPath() { return "/api/v1/activations/" + demo().activation + "/contracts"; }
  Reply PutContract(const std::string& who, Json body = Json{{"contract", Contract()}}) {
    return http().Put(ContractsPath() + "/streamco-events", token(who), body);
  }
  Reply Upload(const std::string& body, const std::string& type = "text/csv",
               httplib::Headers headers = {}, const std::string& credential = "") {
    headers.emplace("Authorization", "Bearer " + (credential.empty() ? events_key_ : credential));
    return http().SendRaw("POST", "/api/v1/feeds/streamco-events/events", headers, body, type);
  }

  TestServer server_;
  std::string events_key_;
};

TEST_F(MeasurementApi, APartnerSetsItsFeedsContractAndOthersCannot) {
  int64_t entries = server_.AuditCount();
  EXPECT_EQ(
      PutContract(demo::kNina, Json{{"org_id", demo().streamco}, {"contract", Contract()}}).status,
      403)
      << "another partner cannot set StreamCo's contract";
  EXPECT_EQ(PutContract(demo::kSofia).status, 403) << "contributors do not set contracts";
  EXPECT_EQ(PutContract(demo::kVictor).status, 403);
  EXPECT_EQ(PutContract(demo::kUna).status, 404);
  EXPECT_EQ(server_.AuditCount(), entries);

  Reply created = PutContract(demo::kSam);
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(created.json["org_id"], demo().streamco);
  EXPECT_EQ(created.json["contract"]["feed"], "streamco-events");
  EXPECT_EQ(created.json["delivery"]["state"], "awaiting_first_delivery");
  Json changed = Contract();
  changed["cadence"] = "12h";
  Reply by_host =
      PutContract(demo::kFelix, Json{{"org_id", demo().streamco}, {"contract", changed}});
  ASSERT_EQ(by_host.status, 200) << by_host;
  EXPECT_EQ(by_host.json["version"], 2);

  Json bad = Contract();
  bad["fields"][2]["type"] = "date";
  Reply invalid = PutContract(demo::kSam, Json{{"contract", bad}});
  EXPECT_EQ(invalid.status, 422) << invalid;
  EXPECT_EQ(invalid.ErrorField(), "contract.fields[2].type") << invalid;

  Reply list = http().Get(ContractsPath(), token(demo::kNina));
  ASSERT_EQ(list.status, 200) << list;
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["contract"]["cadence"], "12h");
  EXPECT_EQ(http().Get(ContractsPath(), token(demo::kUna)).status, 404);
}

TEST_F(MeasurementApi, UploadsStoreGoodRecordsReportBadOnesAndNeverTwice) {
  ASSERT_EQ(PutContract(demo::kSam).status, 201);
  Reply first = Upload(kCsv);
  ASSERT_EQ(first.status, 200) << first;
  EXPECT_EQ(first.json["records"], 3);
  EXPECT_EQ(first.json["stored"], 2);
  EXPECT_EQ(first.json["rejected"], 1);
  ASSERT_EQ(first.json["errors"].size(), 1u);
  EXPECT_EQ(first.json["errors"][0]["line"], 4);
  EXPECT_EQ(first.json["errors"][0]["field"], "ts");
  EXPECT_EQ(first.json["errors"][0]["reason"], "invalid_instant");
  EXPECT_EQ(first.body.find("ana@example.com"), std::string::npos);

  Reply again = Upload(kCsv);
  EXPECT_EQ(again.json["stored"], 0) << again;
  EXPECT_EQ(again.json["duplicates"], 2) << again;

  std::string ndjson =
      "{\"event_id\": \"n1\", \"email\": \"cy@example.com\", \"ts\": \"2026-05-04T10:00:00Z\", "
      "\"type\": \"click\", \"channel\": \"tiktok\"}\n";
  Reply zipped = Upload(Gzip(ndjson), "application/x-ndjson");
  ASSERT_EQ(zipped.status, 200) << zipped;
  EXPECT_EQ(zipped.json["stored"], 1);

  Reply truncated = Upload(Gzip(ndjson).substr(0, 12), "application/x-ndjson");
  EXPECT_EQ(truncated.status, 422) << truncated;
  EXPECT_EQ(truncated.ErrorCode(), "corrupt_gzip") << truncated;

  EXPECT_EQ(Upload(kCsv, "application/json").status, 415);
  EXPECT_EQ(Upload("", "text/csv").status, 400);

  Reply contracts = http().Get(ContractsPath(), token(demo::kSam));
  EXPECT_EQ(contracts.json["items"][0]["delivery"]["state"], "on_time") << contracts;
}

TEST_F(MeasurementApi, AFeedThatMissesItsCadenceIsLate) {
  ASSERT_EQ(PutContract(demo::kSam).status, 201);
  server_.clock().Advance(std::chrono::hours(29));
  // Sessions expire meanwhile; the API key does not.
  Reply key = Upload(kCsv);
  ASSERT_EQ(key.status, 200) << key;
  server_.clock().Advance(std::chrono::hours(31));
  Reply list =
      http().SendRaw("GET", ContractsPath(), {{"Authorization", "Bearer " + events_key_}}, "", "");
  EXPECT_EQ(list.status, 404) << "an events:write key does not see activations";
  std::string admin = http().Login(demo::kSam, "tutti-demo-partner");
  Reply late = http().Get(ContractsPath(), admin);
  ASSERT_EQ(late.status, 200) << late;
  EXPECT_EQ(late.json["items"][0]["delivery"]["state"], "late") << late;
}

TEST_F(MeasurementApi, IdempotencyKeysReplayAndRefuseReuse) {
  ASSERT_EQ(PutContract(demo::kSam).status, 201);
  Reply first = Upload(kCsv, "text/csv", {{"Idempotency-Key", "batch-2026-05-04"}});
  ASSERT_EQ(first.status, 200) << first;
  Reply replay = Upload(kCsv, "text/csv", {{"Idempotency-Key", "batch-2026-05-04"}});
  ASSERT_EQ(replay.status, 200) << replay;
  EXPECT_EQ(replay.json["batch_id"], first.json["batch_id"]);
  EXPECT_EQ(replay.json["stored"], 2) << "the first answer, replayed";
  EXPECT_EQ(replay.json["replayed"], true);
  EXPECT_EQ(replay.Header("Idempotent-Replayed"), "true");
  Reply reused = Upload(std::string(kCsv) + "e9,x@example.com,2026-05-04T11:00:00Z,click,a,\n",
                        "text/csv", {{"Idempotency-Key", "batch-2026-05-04"}});
  EXPECT_EQ(reused.status, 409) << reused;
  EXPECT_EQ(reused.ErrorCode(), "idempotency_key_reused") << reused;
}

TEST_F(MeasurementApi, OnlyTheFeedsOwnOrganisationSendsEvents) {
  ASSERT_EQ(PutContract(demo::kSam).status, 201);
  Reply nova_key = http().Post("/api/v1/orgs/" + demo().nova + "/api-keys", token(demo::kNina),
                               Json{{"name", "n"}, {"scopes", {"events:write"}}});
  ASSERT_EQ(nova_key.status, 201);
  EXPECT_EQ(Upload(kCsv, "text/csv", {}, nova_key.json["token"]).status, 404);
  Reply read_key = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                               Json{{"name", "r"}, {"scopes", {"activations:read"}}});
  EXPECT_EQ(Upload(kCsv, "text/csv", {}, read_key.json["token"]).status, 403);
  EXPECT_EQ(Upload(kCsv, "text/csv", {}, token(demo::kSofia)).status, 200)
      << "the organisation's people may upload too";
}

TEST_F(MeasurementApi, GpcConsentAndErasure) {
  ASSERT_EQ(PutContract(demo::kSam).status, 201);
  ASSERT_EQ(Upload(kCsv, "text/csv", {{"Sec-GPC", "1"}}).status, 200);
  const std::string ana = ingest::PseudonymizeIdentifier(ingest::IdentifierKind::kEmail,
                                                         "ana@example.com", kIdentifierSecret);
  auto consents = server_.store().ListConsents(ana);
  ASSERT_TRUE(consents.ok());
  ASSERT_EQ(consents->size(), 1u);
  EXPECT_EQ((*consents)[0].purpose, "sharing");
  EXPECT_FALSE((*consents)[0].granted) << "Sec-GPC: 1 is an opt-out of sharing";
  EXPECT_EQ((*consents)[0].source, "gpc");

  EXPECT_EQ(
      http()
          .Post("/api/v1/consents", token(demo::kSofia),
                Json{{"email", "ana@example.com"}, {"purpose", "measurement"}, {"granted", false}})
          .status,
      403);
  Reply consent = http().Post("/api/v1/consents", events_key_,
                              Json{{"email", "ana@example.com"},
                                   {"purpose", "measurement"},
                                   {"region", "GB"},
                                   {"granted", false}});
  ASSERT_EQ(consent.status, 200) << consent;
  EXPECT_EQ(consent.json["user_key"], ana);
  EXPECT_EQ(http()
                .Post("/api/v1/consents", events_key_,
                      Json{{"user_key", ana},
                           {"email", "ana@example.com"},
                           {"purpose", "measurement"},
                           {"granted", false}})
                .ErrorField(),
            "user_key")
      << "exactly one of user_key and email";

  EXPECT_EQ(http().Post("/api/v1/erasures", events_key_, Json{{"user_key", ana}}).status, 403);
  EXPECT_EQ(http().Post("/api/v1/erasures", token(demo::kSofia), Json{{"user_key", ana}}).status,
            403);
  Reply erased =
      http().Post("/api/v1/erasures", token(demo::kSam), Json{{"email", "ana@example.com"}});
  ASSERT_EQ(erased.status, 200) << erased;
  EXPECT_EQ(erased.json["events_removed"], 2);
  Reply resent = Upload(kCsv);
  EXPECT_EQ(resent.json["erased"], 2) << resent;
  EXPECT_EQ(resent.json["stored"], 0) << resent;
}

}  // namespace
}  // namespace tutti::testing
