// Attribution through the API (issue 4, C7): events uploaded by a partner, read back without
// opted-out keys, credited by several models side by side. End to end: contract, upload, consent,
// attribution.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

// Ana: search click, then youtube impression, then a 100 conversion. Bob: youtube click, then a
// 50 conversion. Cy: a conversion of 10 without any touch (direct).
constexpr char kEvents[] =
    "event_id,email,ts,type,channel,revenue\n"
    "a1,ana@example.com,2026-05-03T08:00:00Z,click,search,\n"
    "a2,ana@example.com,2026-05-03T20:00:00Z,impression,youtube,\n"
    "a3,ana@example.com,2026-05-04T08:00:00Z,conversion,,100\n"
    "b1,bob@example.com,2026-05-03T09:00:00Z,click,youtube,\n"
    "b2,bob@example.com,2026-05-04T09:00:00Z,conversion,,50\n"
    "c1,cy@example.com,2026-05-04T10:00:00Z,conversion,,10\n";

class AttributionApi : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    Json contract = Json::parse(R"({"fields": [
        {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
        {"name": "email", "type": "string", "privacy": "raw_identifier", "identifier": "email",
         "role": "user_key"},
        {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
        {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"},
        {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"},
        {"name": "revenue", "type": "number", "privacy": "aggregate", "role": "value"}]})");
    Reply put =
        http().Put("/api/v1/activations/" + demo().activation + "/contracts/streamco-events",
                   token(demo::kSam), Json{{"contract", contract}});
    ASSERT_EQ(put.status, 201) << put;
    Reply upload =
        http().SendRaw("POST", "/api/v1/feeds/streamco-events/events",
                       {{"Authorization", "Bearer " + token(demo::kSam)}}, kEvents, "text/csv");
    ASSERT_EQ(upload.status, 200) << upload;
    ASSERT_EQ(upload.json["stored"], 6) << upload;
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }
  Reply Attribution(const std::string& query, const std::string& who = demo::kNina) {
    return http().Get("/api/v1/activations/" + demo().activation + "/attribution?" + query,
                      token(who));
  }
  static double Credit(const Reply& r, const std::string& model, const std::string& key,
                       const char* what = "conversions") {
    for (const Json& row : r.json["results"][model]) {
      if (row["key"] == key) return row[what].get<double>();
    }
    return -1;
  }

  TestServer server_;
};

TEST_F(AttributionApi, ModelsSideBySideOnUploadedEvents) {
  Reply r = Attribution("model=first,last,linear&by=channel");
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.json["conversions"], 3.0);
  EXPECT_EQ(r.json["revenue"], 160.0);
  EXPECT_DOUBLE_EQ(Credit(r, "first", "search"), 1.0);
  EXPECT_DOUBLE_EQ(Credit(r, "first", "youtube"), 1.0);
  EXPECT_DOUBLE_EQ(Credit(r, "first", "(direct)"), 1.0);
  EXPECT_DOUBLE_EQ(Credit(r, "last", "youtube"), 2.0);
  EXPECT_DOUBLE_EQ(Credit(r, "last", "search"), 0.0);
  EXPECT_DOUBLE_EQ(Credit(r, "linear", "search"), 0.5);
  EXPECT_DOUBLE_EQ(Credit(r, "linear", "youtube"), 1.5);
  EXPECT_DOUBLE_EQ(Credit(r, "linear", "youtube", "revenue"), 100.0);  // 50 of ana's + bob's 50
  EXPECT_DOUBLE_EQ(Credit(r, "linear", "(direct)", "revenue"), 10.0);

  Reply by_partner = Attribution("model=last&by=partner");
  ASSERT_EQ(by_partner.status, 200) << by_partner;
  EXPECT_DOUBLE_EQ(Credit(by_partner, "last", "StreamCo"), 2.0) << by_partner;
}

TEST_F(AttributionApi, LookbackWindowsApply) {
  // Ana's impression is 12 h before her conversion: inside the default 1 d view window, outside 6
  // h.
  Reply narrow = Attribution("model=last&view_lookback=6h");
  ASSERT_EQ(narrow.status, 200) << narrow;
  EXPECT_DOUBLE_EQ(Credit(narrow, "last", "search"), 1.0) << narrow;
  EXPECT_DOUBLE_EQ(Credit(narrow, "last", "youtube"), 1.0) << narrow;
}

TEST_F(AttributionApi, AnOptedOutUserChangesExactlyTheirOwnConversions) {
  Reply before = Attribution("model=linear");
  Reply optout = http().Post(
      "/api/v1/consents", token(demo::kSam),
      Json{{"email", "ana@example.com"}, {"purpose", "measurement"}, {"granted", false}});
  ASSERT_EQ(optout.status, 200) << optout;
  Reply after = Attribution("model=linear");
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.json["conversions"], 2.0);
  EXPECT_EQ(after.json["revenue"], 60.0);
  EXPECT_EQ(Credit(after, "linear", "search"), -1) << "only ana touched search: " << after;
  EXPECT_DOUBLE_EQ(Credit(before, "linear", "youtube") - Credit(after, "linear", "youtube"), 0.5);
}

TEST_F(AttributionApi, BadParametersAndOutsidersAreRefused) {
  EXPECT_EQ(Attribution("model=magic").ErrorField(), "model");
  EXPECT_EQ(Attribution("model=last&by=country").ErrorField(), "by");
  EXPECT_EQ(Attribution("model=last&view_lookback=soon").ErrorField(), "view_lookback");
  EXPECT_EQ(Attribution("model=markov&order=9").ErrorField(), "order");
  EXPECT_EQ(Attribution("model=last&half_life=0d").ErrorField(), "half_life");
  EXPECT_EQ(Attribution("model=last", demo::kUna).status, 404);
}

}  // namespace
}  // namespace tutti::testing
