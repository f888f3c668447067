// Endorsement disclosures: accepted markers as whole tokens (#ad, not #adidas), plain words not
// after a negation, placement before the fold and outside hashtag clusters, the platform label
// that is never enough alone, and disclosure in the media itself.
#include "tutti/publishing/disclosure.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti::publishing {
namespace {

DisclosurePost Paid(std::string copy) {
  DisclosurePost post;
  post.copy = std::move(copy);
  post.is_paid = true;
  post.platform = "instagram";
  return post;
}

std::string ReasonOf(const DisclosurePost& post) {
  Status status = CheckDisclosure(post);
  return status.ok() ? "ok" : status.reason();
}

TEST(CheckDisclosure, AcceptsTheListedMarkersInAnyCase) {
  for (const char* copy :
       {"#ad Summer is here", "#Ad summer", "Summer is here #AD", "#sponsored: summer",
        "#Advertisement summer drop", "Sponsored by Acme: summer", "ADVERTISEMENT - summer",
        "Paid partnership with Acme", "paid   Partnership with Acme", "#ad\xF0\x9F\x8E\x89 summer",
        "#ad\xE2\x80\x94summer", "(#ad) summer"}) {
    EXPECT_EQ(ReasonOf(Paid(copy)), "ok") << copy;
  }
}

TEST(CheckDisclosure, DoesNotMistakeLongerTagsOrWordsForMarkers) {
  for (const char* copy :
       {"Loving my new #adidas kicks", "Fresh #ad_campaign drop", "bad#ad day", "An ad for summer",
        "#ads everywhere", "##ad summer", "Sponsorship season"}) {
    EXPECT_EQ(ReasonOf(Paid(copy)), "missing_disclosure") << copy;
  }
}

TEST(CheckDisclosure, DoesNotCountANegatedWord) {
  EXPECT_EQ(ReasonOf(Paid("This is not sponsored, just love it")), "missing_disclosure");
  EXPECT_EQ(ReasonOf(Paid("A non-sponsored review")), "missing_disclosure");
  EXPECT_EQ(ReasonOf(Paid("It isn't sponsored")), "missing_disclosure");
  EXPECT_EQ(ReasonOf(Paid("Not an ad. Sponsored by Acme")), "ok");
}

TEST(CheckDisclosure, NeedsNothingWithoutAMaterialConnection) {
  DisclosurePost post = Paid("Summer is here");
  post.is_paid = false;
  EXPECT_TRUE(CheckDisclosure(post).ok());
  post.is_partner = true;
  EXPECT_EQ(ReasonOf(post), "missing_disclosure") << "a partner post is a material connection";
}

TEST(CheckDisclosure, ListsWhatWouldSatisfyItAndWhyWeakTagsDoNot) {
  DisclosurePost post = Paid("Thanks @acme! #sp #partner");
  post.platform_flag = true;
  Status status = CheckDisclosure(post);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.field(), "copy");
  const std::string& message = status.message();
  EXPECT_NE(message.find("\"#sp\" is not a clear disclosure"), std::string::npos) << message;
  EXPECT_NE(message.find("\"#partner\" is not a clear disclosure"), std::string::npos) << message;
  EXPECT_NE(message.find("\"thanks\" is not a clear disclosure"), std::string::npos) << message;
  EXPECT_NE(message.find("paid-partnership label is on, but it is not enough alone"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("\"#ad\", \"#sponsored\", \"Advertisement\", \"Sponsored\" or "
                         "\"Paid partnership\" in the first 125 characters and 2 lines"),
            std::string::npos)
      << message;
}

TEST(CheckDisclosure, RefusesTheFlagAloneButAcceptsItWithAMarker) {
  DisclosurePost post = Paid("Summer is here");
  post.platform_flag = true;
  EXPECT_EQ(ReasonOf(post), "missing_disclosure");
  post.copy = "#ad Summer is here";
  EXPECT_EQ(ReasonOf(post), "ok");
}

TEST(CheckDisclosure, WantsTheMarkerBeforeTheFold) {
  const std::string first_124(124, 'x');
  EXPECT_EQ(ReasonOf(Paid(first_124 + " #ad")), "disclosure_not_up_front")
      << "#ad starts at character 126";
  EXPECT_EQ(ReasonOf(Paid(std::string(123, 'x') + " #ad")), "ok") << "#ad at character 125";
  // Code points, not bytes: 123 two-byte letters and a space put #ad at character 125 too.
  std::string accented;
  for (int i = 0; i < 123; ++i) accented += "\xC3\xA9";
  EXPECT_EQ(ReasonOf(Paid(accented + " #ad")), "ok");
  EXPECT_EQ(ReasonOf(Paid("Line one\nLine two\n#ad")), "disclosure_not_up_front");
  EXPECT_EQ(ReasonOf(Paid("Line one\n#ad line two")), "ok");
}

TEST(CheckDisclosure, WantsTheMarkerOutsideAHashtagCluster) {
  EXPECT_EQ(ReasonOf(Paid("Great day #summer #ad #beach")), "disclosure_buried");
  EXPECT_EQ(ReasonOf(Paid("Great day #summer #fun #beach #ad")), "disclosure_buried");
  EXPECT_EQ(ReasonOf(Paid("#ad #summer #fun #beach great day")), "ok") << "first of the run";
  EXPECT_EQ(ReasonOf(Paid("Great day #summer #ad")), "ok") << "two hashtags are no cluster";
  EXPECT_EQ(ReasonOf(Paid("#summer, #ad, #beach")), "ok") << "commas separate the tags";
  EXPECT_EQ(ReasonOf(Paid("#summer #ad #beach but also Sponsored")), "ok");
}

TEST(CheckDisclosure, WantsTheDisclosureInTheMediaToo) {
  DisclosurePost post = Paid("#ad Summer reel");
  post.format = PostFormat::kVideo;
  Status status = CheckDisclosure(post);
  EXPECT_EQ(status.reason(), "media_disclosure_missing");
  EXPECT_EQ(status.field(), "media_disclosure");
  EXPECT_NE(status.message().find("superimpose it on the video"), std::string::npos)
      << status.message();
  post.media_disclosure = MediaDisclosure::kShown;
  EXPECT_TRUE(CheckDisclosure(post).ok());

  post.format = PostFormat::kLive;
  EXPECT_EQ(ReasonOf(post), "media_disclosure_missing") << "a live stream repeats it";
  post.media_disclosure = MediaDisclosure::kRepeated;
  EXPECT_TRUE(CheckDisclosure(post).ok());

  post.format = PostFormat::kText;
  post.media_disclosure = MediaDisclosure::kNone;
  EXPECT_TRUE(CheckDisclosure(post).ok());
}

TEST(CheckDisclosure, RefusesCopyThatIsNotUtf8) {
  Status status = CheckDisclosure(Paid("#ad \xFF"));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "invalid_characters");
}

TEST(FindDisclosureMarkers, ReportsWhereEachMarkerIs) {
  const std::string copy = "Caf\xC3\xA9 #Ad\nPaid partnership with Acme";
  std::vector<DisclosureMarker> markers = FindDisclosureMarkers(copy);
  ASSERT_EQ(markers.size(), 2u);
  EXPECT_EQ(markers[0].text, "#Ad");
  EXPECT_EQ(markers[0].byte, 6u);
  EXPECT_EQ(markers[0].character, 5u);
  EXPECT_EQ(markers[0].line, 0u);
  EXPECT_EQ(markers[1].text, "Paid partnership");
  EXPECT_EQ(markers[1].byte, 10u);
  EXPECT_EQ(markers[1].character, 9u);
  EXPECT_EQ(markers[1].line, 1u);
  EXPECT_TRUE(markers[1].up_front);
}

TEST(FindDisclosureMarkers, FollowsTheRulesGiven) {
  DisclosureRules rules;
  rules.fold_characters = 10;
  std::vector<DisclosureMarker> markers = FindDisclosureMarkers("Summer is here #ad", rules);
  ASSERT_EQ(markers.size(), 1u);
  EXPECT_FALSE(markers[0].up_front);
}

}  // namespace
}  // namespace tutti::publishing
