// Row helpers shared by the files that implement Store (store.cc, store_measurement.cc).
// Internal to tutti_storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tutti/storage/store.h"

namespace tutti::storage::detail {

SqlValue OrNull(const std::optional<std::string>& value);
// A stored JSON column; null when it does not parse (never throws on old or foreign data).
Json ParseStored(const std::string& text);
governance::AuditEntry Entry(const Actor& actor, std::string entity_type, std::string entity_id,
                             std::string action);
// The activation with its participants; `for_update` locks its row on PostgreSQL.
Result<ActivationRecord> LoadActivation(SqlSession& s, const std::string& id, bool for_update);

// " AND e.user_key NOT IN (…)": the keys opted out of any of `purposes` (in any region), for a
// query over `events e`; appends its parameters. Empty for no purposes. Erased keys need no
// clause: their events are gone.
std::string OptedOutExclusionSql(const std::vector<std::string>& purposes,
                                 std::vector<SqlValue>& params);

// Inside the caller's write transaction: queues a job unless one with `dedupe_key` exists
// (Store::ScheduleJob's rule), so that a change and the jobs it implies commit together.
Status InsertJob(SqlSession& s, const std::string& kind, const std::string& dedupe_key,
                 const Json& payload, Instant run_at, const std::string& now);

// Inside a write transaction: marks the leased job done, or kAborted ("lease_lost") when the lease
// no longer holds, which rolls back whatever the transaction did as the job's effect.
Status CompleteLeasedJob(SqlSession& s, const JobLease& lease, const std::string& now);

template <typename T>
Result<T> FirstRow(Result<std::vector<Row>> rows, T (*convert)(const Row&),
                   const std::string& what) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound(what + " not found");
  return convert(rows->front());
}

}  // namespace tutti::storage::detail
