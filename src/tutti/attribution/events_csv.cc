// The events CSV reader (events_csv.h). One pass over a block buffer: a record is split into
// fields in place (quoted fields with "" escapes are unescaped into a scratch buffer), validated
// column by column and appended to the EventTable. A record cut by the end of a block is scanned
// again once the next block is in; a record that would outgrow max_record_bytes is skipped by a
// byte-wise state machine that never buffers it. The checks of each field are event_fields.h's,
// shared with the NDJSON reader.
#include "tutti/attribution/events_csv.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

#include "tutti/attribution/event_fields.h"

namespace tutti::attribution {
namespace {

using internal::CheckName;
using internal::CheckText;
using internal::ParseTimestampMs;
using internal::Shown;

enum Column { kEventId, kUserKey, kTs, kPartner, kChannel, kType, kValue, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "event_id", "user_key", "ts", "partner", "channel", "type", "value"};
constexpr char kExpectedHeader[] = "event_id,user_key,ts,partner,channel,type,value";

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
        batch_.Flush(out_.events);
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
    // The batch's texts live in the buffer this moves.
    batch_.Flush(out_.events);
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
          problem = CheckName(text, conversion);
          break;
        case kTs: {
          std::optional<int64_t> parsed = ParseTimestampMs(text);
          if (parsed) {
            ts_ms = *parsed;
          } else {
            problem = internal::TimestampProblem(Shown(text));
          }
          break;
        }
        case kType:
          if (!type.ok()) problem = internal::TypeProblem(Shown(text));
          break;
        case kValue:
          if (text.empty()) {
            if (conversion) problem = internal::kConversionNeedsValue;
            break;
          }
          {
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), value,
                                std::chars_format::fixed | std::chars_format::scientific);
            if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
              problem = "expected a decimal number like 19.99, got " + Shown(text);
            } else if (!internal::IsEventValueInRange(value)) {
              problem = internal::ValueRangeProblem(Shown(text));
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
    for (const Column column : {kEventId, kUserKey, kPartner, kChannel}) {
      std::string_view& text = values[column];
      if (!text.empty() && text.data() >= scratch &&
          text.data() < scratch + record.scratch.size()) {
        text = batch_.Keep(text);
      }
    }
    batch_.Add(values[kEventId], values[kUserKey], ts_ms, values[kPartner], values[kChannel], *type,
               value);
    if (batch_.full()) batch_.Flush(out_.events);
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
  internal::EventBatch batch_;        // good events whose texts still live in buffer_
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
  return internal::EventsOrFirstError(std::move(parsed));
}

}  // namespace tutti::attribution
