// Streaming readers of event files (issue 4, C5; docs/ingest.md): CSV (RFC 4180: header row,
// quoted fields with embedded commas, quotes and newlines, CRLF or LF) and NDJSON (one JSON
// object per line), plain or gzip (detected from the magic bytes). Memory stays bounded by the
// largest record, whatever the file's size. A malformed record is reported with its line number
// and reading goes on with the next one; only an unreadable header or stream stops the reader.
// Reads from a std::istream the caller opened. Not thread-safe (one reader per stream).
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tutti/base/status.h"
#include "tutti/ingest/contract.h"

namespace tutti::ingest {

enum class FileFormat { kCsv, kNdjson };
// "csv" or "ndjson" (also "jsonl").
Result<FileFormat> ParseFileFormat(std::string_view name);

struct ReaderLimits {
  size_t max_record_bytes = 1 << 20;  // a longer record is an error, and reading resumes after it
  size_t max_fields = 1000;
};

// One record: its first line (1-based; a CSV header is line 1) and either the fields or why
// they could not be read.
struct ReadRecord {
  int64_t line = 0;
  RawRecord record;
  std::optional<FieldError> error;  // set: malformed (field "" or the column at fault)
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Next record into `out`; false at the end. A Status error means the stream itself failed
  // (corrupt gzip, unreadable CSV header): nothing after it can be trusted.
  virtual Result<bool> Next(ReadRecord& out) = 0;
  // Bytes of input consumed after decompression, for progress and throughput.
  virtual uint64_t bytes_read() const = 0;
};

Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::istream& in, FileFormat format,
                                                       ReaderLimits limits = {});

}  // namespace tutti::ingest
