// What the events readers (events_csv.h, events_ndjson.h) share, so that a record means the same
// in either format: the checks of every field, the wording of their errors, and the batch that
// carries good events into the EventTable. Internal to src/tutti/attribution.
//
// Thread-safe: the functions are pure; an EventBatch belongs to one reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_csv.h"

namespace tutti::attribution::internal {

// The largest value (revenue of a conversion, spend of a touchpoint) a record may carry.
inline constexpr double kMaxEventValue = 1e14;

inline constexpr char kConversionNeedsValue[] =
    "a conversion needs a value (0 when it has no revenue)";

// `text` as shown in an error message: in double quotes, at most 40 bytes (then "…"), anything
// but printable ASCII as \xNN, so that invalid UTF-8 or control characters never reach a
// terminal.
std::string Shown(std::string_view text);

// The offset of the first byte of `text` that does not belong to valid UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or std::string_view::npos.
size_t InvalidUtf8Offset(std::string_view text);

// Why an event id or user key is unacceptable ("must not be empty", "is 300 bytes long; at most
// 256 are allowed", "holds a control character (byte 3)", "is not valid UTF-8 (byte 2)"), or an
// empty string when it is fine.
std::string CheckText(std::string_view text);

// The same for a partner or channel name, which may be empty on a conversion only.
std::string CheckName(std::string_view text, bool conversion);

// Epoch milliseconds from "2026-06-01T13:00:00[.fff…](Z|±HH:MM)" (years 0000..9999, fractions
// past milliseconds dropped) or from an integer of epoch milliseconds written in decimal;
// std::nullopt otherwise.
std::optional<int64_t> ParseTimestampMs(std::string_view text);

// Whether epoch milliseconds name an instant of the years 0000..9999, as ParseTimestampMs asks.
bool IsTimestampMsInRange(int64_t ms);

// The reason for a timestamp that is not one, naming the forms accepted; `got` is Shown text or
// a description such as "the number 1.5".
std::string TimestampProblem(std::string_view got);

// The reason for an event type that is not one of the four.
std::string TypeProblem(std::string_view got);

// Whether a value (revenue or spend) is in 0..kMaxEventValue; NaN is not.
inline bool IsEventValueInRange(double value) { return value >= 0 && value <= kMaxEventValue; }

// The reason for a value out of that range; `shown` is how the value was written.
std::string ValueRangeProblem(std::string_view shown);

// What ReadEventsCsv and ReadEventsNdjson return for what their Parse… form read: the events
// when every record was good, otherwise kInvalidArgument naming the first bad record (field
// "line N: FIELD") and counting the others.
Result<EventTable> EventsOrFirstError(EventsCsv&& parsed);

// Good events on their way into an EventTable. The user keys of a whole batch are interned
// together (Dictionary::InternMany), so that their probes of a table far larger than the caches
// overlap. The texts given to Add must stay valid until Flush: a reader flushes before it
// overwrites its buffer, or hands in copies from Keep.
class EventBatch {
 public:
  static constexpr size_t kCapacity = 256;

  // A copy of `text` that stays valid until the next Flush.
  std::string_view Keep(std::string_view text);
  void Add(std::string_view event_id, std::string_view user_key, int64_t ts_ms,
           std::string_view partner, std::string_view channel, EventType type, double value);
  bool full() const { return events_.size() >= kCapacity; }
  // Appends the batch to `table`, in the order added, and empties it.
  void Flush(EventTable& table);

 private:
  struct Pending {
    std::string_view event_id, partner, channel;
    int64_t ts_ms;
    EventType type;
    double value;
  };
  std::vector<Pending> events_;
  std::vector<std::string_view> users_;
  std::vector<uint32_t> user_ids_;
  // Keep's storage: chunks reserved once and never grown, in a deque that never moves them, so
  // that earlier copies stay where they are.
  std::deque<std::string> chunks_;
  size_t chunk_ = 0;
};

}  // namespace tutti::attribution::internal
