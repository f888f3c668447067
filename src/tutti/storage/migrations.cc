#include "tutti/storage/migrations.h"

#include "tutti/base/clock.h"

namespace tutti::storage {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "foundation", R"sql(
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('host', 'partner')),
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  token_hint TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_org ON api_keys(org_id);
CREATE TABLE login_failures (
  subject TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures(subject, at);
CREATE TABLE activations (
  id TEXT PRIMARY KEY,
  host_org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  objective TEXT NOT NULL,
  status TEXT NOT NULL,
  brief TEXT NOT NULL,
  version BIGINT NOT NULL,
  playbook_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX activations_host ON activations(host_org_id);
CREATE TABLE participations (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL,
  facilitator BIGINT NOT NULL DEFAULT 0,
  contribution TEXT,
  notes TEXT NOT NULL DEFAULT '',
  agreement TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, org_id)
);
CREATE INDEX participations_org ON participations(org_id);
CREATE TABLE workstreams (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  primary_owner_id TEXT NOT NULL REFERENCES users(id),
  raci TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (activation_id, name)
);
CREATE TABLE playbooks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  source_activation_id TEXT,
  template TEXT NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_org_id TEXT,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  activation_id TEXT,
  visible_org_id TEXT,
  before_state TEXT,
  after_state TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id, seq);
CREATE INDEX audit_activation ON audit_log(activation_id, seq);
)sql"},
      // The scheduling documents of an activation, stored as the JSON the engines accept
      // (docs/scheduling.md) so that storage stays engine-agnostic. One row per activation; one
      // version for both documents (optimistic concurrency, like activations.version).
      {2, "activation_plans", R"sql(
CREATE TABLE activation_plans (
  activation_id TEXT PRIMARY KEY REFERENCES activations(id),
  plan TEXT,
  content_calendar TEXT,
  version BIGINT NOT NULL,
  updated_at TEXT NOT NULL
);
)sql"},
      // The launch instants a plan resolved to when it was stored or last re-derived, as
      // {"MARKET": "…Z"}: comparing them with a fresh resolution shows when a tz database update
      // moved a launch. Calendar feeds: revocable secret-token URLs (only the token's SHA-256 is
      // kept), per user or per organisation.
      {3, "resolved_launches_and_calendar_feeds", R"sql(
ALTER TABLE activation_plans ADD COLUMN resolved_launch TEXT;
CREATE TABLE calendar_feeds (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'org')),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX calendar_feeds_org ON calendar_feeds(org_id);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
)sql"},
      // Measurement (docs/ingest.md): data contracts per partner feed with every version kept,
      // the events that passed them (user keys already pseudonymous: raw identifiers never reach
      // this database), ingest batches (Idempotency-Key replay), the consent registry and
      // erasures (the key only as SHA-256). Event ids are unique per feed: re-sent events are
      // not stored twice. Values are micro-units so that both backends sum them exactly.
      {4, "measurement", R"sql(
CREATE TABLE data_contracts (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  feed TEXT NOT NULL,
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_delivery_at TEXT,
  UNIQUE (org_id, feed)
);
CREATE INDEX data_contracts_activation ON data_contracts(activation_id);
CREATE TABLE data_contract_versions (
  contract_id TEXT NOT NULL REFERENCES data_contracts(id),
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (contract_id, version)
);
CREATE TABLE events (
  contract_id TEXT NOT NULL REFERENCES data_contracts(id),
  event_id TEXT NOT NULL,
  activation_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  user_key TEXT NOT NULL,
  ts_ms BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  channel TEXT NOT NULL,
  value_micros BIGINT NOT NULL,
  attributes TEXT NOT NULL,
  contract_version BIGINT NOT NULL,
  batch_id TEXT NOT NULL,
  PRIMARY KEY (contract_id, event_id)
);
CREATE INDEX events_activation ON events(activation_id, user_key, ts_ms);
CREATE INDEX events_user ON events(user_key);
CREATE TABLE ingest_batches (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES data_contracts(id),
  idempotency_key TEXT,
  request_hash TEXT NOT NULL,
  report TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (contract_id, idempotency_key)
);
CREATE TABLE consents (
  user_key TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('measurement', 'sharing')),
  region TEXT NOT NULL,
  granted BIGINT NOT NULL,
  source TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_key, purpose, region)
);
CREATE TABLE erasures (
  id TEXT PRIMARY KEY,
  key_digest TEXT NOT NULL,
  events_removed BIGINT NOT NULL,
  requested_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)sql"},
  };
  return kMigrations;
}

namespace {

// Serialises the creation of schema_migrations across PostgreSQL connections: two concurrent
// CREATE TABLE IF NOT EXISTS both pass the existence check and the second fails on the catalogue's
// unique index. SQLite's write transaction already holds the database-wide lock.
constexpr int64_t kMigrationAdvisoryLock = 7'420'002;

Status EnsureMigrationTable(Database& db) {
  return db.Transact(TransactionMode::kWrite, [](SqlSession& s) -> Status {
    if (s.dialect() == Dialect::kPostgres) {
      TUTTI_RETURN_IF_ERROR(
          s.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationAdvisoryLock}).status());
    }
    return s.ExecuteScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  });
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
  TUTTI_RETURN_IF_ERROR(EnsureMigrationTable(db));
  int version = 0;
  TUTTI_RETURN_IF_ERROR(db.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    version = static_cast<int>(rows.at(0).Int(0));
    return OkStatus();
  }));
  return version;
}

Result<std::vector<int>> ApplyMigrations(Database& db) {
  TUTTI_RETURN_IF_ERROR(EnsureMigrationTable(db));
  std::vector<int> applied;
  for (const Migration& m : AllMigrations()) {
    bool ran = false;
    Status status = db.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
      // Taking the version row first serialises concurrent appliers on both backends.
      TUTTI_ASSIGN_OR_RETURN(
          auto inserted,
          s.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
                    "'pending') ON CONFLICT (version) DO NOTHING",
                    {int64_t{m.version}, m.name}));
      if (inserted == 0) return OkStatus();
      TUTTI_RETURN_IF_ERROR(s.ExecuteScript(m.sql));
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE schema_migrations SET applied_at = ? WHERE version = ?",
                    {FormatInstant(SystemClock::Get().Now()), int64_t{m.version}})
              .status());
      ran = true;
      return OkStatus();
    });
    if (!status.ok()) {
      return Status(status.code(),
                    "migration " + std::to_string(m.version) + " (" + m.name +
                        ") failed: " + status.message(),
                    {}, "migration_failed");
    }
    if (ran) applied.push_back(m.version);
  }
  return applied;
}

}  // namespace tutti::storage
