// Plan durations: the accepted spellings, their calendar length and the refusals.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tutti/scheduling/duration.h"

namespace tutti::scheduling {
namespace {

using Unit = PlanDuration::Unit;

struct Accepted {
  std::string text;
  int64_t amount;
  Unit unit;
  int64_t seconds;  // calendar length; 0 for working days
};

TEST(ParseDuration, AcceptsEveryUnit) {
  const std::vector<Accepted> cases = {
      {"0s", 0, Unit::kSeconds, 0},         {"45s", 45, Unit::kSeconds, 45},
      {"90m", 90, Unit::kMinutes, 90 * 60}, {"36h", 36, Unit::kHours, 36 * 3600},
      {"3d", 3, Unit::kDays, 3 * 86400},    {"2w", 2, Unit::kWeeks, 14 * 86400},
      {"5wd", 5, Unit::kWorkingDays, 0},    {"0wd", 0, Unit::kWorkingDays, 0},
  };
  for (const Accepted& c : cases) {
    Result<PlanDuration> parsed = ParseDuration(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->amount, c.amount) << c.text;
    EXPECT_EQ(parsed->unit, c.unit) << c.text;
    EXPECT_EQ(parsed->CalendarSeconds().count(), c.seconds) << c.text;
    EXPECT_EQ(parsed->IsWorkingTime(), c.unit == Unit::kWorkingDays) << c.text;
  }
}

TEST(ParseDuration, PrintsWhatItParses) {
  for (const char* text : {"0s", "45s", "90m", "36h", "3d", "2w", "5wd", "3653d"}) {
    Result<PlanDuration> parsed = ParseDuration(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(parsed->ToString(), text);
  }
}

TEST(ParseDuration, AcceptsExactlyTenYears) {
  for (const char* text : {"3653d", "521w", "87672h", "5260320m", "315619200s", "3653wd"}) {
    EXPECT_TRUE(ParseDuration(text).ok()) << text;
  }
}

TEST(ParseDuration, RefusesMoreThanTenYears) {
  for (const char* text : {"3654d", "522w", "87673h", "5260321m", "315619201s", "3654wd"}) {
    Result<PlanDuration> parsed = ParseDuration(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.status().message().find("10 years"), std::string::npos) << text;
  }
}

TEST(ParseDuration, RefusesNumbersThatOverflow) {
  for (const char* text :
       {"9223372036854775807s", "9223372036854775808s", "99999999999999999999999999999d"}) {
    Result<PlanDuration> parsed = ParseDuration(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().reason(), "invalid_duration") << text;
  }
}

struct Refused {
  std::string text;
  std::string why;  // a fragment of the message
};

TEST(ParseDuration, RefusesMalformedText) {
  const std::vector<Refused> cases = {
      {"", "empty"},
      {"-3d", "negative"},
      {"-0s", "negative"},
      {"90", "missing unit"},
      {"3y", "unknown unit \"y\""},
      {"3D", "unknown unit \"D\""},
      {"3dd", "unknown unit \"dd\""},
      {"3.5d", "unknown unit \".5d\""},
      {"3 d", "white space"},
      {" 3d", "white space"},
      {"3d ", "white space"},
      {"3d\n", "white space"},
      {"d", "must start with a number"},
      {"wd", "must start with a number"},
      {"+3d", "must start with a number"},
      {"1h30m", "unknown unit \"h30m\""},
  };
  for (const Refused& c : cases) {
    Result<PlanDuration> parsed = ParseDuration(c.text);
    ASSERT_FALSE(parsed.ok()) << "accepted \"" << c.text << "\"";
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(parsed.status().reason(), "invalid_duration") << c.text;
    EXPECT_NE(parsed.status().message().find(c.why), std::string::npos)
        << c.text << ": " << parsed.status().message();
  }
}

TEST(ParseDuration, ErrorNamesTheTextAndTheRightForm) {
  Result<PlanDuration> parsed = ParseDuration("3y");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("\"3y\""), std::string::npos);
  EXPECT_NE(parsed.status().message().find("like 90m, 36h, 3d, 2w or 5wd"), std::string::npos);
}

TEST(ParseDuration, ShortensVeryLongTextInTheMessage) {
  const std::string text(10'000, 'x');
  Result<PlanDuration> parsed = ParseDuration(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 300u);
}

TEST(PlanDuration, WorkingDaysHaveNoCalendarLength) {
  PlanDuration five_working_days{5, Unit::kWorkingDays};
  EXPECT_TRUE(five_working_days.IsWorkingTime());
  EXPECT_EQ(five_working_days.CalendarSeconds().count(), 0);
  EXPECT_EQ(five_working_days.ToString(), "5wd");
}

}  // namespace
}  // namespace tutti::scheduling
