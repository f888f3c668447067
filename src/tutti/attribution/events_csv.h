// Reading the events CSV of `tutti attribution --events` into the engine's columnar EventTable
// (docs/attribution.md, "Events and journeys"). Pure parsing over a std::istream, read in blocks
// so that a file of any size needs memory for its events only, never for its text.
//
// The format: RFC 4180 (comma separated, fields optionally in double quotes with "" for a quote
// and newlines allowed inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark tolerated).
// The header names the columns event_id, user_key, ts, partner, channel, type and value, in any
// order; other columns are ignored. Blank lines are skipped. Per record:
//   event_id, user_key  non-empty UTF-8 text without control characters, at most 256 bytes;
//   ts                  an ISO-8601 instant 2026-06-01T13:00:00Z, with optional fractions of a
//                       second (milliseconds kept) and Z or a ±HH:MM offset, years 0000..9999;
//                       or epoch milliseconds, an integer (optionally negative);
//   partner, channel    as event_id; may be empty on conversions only (they are not credited);
//   type                impression, click, engagement or conversion;
//   value               a decimal number, 0 <= value <= 1e14: a conversion's revenue (required:
//                       write 0 when it has none) or a touchpoint's spend, its media cost (empty
//                       means 0). EventTable::value keeps it on every row.
// A bad record is rejected as a whole with its line (the physical line where it starts; the
// header is line 1), the column at fault and the reason; the others are kept.
//
// Thread-safe: re-entrant; one call reads one stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

struct EventsCsvLimits {
  // Bytes asked of the stream per read. Tests make it tiny to put records across every boundary.
  size_t block_bytes = size_t{1} << 20;
  // A record longer than this (quoted newlines included) is rejected without being buffered.
  size_t max_record_bytes = size_t{64} << 10;
  // Errors kept in EventsCsv::errors; the rest are only counted.
  size_t max_errors = 100;
};

struct EventsCsvError {
  uint64_t line = 0;
  std::string field;   // the column ("ts"), or "record" when the record's shape is wrong
  std::string reason;  // "expected an ISO-8601 instant like 2026-06-01T13:00:00Z, got \"x\""
};

struct EventsCsv {
  EventTable events;
  uint64_t records = 0;                // data records read, good and bad
  uint64_t rejected = 0;               // bad records, all counted
  std::vector<EventsCsvError> errors;  // the first max_errors of them, in file order
};

// Reads every record, keeping the good ones. Fails only when the file as a whole is unusable:
// kInvalidArgument (field "line 1: header") for an empty input or a header that lacks a column or
// names one twice; kUnavailable when the stream itself fails.
Result<EventsCsv> ParseEventsCsv(std::istream& in, const EventsCsvLimits& limits = {});

// The all-or-nothing form: the events when every record is good, otherwise kInvalidArgument
// naming the first bad record, with field "line N: COLUMN" and a message that counts the others.
Result<EventTable> ReadEventsCsv(std::istream& in, const EventsCsvLimits& limits = {});

}  // namespace tutti::attribution
