#include "tutti/base/clock.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace tutti {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

std::string FormatInstantSeconds(Instant instant) {
  // Hand-written rather than date::format (a stream per call): a schedule of 100 000 milestones
  // prints 400 000 of these. Days to civil date after Howard Hinnant's days_from_civil inverse.
  const auto seconds = std::chrono::floor<std::chrono::seconds>(instant).time_since_epoch().count();
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t in_day = seconds - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  std::string out;
  out.reserve(20);
  auto two = [&out](int64_t v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  if (year >= 0 && year <= 9999) {
    two(year / 100);
    two(year % 100);
  } else {
    out += std::to_string(year);
  }
  out.push_back('-');
  two(month);
  out.push_back('-');
  two(day);
  out.push_back('T');
  two(in_day / 3600);
  out.push_back(':');
  two(in_day / 60 % 60);
  out.push_back(':');
  two(in_day % 60);
  out.push_back('Z');
  return out;
}

std::string FormatInstant(Instant instant) {
  std::string text = FormatInstantSeconds(instant);
  const auto millis = (instant - std::chrono::floor<std::chrono::seconds>(instant)).count();
  text.back() = '.';
  text.push_back(static_cast<char>('0' + millis / 100));
  text.push_back(static_cast<char>('0' + millis / 10 % 10));
  text.push_back(static_cast<char>('0' + millis % 10));
  text.push_back('Z');
  return text;
}

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

std::string TimeZoneDatabaseVersion() {
  // Built with USE_OS_TZDB, date::get_tzdb().version is often empty; Debian's tzdata ships the
  // release in the first line of tzdata.zi ("# version 2025b").
  try {
    std::string version = date::get_tzdb().version;
    if (!version.empty() && version != "unknown") return version;
  } catch (const std::exception&) {
  }
  std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
  std::string line;
  if (std::getline(zi, line) && line.starts_with("# version ")) return line.substr(10);
  return "unknown";
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
