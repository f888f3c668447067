// Instants as text (the API's and the audit trail's form) and the IANA time-zone check.
#include "tutti/base/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace tutti {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// 2026-06-01T00:00:00Z.
Instant June1st2026() {
  return Instant(std::chrono::sys_days(std::chrono::year{2026} / std::chrono::June / 1));
}

TEST(ParseInstant, AcceptsUtcWithZ) {
  Result<Instant> parsed = ParseInstant("2026-06-01T13:00:00Z");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, June1st2026() + hours(13));
}

TEST(ParseInstant, AcceptsMilliseconds) {
  Result<Instant> parsed = ParseInstant("2026-06-01T13:00:00.250Z");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, June1st2026() + hours(13) + milliseconds(250));
}

TEST(ParseInstant, AppliesAPositiveOffset) {
  Result<Instant> parsed = ParseInstant("2026-06-01T13:00:00+02:00");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, June1st2026() + hours(11));
}

TEST(ParseInstant, AppliesANegativeHalfHourOffset) {
  Result<Instant> parsed = ParseInstant("2026-06-01T13:00:00-03:30");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, June1st2026() + hours(16) + minutes(30));
}

TEST(ParseInstant, AcceptsMillisecondsWithAnOffset) {
  Result<Instant> parsed = ParseInstant("2026-06-01T00:15:00.005+05:45");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, June1st2026() - hours(5) - minutes(30) + milliseconds(5));
}

TEST(ParseInstant, RejectsAnythingButTheIsoShape) {
  for (const char* text : {
           "",
           "junk",
           "2026-6-1",
           "2026-6-1T13:00:00Z",
           "2026-06-1T13:00:00Z",
           "2026-06-01",
           "2026-06-01T13:00:00",    // no zone: local time is ambiguous
           "2026-06-01 13:00:00Z",   // space instead of T
           "2026-06-01t13:00:00Z",   // lower-case t
           "2026-06-01T13:00Z",      // no seconds
           "2026/06/01T13:00:00Z",   // wrong separators
           "+2026-06-01T13:00:00Z",  // extended years
           "2026-06-01T13:00:00+0200",
       }) {
    Result<Instant> parsed = ParseInstant(text);
    EXPECT_FALSE(parsed.ok()) << "accepted '" << text << "'";
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(parsed.status().reason(), "invalid_instant");
    }
  }
}

TEST(ParseInstant, RejectsTrailingCharacters) {
  for (const char* text :
       {"2026-06-01T13:00:00Zjunk", "2026-06-01T13:00:00Z ", "2026-06-01T13:00:00+02:00x",
        "2026-06-01T13:00:00.250Z0", "2026-06-01T13:00:00ZZ"}) {
    EXPECT_FALSE(ParseInstant(text).ok()) << "accepted '" << text << "'";
  }
}

TEST(ParseInstant, RejectsDatesAndTimesThatDoNotExist) {
  for (const char* text : {"2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-06-01T24:30:00Z",
                           "2026-06-01T13:60:00Z", "2026-06-01T13:00:00+25:00"}) {
    EXPECT_FALSE(ParseInstant(text).ok()) << "accepted '" << text << "'";
  }
}

TEST(FormatInstant, WritesUtcWithMilliseconds) {
  EXPECT_EQ(FormatInstant(June1st2026() + hours(13) + milliseconds(250)),
            "2026-06-01T13:00:00.250Z");
  EXPECT_EQ(FormatInstant(June1st2026()), "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(FormatInstant(Instant(milliseconds(0))), "1970-01-01T00:00:00.000Z");
}

TEST(FormatInstant, RoundTripsThroughParseInstant) {
  for (Instant instant : {June1st2026(), June1st2026() + milliseconds(1),
                          June1st2026() + hours(23) + minutes(59) + milliseconds(59'999),
                          Instant(milliseconds(-1)), Instant(milliseconds(4'102'444'800'000))}) {
    std::string text = FormatInstant(instant);
    Result<Instant> parsed = ParseInstant(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, instant) << text;
  }
}

TEST(FormatInstant, SortsAsTextInInstantOrder) {
  std::string earlier = FormatInstant(June1st2026() + milliseconds(999));
  std::string later = FormatInstant(June1st2026() + milliseconds(1000));
  EXPECT_LT(earlier, later);
}

TEST(FormatInstantSeconds, WritesWholeSecondsFlooringMilliseconds) {
  EXPECT_EQ(FormatInstantSeconds(June1st2026() + hours(13)), "2026-06-01T13:00:00Z");
  EXPECT_EQ(FormatInstantSeconds(June1st2026() + hours(13) + milliseconds(999)),
            "2026-06-01T13:00:00Z");
  EXPECT_EQ(FormatInstantSeconds(June1st2026() - milliseconds(1)), "2026-05-31T23:59:59Z");
  EXPECT_EQ(FormatInstantSeconds(Instant{}), "1970-01-01T00:00:00Z");
}

TEST(FormatInstantSeconds, AgreesWithDateFormatOverFourCenturies) {
  // Every 1 000 003 s (≈ 11.6 days, drifting through times of day) from 1800 to 2200, both sides
  // of the epoch and across leap days and century years.
  for (int64_t s = -5'364'662'400; s < 7'258'118'400; s += 1'000'003) {
    Instant t{std::chrono::seconds(s)};
    std::string with_millis = FormatInstant(t);  // "…:SS.000Z"
    ASSERT_EQ(FormatInstantSeconds(t), with_millis.substr(0, 19) + "Z") << s;
  }
}

TEST(IsKnownTimeZone, KnowsIanaZonesIncludingOddOffsets) {
  for (const char* zone : {"America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Etc/UTC",
                           "Europe/London", "Asia/Tokyo"}) {
    EXPECT_TRUE(IsKnownTimeZone(zone)) << zone;
  }
}

TEST(IsKnownTimeZone, RejectsUnknownEmptyAndPathLikeNames) {
  for (const char* zone :
       {"Mars/Olympus", "", "../../etc/passwd", "/etc/passwd", "America/New_York ",
        "America/../America/New_York", "america/new_york", "Europe/London\n"}) {
    EXPECT_FALSE(IsKnownTimeZone(zone)) << "'" << zone << "'";
  }
  EXPECT_FALSE(IsKnownTimeZone(std::string(65, 'A')));
}

TEST(ManualClock, StandsStillUntilAdvanced) {
  ManualClock clock(June1st2026());
  EXPECT_EQ(clock.Now(), June1st2026());
  EXPECT_EQ(clock.Now(), June1st2026());
  clock.Advance(milliseconds(1500));
  EXPECT_EQ(clock.Now(), June1st2026() + milliseconds(1500));
}

TEST(SystemClock, ReportsMillisecondInstantsNearNow) {
  Instant now = SystemClock::Get().Now();
  EXPECT_GT(now, June1st2026() - std::chrono::days(3650));
}

}  // namespace
}  // namespace tutti
