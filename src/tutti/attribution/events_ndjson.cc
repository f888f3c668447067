// The events NDJSON reader (events_ndjson.h). Lines are cut from a block buffer with memchr and
// each is parsed in place, where it lies, by simdjson's DOM parser (the bytes after a line serve
// as simdjson's padding, and the buffer keeps SIMDJSON_PADDING spare bytes after its end); the
// fields are then checked by the same functions as the CSV's (event_fields.h) and the good
// events appended to the EventTable in batches.
//
// Why per-line DOM and not On-Demand or parse_many, measured on the benchmark's 1 M events
// (Release, GCC 12, this VM): DOM 5.9 M lines/s; On-Demand 3.3 M lines/s, because Debian's
// simdjson 3.0 compiles On-Demand into the caller for baseline x86-64 (its scalar "fallback"
// kernel) unless the caller is built for AVX2, whereas DOM picks the CPU's kernel at run time;
// and DOM validates the whole line (text after the object, a malformed value under an ignored
// key), which On-Demand leaves unread. parse_many reads 10.7 M documents/s, but its documents
// need not be lines and one broken line ends the stream, so a bad record could not be rejected
// alone with its line number.
#include "tutti/attribution/events_ndjson.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "tutti/attribution/event_fields.h"

namespace tutti::attribution {
namespace {

using internal::Shown;

enum Key { kEventId, kUserKey, kTs, kPartner, kChannel, kType, kValue, kKeyCount };
constexpr std::array<std::string_view, kKeyCount> kKeyNames = {
    "event_id", "user_key", "ts", "partner", "channel", "type", "value"};

constexpr char kExpectedObject[] =
    "expected one JSON object per line like {\"event_id\":\"e1\",\"user_key\":\"u1\",\"ts\":"
    "\"2026-06-01T13:00:00Z\",\"partner\":\"acme\",\"channel\":\"search\",\"type\":\"click\"}";

// One of Key, or -1 for a key that is ignored. The comparisons have a constant length, so that
// they compile to a load or two instead of a call to memcmp (seven keys a line).
int KeyOf(std::string_view key) {
  const char* k = key.data();
  switch (key.size()) {
    case 2:
      return std::memcmp(k, "ts", 2) == 0 ? kTs : -1;
    case 4:
      return std::memcmp(k, "type", 4) == 0 ? kType : -1;
    case 5:
      return std::memcmp(k, "value", 5) == 0 ? kValue : -1;
    case 7:
      return std::memcmp(k, "partner", 7) == 0   ? kPartner
             : std::memcmp(k, "channel", 7) == 0 ? kChannel
                                                 : -1;
    case 8:
      return std::memcmp(k, "event_id", 8) == 0   ? kEventId
             : std::memcmp(k, "user_key", 8) == 0 ? kUserKey
                                                  : -1;
    default:
      return -1;
  }
}

// A JSON value as named in an error message: `the string "12"`, `the number 1.5`, `null`.
std::string Describe(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::STRING: {
      std::string_view text;
      if (element.get_string().get(text) != simdjson::SUCCESS) break;
      return "the string " + Shown(text);
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "the number " + simdjson::to_string(element);
    case element_type::BOOL: {
      bool value = false;
      if (element.get_bool().get(value) != simdjson::SUCCESS) break;
      return value ? "true" : "false";
    }
    case element_type::NULL_VALUE:
      return "null";
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
  }
  return "a value of an unknown kind";
}

class Reader {
 public:
  Reader(std::istream& in, const EventsNdjsonLimits& limits, EventsNdjson& out)
      : in_(in),
        limits_(limits),
        block_bytes_(std::max<size_t>(limits.block_bytes, 1)),
        out_(out),
        // The parser grows to the longest line it meets, never beyond the longest allowed.
        parser_(std::max<size_t>(limits.max_record_bytes, 1)) {}

  Status Run() {
    for (;;) {
      const char* begin = buffer_.data() + begin_;
      const size_t available = end_ - begin_;
      if (const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
          newline != nullptr) {
        const auto length = static_cast<size_t>(newline - begin);
        ReadLine(begin, length);
        begin_ += length + 1;
        ++line_;
        continue;
      }
      // One more byte than the longest line, for the '\r' of a CRLF still to come.
      if (available > 0 && available - 1 > limits_.max_record_bytes) {
        ++out_.records;
        Reject("record", TooLongReason());
        TUTTI_RETURN_IF_ERROR(SkipLine());
        continue;
      }
      if (eof_) {
        if (available > 0) ReadLine(begin, available);
        batch_.Flush(out_.events);
        return OkStatus();
      }
      TUTTI_RETURN_IF_ERROR(Refill());
    }
  }

 private:
  // Reads another block behind the unread bytes; sets eof_ at the end of the stream.
  Status Refill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    const size_t needed = end_ + block_bytes_ + simdjson::SIMDJSON_PADDING;
    if (buffer_.size() < needed) buffer_.resize(needed);
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(block_bytes_));
    const auto got = static_cast<size_t>(in_.gcount());
    if (in_.bad()) return Unavailable("reading the events failed");
    end_ += got;
    // A read ends short only at the end of the stream.
    if (got < block_bytes_) eof_ = true;
    return OkStatus();
  }

  // Drops the rest of an over-long line, block by block, without keeping it.
  Status SkipLine() {
    for (;;) {
      const char* begin = buffer_.data() + begin_;
      if (const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - begin_));
          newline != nullptr) {
        begin_ += static_cast<size_t>(newline - begin) + 1;
        ++line_;
        return OkStatus();
      }
      begin_ = end_;
      if (eof_) return OkStatus();
      TUTTI_RETURN_IF_ERROR(Refill());
    }
  }

  std::string TooLongReason() const {
    return "the line is longer than " + std::to_string(limits_.max_record_bytes) + " bytes";
  }

  void Reject(std::string field, std::string reason) {
    ++out_.rejected;
    if (out_.errors.size() < limits_.max_errors) {
      out_.errors.push_back({line_, std::move(field), std::move(reason)});
    }
  }

  // The line at `text` (without its '\n'; the bytes after it are readable padding).
  void ReadLine(const char* text, size_t length) {
    if (length > 0 && text[length - 1] == '\r') --length;
    // Measured as Run measures a line it has not seen the end of, blank or not, so that the
    // block size never decides whether a line is too long.
    if (length > limits_.max_record_bytes) {
      ++out_.records;
      Reject("record", TooLongReason());
      return;
    }
    if (line_ == 1 && length >= 3 && std::memcmp(text, "\xef\xbb\xbf", 3) == 0) {
      text += 3;
      length -= 3;
    }
    size_t first = 0;
    while (first < length && (text[first] == ' ' || text[first] == '\t' || text[first] == '\r')) {
      ++first;
    }
    if (first == length) return;
    ++out_.records;
    simdjson::dom::element root;
    if (const simdjson::error_code error =
            parser_.parse(reinterpret_cast<const uint8_t*>(text), length, false).get(root);
        error != simdjson::SUCCESS) {
      if (error == simdjson::UTF8_ERROR) {
        const size_t at = internal::InvalidUtf8Offset(std::string_view(text, length));
        Reject("record", "the line is not valid UTF-8 (byte " + std::to_string(at + 1) + ")");
      } else {
        Reject("record", std::string("the line is not valid JSON (") +
                             simdjson::error_message(error) + "); " + kExpectedObject);
      }
      return;
    }
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) {
      Reject("record", std::string(kExpectedObject) + ", got " + Describe(root));
      return;
    }
    std::array<simdjson::dom::element, kKeyCount> fields;
    std::array<bool, kKeyCount> present{};
    for (const simdjson::dom::key_value_pair field : object) {
      const int key = KeyOf(field.key);
      if (key < 0) continue;
      if (present[static_cast<size_t>(key)]) {
        Reject(std::string(field.key), "the key appears twice in the object");
        return;
      }
      present[static_cast<size_t>(key)] = true;
      fields[static_cast<size_t>(key)] = field.value;
    }
    AddRecord(fields, present);
  }

  void AddRecord(const std::array<simdjson::dom::element, kKeyCount>& fields,
                 const std::array<bool, kKeyCount>& present) {
    auto is_null = [&](Key key) { return !present[key] || fields[key].is_null(); };
    std::array<std::string_view, kKeyCount> text;
    // Why `key` is not a string, or an empty string when it is one (into text[key]).
    auto string_problem = [&](Key key) -> std::string {
      if (!present[key]) return "is missing";
      if (fields[key].get_string().get(text[key]) != simdjson::SUCCESS) {
        return "expected a JSON string, got " + Describe(fields[key]);
      }
      return {};
    };
    EventType type = EventType::kImpression;
    std::string type_problem = string_problem(kType);
    if (type_problem.empty()) {
      const Result<EventType> parsed = ParseEventType(text[kType]);
      if (parsed.ok()) {
        type = *parsed;
      } else {
        type_problem = internal::TypeProblem(Shown(text[kType]));
      }
    }
    const bool conversion = type_problem.empty() && type == EventType::kConversion;
    int64_t ts_ms = 0;
    double value = 0;
    for (const Key key : {kEventId, kUserKey, kTs, kPartner, kChannel, kType, kValue}) {
      std::string problem;
      switch (key) {
        case kEventId:
        case kUserKey:
          problem = string_problem(key);
          if (problem.empty()) problem = internal::CheckText(text[key]);
          break;
        case kPartner:
        case kChannel:
          if (is_null(key)) {
            if (!conversion)
              problem =
                  present[key] ? "must not be null on a touchpoint" : "is missing on a touchpoint";
            break;
          }
          problem = string_problem(key);
          if (problem.empty()) problem = internal::CheckName(text[key], conversion);
          break;
        case kTs:
          if (!present[key]) {
            problem = "is missing";
          } else if (fields[key].get_string().get(text[key]) == simdjson::SUCCESS) {
            const std::optional<int64_t> parsed = internal::ParseTimestampMs(text[key]);
            if (parsed) {
              ts_ms = *parsed;
            } else {
              problem = internal::TimestampProblem(Shown(text[key]));
            }
          } else if (fields[key].get_int64().get(ts_ms) != simdjson::SUCCESS ||
                     !internal::IsTimestampMsInRange(ts_ms)) {
            problem = internal::TimestampProblem(Describe(fields[key]));
          }
          break;
        case kType:
          problem = std::move(type_problem);
          break;
        case kValue:
          if (is_null(key)) {
            if (conversion) problem = internal::kConversionNeedsValue;
            break;
          }
          if (fields[key].get_double().get(value) != simdjson::SUCCESS) {
            problem = "expected a JSON number like 19.99, got " + Describe(fields[key]);
          } else if (!internal::IsEventValueInRange(value)) {
            problem = internal::ValueRangeProblem(Shown(simdjson::to_string(fields[key])));
          }
          break;
        case kKeyCount:
          break;
      }
      if (!problem.empty()) {
        Reject(std::string(kKeyNames[key]), std::move(problem));
        return;
      }
    }
    // The texts live in the parser, which the next line reuses: the batch keeps copies.
    batch_.Add(batch_.Keep(text[kEventId]), batch_.Keep(text[kUserKey]), ts_ms,
               batch_.Keep(text[kPartner]), batch_.Keep(text[kChannel]), type, value);
    if (batch_.full()) batch_.Flush(out_.events);
  }

  std::istream& in_;
  const EventsNdjsonLimits& limits_;
  const size_t block_bytes_;
  EventsNdjson& out_;
  simdjson::dom::parser parser_;
  std::string buffer_;
  size_t begin_ = 0, end_ = 0;  // the unread bytes of buffer_
  bool eof_ = false;
  uint64_t line_ = 1;  // the line at begin_
  internal::EventBatch batch_;
};

}  // namespace

Result<EventsNdjson> ParseEventsNdjson(std::istream& in, const EventsNdjsonLimits& limits) {
  EventsNdjson out;
  Reader reader(in, limits, out);
  TUTTI_RETURN_IF_ERROR(reader.Run());
  return out;
}

Result<EventTable> ReadEventsNdjson(std::istream& in, const EventsNdjsonLimits& limits) {
  TUTTI_ASSIGN_OR_RETURN(EventsNdjson parsed, ParseEventsNdjson(in, limits));
  return internal::EventsOrFirstError(std::move(parsed));
}

}  // namespace tutti::attribution
