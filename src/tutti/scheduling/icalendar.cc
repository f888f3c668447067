#include "tutti/scheduling/icalendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <exception>
#include <map>
#include <utility>

namespace tutti::scheduling {
namespace {

using std::chrono::seconds;
using Seconds = std::chrono::sys_seconds;

constexpr size_t kMaxLineOctets = 75;

// nullptr when the tz database does not know `zone` (date throws for unknown names, and may
// throw when the database itself cannot be read; both mean "cannot present in this zone").
const date::time_zone* FindZone(std::string_view zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Appends `in` as UTF-8 with invalid sequences (overlong forms, surrogates, beyond U+10FFFF,
// truncated) replaced by U+FFFD. Runs of ASCII bytes for which `plain` holds are copied as they
// are; every other ASCII byte goes to `special`, which escapes or drops it. Clients reject or
// mangle invalid UTF-8, and the folder relies on valid sequences.
template <typename PlainFn, typename SpecialFn>
void AppendUtf8(std::string& out, std::string_view in, PlainFn plain, SpecialFn special) {
  size_t i = 0;
  while (i < in.size()) {
    size_t run = i;
    while (run < in.size() && plain(in[run])) ++run;
    out.append(in.substr(i, run - i));
    i = run;
    if (i == in.size()) break;
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      special(out, in, i);
      continue;
    }
    size_t length = 0;
    uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4, min = 0x10000;
    }
    bool valid = length != 0 && i + length <= in.size();
    if (valid) {
      uint32_t code = c & (0x7Fu >> length);
      for (size_t k = 1; k < length && valid; ++k) {
        const auto next = static_cast<unsigned char>(in[i + k]);
        valid = (next & 0xC0) == 0x80;
        code = (code << 6) | (next & 0x3Fu);
      }
      valid = valid && code >= min && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    }
    if (valid) {
      out.append(in.substr(i, length));
      i += length;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
}

// Printable ASCII (0x20..0x7E), which needs no attention in a URI. Function objects rather than
// functions so that the per-byte test inlines into AppendUtf8.
constexpr auto kPrintableAscii = [](char c) { return c >= 0x20 && c < 0x7F; };
// Printable ASCII other than the characters TEXT escapes.
constexpr auto kPlainText = [](char c) {
  return kPrintableAscii(c) && c != '\\' && c != ';' && c != ',';
};

void AppendText(std::string& out, std::string_view text) {
  AppendUtf8(out, text, kPlainText, [](std::string& o, std::string_view in, size_t& i) {
    const char c = in[i++];
    switch (c) {
      case '\\':
        o += "\\\\";
        return;
      case ';':
        o += "\\;";
        return;
      case ',':
        o += "\\,";
        return;
      case '\n':
        o += "\\n";
        return;
      case '\r':
        // CRLF is one line break; a lone CR is one too.
        if (i < in.size() && in[i] == '\n') ++i;
        o += "\\n";
        return;
      case '\t':
        o += c;
        return;
      default:
        break;  // RFC 5545 §3.3.11: TEXT excludes the other CONTROL characters
    }
  });
}

// URI values are not TEXT: no backslash escaping, but still no control characters or line breaks.
void AppendUri(std::string& out, std::string_view uri) {
  AppendUtf8(out, uri, kPrintableAscii, [](std::string&, std::string_view, size_t& i) { ++i; });
}

void AppendFolded(std::string& out, std::string_view line) {
  size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    size_t cut = limit;
    // Back up to the first byte of a character; a UTF-8 sequence is at most 4 octets.
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    // Keep an escape pair ("\;", "\n", "\\") on one line: RFC 5545 allows splitting it, but
    // readers that unescape before unfolding exist. The pair is split when the run of
    // backslashes ending just before the cut has odd length.
    size_t run = 0;
    while (run < cut && line[cut - 1 - run] == '\\') ++run;
    if (run % 2 == 1) --cut;
    out.append(line.substr(0, cut));
    out.append("\r\n ");
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // the leading space counts
  }
  out.append(line);
  out.append("\r\n");
}

// `value` >= 0 in decimal, zero-padded to `width` digits; built in a buffer and appended once,
// because this runs six times per date-time.
void AppendDigits(std::string& out, long long value, int width) {
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && p > buffer);
  while (end - p < width && p > buffer) *--p = '0';
  out.append(p, static_cast<size_t>(end - p));
}

// "YYYYMMDDTHHMMSS" for a count of seconds since 1970-01-01T00:00 of some clock (UTC or local).
void AppendDateTime(std::string& out, seconds since_epoch) {
  const auto day = date::floor<date::days>(date::sys_seconds(since_epoch));
  const date::year_month_day ymd(day);
  const long long time_of_day = (since_epoch - day.time_since_epoch()).count();
  assert(int(ymd.year()) >= 0 && int(ymd.year()) <= 9999);
  AppendDigits(out, int(ymd.year()), 4);
  AppendDigits(out, unsigned(ymd.month()), 2);
  AppendDigits(out, unsigned(ymd.day()), 2);
  out += 'T';
  AppendDigits(out, time_of_day / 3600, 2);
  AppendDigits(out, time_of_day / 60 % 60, 2);
  AppendDigits(out, time_of_day % 60, 2);
}

void AppendUtcDateTime(std::string& out, Seconds instant) {
  AppendDateTime(out, instant.time_since_epoch());
  out += 'Z';
}

// RFC 5545 utc-offset: "+HHMM", "-HHMM" or with seconds "+HHMMSS"; zero is "+0000".
void AppendUtcOffset(std::string& out, seconds offset) {
  long long total = offset.count();
  out += total < 0 ? '-' : '+';
  if (total < 0) total = -total;
  AppendDigits(out, total / 3600, 2);
  AppendDigits(out, total / 60 % 60, 2);
  if (total % 60 != 0) AppendDigits(out, total % 60, 2);
}

// RFC 5545 dur-value in exact units only ("PT36H", "PT1H30M", "PT0S"): a nominal day ("P1D")
// would mean 23 or 25 hours across a DST change when DTSTART carries a TZID.
void AppendDuration(std::string& out, seconds duration) {
  const long long total = duration.count();
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  out += "PT";
  // dur-hour = 1*DIGIT "H" [dur-minute]; dur-minute = 1*DIGIT "M" [dur-second]: a later unit
  // requires the earlier ones from the first one written, so "PT1H0M5S", never "PT1H5S".
  if (h > 0) {
    AppendDigits(out, h, 1);
    out += 'H';
  }
  if (m > 0 || (h > 0 && s > 0)) {
    AppendDigits(out, m, 1);
    out += 'M';
  }
  if (s > 0 || total == 0) {
    AppendDigits(out, s, 1);
    out += 'S';
  }
}

// The local time of `instant` in `tz`, when a reader applying RFC 5545 §3.3.5 (an ambiguous
// local time is its first occurrence) gets `instant` back from it.
std::optional<seconds> ExpressibleLocalTime(const date::time_zone& tz, Seconds instant) {
  const date::sys_info info = tz.get_info(instant);
  const date::local_seconds local(instant.time_since_epoch() + info.offset);
  const date::local_info reading = tz.get_info(local);
  switch (reading.result) {
    case date::local_info::unique:
      return local.time_since_epoch();
    case date::local_info::ambiguous:
      if (local.time_since_epoch() - reading.first.offset == instant.time_since_epoch()) {
        return local.time_since_epoch();
      }
      return std::nullopt;
    default:
      return std::nullopt;  // nonexistent: cannot arise from a real instant
  }
}

Seconds ToSeconds(Instant instant) { return date::floor<seconds>(instant); }

const char* StatusName(EventStatus status) {
  switch (status) {
    case EventStatus::kTentative:
      return "TENTATIVE";
    case EventStatus::kCancelled:
      return "CANCELLED";
    case EventStatus::kConfirmed:
      break;
  }
  return "CONFIRMED";
}

// A zone referenced by at least one event written with TZID, and the span of those times.
struct ZoneUse {
  std::string name;
  const date::time_zone* tz = nullptr;
  Seconds earliest = Seconds::max();
  Seconds latest = Seconds::min();
  bool used = false;
};

// How one event's times will be written: local times in a zone, or UTC.
struct EventTimes {
  const ZoneUse* zone = nullptr;  // nullptr: UTC; points into the writer's zone list once final
  seconds start{};                // local or UTC seconds since the epoch
  std::optional<seconds> end;
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  // Starts a content line "NAME" (parameters and value are appended to line_).
  std::string& Begin(std::string_view name) {
    line_.assign(name);
    return line_;
  }
  void End() { AppendFolded(out_, line_); }

  void Raw(std::string_view name, std::string_view value) {
    Begin(name) += ':';
    line_ += value;
    End();
  }
  void Text(std::string_view name, std::string_view value) {
    Begin(name) += ':';
    AppendText(line_, value);
    End();
  }
  void Uri(std::string_view name, std::string_view value) {
    Begin(name) += ':';
    AppendUri(line_, value);
    End();
  }

 private:
  std::string& out_;
  std::string line_;
};

void WriteTimeZone(Writer& w, const ZoneUse& zone) {
  const date::time_zone& tz = *zone.tz;
  const auto year = date::days(366);
  const Seconds window_begin = zone.earliest - year;
  const Seconds window_end = zone.latest + year;

  w.Raw("BEGIN", "VTIMEZONE");
  w.Raw("TZID", zone.name);
  w.Raw("X-LIC-LOCATION", zone.name);

  auto observance = [&](Seconds transition, seconds offset_from, const date::sys_info& to) {
    const bool daylight = to.save != std::chrono::minutes(0);
    w.Raw("BEGIN", daylight ? "DAYLIGHT" : "STANDARD");
    std::string& dtstart = w.Begin("DTSTART") += ':';
    // The local time of the transition on the clock before it (RFC 5545 §3.6.5).
    AppendDateTime(dtstart, transition.time_since_epoch() + offset_from);
    w.End();
    AppendUtcOffset(w.Begin("TZOFFSETFROM") += ':', offset_from);
    w.End();
    AppendUtcOffset(w.Begin("TZOFFSETTO") += ':', to.offset);
    w.End();
    w.Text("TZNAME", to.abbrev);
    w.Raw("END", daylight ? "DAYLIGHT" : "STANDARD");
  };

  // The observance in force when the window opens. One that began before 1970 (Asia/Tokyo since
  // 1951, Etc/UTC forever) is written as starting at 1970-01-01 with an unchanged offset: exact
  // for every time this feed can contain, and free of local-mean-time offsets with seconds.
  date::sys_info current = tz.get_info(window_begin);
  const Seconds epoch_floor = date::sys_days(date::year(1970) / 1 / 1);
  if (current.begin < epoch_floor) {
    observance(date::sys_seconds(epoch_floor.time_since_epoch() - current.offset), current.offset,
               current);
  } else {
    observance(current.begin, tz.get_info(current.begin - seconds(1)).offset, current);
  }
  // Every later transition up to the end of the window, each with its exact date: no RRULE, so
  // the blocks stay right across rule changes and nothing depends on a client's rule expansion.
  while (current.end <= window_end) {
    const date::sys_info next = tz.get_info(current.end);
    const bool same =
        next.offset == current.offset && next.abbrev == current.abbrev &&
        (next.save == std::chrono::minutes(0)) == (current.save == std::chrono::minutes(0));
    if (!same) observance(next.begin, current.offset, next);
    current = next;
  }
  w.Raw("END", "VTIMEZONE");
}

void WriteTime(Writer& w, std::string_view name, const EventTimes& times, seconds value) {
  std::string& line = w.Begin(name);
  if (times.zone != nullptr) {
    line += ";TZID=";
    line += times.zone->name;
    line += ':';
    AppendDateTime(line, value);
  } else {
    line += ':';
    AppendUtcDateTime(line, Seconds(value));
  }
  w.End();
}

}  // namespace

std::string EscapeICalendarText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendText(out, text);
  return out;
}

std::string FoldICalendarLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 37 + 2);
  AppendFolded(out, line);
  return out;
}

std::string StableUid(std::string_view kind, std::string_view id, std::string_view domain) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uid;
  uid.reserve(kind.size() + id.size() + domain.size() + 2);
  uid.append(kind);
  uid += '-';
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '.' ||
        c == '_' || c == '~' || c == '-') {
      uid += c;
    } else {
      uid += '%';
      uid += kHex[u >> 4];
      uid += kHex[u & 0xF];
    }
  }
  uid += '@';
  uid.append(domain);
  return uid;
}

Result<std::string> LocalTimeIn(std::string_view zone, Instant instant) {
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) {
    return InvalidArgument(
        "unknown time zone " + std::string(zone) + " (expected an IANA name like America/New_York)",
        {}, "unknown_time_zone");
  }
  const Seconds at = ToSeconds(instant);
  std::optional<seconds> local = ExpressibleLocalTime(*tz, at);
  if (!local) {
    std::string shown;
    AppendDateTime(shown, at.time_since_epoch() + tz->get_info(at).offset);
    return InvalidArgument(FormatInstant(instant) + " is the second occurrence of local time " +
                               shown + " in " + std::string(zone) +
                               ", which RFC 5545 reads as the first; write it in UTC",
                           {}, "ambiguous_local_time");
  }
  std::string out;
  AppendDateTime(out, *local);
  return out;
}

std::string WriteICalendar(const CalendarFeed& feed) {
  // Decide each event's form first: VTIMEZONEs precede the events and cover only zones in use.
  std::vector<ZoneUse> zones;  // few distinct zones per feed: a linear scan beats hashing
  std::vector<EventTimes> times(feed.events.size());
  std::vector<size_t> zone_of(feed.events.size(), SIZE_MAX);  // index into `zones`, until final
  for (size_t i = 0; i < feed.events.size(); ++i) {
    const CalendarEvent& event = feed.events[i];
    assert(!event.uid.empty());
    const Seconds start = ToSeconds(event.start);
    std::optional<Seconds> end;
    if (event.end && ToSeconds(*event.end) > start) end = ToSeconds(*event.end);
    EventTimes& t = times[i];
    t.start = start.time_since_epoch();
    if (end) t.end = end->time_since_epoch();
    if (!event.zone) continue;

    size_t z = 0;
    while (z < zones.size() && zones[z].name != *event.zone) ++z;
    if (z == zones.size()) {
      ZoneUse use;
      use.name = *event.zone;
      use.tz = FindZone(*event.zone);
      zones.push_back(std::move(use));
    }
    ZoneUse& zone = zones[z];
    if (zone.tz == nullptr) continue;  // unknown zone: UTC is still exact
    const std::optional<seconds> local_start = ExpressibleLocalTime(*zone.tz, start);
    std::optional<seconds> local_end;
    if (end) local_end = ExpressibleLocalTime(*zone.tz, *end);
    // Both times in one form, so that a reader never mixes a zone's local time with UTC.
    if (!local_start || (end && !local_end)) continue;
    zone.used = true;
    zone.earliest = std::min(zone.earliest, start);
    zone.latest = std::max(zone.latest, end.value_or(start));
    t.start = *local_start;
    t.end = local_end;
    zone_of[i] = z;
  }
  for (size_t i = 0; i < feed.events.size(); ++i) {
    if (zone_of[i] != SIZE_MAX) times[i].zone = &zones[zone_of[i]];
  }

  std::string out;
  out.reserve(4096 + feed.events.size() * 600);
  Writer w(out);
  w.Raw("BEGIN", "VCALENDAR");
  w.Raw("VERSION", "2.0");
  w.Raw("PRODID", kICalendarProductId);
  w.Raw("CALSCALE", "GREGORIAN");
  w.Raw("METHOD", "PUBLISH");
  if (!feed.name.empty()) {
    w.Text("NAME", feed.name);
    w.Text("X-WR-CALNAME", feed.name);
  }
  if (feed.description) {
    w.Text("DESCRIPTION", *feed.description);
    w.Text("X-WR-CALDESC", *feed.description);
  }
  if (feed.color) w.Text("COLOR", *feed.color);
  if (feed.refresh_interval > seconds(0)) {
    AppendDuration(w.Begin("REFRESH-INTERVAL;VALUE=DURATION") += ':', feed.refresh_interval);
    w.End();
    AppendDuration(w.Begin("X-PUBLISHED-TTL") += ':', feed.refresh_interval);
    w.End();
  }
  if (feed.source_url) {
    AppendUri(w.Begin("SOURCE;VALUE=URI") += ':', *feed.source_url);
    w.End();
  }
  for (const ZoneUse& zone : zones) {
    if (zone.used) WriteTimeZone(w, zone);
  }
  for (size_t i = 0; i < feed.events.size(); ++i) {
    const CalendarEvent& event = feed.events[i];
    const EventTimes& t = times[i];
    w.Raw("BEGIN", "VEVENT");
    w.Text("UID", event.uid);
    AppendUtcDateTime(w.Begin("DTSTAMP") += ':', ToSeconds(event.dtstamp));
    w.End();
    WriteTime(w, "DTSTART", t, t.start);
    if (t.end) {
      WriteTime(w, "DTEND", t, *t.end);
    } else if (event.duration && *event.duration > seconds(0)) {
      AppendDuration(w.Begin("DURATION") += ':', *event.duration);
      w.End();
    }
    AppendDigits(w.Begin("SEQUENCE") += ':', std::max(event.sequence, 0), 1);
    w.End();
    w.Text("SUMMARY", event.summary);
    if (!event.description.empty()) w.Text("DESCRIPTION", event.description);
    if (!event.location.empty()) w.Text("LOCATION", event.location);
    if (!event.url.empty()) w.Uri("URL", event.url);
    if (!event.categories.empty()) {
      std::string& line = w.Begin("CATEGORIES") += ':';
      for (size_t k = 0; k < event.categories.size(); ++k) {
        if (k > 0) line += ',';
        AppendText(line, event.categories[k]);
      }
      w.End();
    }
    w.Raw("STATUS", StatusName(event.status));
    w.Raw("TRANSP", event.transparency == Transparency::kOpaque ? "OPAQUE" : "TRANSPARENT");
    w.Raw("END", "VEVENT");
  }
  w.Raw("END", "VCALENDAR");
  return out;
}

}  // namespace tutti::scheduling
