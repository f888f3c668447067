// Launch instants from local wall-clock times and IANA zones (Howard Hinnant's date/tz.h over the
// system tz database). Gaps and overlaps are detected with time_zone::get_info(local_time), which
// reports them as values, instead of to_sys(), which throws. Pure; thread-safe (the tz database
// is immutable after its first, synchronised load).
#include "tutti/scheduling/launch.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <exception>
#include <set>
#include <string>

namespace tutti::scheduling {
namespace {

bool IsValid(const LocalDateTime& t) {
  if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59 ||
      t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) {
    return false;
  }
  date::year_month_day ymd{date::year(t.year), date::month(static_cast<unsigned>(t.month)),
                           date::day(static_cast<unsigned>(t.day))};
  return ymd.ok();
}

date::local_seconds ToLocalSeconds(const LocalDateTime& t) {
  date::year_month_day ymd{date::year(t.year), date::month(static_cast<unsigned>(t.month)),
                           date::day(static_cast<unsigned>(t.day))};
  return date::local_days(ymd) + std::chrono::hours(t.hour) + std::chrono::minutes(t.minute) +
         std::chrono::seconds(t.second);
}

LocalDateTime FromLocalSeconds(date::local_seconds t) {
  const date::local_days day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  LocalDateTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(hms.hours().count());
  out.minute = static_cast<int>(hms.minutes().count());
  out.second = static_cast<int>(hms.seconds().count());
  return out;
}

// A transition boundary as wall-clock text: "02:00" when it falls on the day the user asked about
// (the usual case), the full local date-time otherwise (a zone that skips a whole day).
std::string FormatBoundary(date::local_seconds boundary, date::local_days asked_day) {
  const LocalDateTime t = FromLocalSeconds(boundary);
  if (date::floor<date::days>(boundary) != asked_day) return t.ToString();
  char buffer[16];
  if (t.second != 0) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", t.hour, t.minute, t.second);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", t.hour, t.minute);
  }
  return buffer;
}

Instant ToInstant(date::sys_seconds t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

Status InvalidLocalTime(std::string_view text, const std::string& why) {
  std::string shown(text.substr(0, 40));
  return InvalidArgument("invalid local time \"" + shown + "\": " + why +
                             " (expected a wall-clock time like 2026-06-01T09:00 or "
                             "2026-06-01T09:00:30, without zone or offset)",
                         {}, "invalid_local_time");
}

}  // namespace

std::string LocalDateTime::ToString() const {
  char buffer[64];
  if (second != 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour,
                  minute, second);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d", year, month, day, hour,
                  minute);
  }
  return buffer;
}

Result<LocalDateTime> ParseLocalDateTime(std::string_view text) {
  size_t pos = 0;
  auto number = [&](size_t digits, int* out) {
    if (pos + digits > text.size()) return false;
    int value = 0;
    for (size_t i = 0; i < digits; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos += digits;
    *out = value;
    return true;
  };
  auto literal = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  LocalDateTime t;
  if (!number(4, &t.year) || !literal('-') || !number(2, &t.month) || !literal('-') ||
      !number(2, &t.day) || !literal('T') || !number(2, &t.hour) || !literal(':') ||
      !number(2, &t.minute)) {
    return InvalidLocalTime(text, "not in the form YYYY-MM-DDTHH:MM");
  }
  if (pos < text.size() && text[pos] == ':' && !(literal(':') && number(2, &t.second))) {
    return InvalidLocalTime(text, "seconds must be two digits");
  }
  if (pos != text.size()) {
    const char next = text[pos];
    if (next == 'Z' || next == '+' || next == '-') {
      return InvalidLocalTime(text, "carries a zone or offset; the markets give the zones");
    }
    return InvalidLocalTime(text, "unexpected text after the time");
  }
  if (!IsValid(t)) return InvalidLocalTime(text, "no such date or time of day");
  return t;
}

Result<Instant> LocalToInstant(const LocalDateTime& local, const std::string& zone,
                               GapPolicy on_gap, OverlapPolicy on_overlap,
                               const std::string& market_name) {
  const std::string where = "market " + market_name + ": ";
  if (!IsValid(local)) {
    return InvalidArgument(where + local.ToString() + " is not a valid local date and time", {},
                           "invalid_local_time");
  }
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(zone);
  } catch (const std::exception&) {
    // date::locate_zone reports an unknown name by throwing; turned into a value here.
  }
  if (tz == nullptr) {
    return InvalidArgument(
        where + "unknown time zone \"" + zone + "\" (expected an IANA name like America/New_York)",
        {}, "unknown_time_zone");
  }

  const date::local_seconds wall = ToLocalSeconds(local);
  const date::local_info info = tz->get_info(wall);
  switch (info.result) {
    case date::local_info::unique:
      return ToInstant(date::sys_seconds((wall - info.first.offset).time_since_epoch()));
    case date::local_info::nonexistent: {
      if (on_gap == GapPolicy::kShiftForward) {
        // Read with the offset in force before the gap: 02:30 EST is 03:30 EDT, i.e. the wall
        // time moved later by the gap's length (RFC 5545 §3.3.5).
        return ToInstant(date::sys_seconds((wall - info.first.offset).time_since_epoch()));
      }
      const auto transition = date::local_seconds(info.second.begin.time_since_epoch());
      const date::local_days day = date::floor<date::days>(wall);
      return InvalidArgument(where + local.ToString() + " does not exist in " + zone +
                                 " (clocks skip " +
                                 FormatBoundary(transition + info.first.offset, day) + "-" +
                                 FormatBoundary(transition + info.second.offset, day) + ")",
                             {}, "dst_gap");
    }
    case date::local_info::ambiguous: {
      // first = the offset before the transition (the earlier instant), second = after it.
      if (on_overlap == OverlapPolicy::kEarliest) {
        return ToInstant(date::sys_seconds((wall - info.first.offset).time_since_epoch()));
      }
      if (on_overlap == OverlapPolicy::kLatest) {
        return ToInstant(date::sys_seconds((wall - info.second.offset).time_since_epoch()));
      }
      const auto transition = date::local_seconds(info.second.begin.time_since_epoch());
      const date::local_days day = date::floor<date::days>(wall);
      return InvalidArgument(where + local.ToString() + " occurs twice in " + zone +
                                 " (clocks repeat " +
                                 FormatBoundary(transition + info.second.offset, day) + "-" +
                                 FormatBoundary(transition + info.first.offset, day) + ")",
                             {}, "dst_overlap");
    }
  }
  return Internal("unexpected result from the tz database for " + local.ToString() + " in " + zone);
}

Result<std::vector<std::pair<std::string, Instant>>> ResolveLaunch(const LaunchSpec& spec) {
  if (spec.at && spec.local) {
    return InvalidArgument(
        "a launch is either \"at\" one instant or \"local\" with markets, not both", "launch",
        "invalid_launch");
  }
  std::vector<std::pair<std::string, Instant>> launches;
  if (spec.at) {
    launches.emplace_back("all", *spec.at);
    return launches;
  }
  if (!spec.local) {
    return InvalidArgument(
        "a launch needs \"at\" (a UTC instant) or \"local\" (a wall-clock time with markets)",
        "launch", "invalid_launch");
  }
  if (spec.markets.empty()) {
    return InvalidArgument("a local launch needs at least one market with a time zone",
                           "launch.markets", "invalid_launch");
  }
  std::set<std::string> seen;
  launches.reserve(spec.markets.size());
  for (size_t i = 0; i < spec.markets.size(); ++i) {
    const Market& market = spec.markets[i];
    const std::string path = "launch.markets[" + std::to_string(i) + "]";
    if (market.name.empty()) return InvalidArgument("is required", path + ".name", "required");
    if (!seen.insert(market.name).second) {
      return InvalidArgument("market " + market.name + " is listed twice", path + ".name",
                             "duplicate_market");
    }
    Result<Instant> instant =
        LocalToInstant(*spec.local, market.tz, spec.on_gap, spec.on_overlap, market.name);
    if (!instant.ok()) {
      const Status& failure = instant.status();
      const std::string field =
          failure.reason() == "unknown_time_zone" ? path + ".tz" : std::string("launch.local");
      return Status(failure.code(), failure.message(), field, failure.reason());
    }
    launches.emplace_back(market.name, *instant);
  }
  return launches;
}

}  // namespace tutti::scheduling
