// The events CSV reader (events_csv.h). One pass over a block buffer: a record is split into
// fields in place (quoted fields with "" escapes are unescaped into a scratch buffer), validated
// column by column and appended to the EventTable. A record cut by the end of a block is scanned
// again once the next block is in; a record that would outgrow max_record_bytes is skipped by a
// byte-wise state machine that never buffers it.
#include "tutti/attribution/events_csv.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>

namespace tutti::attribution {
namespace {

constexpr size_t kMaxTextBytes = 256;
constexpr double kMaxValue = 1e14;
// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the instants an ISO-8601 year can name.
constexpr int64_t kMinTimestampMs = -62167219200000;
constexpr int64_t kMaxTimestampMs = 253402300799999;

enum Column { kEventId, kUserKey, kTs, kPartner, kChannel, kType, kValue, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "event_id", "user_key", "ts", "partner", "channel", "type", "value"};
constexpr char kExpectedHeader[] = "event_id,user_key,ts,partner,channel,type,value";

// A value shown in an error message: at most 40 bytes, anything but printable ASCII as \xNN (so
// that invalid UTF-8 or control characters cannot reach a terminal).
std::string Shown(std::string_view text) {
  std::string out = "\"";
  const size_t shown = std::min<size_t>(text.size(), 40);
  for (size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  out += '"';
  if (text.size() > shown) out += "…";
  return out;
}

// Length of the valid UTF-8 sequence at `p` (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), or 0.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char lead = p[0];
  auto continuation = [&](size_t i, unsigned char low = 0x80, unsigned char high = 0xbf) {
    return p + i < end && p[i] >= low && p[i] <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const unsigned char low = lead == 0xe0 ? 0xa0 : 0x80;
    const unsigned char high = lead == 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const unsigned char low = lead == 0xf0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// Why a name or id is unacceptable, or an empty string when it is fine.
std::string CheckText(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxTextBytes) {
    return "is " + std::to_string(text.size()) + " bytes long; at most 256 are allowed";
  }
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  // Printable ASCII, the usual case, is settled by a loop the compiler vectorises.
  unsigned char outside = 0;
  for (const unsigned char* c = p; c < end; ++c) {
    outside |= static_cast<unsigned char>(*c - 0x20) >= 0x5f;  // below 0x20 wraps around
  }
  if (outside == 0) return {};
  while (p < end) {
    if (*p < 0x80) {
      if (*p < 0x20 || *p == 0x7f) {
        return "holds a control character (byte " +
               std::to_string(p - reinterpret_cast<const unsigned char*>(text.data()) + 1) + ")";
      }
      ++p;
      continue;
    }
    const size_t length = Utf8SequenceLength(p, end);
    if (length == 0) {
      return "is not valid UTF-8 (byte " +
             std::to_string(p - reinterpret_cast<const unsigned char*>(text.data()) + 1) + ")";
    }
    p += length;
  }
  return {};
}

// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

unsigned DaysInMonth(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Epoch milliseconds from "2026-06-01T13:00:00[.fff…](Z|±HH:MM)" or an integer of epoch
// milliseconds; std::nullopt otherwise.
std::optional<int64_t> ParseTimestampMs(std::string_view text) {
  const char* p = text.data();
  const size_t size = text.size();
  auto digits = [&](size_t at, size_t count, unsigned* out) {
    unsigned value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (i >= size || p[i] < '0' || p[i] > '9') return false;
      value = value * 10 + static_cast<unsigned>(p[i] - '0');
    }
    *out = value;
    return true;
  };
  if (size > 0 && size <= 16 && text.find_first_not_of("-0123456789") == std::string_view::npos &&
      text.find('-', 1) == std::string_view::npos) {
    int64_t ms = 0;
    const auto [end, error] = std::from_chars(p, p + size, ms);
    if (error != std::errc() || end != p + size || ms < kMinTimestampMs || ms > kMaxTimestampMs) {
      return std::nullopt;
    }
    return ms;
  }
  unsigned year, month, day, hour, minute, second;
  if (size < 20 || !digits(0, 4, &year) || p[4] != '-' || !digits(5, 2, &month) || p[7] != '-' ||
      !digits(8, 2, &day) || p[10] != 'T' || !digits(11, 2, &hour) || p[13] != ':' ||
      !digits(14, 2, &minute) || p[16] != ':' || !digits(17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(static_cast<int>(year), month) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t at = 19;
  unsigned millis = 0;
  if (p[at] == '.') {
    size_t fraction_digits = 0;
    for (++at; at < size && p[at] >= '0' && p[at] <= '9'; ++at, ++fraction_digits) {
      if (fraction_digits < 3) millis = millis * 10 + static_cast<unsigned>(p[at] - '0');
    }
    if (fraction_digits == 0 || fraction_digits > 9) return std::nullopt;
    for (size_t i = fraction_digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at + 1 == size && p[at] == 'Z') {
    // UTC
  } else if (at + 6 == size && (p[at] == '+' || p[at] == '-') && p[at + 3] == ':') {
    unsigned offset_hours, offset_mins;
    if (!digits(at + 1, 2, &offset_hours) || !digits(at + 4, 2, &offset_mins) ||
        offset_hours > 23 || offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes =
        (p[at] == '-' ? -1 : 1) * static_cast<int64_t>(offset_hours * 60 + offset_mins);
  } else {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

// A record split into fields. Views point into the block buffer, or into `scratch` for quoted
// fields that held "" escapes.
struct Record {
  std::vector<std::string_view> fields;
  std::string scratch;
  size_t bytes = 0;       // consumed, including the line end
  uint64_t newlines = 0;  // consumed, including the line end
  bool blank = false;     // an empty line
  // Broken quoting, noted with the field where it happened; the record is still delimited.
  const char* quoting_error = nullptr;
  size_t quoting_error_field = 0;
};

enum class Scan { kRecord, kNeedMore };

// Splits the record at [begin, end). With `at_eof` false a record that reaches `end` may go on
// in the next block, so the scan asks for more.
Scan ScanRecord(const char* begin, const char* end, bool at_eof, Record& record) {
  record.fields.clear();
  record.scratch.clear();
  // Unescaped text is never longer than the raw bytes, so views into scratch stay valid.
  record.scratch.reserve(static_cast<size_t>(end - begin));
  record.newlines = 0;
  record.quoting_error = nullptr;
  record.blank = false;
  // Nearly every record is one line without quotes: find its end and its commas with memchr,
  // which scans many bytes per instruction.
  const size_t available = static_cast<size_t>(end - begin);
  if (const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
      newline != nullptr &&
      std::memchr(begin, '"', static_cast<size_t>(newline - begin)) == nullptr) {
    const char* line_end = newline > begin && newline[-1] == '\r' ? newline - 1 : newline;
    for (const char* p = begin;;) {
      const auto* comma =
          static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(line_end - p)));
      if (comma == nullptr) {
        record.fields.emplace_back(p, static_cast<size_t>(line_end - p));
        break;
      }
      record.fields.emplace_back(p, static_cast<size_t>(comma - p));
      p = comma + 1;
    }
    record.bytes = static_cast<size_t>(newline + 1 - begin);
    record.newlines = 1;
    record.blank = record.fields.size() == 1 && record.fields[0].empty();
    return Scan::kRecord;
  }
  auto note = [&](const char* what) {
    if (record.quoting_error == nullptr) {
      record.quoting_error = what;
      record.quoting_error_field = record.fields.size();
    }
  };
  const char* p = begin;
  for (;;) {
    std::string_view field;
    if (p < end && *p == '"') {
      const char* segment = ++p;
      bool escaped = false;
      size_t scratch_start = record.scratch.size();
      for (;;) {
        const auto* quote =
            static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        if (quote == nullptr) {
          if (!at_eof) return Scan::kNeedMore;
          for (const char* c = p; c < end; ++c) record.newlines += *c == '\n';
          note("a quoted field is not closed before the end of the file");
          record.fields.emplace_back();
          record.bytes = static_cast<size_t>(end - begin);
          return Scan::kRecord;
        }
        for (const char* c = p; c < quote; ++c) record.newlines += *c == '\n';
        if (quote + 1 == end && !at_eof) return Scan::kNeedMore;
        if (quote + 1 < end && quote[1] == '"') {
          record.scratch.append(segment, quote + 1);
          escaped = true;
          p = segment = quote + 2;
          continue;
        }
        if (escaped) {
          record.scratch.append(segment, quote);
          field = std::string_view(record.scratch).substr(scratch_start);
        } else {
          field = std::string_view(segment, static_cast<size_t>(quote - segment));
        }
        p = quote + 1;
        break;
      }
      if (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n') &&
          !(*p == '\r' && p + 1 == end && at_eof)) {
        if (*p == '\r' && p + 1 == end) return Scan::kNeedMore;
        note("a closing quote is followed by something other than a comma or a line end");
        while (p < end && *p != ',' && *p != '\n') ++p;
        if (p == end && !at_eof) return Scan::kNeedMore;
      }
    } else {
      const char* start = p;
      while (p < end && *p != ',' && *p != '\n') {
        if (*p == '"')
          note("a quote inside an unquoted field (quote the whole field and double the quote)");
        ++p;
      }
      if (p == end && !at_eof) return Scan::kNeedMore;
      const char* stop = p;
      if ((p == end || *p == '\n') && stop > start && stop[-1] == '\r') --stop;
      field = std::string_view(start, static_cast<size_t>(stop - start));
    }
    record.fields.push_back(field);
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end && *p == '\r') ++p;  // only before '\n' or at the end of the file, checked above
    if (p < end && *p == '\n') {
      ++p;
      ++record.newlines;
    }
    record.bytes = static_cast<size_t>(p - begin);
    record.blank = record.fields.size() == 1 && record.fields[0].empty() &&
                   record.quoting_error == nullptr && begin[0] != '"';
    return Scan::kRecord;
  }
}

// A good record whose text still lives in the block buffer.
struct PendingEvent {
  std::string_view event_id, partner, channel;
  int64_t ts_ms;
  EventType type;
  double value;
};
constexpr size_t kPendingEvents = 256;

class Reader {
 public:
  Reader(std::istream& in, const EventsCsvLimits& limits, EventsCsv& out)
      : in_(in),
        limits_(limits),
        block_bytes_(std::max<size_t>(limits.block_bytes, 1)),
        out_(out) {}

  Status Run() {
    TUTTI_RETURN_IF_ERROR(ReadHeader());
    Record record;
    for (;;) {
      TUTTI_ASSIGN_OR_RETURN(bool more, NextRecord(record));
      if (!more) {
        AddPending();
        return OkStatus();
      }
      if (record.blank) continue;
      ++out_.records;
      AddRecord(record);
    }
  }

 private:
  // Reads another block behind the unread bytes. False at the end of the stream.
  Result<bool> Refill() {
    AddPending();
    if (eof_) return false;
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() < end_ + block_bytes_) buffer_.resize(end_ + block_bytes_);
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(block_bytes_));
    const auto got = static_cast<size_t>(in_.gcount());
    if (in_.bad()) return Unavailable("reading the events failed");
    end_ += got;
    if (got == 0) eof_ = true;
    return got > 0;
  }

  // The next record in `record`; false at the end of the input. Over-long records are reported
  // and skipped here.
  Result<bool> NextRecord(Record& record) {
    for (;;) {
      if (begin_ == end_) {
        TUTTI_ASSIGN_OR_RETURN(bool more, Refill());
        if (!more) return false;
      }
      const char* begin = buffer_.data() + begin_;
      const char* end = buffer_.data() + end_;
      if (ScanRecord(begin, end, eof_, record) == Scan::kRecord) {
        if (record.bytes > limits_.max_record_bytes) {
          ++out_.records;
          Reject(line_, "record", TooLongReason());
          begin_ += record.bytes;
          line_ += record.newlines;
          continue;
        }
        record_line_ = line_;
        begin_ += record.bytes;
        line_ += record.newlines;
        return true;
      }
      if (end_ - begin_ > limits_.max_record_bytes) {
        ++out_.records;
        Reject(line_, "record", TooLongReason());
        TUTTI_RETURN_IF_ERROR(SkipRecord());
        continue;
      }
      TUTTI_ASSIGN_OR_RETURN(bool more, Refill());
      if (!more) eof_ = true;  // scan once more, now knowing that nothing follows
    }
  }

  std::string TooLongReason() const {
    return "the record is longer than " + std::to_string(limits_.max_record_bytes) +
           " bytes (an unclosed quote makes a record run on)";
  }

  // Consumes one record byte by byte, following the quoting as ScanRecord does.
  Status SkipRecord() {
    enum { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted } state = kFieldStart;
    for (;;) {
      if (begin_ == end_) {
        TUTTI_ASSIGN_OR_RETURN(bool more, Refill());
        if (!more) return OkStatus();
      }
      const char c = buffer_[begin_++];
      if (c == '\n') ++line_;
      switch (state) {
        case kFieldStart:
        case kUnquoted:
          if (c == '\n') return OkStatus();
          state = c == ',' ? kFieldStart : (c == '"' && state == kFieldStart ? kQuoted : kUnquoted);
          break;
        case kQuoted:
          if (c == '"') state = kQuoteInQuoted;
          break;
        case kQuoteInQuoted:
          if (c == '\n') return OkStatus();
          state = c == '"' ? kQuoted : (c == ',' ? kFieldStart : kUnquoted);
          break;
      }
    }
  }

  Status ReadHeader() {
    Record header;
    TUTTI_ASSIGN_OR_RETURN(bool found, NextRecord(header));
    while (found && header.blank && out_.rejected == 0) {
      TUTTI_ASSIGN_OR_RETURN(found, NextRecord(header));
    }
    auto header_error = [](std::string message) {
      return InvalidArgument(std::move(message) + "; expected a header like " + kExpectedHeader,
                             "line 1: header", "invalid_header");
    };
    if (out_.rejected > 0)
      return header_error("the header is longer than the longest record allowed");
    if (!found) return header_error("the input is empty");
    if (header.quoting_error != nullptr) return header_error(header.quoting_error);
    column_of_field_.assign(header.fields.size(), -1);
    std::array<bool, kColumnCount> seen{};
    for (size_t f = 0; f < header.fields.size(); ++f) {
      std::string_view name = header.fields[f];
      if (f == 0 && name.starts_with("\xef\xbb\xbf")) name.remove_prefix(3);
      for (size_t c = 0; c < kColumnCount; ++c) {
        if (name != kColumnNames[c]) continue;
        if (seen[c]) return header_error("the column " + std::string(name) + " appears twice");
        seen[c] = true;
        column_of_field_[f] = static_cast<int>(c);
      }
    }
    for (size_t c = 0; c < kColumnCount; ++c) {
      if (!seen[c])
        return header_error("the column " + std::string(kColumnNames[c]) + " is missing");
    }
    out_.records = 0;
    return OkStatus();
  }

  void Reject(uint64_t line, std::string field, std::string reason) {
    ++out_.rejected;
    if (out_.errors.size() < limits_.max_errors) {
      out_.errors.push_back({line, std::move(field), std::move(reason)});
    }
  }

  void AddRecord(const Record& record) {
    const size_t expected = column_of_field_.size();
    if (record.quoting_error != nullptr) {
      const size_t f = record.quoting_error_field;
      Reject(record_line_, f < expected ? FieldName(f) : "record", record.quoting_error);
      return;
    }
    if (record.fields.size() != expected) {
      const bool short_record = record.fields.size() < expected;
      Reject(record_line_, short_record ? FieldName(record.fields.size()) : "record",
             "the record has " + std::to_string(record.fields.size()) + " fields and the header " +
                 std::to_string(expected) + (short_record ? ": this column is missing" : ""));
      return;
    }
    std::array<std::string_view, kColumnCount> values;
    for (size_t f = 0; f < expected; ++f) {
      if (column_of_field_[f] >= 0)
        values[static_cast<size_t>(column_of_field_[f])] = record.fields[f];
    }
    const Result<EventType> type = ParseEventType(values[kType]);
    const bool conversion = type.ok() && *type == EventType::kConversion;
    int64_t ts_ms = 0;
    double value = 0;
    // Checked in the file's column order, so that the first problem reported is the leftmost.
    for (size_t f = 0; f < expected; ++f) {
      if (column_of_field_[f] < 0) continue;
      const auto column = static_cast<Column>(column_of_field_[f]);
      const std::string_view text = values[column];
      std::string problem;
      switch (column) {
        case kEventId:
        case kUserKey:
          problem = CheckText(text);
          break;
        case kPartner:
        case kChannel:
          if (!(conversion && text.empty())) problem = CheckText(text);
          if (!problem.empty() && text.empty()) problem += " on a touchpoint";
          break;
        case kTs: {
          std::optional<int64_t> parsed = ParseTimestampMs(text);
          if (parsed) {
            ts_ms = *parsed;
          } else {
            problem =
                "expected an ISO-8601 instant like 2026-06-01T13:00:00Z (or with "
                "milliseconds or a ±HH:MM offset, years 0000..9999) or epoch "
                "milliseconds, got " +
                Shown(text);
          }
          break;
        }
        case kType:
          if (!type.ok()) {
            problem = "expected impression, click, engagement or conversion, got " + Shown(text);
          }
          break;
        case kValue:
          if (text.empty()) {
            if (conversion) problem = "a conversion needs a value (0 when it has no revenue)";
            break;
          }
          {
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), value,
                                std::chars_format::fixed | std::chars_format::scientific);
            if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
              problem = "expected a decimal number like 19.99, got " + Shown(text);
            } else if (value < 0 || value > kMaxValue) {
              problem = "must be between 0 and 1e14, got " + Shown(text);
            }
          }
          break;
        case kColumnCount:
          break;
      }
      if (!problem.empty()) {
        Reject(record_line_, std::string(kColumnNames[column]), std::move(problem));
        return;
      }
    }
    // Unescaped text lives in the record's scratch, which the next record reuses: keep a copy.
    const char* scratch = record.scratch.data();
    for (std::string_view& text : values) {
      if (!text.empty() && text.data() >= scratch &&
          text.data() < scratch + record.scratch.size()) {
        text = pending_text_.emplace_back(text);
      }
    }
    pending_.push_back({values[kEventId], values[kPartner], values[kChannel], ts_ms, *type,
                        conversion ? value : 0});
    pending_users_.push_back(values[kUserKey]);
    if (pending_.size() == kPendingEvents) AddPending();
  }

  // Appends the pending events to the table. Runs before every refill, since their text lives
  // in the buffer, and at the end.
  void AddPending() {
    EventTable& table = out_.events;
    pending_user_ids_.resize(pending_users_.size());
    table.users.InternMany(pending_users_, pending_user_ids_);
    for (size_t i = 0; i < pending_.size(); ++i) {
      const PendingEvent& e = pending_[i];
      table.user.push_back(pending_user_ids_[i]);
      table.partner.push_back(table.partners.Intern(e.partner));
      table.channel.push_back(table.channels.Intern(e.channel));
      table.ts_ms.push_back(e.ts_ms);
      table.type.push_back(e.type);
      table.value.push_back(e.value);
      table.event_id_arena.append(e.event_id);
      table.event_id_offsets.push_back(table.event_id_arena.size());
    }
    pending_.clear();
    pending_users_.clear();
    pending_text_.clear();
  }

  std::string FieldName(size_t field) const {
    const int column = column_of_field_[field];
    return column >= 0 ? std::string(kColumnNames[static_cast<size_t>(column)])
                       : "column " + std::to_string(field + 1);
  }

  std::istream& in_;
  const EventsCsvLimits& limits_;
  const size_t block_bytes_;
  EventsCsv& out_;
  std::string buffer_;
  size_t begin_ = 0, end_ = 0;  // the unread bytes of buffer_
  bool eof_ = false;
  uint64_t line_ = 1;                 // the line at begin_
  uint64_t record_line_ = 1;          // the line where the record in hand starts
  std::vector<int> column_of_field_;  // Column, or -1 for an ignored column
  // Good events not yet in the table, so that their user keys are interned in a batch.
  std::vector<PendingEvent> pending_;
  std::vector<std::string_view> pending_users_;
  std::vector<uint32_t> pending_user_ids_;
  std::deque<std::string> pending_text_;  // stable addresses for the views in pending_
};

}  // namespace

Result<EventsCsv> ParseEventsCsv(std::istream& in, const EventsCsvLimits& limits) {
  EventsCsv out;
  Reader reader(in, limits, out);
  TUTTI_RETURN_IF_ERROR(reader.Run());
  return out;
}

Result<EventTable> ReadEventsCsv(std::istream& in, const EventsCsvLimits& limits) {
  TUTTI_ASSIGN_OR_RETURN(EventsCsv parsed, ParseEventsCsv(in, limits));
  if (parsed.rejected == 0) return std::move(parsed.events);
  const std::string others = parsed.rejected > 1 ? " (" + std::to_string(parsed.rejected) +
                                                       " bad records in all; the first is shown)"
                                                 : "";
  if (parsed.errors.empty()) {
    return InvalidArgument(std::to_string(parsed.rejected) + " bad records", "events",
                           "invalid_record");
  }
  const EventsCsvError& first = parsed.errors.front();
  return InvalidArgument(first.reason + others,
                         "line " + std::to_string(first.line) + ": " + first.field,
                         "invalid_record");
}

}  // namespace tutti::attribution
