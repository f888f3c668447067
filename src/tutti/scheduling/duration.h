// Durations as plans write them: an integer and a unit, "90m", "36h", "3d", "2w" in calendar
// time, or "5wd" in working days of an owner's working calendar (working_calendar.h). Pure;
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti::scheduling {

struct PlanDuration {
  enum class Unit { kSeconds, kMinutes, kHours, kDays, kWeeks, kWorkingDays };
  int64_t amount = 0;  // >= 0
  Unit unit = Unit::kSeconds;

  bool IsWorkingTime() const { return unit == Unit::kWorkingDays; }
  // Calendar length; meaningless (and 0) for working days.
  std::chrono::seconds CalendarSeconds() const;
  std::string ToString() const;  // "36h", "5wd"
  bool operator==(const PlanDuration&) const = default;
};

// Parses "<non-negative integer><unit>" with unit s, m, h, d, w or wd; at most 10 years.
// kInvalidArgument with reason "invalid_duration" otherwise.
Result<PlanDuration> ParseDuration(std::string_view text);

}  // namespace tutti::scheduling
