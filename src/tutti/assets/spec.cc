#include "tutti/assets/spec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace tutti::assets {
namespace {

using std::chrono::microseconds;

constexpr size_t kMaxSpecs = 100;
constexpr size_t kMaxAspectRatios = 20;
constexpr int64_t kMaxPixels = 100'000;
constexpr double kMaxDurationSeconds = 7 * 24 * 3600;

// Built-in placements, from the platforms' public ad and upload guidance (docs/assets.md gives
// the sources). Sizes in MiB/GiB, as the platforms' "MB"/"GB" are read by their uploaders.
constexpr std::string_view kDefaultSpecs = R"({"specs": [
  {"placement": "instagram_feed", "formats": ["jpeg", "png", "mp4", "mov"],
   "min_width": 500, "min_aspect": "4:5", "max_aspect": "1.91:1", "aspect_tolerance": 0.01,
   "max_bytes": 31457280, "max_video_bytes": 4294967296,
   "min_duration_seconds": 1, "max_duration_seconds": 3600},
  {"placement": "instagram_story", "formats": ["jpeg", "png", "mp4", "mov"],
   "min_width": 500, "aspect_ratios": ["9:16"], "aspect_tolerance": 0.01,
   "max_bytes": 31457280, "max_video_bytes": 4294967296,
   "min_duration_seconds": 1, "max_duration_seconds": 60},
  {"placement": "tiktok", "formats": ["mp4", "mov"],
   "min_width": 540, "min_height": 540, "aspect_ratios": ["9:16", "1:1", "16:9"],
   "aspect_tolerance": 0.01, "max_bytes": 524288000,
   "min_duration_seconds": 5, "max_duration_seconds": 60},
  {"placement": "youtube", "formats": ["mp4", "mov"],
   "min_width": 426, "min_height": 240, "aspect_ratios": ["16:9"], "aspect_tolerance": 0.01,
   "max_bytes": 274877906944, "min_duration_seconds": 1, "max_duration_seconds": 43200},
  {"placement": "youtube_shorts", "formats": ["mp4", "mov"],
   "min_width": 240, "aspect_ratios": ["9:16", "1:1"], "aspect_tolerance": 0.01,
   "max_bytes": 274877906944, "min_duration_seconds": 1, "max_duration_seconds": 180},
  {"placement": "x", "formats": ["jpeg", "png", "gif", "webp", "mp4", "mov"],
   "min_width": 4, "min_height": 4, "max_width": 8192, "max_height": 8192,
   "min_aspect": "1:3", "max_aspect": "3:1", "aspect_tolerance": 0.01,
   "max_bytes": 5242880, "max_video_bytes": 536870912,
   "min_duration_seconds": 0.5, "max_duration_seconds": 140},
  {"placement": "facebook_feed", "formats": ["jpeg", "png", "mp4", "mov"],
   "min_width": 600, "min_aspect": "4:5", "max_aspect": "1.91:1", "aspect_tolerance": 0.03,
   "max_bytes": 31457280, "max_video_bytes": 4294967296,
   "min_duration_seconds": 1, "max_duration_seconds": 14460},
  {"placement": "linkedin", "formats": ["jpeg", "png", "gif", "mp4"],
   "min_width": 360, "min_height": 360, "min_aspect": "9:16", "max_aspect": "1.91:1",
   "aspect_tolerance": 0.01, "max_bytes": 5242880, "max_video_bytes": 524288000,
   "min_duration_seconds": 3, "max_duration_seconds": 1800}
]})";

bool IsPlacementName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<double> ParseRatioPart(std::string_view text) {
  if (text.empty() || text.size() > 10 || text.front() == '.' || text.back() == '.') return {};
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return {};
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0 || value > 100) return {};
  return value;
}

Result<AspectRatio> ReadAspectRatio(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 3, 21));
  const size_t colon = text.find(':');
  std::optional<double> width;
  std::optional<double> height;
  if (colon != std::string::npos) {
    width = ParseRatioPart(std::string_view(text).substr(0, colon));
    height = ParseRatioPart(std::string_view(text).substr(colon + 1));
  }
  if (!width || !height) {
    return InvalidArgument(
        "must be width:height with positive numbers up to 100 (\"16:9\", "
        "\"1.91:1\")",
        path, "invalid_aspect_ratio");
  }
  return AspectRatio{std::move(text), *width, *height};
}

Result<std::optional<uint32_t>> ReadPixels(const Json& item, const std::string& path,
                                           const char* key) {
  if (!item.contains(key)) return std::optional<uint32_t>();
  TUTTI_ASSIGN_OR_RETURN(int64_t n, ReadInteger(item[key], JoinPath(path, key), 1, kMaxPixels));
  return std::optional<uint32_t>(static_cast<uint32_t>(n));
}

Result<std::optional<uint64_t>> ReadBytes(const Json& item, const std::string& path,
                                          const char* key) {
  if (!item.contains(key)) return std::optional<uint64_t>();
  TUTTI_ASSIGN_OR_RETURN(int64_t n, ReadInteger(item[key], JoinPath(path, key), 1,
                                                std::numeric_limits<int64_t>::max()));
  return std::optional<uint64_t>(static_cast<uint64_t>(n));
}

Result<std::optional<microseconds>> ReadSeconds(const Json& item, const std::string& path,
                                                const char* key) {
  if (!item.contains(key)) return std::optional<microseconds>();
  const std::string field = JoinPath(path, key);
  TUTTI_ASSIGN_OR_RETURN(double seconds, ReadNumber(item[key], field));
  if (seconds < 0 || seconds > kMaxDurationSeconds) {
    return InvalidArgument("must be between 0 and 604800 seconds (a week)", field, "out_of_range");
  }
  return std::optional<microseconds>(microseconds(std::llround(seconds * 1e6)));
}

template <typename T>
Status RequireOrdered(const std::optional<T>& min, const std::optional<T>& max,
                      const std::string& path, const char* min_key, const char* max_key) {
  if (min && max && *max < *min) {
    return InvalidArgument(std::string("is less than ") + min_key, JoinPath(path, max_key),
                           "invalid_range");
  }
  return OkStatus();
}

Result<PlatformSpec> ReadSpec(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(item, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      item,
      {"placement", "formats", "min_width", "max_width", "min_height", "max_height",
       "aspect_ratios", "min_aspect", "max_aspect", "aspect_tolerance", "max_bytes",
       "max_video_bytes", "min_duration_seconds", "max_duration_seconds"},
      path));
  PlatformSpec spec;
  for (const char* key : {"placement", "formats"}) {
    if (!item.contains(key)) return InvalidArgument("is required", JoinPath(path, key), "required");
  }
  const std::string placement_path = JoinPath(path, "placement");
  TUTTI_ASSIGN_OR_RETURN(spec.placement, ReadString(item["placement"], placement_path, 1, 64));
  if (!IsPlacementName(spec.placement)) {
    return InvalidArgument("must be 1-64 of a-z, 0-9 and '_' (\"instagram_story\")", placement_path,
                           "invalid_characters");
  }
  const std::string formats_path = JoinPath(path, "formats");
  TUTTI_RETURN_IF_ERROR(RequireArray(item["formats"], formats_path, kMediaFormatNames.size()));
  if (item["formats"].empty())
    return InvalidArgument("must not be empty", formats_path, "too_short");
  for (size_t i = 0; i < item["formats"].size(); ++i) {
    const std::string format_path = JoinPath(formats_path, i);
    TUTTI_ASSIGN_OR_RETURN(std::string name,
                           ReadEnum(item["formats"][i], format_path, kMediaFormatNames));
    const auto format = static_cast<MediaFormat>(
        std::find(kMediaFormatNames.begin(), kMediaFormatNames.end(), name) -
        kMediaFormatNames.begin());
    if (std::find(spec.formats.begin(), spec.formats.end(), format) != spec.formats.end()) {
      return InvalidArgument("is listed twice", format_path, "duplicate");
    }
    spec.formats.push_back(format);
  }
  TUTTI_ASSIGN_OR_RETURN(spec.min_width, ReadPixels(item, path, "min_width"));
  TUTTI_ASSIGN_OR_RETURN(spec.max_width, ReadPixels(item, path, "max_width"));
  TUTTI_ASSIGN_OR_RETURN(spec.min_height, ReadPixels(item, path, "min_height"));
  TUTTI_ASSIGN_OR_RETURN(spec.max_height, ReadPixels(item, path, "max_height"));
  TUTTI_RETURN_IF_ERROR(
      RequireOrdered(spec.min_width, spec.max_width, path, "min_width", "max_width"));
  TUTTI_RETURN_IF_ERROR(
      RequireOrdered(spec.min_height, spec.max_height, path, "min_height", "max_height"));
  if (item.contains("aspect_ratios")) {
    const std::string ratios_path = JoinPath(path, "aspect_ratios");
    TUTTI_RETURN_IF_ERROR(RequireArray(item["aspect_ratios"], ratios_path, kMaxAspectRatios));
    for (size_t i = 0; i < item["aspect_ratios"].size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(AspectRatio ratio,
                             ReadAspectRatio(item["aspect_ratios"][i], JoinPath(ratios_path, i)));
      spec.aspect_ratios.push_back(std::move(ratio));
    }
  }
  for (const char* key : {"min_aspect", "max_aspect"}) {
    if (!item.contains(key)) continue;
    TUTTI_ASSIGN_OR_RETURN(AspectRatio ratio, ReadAspectRatio(item[key], JoinPath(path, key)));
    (std::string_view(key) == "min_aspect" ? spec.min_aspect : spec.max_aspect) = std::move(ratio);
  }
  if (spec.min_aspect && spec.max_aspect && spec.max_aspect->value() < spec.min_aspect->value()) {
    return InvalidArgument("is narrower than min_aspect", JoinPath(path, "max_aspect"),
                           "invalid_range");
  }
  if (item.contains("aspect_tolerance")) {
    const std::string tolerance_path = JoinPath(path, "aspect_tolerance");
    TUTTI_ASSIGN_OR_RETURN(spec.aspect_tolerance,
                           ReadNumber(item["aspect_tolerance"], tolerance_path));
    if (spec.aspect_tolerance < 0 || spec.aspect_tolerance > 0.2) {
      return InvalidArgument("must be between 0 and 0.2 (a fraction of the ratio)", tolerance_path,
                             "out_of_range");
    }
  }
  TUTTI_ASSIGN_OR_RETURN(spec.max_bytes, ReadBytes(item, path, "max_bytes"));
  TUTTI_ASSIGN_OR_RETURN(spec.max_video_bytes, ReadBytes(item, path, "max_video_bytes"));
  TUTTI_ASSIGN_OR_RETURN(spec.min_duration, ReadSeconds(item, path, "min_duration_seconds"));
  TUTTI_ASSIGN_OR_RETURN(spec.max_duration, ReadSeconds(item, path, "max_duration_seconds"));
  TUTTI_RETURN_IF_ERROR(RequireOrdered(spec.min_duration, spec.max_duration, path,
                                       "min_duration_seconds", "max_duration_seconds"));
  return spec;
}

// Up to `decimals` decimals, trailing zeros dropped: 75.2, 60, 0.5.
std::string Decimal(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string Seconds(microseconds d) {
  return Decimal(static_cast<double>(d.count()) / 1e6, 3) + " s";
}

std::string Bytes(uint64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double scaled = static_cast<double>(bytes);
  int unit = -1;
  while (scaled >= 1024 && unit < 3) {
    scaled /= 1024;
    ++unit;
  }
  if (unit >= 0) text += " (" + Decimal(scaled, 1) + " " + kUnits[unit] + ")";
  return text;
}

std::string Ratio(uint32_t width, uint32_t height) {
  const uint32_t divisor = std::gcd(width, height);
  return std::to_string(width / divisor) + ":" + std::to_string(height / divisor) + " (" +
         Decimal(static_cast<double>(width) / height, 3) + ")";
}

bool WithinTolerance(double ratio, double target, double tolerance) {
  return std::abs(ratio - target) <= target * tolerance;
}

}  // namespace

const PlatformSpec* PlatformSpecs::Find(std::string_view placement) const {
  for (const PlatformSpec& spec : specs) {
    if (spec.placement == placement) return &spec;
  }
  return nullptr;
}

Result<PlatformSpecs> ParsePlatformSpecs(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(document, {"specs"}));
  if (!document.contains("specs")) return InvalidArgument("is required", "specs", "required");
  TUTTI_RETURN_IF_ERROR(RequireArray(document["specs"], "specs", kMaxSpecs));
  PlatformSpecs result;
  for (size_t i = 0; i < document["specs"].size(); ++i) {
    const std::string path = JoinPath("specs", i);
    TUTTI_ASSIGN_OR_RETURN(PlatformSpec spec, ReadSpec(document["specs"][i], path));
    if (result.Find(spec.placement) != nullptr) {
      return InvalidArgument("placement " + spec.placement + " is specified twice",
                             JoinPath(path, "placement"), "duplicate");
    }
    result.specs.push_back(std::move(spec));
  }
  return result;
}

Json PlatformSpecsToJson(const PlatformSpecs& specs) {
  Json list = Json::array();
  for (const PlatformSpec& spec : specs.specs) {
    Json item = {{"placement", spec.placement}, {"formats", Json::array()}};
    for (MediaFormat format : spec.formats) item["formats"].push_back(FormatName(format));
    auto put = [&](const char* key, const auto& value) {
      if (value) item[key] = *value;
    };
    put("min_width", spec.min_width);
    put("max_width", spec.max_width);
    put("min_height", spec.min_height);
    put("max_height", spec.max_height);
    if (!spec.aspect_ratios.empty()) {
      item["aspect_ratios"] = Json::array();
      for (const AspectRatio& ratio : spec.aspect_ratios)
        item["aspect_ratios"].push_back(ratio.text);
    }
    if (spec.min_aspect) item["min_aspect"] = spec.min_aspect->text;
    if (spec.max_aspect) item["max_aspect"] = spec.max_aspect->text;
    item["aspect_tolerance"] = spec.aspect_tolerance;
    put("max_bytes", spec.max_bytes);
    put("max_video_bytes", spec.max_video_bytes);
    if (spec.min_duration)
      item["min_duration_seconds"] = static_cast<double>(spec.min_duration->count()) / 1e6;
    if (spec.max_duration)
      item["max_duration_seconds"] = static_cast<double>(spec.max_duration->count()) / 1e6;
    list.push_back(std::move(item));
  }
  return Json{{"specs", std::move(list)}};
}

const PlatformSpecs& DefaultPlatformSpecs() {
  static const PlatformSpecs defaults = [] {
    Result<PlatformSpecs> parsed = ParsePlatformSpecs(Json::parse(kDefaultSpecs));
    // The document is a constant checked by the tests; an error here is a bug in this file.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return defaults;
}

PlatformSpecs WithDefaults(const PlatformSpecs& activation_specs) {
  PlatformSpecs merged = activation_specs;
  for (const PlatformSpec& spec : DefaultPlatformSpecs().specs) {
    if (merged.Find(spec.placement) == nullptr) merged.specs.push_back(spec);
  }
  return merged;
}

std::vector<SpecViolation> CheckSpec(const PlatformSpec& spec, const MediaInfo& media,
                                     uint64_t size_bytes) {
  std::vector<SpecViolation> violations;
  const std::string of = " of " + spec.placement;
  auto add = [&](const char* field, const char* reason, std::string message) {
    violations.push_back(SpecViolation{field, reason, std::move(message)});
  };

  if (std::find(spec.formats.begin(), spec.formats.end(), media.format) == spec.formats.end()) {
    std::string allowed;
    for (MediaFormat f : spec.formats)
      allowed += (allowed.empty() ? "" : ", ") + std::string(FormatName(f));
    add("format", "format_not_allowed",
        "format " + std::string(FormatName(media.format)) + " (" + std::string(media.mime_type()) +
            ") is not allowed for " + spec.placement + "; allowed: " + allowed);
  }
  auto check_side = [&](const char* side, uint32_t value, const std::optional<uint32_t>& min,
                        const std::optional<uint32_t>& max) {
    if (min && value < *min) {
      add(side, "below_minimum",
          std::string(side) + " " + std::to_string(value) + " px is below the " +
              std::to_string(*min) + " px minimum" + of);
    }
    if (max && value > *max) {
      add(side, "above_maximum",
          std::string(side) + " " + std::to_string(value) + " px is above the " +
              std::to_string(*max) + " px maximum" + of);
    }
  };
  check_side("width", media.width, spec.min_width, spec.max_width);
  check_side("height", media.height, spec.min_height, spec.max_height);

  const bool has_range = spec.min_aspect || spec.max_aspect;
  if ((!spec.aspect_ratios.empty() || has_range) && media.width > 0 && media.height > 0) {
    const double ratio = static_cast<double>(media.width) / media.height;
    const double tolerance = spec.aspect_tolerance;
    bool allowed = std::any_of(
        spec.aspect_ratios.begin(), spec.aspect_ratios.end(),
        [&](const AspectRatio& r) { return WithinTolerance(ratio, r.value(), tolerance); });
    if (has_range && !allowed) {
      allowed = (!spec.min_aspect || ratio >= spec.min_aspect->value() * (1 - tolerance)) &&
                (!spec.max_aspect || ratio <= spec.max_aspect->value() * (1 + tolerance));
    }
    if (!allowed) {
      std::string expected;
      for (const AspectRatio& r : spec.aspect_ratios) {
        expected += (expected.empty() ? "" : ", ") + r.text;
      }
      if (has_range) {
        const std::string range = spec.min_aspect && spec.max_aspect
                                      ? spec.min_aspect->text + " to " + spec.max_aspect->text
                                  : spec.min_aspect ? "at least " + spec.min_aspect->text
                                                    : "at most " + spec.max_aspect->text;
        expected += (expected.empty() ? "" : " or ") + range;
      }
      add("aspect_ratio", "aspect_ratio_not_allowed",
          "aspect ratio " + Ratio(media.width, media.height) + " is not allowed for " +
              spec.placement + "; allowed: " + expected + " (±" + Decimal(tolerance * 100, 2) +
              "%)");
    }
  }

  const std::optional<uint64_t>& max_bytes =
      media.is_video() && spec.max_video_bytes ? spec.max_video_bytes : spec.max_bytes;
  if (max_bytes && size_bytes > *max_bytes) {
    add("size_bytes", "above_maximum",
        "size " + Bytes(size_bytes) + " is above the " + Bytes(*max_bytes) + " maximum" + of +
            (media.is_video() ? " for videos" : ""));
  }

  if (media.is_video() && (spec.min_duration || spec.max_duration)) {
    if (!media.duration) {
      std::string limits = spec.min_duration && spec.max_duration
                               ? Seconds(*spec.min_duration) + " to " + Seconds(*spec.max_duration)
                           : spec.min_duration ? "at least " + Seconds(*spec.min_duration)
                                               : "at most " + Seconds(*spec.max_duration);
      add("duration", "duration_unknown",
          "the video does not state its duration, and " + spec.placement + " needs " + limits);
    } else {
      if (spec.min_duration && *media.duration < *spec.min_duration) {
        add("duration", "below_minimum",
            "duration " + Seconds(*media.duration) + " is below the " +
                Seconds(*spec.min_duration) + " minimum" + of);
      }
      if (spec.max_duration && *media.duration > *spec.max_duration) {
        add("duration", "above_maximum",
            "duration " + Seconds(*media.duration) + " is above the " +
                Seconds(*spec.max_duration) + " maximum" + of);
      }
    }
  }
  return violations;
}

}  // namespace tutti::assets
