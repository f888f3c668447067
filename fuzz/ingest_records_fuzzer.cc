// Fuzz target for event uploads (`POST /api/v1/feeds/{feed}/events`, `tutti ingest`,
// docs/ingest.md): the first byte picks CSV (even, "0") or NDJSON (odd, "1"), the rest is the file,
// read by the streaming reader (gzip included when the bytes say so) with small limits, and every
// record checked against a fixed contract. Invariants: no crash, no sanitizer report, every
// malformed record and every rejection names a reason, line numbers never go backwards, and a valid
// event's user key is a 64-character keyed hash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <variant>

#include "tutti/ingest/contract.h"
#include "tutti/ingest/record_reader.h"

namespace {

const tutti::ingest::DataContract& Contract() {
  static const tutti::ingest::DataContract contract =
      *tutti::ingest::ParseContract(tutti::Json::parse(R"({"feed": "fuzz", "fields": [
        {"name": "id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
        {"name": "email", "type": "string", "privacy": "raw_identifier", "identifier": "email",
         "role": "user_key"},
        {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
        {"name": "type", "type": "enum", "values": ["view", "click", "buy"], "privacy": "aggregate",
         "role": "event_type", "event_types": {"view": "impression", "buy": "conversion"}},
        {"name": "value", "type": "number", "privacy": "aggregate", "role": "value"},
        {"name": "ok", "type": "boolean", "privacy": "aggregate", "role": "consent"},
        {"name": "n", "type": "integer", "privacy": "aggregate"},
        {"name": "note", "type": "string", "privacy": "free_text"}]})"));
  return contract;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::ingest;
  if (size == 0) return 0;
  const FileFormat format = (data[0] & 1) ? FileFormat::kNdjson : FileFormat::kCsv;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto reader = OpenRecordReader(in, format, ReaderLimits{4096, 64});
  if (!reader.ok()) {
    if (reader.status().reason().empty()) std::abort();
    return 0;
  }
  ReadRecord record;
  int64_t last_line = 0;
  while (true) {
    auto more = (*reader)->Next(record);
    if (!more.ok()) {
      if (more.status().reason().empty()) std::abort();
      return 0;
    }
    if (!*more) return 0;
    if (record.line < last_line) std::abort();
    last_line = record.line;
    if (record.error) {
      if (record.error->reason.empty()) std::abort();
      continue;
    }
    auto checked = ValidateRecord(Contract(), record.record, "fuzz-secret-fuzz-secret-fuzz-secret");
    if (auto* errors = std::get_if<std::vector<FieldError>>(&checked)) {
      if (errors->empty()) std::abort();
      for (const FieldError& e : *errors) {
        if (e.reason.empty()) std::abort();
      }
    } else if (std::get<ValidEvent>(checked).user_key.size() != 64) {
      std::abort();
    }
  }
}
