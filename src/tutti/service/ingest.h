// Ingest as the CLI and the API run it (docs/ingest.md): read a stream of records, check each
// against the feed's data contract, keep the good ones in one batch and report every bad one
// with its line, field and reason. The engines (ingest/) decide; the Store keeps. Thread-safe
// as far as the Store is.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "tutti/ingest/record_reader.h"
#include "tutti/storage/store.h"

namespace tutti::service {

struct IngestRequest {
  ingest::FileFormat format = ingest::FileFormat::kCsv;
  std::optional<std::string> idempotency_key;
  // Identifies the request's content for Idempotency-Key replays (e.g. SHA-256 of the body).
  std::string request_hash;
  // Set instead for a body read as it streams, whose digest is known only at its end: reads
  // whatever of the body is left and returns the digest (storage::Store::IngestBatch).
  storage::RequestDigest streamed_request_hash = {};
  bool gpc = false;          // Sec-GPC: 1 on the request: an opt-out of sharing for its keys
  size_t max_errors = 1000;  // reported in detail; the rest are counted
};

// The report (stored with the batch, answered to the caller):
// {"batch_id", "feed", "contract_version", "records", "stored", "duplicates", "erased",
//  "rejected", "errors": [{"line", "field", "reason", "message"}], "errors_truncated"}.
// A Status error (unreadable or failing stream, corrupt gzip, invalid contract) stores nothing:
// a stream that fails before its end (badbit: its source broke) is kUnavailable (reason
// "stream_failed"), so that a cut-off input never commits as a shorter batch.
Result<storage::IngestOutcome> RunIngest(storage::Store& store,
                                         const storage::DataContractRecord& contract,
                                         std::istream& body, const IngestRequest& request,
                                         std::string_view identifier_secret,
                                         const storage::Actor& actor);

// The deployment's HMAC key for raw identifiers: read from `path`, or created there (32 random
// bytes, hex, mode 0600) on first use. Every instance sharing a database must share the file.
Result<std::string> LoadOrCreateIdentifierSecret(const std::string& path);

}  // namespace tutti::service
