// Reading events as NDJSON (one JSON object per line) into the engine's columnar EventTable, the
// twin of events_csv.h: the same fields, the same checks, the same limits and the same report,
// so that `tutti attribution --events` takes either (docs/attribution.md, "Events and
// journeys"). Pure parsing over a std::istream, read in blocks, so that a file of any size needs
// memory for its events only, never for its text.
//
// The format: UTF-8 (a byte-order mark tolerated), LF or CRLF line ends, one JSON object (RFC
// 8259) per line; lines of white space only are skipped. Keys, in any order (other keys are
// ignored, each of these may appear once):
//   event_id, user_key  a string: non-empty UTF-8 text without control characters (escapes
//                       such as \u0009 count as what they decode to), at most 256 bytes;
//   ts                  a string as in the CSV (an ISO-8601 instant 2026-06-01T13:00:00Z, with
//                       optional fractions of a second and Z or a ±HH:MM offset, years
//                       0000..9999, or epoch milliseconds in decimal), or an integer of epoch
//                       milliseconds;
//   partner, channel    strings as event_id; on conversions they may also be empty, null or
//                       absent (conversions are not credited);
//   type                "impression", "click", "engagement" or "conversion";
//   value               a number, 0 <= value <= 1e14 (not a string): a conversion's revenue
//                       (required: write 0 when it has none) or a touchpoint's spend, its media
//                       cost (null or absent means 0). EventTable::value keeps it on every row.
// A bad line is rejected as a whole with its line number (1-based), the key at fault ("record"
// when the line is not a JSON object, is not valid UTF-8 or is too long) and the reason; the
// others are kept. The fields are checked in the order above, so the first problem named is the
// same whatever the order of the keys.
//
// Thread-safe: re-entrant; one call reads one stream.
#pragma once

#include <istream>

#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_csv.h"

namespace tutti::attribution {

// The same limits and report as the CSV reader's, so that callers handle both alike. In
// NDJSON a record is a line: max_record_bytes bounds a line without its line end, and
// EventsCsvError::field names a key.
using EventsNdjsonLimits = EventsCsvLimits;
using EventsNdjson = EventsCsv;

// Reads every line, keeping the good events. Fails only when the stream itself fails
// (kUnavailable); an empty input gives an empty table.
Result<EventsNdjson> ParseEventsNdjson(std::istream& in, const EventsNdjsonLimits& limits = {});

// The all-or-nothing form: the events when every line is good, otherwise kInvalidArgument
// naming the first bad line, with field "line N: KEY" and a message that counts the others.
Result<EventTable> ReadEventsNdjson(std::istream& in, const EventsNdjsonLimits& limits = {});

}  // namespace tutti::attribution
