// Calendar subscriptions over HTTP (issue 3): a secret URL per user or per organisation that
// calendar clients poll without logging in. Checks what each feed contains (and, for a partner's
// organisation feed, what it must not), who may create, list and revoke feeds, that revoking or
// disabling ends the subscription, that the token is never stored or echoed again, that a
// change to the plan bumps SEQUENCE so clients replace their copies, and that a freeze shows on
// the posts it holds until it is lifted.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

class CalendarFeedApi : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }

  // Creates a feed as `who` and returns the creation reply (201 expected by callers).
  Reply Create(const std::string& who, const Json& body) {
    return http().Post("/api/v1/calendar-feeds", token(who), body);
  }
  // The feed's path (/feeds/tcf_….ics) from a creation reply.
  static std::string FeedPath(const Reply& created) {
    std::string url = created.json["url"];
    return url.substr(url.find("/feeds/"));
  }

  TestServer server_;
};

TEST_F(CalendarFeedApi, AUserFeedHoldsLaunchesMilestonesAndPostsInMarketTime) {
  Reply created = Create(demo::kSam, Json{{"kind", "user"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string secret = created.json["token"];
  EXPECT_TRUE(secret.starts_with("tcf_")) << created;
  EXPECT_TRUE(created.json["url"].get<std::string>().ends_with(secret + ".ics")) << created;
  EXPECT_TRUE(created.json["webcal_url"].get<std::string>().starts_with("webcal://")) << created;
  EXPECT_EQ(created.json["feed"]["kind"], "user");
  EXPECT_EQ(created.json["feed"]["user_id"], demo().User(demo::kSam));

  Reply feed = http().Get(FeedPath(created));  // no credential: the URL is the credential
  ASSERT_EQ(feed.status, 200) << feed;
  EXPECT_EQ(feed.Header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_NE(feed.Header("Cache-Control").find("private"), std::string::npos);
  const std::string& ics = feed.body;
  EXPECT_TRUE(ics.starts_with("BEGIN:VCALENDAR\r\n")) << ics;
  for (const char* zone : {"America/New_York", "Europe/London", "Asia/Tokyo"}) {
    EXPECT_NE(ics.find(std::string("TZID:") + zone + "\r\n"), std::string::npos) << zone;
  }
  // 09:00 in each market, written in that market's time.
  EXPECT_TRUE(std::regex_search(ics, std::regex("DTSTART;TZID=Asia/Tokyo:\\d{8}T090000")));
  EXPECT_TRUE(std::regex_search(ics, std::regex("DTSTART;TZID=America/New_York:\\d{8}T090000")));
  EXPECT_NE(ics.find("SUMMARY:Launch: Summer Splash 2026 (JP)"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:hero_film (Summer Splash 2026)"), std::string::npos);
  // A user feed shows the whole shared calendar, like the API does.
  EXPECT_NE(ics.find("Post sc-trailer-us"), std::string::npos);
  EXPECT_NE(ics.find("Post nova-kit-us"), std::string::npos);

  Reply una = Create(demo::kUna, Json{{"kind", "user"}});
  ASSERT_EQ(una.status, 201) << una;
  Reply una_feed = http().Get(FeedPath(una));
  ASSERT_EQ(una_feed.status, 200);
  EXPECT_EQ(una_feed.body.find("Summer Splash"), std::string::npos)
      << "Orbit takes part in nothing, so its feed shows nothing";
}

TEST_F(CalendarFeedApi, AnOrganisationFeedHoldsOnlyThatPartnersPosts) {
  Reply created = Create(demo::kSam, Json{{"kind", "org"}, {"name", "StreamCo team"}});
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.json["feed"]["org_id"], demo().streamco);
  Reply feed = http().Get(FeedPath(created));
  ASSERT_EQ(feed.status, 200) << feed;
  EXPECT_NE(feed.body.find("NAME:Tutti: StreamCo team"), std::string::npos);
  EXPECT_NE(feed.body.find("Post sc-trailer-us"), std::string::npos);
  EXPECT_EQ(feed.body.find("Post nova-"), std::string::npos) << "another partner's posts leaked";
  EXPECT_EQ(feed.body.find("Post lumen-"), std::string::npos) << "another partner's posts leaked";
  EXPECT_NE(feed.body.find("Launch: Summer Splash 2026"), std::string::npos);

  Reply sofia = Create(demo::kSofia, Json{{"kind", "org"}});
  EXPECT_EQ(sofia.status, 403) << "contributors do not create their organisation's feeds";
}

TEST_F(CalendarFeedApi, ListsShowOwnFeedsAndAdminsSeeTheirOrganisations) {
  ASSERT_EQ(Create(demo::kSam, Json{{"kind", "org"}}).status, 201);
  ASSERT_EQ(Create(demo::kSam, Json{{"kind", "user"}}).status, 201);
  ASSERT_EQ(Create(demo::kSofia, Json{{"kind", "user"}}).status, 201);
  Reply sam = http().Get("/api/v1/calendar-feeds", token(demo::kSam));
  ASSERT_EQ(sam.status, 200) << sam;
  EXPECT_EQ(sam.json["feeds"].size(), 2u) << "sam's own and StreamCo's, not Sofia's: " << sam;
  Reply sofia = http().Get("/api/v1/calendar-feeds", token(demo::kSofia));
  ASSERT_EQ(sofia.json["feeds"].size(), 1u) << sofia;
  EXPECT_EQ(sofia.json["feeds"][0]["kind"], "user");
  EXPECT_FALSE(sam.body.find("tcf_") != std::string::npos) << "tokens are shown once only";
  Reply nina = http().Get("/api/v1/calendar-feeds", token(demo::kNina));
  EXPECT_TRUE(nina.json["feeds"].empty()) << nina;
}

TEST_F(CalendarFeedApi, RevokingEndsTheSubscriptionAndOnlyTheOwnerMayRevoke) {
  Reply created = Create(demo::kSam, Json{{"kind", "user"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = created.json["feed"]["id"];
  const std::string path = FeedPath(created);
  ASSERT_EQ(http().Get(path).status, 200);

  int64_t entries = server_.AuditCount();
  EXPECT_EQ(http().Delete("/api/v1/calendar-feeds/" + id, token(demo::kSofia)).status, 404);
  EXPECT_EQ(http().Delete("/api/v1/calendar-feeds/" + id, token(demo::kOlivia)).status, 404);
  EXPECT_EQ(server_.AuditCount(), entries);
  EXPECT_EQ(http().Get(path).status, 200) << "refused revocations change nothing";

  Reply revoked = http().Delete("/api/v1/calendar-feeds/" + id, token(demo::kSam));
  ASSERT_EQ(revoked.status, 200) << revoked;
  EXPECT_FALSE(revoked.json["feed"]["revoked_at"].is_null());
  EXPECT_EQ(server_.AuditCount(), entries + 1);
  Reply gone = http().Get(path);
  EXPECT_EQ(gone.status, 404) << gone;
  EXPECT_TRUE(gone.HasErrorEnvelope());
  EXPECT_EQ(http().Delete("/api/v1/calendar-feeds/" + id, token(demo::kSam)).status, 200)
      << "revoking twice is harmless";
  EXPECT_EQ(server_.AuditCount(), entries + 1) << "and appends nothing";
}

TEST_F(CalendarFeedApi, UnknownTokensAndDisabledUsersGetNothing) {
  EXPECT_EQ(
      http().Get("/feeds/tcf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics").status,
      404);
  EXPECT_EQ(http().Get("/feeds/tts_notafeed.ics").status, 404);
  Reply sofia = Create(demo::kSofia, Json{{"kind", "user"}});
  ASSERT_EQ(sofia.status, 201) << sofia;
  ASSERT_EQ(http().Get(FeedPath(sofia)).status, 200);
  Reply disabled = http().Patch("/api/v1/users/" + demo().User(demo::kSofia), token(demo::kSam),
                                Json{{"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled;
  EXPECT_EQ(http().Get(FeedPath(sofia)).status, 404) << "a disabled user's feed goes dark";
}

TEST_F(CalendarFeedApi, ApiKeysAndBadInputAreRefused) {
  Reply key = http().Post("/api/v1/orgs/" + demo().streamco + "/api-keys", token(demo::kSam),
                          Json{{"name", "feed test"}, {"scopes", {"activations:read"}}});
  ASSERT_EQ(key.status, 201) << key;
  const std::string key_token = key.json["token"];
  EXPECT_EQ(http().Get("/api/v1/calendar-feeds", key_token).status, 403);
  EXPECT_EQ(http().Post("/api/v1/calendar-feeds", key_token, Json{{"kind", "user"}}).status, 403);

  Reply kind = Create(demo::kSam, Json{{"kind", "team"}});
  EXPECT_EQ(kind.status, 422) << kind;
  EXPECT_EQ(kind.ErrorField(), "kind");
  Reply extra = Create(demo::kSam, Json{{"kind", "user"}, {"colour", "red"}});
  EXPECT_EQ(extra.ErrorCode(), "unknown_field") << extra;
  Reply long_name = Create(demo::kSam, Json{{"kind", "user"}, {"name", std::string(101, 'x')}});
  EXPECT_EQ(long_name.ErrorField(), "name") << long_name;
}

TEST_F(CalendarFeedApi, AChangedPlanBumpsSequenceSoClientsReplaceTheirCopies) {
  Reply created = Create(demo::kFelix, Json{{"kind", "user"}});
  ASSERT_EQ(created.status, 201) << created;
  auto launch_sequence = [&]() {
    std::string ics = http().Get(FeedPath(created)).body;
    std::smatch m;
    std::regex uid_then_sequence(
        "UID:launch-[^\\r]*\\.US@tutti\\.calendar\\r\\n(?:[^\\r]*\\r\\n)*?SEQUENCE:(\\d+)");
    if (!std::regex_search(ics, m, uid_then_sequence)) return -1;
    return std::stoi(m[1].str());
  };
  int before = launch_sequence();
  ASSERT_GE(before, 1);
  const std::string path = "/api/v1/activations/" + demo().activation + "/milestones";
  Reply plan = http().Get(path, token(demo::kFelix));
  Json changed = plan.json["plan"];
  changed["milestones"][8]["duration"] = "2d";
  changed["version"] = plan.json["version"];
  ASSERT_EQ(http().Put(path, token(demo::kFelix), changed).status, 200);
  EXPECT_GT(launch_sequence(), before);
}

TEST_F(CalendarFeedApi, AFrozenPartnersPostsAreTentativeUntilTheFreezeIsLifted) {
  Reply created = Create(demo::kFelix, Json{{"kind", "user"}});
  ASSERT_EQ(created.status, 201) << created;
  // The lines of one post's VEVENT, from its UID to its END.
  auto post_event = [&](const std::string& ics, const std::string& post_id) {
    size_t uid = ics.find("UID:post-");
    while (uid != std::string::npos) {
      size_t end = ics.find("END:VEVENT", uid);
      std::string event = ics.substr(uid, end - uid);
      if (event.find("Post " + post_id + ":") != std::string::npos) return event;
      uid = ics.find("UID:post-", end);
    }
    return std::string();
  };
  std::string before = http().Get(FeedPath(created)).body;
  ASSERT_FALSE(post_event(before, "sc-trailer-us").empty()) << before;
  EXPECT_EQ(before.find("FROZEN"), std::string::npos);

  const std::string freezes = "/api/v1/activations/" + demo().activation + "/freezes";
  Reply frozen =
      http().Post(freezes, token(demo::kFelix),
                  Json{{"scope", "partner"}, {"org_id", demo().streamco}, {"reason", "recall"}});
  ASSERT_EQ(frozen.status, 201) << frozen;
  std::string during = http().Get(FeedPath(created)).body;
  std::string streamco = post_event(during, "sc-trailer-us");
  EXPECT_NE(streamco.find("SUMMARY:FROZEN Post sc-trailer-us"), std::string::npos) << streamco;
  EXPECT_NE(streamco.find("STATUS:TENTATIVE"), std::string::npos) << streamco;
  EXPECT_NE(streamco.find("recall"), std::string::npos) << "the reason is in the description";
  std::string nova = post_event(during, "nova-kit-us");
  ASSERT_FALSE(nova.empty()) << during;
  EXPECT_EQ(nova.find("FROZEN"), std::string::npos) << "only StreamCo's posts are held";
  EXPECT_NE(nova.find("STATUS:CONFIRMED"), std::string::npos) << nova;

  Reply lifted = http().Post(freezes + "/" + frozen.json["id"].get<std::string>() + "/lift",
                             token(demo::kFelix), Json{{"reason", "all clear"}});
  ASSERT_EQ(lifted.status, 200) << lifted;
  std::string after = http().Get(FeedPath(created)).body;
  EXPECT_EQ(after.find("FROZEN"), std::string::npos);
  EXPECT_NE(post_event(after, "sc-trailer-us").find("STATUS:CONFIRMED"), std::string::npos);
}

}  // namespace
}  // namespace tutti::testing
