// The measurement half of Store (docs/ingest.md): data contracts and their versions, ingest
// batches with Idempotency-Key replay, events, the consent registry and erasures.
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "tutti/base/crypto.h"
#include "tutti/base/ids.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::FirstRow;
using detail::LoadActivation;
using detail::OrNull;
using detail::ParseStored;
using governance::AuditEntry;

constexpr char kContractColumns[] =
    "c.id, c.activation_id, c.org_id, o.name, c.feed, c.version, c.document, c.created_at, "
    "c.updated_at, c.last_delivery_at FROM data_contracts c JOIN orgs o ON o.id = c.org_id";

DataContractRecord ContractFromRow(const Row& r) {
  DataContractRecord c;
  c.id = r.Text(0);
  c.activation_id = r.Text(1);
  c.org_id = r.Text(2);
  c.org_name = r.Text(3);
  c.feed = r.Text(4);
  c.version = r.Int(5);
  c.document = ParseStored(r.Text(6));
  c.created_at = r.Text(7);
  c.updated_at = r.Text(8);
  if (!r.IsNull(9)) c.last_delivery_at = r.Text(9);
  return c;
}

// Audit entries and erasure records name a user key only by this digest: the key itself (already
// a keyed hash of the raw identifier) must not survive its erasure anywhere.
std::string KeyDigest(const std::string& user_key) { return HexEncode(Sha256(user_key)); }

// SQLite keeps 2 MB of pages per connection by default. A batch inserts into three B-trees,
// two keyed by random user keys, and with 2 MB it spent most of its time spilling dirty pages
// to the WAL and reading them back; with 32 MB a 200 000-event batch took 30 % less time
// (docs/benchmarks.md). The batch's connection gets that while the batch runs, then its
// previous size back (SQLite frees the excess).
class SqlitePageCache {
 public:
  static constexpr int64_t kIngestCacheKiB = 32 << 10;

  // Nothing on PostgreSQL, whose cache is the server's.
  static Result<std::optional<SqlitePageCache>> Enlarge(SqlSession& s) {
    if (s.dialect() != Dialect::kSqlite) return std::optional<SqlitePageCache>();
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("PRAGMA cache_size"));
    if (rows.empty()) return Internal("PRAGMA cache_size returned nothing");
    std::optional<SqlitePageCache> cache;
    cache.emplace(s, rows[0].Int(0));
    // Negative: KiB rather than pages.
    TUTTI_RETURN_IF_ERROR(
        s.Execute("PRAGMA cache_size = " + std::to_string(-kIngestCacheKiB)).status());
    return cache;
  }

  SqlitePageCache(SqlSession& session, int64_t previous)
      : session_(&session), previous_(previous) {}
  SqlitePageCache(SqlitePageCache&& other) noexcept
      : session_(std::exchange(other.session_, nullptr)), previous_(other.previous_) {}
  SqlitePageCache& operator=(SqlitePageCache&&) = delete;
  ~SqlitePageCache() {
    // A failure leaves the connection with the larger cache: memory, never correctness.
    if (session_ != nullptr) {
      (void)session_->Execute("PRAGMA cache_size = " + std::to_string(previous_));
    }
  }

 private:
  SqlSession* session_;
  int64_t previous_;
};

// The sink of IngestBatch. Rows wait in memory until a statement's worth has gathered, then go
// in one multi-row INSERT. On PostgreSQL a statement per event cost a round trip each: 512 rows
// a statement made stored ingest 3.7 times faster. On SQLite, a library in the process, a
// statement costs little, while one that writes many rows keeps a statement journal (it could
// fail halfway on a NOT NULL or foreign-key check) that spills to a temporary file: 512 rows a
// statement took a quarter more CPU than one (docs/benchmarks.md), so SQLite gets one row a
// statement through the same code. Memory stays bounded by one statement's rows and consents
// whatever the batch's size.
class BatchedEventSink final : public EventSink {
 public:
  BatchedEventSink(SqlSession& session, const DataContractRecord& contract, std::string batch_id,
                   std::unordered_set<std::string> erased_key_digests, const Clock& clock)
      : session_(session),
        rows_per_statement_(session.dialect() == Dialect::kPostgres ? kMaxRowsPerStatement : 1),
        contract_(contract),
        batch_id_(std::move(batch_id)),
        erased_key_digests_(std::move(erased_key_digests)),
        clock_(clock) {}

  Status Put(const StoredEvent& e) override {
    if (!erased_key_digests_.empty() && erased_key_digests_.contains(KeyDigest(e.user_key))) {
      ++counts_.erased;
      return OkStatus();
    }
    // The feed's earlier events are the database's to spot (ON CONFLICT); the statement's own
    // rows are spotted here, so that PostgreSQL and SQLite count them the same way and the
    // first of two equal ids is the one kept, as when each event had its own statement.
    if (queued_event_ids_.insert(e.event_id).second) {
      event_params_.insert(event_params_.end(),
                           {contract_.id, e.event_id, contract_.activation_id, contract_.org_id,
                            e.user_key, e.ts_ms, e.event_type, e.channel, e.value_micros,
                            e.attributes.dump(), contract_.version, batch_id_});
    } else {
      ++counts_.duplicates;
    }
    // Every event, stored or duplicate, records the consent it carries; the last one sent for a
    // key and purpose is what holds, as it was when each event was written on its own.
    if (e.consent) {
      QueueConsent(e.user_key, "measurement", *e.consent, "event");
      QueueConsent(e.user_key, "sharing", *e.consent && !e.gpc, "event");
    } else if (e.gpc) {
      QueueConsent(e.user_key, "sharing", false, "gpc");
    }
    if (event_params_.size() >= rows_per_statement_ * kEventColumns) {
      TUTTI_RETURN_IF_ERROR(WriteEvents());
    }
    if (consents_.size() >= rows_per_statement_) TUTTI_RETURN_IF_ERROR(WriteConsents());
    return OkStatus();
  }

  Result<IngestCounts> Flush() override {
    TUTTI_RETURN_IF_ERROR(WriteEvents());
    TUTTI_RETURN_IF_ERROR(WriteConsents());
    return counts_;
  }

 private:
  // 512 rows × 12 values stays far below the 65 535 bound parameters PostgreSQL allows (and
  // SQLite's 32 766); larger statements gain little more.
  static constexpr size_t kMaxRowsPerStatement = 512;
  static constexpr size_t kEventColumns = 12;
  static constexpr size_t kConsentColumns = 5;

  struct ConsentChange {
    std::string user_key;
    std::string purpose;
    bool granted = false;
    std::string source;
  };

  void QueueConsent(const std::string& user_key, const char* purpose, bool granted,
                    const char* source) {
    // A statement may not upsert one row twice (PostgreSQL refuses), so a later change of the
    // same key and purpose replaces the queued one.
    std::string key = user_key + '\0' + purpose;
    consents_[std::move(key)] = ConsentChange{user_key, purpose, granted, source};
  }

  // The queued rows go in statements of rows_per_statement_, then of the powers of two that
  // make up the rest: each distinct row count is a distinct statement to parse (and cache, on
  // SQLite), so at most ten shapes ever occur.
  template <typename WriteRows>
  Status InChunks(size_t rows, WriteRows write_rows) const {
    size_t first = 0;
    for (size_t chunk = rows_per_statement_; chunk > 0; chunk /= 2) {
      while (rows - first >= chunk) {
        TUTTI_RETURN_IF_ERROR(write_rows(first, chunk));
        first += chunk;
      }
    }
    return OkStatus();
  }

  static std::string ValuesList(size_t rows, std::string_view row) {
    std::string sql;
    sql.reserve(rows * (row.size() + 2));
    for (size_t i = 0; i < rows; ++i) {
      if (i) sql += ", ";
      sql += row;
    }
    return sql;
  }

  Status WriteEvents() {
    const size_t rows = event_params_.size() / kEventColumns;
    TUTTI_RETURN_IF_ERROR(InChunks(rows, [&](size_t first, size_t count) -> Status {
      std::string& sql = event_sql_[count];
      if (sql.empty()) {
        sql =
            "INSERT INTO events (contract_id, event_id, activation_id, org_id, user_key, ts_ms, "
            "event_type, channel, value_micros, attributes, contract_version, batch_id) VALUES " +
            ValuesList(count, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") +
            " ON CONFLICT (contract_id, event_id) DO NOTHING";
      }
      Result<int64_t> written = 0;
      if (count * kEventColumns == event_params_.size()) {  // a full statement: no copy
        written = session_.Execute(sql, event_params_);
      } else {
        auto begin = event_params_.begin() + static_cast<std::ptrdiff_t>(first * kEventColumns);
        written = session_.Execute(
            sql, std::vector<SqlValue>(begin,
                                       begin + static_cast<std::ptrdiff_t>(count * kEventColumns)));
      }
      TUTTI_ASSIGN_OR_RETURN(int64_t inserted, std::move(written));
      counts_.stored += inserted;
      counts_.duplicates += static_cast<int64_t>(count) - inserted;
      return OkStatus();
    }));
    event_params_.clear();
    queued_event_ids_.clear();
    return OkStatus();
  }

  Status WriteConsents() {
    std::vector<const ConsentChange*> queued;
    queued.reserve(consents_.size());
    for (const auto& [key, change] : consents_) queued.push_back(&change);
    const std::string now = FormatInstant(clock_.Now());
    TUTTI_RETURN_IF_ERROR(InChunks(queued.size(), [&](size_t first, size_t count) -> Status {
      std::string& sql = consent_sql_[count];
      if (sql.empty()) {
        sql =
            "INSERT INTO consents (user_key, purpose, region, granted, source, updated_at) "
            "VALUES " +
            ValuesList(count, "(?, ?, '*', ?, ?, ?)") +
            " ON CONFLICT (user_key, purpose, region) DO UPDATE SET granted = "
            "excluded.granted, source = excluded.source, updated_at = excluded.updated_at";
      }
      std::vector<SqlValue> params;
      params.reserve(count * kConsentColumns);
      for (size_t i = first; i < first + count; ++i) {
        const ConsentChange& c = *queued[i];
        params.insert(params.end(),
                      {c.user_key, c.purpose, int64_t{c.granted ? 1 : 0}, c.source, now});
      }
      return session_.Execute(sql, params).status();
    }));
    consents_.clear();
    return OkStatus();
  }

  SqlSession& session_;
  const size_t rows_per_statement_;  // a power of two
  const DataContractRecord& contract_;
  const std::string batch_id_;
  const std::unordered_set<std::string> erased_key_digests_;
  const Clock& clock_;
  IngestCounts counts_;
  std::vector<SqlValue> event_params_;                       // kEventColumns per queued row
  std::unordered_set<std::string> queued_event_ids_;         // the ids in event_params_
  std::unordered_map<std::string, ConsentChange> consents_;  // by user key and purpose
  std::map<size_t, std::string> event_sql_;                  // by row count
  std::map<size_t, std::string> consent_sql_;
};

}  // namespace

Result<DataContractRecord> Store::PutDataContract(const std::string& activation_id,
                                                  const std::string& org_id,
                                                  const std::string& feed, const Json& document,
                                                  const Actor& actor, const Authorize& authorize) {
  Result<DataContractRecord> out = NotFound("data contract not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    if (org_id != a.host_org_id && a.FindParticipant(org_id) == nullptr) {
      return InvalidArgument("the feed's organisation does not take part in this activation",
                             "org_id", "unknown_partner");
    }
    TUTTI_ASSIGN_OR_RETURN(auto existing, s.Query(std::string("SELECT ") + kContractColumns +
                                                      " WHERE c.org_id = ? AND c.feed = ?",
                                                  {org_id, feed}));
    const std::string now = Now();
    std::string id;
    int64_t version = 1;
    std::optional<Json> before;
    if (existing.empty()) {
      id = NewId("dc");
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO data_contracts (id, activation_id, org_id, feed, version, "
                    "document, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                    {id, activation_id, org_id, feed, document.dump(), now, now})
              .status());
    } else {
      DataContractRecord current = ContractFromRow(existing[0]);
      if (current.activation_id != activation_id) {
        return AlreadyExists("the organisation's feed \"" + feed +
                                 "\" belongs to another activation; choose another feed name",
                             "feed");
      }
      id = current.id;
      version = current.version + 1;
      before = current.document;
      TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE data_contracts SET version = ?, document = ?, "
                                      "updated_at = ? WHERE id = ?",
                                      {version, document.dump(), now, id})
                                .status());
    }
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO data_contract_versions (contract_id, version, "
                                    "document, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                                    {id, version, document.dump(), actor.id, now})
                              .status());
    AuditEntry e = Entry(actor, "data_contract", id, before ? "updated" : "created");
    e.activation_id = activation_id;
    if (before) e.before = before->dump();
    e.after = document.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = FirstRow(s.Query(std::string("SELECT ") + kContractColumns + " WHERE c.id = ?", {id}),
                   &ContractFromRow, "data contract");
    return out.status();
  }));
  return out;
}

Result<DataContractRecord> Store::FindDataContract(const std::string& org_id,
                                                   const std::string& feed) {
  Result<DataContractRecord> out = NotFound("feed not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kContractColumns +
                                                  " WHERE c.org_id = ? AND c.feed = ?",
                                              {org_id, feed}));
    if (!rows.empty()) out = ContractFromRow(rows[0]);
    return OkStatus();
  }));
  return out;
}

Result<std::vector<DataContractRecord>> Store::ListDataContracts(const std::string& activation_id) {
  std::vector<DataContractRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kContractColumns +
                                                  " WHERE c.activation_id = ? ORDER BY o.name, "
                                                  "c.feed",
                                              {activation_id}));
    for (const Row& r : rows) out.push_back(ContractFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<std::vector<DataContractRecord>> Store::ListAllDataContracts() {
  std::vector<DataContractRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kContractColumns +
                                              " ORDER BY c.activation_id, o.name, c.feed"));
    for (const Row& r : rows) out.push_back(ContractFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<IngestOutcome> Store::IngestBatch(const DataContractRecord& contract,
                                         const std::optional<std::string>& idempotency_key,
                                         const RequestDigest& request_digest, const Actor& actor,
                                         const std::function<Result<Json>(EventSink&)>& produce) {
  Result<IngestOutcome> out = Internal("batch not stored");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    if (idempotency_key) {
      TUTTI_ASSIGN_OR_RETURN(auto seen, s.Query("SELECT id, request_hash, report FROM "
                                                "ingest_batches WHERE contract_id = ? AND "
                                                "idempotency_key = ?",
                                                {contract.id, *idempotency_key}));
      if (!seen.empty()) {
        TUTTI_ASSIGN_OR_RETURN(std::string digest, request_digest());
        if (seen[0].Text(1) != digest) {
          return Status(StatusCode::kAlreadyExists,
                        "this Idempotency-Key was used for a different request; use a new key "
                        "for new data",
                        "Idempotency-Key", "idempotency_key_reused");
        }
        out = IngestOutcome{seen[0].Text(0), ParseStored(seen[0].Text(2)), true};
        return OkStatus();
      }
    }
    TUTTI_ASSIGN_OR_RETURN(std::optional<SqlitePageCache> cache, SqlitePageCache::Enlarge(s));
    const std::string batch_id = NewId("batch");
    TUTTI_ASSIGN_OR_RETURN(auto erased_rows, s.Query("SELECT key_digest FROM erasures"));
    std::unordered_set<std::string> erased;
    for (const Row& r : erased_rows) erased.insert(r.Text(0));
    BatchedEventSink sink(s, contract, batch_id, std::move(erased), clock_);
    TUTTI_ASSIGN_OR_RETURN(Json report, produce(sink));
    TUTTI_RETURN_IF_ERROR(sink.Flush().status());
    TUTTI_ASSIGN_OR_RETURN(std::string digest, request_digest());
    const std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute(
             "INSERT INTO ingest_batches (id, contract_id, idempotency_key, request_hash, "
             "report, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             {batch_id, contract.id, OrNull(idempotency_key), digest, report.dump(), actor.id, now})
            .status());
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE data_contracts SET last_delivery_at = ? WHERE id = ?", {now, contract.id})
            .status());
    AuditEntry e = Entry(actor, "ingest_batch", batch_id, "ingested");
    e.activation_id = contract.activation_id;
    e.visible_org_id = contract.org_id;
    // Counts only: rejected values may hold anything.
    Json summary = Json::object();
    if (report.is_object()) {
      for (const auto& [key, value] : report.items()) {
        if (value.is_number() || value.is_boolean()) summary[key] = value;
      }
    }
    summary["feed"] = contract.feed;
    e.after = summary.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = IngestOutcome{batch_id, std::move(report), false};
    return OkStatus();
  }));
  return out;
}

Status Store::ForEachEvent(const std::string& activation_id,
                           const std::vector<std::string>& excluded_purposes,
                           const std::function<void(const EventRow&)>& visit) {
  return db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    std::vector<SqlValue> params{activation_id};
    std::string sql =
        "SELECT e.event_id, e.org_id, o.name, e.user_key, e.ts_ms, e.event_type, e.channel, "
        "e.value_micros FROM events e JOIN orgs o ON o.id = e.org_id WHERE e.activation_id = ?" +
        detail::OptedOutExclusionSql(excluded_purposes, params);
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
    for (const Row& r : rows) {
      visit(EventRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6),
                     r.Int(7)});
    }
    return OkStatus();
  });
}

Status Store::PutConsent(const ConsentRecord& consent, const Actor& actor) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    const std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO consents (user_key, purpose, region, granted, source, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_key, purpose, region) DO UPDATE "
                  "SET granted = excluded.granted, source = excluded.source, "
                  "updated_at = excluded.updated_at",
                  {consent.user_key, consent.purpose, consent.region,
                   int64_t{consent.granted ? 1 : 0}, consent.source, now})
            .status());
    AuditEntry e = Entry(actor, "consent", KeyDigest(consent.user_key),
                         consent.granted ? "granted" : "opted_out");
    e.after = Json{{"purpose", consent.purpose},
                   {"region", consent.region},
                   {"granted", consent.granted},
                   {"source", consent.source}}
                  .dump();
    return Append(s, std::move(e));
  });
}

Result<std::vector<ConsentRecord>> Store::ListConsents(const std::string& user_key) {
  std::vector<ConsentRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT user_key, purpose, region, granted, source, updated_at "
                                   "FROM consents WHERE user_key = ? ORDER BY purpose, region",
                                   {user_key}));
    for (const Row& r : rows) {
      out.push_back(
          ConsentRecord{r.Text(0), r.Text(1), r.Text(2), r.Int(3) != 0, r.Text(4), r.Text(5)});
    }
    return OkStatus();
  }));
  return out;
}

Result<int64_t> Store::EraseUserKey(const std::string& user_key, const Actor& actor) {
  int64_t removed = 0;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(removed, s.Execute("DELETE FROM events WHERE user_key = ?", {user_key}));
    TUTTI_RETURN_IF_ERROR(
        s.Execute("DELETE FROM consents WHERE user_key = ?", {user_key}).status());
    const std::string id = NewId("erase");
    const std::string digest = KeyDigest(user_key);
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO erasures (id, key_digest, events_removed, "
                                    "requested_by, created_at) VALUES (?, ?, ?, ?, ?)",
                                    {id, digest, removed, actor.id, Now()})
                              .status());
    AuditEntry e = Entry(actor, "erasure", id, "erased");
    e.after = Json{{"key_sha256", digest}, {"events_removed", removed}}.dump();
    return Append(s, std::move(e));
  }));
  return removed;
}

namespace detail {

std::string OptedOutExclusionSql(const std::vector<std::string>& purposes,
                                 std::vector<SqlValue>& params) {
  if (purposes.empty()) return {};
  std::string sql =
      " AND e.user_key NOT IN (SELECT user_key FROM consents WHERE granted = 0 AND purpose IN (";
  for (size_t i = 0; i < purposes.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(purposes[i]);
  }
  return sql + "))";
}

}  // namespace detail

}  // namespace tutti::storage
