#include "tutti/base/clock.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <sstream>

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
  // date::parse accepts more than ISO-8601 (e.g. single-digit fields); pin the shape first.
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  bool shape_ok = text.size() >= 20 && digit(0) && digit(1) && digit(2) && digit(3) &&
                  text[4] == '-' && digit(5) && digit(6) && text[7] == '-' && digit(8) &&
                  digit(9) && text[10] == 'T' && digit(11) && digit(12) && text[13] == ':' &&
                  digit(14) && digit(15) && text[16] == ':' && digit(17) && digit(18);
  if (!shape_ok) {
    return InvalidArgument("expected an ISO-8601 instant like 2026-06-01T13:00:00Z", {},
                           "invalid_instant");
  }
  std::istringstream in{std::string(text)};
  date::sys_time<std::chrono::milliseconds> tp;
  std::chrono::minutes offset{0};
  if (text.back() == 'Z') {
    in >> date::parse("%FT%TZ", tp);
  } else {
    in >> date::parse("%FT%T%Ez", tp, offset);
  }
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return InvalidArgument("expected an ISO-8601 instant like 2026-06-01T13:00:00Z", {},
                           "invalid_instant");
  }
  return Instant(tp);
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
