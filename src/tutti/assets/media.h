// Media header probing (issue 5, C3; docs/assets.md): what an uploaded file really is, read from
// its own bytes and never from its name. ProbeMedia recognises PNG, JPEG, GIF, WebP and
// MP4/QuickTime by their signatures and reads only the structures that carry the format,
// dimensions, frame count and duration; it walks chunk and box headers without touching pixel or
// sample data, never copies the file and never reads outside it, whatever the bytes (fuzzed by
// fuzz/media_fuzzer.cc). Pure; thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti::assets {

enum class MediaFormat { kPng, kJpeg, kGif, kWebp, kMp4, kQuickTime };
// Stable names, as used in spec documents ("formats": ["jpeg", "mp4"]).
inline constexpr auto kMediaFormatNames =
    std::to_array<std::string_view>({"png", "jpeg", "gif", "webp", "mp4", "mov"});

std::string_view FormatName(MediaFormat format);  // "jpeg"
std::string_view MimeType(MediaFormat format);    // "image/jpeg", "video/quicktime"
// The file-name extensions (lower-case, without the dot) that may carry the format; the first is
// the one Tutti writes. MP4 and QuickTime share theirs (mp4, m4v, mov), because players and
// platforms treat the two containers alike and editors name either way.
std::span<const std::string_view> FileExtensions(MediaFormat format);
bool IsVideo(MediaFormat format);

struct MediaInfo {
  MediaFormat format = MediaFormat::kPng;
  // Displayed size in pixels: a JPEG's EXIF orientation and a video track's rotation matrix are
  // applied, so a portrait phone photo or video stored sideways reports as portrait.
  uint32_t width = 0;
  uint32_t height = 0;
  // Images: frames of an animation (GIF images, APNG acTL, WebP ANMF), 1 for a still.
  // Videos: 0 (sample tables are not read).
  uint32_t frames = 1;
  bool animated = false;
  // Videos: the movie duration (mvhd, or mehd for a fragmented file); animations: the sum of the
  // frame delays as the file states them; stills: absent. Also absent when a video does not say
  // (mvhd duration 0 or all ones and no mehd).
  std::optional<std::chrono::microseconds> duration;

  std::string_view mime_type() const { return MimeType(format); }
  bool is_video() const { return IsVideo(format); }
};

// Reads `file` (the whole file; it is neither copied nor retained). Errors are kInvalidArgument
// with field "file" and reason
//   "unknown_format"  the bytes are none of the formats (the message shows the first bytes);
//   "truncated"       a structure runs past the end of the file (an interrupted upload);
//   "corrupt"         a structure is present but impossible (bad CRC, zero width, bad marker);
//   "no_video_track"  an MP4/QuickTime file without a video track (audio only).
// Messages name the structure and its byte offset, what was found and what was expected.
Result<MediaInfo> ProbeMedia(std::span<const std::byte> file);

}  // namespace tutti::assets
