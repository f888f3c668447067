// Platform specs (issue 5, C3): the spec document and its errors by JSON path, the built-in
// placements, and the check of probed files against a placement that reports every violation with
// the measured and the allowed value.
#include <gtest/gtest.h>

#include "support/media_samples.h"
#include "tutti/assets/spec.h"

namespace tutti::assets {
namespace {

using std::chrono::milliseconds;

constexpr uint64_t kMiB = 1024 * 1024;

const PlatformSpec& Default(std::string_view placement) {
  const PlatformSpec* spec = DefaultPlatformSpecs().Find(placement);
  EXPECT_NE(spec, nullptr) << placement;
  return *spec;
}

MediaInfo Probed(const std::string& file) {
  Result<MediaInfo> info = ProbeMedia(media_samples::AsBytes(file));
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  return *info;
}

MediaInfo Video(uint32_t width, uint32_t height, uint64_t duration_ms) {
  return Probed(media_samples::Mp4({.width = width, .height = height, .duration = duration_ms}));
}

std::vector<std::string> Messages(const std::vector<SpecViolation>& violations) {
  std::vector<std::string> messages;
  for (const SpecViolation& v : violations) messages.push_back(v.message);
  return messages;
}

void ExpectDocumentRefused(const char* json, const std::string& field, const std::string& reason) {
  Result<PlatformSpecs> specs = ParsePlatformSpecs(Json::parse(json));
  ASSERT_FALSE(specs.ok()) << json;
  EXPECT_EQ(specs.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(specs.status().field(), field) << json;
  EXPECT_EQ(specs.status().reason(), reason) << json << ": " << specs.status().message();
}

TEST(DefaultPlatformSpecs, CoverTheCommonPlacements) {
  for (const char* placement : {"instagram_feed", "instagram_story", "tiktok", "youtube",
                                "youtube_shorts", "x", "facebook_feed", "linkedin"}) {
    EXPECT_NE(DefaultPlatformSpecs().Find(placement), nullptr) << placement;
  }
  EXPECT_EQ(DefaultPlatformSpecs().specs.size(), 8u);
  const PlatformSpec& story = Default("instagram_story");
  ASSERT_EQ(story.aspect_ratios.size(), 1u);
  EXPECT_EQ(story.aspect_ratios[0].text, "9:16");
  EXPECT_EQ(story.max_bytes, 30 * kMiB);
  EXPECT_EQ(story.max_duration, std::chrono::seconds(60));
}

TEST(ParsePlatformSpecs, WritesWhatItReadsBack) {
  const Json written = PlatformSpecsToJson(DefaultPlatformSpecs());
  Result<PlatformSpecs> again = ParsePlatformSpecs(written);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(PlatformSpecsToJson(*again), written);
  EXPECT_EQ(again->Find("x")->min_duration, milliseconds(500));
}

TEST(ParsePlatformSpecs, NamesTheFieldAtFault) {
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": ["png"]},
      {"placement": "b", "formats": ["png"]},
      {"placement": "c", "formats": ["png"], "max_bytes": -5}]})",
                        "specs[2].max_bytes", "out_of_range");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": ["png"], "colour": "red"}]})",
                        "specs[0].colour", "unknown_field");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": ["png", "bmp"]}]})",
                        "specs[0].formats[1]", "invalid_enum");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": ["png", "png"]}]})",
                        "specs[0].formats[1]", "duplicate");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": []}]})", "specs[0].formats",
                        "too_short");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a"}]})", "specs[0].formats", "required");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["png"], "aspect_ratios": ["16x9"]}]})",
      "specs[0].aspect_ratios[0]", "invalid_aspect_ratio");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["png"], "min_aspect": "0:1"}]})",
      "specs[0].min_aspect", "invalid_aspect_ratio");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["png"], "min_width": 1080, "max_width": 720}]})",
      "specs[0].max_width", "invalid_range");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["png"], "min_aspect": "16:9", "max_aspect": "1:1"}]})",
      "specs[0].max_aspect", "invalid_range");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["mp4"], "min_duration_seconds": -1}]})",
      "specs[0].min_duration_seconds", "out_of_range");
  ExpectDocumentRefused(
      R"({"specs": [{"placement": "a", "formats": ["png"], "aspect_tolerance": 0.5}]})",
      "specs[0].aspect_tolerance", "out_of_range");
  ExpectDocumentRefused(R"({"specs": [{"placement": "Instagram Story", "formats": ["png"]}]})",
                        "specs[0].placement", "invalid_characters");
  ExpectDocumentRefused(R"({"specs": [{"placement": "a", "formats": ["png"]},
      {"placement": "a", "formats": ["gif"]}]})",
                        "specs[1].placement", "duplicate");
  ExpectDocumentRefused(R"({"placements": []})", "placements", "unknown_field");
}

TEST(CheckSpec, AcceptsAFileThatFitsThePlacement) {
  const MediaInfo story_video = Video(1080, 1920, 15000);
  EXPECT_TRUE(CheckSpec(Default("instagram_story"), story_video, 20 * kMiB).empty());
  const std::string square = media_samples::Jpeg(1080, 1080);
  EXPECT_TRUE(CheckSpec(Default("instagram_feed"), Probed(square), square.size()).empty());
}

TEST(CheckSpec, ReportsEveryViolationWithMeasuredAndAllowedValues) {
  Result<PlatformSpecs> specs = ParsePlatformSpecs(Json::parse(R"({"specs": [
      {"placement": "story_test", "formats": ["jpeg"], "min_width": 1080, "max_height": 1000,
       "aspect_ratios": ["9:16"], "max_bytes": 5242880}]})"));
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  const MediaInfo png = Probed(media_samples::Png(800, 1200));
  const std::vector<SpecViolation> violations = CheckSpec(specs->specs[0], png, 6 * kMiB);
  EXPECT_EQ(Messages(violations),
            (std::vector<std::string>{
                "format png (image/png) is not allowed for story_test; allowed: jpeg",
                "width 800 px is below the 1080 px minimum of story_test",
                "height 1200 px is above the 1000 px maximum of story_test",
                "aspect ratio 2:3 (0.667) is not allowed for story_test; allowed: 9:16 (±1%)",
                "size 6291456 bytes (6 MiB) is above the 5242880 bytes (5 MiB) maximum of "
                "story_test"}));
  ASSERT_EQ(violations.size(), 5u);
  EXPECT_EQ(violations[0].field, "format");
  EXPECT_EQ(violations[0].reason, "format_not_allowed");
  EXPECT_EQ(violations[1].field, "width");
  EXPECT_EQ(violations[1].reason, "below_minimum");
  EXPECT_EQ(violations[2].field, "height");
  EXPECT_EQ(violations[2].reason, "above_maximum");
  EXPECT_EQ(violations[3].field, "aspect_ratio");
  EXPECT_EQ(violations[3].reason, "aspect_ratio_not_allowed");
  EXPECT_EQ(violations[4].field, "size_bytes");
  EXPECT_EQ(violations[4].reason, "above_maximum");
}

TEST(CheckSpec, ChecksVideoDurationAgainstBothLimits) {
  const PlatformSpec& story = Default("instagram_story");
  EXPECT_EQ(
      Messages(CheckSpec(story, Video(1080, 1920, 75200), kMiB)),
      std::vector<std::string>{"duration 75.2 s is above the 60 s maximum of instagram_story"});
  EXPECT_EQ(Messages(CheckSpec(story, Video(1080, 1920, 500), kMiB)),
            std::vector<std::string>{"duration 0.5 s is below the 1 s minimum of instagram_story"});
  const std::vector<SpecViolation> unknown = CheckSpec(story, Video(1080, 1920, 0xffffffffu), kMiB);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].reason, "duration_unknown");
  EXPECT_EQ(unknown[0].message,
            "the video does not state its duration, and instagram_story needs 1 s to 60 s");
}

TEST(CheckSpec, LimitsAnimatedImagesByBytesNotDuration) {
  // 40 frames of 25 hundredths: a 10 s GIF, within X's byte limit.
  const std::string gif = media_samples::Gif(64, 64, {.frames = 40, .delay_cs = 25});
  const MediaInfo info = Probed(gif);
  ASSERT_EQ(info.duration, milliseconds(10000));
  EXPECT_TRUE(CheckSpec(Default("x"), info, gif.size()).empty());
}

TEST(CheckSpec, AppliesTheVideoByteLimitToVideosOnly) {
  const PlatformSpec& story = Default("instagram_story");
  EXPECT_TRUE(CheckSpec(story, Video(1080, 1920, 15000), 100 * kMiB).empty());
  EXPECT_EQ(Messages(CheckSpec(story, Video(1080, 1920, 15000), 5 * 1024 * kMiB)),
            std::vector<std::string>{"size 5368709120 bytes (5 GiB) is above the 4294967296 "
                                     "bytes (4 GiB) maximum of instagram_story for videos"});
  const MediaInfo still = Probed(media_samples::Jpeg(1080, 1920));
  EXPECT_EQ(Messages(CheckSpec(story, still, 31 * kMiB)),
            std::vector<std::string>{"size 32505856 bytes (31 MiB) is above the 31457280 bytes "
                                     "(30 MiB) maximum of instagram_story"});
}

TEST(CheckSpec, AllowsAspectRatiosWithinTheTolerance) {
  const PlatformSpec& story = Default("instagram_story");  // 9:16 = 0.5625, within 1%
  // 1080 / 1910 = 0.56545: 0.52% off. 1080 / 1900 = 0.56842: 1.05% off.
  EXPECT_TRUE(CheckSpec(story, Video(1080, 1910, 15000), kMiB).empty());
  EXPECT_EQ(Messages(CheckSpec(story, Video(1080, 1900, 15000), kMiB)),
            std::vector<std::string>{"aspect ratio 54:95 (0.568) is not allowed for "
                                     "instagram_story; allowed: 9:16 (±1%)"});
}

TEST(CheckSpec, AllowsARangeOfAspectRatiosWithinTheTolerance) {
  const PlatformSpec& feed = Default("facebook_feed");  // 4:5 to 1.91:1, within 3%
  // 1000 / 1280 = 0.78125 >= 0.8 x 0.97 = 0.776; 1000 / 1300 = 0.769 is below.
  EXPECT_TRUE(CheckSpec(feed, Probed(media_samples::Jpeg(1000, 1280)), kMiB).empty());
  EXPECT_EQ(Messages(CheckSpec(feed, Probed(media_samples::Jpeg(1000, 1300)), kMiB)),
            std::vector<std::string>{"aspect ratio 10:13 (0.769) is not allowed for "
                                     "facebook_feed; allowed: 4:5 to 1.91:1 (±3%)"});
  EXPECT_EQ(Messages(CheckSpec(Default("tiktok"), Video(1440, 1080, 15000), kMiB)),
            std::vector<std::string>{"aspect ratio 4:3 (1.333) is not allowed for tiktok; "
                                     "allowed: 9:16, 1:1, 16:9 (±1%)"});
}

TEST(CheckSpec, UsesDisplayedSizeOfRotatedMedia) {
  // A phone video stored 1920 x 1080 with a quarter-turn matrix is a portrait story.
  const MediaInfo turned = Probed(media_samples::Mp4(
      {.width = 1920, .height = 1080, .duration = 15000, .rotate_quarter = true}));
  EXPECT_TRUE(CheckSpec(Default("instagram_story"), turned, kMiB).empty());
}

TEST(WithDefaults, LetsAnActivationReplaceAndAddPlacements) {
  Result<PlatformSpecs> own = ParsePlatformSpecs(Json::parse(R"({"specs": [
      {"placement": "instagram_story", "formats": ["mp4"], "max_duration_seconds": 15},
      {"placement": "partner_site", "formats": ["webp"], "max_width": 1200}]})"));
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  const PlatformSpecs merged = WithDefaults(*own);
  EXPECT_EQ(merged.specs.size(), 9u);
  EXPECT_EQ(merged.Find("instagram_story")->max_duration, std::chrono::seconds(15));
  EXPECT_EQ(merged.Find("partner_site")->max_width, 1200u);
  EXPECT_EQ(merged.Find("tiktok")->max_bytes, 500 * kMiB);
}

}  // namespace
}  // namespace tutti::assets
