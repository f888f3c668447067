// Parsing and printing of plan durations ("90m", "5wd"). Pure; thread-safe.
#include "tutti/scheduling/duration.h"

#include <cstdint>
#include <string>

namespace tutti::scheduling {
namespace {

using Unit = PlanDuration::Unit;

// 10 years of 365 days plus the at most 3 leap days they can contain.
constexpr int64_t kMaxDays = 10 * 365 + 3;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
constexpr int64_t kMaxSeconds = kMaxDays * kSecondsPerDay;
// Working days cannot be converted without a calendar; a working day needs at least one calendar
// day, so the same day count bounds them.
constexpr int64_t kMaxWorkingDays = kMaxDays;

int64_t SecondsPerUnit(Unit unit) {
  switch (unit) {
    case Unit::kSeconds:
      return 1;
    case Unit::kMinutes:
      return 60;
    case Unit::kHours:
      return 60 * 60;
    case Unit::kDays:
      return kSecondsPerDay;
    case Unit::kWeeks:
      return 7 * kSecondsPerDay;
    case Unit::kWorkingDays:
      return 0;
  }
  return 0;
}

const char* UnitSuffix(Unit unit) {
  switch (unit) {
    case Unit::kSeconds:
      return "s";
    case Unit::kMinutes:
      return "m";
    case Unit::kHours:
      return "h";
    case Unit::kDays:
      return "d";
    case Unit::kWeeks:
      return "w";
    case Unit::kWorkingDays:
      return "wd";
  }
  return "";
}

// The offending text for a message, cut short so a hostile input cannot bloat an error line.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 32;
  std::string out = "\"";
  out += text.substr(0, kMaxShown);
  if (text.size() > kMaxShown) out += "...";
  out += "\"";
  return out;
}

Status Invalid(std::string_view text, const std::string& why) {
  return InvalidArgument("invalid duration " + Quote(text) + ": " + why +
                             " (expected a non-negative integer and a unit s, m, h, d, w or wd, "
                             "like 90m, 36h, 3d, 2w or 5wd)",
                         {}, "invalid_duration");
}

}  // namespace

std::chrono::seconds PlanDuration::CalendarSeconds() const {
  return std::chrono::seconds(amount * SecondsPerUnit(unit));
}

std::string PlanDuration::ToString() const { return std::to_string(amount) + UnitSuffix(unit); }

Result<PlanDuration> ParseDuration(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty");
  if (text.front() == '-') return Invalid(text, "must not be negative");
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Invalid(text, "must not contain white space");
  }
  size_t pos = 0;
  int64_t amount = 0;
  bool too_large = false;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    // Saturate instead of overflowing; anything past the bound is refused below anyway.
    if (!too_large) {
      amount = amount * 10 + (text[pos] - '0');
      if (amount > kMaxSeconds) too_large = true;
    }
    ++pos;
  }
  if (pos == 0) return Invalid(text, "must start with a number");
  std::string_view suffix = text.substr(pos);
  PlanDuration duration;
  if (suffix.empty()) return Invalid(text, "missing unit");
  if (suffix == "s") {
    duration.unit = Unit::kSeconds;
  } else if (suffix == "m") {
    duration.unit = Unit::kMinutes;
  } else if (suffix == "h") {
    duration.unit = Unit::kHours;
  } else if (suffix == "d") {
    duration.unit = Unit::kDays;
  } else if (suffix == "w") {
    duration.unit = Unit::kWeeks;
  } else if (suffix == "wd") {
    duration.unit = Unit::kWorkingDays;
  } else {
    return Invalid(text, "unknown unit " + Quote(suffix));
  }
  const bool over_limit = duration.IsWorkingTime()
                              ? amount > kMaxWorkingDays
                              : amount > kMaxSeconds / SecondsPerUnit(duration.unit);
  if (too_large || over_limit) return Invalid(text, "longer than 10 years");
  duration.amount = amount;
  return duration;
}

}  // namespace tutti::scheduling
