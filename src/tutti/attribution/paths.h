// Reading the aggregated path files analysts keep for ChannelAttribution (docs/attribution.md,
// "Path files"): a CSV (RFC 4180) whose header names the columns `path` (channels separated by
// " > "), `total_conversions`, `total_conversion_value` and `total_null`, in any order among
// other columns, which are ignored. Each row becomes one journey of Journeys: its touches are the
// path's channels in order (repeats kept), conversions = total_conversions, value =
// total_conversion_value, nulls = total_null; has_times is false and partner_count is 0.
//
// Built for files of hundreds of megabytes: the stream is read in large blocks whose records are
// parsed in parallel (scanned with vector compares, channel names interned through a small
// cache) and appended to the journeys in order; memory is the journeys plus a few blocks.
// Thread-safe: re-entrant; one call reads one stream and may use several threads.
#pragma once

#include <cstddef>
#include <istream>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

struct PathFileOptions {
  // Bytes asked of the stream per read; the whole records of each read are parsed as one chunk.
  // Records may straddle reads; tests make this tiny to exercise every boundary.
  size_t block_bytes = size_t{8} << 20;
  // A record (one row, quoted newlines included) longer than this is refused instead of being
  // buffered without bound.
  size_t max_record_bytes = size_t{64} << 20;
  // Threads parsing chunks, the calling thread included; 0 means hardware concurrency. The
  // result does not depend on it.
  int threads = 0;
};

// Reads the whole stream. The first bad row stops the read with kInvalidArgument whose message
// starts "line N: column C:" (N counts physical lines from 1, the header being line 1) and whose
// field is the column: a missing header column, a row with too few or too many fields, broken
// quoting, an empty path or channel name, a count that is negative or not a number, a value
// that is not a finite number, invalid UTF-8 in a channel name, a record longer than
// max_record_bytes. kUnavailable when the stream itself fails. Reads from the stream's
// current position to its end.
Result<Journeys> ReadPathFile(std::istream& in);
Result<Journeys> ReadPathFile(std::istream& in, const PathFileOptions& options);

}  // namespace tutti::attribution
