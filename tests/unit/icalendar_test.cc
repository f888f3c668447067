// The iCalendar writer: content-line syntax (CRLF, 75-octet folding that never splits UTF-8,
// TEXT escaping), required properties, one VTIMEZONE per TZID whose offsets agree with the tz
// database, RFC 5545 §3.3.5 read-back of every local time, and golden files.
//
// Golden files live in tests/scenarios/icalendar/: <case>.ics is the writer's exact output and
// <case>.json the instants it must mean, which tests/cli/icalendar_roundtrip_test.sh checks with
// an independent parser (Python icalendar + zoneinfo). After an intended change of the output,
// regenerate them and review the diff:
//   TUTTI_UPDATE_GOLDEN=1 build/ical/tests/tutti_tests --gtest_filter='ICalendarGolden.*'
#include "tutti/scheduling/icalendar.h"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tutti::scheduling {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Instant At(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return Instant(date::sys_days(date::year(y) / mo / d)) + hours(h) + minutes(mi) + seconds(s);
}

const Instant kStamp = At(2026, 1, 15, 9, 0);
constexpr char kDomain[] = "tutti.example.com";

CalendarEvent Event(std::string id, Instant start, std::optional<Instant> end,
                    std::optional<std::string> zone, std::string summary) {
  CalendarEvent event;
  event.uid = StableUid("launch", id, kDomain);
  event.dtstamp = kStamp;
  event.start = start;
  event.end = end;
  event.zone = std::move(zone);
  event.summary = std::move(summary);
  return event;
}

CalendarFeed Feed(std::string name) {
  CalendarFeed feed;
  feed.name = std::move(name);
  feed.description = "Launches and milestones shared with partners";
  feed.color = "darkorange";
  feed.source_url = "https://tutti.example.com/feeds/calendar.ics";
  return feed;
}

// ---- A small independent reader of what the writer produced (test-only) ----

std::string Unfold(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string> Lines(std::string_view unfolded) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < unfolded.size()) {
    size_t end = unfolded.find("\r\n", pos);
    if (end == std::string_view::npos) end = unfolded.size();
    lines.emplace_back(unfolded.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

struct Property {
  std::string name, params, value;  // params: ";TZID=..." as written
};

Property Split(const std::string& line) {
  Property p;
  const size_t colon = line.find(':');
  const size_t semi = line.find(';');
  const size_t name_end = std::min(colon, semi);
  p.name = line.substr(0, name_end);
  p.params = line.substr(name_end, colon - name_end);
  p.value = line.substr(colon + 1);
  return p;
}

// "20260308T033000" -> seconds since the epoch of that wall clock.
seconds ParseDateTime(std::string_view text) {
  auto n = [&](size_t pos, size_t len) { return std::stoi(std::string(text.substr(pos, len))); };
  const date::sys_days day = date::year(n(0, 4)) / unsigned(n(4, 2)) / unsigned(n(6, 2));
  return day.time_since_epoch() + hours(n(9, 2)) + minutes(n(11, 2)) + seconds(n(13, 2));
}

seconds ParseOffset(std::string_view text) {
  const int sign = text[0] == '-' ? -1 : 1;
  auto n = [&](size_t pos) { return std::stoi(std::string(text.substr(pos, 2))); };
  seconds value = hours(n(1)) + minutes(n(3));
  if (text.size() == 7) value += seconds(n(5));
  return sign * value;
}

// A VTIMEZONE as a reader sees it: transitions in UTC with the offsets on either side.
struct ReadZone {
  struct Transition {
    seconds utc;
    seconds from, to;
    bool daylight;
  };
  std::vector<Transition> transitions;  // in file order

  seconds OffsetAt(seconds utc) const {
    seconds offset = transitions.front().from;
    for (const Transition& t : transitions) {
      if (t.utc <= utc) offset = t.to;
    }
    return offset;
  }
  // RFC 5545 §3.3.5: an ambiguous local time is its first occurrence; a nonexistent one uses the
  // offset before the gap.
  seconds Resolve(seconds local) const {
    std::set<seconds> offsets;
    for (const Transition& t : transitions) offsets.insert(t.from), offsets.insert(t.to);
    std::optional<seconds> earliest;
    for (seconds offset : offsets) {
      const seconds utc = local - offset;
      if (OffsetAt(utc) == offset && (!earliest || utc < *earliest)) earliest = utc;
    }
    if (earliest) return *earliest;
    for (const Transition& t : transitions) {
      if (t.to > t.from && local >= t.utc + t.from && local < t.utc + t.to) return local - t.from;
    }
    ADD_FAILURE() << "cannot resolve local time";
    return local;
  }
};

struct ReadEvent {
  std::string uid;
  std::map<std::string, Property> props;
};

struct ReadCalendar {
  std::map<std::string, Property> props;
  std::map<std::string, ReadZone> zones;
  std::map<std::string, int> zone_blocks;  // TZID -> number of VTIMEZONE blocks
  std::vector<ReadEvent> events;

  // The instant a DTSTART/DTEND property means.
  seconds InstantOf(const Property& p) const {
    if (p.params.empty()) {
      EXPECT_EQ(p.value.back(), 'Z') << p.name << " without TZID must be UTC, not floating";
      return ParseDateTime(p.value);
    }
    EXPECT_EQ(p.params.rfind(";TZID=", 0), 0u) << p.params;
    const std::string tzid = p.params.substr(6);
    auto zone = zones.find(tzid);
    if (zone == zones.end()) {
      ADD_FAILURE() << "no VTIMEZONE for " << tzid;
      return seconds(0);
    }
    return zone->second.Resolve(ParseDateTime(p.value));
  }
};

ReadCalendar Read(const std::string& text) {
  ReadCalendar cal;
  std::vector<std::string> stack;
  std::string tzid;
  ReadZone zone;
  ReadZone::Transition transition{};
  seconds dtstart{};
  ReadEvent event;
  for (const std::string& line : Lines(Unfold(text))) {
    Property p = Split(line);
    if (p.name == "BEGIN") {
      stack.push_back(p.value);
      if (p.value == "VTIMEZONE") zone = ReadZone();
      if (p.value == "VEVENT") event = ReadEvent();
      if (p.value == "STANDARD" || p.value == "DAYLIGHT") {
        transition = {};
        transition.daylight = p.value == "DAYLIGHT";
      }
      continue;
    }
    if (p.name == "END") {
      EXPECT_FALSE(stack.empty());
      EXPECT_EQ(stack.back(), p.value);
      stack.pop_back();
      if (p.value == "VTIMEZONE") {
        cal.zones[tzid] = zone;
        ++cal.zone_blocks[tzid];
      }
      if (p.value == "VEVENT") cal.events.push_back(event);
      if (p.value == "STANDARD" || p.value == "DAYLIGHT") {
        transition.utc = dtstart - transition.from;
        zone.transitions.push_back(transition);
      }
      continue;
    }
    EXPECT_FALSE(stack.empty()) << line;
    const std::string& in = stack.back();
    if (in == "VCALENDAR") cal.props[p.name] = p;
    if (in == "VTIMEZONE" && p.name == "TZID") tzid = p.value;
    if (in == "STANDARD" || in == "DAYLIGHT") {
      if (p.name == "DTSTART") dtstart = ParseDateTime(p.value);
      if (p.name == "TZOFFSETFROM") transition.from = ParseOffset(p.value);
      if (p.name == "TZOFFSETTO") transition.to = ParseOffset(p.value);
    }
    if (in == "VEVENT") {
      if (p.name == "UID") event.uid = p.value;
      event.props[p.name] = p;
    }
  }
  EXPECT_TRUE(stack.empty());
  return cal;
}

seconds Secs(Instant instant) { return date::floor<seconds>(instant).time_since_epoch(); }

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Checks the physical form: CRLF only, no line over 75 octets, every line valid UTF-8.
void ExpectWellFormed(const std::string& text) {
  ASSERT_GE(text.size(), 2u);
  EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at octet " << i;
    }
    if (text[i] == '\r') {
      ASSERT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at octet " << i;
    }
  }
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find("\r\n", pos);
    const std::string_view line(text.data() + pos, end - pos);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(ValidUtf8(line)) << "a fold split a UTF-8 sequence: " << line;
    pos = end + 2;
  }
}

// ---- Golden cases ----

struct GoldenCase {
  std::string name;
  CalendarFeed feed;
};

std::vector<GoldenCase> GoldenCases() {
  std::vector<GoldenCase> cases;
  const std::string ny = "America/New_York";
  {
    CalendarFeed feed = Feed("Tutti launches: New York spring forward");
    // 02:30 on 2026-03-08 does not exist; the launch engine's shift_forward puts it at 03:30 EDT.
    feed.events.push_back(Event("ny-gap-launch", At(2026, 3, 8, 7, 30), At(2026, 3, 8, 8, 30), ny,
                                "Launch (02:30 shifted to 03:30 EDT)"));
    CalendarEvent before = Event("ny-gap-checkin", At(2026, 3, 8, 6, 30), std::nullopt, ny,
                                 "Go/no-go check-in at 01:30 EST");
    before.duration = minutes(30);
    feed.events.push_back(before);
    cases.push_back({"ny_spring_forward", feed});
  }
  {
    CalendarFeed feed = Feed("Tutti launches: New York fall back");
    feed.events.push_back(Event("ny-overlap-first", At(2026, 11, 1, 5, 30), At(2026, 11, 1, 5, 50),
                                ny, "Launch at the first 01:30 (EDT)"));
    // The second 01:30 (EST) would read back as the first under RFC 5545: written in UTC.
    feed.events.push_back(Event("ny-overlap-second", At(2026, 11, 1, 6, 30), At(2026, 11, 1, 7, 0),
                                ny, "Launch at the second 01:30 (EST)"));
    feed.events.push_back(Event("ny-overlap-span", At(2026, 11, 1, 5, 0), At(2026, 11, 1, 7, 30),
                                ny, "War room across the repeated hour"));
    cases.push_back({"ny_fall_back", feed});
  }
  {
    const std::string london = "Europe/London";
    CalendarFeed feed = Feed("Tutti launches: London");
    feed.events.push_back(Event("uk-spring", At(2026, 3, 29, 1, 30), At(2026, 3, 29, 2, 0), london,
                                "Launch just after the clocks go forward"));
    feed.events.push_back(Event("uk-summer", At(2026, 6, 1, 8, 0), At(2026, 6, 1, 9, 0), london,
                                "Summer launch at 09:00 BST"));
    feed.events.push_back(Event("uk-autumn", At(2026, 10, 25, 0, 30), At(2026, 10, 25, 0, 45),
                                london, "First 01:30 on the day the clocks go back"));
    cases.push_back({"europe_london", feed});
  }
  {
    const std::string sydney = "Australia/Sydney";
    CalendarFeed feed = Feed("Tutti launches: Sydney");
    feed.events.push_back(Event("au-april-first", At(2026, 4, 4, 15, 30), At(2026, 4, 4, 15, 45),
                                sydney, "First 02:30 as daylight saving ends (AEDT)"));
    feed.events.push_back(Event("au-april-second", At(2026, 4, 4, 16, 30), At(2026, 4, 4, 16, 45),
                                sydney, "Second 02:30 as daylight saving ends (AEST)"));
    feed.events.push_back(Event("au-winter", At(2026, 6, 30, 23, 0), At(2026, 7, 1, 0, 0), sydney,
                                "Winter launch at 09:00 AEST"));
    feed.events.push_back(Event("au-october", At(2026, 10, 3, 16, 30), At(2026, 10, 3, 17, 0),
                                sydney, "03:30 AEDT just after daylight saving starts"));
    cases.push_back({"australia_sydney", feed});
  }
  {
    CalendarFeed feed = Feed("Tutti launches: Kathmandu");
    feed.events.push_back(Event("np-launch", At(2026, 6, 1, 3, 15), At(2026, 6, 1, 4, 15),
                                "Asia/Kathmandu", "Launch at 09:00 NPT (+05:45)"));
    cases.push_back({"asia_kathmandu", feed});
  }
  {
    CalendarFeed feed;  // no optional metadata: NAME, COLOR, SOURCE... are omitted
    feed.refresh_interval = hours(24);
    feed.events.push_back(Event("utc-launch", At(2026, 6, 1, 13, 0), At(2026, 6, 1, 14, 0),
                                std::nullopt, "Global launch at 13:00 UTC"));
    feed.events.push_back(Event("unknown-zone", At(2026, 6, 2, 13, 0), std::nullopt,
                                "Mars/Olympus_Mons", "Unknown zone: written in UTC"));
    cases.push_back({"utc", feed});
  }
  {
    CalendarFeed feed = Feed("Tutti 発売カレンダー — Überblick 🚀");
    CalendarEvent event =
        Event("jp-launch", At(2026, 6, 1, 0, 0), At(2026, 6, 1, 1, 0), "Asia/Tokyo",
              "東京ローンチ：パートナー全員が同時に公開する新しいキャンペーンの開始🚀🎉 — "
              "Größe, Straße, café, naïve, 日本語のテキストが七十五オクテットを超えて折り返される");
    event.description =
        "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀"
        "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé";
    event.location = "渋谷区, 東京都";
    feed.events.push_back(event);
    cases.push_back({"utf8_folding", feed});
  }
  {
    CalendarFeed feed = Feed("Escaping; commas, and \\ backslashes");
    CalendarEvent event = Event("escaping", At(2026, 6, 1, 12, 0), At(2026, 6, 1, 13, 0),
                                std::nullopt, "Launch; phase 1, \"EU\" \\ backslash");
    event.description = "Line 1\nLine 2\r\nLine 3\rTab:\tend\x01\x1f\x7f (controls dropped)";
    event.location = "Hall 3, Level 2; Berlin";
    event.url = "https://tutti.example.com/a/launch?x=1,2;y=3";
    event.categories = {"launch", "EU, UK", "a;b\\c"};
    feed.events.push_back(event);
    cases.push_back({"text_escaping", feed});
  }
  {
    CalendarFeed feed = Feed("Tutti launches: all markets");
    const std::vector<std::pair<std::string, std::string>> markets = {{"us", ny},
                                                                      {"uk", "Europe/London"},
                                                                      {"jp", "Asia/Tokyo"},
                                                                      {"au", "Australia/Sydney"},
                                                                      {"np", "Asia/Kathmandu"}};
    for (int round = 0; round < 2; ++round) {
      for (const auto& [market, zone] : markets) {
        const Instant start = At(2026, 6, 1, 13, 0) + date::days(round * 150);
        feed.events.push_back(Event(market + "-" + std::to_string(round), start, start + hours(1),
                                    zone, "Launch in " + zone));
      }
    }
    cases.push_back({"several_zones", feed});
  }
  {
    CalendarFeed feed = Feed("Tutti launches: changes");
    CalendarEvent cancelled = Event("cancelled", At(2026, 7, 1, 14, 0), At(2026, 7, 1, 15, 0),
                                    "Europe/London", "Launch (cancelled)");
    cancelled.sequence = 3;
    cancelled.dtstamp = At(2026, 6, 20, 10, 0);
    cancelled.status = EventStatus::kCancelled;
    cancelled.transparency = Transparency::kTransparent;
    feed.events.push_back(cancelled);
    CalendarEvent tentative = Event("tentative", At(2026, 7, 8, 14, 0), std::nullopt,
                                    "Europe/London", "Fallback launch (tentative)");
    tentative.sequence = 1;
    tentative.duration = hours(36) + seconds(5);
    tentative.status = EventStatus::kTentative;
    feed.events.push_back(tentative);
    cases.push_back({"cancelled_event", feed});
  }
  return cases;
}

// What the golden .ics must mean, for the independent checker (check.py).
std::string ExpectedJson(const CalendarFeed& feed) {
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const CalendarEvent& event : feed.events) {
    nlohmann::ordered_json e;
    e["uid"] = event.uid;
    e["start"] = date::format("%FT%TZ", date::floor<seconds>(event.start));
    if (event.end) e["end"] = date::format("%FT%TZ", date::floor<seconds>(*event.end));
    if (event.duration) e["duration_seconds"] = event.duration->count();
    e["zone"] = event.zone ? nlohmann::ordered_json(*event.zone) : nlohmann::ordered_json();
    events.push_back(e);
  }
  nlohmann::ordered_json root;
  root["events"] = events;
  return root.dump(2) + "\n";
}

const CalendarFeed& Golden(const std::string& name) {
  static const std::vector<GoldenCase> cases = GoldenCases();
  for (const GoldenCase& golden : cases) {
    if (golden.name == name) return golden.feed;
  }
  ADD_FAILURE() << "no golden case " << name;
  return cases.front().feed;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ---- LocalTimeIn ----

TEST(ICalendarLocalTime, WritesShiftedSpringForwardLaunchAsEdt) {
  Result<std::string> local = LocalTimeIn("America/New_York", At(2026, 3, 8, 7, 30));
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(*local, "20260308T033000");
}

TEST(ICalendarLocalTime, WritesFirstOccurrenceOfRepeatedHour) {
  Result<std::string> local = LocalTimeIn("America/New_York", At(2026, 11, 1, 5, 30));
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(*local, "20261101T013000");
}

TEST(ICalendarLocalTime, RefusesSecondOccurrenceOfRepeatedHour) {
  Result<std::string> local = LocalTimeIn("America/New_York", At(2026, 11, 1, 6, 30));
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(local.status().reason(), "ambiguous_local_time");
  EXPECT_NE(local.status().message().find("20261101T013000"), std::string::npos);
  EXPECT_NE(local.status().message().find("America/New_York"), std::string::npos);
}

TEST(ICalendarLocalTime, HandlesSouthernHemisphereAndQuarterHourZones) {
  EXPECT_EQ(*LocalTimeIn("Australia/Sydney", At(2026, 4, 4, 15, 30)), "20260405T023000");
  EXPECT_EQ(LocalTimeIn("Australia/Sydney", At(2026, 4, 4, 16, 30)).status().reason(),
            "ambiguous_local_time");
  EXPECT_EQ(*LocalTimeIn("Australia/Sydney", At(2026, 10, 3, 16, 30)), "20261004T033000");
  EXPECT_EQ(*LocalTimeIn("Asia/Kathmandu", At(2026, 6, 1, 3, 15)), "20260601T090000");
  EXPECT_EQ(*LocalTimeIn("Australia/Lord_Howe", At(2026, 1, 1, 0, 0)), "20260101T110000");
}

TEST(ICalendarLocalTime, RefusesUnknownZone) {
  Result<std::string> local = LocalTimeIn("Mars/Olympus_Mons", At(2026, 6, 1, 0, 0));
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.status().reason(), "unknown_time_zone");
}

TEST(ICalendarLocalTime, TruncatesMilliseconds) {
  EXPECT_EQ(*LocalTimeIn("Etc/UTC", At(2026, 6, 1, 0, 0, 59) + std::chrono::milliseconds(999)),
            "20260601T000059");
}

// ---- Escaping and folding ----

TEST(ICalendarText, EscapesBackslashSemicolonCommaAndNewlines) {
  EXPECT_EQ(EscapeICalendarText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeICalendarText("plain: \"quoted\" text"), "plain: \"quoted\" text");
}

TEST(ICalendarText, DropsControlCharactersButKeepsTab) {
  EXPECT_EQ(EscapeICalendarText(std::string("a\x01\x08\tb\x0b\x1f\x7f"
                                            "c",
                                            9)),
            "a\tbc");
  EXPECT_EQ(EscapeICalendarText(std::string("nul\0byte", 8)), "nulbyte");
}

TEST(ICalendarText, KeepsUtf8AndReplacesInvalidSequences) {
  EXPECT_EQ(EscapeICalendarText("Größe 東京 🚀"), "Größe 東京 🚀");
  EXPECT_EQ(EscapeICalendarText("bad\xC3"), "bad\xEF\xBF\xBD");            // truncated
  EXPECT_EQ(EscapeICalendarText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(EscapeICalendarText("\xED\xA0\x80"),                           // surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EscapeICalendarText("\xF4\x90\x80\x80").substr(0, 3), "\xEF\xBF\xBD");  // > U+10FFFF
}

TEST(ICalendarFold, LeavesShortLinesAlone) {
  const std::string line(75, 'x');
  EXPECT_EQ(FoldICalendarLine(line), line + "\r\n");
}

TEST(ICalendarFold, FoldsAt75OctetsWithOneSpace) {
  const std::string line(76 + 74, 'x');
  EXPECT_EQ(FoldICalendarLine(line),
            std::string(75, 'x') + "\r\n " + std::string(74, 'x') + "\r\n " + "x\r\n");
}

TEST(ICalendarFold, KeepsEscapePairsOnOneLine) {
  const std::string line = "SUMMARY:" + std::string(66, 'x') + "\\;" + std::string(10, 'y');
  EXPECT_EQ(FoldICalendarLine(line),
            "SUMMARY:" + std::string(66, 'x') + "\r\n \\;" + std::string(10, 'y') + "\r\n");
  // An even run of backslashes ends in a complete pair: the usual cut at 75 octets is kept.
  const std::string pairs = "SUMMARY:" + std::string(65, 'x') + "\\\\" + std::string(10, 'y');
  EXPECT_EQ(FoldICalendarLine(pairs).substr(0, 77), "SUMMARY:" + std::string(65, 'x') + "\\\\\r\n");
}

// Random lines of 1- to 4-octet characters: every physical line is at most 75 octets and valid
// UTF-8 on its own, and unfolding gives back the original line.
TEST(ICalendarFold, NeverSplitsUtf8AndUnfoldsToTheOriginal) {
  const std::vector<std::string> alphabet = {"a", "\\;", "\\\\", "\\n", "é", "ß", "東", "🚀", "€"};
  std::mt19937 random(20260308);
  for (int round = 0; round < 2000; ++round) {
    std::string line = "SUMMARY:";
    const size_t length = random() % 200;
    for (size_t i = 0; i < length; ++i) line += alphabet[random() % alphabet.size()];
    const std::string folded = FoldICalendarLine(line);
    ExpectWellFormed(folded);
    for (size_t end = folded.find("\r\n"); end != std::string::npos;
         end = folded.find("\r\n", end + 2)) {
      size_t run = 0;
      while (run < end && folded[end - 1 - run] == '\\') ++run;
      EXPECT_EQ(run % 2, 0u) << "a fold split an escape pair: " << folded;
    }
    EXPECT_EQ(Lines(Unfold(folded)), std::vector<std::string>{line});
    if (HasFailure()) break;
  }
}

// ---- Whole feeds ----

TEST(ICalendarWriter, WritesRequiredCalendarAndEventProperties) {
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    const std::string text = WriteICalendar(golden.feed);
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tutti//Tutti 0.1//EN\r\n"
                         "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
                         0),
              0u);
    const ReadCalendar cal = Read(text);
    ASSERT_EQ(cal.events.size(), golden.feed.events.size());
    for (size_t i = 0; i < cal.events.size(); ++i) {
      const ReadEvent& event = cal.events[i];
      EXPECT_EQ(event.uid, golden.feed.events[i].uid);
      for (const char* name : {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "SUMMARY", "STATUS"}) {
        EXPECT_TRUE(event.props.count(name)) << name << " missing in " << event.uid;
      }
      EXPECT_EQ(event.props.at("DTSTAMP").value.back(), 'Z');
      EXPECT_FALSE(event.props.count("DTEND") && event.props.count("DURATION"));
    }
  }
}

TEST(ICalendarWriter, WritesFeedMetadataOfRfc7986) {
  CalendarFeed feed = Feed("Partner launches");
  feed.refresh_interval = minutes(90);
  const std::string text = WriteICalendar(feed);
  for (const char* line :
       {"\r\nNAME:Partner launches\r\n", "\r\nX-WR-CALNAME:Partner launches\r\n",
        "\r\nCOLOR:darkorange\r\n", "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n",
        "\r\nX-PUBLISHED-TTL:PT1H30M\r\n",
        "\r\nSOURCE;VALUE=URI:https://tutti.example.com/feeds/calendar.ics\r\n",
        "\r\nDESCRIPTION:Launches and milestones shared with partners\r\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(text.find("VTIMEZONE"), std::string::npos);
}

TEST(ICalendarWriter, UsesCrlfAndFoldsEveryFeedSafely) {
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    ExpectWellFormed(WriteICalendar(golden.feed));
  }
}

TEST(ICalendarWriter, UnfoldingRestoresEscapedValues) {
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    const ReadCalendar cal = Read(WriteICalendar(golden.feed));
    for (size_t i = 0; i < cal.events.size(); ++i) {
      const CalendarEvent& event = golden.feed.events[i];
      EXPECT_EQ(cal.events[i].props.at("SUMMARY").value, EscapeICalendarText(event.summary));
      if (!event.description.empty()) {
        EXPECT_EQ(cal.events[i].props.at("DESCRIPTION").value,
                  EscapeICalendarText(event.description));
      }
    }
  }
}

// Arbitrary bytes in every free-text field (invalid UTF-8, controls, CR/LF, escapes) still give
// a well-formed feed whose values unfold and unescape to the sanitized input.
TEST(ICalendarWriter, StaysWellFormedForArbitraryBytes) {
  std::mt19937 random(5545);
  auto bytes = [&] {
    std::string s(random() % 160, '\0');
    for (char& c : s) c = static_cast<char>(random() % 256);
    return s;
  };
  CalendarFeed feed;
  feed.name = bytes();
  feed.description = bytes();
  feed.source_url = bytes();
  for (int i = 0; i < 300; ++i) {
    CalendarEvent event =
        Event(std::to_string(i), At(2026, 6, 1, 0, 0), std::nullopt, std::nullopt, bytes());
    event.uid = bytes() + "x";
    event.description = bytes();
    event.location = bytes();
    event.url = bytes();
    event.categories = {bytes(), bytes()};
    feed.events.push_back(event);
  }
  const std::string text = WriteICalendar(feed);
  ExpectWellFormed(text);
  const ReadCalendar cal = Read(text);
  ASSERT_EQ(cal.events.size(), feed.events.size());
  for (size_t i = 0; i < feed.events.size(); ++i) {
    EXPECT_EQ(cal.events[i].props.at("SUMMARY").value, EscapeICalendarText(feed.events[i].summary));
  }
  for (char c : Unfold(text)) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 || c == '\t' || c == '\r' || c == '\n') << int(u);
    EXPECT_NE(u, 0x7F);
  }
}

TEST(ICalendarWriter, EscapesTextButNotUris) {
  const std::string text = Unfold(WriteICalendar(Golden("text_escaping")));
  EXPECT_NE(text.find("SUMMARY:Launch\\; phase 1\\, \"EU\" \\\\ backslash\r\n"), std::string::npos);
  EXPECT_NE(text.find("DESCRIPTION:Line 1\\nLine 2\\nLine 3\\nTab:\tend (controls dropped)\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("CATEGORIES:launch,EU\\, UK,a\\;b\\\\c\r\n"), std::string::npos);
  EXPECT_NE(text.find("URL:https://tutti.example.com/a/launch?x=1,2;y=3\r\n"), std::string::npos);
}

TEST(ICalendarWriter, WritesOneVtimezonePerTzidInOrderOfFirstUse) {
  const std::string text = WriteICalendar(Golden("several_zones"));
  const ReadCalendar cal = Read(text);
  std::set<std::string> referenced;
  for (const ReadEvent& event : cal.events) {
    for (const char* name : {"DTSTART", "DTEND"}) {
      const std::string& params = event.props.at(name).params;
      if (!params.empty()) referenced.insert(params.substr(6));
    }
  }
  EXPECT_EQ(referenced, (std::set<std::string>{"America/New_York", "Europe/London", "Asia/Tokyo",
                                               "Australia/Sydney", "Asia/Kathmandu"}));
  EXPECT_EQ(cal.zone_blocks.size(), referenced.size());
  for (const auto& [tzid, blocks] : cal.zone_blocks) {
    EXPECT_EQ(blocks, 1) << tzid;
    EXPECT_NE(text.find("\r\nX-LIC-LOCATION:" + tzid + "\r\n"), std::string::npos);
  }
  EXPECT_LT(text.find("TZID:America/New_York"), text.find("TZID:Europe/London"));
  EXPECT_LT(text.find("TZID:Asia/Tokyo"), text.find("TZID:Australia/Sydney"));
}

TEST(ICalendarWriter, ZonesWithoutTransitionsGetOneStandardBlock) {
  for (const char* zone : {"Asia/Tokyo", "Asia/Kathmandu", "Etc/UTC"}) {
    CalendarFeed feed;
    feed.events.push_back(Event("x", At(2026, 6, 1, 0, 0), std::nullopt, zone, "x"));
    const ReadCalendar cal = Read(WriteICalendar(feed));
    ASSERT_EQ(cal.zones.count(zone), 1u) << zone;
    const ReadZone& read = cal.zones.at(zone);
    ASSERT_EQ(read.transitions.size(), 1u) << zone;
    EXPECT_FALSE(read.transitions[0].daylight);
  }
  CalendarFeed kathmandu;
  kathmandu.events.push_back(Event("x", At(2026, 6, 1, 0, 0), {}, "Asia/Kathmandu", "x"));
  const std::string text = WriteICalendar(kathmandu);
  EXPECT_NE(text.find("DTSTART:19860101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0545\r\n"
                      "TZNAME:+0545\r\n"),
            std::string::npos);
}

TEST(ICalendarWriter, WritesEachTransitionWithTheLocalTimeBeforeIt) {
  CalendarFeed feed;
  feed.events.push_back(Event("x", At(2026, 6, 1, 0, 0), std::nullopt, "America/New_York", "x"));
  const std::string text = WriteICalendar(feed);
  EXPECT_NE(text.find("BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\n"
                      "TZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\n"
                      "TZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n"),
            std::string::npos);
  EXPECT_EQ(text.find("RRULE"), std::string::npos);
  // The span of the events plus a year on either side, and no more.
  EXPECT_NE(text.find("DTSTART:20250309T020000"), std::string::npos);
  EXPECT_NE(text.find("DTSTART:20270314T020000"), std::string::npos);
  EXPECT_EQ(text.find("DTSTART:20240310T020000"), std::string::npos);
  EXPECT_EQ(text.find("DTSTART:20280312T020000"), std::string::npos);
}

// For every zoned feed: at each hour of the span the VTIMEZONE must cover (its events' times
// plus a year on either side), the offset a reader derives from the block equals the tz
// database's.
TEST(ICalendarWriter, VtimezoneOffsetsMatchTheTzDatabase) {
  for (const GoldenCase& golden : GoldenCases()) {
    const ReadCalendar cal = Read(WriteICalendar(golden.feed));
    for (const auto& [tzid, zone] : cal.zones) {
      SCOPED_TRACE(golden.name + " " + tzid);
      seconds earliest = seconds::max(), latest = seconds::min();
      for (const ReadEvent& event : cal.events) {
        for (const char* name : {"DTSTART", "DTEND"}) {
          auto p = event.props.find(name);
          if (p == event.props.end() || p->second.params != ";TZID=" + tzid) continue;
          earliest = std::min(earliest, cal.InstantOf(p->second));
          latest = std::max(latest, cal.InstantOf(p->second));
        }
      }
      ASSERT_LE(earliest, latest);
      const date::time_zone* tz = date::locate_zone(tzid);
      for (seconds t = earliest - date::days(366); t < latest + date::days(366); t += hours(1)) {
        const date::sys_info info = tz->get_info(date::sys_seconds(t));
        ASSERT_EQ(zone.OffsetAt(t), info.offset) << date::format("%FT%TZ", date::sys_seconds(t));
      }
    }
  }
}

// Property: every instant, written in any zone, reads back (RFC 5545 §3.3.5 through the feed's
// own VTIMEZONE) as exactly that instant; only second occurrences of a repeated hour are in UTC.
TEST(ICalendarWriter, EveryTimeReadsBackAsItsInstant) {
  const std::vector<std::pair<std::string, Instant>> days = {
      {"America/New_York", At(2026, 3, 8, 0, 0)},    {"America/New_York", At(2026, 11, 1, 0, 0)},
      {"Europe/London", At(2026, 3, 29, 0, 0)},      {"Europe/London", At(2026, 10, 25, 0, 0)},
      {"Australia/Sydney", At(2026, 4, 4, 0, 0)},    {"Australia/Sydney", At(2026, 10, 3, 0, 0)},
      {"Australia/Lord_Howe", At(2026, 4, 4, 0, 0)}, {"Asia/Kathmandu", At(2026, 6, 1, 0, 0)},
      {"America/Sao_Paulo", At(2026, 1, 1, 0, 0)}};
  for (const auto& [zone, day] : days) {
    SCOPED_TRACE(zone);
    CalendarFeed feed;
    for (int quarter = 0; quarter < 4 * 36; ++quarter) {
      const Instant start = day + minutes(15 * quarter);
      feed.events.push_back(Event(std::to_string(quarter), start, start + minutes(15), zone, "x"));
    }
    const ReadCalendar cal = Read(WriteICalendar(feed));
    ASSERT_EQ(cal.events.size(), feed.events.size());
    const date::time_zone* tz = date::locate_zone(zone);
    for (size_t i = 0; i < feed.events.size(); ++i) {
      const CalendarEvent& event = feed.events[i];
      const Property& start = cal.events[i].props.at("DTSTART");
      EXPECT_EQ(cal.InstantOf(start), Secs(event.start)) << start.params << ":" << start.value;
      EXPECT_EQ(cal.InstantOf(cal.events[i].props.at("DTEND")), Secs(*event.end));
      const bool in_utc = start.params.empty();
      const bool expressible =
          LocalTimeIn(zone, event.start).ok() && LocalTimeIn(zone, *event.end).ok();
      EXPECT_EQ(in_utc, !expressible) << start.value;
      if (in_utc) {
        // Only the repeated hour: the local time exists twice.
        const date::local_seconds local(Secs(event.start) +
                                        tz->get_info(date::floor<seconds>(event.start)).offset);
        const bool end_repeated =
            tz->get_info(date::local_seconds(Secs(*event.end) +
                                             tz->get_info(date::floor<seconds>(*event.end)).offset))
                .result == date::local_info::ambiguous;
        EXPECT_TRUE(tz->get_info(local).result == date::local_info::ambiguous || end_repeated);
      }
    }
  }
}

TEST(ICalendarWriter, WritesTheSecondOccurrenceAndUnknownZonesInUtc) {
  const std::string fall = WriteICalendar(Golden("ny_fall_back"));
  EXPECT_NE(fall.find("DTSTART;TZID=America/New_York:20261101T013000\r\n"), std::string::npos);
  EXPECT_NE(fall.find("DTSTART:20261101T063000Z\r\nDTEND:20261101T070000Z\r\n"), std::string::npos);
  EXPECT_NE(fall.find("DTSTART;TZID=America/New_York:20261101T010000\r\n"
                      "DTEND;TZID=America/New_York:20261101T023000\r\n"),
            std::string::npos);
  const std::string spring = WriteICalendar(Golden("ny_spring_forward"));
  EXPECT_NE(spring.find("DTSTART;TZID=America/New_York:20260308T033000\r\n"), std::string::npos);
  const std::string utc = WriteICalendar(Golden("utc"));
  EXPECT_NE(utc.find("DTSTART:20260602T130000Z\r\n"), std::string::npos);
  EXPECT_EQ(utc.find("VTIMEZONE"), std::string::npos);
  EXPECT_EQ(utc.find("Mars"), std::string::npos);
}

TEST(ICalendarWriter, WritesDurationsInExactUnits) {
  CalendarFeed feed;
  for (seconds duration :
       {seconds(hours(36) + seconds(5)), seconds(minutes(90)), seconds(45), seconds(minutes(2))}) {
    CalendarEvent event = Event("d", At(2026, 6, 1, 0, 0), std::nullopt, std::nullopt, "x");
    event.duration = duration;
    feed.events.push_back(event);
  }
  const std::string text = WriteICalendar(feed);
  for (const char* line : {"DURATION:PT36H0M5S\r\n", "DURATION:PT1H30M\r\n", "DURATION:PT45S\r\n",
                           "DURATION:PT2M\r\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

TEST(ICalendarWriter, OmitsEndsNotAfterTheStart) {
  CalendarFeed feed;
  feed.events.push_back(
      Event("x", At(2026, 6, 1, 12, 0), At(2026, 6, 1, 11, 0), std::nullopt, "backwards"));
  const std::string text = WriteICalendar(feed);
  EXPECT_EQ(text.find("DTEND"), std::string::npos);
  EXPECT_EQ(text.find("\r\nDURATION:"), std::string::npos);
}

TEST(ICalendarStableUid, CombinesKindIdAndDomain) {
  EXPECT_EQ(StableUid("milestone", "brief", "tutti.example.com"),
            "milestone-brief@tutti.example.com");
  EXPECT_EQ(StableUid("post", "a b@c/é", "x.test"), "post-a%20b%40c%2F%C3%A9@x.test");
  EXPECT_NE(StableUid("post", "a@b", "c"), StableUid("post", "a", "b@c"));
}

// ---- Golden files ----

TEST(ICalendarGolden, OutputMatchesCheckedInFilesByteForByte) {
  const bool update = std::getenv("TUTTI_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("TUTTI_UPDATE_GOLDEN")) == "1";
  const std::string dir = std::string(TUTTI_SCENARIOS_DIR) + "/icalendar/";
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    const std::string ics = WriteICalendar(golden.feed);
    const std::string json = ExpectedJson(golden.feed);
    if (update) {
      std::ofstream(dir + golden.name + ".ics", std::ios::binary) << ics;
      std::ofstream(dir + golden.name + ".json", std::ios::binary) << json;
      continue;
    }
    EXPECT_EQ(ReadFile(dir + golden.name + ".ics"), ics)
        << "regenerate with TUTTI_UPDATE_GOLDEN=1 (see the top of this file)";
    EXPECT_EQ(ReadFile(dir + golden.name + ".json"), json);
  }
}

}  // namespace
}  // namespace tutti::scheduling
