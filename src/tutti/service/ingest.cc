#include "tutti/service/ingest.h"

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tutti/base/crypto.h"
#include "tutti/ingest/contract.h"

namespace tutti::service {

Result<storage::IngestOutcome> RunIngest(storage::Store& store,
                                         const storage::DataContractRecord& contract,
                                         std::istream& body, const IngestRequest& request,
                                         std::string_view identifier_secret,
                                         const storage::Actor& actor) {
  TUTTI_ASSIGN_OR_RETURN(ingest::DataContract rules, ingest::ParseContract(contract.document));
  storage::RequestDigest digest = request.streamed_request_hash;
  if (!digest) digest = [&request]() -> Result<std::string> { return request.request_hash; };
  return store.IngestBatch(
      contract, request.idempotency_key, digest, actor,
      [&](storage::EventSink& sink) -> Result<Json> {
        TUTTI_ASSIGN_OR_RETURN(auto reader, ingest::OpenRecordReader(body, request.format));
        int64_t records = 0, rejected = 0;
        size_t error_count = 0;
        Json errors = Json::array();
        auto reject = [&](int64_t line, const ingest::FieldError& e) {
          if (++error_count <= request.max_errors) {
            errors.push_back(Json{
                {"line", line}, {"field", e.field}, {"reason", e.reason}, {"message", e.message}});
          }
        };
        ingest::ReadRecord record;
        while (true) {
          TUTTI_ASSIGN_OR_RETURN(bool more, reader->Next(record));
          if (!more) break;
          ++records;
          if (record.error) {
            ++rejected;
            reject(record.line, *record.error);
            continue;
          }
          auto checked = ingest::ValidateRecord(rules, record.record, identifier_secret);
          if (auto* field_errors = std::get_if<std::vector<ingest::FieldError>>(&checked)) {
            ++rejected;
            for (const ingest::FieldError& e : *field_errors) reject(record.line, e);
            continue;
          }
          const ingest::ValidEvent& event = std::get<ingest::ValidEvent>(checked);
          storage::StoredEvent row;
          row.event_id = event.event_id;
          row.user_key = event.user_key;
          row.ts_ms = event.ts.time_since_epoch().count();
          row.event_type = event.event_type;
          row.channel = event.channel;
          row.value_micros = std::llround(event.value * 1e6);
          row.attributes = event.attributes;
          row.consent = event.consent;
          row.gpc = request.gpc;
          TUTTI_RETURN_IF_ERROR(sink.Put(row));
        }
        // The readers take a failed read for the end of the data; only the stream knows.
        if (body.bad()) {
          return Status(StatusCode::kUnavailable,
                        "the input failed after " + std::to_string(records) +
                            " records, before its end; nothing was stored",
                        "body", "stream_failed");
        }
        TUTTI_ASSIGN_OR_RETURN(storage::IngestCounts counts, sink.Flush());
        return Json{{"feed", contract.feed},
                    {"contract_version", contract.version},
                    {"records", records},
                    {"stored", counts.stored},
                    {"duplicates", counts.duplicates},
                    {"erased", counts.erased},
                    {"rejected", rejected},
                    {"errors", errors},
                    {"errors_truncated", error_count > errors.size()}};
      });
}

Result<std::string> LoadOrCreateIdentifierSecret(const std::string& path) {
  std::ifstream in(path);
  if (in) {
    std::string secret;
    std::getline(in, secret);
    if (secret.size() < 32) {
      return Status(StatusCode::kFailedPrecondition,
                    "the identifier secret in " + path + " is shorter than 32 characters", {},
                    "weak_secret");
    }
    return secret;
  }
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::string secret = HexEncode(RandomBytes(32));
  // Created unreadable by others before anything is written into it.
  mode_t previous = umask(077);
  std::ofstream out(path);
  umask(previous);
  out << secret << "\n";
  if (!out) return Internal("cannot write the identifier secret to " + path);
  return secret;
}

}  // namespace tutti::service
