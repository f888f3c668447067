// Time as Tutti sees it: UTC instants at millisecond resolution, read through an injectable Clock
// so that tests control "now". SystemClock is thread-safe; ManualClock is safe to read from many
// threads while one test thread advances it.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override;
  static const SystemClock& Get();
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_ms_(start.time_since_epoch().count()) {}
  Instant Now() const override { return Instant(std::chrono::milliseconds(now_ms_.load())); }
  void Advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

 private:
  std::atomic<long long> now_ms_;
};

// "2026-06-01T13:00:00.250Z" (always UTC, always milliseconds, so strings sort as instants).
std::string FormatInstant(Instant instant);
// "2026-06-01T13:00:00Z": whole seconds (milliseconds floored), for formats that promise second
// precision (plans, iCalendar). Years outside 0000..9999 print with more digits or a sign.
std::string FormatInstantSeconds(Instant instant);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a "+HH:MM"/"-HH:MM" offset.
Result<Instant> ParseInstant(std::string_view text);

// True when `zone` names a zone in the system's IANA tz database ("America/New_York").
bool IsKnownTimeZone(std::string_view zone);
// The system tz database's release ("2025b"), or "unknown".
std::string TimeZoneDatabaseVersion();

}  // namespace tutti
