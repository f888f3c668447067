// Compliant publishing through the API (issue 5, item 4) on the demo world: the UTM taxonomy
// written by the host and read by all, post content with links tagged from the taxonomy (values
// derived from the post where the taxonomy allows) or validated as they are, a link outside the
// taxonomy refused naming its field, disclosure required before a post is put up for approval and
// again when it is approved, a publication recorded only under an approval covering the latest
// content, freezes that stop it and show on the calendar until lifted, and who must not see or do:
// another partner reading a draft's copy gets 404, freezing another partner's posts 403.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

constexpr char kPost[] = "sc-trailer-us";  // StreamCo's YouTube post in the demo calendar

class PublishingApi : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const char* email) { return server_.Token(email); }
  std::string Path(const std::string& suffix) {
    return "/api/v1/activations/" + demo().activation + suffix;
  }
  std::string ContentPath() { return Path(std::string("/posts/") + kPost + "/content"); }

  static Json Taxonomy() {
    return Json::parse(R"({"version": "2026-06",
        "values": {"utm_source": ["instagram", "x", "youtube"],
                   "utm_medium": ["paid_social", "social"],
                   "utm_campaign": ["summer_splash_2026"]},
        "medium_channels": {"paid_social": "Paid Social", "social": "Organic Social"},
        "internal_hosts": ["acme.example"]})");
  }

  // The taxonomy travels under "taxonomy": its own "version" ("2026-06") is not the stored one.
  Reply PutTaxonomyAs(const char* who, const Json& taxonomy, int64_t version) {
    return http().Put(Path("/utm-taxonomy"), token(who),
                      Json{{"taxonomy", taxonomy}, {"version", version}});
  }

  void PutTaxonomy() {
    Reply put = PutTaxonomyAs(demo::kFelix, Taxonomy(), 0);
    ASSERT_EQ(put.status, 200) << put;
  }

  Reply PutContent(const char* who, const std::string& copy, int64_t version,
                   const Json& links = Json::array(), bool paid = true) {
    return http().Put(ContentPath(), token(who),
                      Json{{"copy", copy}, {"paid", paid}, {"links", links}, {"version", version}});
  }

  Reply RequestApproval(const char* who) {
    return http().Post(Path("/approvals"), token(who),
                       Json{{"subject", {{"kind", "post"}, {"id", kPost}}},
                            {"title", "Trailer post, US"},
                            {"workflow", "default"}});
  }

  Reply Approve(const Json& approval) {
    return http().Post(Path("/approvals/" + approval["id"].get<std::string>() + "/decisions"),
                       token(demo::kFelix), Json{{"step", "host review"}, {"decision", "approve"}});
  }

  Reply Publish(const char* who) {
    return http().Post(Path(std::string("/posts/") + kPost + "/publications"), token(who),
                       Json{{"live_url", "https://youtube.example/watch?v=trailer"}});
  }

  // Content that discloses, put up for approval and approved by the host's facilitator.
  void ApprovedContent() {
    ASSERT_EQ(PutContent(demo::kSam, "#ad The trailer drops today", 0).status, 201);
    Reply requested = RequestApproval(demo::kSam);
    ASSERT_EQ(requested.status, 201) << requested;
    Reply approved = Approve(requested.json);
    ASSERT_EQ(approved.status, 201) << approved;
  }

  TestServer server_;
};

TEST_F(PublishingApi, TaxonomyIsWrittenByTheHostsEditorsAndReadByEveryPartner) {
  EXPECT_EQ(http().Get(Path("/utm-taxonomy"), token(demo::kNina)).json["version"], 0);
  Reply refused = PutTaxonomyAs(demo::kSam, Taxonomy(), 0);
  EXPECT_EQ(refused.status, 403) << refused;
  PutTaxonomy();
  Reply read = http().Get(Path("/utm-taxonomy"), token(demo::kNina));
  EXPECT_EQ(read.status, 200) << read;
  EXPECT_EQ(read.json["version"], 1);
  EXPECT_EQ(read.json["taxonomy"], Taxonomy());
  Reply stale = PutTaxonomyAs(demo::kFelix, Taxonomy(), 0);
  EXPECT_EQ(stale.status, 409) << stale;
  Json upper = Taxonomy();
  upper["values"]["utm_source"] = Json::array({"YouTube"});
  Reply invalid = PutTaxonomyAs(demo::kFelix, upper, 1);
  EXPECT_EQ(invalid.status, 422) << invalid;
  EXPECT_EQ(invalid.ErrorField(), "taxonomy.values.utm_source[0]");
}

TEST_F(PublishingApi, ContentTagsItsLinksFromTheTaxonomyAndThePost) {
  PutTaxonomy();
  Reply put = PutContent(demo::kSam, "#ad The trailer drops today", 0,
                         Json::array({Json{{"url", "https://shop.example/summer?ref=yt#top"},
                                           {"utm", {{"utm_content", "Hero_Video"}}}}}));
  ASSERT_EQ(put.status, 201) << put;
  EXPECT_EQ(put.json["version"], 1);
  EXPECT_EQ(put.json["platform"], "youtube");
  EXPECT_EQ(put.json["partner"], true) << "a partner's post is a material connection";
  const Json& link = put.json["links"][0];
  EXPECT_EQ(link["mode"], "tagged");
  // Source from the post's platform, medium from "paid", campaign from its one-value list.
  EXPECT_EQ(link["tagged_url"],
            "https://shop.example/summer?ref=yt&utm_source=youtube&utm_medium=paid_social"
            "&utm_campaign=summer_splash_2026&utm_content=hero_video#top");
  EXPECT_EQ(link["channel"], "Paid Social");
  ASSERT_EQ(link["utm"].size(), 4u);
  EXPECT_EQ(link["utm"][0], (Json{{"parameter", "utm_source"},
                                  {"typed", "youtube"},
                                  {"value", "youtube"},
                                  {"derived", true}}));
  EXPECT_EQ(link["utm"][3], (Json{{"parameter", "utm_content"},
                                  {"typed", "Hero_Video"},
                                  {"value", "hero_video"},
                                  {"derived", false}}));
  EXPECT_EQ(put.json["disclosure"]["ok"], true);
  EXPECT_EQ(put.json["disclosure"]["markers"][0]["text"], "#ad");
  EXPECT_EQ(put.json["taxonomy_version"], 1);
}

TEST_F(PublishingApi, ALinkOutsideTheTaxonomyIsRefusedNamingItsField) {
  PutTaxonomy();
  Reply refused = PutContent(demo::kSam, "#ad", 0,
                             Json::array({Json{{"url", "https://shop.example/a"}},
                                          Json{{"url", "https://shop.example/b"},
                                               {"utm", {{"utm_source", "facebook"}}}}}));
  EXPECT_EQ(refused.status, 422) << refused;
  EXPECT_EQ(refused.ErrorField(), "links[1].utm.utm_source");
  EXPECT_EQ(refused.ErrorCode(), "not_in_list");
  Reply spaced = PutContent(demo::kSam, "#ad", 0,
                            Json::array({Json{{"url", "https://shop.example/a"},
                                              {"utm", {{"utm_term", "Hero Video"}}}}}));
  EXPECT_EQ(spaced.status, 422) << spaced;
  EXPECT_EQ(spaced.ErrorField(), "links[0].utm.utm_term");
  EXPECT_EQ(spaced.ErrorCode(), "whitespace");
  Reply broken =
      PutContent(demo::kSam, "#ad", 0, Json::array({Json{{"url", "shop.example/summer"}}}));
  EXPECT_EQ(broken.status, 422) << broken;
  EXPECT_EQ(broken.ErrorField(), "links[0].url");
  EXPECT_EQ(http().Get(ContentPath(), token(demo::kSam)).status, 404) << "nothing was stored";
}

TEST_F(PublishingApi, AValidateOnlyLinkIsStoredWithItsFindings) {
  PutTaxonomy();
  Reply put = PutContent(
      demo::kSam, "#ad", 0,
      Json::array({Json{{"url",
                         "https://shop.example/?utm_source=tiktok&utm_medium=social&utm_campaign="
                         "summer_splash_2026"},
                        {"validate_only", true}}}));
  ASSERT_EQ(put.status, 201) << put;
  const Json& link = put.json["links"][0];
  EXPECT_EQ(link["mode"], "validated");
  EXPECT_EQ(link["compliant"], false);
  ASSERT_EQ(link["violations"].size(), 1u) << link;
  EXPECT_EQ(link["violations"][0]["parameter"], "utm_source");
  EXPECT_EQ(link["violations"][0]["reason"], "not_in_list");
}

TEST_F(PublishingApi, LinksNeedATaxonomy) {
  Reply refused =
      PutContent(demo::kSam, "#ad", 0, Json::array({Json{{"url", "https://shop.example/a"}}}));
  EXPECT_EQ(refused.status, 409) << refused;
  EXPECT_EQ(refused.ErrorCode(), "no_utm_taxonomy");
}

TEST_F(PublishingApi, APaidPostWithoutDisclosureCannotBeRequestedOrApproved) {
  Reply undisclosed = PutContent(demo::kSam, "The trailer drops today", 0);
  ASSERT_EQ(undisclosed.status, 201) << undisclosed;
  EXPECT_EQ(undisclosed.json["disclosure"]["ok"], false);
  EXPECT_EQ(undisclosed.json["disclosure"]["reason"], "missing_disclosure");
  Reply refused = RequestApproval(demo::kSam);
  EXPECT_EQ(refused.status, 422) << refused;
  EXPECT_EQ(refused.ErrorCode(), "disclosure_required");
  EXPECT_EQ(refused.ErrorField(), "copy");
  ASSERT_EQ(PutContent(demo::kSam, "#ad The trailer drops today", 1).status, 200);
  Reply requested = RequestApproval(demo::kSam);
  ASSERT_EQ(requested.status, 201) << requested;
  // The copy loses its marker while the request waits: the approval is of what stands now.
  ASSERT_EQ(PutContent(demo::kSam, "The trailer drops today", 2).status, 200);
  Reply approve = Approve(requested.json);
  EXPECT_EQ(approve.status, 422) << approve;
  EXPECT_EQ(approve.ErrorCode(), "disclosure_required");
}

TEST_F(PublishingApi, APublicationIsRecordedOnlyUnderAnApprovalOfTheLatestContent) {
  ASSERT_EQ(PutContent(demo::kSam, "#ad The trailer drops today", 0).status, 201);
  Reply early = Publish(demo::kSam);
  EXPECT_EQ(early.status, 409) << early;
  EXPECT_EQ(early.ErrorCode(), "not_approved");
  Reply requested = RequestApproval(demo::kSam);
  ASSERT_EQ(Approve(requested.json).status, 201);
  Reply other_partner = Publish(demo::kNina);
  EXPECT_EQ(other_partner.status, 403) << other_partner;
  Reply published = Publish(demo::kSam);
  ASSERT_EQ(published.status, 201) << published;
  EXPECT_EQ(published.json["platform"], "youtube");
  EXPECT_EQ(published.json["content_version"], 1);
  EXPECT_EQ(published.json["approval_id"], requested.json["id"]);
  EXPECT_EQ(published.json["recorded_by"], demo().User(demo::kSam));
  EXPECT_EQ(published.json["live_url"], "https://youtube.example/watch?v=trailer");
  Reply listed =
      http().Get(Path(std::string("/posts/") + kPost + "/publications"), token(demo::kNina));
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(listed.json["items"].size(), 1u);
  server_.clock().Advance(std::chrono::minutes(1));
  ASSERT_EQ(PutContent(demo::kSam, "#ad The trailer, recut", 1).status, 200);
  EXPECT_EQ(Publish(demo::kSam).ErrorCode(), "not_approved");
}

TEST_F(PublishingApi, AFreezeStopsAPartnersPostsAndShowsOnTheCalendarUntilLifted) {
  ApprovedContent();
  Reply not_theirs = http().Post(
      Path("/freezes"), token(demo::kNina),
      Json{{"scope", "partner"}, {"org_id", demo().streamco}, {"reason", "not mine to stop"}});
  EXPECT_EQ(not_theirs.status, 403) << not_theirs;
  Reply frozen = http().Post(
      Path("/freezes"), token(demo::kSam),
      Json{{"scope", "partner"}, {"org_id", demo().streamco}, {"reason", "talent dispute"}});
  ASSERT_EQ(frozen.status, 201) << frozen;
  const std::string freeze_id = frozen.json["id"];
  Reply refused = Publish(demo::kSam);
  EXPECT_EQ(refused.status, 409) << refused;
  EXPECT_EQ(refused.ErrorCode(), "frozen");
  EXPECT_NE(refused.json["error"]["message"].get<std::string>().find(freeze_id), std::string::npos);
  Reply calendar = http().Get(Path("/posts"), token(demo::kNina));
  ASSERT_EQ(calendar.status, 200) << calendar;
  for (const Json& post : calendar.json["content_calendar"]["posts"]) {
    if (post["partner"] == demo().streamco) {
      EXPECT_EQ(post["frozen"]["freeze_id"], freeze_id) << post;
      EXPECT_EQ(post["frozen"]["reason"], "talent dispute");
    } else {
      EXPECT_FALSE(post.contains("frozen")) << post;
    }
  }
  Reply lifted = http().Post(Path("/freezes/" + freeze_id + "/lift"), token(demo::kSam),
                             Json{{"reason", "dispute settled"}});
  ASSERT_EQ(lifted.status, 200) << lifted;
  EXPECT_EQ(lifted.json["active"], false);
  EXPECT_EQ(Publish(demo::kSam).status, 201);
  Reply listed = http().Get(Path("/freezes"), token(demo::kVictor));
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(listed.json["items"][0]["lifted_by"], demo().User(demo::kSam));
  EXPECT_EQ(listed.json["items"][0]["lift_reason"], "dispute settled");
  Reply again = http().Post(Path("/freezes/" + freeze_id + "/lift"), token(demo::kFelix),
                            Json{{"reason", "twice"}});
  EXPECT_EQ(again.ErrorCode(), "already_lifted");
}

TEST_F(PublishingApi, AnotherPartnerSeesADraftsCopyOnlyOnceApproved) {
  ASSERT_EQ(PutContent(demo::kSam, "#ad Secret trailer copy", 0).status, 201);
  EXPECT_EQ(http().Get(ContentPath(), token(demo::kNina)).status, 404);
  EXPECT_EQ(http().Get(ContentPath() + "/versions", token(demo::kNina)).status, 404);
  EXPECT_EQ(http().Get(ContentPath(), token(demo::kOlivia)).status, 200);
  Reply nina_writes = PutContent(demo::kNina, "#ad hijack", 1);
  EXPECT_EQ(nina_writes.status, 403) << nina_writes;
  Reply requested = RequestApproval(demo::kSam);
  ASSERT_EQ(Approve(requested.json).status, 201);
  Reply seen = http().Get(ContentPath(), token(demo::kNina));
  ASSERT_EQ(seen.status, 200) << seen;
  EXPECT_EQ(seen.json["copy"], "#ad Secret trailer copy");
  EXPECT_EQ(seen.json["approved"], true);
}

}  // namespace
}  // namespace tutti::testing
