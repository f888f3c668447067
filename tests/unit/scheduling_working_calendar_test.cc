// Working calendars: validation, working-day arithmetic on fixed cases (weekends, holidays, work
// started outside hours, period boundaries, DST in Madrid), properties on seeded random inputs,
// and the fast day-stepping implementation checked against a minute-stepping reference.
#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tutti/scheduling/working_calendar.h"

namespace tutti::scheduling {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Instant Utc(const std::string& text) {
  Result<Instant> parsed = ParseInstant(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Instant{};
}

// Monday to Friday, 09:00-17:00, in `tz`.
WorkingCalendar OfficeHours(const std::string& tz = "Etc/UTC") {
  WorkingCalendar calendar;
  calendar.tz = tz;
  return calendar;
}

std::string Add(const WorkingCalendar& calendar, const std::string& start, int64_t days) {
  return FormatInstant(AddWorkingDays(calendar, Utc(start), days));
}
std::string Subtract(const WorkingCalendar& calendar, const std::string& finish, int64_t days) {
  return FormatInstant(SubtractWorkingDays(calendar, Utc(finish), days));
}

// ---------------------------------------------------------------------------------------------
// Validation.

TEST(WorkingCalendarValidation, AcceptsTheDefaultAndARealCalendar) {
  EXPECT_TRUE(ValidateCalendar(WorkingCalendar{}).ok());
  WorkingCalendar madrid = OfficeHours("Europe/Madrid");
  madrid.holidays = {"2026-01-01", "2026-01-06", "2026-12-25"};
  madrid.start_minute = 0;
  madrid.end_minute = 24 * 60;
  EXPECT_TRUE(ValidateCalendar(madrid).ok());
}

TEST(WorkingCalendarValidation, RefusesEachBadFieldNamingIt) {
  struct Case {
    WorkingCalendar calendar;
    std::string field;
    std::string reason;
  };
  std::vector<Case> cases;
  WorkingCalendar c = OfficeHours("Europe/Atlantis");
  cases.push_back({c, "tz", "unknown_time_zone"});
  c = OfficeHours();
  c.start_minute = -1;
  cases.push_back({c, "start_minute", "invalid_working_hours"});
  c = OfficeHours();
  c.start_minute = 24 * 60;
  c.end_minute = 24 * 60;
  cases.push_back({c, "start_minute", "invalid_working_hours"});
  c = OfficeHours();
  c.end_minute = c.start_minute;
  cases.push_back({c, "end_minute", "invalid_working_hours"});
  c = OfficeHours();
  c.end_minute = 24 * 60 + 1;
  cases.push_back({c, "end_minute", "invalid_working_hours"});
  c = OfficeHours();
  c.working_days.fill(false);
  cases.push_back({c, "working_days", "no_working_days"});
  for (const char* bad :
       {"2026-02-30", "2026-1-01", "2026-01-01T00:00", "tomorrow", "", "2026-13-01"}) {
    c = OfficeHours();
    c.holidays = {"2026-12-25", bad};
    cases.push_back({c, "holidays", "invalid_date"});
  }
  for (const Case& test : cases) {
    Status status = ValidateCalendar(test.calendar);
    ASSERT_FALSE(status.ok()) << test.field;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.field(), test.field);
    EXPECT_EQ(status.reason(), test.reason) << status.message();
  }
}

TEST(WorkingCalendarValidation, NamesTheBadHoliday) {
  WorkingCalendar c = OfficeHours();
  c.holidays = {"2026-02-30"};
  EXPECT_NE(ValidateCalendar(c).message().find("2026-02-30"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Fixed cases, Monday to Friday 09:00-17:00 UTC. 2026-06-01 is a Monday.

TEST(WorkingCalendarAdd, OneDayFromTheStartOfADayEndsThatEvening) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T09:00:00Z", 1), "2026-06-01T17:00:00.000Z");
}

TEST(WorkingCalendarAdd, OneDayFromMidMorningEndsNextMorning) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T10:00:00Z", 1), "2026-06-02T10:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T10:00:00.250Z", 1), "2026-06-02T10:00:00.250Z");
}

TEST(WorkingCalendarAdd, SkipsTheWeekend) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-05T13:00:00Z", 1), "2026-06-08T13:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-05T13:00:00Z", 2), "2026-06-09T13:00:00.000Z");
}

TEST(WorkingCalendarAdd, WorkStartedOutsideHoursStartsAtTheNextWorkingMoment) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T06:00:00Z", 1), "2026-06-01T17:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T17:00:00Z", 1), "2026-06-02T17:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-05T18:00:00Z", 1), "2026-06-08T17:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-06T12:00:00Z", 1), "2026-06-08T17:00:00.000Z");
}

TEST(WorkingCalendarAdd, FinishesAtTheEndOfAWorkingPeriodNotTheNextStart) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T09:00:00Z", 5), "2026-06-05T17:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-06-01T09:00:00Z", 10), "2026-06-12T17:00:00.000Z");
  EXPECT_EQ(Add(OfficeHours(), "2026-05-30T00:00:00Z", 15), "2026-06-19T17:00:00.000Z");
}

TEST(WorkingCalendarAdd, ZeroDaysReturnsTheInputEvenOutsideHours) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-06T12:34:56.789Z", 0), "2026-06-06T12:34:56.789Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-06T12:34:56.789Z", 0), "2026-06-06T12:34:56.789Z");
}

TEST(WorkingCalendarAdd, SkipsHolidays) {
  WorkingCalendar christmas = OfficeHours();
  christmas.holidays = {"2026-12-25"};  // a Friday
  EXPECT_EQ(Add(christmas, "2026-12-24T09:00:00Z", 1), "2026-12-24T17:00:00.000Z");
  EXPECT_EQ(Add(christmas, "2026-12-24T09:00:00Z", 2), "2026-12-28T17:00:00.000Z");
  EXPECT_EQ(Add(christmas, "2026-12-24T13:00:00Z", 1), "2026-12-28T13:00:00.000Z");
  EXPECT_EQ(Add(christmas, "2026-12-25T10:00:00Z", 1), "2026-12-28T17:00:00.000Z");
}

TEST(WorkingCalendarAdd, HolidayInsideASkippedWeekStillCounts) {
  WorkingCalendar calendar = OfficeHours();
  calendar.holidays = {"2026-06-10"};  // the Wednesday of the second week
  EXPECT_EQ(Add(calendar, "2026-06-01T09:00:00Z", 15), "2026-06-22T17:00:00.000Z");
  EXPECT_EQ(Subtract(calendar, "2026-06-22T17:00:00Z", 15), "2026-06-01T09:00:00.000Z");
}

TEST(WorkingCalendarAdd, NegativeAmountSubtracts) {
  EXPECT_EQ(Add(OfficeHours(), "2026-06-02T10:00:00Z", -1), "2026-06-01T10:00:00.000Z");
}

TEST(WorkingCalendarSubtract, OneDayBeforeTheEndOfADayStartsThatMorning) {
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-01T17:00:00Z", 1), "2026-06-01T09:00:00.000Z");
}

TEST(WorkingCalendarSubtract, MirrorsAddition) {
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-02T10:00:00Z", 1), "2026-06-01T10:00:00.000Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-08T13:00:00Z", 1), "2026-06-05T13:00:00.000Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-02T09:00:00Z", 1), "2026-06-01T09:00:00.000Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-06T12:00:00Z", 1), "2026-06-05T09:00:00.000Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-01T20:00:00Z", 1), "2026-06-01T09:00:00.000Z");
  EXPECT_EQ(Subtract(OfficeHours(), "2026-06-12T17:00:00Z", 10), "2026-06-01T09:00:00.000Z");
}

TEST(WorkingCalendarSubtract, SkipsHolidays) {
  WorkingCalendar christmas = OfficeHours();
  christmas.holidays = {"2026-12-25"};
  EXPECT_EQ(Subtract(christmas, "2026-12-28T13:00:00Z", 1), "2026-12-24T13:00:00.000Z");
  EXPECT_EQ(Subtract(christmas, "2026-12-28T17:00:00Z", 2), "2026-12-24T09:00:00.000Z");
}

TEST(WorkingCalendarAdd, CountsOnlyTheGivenWeekdays) {
  WorkingCalendar weekends = OfficeHours();
  weekends.working_days = {true, false, false, false, false, false, true};
  EXPECT_EQ(Add(weekends, "2026-06-01T09:00:00Z", 1), "2026-06-06T17:00:00.000Z");
  EXPECT_EQ(Add(weekends, "2026-06-01T09:00:00Z", 2), "2026-06-07T17:00:00.000Z");
  EXPECT_EQ(Add(weekends, "2026-06-01T09:00:00Z", 5), "2026-06-20T17:00:00.000Z");
}

TEST(WorkingCalendarDuration, CalendarUnitsIgnoreTheCalendar) {
  const WorkingCalendar calendar = OfficeHours("America/New_York");
  const Instant saturday = Utc("2026-06-06T12:00:00Z");
  EXPECT_EQ(AddDuration(calendar, saturday, {36, PlanDuration::Unit::kHours}),
            saturday + hours(36));
  EXPECT_EQ(SubtractDuration(calendar, saturday, {90, PlanDuration::Unit::kMinutes}),
            saturday - minutes(90));
  EXPECT_EQ(AddDuration(calendar, saturday, {2, PlanDuration::Unit::kWeeks}),
            saturday + hours(14 * 24));
}

TEST(WorkingCalendarDuration, WorkingDaysUseTheCalendar) {
  const WorkingCalendar calendar = OfficeHours("America/New_York");
  const Instant saturday = Utc("2026-06-06T12:00:00Z");
  const PlanDuration one{1, PlanDuration::Unit::kWorkingDays};
  // Monday 17:00 EDT.
  EXPECT_EQ(AddDuration(calendar, saturday, one), Utc("2026-06-08T21:00:00Z"));
  // Friday 09:00 EDT.
  EXPECT_EQ(SubtractDuration(calendar, saturday, one), Utc("2026-06-05T13:00:00Z"));
}

// ---------------------------------------------------------------------------------------------
// Time zones and DST: a working day is 09:00-17:00 local, so its UTC position moves.

TEST(WorkingCalendarAdd, WorkingHoursAreLocalAcrossSpringForwardInMadrid) {
  const WorkingCalendar madrid = OfficeHours("Europe/Madrid");
  // Friday 2026-03-27 10:00 CET (09:00Z) + 1 working day = Monday 10:00 CEST (08:00Z).
  EXPECT_EQ(Add(madrid, "2026-03-27T09:00:00Z", 1), "2026-03-30T08:00:00.000Z");
  // Friday 09:00 CET + 1 working day = Friday 17:00 CET.
  EXPECT_EQ(Add(madrid, "2026-03-27T08:00:00Z", 1), "2026-03-27T16:00:00.000Z");
  // Two working days from Friday 09:00 CET end Monday 17:00 CEST.
  EXPECT_EQ(Add(madrid, "2026-03-27T08:00:00Z", 2), "2026-03-30T15:00:00.000Z");
  EXPECT_EQ(Subtract(madrid, "2026-03-30T15:00:00Z", 2), "2026-03-27T08:00:00.000Z");
}

TEST(WorkingCalendarAdd, WorkingHoursAreLocalAcrossFallBackInMadrid) {
  const WorkingCalendar madrid = OfficeHours("Europe/Madrid");
  // Friday 2026-10-23 10:00 CEST (08:00Z) + 1 = Monday 10:00 CET (09:00Z).
  EXPECT_EQ(Add(madrid, "2026-10-23T08:00:00Z", 1), "2026-10-26T09:00:00.000Z");
  EXPECT_EQ(Subtract(madrid, "2026-10-26T09:00:00Z", 1), "2026-10-23T08:00:00.000Z");
  // A week of working days spans the change: Monday 09:00 CEST to Friday 17:00 CET, then on.
  EXPECT_EQ(Add(madrid, "2026-10-19T07:00:00Z", 5), "2026-10-23T15:00:00.000Z");
  EXPECT_EQ(Add(madrid, "2026-10-19T07:00:00Z", 10), "2026-10-30T16:00:00.000Z");
  EXPECT_EQ(Subtract(madrid, "2026-10-30T16:00:00Z", 10), "2026-10-19T07:00:00.000Z");
}

TEST(WorkingCalendarAdd, HolidaysAreLocalDates) {
  // 2026-06-01T23:30Z is already Tuesday 2026-06-02 09:30 in Tokyo, a holiday here.
  WorkingCalendar tokyo = OfficeHours("Asia/Tokyo");
  tokyo.holidays = {"2026-06-02"};
  // Wednesday 17:00 JST.
  EXPECT_EQ(Add(tokyo, "2026-06-01T23:30:00Z", 1), "2026-06-03T08:00:00.000Z");
}

TEST(WorkingCalendarAdd, ADayThatLosesAnHourHoldsOnlyWhatItHas) {
  // Round-the-clock calendar in Madrid: Sunday 2026-03-29 has 23 hours, so one working day (24 h
  // of working time) from its local midnight ends at 01:00 CEST on Monday.
  WorkingCalendar always = OfficeHours("Europe/Madrid");
  always.working_days.fill(true);
  always.start_minute = 0;
  always.end_minute = 24 * 60;
  EXPECT_EQ(Add(always, "2026-03-28T23:00:00Z", 1), "2026-03-29T23:00:00.000Z");
}

TEST(WorkingCalendarAdd, WindowAroundTheGapCountsRealTime) {
  // 01:00-05:00 in New York on 2026-03-08 holds 3 hours (02:00-03:00 does not exist).
  WorkingCalendar night = OfficeHours("America/New_York");
  night.working_days.fill(true);
  night.start_minute = 60;
  night.end_minute = 5 * 60;
  // 01:00 EST = 06:00Z; 4 hours of work: 3 h on Sunday, 1 h from Monday 01:00 EDT (05:00Z).
  EXPECT_EQ(Add(night, "2026-03-08T06:00:00Z", 1), "2026-03-09T06:00:00.000Z");
  EXPECT_EQ(Subtract(night, "2026-03-09T06:00:00Z", 1), "2026-03-08T06:00:00.000Z");
}

TEST(WorkingCalendarAdd, RoundTheClockCalendarIsElapsedTimeInEveryZone) {
  std::mt19937 random(20260601);
  for (const char* zone : {"Europe/Madrid", "America/New_York", "Australia/Lord_Howe",
                           "Australia/Sydney", "Asia/Kathmandu"}) {
    WorkingCalendar always = OfficeHours(zone);
    always.working_days.fill(true);
    always.start_minute = 0;
    always.end_minute = 24 * 60;
    for (int i = 0; i < 50; ++i) {
      const Instant start = Utc("2026-01-01T00:00:00Z") +
                            minutes(std::uniform_int_distribution<int>(0, 366 * 24 * 60)(random));
      const int days = std::uniform_int_distribution<int>(1, 40)(random);
      EXPECT_EQ(AddWorkingDays(always, start, days), start + hours(24 * days)) << zone;
      EXPECT_EQ(SubtractWorkingDays(always, start, days), start - hours(24 * days)) << zone;
    }
  }
}

TEST(WorkingCalendarAdd, InvalidCalendarFallsBackToCalendarDaysInsteadOfLooping) {
  WorkingCalendar never = OfficeHours();
  never.working_days.fill(false);
  const Instant start = Utc("2026-06-01T10:00:00Z");
  EXPECT_EQ(AddWorkingDays(never, start, 3), start + hours(72));
  EXPECT_EQ(SubtractWorkingDays(OfficeHours("Nowhere/Special"), start, 3), start - hours(72));
}

// ---------------------------------------------------------------------------------------------
// Properties and the reference implementation on seeded random inputs.

// The definition, by brute force: an instant is working time when its local wall-clock time lies
// in [start_minute, end_minute) of a working weekday that is not a holiday.
class MinuteReference {
 public:
  explicit MinuteReference(const WorkingCalendar& calendar)
      : calendar_(calendar), zone_(date::locate_zone(calendar.tz)) {}

  bool IsWorkingMinute(date::sys_seconds t) const {
    // Memoised only to keep the test fast: the offset of the last looked-up stretch, the verdict
    // of the last day.
    if (t < info_.begin || t >= info_.end) info_ = zone_->get_info(t);
    const date::local_seconds local{(t + info_.offset).time_since_epoch()};
    const date::local_days day = date::floor<date::days>(local);
    const int64_t minute = (local - day) / minutes(1);
    if (minute < calendar_.start_minute || minute >= calendar_.end_minute) return false;
    if (day != day_) {
      day_ = day;
      day_is_working_ = calendar_.working_days[date::weekday(day).c_encoding()] &&
                        calendar_.holidays.count(date::format("%F", day)) == 0;
    }
    return day_is_working_;
  }

  Instant Add(Instant start, int64_t amount) const {
    int64_t remaining = amount * calendar_.WorkingDayLength().count() / 60;
    date::sys_seconds t = std::chrono::time_point_cast<std::chrono::seconds>(start);
    for (; remaining > 0; t += minutes(1)) {
      if (IsWorkingMinute(t)) --remaining;
    }
    return t;
  }

  Instant Subtract(Instant finish, int64_t amount) const {
    int64_t remaining = amount * calendar_.WorkingDayLength().count() / 60;
    date::sys_seconds t = std::chrono::time_point_cast<std::chrono::seconds>(finish);
    for (; remaining > 0; t -= minutes(1)) {
      if (IsWorkingMinute(t - minutes(1))) --remaining;
    }
    return t;
  }

 private:
  const WorkingCalendar& calendar_;
  const date::time_zone* zone_;
  mutable date::sys_info info_{};
  mutable std::optional<date::local_days> day_;
  mutable bool day_is_working_ = false;
};

struct Anchor {
  const char* zone;
  const char* day;  // a DST change (or an ordinary day) to scatter inputs around
};

const std::vector<Anchor>& Anchors() {
  static const std::vector<Anchor> anchors = {
      {"Europe/Madrid", "2026-03-29T00:00:00Z"},
      {"Europe/Madrid", "2026-10-25T00:00:00Z"},
      {"America/New_York", "2026-03-08T00:00:00Z"},
      {"America/New_York", "2026-11-01T00:00:00Z"},
      {"Australia/Sydney", "2026-04-05T00:00:00Z"},
      {"Australia/Sydney", "2026-10-04T00:00:00Z"},
      {"Australia/Lord_Howe", "2026-04-05T00:00:00Z"},
      {"Australia/Lord_Howe", "2026-10-04T00:00:00Z"},
      {"Asia/Kathmandu", "2026-06-01T00:00:00Z"},
      {"Asia/Tokyo", "2026-06-01T00:00:00Z"},
      {"Pacific/Apia", "2011-12-30T00:00:00Z"},
      {"Etc/UTC", "2026-06-01T00:00:00Z"},
  };
  return anchors;
}

struct RandomCase {
  WorkingCalendar calendar;
  Instant instant;  // on a whole minute
  int64_t amount;
};

// Calendars biased towards the awkward: windows starting or ending inside a transition hour,
// few working days, holidays near the instant.
RandomCase MakeRandomCase(std::mt19937& random, int64_t max_amount) {
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  const Anchor& anchor =
      Anchors()[static_cast<size_t>(uniform(0, static_cast<int>(Anchors().size()) - 1))];
  RandomCase out;
  out.calendar.tz = anchor.zone;
  do {
    for (bool& working : out.calendar.working_days) working = uniform(0, 9) < 6;
  } while (std::none_of(out.calendar.working_days.begin(), out.calendar.working_days.end(),
                        [](bool working) { return working; }));
  const std::vector<int> edges = {0, 60, 90, 120, 135, 150, 180, 540, 1020, 1380};
  out.calendar.start_minute =
      uniform(0, 1) == 0 ? edges[static_cast<size_t>(uniform(0, 9))] : uniform(0, 1439);
  const int longest = 1440 - out.calendar.start_minute;
  out.calendar.end_minute =
      out.calendar.start_minute +
      (uniform(0, 2) == 0 ? uniform(1, std::min(longest, 120)) : uniform(1, longest));
  const Instant anchor_instant = Utc(anchor.day);
  out.instant = anchor_instant + minutes(uniform(-6 * 24 * 60, 6 * 24 * 60));
  const int holidays = uniform(0, 3);
  for (int i = 0; i < holidays; ++i) {
    const auto day = date::floor<date::days>(anchor_instant) + date::days(uniform(-10, 10));
    out.calendar.holidays.insert(date::format("%F", day));
  }
  out.amount = uniform(0, static_cast<int>(max_amount));
  return out;
}

std::string Describe(const RandomCase& c) {
  std::string days;
  for (bool working : c.calendar.working_days) days += working ? '1' : '0';
  std::string holidays;
  for (const std::string& h : c.calendar.holidays) holidays += h + " ";
  return c.calendar.tz + " days=" + days + " hours=" + std::to_string(c.calendar.start_minute) +
         "-" + std::to_string(c.calendar.end_minute) + " holidays=" + holidays +
         "at=" + FormatInstant(c.instant) + " amount=" + std::to_string(c.amount);
}

TEST(WorkingCalendarReference, FastAdditionMatchesMinuteStepping) {
  std::mt19937 random(3);
  for (int i = 0; i < 300; ++i) {
    const RandomCase c = MakeRandomCase(random, 4);
    ASSERT_TRUE(ValidateCalendar(c.calendar).ok()) << Describe(c);
    const MinuteReference reference(c.calendar);
    ASSERT_EQ(FormatInstant(AddWorkingDays(c.calendar, c.instant, c.amount)),
              FormatInstant(reference.Add(c.instant, c.amount)))
        << Describe(c);
  }
}

TEST(WorkingCalendarReference, FastSubtractionMatchesMinuteStepping) {
  std::mt19937 random(5);
  for (int i = 0; i < 300; ++i) {
    const RandomCase c = MakeRandomCase(random, 4);
    const MinuteReference reference(c.calendar);
    ASSERT_EQ(FormatInstant(SubtractWorkingDays(c.calendar, c.instant, c.amount)),
              FormatInstant(reference.Subtract(c.instant, c.amount)))
        << Describe(c);
  }
}

TEST(WorkingCalendarReference, WeekSkippingMatchesMinuteStepping) {
  // Amounts above one week's worth of working time take the whole-week shortcut.
  std::mt19937 random(7);
  for (int i = 0; i < 40; ++i) {
    RandomCase c = MakeRandomCase(random, 1);
    const auto per_week =
        std::count(c.calendar.working_days.begin(), c.calendar.working_days.end(), true);
    c.amount = per_week * 2 + std::uniform_int_distribution<int>(1, 3)(random);
    const MinuteReference reference(c.calendar);
    ASSERT_EQ(FormatInstant(AddWorkingDays(c.calendar, c.instant, c.amount)),
              FormatInstant(reference.Add(c.instant, c.amount)))
        << Describe(c);
    ASSERT_EQ(FormatInstant(SubtractWorkingDays(c.calendar, c.instant, c.amount)),
              FormatInstant(reference.Subtract(c.instant, c.amount)))
        << Describe(c);
  }
}

TEST(WorkingCalendarProperties, AdditionIsAdditive) {
  std::mt19937 random(11);
  for (int i = 0; i < 500; ++i) {
    const RandomCase c = MakeRandomCase(random, 30);
    const int64_t part = std::uniform_int_distribution<int64_t>(0, c.amount)(random);
    EXPECT_EQ(
        AddWorkingDays(c.calendar, c.instant, c.amount),
        AddWorkingDays(c.calendar, AddWorkingDays(c.calendar, c.instant, part), c.amount - part))
        << Describe(c) << " part=" << part;
    EXPECT_EQ(SubtractWorkingDays(c.calendar, c.instant, c.amount),
              SubtractWorkingDays(c.calendar, SubtractWorkingDays(c.calendar, c.instant, part),
                                  c.amount - part))
        << Describe(c) << " part=" << part;
  }
}

TEST(WorkingCalendarProperties, SubtractingUndoesAddingFromAWorkingMoment) {
  std::mt19937 random(13);
  int from_working_moment = 0;
  for (int i = 0; i < 500; ++i) {
    RandomCase c = MakeRandomCase(random, 30);
    if (c.amount == 0) c.amount = 1;
    const Instant finish = AddWorkingDays(c.calendar, c.instant, c.amount);
    const Instant start = SubtractWorkingDays(c.calendar, finish, c.amount);
    // Always: the latest start is no earlier than where work began, and needs no more time.
    EXPECT_GE(start, c.instant) << Describe(c);
    EXPECT_EQ(AddWorkingDays(c.calendar, start, c.amount), finish) << Describe(c);
    if (MinuteReference(c.calendar)
            .IsWorkingMinute(std::chrono::time_point_cast<std::chrono::seconds>(c.instant))) {
      ++from_working_moment;
      EXPECT_EQ(start, c.instant) << Describe(c);
    }
    // And the mirror image.
    const Instant begin = SubtractWorkingDays(c.calendar, c.instant, c.amount);
    EXPECT_LE(AddWorkingDays(c.calendar, begin, c.amount), c.instant) << Describe(c);
  }
  EXPECT_GT(from_working_moment, 50);
}

TEST(WorkingCalendarProperties, AdditionIsMonotonic) {
  std::mt19937 random(17);
  for (int i = 0; i < 300; ++i) {
    const RandomCase c = MakeRandomCase(random, 10);
    const Instant later = c.instant + minutes(std::uniform_int_distribution<int>(0, 3000)(random));
    EXPECT_LE(AddWorkingDays(c.calendar, c.instant, c.amount),
              AddWorkingDays(c.calendar, later, c.amount))
        << Describe(c);
    EXPECT_LE(SubtractWorkingDays(c.calendar, c.instant, c.amount),
              SubtractWorkingDays(c.calendar, later, c.amount))
        << Describe(c);
  }
}

TEST(WorkingCalendarProperties, TenYearsAtOnceEqualsOneDayAtATime) {
  // Long amounts cross many DST pieces, holidays and (after 2037) the end of the zone file's
  // explicit transitions; the whole-week shortcut must agree with single-day steps.
  WorkingCalendar calendar = OfficeHours("America/New_York");
  calendar.holidays = {"2026-07-03", "2026-12-25", "2027-01-01", "2030-12-25", "2035-07-04"};
  const Instant start = Utc("2026-06-03T15:17:00Z");
  Instant stepped = start;
  for (int i = 0; i < 3653; ++i) stepped = AddWorkingDays(calendar, stepped, 1);
  EXPECT_EQ(AddWorkingDays(calendar, start, 3653), stepped);
  Instant back = stepped;
  for (int i = 0; i < 3653; ++i) back = SubtractWorkingDays(calendar, back, 1);
  EXPECT_EQ(SubtractWorkingDays(calendar, stepped, 3653), back);
  EXPECT_EQ(back, start);
}

}  // namespace
}  // namespace tutti::scheduling
