// Platform specs for assets (issue 5, C3; docs/assets.md): what a placement such as
// instagram_story accepts (formats, pixel size, aspect ratio, bytes, video duration) as a JSON
// document per activation over built-in defaults, and the check of a probed file against one
// placement that reports every violation with the measured and the allowed value. Pure;
// immutable values; thread-safe (the defaults are built once, on first use).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/assets/media.h"
#include "tutti/base/json.h"
#include "tutti/base/status.h"

namespace tutti::assets {

// "16:9", "1.91:1": two positive numbers up to 100.
struct AspectRatio {
  std::string text;  // as written in the document, for messages
  double width = 1;
  double height = 1;

  double value() const { return width / height; }
};

struct PlatformSpec {
  std::string placement;  // 1-64 of a-z, 0-9, '_'; unique in a document
  std::vector<MediaFormat> formats;
  std::optional<uint32_t> min_width;
  std::optional<uint32_t> max_width;
  std::optional<uint32_t> min_height;
  std::optional<uint32_t> max_height;
  // A file's width:height must match one of `aspect_ratios` or lie within
  // [min_aspect, max_aspect]; with neither, any ratio goes. Both within the relative tolerance.
  std::vector<AspectRatio> aspect_ratios;
  std::optional<AspectRatio> min_aspect;
  std::optional<AspectRatio> max_aspect;
  double aspect_tolerance = 0.01;
  std::optional<uint64_t> max_bytes;        // every file
  std::optional<uint64_t> max_video_bytes;  // videos, instead of max_bytes
  // Videos only; a still or an animated image has no duration limit.
  std::optional<std::chrono::microseconds> min_duration;
  std::optional<std::chrono::microseconds> max_duration;
};

struct PlatformSpecs {
  std::vector<PlatformSpec> specs;

  const PlatformSpec* Find(std::string_view placement) const;  // null when absent
};

// Reads {"specs": [...]} (docs/assets.md); unknown keys are refused. Errors: kInvalidArgument
// naming the JSON path ("specs[2].max_bytes") with the reason of base/json.h or
// "invalid_aspect_ratio", "invalid_range" (a minimum above its maximum), "duplicate".
Result<PlatformSpecs> ParsePlatformSpecs(const Json& document);
// The document ParsePlatformSpecs reads back to the same specs.
Json PlatformSpecsToJson(const PlatformSpecs& specs);

// Tutti's built-in placements (instagram_feed, instagram_story, tiktok, youtube, youtube_shorts,
// x, facebook_feed, linkedin), from the platforms' public guidance; docs/assets.md lists them.
const PlatformSpecs& DefaultPlatformSpecs();
// The defaults with an activation's own specs replacing those of the same placement and adding
// new ones.
PlatformSpecs WithDefaults(const PlatformSpecs& activation_specs);

struct SpecViolation {
  std::string field;    // "format", "width", "height", "aspect_ratio", "size_bytes", "duration"
  std::string reason;   // "format_not_allowed", "below_minimum", "above_maximum",
                        // "aspect_ratio_not_allowed", "duration_unknown"
  std::string message;  // the measured and the allowed value and the placement
};

// Every way the file breaks the spec, in the order of the fields above; empty when it complies.
std::vector<SpecViolation> CheckSpec(const PlatformSpec& spec, const MediaInfo& media,
                                     uint64_t size_bytes);

}  // namespace tutti::assets
