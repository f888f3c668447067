// The content calendar: posts that partners schedule on platforms in markets, checked against
// release windows, blackout periods, partner peak-engagement windows, spacing and duplicate-content
// rules, the due instants of their assets, and external constraints (audience-list refresh cycles
// and API rate limits). A pure engine: it reads a ContentCalendar and returns findings in a
// deterministic order; no I/O, no clock, no global state. Every function is thread-safe.
//
// Time: all instants are UTC (Instant, millisecond resolution); callers resolve local wall-clock
// times first (launch.h). Every interval is half-open, [start, end): an instant equal to `end` is
// outside. Complexity of DetectConflicts for n posts, w windows, b blackouts, a assets, r rate
// limits: O(n log n + w log w + a + r·n + Σ posts inside each blackout) time, O(n + w) memory.
// See docs/scheduling.md, "Content calendar and conflicts", for the file format and the rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"

namespace tutti::scheduling {

using Span = std::chrono::milliseconds;

// A platform accepts posts for a market only inside its release windows. A (platform, market)
// with no window, and no market-wide window for its platform, is unrestricted.
struct ReleaseWindow {
  std::string platform;  // required
  std::string market;    // empty: every market of the platform
  Instant start, end;    // [start, end), start < end
};

// When a partner's audience is most engaged. Informational only: a post outside every peak
// window of its partner (for its platform, or platform-wide) is an "off_peak" finding (info).
struct PeakWindow {
  std::string partner;   // required
  std::string platform;  // empty: every platform of the partner
  Instant start, end;
};

// No post may go out inside a blackout that matches it. Each empty scope field matches all.
struct Blackout {
  std::string name;  // required; shown in findings ("Memorial Day")
  Instant start, end;
  std::string market, platform, partner;
};

// An asset a post needs, and the instant it is approved and available.
struct AssetRef {
  std::string ref;  // required ("hero-video-v3")
  Instant due;
};

struct Post {
  std::string id;                         // required, unique in the calendar
  std::string partner, platform, market;  // required
  Instant at;
  std::string content_hash;  // lowercase hex; empty: content not known yet, never a duplicate
  std::vector<AssetRef> assets;
};

// A launch instant to check refresh constraints against; `market` is a market name, or "all"
// for a single-instant launch (as ResolveLaunch in launch.h returns them).
struct LaunchInstant {
  std::string market;
  Instant at;
};

// Where two posts with the same content hash count as duplicates.
enum class DuplicateScope {
  kPlatform,        // same platform, any market or partner (the default: one global account
                    // is seen in every market, so reposting there is visible as a repost)
  kPlatformMarket,  // same platform and same market (localized campaigns reuse a creative)
  kActivation,      // anywhere in the calendar
};

// An API rate limit: at most `max_posts` posts on `platform` in any window of length `window`.
struct RateLimit {
  std::string platform;                // required
  int64_t max_posts = 1;               // >= 1
  Span window{std::chrono::hours(1)};  // > 0
};

// A periodic external refresh such as "the audience list refreshes every 24 h and must have
// refreshed at least 6 h before launch". Refreshes happen at anchor + k·period for k = 0, 1, 2…
// (none before the anchor). A target instant L satisfies the constraint iff the latest refresh
// r ≤ L exists and L − r ≥ min_lead; equivalently L ≥ anchor and (L − anchor) mod period ≥
// min_lead. So launching inside [r, r + min_lead) after any refresh r, or before the first refresh
// has had min_lead, violates it; the earliest acceptable instant is then r + min_lead.
// Why "latest refresh" and not "some refresh at least min_lead before": with periodic refreshes
// the latter holds for every L ≥ anchor + min_lead and would ignore the period; what the
// constraint guards against is launching while a fresh refresh is still propagating.
struct RefreshConstraint {
  enum class AppliesTo {
    kLaunches,  // every LaunchInstant (of `market` when set; "all" launches always match)
    kPosts,     // every post (of `platform` and `market` when set)
  };
  std::string name;                      // required ("audience list")
  Span period{std::chrono::hours(24)};   // > 0
  Instant anchor;                        // the first refresh
  Span min_lead{std::chrono::hours(6)};  // 0 <= min_lead < period
  AppliesTo applies_to = AppliesTo::kLaunches;
  std::string market;    // empty: any
  std::string platform;  // empty: any; only with kPosts
};

struct CalendarRules {
  // Minimum spacing between two posts of the same partner on the same platform, by platform;
  // `default_spacing` for platforms not listed. Two posts exactly the spacing apart are fine.
  Span default_spacing{std::chrono::hours(4)};
  std::map<std::string, Span> spacing_by_platform;  // values >= 0
  DuplicateScope duplicate_scope = DuplicateScope::kPlatform;
  std::vector<RateLimit> rate_limits;
  std::vector<RefreshConstraint> refresh_constraints;
};

struct ContentCalendar {
  std::vector<ReleaseWindow> release_windows;
  std::vector<PeakWindow> peak_windows;
  std::vector<Blackout> blackouts;
  std::vector<Post> posts;
  std::vector<LaunchInstant> launches;
  CalendarRules rules;
};

// What a finding is about; ConflictKindName gives the stable JSON name in parentheses. Declared
// in name order (findings sort by kind name through the enum's value): keep it so.
enum class ConflictKind {
  kAssetLate,         // ("asset_late") error: the post is before one of its assets is due
  kDuplicateContent,  // ("duplicate_content") error: posts share a content hash in the scope
  kInBlackout,        // ("in_blackout") error: the post is inside a blackout that matches it
  kOffPeak,           // ("off_peak") info: outside every peak window of the partner
  kOutsideWindow,     // ("outside_window") error: outside every release window that applies
  kRateLimit,         // ("rate_limit") error: more posts in a sliding window than the limit
  kRefreshCycle,      // ("refresh_cycle") error: too soon after a refresh (RefreshConstraint)
  kTooClose,          // ("too_close") warning: same partner and platform closer than spacing
};
const char* ConflictKindName(ConflictKind kind);

enum class Severity { kError, kWarning, kInfo };
const char* SeverityName(Severity severity);  // "error", "warning", "info"

struct Finding {
  ConflictKind kind = ConflictKind::kTooClose;
  Severity severity = Severity::kError;
  // The instant of the first post in `post_ids`, or of the launch.
  Instant at;
  // The posts concerned, in (instant, id) order: both posts for too_close (earlier first), every
  // post sharing the hash for duplicate_content, the posts over the limit for rate_limit, one post
  // otherwise; empty for a refresh_cycle finding about a launch.
  std::vector<std::string> post_ids;
  std::string launch;  // the launch's market for a refresh_cycle finding about a launch
  // What the post ran into: the blackout's or refresh constraint's name, the asset ref, the
  // content hash for duplicate_content, "platform/market" for outside_window, "partner/platform"
  // for too_close and off_peak, the platform and limit for rate_limit ("instagram: 5 per 1h").
  std::string subject;
  // The earliest instant at which the first post (or the launch) would satisfy this one rule,
  // when there is one: the next window or peak window start, the blackout end, the asset's due
  // instant, the earlier post + spacing (for the later post), refresh + min_lead.
  std::optional<Instant> earliest_ok;
  std::string message;  // one human-readable sentence naming ids, instants and the rule

  bool operator==(const Finding&) const = default;
};

// Checks that `calendar` is well formed: required fields non-empty, unique post ids, start < end
// for every interval, non-negative spacings, max_posts >= 1 and window > 0, 0 <= min_lead < period,
// content hashes lowercase hex, `platform` on a refresh constraint only with kPosts.
// kInvalidArgument naming the field as in the JSON format ("posts[3].id", reason "duplicate_id";
// "blackouts[0].end", reason "empty_interval").
Status ValidateContentCalendar(const ContentCalendar& calendar);

// Every finding of `calendar`, sorted by (at, kind name, post_ids, launch, subject, message) so
// that the same calendar always gives the same list whatever the order of its inputs. Fails only
// when ValidateContentCalendar does.
//
// Rules, each reported separately (a post can have several findings):
// - outside_window: the post's (platform, market) has release windows (its own or platform-wide)
//   and it is inside none of them. Overlapping or touching windows are merged first.
// - in_blackout: one finding per (post, matching blackout) with start <= at < end.
// - too_close: posts of the same (partner, platform) are ordered by (at, id) and each adjacent pair
//   closer than the platform's spacing is reported. Every post in some too-close pair is in a
//   reported adjacent pair (the gaps between them are each smaller than the whole).
// - duplicate_content: one finding per group of ≥ 2 posts sharing a non-empty hash in the scope.
// - asset_late: one finding per (post, asset) with at < due; at == due is fine.
// - off_peak: the partner has peak windows for the platform (or platform-wide) and the post is
//   inside none of them.
// - rate_limit: a post "exceeds" a limit when, counting it and the posts of its platform before it
//   in (at, id) order with at > its at − window, there are more than max_posts. Exceeding posts
//   whose windows share posts form one finding (a burst), named by the exceeding posts.
// - refresh_cycle: per RefreshConstraint and target (launch or post) that violates it.
Result<std::vector<Finding>> DetectConflicts(const ContentCalendar& calendar);

// The calendar file format (docs/scheduling.md). Strict: unknown fields, wrong types, bad instants
// or durations ("4h"; working days are refused here), duplicate post ids and empty intervals are
// kInvalidArgument naming the field ("posts[2].assets[0].due"). Content hashes are lowercased.
Result<ContentCalendar> ParseContentCalendar(const Json& document);

// {"findings": [{"kind", "severity", "at", "post_ids", "launch"?, "subject"?, "earliest_ok"?,
//   "message"}...], "counts": {"error": n, "warning": n, "info": n}}, findings in the given order.
Json ConflictsToJson(const std::vector<Finding>& findings);

}  // namespace tutti::scheduling
