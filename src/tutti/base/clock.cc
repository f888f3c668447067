#include "tutti/base/clock.h"

#include <date/date.h>
#include <date/tz.h>

namespace tutti {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

std::string FormatInstant(Instant instant) { return date::format("%FT%TZ", instant); }

Result<Instant> ParseInstant(std::string_view text) {
  // Strict RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM). Hand-written rather than
  // date::parse, which accepts looser shapes (single-digit fields) and is slower.
  const Status bad = InvalidArgument("expected an ISO-8601 instant like 2026-06-01T13:00:00Z", {},
                                     "invalid_instant");
  size_t pos = 0;
  auto number = [&](size_t digits, int* out) {
    if (pos + digits > text.size()) return false;
    int value = 0;
    for (size_t i = 0; i < digits; ++i) {
      char c = text[pos + i];
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
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(4, &year) || !literal('-') || !number(2, &month) || !literal('-') ||
      !number(2, &day) || !literal('T') || !number(2, &hour) || !literal(':') ||
      !number(2, &minute) || !literal(':') || !number(2, &second)) {
    return bad;
  }
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return bad;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int offset_minutes = 0;
  if (literal('Z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hours = 0, offset_mins = 0;
    if (!number(2, &offset_hours) || !literal(':') || !number(2, &offset_mins) ||
        offset_hours > 23 || offset_mins > 59) {
      return bad;
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  } else {
    return bad;
  }
  if (pos != text.size() || hour > 23 || minute > 59 || second > 59) return bad;
  date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)),
                           date::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return bad;
  Instant instant = std::chrono::time_point_cast<std::chrono::milliseconds>(date::sys_days(ymd)) +
                    std::chrono::hours(hour) + std::chrono::minutes(minute) +
                    std::chrono::seconds(second) + std::chrono::milliseconds(millis) -
                    std::chrono::minutes(offset_minutes);
  return instant;
}

bool IsKnownTimeZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 64) return false;
  try {
    return date::locate_zone(zone) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace tutti
