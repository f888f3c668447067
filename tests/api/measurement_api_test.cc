// Measurement through the API (issue 4, C5/C6): data contracts per partner feed and who may set
// them, delivery status and late feeds, event uploads with an organisation's API key (CSV and
// gzip NDJSON, per-record errors, once-only events, Idempotency-Key, Sec-GPC), consent and
// erasure, each refused to those without the right and leaving nothing behind when refused.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

// Event uploads read as streams: a server that reads at most 4 KiB of an upload ahead and
// accepts uploads up to 256 KiB, so that modest bodies exercise what a 10 GB one would.
class StreamedUploads : public ::testing::Test {
 protected:
  static constexpr size_t kReadAheadBytes = 4 << 10;
  static constexpr uint64_t kMaxIngestBytes = 256 << 10;
  static constexpr char kPath[] = "/api/v1/feeds/streamco-events/events";

  StreamedUploads() : server_(Options()) {}
  static TestServerOptions Options() {
    TestServerOptions options;
    options.max_upload_bytes = kReadAheadBytes;
    options.max_ingest_bytes = kMaxIngestBytes;
    return options;
  }
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    Reply key = server_.client().Post("/api/v1/orgs/" + server_.demo().streamco + "/api-keys",
                                      server_.Token(demo::kSam),
                                      Json{{"name", "collector"}, {"scopes", {"events:write"}}});
    ASSERT_EQ(key.status, 201) << key;
    events_key_ = key.json["token"];
    Reply contract = server_.client().Put(
        "/api/v1/activations/" + server_.demo().activation + "/contracts/streamco-events",
        server_.Token(demo::kSam), Json{{"contract", Contract()}});
    ASSERT_EQ(contract.status, 201) << contract;
  }

  // `count` events from s<100000 + first> on, 60 bytes a row.
  static std::string EventRows(int first, int count) {
    std::string rows;
    for (int i = first; i < first + count; ++i) {
      rows += "s" + std::to_string(100000 + i) + ",u" + std::to_string(100 + i % 50) +
              "@example.com,2026-05-04T08:00:00Z,click,search,\n";
    }
    return rows;
  }
  static std::string EventsCsv(int first, int count) {
    return "event_id,email,ts,type,channel,revenue\n" + EventRows(first, count);
  }

  Reply Upload(const std::string& body, const std::string& type = "text/csv",
               httplib::Headers headers = {}) {
    headers.emplace("Authorization", "Bearer " + events_key_);
    return server_.client().SendRaw("POST", kPath, headers, body, type);
  }
  // The body in chunked transfer encoding, 1 000 bytes a chunk.
  Reply UploadChunked(const std::string& body, const std::string& type = "text/csv") {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_read_timeout(std::chrono::seconds(30));
    httplib::Result result = client.Post(
        kPath, {{"Authorization", "Bearer " + events_key_}},
        [&body](size_t offset, httplib::DataSink& sink) {
          size_t n = std::min<size_t>(1000, body.size() - offset);
          if (n > 0 && !sink.write(body.data() + offset, n)) return false;
          if (offset + n == body.size()) sink.done();
          return true;
        },
        type);
    Reply reply;
    if (!result) {
      reply.transport_error = httplib::to_string(result.error());
      return reply;
    }
    reply.status = result->status;
    reply.body = result->body;
    reply.json = Json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    return reply;
  }
  size_t StoredEvents() {
    size_t count = 0;
    Status read = server_.store().ForEachEvent(server_.demo().activation, {},
                                               [&count](const storage::EventRow&) { ++count; });
    EXPECT_TRUE(read.ok()) << read.ToString();
    return count;
  }
  Json Delivery() {
    Reply list =
        server_.client().Get("/api/v1/activations/" + server_.demo().activation + "/contracts",
                             server_.Token(demo::kSam));
    return list.json["items"][0]["delivery"];
  }

  TestServer server_;
  std::string events_key_;
};

TEST_F(StreamedUploads, AnUploadLargerThanTheReadAheadStreamsIntoOneBatch) {
  // 3 000 new events then the first 100 again: 186 KB, 45 times the read-ahead.
  const std::string body = EventsCsv(0, 3000) + EventRows(0, 100);
  ASSERT_GT(body.size(), 40 * kReadAheadBytes);
  Reply first = Upload(body);
  ASSERT_EQ(first.status, 200) << first;
  EXPECT_EQ(first.json["records"], 3100);
  EXPECT_EQ(first.json["stored"], 3000);
  EXPECT_EQ(first.json["duplicates"], 100);
  EXPECT_EQ(first.json["rejected"], 0);
  EXPECT_EQ(StoredEvents(), 3000u);

  // Idempotency-Key replays compare the whole streamed body, its end included.
  const std::string more = EventsCsv(3000, 3000);
  Reply keyed = Upload(more, "text/csv", {{"Idempotency-Key", "big-1"}});
  ASSERT_EQ(keyed.status, 200) << keyed;
  EXPECT_EQ(keyed.json["stored"], 3000);
  Reply replay = Upload(more, "text/csv", {{"Idempotency-Key", "big-1"}});
  ASSERT_EQ(replay.status, 200) << replay;
  EXPECT_EQ(replay.json["replayed"], true);
  EXPECT_EQ(replay.json["batch_id"], keyed.json["batch_id"]);
  Reply reused = Upload(more + EventRows(9000, 1), "text/csv", {{"Idempotency-Key", "big-1"}});
  EXPECT_EQ(reused.status, 409) << reused;
  EXPECT_EQ(reused.ErrorCode(), "idempotency_key_reused") << reused;
  EXPECT_EQ(StoredEvents(), 6000u);
}

TEST_F(StreamedUploads, AChunkedUploadStreams) {
  Reply reply = UploadChunked(EventsCsv(0, 3000));
  ASSERT_EQ(reply.status, 200) << reply << reply.transport_error;
  EXPECT_EQ(reply.json["records"], 3000);
  EXPECT_EQ(reply.json["stored"], 3000);
  EXPECT_EQ(StoredEvents(), 3000u);
}

TEST_F(StreamedUploads, GzipUploadsInflateAsTheyStream) {
  std::string ndjson;
  for (int i = 0; i < 3000; ++i) {
    ndjson += "{\"event_id\": \"n" + std::to_string(i) + "\", \"email\": \"u" +
              std::to_string(i % 50) +
              "@example.com\", \"ts\": \"2026-05-04T10:00:00Z\", \"type\": \"click\", "
              "\"channel\": \"tiktok\"}\n";
  }
  const std::string file = Gzip(ndjson);
  ASSERT_GT(file.size(), kReadAheadBytes);
  Reply zipped = Upload(file, "application/x-ndjson");
  ASSERT_EQ(zipped.status, 200) << zipped;
  EXPECT_EQ(zipped.json["stored"], 3000);

  // The same kind of body sent with Content-Encoding: gzip is inflated by the transport.
  Reply encoded = Upload(Gzip(EventsCsv(0, 3000)), "text/csv", {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(encoded.status, 200) << encoded;
  EXPECT_EQ(encoded.json["stored"], 3000);
  EXPECT_EQ(StoredEvents(), 6000u);
}

TEST_F(StreamedUploads, AnUploadOverTheIngestBoundIs413AndStoresNothing) {
  // 6 000 rows: 360 KB, over the 256 KiB bound; the first 4 000 would fit.
  const std::string body = EventsCsv(0, 6000);
  ASSERT_GT(body.size(), kMaxIngestBytes);
  const int64_t audit_before = server_.AuditCount();

  Reply declared = Upload(body);  // Content-Length says so before any byte is read
  EXPECT_EQ(declared.status, 413) << declared;
  EXPECT_TRUE(declared.HasErrorEnvelope()) << declared;
  EXPECT_EQ(declared.ErrorCode(), "payload_too_large") << declared;

  Reply chunked = UploadChunked(body);  // found out while streaming, inside the batch
  EXPECT_EQ(chunked.status, 413) << chunked << chunked.transport_error;
  EXPECT_TRUE(chunked.HasErrorEnvelope()) << chunked;
  EXPECT_EQ(chunked.ErrorCode(), "payload_too_large") << chunked;

  EXPECT_EQ(StoredEvents(), 0u);
  EXPECT_EQ(server_.AuditCount(), audit_before) << "no batch was recorded";
  EXPECT_EQ(Delivery()["state"], "awaiting_first_delivery");
  Reply fits = Upload(EventsCsv(0, 10));
  EXPECT_EQ(fits.json["stored"], 10) << fits;
}

TEST_F(StreamedUploads, AnUploadWhoseFramingBreaksMidwayStoresNothing) {
  // 100 KB of good rows in chunks, then a chunk header that is not hexadecimal: the batch had
  // begun (the read-ahead is 4 KiB) and must roll back. (A client that half-closes its side
  // gets no answer from cpp-httplib, so a broken frame stands for a cut-off upload here.)
  const std::string rows = EventsCsv(0, 3000).substr(0, 100000);
  std::string request = std::string("POST ") + kPath +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + events_key_ +
                        "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t offset = 0; offset < rows.size(); offset += 10000) {
    std::string chunk = rows.substr(offset, 10000);
    char size[16];
    std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
    request += size + chunk + "\r\n";
  }
  request += "zz\r\n";
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;) {
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"incomplete_body\""), std::string::npos) << answer;
  EXPECT_EQ(StoredEvents(), 0u) << "the rows that arrived were rolled back with the batch";
  EXPECT_EQ(Delivery()["state"], "awaiting_first_delivery");
}

}  // namespace
}  // namespace tutti::testing
