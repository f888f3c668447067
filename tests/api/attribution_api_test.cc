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
  EXPECT_EQ(r.json["total"]["conversions"], 3.0);
  EXPECT_EQ(r.json["total"]["revenue"], 160.0);
  EXPECT_EQ(r.json["total"]["users"], 3);
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
  EXPECT_EQ(after.json["total"]["conversions"], 2.0);
  EXPECT_EQ(after.json["total"]["revenue"], 60.0);
  EXPECT_EQ(Credit(after, "linear", "search"), -1) << "only ana touched search: " << after;
  EXPECT_DOUBLE_EQ(Credit(before, "linear", "youtube") - Credit(after, "linear", "youtube"), 0.5);
}

// The contract for a feed with spend on its touchpoints: `revenue` read on conversions, `cost` on
// impressions and clicks.
Json ContractWithSpend() {
  return Json::parse(R"({"fields": [
      {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
      {"name": "user", "type": "string", "privacy": "pseudonymous", "role": "user_key"},
      {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
      {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"},
      {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"},
      {"name": "revenue", "type": "number", "privacy": "aggregate", "role": "value"},
      {"name": "cost", "type": "number", "privacy": "aggregate", "role": "value",
       "metric": "spend"}]})");
}

// Lumen's feed: dee clicks a Lumen tiktok post (cost 6) and converts for 30; eve sees a Lumen
// tiktok impression (cost 2) and never converts.
constexpr char kLumenEvents[] =
    "event_id,user,ts,type,channel,revenue,cost\n"
    "d1,dee,2026-05-03T08:00:00Z,click,tiktok,,6\n"
    "d2,dee,2026-05-03T09:00:00Z,conversion,,30,\n"
    "e1,eve,2026-05-03T08:00:00Z,impression,tiktok,,2\n";

TEST_F(AttributionApi, CpaAndRoasWhereSpendIsKnownAndSoloVersusCoBranded) {
  Reply put = http().Put("/api/v1/activations/" + demo().activation + "/contracts/lumen-events",
                         token(demo::kLeo), Json{{"contract", ContractWithSpend()}});
  ASSERT_EQ(put.status, 201) << put;
  Reply upload =
      http().SendRaw("POST", "/api/v1/feeds/lumen-events/events",
                     {{"Authorization", "Bearer " + token(demo::kLeo)}}, kLumenEvents, "text/csv");
  ASSERT_EQ(upload.status, 200) << upload;

  // Leo sees Lumen's own row with spend, CPA and ROAS.
  Reply own = Attribution("model=last&by=partner", demo::kLeo);
  ASSERT_EQ(own.status, 200) << own;
  const Json* lumen = nullptr;
  for (const Json& row : own.json["results"]["last"]) {
    if (row["key"] == "Lumen Creators") lumen = &row;
  }
  ASSERT_NE(lumen, nullptr) << own;
  EXPECT_EQ((*lumen)["own"], true);
  EXPECT_DOUBLE_EQ((*lumen)["spend"].get<double>(), 8.0) << "both touchpoints were paid for";
  EXPECT_DOUBLE_EQ((*lumen)["cpa"].get<double>(), 8.0);
  EXPECT_DOUBLE_EQ((*lumen)["roas"].get<double>(), 30.0 / 8.0);
  EXPECT_EQ(own.json["total"]["spend"], 8.0);

  // StreamCo's rows carry no spend: CPA and ROAS are unknown, not infinite.
  for (const Json& row : own.json["results"]["last"]) {
    if (row["key"] == "StreamCo") {
      EXPECT_EQ(row["spend"], 0.0) << row;
      EXPECT_TRUE(row["cpa"].is_null()) << row;
      EXPECT_TRUE(row["roas"].is_null()) << row;
    }
  }

  // Every path holds one partner: ana's and bob's StreamCo's, dee's and eve's Lumen's. Three
  // solo conversions, and eve's solo path that converted nowhere; cy's conversion is direct.
  const Json& mix = own.json["partner_mix"];
  ASSERT_EQ(mix.size(), 3u) << own;
  EXPECT_EQ(mix[0]["key"], "solo");
  EXPECT_EQ(mix[0]["conversions"], 3.0);
  EXPECT_EQ(mix[0]["journeys"], 4);
  EXPECT_EQ(mix[0]["revenue"], 180.0);
  EXPECT_EQ(mix[0]["spend"], 8.0);
  EXPECT_EQ(mix[1]["key"], "co_branded");
  EXPECT_EQ(mix[1]["conversions"], 0.0);
  EXPECT_EQ(mix[2]["key"], "direct");
  EXPECT_EQ(mix[2]["conversions"], 1.0);

  // Nina (Nova Sports) has no agreement sharing Lumen's spend with her.
  Reply other = Attribution("model=last&by=partner", demo::kNina);
  ASSERT_EQ(other.status, 200) << other;
  for (const Json& row : other.json["results"]["last"]) {
    if (row["key"] == "Lumen Creators") {
      EXPECT_EQ(row["own"], false);
      EXPECT_TRUE(row["spend"].is_null()) << "Lumen's spend is not shared with Nova: " << row;
      EXPECT_TRUE(row["cpa"].is_null()) << row;
      EXPECT_EQ(row["conversions"], 1.0) << "the credit itself is a shared aggregate";
    }
  }
  EXPECT_TRUE(other.json["partner_mix"][0]["spend"].is_null()) << other;
  // The host sees every partner's spend.
  Reply host = Attribution("model=last&by=partner", demo::kOlivia);
  EXPECT_EQ(host.json["total"]["spend"], 8.0) << host;
}

TEST(AttributionApiAnonymity, SmallSharedCellsAreSuppressedButOwnCellsAreNot) {
  TestServerOptions options;
  options.min_aggregate_users = 2;
  TestServer server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string activation = server.demo().activation;
  auto put = [&](const char* email, const std::string& feed) {
    Reply r = server.client().Put("/api/v1/activations/" + activation + "/contracts/" + feed,
                                  server.Token(email), Json{{"contract", ContractWithSpend()}});
    ASSERT_EQ(r.status, 201) << r;
  };
  auto upload = [&](const char* email, const std::string& feed, const std::string& csv) {
    Reply r =
        server.client().SendRaw("POST", "/api/v1/feeds/" + feed + "/events",
                                {{"Authorization", "Bearer " + server.Token(email)}},
                                "event_id,user,ts,type,channel,revenue,cost\n" + csv, "text/csv");
    ASSERT_EQ(r.status, 200) << r;
  };
  put(demo::kSam, "streamco-events");
  put(demo::kLeo, "lumen-events");
  // StreamCo: three users convert after a youtube click. Lumen: one user after a tiktok click.
  upload(
      demo::kSam, "streamco-events",
      "s1,u1,2026-05-03T08:00:00Z,click,youtube,,1\ns2,u1,2026-05-03T09:00:00Z,conversion,,10,\n"
      "s3,u2,2026-05-03T08:00:00Z,click,youtube,,1\ns4,u2,2026-05-03T09:00:00Z,conversion,,10,\n"
      "s5,u3,2026-05-03T08:00:00Z,click,youtube,,1\ns6,u3,2026-05-03T09:00:00Z,conversion,,10,\n");
  upload(
      demo::kLeo, "lumen-events",
      "l1,u4,2026-05-03T08:00:00Z,click,tiktok,,5\nl2,u4,2026-05-03T09:00:00Z,conversion,,99,\n");
  auto row_of = [](const Reply& r, const std::string& key) {
    for (const Json& row : r.json["results"]["last"]) {
      if (row["key"] == key) return row;
    }
    return Json();
  };
  auto get = [&](const char* email, const char* by) {
    return server.client().Get(
        "/api/v1/activations/" + activation + "/attribution?model=last&by=" + by,
        server.Token(email));
  };

  // Leo sees his own single-user cell, and StreamCo's three-user cell.
  Reply leo = get(demo::kLeo, "partner");
  ASSERT_EQ(leo.status, 200) << leo;
  EXPECT_EQ(row_of(leo, "Lumen Creators")["conversions"], 1.0) << leo;
  EXPECT_EQ(row_of(leo, "StreamCo")["conversions"], 3.0) << leo;
  EXPECT_EQ(row_of(leo, "StreamCo")["users"], 3) << leo;

  // Sam sees StreamCo's cell, but Lumen's one user is suppressed. No other shared cell can go
  // with it (StreamCo's is Sam's own), so the total goes instead: total − own = Lumen's.
  Reply sam = get(demo::kSam, "partner");
  ASSERT_EQ(sam.status, 200) << sam;
  EXPECT_EQ(row_of(sam, "StreamCo")["conversions"], 3.0) << sam;
  EXPECT_EQ(row_of(sam, "Lumen Creators")["suppressed"], true) << sam;
  EXPECT_FALSE(row_of(sam, "Lumen Creators").contains("conversions")) << sam;
  EXPECT_FALSE(row_of(sam, "Lumen Creators").contains("users")) << "the count reveals as much";
  EXPECT_EQ(sam.json["total"]["suppressed"], true) << sam;

  // Nina owns nothing here: tiktok (one user) is suppressed, and youtube with it, or tiktok
  // would be the total minus youtube.
  Reply nina = get(demo::kNina, "channel");
  ASSERT_EQ(nina.status, 200) << nina;
  EXPECT_EQ(row_of(nina, "tiktok")["suppressed"], true) << nina;
  EXPECT_EQ(row_of(nina, "youtube")["suppressed"], true) << nina;
  EXPECT_EQ(nina.json["total"]["conversions"], 4.0) << nina;
  EXPECT_EQ(nina.json["min_aggregate_users"], 2);
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
