// Endorsement disclosures (C4, standards A6: FTC 16 CFR Part 255 and "Disclosures 101"): a paid
// or partner post cannot be approved until it discloses the material connection clearly and
// conspicuously. This engine checks a post's copy and what the reviewer attests about its media;
// it cannot see pixels or hear audio. Pure; every function is thread-safe.
//
// What counts, to the letter of standards A6:
// - markers, case-insensitive: the hashtags #ad, #sponsored and #advertisement as whole tokens
//   (#adidas, #ad_campaign and foo#ad are not markers), the words "Advertisement" and "Sponsored"
//   (not after a negation: "not sponsored"), and the phrase "Paid partnership". "#sp",
//   "#partner" and "Thanks [brand]" are not clear enough and never count;
// - up front: the marker starts within the first 125 characters and the first 2 lines of the copy
//   (what a feed shows before "more");
// - not buried: a marker hashtag inside a run of 3 or more hashtags counts only as the first of
//   the run ("#ad #summer #sale" discloses; "#summer #ad #sale" hides it);
// - the platform's own paid-partnership label is recorded but never enough on its own ("do not
//   rely solely on a platform's branded-content tool");
// - the disclosure is in the media too: superimposed on images, videos and stories, said in
//   audio, and repeated periodically through a live stream (attested by the reviewer).
// The limits are DisclosureRules so that a platform with a different fold can set its own.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/status.h"

namespace tutti::publishing {

enum class PostFormat { kText, kImage, kVideo, kStory, kLive, kAudio };
inline constexpr auto kPostFormatNames =
    std::to_array<std::string_view>({"text", "image", "video", "story", "live", "audio"});
bool ParsePostFormat(std::string_view name, PostFormat* out);

// What the reviewer attests about the media itself.
enum class MediaDisclosure {
  kNone,
  kShown,     // superimposed on the image or video, or said in the audio
  kRepeated,  // shown or said periodically through a live stream
};
inline constexpr auto kMediaDisclosureNames =
    std::to_array<std::string_view>({"none", "shown", "repeated"});
bool ParseMediaDisclosure(std::string_view name, MediaDisclosure* out);

struct DisclosurePost {
  std::string copy;  // the caption or text, UTF-8
  bool is_paid = false;
  bool is_partner = false;  // made with or for a partner: a material connection
  std::string platform;
  bool platform_flag = false;  // the platform's paid-partnership label is switched on
  PostFormat format = PostFormat::kText;
  MediaDisclosure media_disclosure = MediaDisclosure::kNone;
};

struct DisclosureRules {
  size_t fold_characters = 125;  // code points shown before "more"
  size_t fold_lines = 2;         // lines shown before "more"
  size_t cluster_size = 3;       // this many hashtags in a row bury all but the first
};

struct DisclosureMarker {
  std::string text;      // as written: "#Ad", "Paid partnership"
  size_t byte = 0;       // where it starts in the copy
  size_t character = 0;  // the same in code points
  size_t line = 0;       // 0-based
  bool up_front = false;
  bool buried = false;
};

// Every accepted marker in `copy`, in order, with its placement. `copy` must be valid UTF-8
// (invalid bytes are read as separators).
std::vector<DisclosureMarker> FindDisclosureMarkers(std::string_view copy,
                                                    const DisclosureRules& rules = {});

// OK when the post needs no disclosure (neither paid nor partner) or carries one as above.
// Otherwise kFailedPrecondition naming the field at fault and listing what would satisfy it:
//   "copy": missing_disclosure (no marker; the message also names any insufficient "#sp",
//           "#partner" or "thanks" it saw, and says when the platform label alone was relied
//           on), disclosure_not_up_front, disclosure_buried;
//   "media_disclosure": media_disclosure_missing (a visual or audio format without "shown", or a
//           live stream without "repeated").
// kInvalidArgument "invalid_characters" when the copy is not valid UTF-8.
Status CheckDisclosure(const DisclosurePost& post, const DisclosureRules& rules = {});

}  // namespace tutti::publishing
