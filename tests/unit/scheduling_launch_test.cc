// Launch instants: local wall-clock times in IANA zones, table-driven at the DST transitions of
// zones in both hemispheres (A3), with the RFC 5545 gap rule (A2 rule 4) as "shift_forward".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tutti/scheduling/launch.h"

namespace tutti::scheduling {
namespace {

Instant Utc(const std::string& text) {
  Result<Instant> parsed = ParseInstant(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Instant{};
}

LocalDateTime Local(const std::string& text) {
  Result<LocalDateTime> parsed = ParseLocalDateTime(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : LocalDateTime{};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// Local date-times as text.

TEST(LaunchLocalTime, AcceptsMinutesAndSeconds) {
  LocalDateTime minutes = Local("2026-06-01T09:00");
  EXPECT_EQ(minutes.year, 2026);
  EXPECT_EQ(minutes.month, 6);
  EXPECT_EQ(minutes.day, 1);
  EXPECT_EQ(minutes.hour, 9);
  EXPECT_EQ(minutes.minute, 0);
  EXPECT_EQ(minutes.second, 0);
  EXPECT_EQ(Local("2026-06-01T09:00:30").second, 30);
}

TEST(LaunchLocalTime, PrintsSecondsOnlyWhenNotZero) {
  EXPECT_EQ(Local("2026-06-01T09:00").ToString(), "2026-06-01T09:00");
  EXPECT_EQ(Local("2026-06-01T09:00:00").ToString(), "2026-06-01T09:00");
  EXPECT_EQ(Local("2026-06-01T09:00:30").ToString(), "2026-06-01T09:00:30");
  EXPECT_EQ(Local("2028-02-29T23:59:59").ToString(), "2028-02-29T23:59:59");
}

TEST(LaunchLocalTime, RefusesAnythingButTheStrictForm) {
  for (const char* text : {"",
                           "2026-06-01",
                           "2026-06-01 09:00",
                           "2026-6-01T09:00",
                           "2026-06-1T09:00",
                           "2026-06-01T9:00",
                           "2026-06-01T09:0",
                           "2026-06-01T09:00:3",
                           "2026-06-01T09:00:",
                           " 2026-06-01T09:00",
                           "2026-06-01T09:00 ",
                           "2026-06-01t09:00",
                           "2026-06-01T09:00Z",
                           "2026-06-01T09:00:00Z",
                           "2026-06-01T09:00+02:00",
                           "2026-06-01T09:00:00.5",
                           "2026-02-29T09:00",
                           "2026-02-30T09:00",
                           "2026-13-01T09:00",
                           "2026-00-01T09:00",
                           "2026-06-00T09:00",
                           "2026-06-01T24:00",
                           "2026-06-01T09:60",
                           "2026-06-01T09:00:60",
                           "+026-06-01T09:00"}) {
    Result<LocalDateTime> parsed = ParseLocalDateTime(text);
    ASSERT_FALSE(parsed.ok()) << "accepted \"" << text << "\"";
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(parsed.status().reason(), "invalid_local_time") << text;
  }
}

TEST(LaunchLocalTime, ExplainsThatZonesComeFromTheMarkets) {
  Result<LocalDateTime> parsed = ParseLocalDateTime("2026-06-01T09:00Z");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(Contains(parsed.status().message(), "markets give the zones"))
      << parsed.status().message();
}

// ---------------------------------------------------------------------------------------------
// Unique local times: ordinary days, and the instants right beside each transition.

struct UniqueCase {
  std::string zone;
  std::string local;
  std::string utc;
};

TEST(LaunchInstant, ConvertsUnambiguousLocalTimes) {
  const std::vector<UniqueCase> cases = {
      // Ordinary days, summer and winter, both hemispheres and odd offsets.
      {"America/New_York", "2026-06-01T09:00", "2026-06-01T13:00:00Z"},
      {"America/New_York", "2026-01-15T09:00", "2026-01-15T14:00:00Z"},
      {"Europe/London", "2026-01-15T12:00", "2026-01-15T12:00:00Z"},
      {"Europe/London", "2026-06-01T09:00", "2026-06-01T08:00:00Z"},
      {"Australia/Sydney", "2026-06-01T09:00", "2026-05-31T23:00:00Z"},
      {"Australia/Sydney", "2026-12-01T09:00", "2026-11-30T22:00:00Z"},
      {"Australia/Lord_Howe", "2026-06-01T09:00", "2026-05-31T22:30:00Z"},
      {"Australia/Lord_Howe", "2026-12-01T09:00", "2026-11-30T22:00:00Z"},
      {"Asia/Kathmandu", "2026-06-01T09:00", "2026-06-01T03:15:00Z"},
      {"Asia/Kathmandu", "2026-03-08T02:30", "2026-03-07T20:45:00Z"},
      {"Asia/Tokyo", "2026-06-01T09:00", "2026-06-01T00:00:00Z"},
      {"Asia/Tokyo", "2026-11-01T01:30", "2026-10-31T16:30:00Z"},
      {"Etc/UTC", "2026-06-01T09:00:30", "2026-06-01T09:00:30Z"},
      // Beside New York's gap (02:00 -> 03:00) and overlap (02:00 -> 01:00).
      {"America/New_York", "2026-03-08T01:59:59", "2026-03-08T06:59:59Z"},
      {"America/New_York", "2026-03-08T03:00", "2026-03-08T07:00:00Z"},
      {"America/New_York", "2026-11-01T00:59:59", "2026-11-01T04:59:59Z"},
      {"America/New_York", "2026-11-01T02:00", "2026-11-01T07:00:00Z"},
      // London (01:00 -> 02:00 in March, 02:00 -> 01:00 in October).
      {"Europe/London", "2026-03-29T00:59", "2026-03-29T00:59:00Z"},
      {"Europe/London", "2026-03-29T02:00", "2026-03-29T01:00:00Z"},
      {"Europe/London", "2026-10-25T00:59", "2026-10-24T23:59:00Z"},
      {"Europe/London", "2026-10-25T02:00", "2026-10-25T02:00:00Z"},
      // Sydney: the southern hemisphere falls back in April and springs forward in October.
      {"Australia/Sydney", "2026-04-05T01:59", "2026-04-04T14:59:00Z"},
      {"Australia/Sydney", "2026-04-05T03:00", "2026-04-04T17:00:00Z"},
      {"Australia/Sydney", "2026-10-04T01:59", "2026-10-03T15:59:00Z"},
      {"Australia/Sydney", "2026-10-04T03:00", "2026-10-03T16:00:00Z"},
      // Lord Howe: 30-minute shifts (01:30-02:00 repeated in April, 02:00-02:30 skipped in Oct).
      {"Australia/Lord_Howe", "2026-04-05T01:29", "2026-04-04T14:29:00Z"},
      {"Australia/Lord_Howe", "2026-04-05T02:00", "2026-04-04T15:30:00Z"},
      {"Australia/Lord_Howe", "2026-10-04T01:59", "2026-10-03T15:29:00Z"},
      {"Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-03T15:30:00Z"},
  };
  for (const UniqueCase& c : cases) {
    Result<Instant> instant =
        LocalToInstant(Local(c.local), c.zone, GapPolicy::kError, OverlapPolicy::kError, "M");
    ASSERT_TRUE(instant.ok()) << c.zone << " " << c.local << ": " << instant.status().ToString();
    EXPECT_EQ(FormatInstant(*instant), FormatInstant(Utc(c.utc))) << c.zone << " " << c.local;
  }
}

// ---------------------------------------------------------------------------------------------
// Gaps: refused by default; shift_forward reads the time with the offset before the gap.

struct GapCase {
  std::string market;
  std::string zone;
  std::string local;
  std::string skipped;        // as the message shows it
  std::string shifted_utc;    // under shift_forward
  std::string shifted_local;  // the wall-clock time that instant shows, for the reader
};

const std::vector<GapCase>& GapCases() {
  static const std::vector<GapCase> cases = {
      {"US", "America/New_York", "2026-03-08T02:30", "02:00-03:00", "2026-03-08T07:30:00Z",
       "03:30 EDT"},
      {"US", "America/New_York", "2026-03-08T02:00", "02:00-03:00", "2026-03-08T07:00:00Z",
       "03:00 EDT"},
      {"US", "America/New_York", "2026-03-08T02:59:59", "02:00-03:00", "2026-03-08T07:59:59Z",
       "03:59:59 EDT"},
      {"GB", "Europe/London", "2026-03-29T01:30", "01:00-02:00", "2026-03-29T01:30:00Z",
       "02:30 BST"},
      {"AU", "Australia/Sydney", "2026-10-04T02:30", "02:00-03:00", "2026-10-03T16:30:00Z",
       "03:30 AEDT"},
      {"LH", "Australia/Lord_Howe", "2026-10-04T02:15", "02:00-02:30", "2026-10-03T15:45:00Z",
       "02:45 +11"},
      {"ES", "Europe/Madrid", "2026-03-29T02:30", "02:00-03:00", "2026-03-29T01:30:00Z",
       "03:30 CEST"},
      // Nepal moved from +05:30 to +05:45 at midnight: a 15-minute gap.
      {"NP", "Asia/Kathmandu", "1986-01-01T00:10", "00:00-00:15", "1985-12-31T18:40:00Z",
       "00:25 +0545"},
      // Samoa skipped Friday 2011-12-30 altogether; the end of the gap is another day.
      {"WS", "Pacific/Apia", "2011-12-30T12:00", "00:00-2011-12-31T00:00", "2011-12-30T22:00:00Z",
       "2011-12-31T12:00 +14"},
  };
  return cases;
}

TEST(LaunchInstant, RefusesLocalTimeInDstGapNamingMarketTimeZoneAndInterval) {
  for (const GapCase& c : GapCases()) {
    for (OverlapPolicy on_overlap :
         {OverlapPolicy::kError, OverlapPolicy::kEarliest, OverlapPolicy::kLatest}) {
      Result<Instant> instant =
          LocalToInstant(Local(c.local), c.zone, GapPolicy::kError, on_overlap, c.market);
      ASSERT_FALSE(instant.ok()) << c.zone << " " << c.local;
      const Status& status = instant.status();
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(status.reason(), "dst_gap") << c.zone << " " << c.local;
      EXPECT_EQ(status.message(), "market " + c.market + ": " + c.local + " does not exist in " +
                                      c.zone + " (clocks skip " + c.skipped + ")");
    }
  }
}

TEST(LaunchInstant, ShiftsGapTimesForwardByTheGapLength) {
  for (const GapCase& c : GapCases()) {
    Result<Instant> instant = LocalToInstant(Local(c.local), c.zone, GapPolicy::kShiftForward,
                                             OverlapPolicy::kError, c.market);
    ASSERT_TRUE(instant.ok()) << c.zone << " " << c.local << ": " << instant.status().ToString();
    EXPECT_EQ(FormatInstant(*instant), FormatInstant(Utc(c.shifted_utc)))
        << c.zone << " " << c.local << " should become " << c.shifted_local;
  }
}

TEST(LaunchInstant, MatchesTheRfc5545ExampleForNewYork) {
  // RFC 5545 §3.3.5: TZID=America/New_York:20070311T023000 is 03:30 EDT (07:30Z).
  Result<Instant> instant = LocalToInstant(Local("2007-03-11T02:30"), "America/New_York",
                                           GapPolicy::kShiftForward, OverlapPolicy::kError, "US");
  ASSERT_TRUE(instant.ok());
  EXPECT_EQ(*instant, Utc("2007-03-11T07:30:00Z"));
}

TEST(LaunchInstant, GapMessageIsTheDocumentedOne) {
  Result<Instant> instant = LocalToInstant(Local("2026-03-08T02:30"), "America/New_York",
                                           GapPolicy::kError, OverlapPolicy::kError, "US");
  ASSERT_FALSE(instant.ok());
  EXPECT_EQ(instant.status().message(),
            "market US: 2026-03-08T02:30 does not exist in America/New_York (clocks skip "
            "02:00-03:00)");
}

// ---------------------------------------------------------------------------------------------
// Overlaps: refused by default; earliest and latest pick the first or second occurrence.

struct OverlapCase {
  std::string market;
  std::string zone;
  std::string local;
  std::string repeated;
  std::string earliest_utc;
  std::string latest_utc;
};

const std::vector<OverlapCase>& OverlapCases() {
  static const std::vector<OverlapCase> cases = {
      {"US", "America/New_York", "2026-11-01T01:30", "01:00-02:00", "2026-11-01T05:30:00Z",
       "2026-11-01T06:30:00Z"},
      {"US", "America/New_York", "2026-11-01T01:00", "01:00-02:00", "2026-11-01T05:00:00Z",
       "2026-11-01T06:00:00Z"},
      {"US", "America/New_York", "2026-11-01T01:59:59", "01:00-02:00", "2026-11-01T05:59:59Z",
       "2026-11-01T06:59:59Z"},
      {"GB", "Europe/London", "2026-10-25T01:30", "01:00-02:00", "2026-10-25T00:30:00Z",
       "2026-10-25T01:30:00Z"},
      {"AU", "Australia/Sydney", "2026-04-05T02:30", "02:00-03:00", "2026-04-04T15:30:00Z",
       "2026-04-04T16:30:00Z"},
      {"LH", "Australia/Lord_Howe", "2026-04-05T01:45", "01:30-02:00", "2026-04-04T14:45:00Z",
       "2026-04-04T15:15:00Z"},
      {"ES", "Europe/Madrid", "2026-10-25T02:30", "02:00-03:00", "2026-10-25T00:30:00Z",
       "2026-10-25T01:30:00Z"},
  };
  return cases;
}

TEST(LaunchInstant, RefusesLocalTimeInDstOverlapNamingMarketTimeZoneAndInterval) {
  for (const OverlapCase& c : OverlapCases()) {
    for (GapPolicy on_gap : {GapPolicy::kError, GapPolicy::kShiftForward}) {
      Result<Instant> instant =
          LocalToInstant(Local(c.local), c.zone, on_gap, OverlapPolicy::kError, c.market);
      ASSERT_FALSE(instant.ok()) << c.zone << " " << c.local;
      const Status& status = instant.status();
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(status.reason(), "dst_overlap") << c.zone << " " << c.local;
      EXPECT_EQ(status.message(), "market " + c.market + ": " + c.local + " occurs twice in " +
                                      c.zone + " (clocks repeat " + c.repeated + ")");
    }
  }
}

TEST(LaunchInstant, ResolvesOverlapToEarliestOrLatestOccurrence) {
  for (const OverlapCase& c : OverlapCases()) {
    Result<Instant> earliest = LocalToInstant(Local(c.local), c.zone, GapPolicy::kError,
                                              OverlapPolicy::kEarliest, c.market);
    Result<Instant> latest =
        LocalToInstant(Local(c.local), c.zone, GapPolicy::kError, OverlapPolicy::kLatest, c.market);
    ASSERT_TRUE(earliest.ok()) << c.zone << " " << c.local;
    ASSERT_TRUE(latest.ok()) << c.zone << " " << c.local;
    EXPECT_EQ(FormatInstant(*earliest), FormatInstant(Utc(c.earliest_utc)))
        << c.zone << " " << c.local;
    EXPECT_EQ(FormatInstant(*latest), FormatInstant(Utc(c.latest_utc))) << c.zone << " " << c.local;
  }
}

TEST(LaunchInstant, EarliestMatchesRfc5545ReadingOfAnAmbiguousTime) {
  // RFC 5545 §3.3.5: TZID=America/New_York:20071104T013000 is the first 01:30, EDT (05:30Z).
  Result<Instant> instant = LocalToInstant(Local("2007-11-04T01:30"), "America/New_York",
                                           GapPolicy::kError, OverlapPolicy::kEarliest, "US");
  ASSERT_TRUE(instant.ok());
  EXPECT_EQ(*instant, Utc("2007-11-04T05:30:00Z"));
}

TEST(LaunchInstant, RefusesUnknownTimeZoneNamingTheMarket) {
  for (const char* zone :
       {"Mars/Olympus_Mons", "", "EST5EDT_", "../../etc/passwd", "america/new_york"}) {
    Result<Instant> instant = LocalToInstant(Local("2026-06-01T09:00"), zone, GapPolicy::kError,
                                             OverlapPolicy::kError, "MARS");
    ASSERT_FALSE(instant.ok()) << zone;
    EXPECT_EQ(instant.status().reason(), "unknown_time_zone") << zone;
    EXPECT_TRUE(Contains(instant.status().message(), "market MARS")) << zone;
    EXPECT_TRUE(Contains(instant.status().message(), std::string("\"") + zone + "\"")) << zone;
  }
}

TEST(LaunchInstant, RefusesAnInvalidLocalTimeBuiltByHand) {
  LocalDateTime february_30 = Local("2026-02-28T09:00");
  february_30.day = 30;
  Result<Instant> instant =
      LocalToInstant(february_30, "Europe/London", GapPolicy::kError, OverlapPolicy::kError, "GB");
  ASSERT_FALSE(instant.ok());
  EXPECT_EQ(instant.status().reason(), "invalid_local_time");
}

// ---------------------------------------------------------------------------------------------
// Whole launches.

LaunchSpec LocalLaunch(const std::string& local, std::vector<Market> markets) {
  LaunchSpec spec;
  spec.local = Local(local);
  spec.markets = std::move(markets);
  return spec;
}

TEST(ResolveLaunch, ReturnsOneInstantPerMarketInTheGivenOrder) {
  LaunchSpec spec = LocalLaunch("2026-06-01T09:00", {{"JP", "Asia/Tokyo"},
                                                     {"US", "America/New_York"},
                                                     {"NP", "Asia/Kathmandu"},
                                                     {"AU", "Australia/Sydney"},
                                                     {"GB", "Europe/London"}});
  auto launches = ResolveLaunch(spec);
  ASSERT_TRUE(launches.ok()) << launches.status().ToString();
  ASSERT_EQ(launches->size(), 5u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"JP", "2026-06-01T00:00:00Z"},
      {"US", "2026-06-01T13:00:00Z"},
      {"NP", "2026-06-01T03:15:00Z"},
      {"AU", "2026-05-31T23:00:00Z"},
      {"GB", "2026-06-01T08:00:00Z"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*launches)[i].first, expected[i].first);
    EXPECT_EQ((*launches)[i].second, Utc(expected[i].second)) << expected[i].first;
  }
}

TEST(ResolveLaunch, AtLaunchIsOneInstantForAllMarkets) {
  LaunchSpec spec;
  spec.at = Utc("2026-06-01T13:00:00Z");
  auto launches = ResolveLaunch(spec);
  ASSERT_TRUE(launches.ok());
  ASSERT_EQ(launches->size(), 1u);
  EXPECT_EQ((*launches)[0].first, "all");
  EXPECT_EQ((*launches)[0].second, Utc("2026-06-01T13:00:00Z"));
}

TEST(ResolveLaunch, AtLaunchIgnoresDstPolicies) {
  LaunchSpec spec;
  spec.at = Utc("2026-03-08T07:30:00Z");
  spec.on_gap = GapPolicy::kShiftForward;
  spec.on_overlap = OverlapPolicy::kLatest;
  auto launches = ResolveLaunch(spec);
  ASSERT_TRUE(launches.ok());
  EXPECT_EQ((*launches)[0].second, Utc("2026-03-08T07:30:00Z"));
}

TEST(ResolveLaunch, RefusesUnknownZoneNamingTheMarketAndField) {
  LaunchSpec spec =
      LocalLaunch("2026-06-01T09:00", {{"US", "America/New_York"}, {"XX", "Atlantis/Capital"}});
  auto launches = ResolveLaunch(spec);
  ASSERT_FALSE(launches.ok());
  EXPECT_EQ(launches.status().reason(), "unknown_time_zone");
  EXPECT_EQ(launches.status().field(), "launch.markets[1].tz");
  EXPECT_TRUE(Contains(launches.status().message(), "market XX"));
  EXPECT_TRUE(Contains(launches.status().message(), "Atlantis/Capital"));
}

TEST(ResolveLaunch, GapInOneMarketFailsTheLaunchNamingThatMarket) {
  // 2026-03-29T01:30 exists in New York and Tokyo but not in London.
  LaunchSpec spec =
      LocalLaunch("2026-03-29T01:30",
                  {{"US", "America/New_York"}, {"GB", "Europe/London"}, {"JP", "Asia/Tokyo"}});
  auto launches = ResolveLaunch(spec);
  ASSERT_FALSE(launches.ok());
  EXPECT_EQ(launches.status().reason(), "dst_gap");
  EXPECT_EQ(launches.status().field(), "launch.local");
  EXPECT_EQ(launches.status().message(),
            "market GB: 2026-03-29T01:30 does not exist in Europe/London (clocks skip "
            "01:00-02:00)");

  spec.on_gap = GapPolicy::kShiftForward;
  launches = ResolveLaunch(spec);
  ASSERT_TRUE(launches.ok()) << launches.status().ToString();
  EXPECT_EQ((*launches)[0].second, Utc("2026-03-29T05:30:00Z"));
  EXPECT_EQ((*launches)[1].second, Utc("2026-03-29T01:30:00Z"));
  EXPECT_EQ((*launches)[2].second, Utc("2026-03-28T16:30:00Z"));
}

TEST(ResolveLaunch, OverlapPolicyAppliesToEveryMarket) {
  // 2026-10-25T01:30 is repeated in London; New York's overlap is a week later.
  LaunchSpec spec =
      LocalLaunch("2026-10-25T01:30", {{"GB", "Europe/London"}, {"US", "America/New_York"}});
  auto refused = ResolveLaunch(spec);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "dst_overlap");
  EXPECT_TRUE(Contains(refused.status().message(), "market GB"));

  spec.on_overlap = OverlapPolicy::kLatest;
  auto launches = ResolveLaunch(spec);
  ASSERT_TRUE(launches.ok());
  EXPECT_EQ((*launches)[0].second, Utc("2026-10-25T01:30:00Z"));
  EXPECT_EQ((*launches)[1].second, Utc("2026-10-25T05:30:00Z"));
}

TEST(ResolveLaunch, RefusesMalformedSpecs) {
  LaunchSpec neither;
  EXPECT_EQ(ResolveLaunch(neither).status().reason(), "invalid_launch");

  LaunchSpec both = LocalLaunch("2026-06-01T09:00", {{"US", "America/New_York"}});
  both.at = Utc("2026-06-01T13:00:00Z");
  EXPECT_EQ(ResolveLaunch(both).status().reason(), "invalid_launch");

  LaunchSpec no_markets = LocalLaunch("2026-06-01T09:00", {});
  EXPECT_EQ(ResolveLaunch(no_markets).status().field(), "launch.markets");

  LaunchSpec unnamed = LocalLaunch("2026-06-01T09:00", {{"", "America/New_York"}});
  EXPECT_EQ(ResolveLaunch(unnamed).status().field(), "launch.markets[0].name");

  LaunchSpec twice =
      LocalLaunch("2026-06-01T09:00", {{"US", "America/New_York"}, {"US", "America/Chicago"}});
  auto duplicate = ResolveLaunch(twice);
  EXPECT_EQ(duplicate.status().reason(), "duplicate_market");
  EXPECT_EQ(duplicate.status().field(), "launch.markets[1].name");
}

}  // namespace
}  // namespace tutti::scheduling
