// The measurement half of Store (docs/ingest.md): data contracts and their versions, ingest
// batches with Idempotency-Key replay, events, the consent registry and erasures.
#include <set>

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

// "user_key NOT IN (…)" for the purposes a computation must respect, plus erased keys.
std::string ExclusionSql(const std::vector<std::string>& purposes, std::vector<SqlValue>& params) {
  std::string sql;
  if (!purposes.empty()) {
    sql +=
        " AND e.user_key NOT IN (SELECT user_key FROM consents WHERE granted = 0 AND purpose IN (";
    for (size_t i = 0; i < purposes.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(purposes[i]);
    }
    sql += "))";
  }
  return sql;
}

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

Result<IngestOutcome> Store::IngestBatch(
    const DataContractRecord& contract, const std::optional<std::string>& idempotency_key,
    const std::string& request_hash, const Actor& actor,
    const std::function<Result<Json>(const EventSink&)>& produce) {
  Result<IngestOutcome> out = Internal("batch not stored");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    if (idempotency_key) {
      TUTTI_ASSIGN_OR_RETURN(auto seen, s.Query("SELECT id, request_hash, report FROM "
                                                "ingest_batches WHERE contract_id = ? AND "
                                                "idempotency_key = ?",
                                                {contract.id, *idempotency_key}));
      if (!seen.empty()) {
        if (seen[0].Text(1) != request_hash) {
          return Status(StatusCode::kAlreadyExists,
                        "this Idempotency-Key was used for a different request; use a new key "
                        "for new data",
                        "Idempotency-Key", "idempotency_key_reused");
        }
        out = IngestOutcome{seen[0].Text(0), ParseStored(seen[0].Text(2)), true};
        return OkStatus();
      }
    }
    const std::string batch_id = NewId("batch");
    TUTTI_ASSIGN_OR_RETURN(auto erased_rows, s.Query("SELECT key_digest FROM erasures"));
    std::set<std::string> erased;
    for (const Row& r : erased_rows) erased.insert(r.Text(0));
    EventSink sink = [&](const StoredEvent& e) -> Result<EventDisposition> {
      if (!erased.empty() && erased.contains(KeyDigest(e.user_key))) {
        return EventDisposition::kErased;
      }
      TUTTI_ASSIGN_OR_RETURN(
          int64_t inserted,
          s.Execute("INSERT INTO events (contract_id, event_id, activation_id, org_id, user_key, "
                    "ts_ms, event_type, channel, value_micros, attributes, contract_version, "
                    "batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (contract_id, event_id) DO NOTHING",
                    {contract.id, e.event_id, contract.activation_id, contract.org_id, e.user_key,
                     e.ts_ms, e.event_type, e.channel, e.value_micros, e.attributes.dump(),
                     contract.version, batch_id}));
      auto record_consent = [&](const char* purpose, bool granted, const char* source) {
        return s
            .Execute(
                "INSERT INTO consents (user_key, purpose, region, granted, source, "
                "updated_at) VALUES (?, ?, '*', ?, ?, ?) ON CONFLICT (user_key, purpose, "
                "region) DO UPDATE SET granted = excluded.granted, source = "
                "excluded.source, updated_at = excluded.updated_at",
                {e.user_key, purpose, int64_t{granted ? 1 : 0}, source, Now()})
            .status();
      };
      if (e.consent) {
        TUTTI_RETURN_IF_ERROR(record_consent("measurement", *e.consent, "event"));
        TUTTI_RETURN_IF_ERROR(record_consent("sharing", *e.consent && !e.gpc, "event"));
      } else if (e.gpc) {
        TUTTI_RETURN_IF_ERROR(record_consent("sharing", false, "gpc"));
      }
      return inserted > 0 ? EventDisposition::kStored : EventDisposition::kDuplicate;
    };
    TUTTI_ASSIGN_OR_RETURN(Json report, produce(sink));
    const std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO ingest_batches (id, contract_id, idempotency_key, request_hash, "
                  "report, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {batch_id, contract.id, OrNull(idempotency_key), request_hash, report.dump(),
                   actor.id, now})
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
        ExclusionSql(excluded_purposes, params);
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

}  // namespace tutti::storage
