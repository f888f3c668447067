// Working-time arithmetic over an owner's calendar.
//
// An instant is working time when its wall-clock time in the calendar's zone lies in
// [start_minute, end_minute) of a local date that is a working weekday and not a holiday. Adding
// N working days consumes N × WorkingDayLength() of such time. On a day whose working hours
// contain a DST transition the day holds more or less than that length; the budget is counted in
// real elapsed working time, so such a day simply contributes what it really holds.
//
// Speed: the zone is walked as a sequence of constant-offset pieces (time_zone::get_info on a
// sys_time, usually months long), and inside a piece local time is sys time plus one offset, so
// each day costs a few integer operations and whole holiday-free weeks are skipped at once. The
// cost is O(days spanned / 7 + holidays + transitions crossed), with one tz lookup per piece.
//
// Pure; thread-safe (the tz database is immutable after its first, synchronised load).
#include "tutti/scheduling/working_calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string_view>
#include <vector>

namespace tutti::scheduling {
namespace {

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMsPerDay = 86'400'000;
// Far beyond anything ParseDuration accepts (3653), small enough that amount × day length cannot
// overflow and results stay inside the tz database's range.
constexpr int64_t kMaxWorkingDays = 1'000'000;
// The tz database's first and last pieces reach years ±32767; clamped so that milliseconds never
// overflow.
constexpr int64_t kSecondsBound = 10'000'000'000'000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

// 0 = Sunday … 6 = Saturday for a count of days since 1970-01-01, which was a Thursday.
size_t Weekday(int64_t day) { return static_cast<size_t>(((day % 7) + 7 + 4) % 7); }

// A strict "YYYY-MM-DD" as local days since 1970-01-01. Hand-written because it runs for every
// holiday on every call (the arithmetic keeps no state between calls) and dominated their cost.
std::optional<int64_t> ParseHoliday(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t begin, size_t end) -> std::optional<int> {
    int value = 0;
    for (size_t i = begin; i < end; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const std::optional<int> year = number(0, 4), month = number(5, 7), day = number(8, 10);
  if (!year || !month || !day) return std::nullopt;
  const date::year_month_day ymd{date::year(*year), date::month(static_cast<unsigned>(*month)),
                                 date::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days(ymd).time_since_epoch().count();
}

const date::time_zone* FindZone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // date reports unknown names by throwing
  }
}

// A stretch of time during which the zone's UTC offset does not change: [begin, end) in
// milliseconds since the epoch.
struct Piece {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t offset = 0;
};

// The calendar in the form the arithmetic needs, built once per call.
class CompiledCalendar {
 public:
  static std::optional<CompiledCalendar> Build(const WorkingCalendar& calendar) {
    if (calendar.start_minute < 0 || calendar.end_minute > 24 * 60 ||
        calendar.start_minute >= calendar.end_minute) {
      return std::nullopt;
    }
    CompiledCalendar out;
    out.zone_ = FindZone(calendar.tz);
    if (out.zone_ == nullptr) return std::nullopt;
    out.working_days_ = calendar.working_days;
    const auto per_week =
        std::count(calendar.working_days.begin(), calendar.working_days.end(), true);
    if (per_week == 0) return std::nullopt;
    out.start_ = calendar.start_minute * kMsPerMinute;
    out.end_ = calendar.end_minute * kMsPerMinute;
    out.day_length_ = out.end_ - out.start_;
    out.week_length_ = per_week * out.day_length_;
    // Strictly parsed "YYYY-MM-DD" strings sort as their dates, so the std::set's order is
    // already chronological.
    out.holidays_.reserve(calendar.holidays.size());
    for (const std::string& holiday : calendar.holidays) {
      if (std::optional<int64_t> day = ParseHoliday(holiday)) out.holidays_.push_back(*day);
    }
    return out;
  }

  int64_t start() const { return start_; }
  int64_t end() const { return end_; }
  int64_t day_length() const { return day_length_; }
  int64_t week_length() const { return week_length_; }

  bool IsWorkingDay(int64_t day) const {
    return working_days_[Weekday(day)] &&
           !std::binary_search(holidays_.begin(), holidays_.end(), day);
  }

  // Whole weeks from `day` forward (day, day + 1, …) before the next holiday; large if none.
  int64_t HolidayFreeWeeksFrom(int64_t day) const {
    auto next = std::lower_bound(holidays_.begin(), holidays_.end(), day);
    return next == holidays_.end() ? kMaxWorkingDays : (*next - day) / 7;
  }
  // Whole weeks from `day` backward (day, day − 1, …) before the previous holiday.
  int64_t HolidayFreeWeeksUntil(int64_t day) const {
    auto after = std::upper_bound(holidays_.begin(), holidays_.end(), day);
    return after == holidays_.begin() ? kMaxWorkingDays : (day - *(after - 1)) / 7;
  }

  // The constant-offset piece that contains the instant `ms`.
  Piece PieceAt(int64_t ms) const {
    const date::sys_info info =
        zone_->get_info(date::sys_seconds(std::chrono::seconds(FloorDiv(ms, 1000))));
    auto clamp = [](date::sys_seconds t) {
      return std::clamp<int64_t>(t.time_since_epoch().count(), -kSecondsBound, kSecondsBound) *
             1000;
    };
    return Piece{clamp(info.begin), clamp(info.end),
                 std::chrono::duration_cast<std::chrono::milliseconds>(info.offset).count()};
  }

 private:
  const date::time_zone* zone_ = nullptr;
  std::array<bool, 7> working_days_{};
  int64_t start_ = 0, end_ = 0, day_length_ = 0, week_length_ = 0;
  std::vector<int64_t> holidays_;  // local days since 1970-01-01, sorted
};

int64_t ToMs(Instant t) { return t.time_since_epoch().count(); }
Instant FromMs(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// Work of `remaining` ms (> 0) started at `t`: the instant it is done.
int64_t Forward(const CompiledCalendar& cal, int64_t t, int64_t remaining) {
  Piece piece = cal.PieceAt(t);
  for (;;) {
    const int64_t offset = piece.offset;
    int64_t day = FloorDiv(t + offset, kMsPerDay);
    while (day * kMsPerDay + cal.start() - offset < piece.end) {
      const int64_t window_begin = day * kMsPerDay + cal.start() - offset;
      const int64_t window_end = day * kMsPerDay + cal.end() - offset;
      if (window_begin >= t && remaining > cal.week_length()) {
        // Strictly more than the weeks skipped must remain, so that work finishing exactly at
        // the end of a working day ends there and not at the next day's start.
        const int64_t days_in_piece = FloorDiv(piece.end + offset - cal.end(), kMsPerDay) - day + 1;
        const int64_t weeks = std::min({(remaining - 1) / cal.week_length(), days_in_piece / 7,
                                        cal.HolidayFreeWeeksFrom(day)});
        if (weeks > 0) {
          remaining -= weeks * cal.week_length();
          day += 7 * weeks;
          continue;
        }
      }
      if (cal.IsWorkingDay(day)) {
        const int64_t begin = std::max(window_begin, t);
        const int64_t end = std::min(window_end, piece.end);
        if (begin < end) {
          if (remaining <= end - begin) return begin + remaining;
          remaining -= end - begin;
        }
      }
      ++day;
    }
    t = piece.end;
    piece = cal.PieceAt(t);
    // Only at the tz database's end of time (year 32767), unreachable within kMaxWorkingDays.
    if (piece.end <= t) return t + remaining;
  }
}

// Work of `remaining` ms (> 0) that must be done by `t`: the latest instant it can start.
int64_t Backward(const CompiledCalendar& cal, int64_t t, int64_t remaining) {
  Piece piece = cal.PieceAt(t - 1);
  for (;;) {
    const int64_t offset = piece.offset;
    int64_t day = FloorDiv(t - 1 + offset, kMsPerDay);
    while (day * kMsPerDay + cal.end() - offset > piece.begin) {
      const int64_t window_begin = day * kMsPerDay + cal.start() - offset;
      const int64_t window_end = day * kMsPerDay + cal.end() - offset;
      if (window_end <= t && remaining > cal.week_length()) {
        const int64_t days_in_piece =
            day - CeilDiv(piece.begin + offset - cal.start(), kMsPerDay) + 1;
        const int64_t weeks = std::min({(remaining - 1) / cal.week_length(), days_in_piece / 7,
                                        cal.HolidayFreeWeeksUntil(day)});
        if (weeks > 0) {
          remaining -= weeks * cal.week_length();
          day -= 7 * weeks;
          continue;
        }
      }
      if (cal.IsWorkingDay(day)) {
        const int64_t begin = std::max(window_begin, piece.begin);
        const int64_t end = std::min(window_end, t);
        if (begin < end) {
          if (remaining <= end - begin) return end - remaining;
          remaining -= end - begin;
        }
      }
      --day;
    }
    t = piece.begin;
    piece = cal.PieceAt(t - 1);
    if (piece.begin >= t) return t - remaining;
  }
}

}  // namespace

Status ValidateCalendar(const WorkingCalendar& calendar) {
  if (FindZone(calendar.tz) == nullptr) {
    return InvalidArgument(
        "unknown time zone \"" + calendar.tz + "\" (expected an IANA name like Europe/Madrid)",
        "tz", "unknown_time_zone");
  }
  if (calendar.start_minute < 0 || calendar.start_minute >= 24 * 60) {
    return InvalidArgument("must be between 0 and 1439 minutes after local midnight, got " +
                               std::to_string(calendar.start_minute),
                           "start_minute", "invalid_working_hours");
  }
  if (calendar.end_minute <= calendar.start_minute || calendar.end_minute > 24 * 60) {
    return InvalidArgument("must be after start_minute (" + std::to_string(calendar.start_minute) +
                               ") and at most 1440 minutes after local midnight, got " +
                               std::to_string(calendar.end_minute),
                           "end_minute", "invalid_working_hours");
  }
  if (std::none_of(calendar.working_days.begin(), calendar.working_days.end(),
                   [](bool working) { return working; })) {
    return InvalidArgument("a working calendar needs at least one working weekday", "working_days",
                           "no_working_days");
  }
  for (const std::string& holiday : calendar.holidays) {
    if (!ParseHoliday(holiday)) {
      return InvalidArgument(
          "holiday \"" + holiday.substr(0, 40) + "\" is not a date like 2026-12-25", "holidays",
          "invalid_date");
    }
  }
  return OkStatus();
}

Instant AddWorkingDays(const WorkingCalendar& calendar, Instant start, int64_t amount) {
  if (amount == 0) return start;
  if (amount < 0) return SubtractWorkingDays(calendar, start, -std::max(amount, -kMaxWorkingDays));
  amount = std::min(amount, kMaxWorkingDays);
  std::optional<CompiledCalendar> compiled = CompiledCalendar::Build(calendar);
  // An unvalidated, unusable calendar would never yield working time; fall back to calendar days
  // rather than loop forever.
  if (!compiled) return start + std::chrono::days(amount);
  return FromMs(Forward(*compiled, ToMs(start), amount * compiled->day_length()));
}

Instant SubtractWorkingDays(const WorkingCalendar& calendar, Instant finish, int64_t amount) {
  if (amount == 0) return finish;
  if (amount < 0) return AddWorkingDays(calendar, finish, -std::max(amount, -kMaxWorkingDays));
  amount = std::min(amount, kMaxWorkingDays);
  std::optional<CompiledCalendar> compiled = CompiledCalendar::Build(calendar);
  if (!compiled) return finish - std::chrono::days(amount);
  return FromMs(Backward(*compiled, ToMs(finish), amount * compiled->day_length()));
}

Instant AddDuration(const WorkingCalendar& calendar, Instant from, const PlanDuration& d) {
  if (d.IsWorkingTime()) return AddWorkingDays(calendar, from, d.amount);
  return from + d.CalendarSeconds();
}

Instant SubtractDuration(const WorkingCalendar& calendar, Instant from, const PlanDuration& d) {
  if (d.IsWorkingTime()) return SubtractWorkingDays(calendar, from, d.amount);
  return from - d.CalendarSeconds();
}

}  // namespace tutti::scheduling
