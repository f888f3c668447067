// Working calendars: when an owner works (weekdays, daily hours, holidays) in their own zone, and
// arithmetic in working time over them. "N working days" means N times the length of one working
// day, counted only inside working hours. Pure; thread-safe.
#pragma once

#include <array>
#include <set>
#include <string>

#include "tutti/base/clock.h"
#include "tutti/scheduling/duration.h"

namespace tutti::scheduling {

struct WorkingCalendar {
  std::string tz = "Etc/UTC";
  // Index 0 = Sunday … 6 = Saturday (as date::weekday::c_encoding()).
  std::array<bool, 7> working_days = {false, true, true, true, true, true, false};
  int start_minute = 9 * 60;  // minutes after local midnight, start < end
  int end_minute = 17 * 60;
  std::set<std::string> holidays;  // local dates "YYYY-MM-DD"

  std::chrono::seconds WorkingDayLength() const {
    return std::chrono::minutes(end_minute - start_minute);
  }
};

// Validates zone, hours (0 <= start_minute < end_minute <= 1440), at least one working weekday and
// holiday dates (strict "YYYY-MM-DD"). kInvalidArgument naming the field ("tz", "start_minute",
// "end_minute", "working_days", "holidays") with reason "unknown_time_zone",
// "invalid_working_hours", "no_working_days" or "invalid_date" otherwise.
Status ValidateCalendar(const WorkingCalendar& calendar);

// Working time is every instant whose local wall-clock time in `tz` lies in [start_minute,
// end_minute) of a local date that is a working weekday and not a holiday; a DST change inside
// working hours makes that day hold more or less than WorkingDayLength().
//
// The instant at which `amount` working days (amount × WorkingDayLength() of working time) of
// work started at `start` are done. Work starting outside working hours starts at the next
// working moment; work may end exactly at the end of a working period (17:00, not the next 09:00).
// 0 returns `start` unchanged; a negative amount subtracts. Requires a validated calendar with at
// least one working day; an unusable one (unknown zone, no working day, empty hours) counts
// calendar days instead, and invalid holiday strings are ignored. Cost O(days spanned / 7 +
// holidays); amounts beyond ±1 000 000 are clamped.
Instant AddWorkingDays(const WorkingCalendar& calendar, Instant start, int64_t amount);
// The latest instant at which `amount` working days of work can start to be done by `finish`:
// the mirror image of AddWorkingDays (a finish outside working hours means the end of the last
// working period before it; a start exactly at the beginning of a working period is kept).
Instant SubtractWorkingDays(const WorkingCalendar& calendar, Instant finish, int64_t amount);

// Adds or subtracts a duration: calendar units directly, working days on `calendar`.
Instant AddDuration(const WorkingCalendar& calendar, Instant from, const PlanDuration& d);
Instant SubtractDuration(const WorkingCalendar& calendar, Instant from, const PlanDuration& d);

}  // namespace tutti::scheduling
