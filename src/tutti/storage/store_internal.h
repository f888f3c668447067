// Row helpers shared by the files that implement Store (store.cc, store_measurement.cc, …).
// Internal to tutti_storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// kAborted (409 "conflict", field "version") naming `what` ("the UTM taxonomy was") when the
// writer expected another version than `current`; OK when it expected none (nullopt) or this one.
Status CheckExpectedVersion(std::optional<int64_t> expected, int64_t current,
                            std::string_view what);

// `load(session)` in one read transaction, after checking that the activation exists (kNotFound
// "activation not found" otherwise): the shape of every getter of a per-activation document.
template <typename Load>
auto ReadInActivation(Database& db, const std::string& activation_id, Load&& load)
    -> decltype(load(std::declval<SqlSession&>())) {
  decltype(load(std::declval<SqlSession&>())) out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(LoadActivation(s, activation_id, false).status());
    out = load(s);
    return out.status();
  }));
  return out;
}

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

// Inside any transaction: the freeze holding the posts of `post_org_id` in the activation
// (FreezeHolding over its active freezes), nullopt when none. The calendar feed, exports and
// publications ask this, so that "frozen" means the same everywhere.
Result<std::optional<FreezeRecord>> ActiveFreezeFor(SqlSession& s, const std::string& activation_id,
                                                    const std::string& post_org_id);

// The approvals seam (store_publishing.cc): before a request about an item is created, and before
// an approve decision on it is recorded, in that write transaction. For a post whose latest
// content fails CheckPostDisclosure: kInvalidArgument "disclosure_required" with the engine's
// field and message. Other kinds, and posts without content, pass.
Status CheckApprovalSubject(SqlSession& s, const std::string& activation_id,
                            const std::string& subject_kind, const std::string& subject_id);

template <typename T>
Result<T> FirstRow(Result<std::vector<Row>> rows, T (*convert)(const Row&),
                   const std::string& what) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound(what + " not found");
  return convert(rows->front());
}

}  // namespace tutti::storage::detail
