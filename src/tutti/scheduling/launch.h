// Launch instants. A launch is one UTC instant ("at") or the same local wall-clock time in every
// market ("local" + markets with IANA zones), resolved through the system tz database. Local
// times that fall in a DST gap or overlap are errors naming the market and the local time unless
// the plan chose a policy. Pure (reads the immutable tz database); thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tutti/base/clock.h"

namespace tutti::scheduling {

// What to do with a local time the clocks skip (spring forward).
enum class GapPolicy {
  kError,         // refuse, naming market and local time
  kShiftForward,  // move later by the gap's length: 02:30 in a 1 h gap becomes 03:30 (RFC 5545)
};
// What to do with a local time the clocks show twice (fall back).
enum class OverlapPolicy { kError, kEarliest, kLatest };

struct Market {
  std::string name;  // "US"
  std::string tz;    // "America/New_York"
};

// "2026-06-01T09:00" or "2026-06-01T09:00:30": a wall-clock time without zone or offset.
struct LocalDateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string ToString() const;  // "2026-06-01T09:00" (seconds only when non-zero)
};
// Strict: exactly those two shapes, a real calendar date, 00:00-23:59:59; no zone, offset or
// white space. kInvalidArgument with reason "invalid_local_time" otherwise.
Result<LocalDateTime> ParseLocalDateTime(std::string_view text);

struct LaunchSpec {
  std::optional<Instant> at;  // a single instant, or:
  std::optional<LocalDateTime> local;
  std::vector<Market> markets;
  GapPolicy on_gap = GapPolicy::kError;
  OverlapPolicy on_overlap = OverlapPolicy::kError;
};

// The UTC instant of `local` in `zone`. Errors (kInvalidArgument): reason "unknown_time_zone",
// "dst_gap" or "dst_overlap" with a message naming `market_name`, the local time and the zone,
// e.g. "market US: 2026-03-08T02:30 does not exist in America/New_York (clocks skip 02:00-03:00)".
Result<Instant> LocalToInstant(const LocalDateTime& local, const std::string& zone,
                               GapPolicy on_gap, OverlapPolicy on_overlap,
                               const std::string& market_name);

// Each market's launch instant, in the spec's market order; {"all", at} for an "at" launch
// (markets and policies are then not consulted). Errors (kInvalidArgument) carry LocalToInstant's
// reason and message with field "launch.markets[i].tz" (unknown zone) or "launch.local" (gap,
// overlap); reason "invalid_launch" for both or neither of at/local or no markets; "required" /
// "duplicate_market" for an empty or repeated market name ("launch.markets[i].name").
Result<std::vector<std::pair<std::string, Instant>>> ResolveLaunch(const LaunchSpec& spec);

}  // namespace tutti::scheduling
