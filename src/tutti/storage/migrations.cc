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
      // Background jobs (store_jobs.cc, service/job_runner.h): leased by one runner at a time,
      // one job per dedupe key ever. Times the runners compare are epoch milliseconds.
      {5, "jobs", R"sql(
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  run_at_ms BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until_ms BIGINT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX jobs_due ON jobs(state, run_at_ms);
)sql"},
      // Approval workflows (docs/approvals.md, store_approvals.cc): one request per item put up
      // for approval, owned by the organisation whose item it is, keeping its workflow with every
      // default filled in (so a later agreement change does not move running deadlines); its
      // rounds (a resubmission starts the next); the decisions of every round with the approver's
      // role and side as they were when deciding (so the history replays the same forever); and
      // the SLA breaches and escalations the job runner recorded, once per (request, round,
      // step, level). Instants are FormatInstant text (millisecond UTC, sortable).
      {6, "approvals", R"sql(
CREATE TABLE approval_requests (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  title TEXT NOT NULL,
  workflow TEXT NOT NULL,
  round BIGINT NOT NULL,
  round_started_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'changes_requested')),
  version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX approval_requests_activation ON approval_requests(activation_id, created_at);
CREATE INDEX approval_requests_state ON approval_requests(state, activation_id);
CREATE TABLE approval_rounds (
  request_id TEXT NOT NULL REFERENCES approval_requests(id),
  round BIGINT NOT NULL,
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  PRIMARY KEY (request_id, round)
);
CREATE TABLE approval_decisions (
  request_id TEXT NOT NULL REFERENCES approval_requests(id),
  round BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  step TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_role TEXT NOT NULL,
  user_party TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'request_changes')),
  comment TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (request_id, round, seq)
);
CREATE TABLE approval_breaches (
  request_id TEXT NOT NULL REFERENCES approval_requests(id),
  round BIGINT NOT NULL,
  step TEXT NOT NULL,
  level BIGINT NOT NULL,
  activation_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  due_at TEXT NOT NULL,
  breached_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  notified TEXT NOT NULL,
  PRIMARY KEY (request_id, round, step, level)
);
CREATE INDEX approval_breaches_activation ON approval_breaches(activation_id, breached_at);
)sql"},
      // Phase gates (store_gates.cc, docs/approvals.md): the phase an activation is in (no row:
      // ideation; kept here rather than in the brief, which partners edit), each gate's criteria
      // with a version, checklist ticks and sign-offs with who and when, and every go/no-go with
      // its reason, overrides and the evaluation it was taken on. Decisions are numbered per
      // activation so that their order never depends on equal timestamps.
      {7, "gates", R"sql(
CREATE TABLE activation_phases (
  activation_id TEXT PRIMARY KEY REFERENCES activations(id),
  phase TEXT NOT NULL,
  since TEXT NOT NULL
);
CREATE TABLE gate_criteria (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  phase TEXT NOT NULL,
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, phase)
);
CREATE TABLE gate_checklist (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  phase TEXT NOT NULL,
  item_id TEXT NOT NULL,
  checked BIGINT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, phase, item_id)
);
CREATE TABLE gate_sign_offs (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  phase TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  party TEXT NOT NULL CHECK (party IN ('host', 'partner')),
  comment TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, phase, user_id)
);
CREATE TABLE gate_decisions (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  seq BIGINT NOT NULL,
  phase TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('go', 'no_go')),
  reason TEXT NOT NULL,
  overrides TEXT NOT NULL,
  criteria_version BIGINT NOT NULL,
  evaluation TEXT NOT NULL,
  next_phase TEXT,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  UNIQUE (activation_id, seq)
);
)sql"},
      // The asset library (store_assets.cc, docs/assets.md): per activation one naming template,
      // brand and platform-spec document; assets owned by an organisation, masters and their
      // localization variants; immutable versions naming a content-addressed file (the SHA-256
      // under DATA_DIR/blobs) with what its header said and the spec it passed; tags, one row
      // each, for search; each variant's translation and review state.
      {8, "assets", R"sql(
CREATE TABLE asset_settings (
  activation_id TEXT PRIMARY KEY REFERENCES activations(id),
  naming_template TEXT NOT NULL,
  brand TEXT NOT NULL,
  platform_specs TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name_stem TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('master', 'variant')),
  master_asset_id TEXT REFERENCES assets(id),
  locale TEXT NOT NULL,
  platform TEXT NOT NULL,
  shared BIGINT NOT NULL DEFAULT 0,
  latest_version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assets_activation ON assets(activation_id, created_at);
CREATE INDEX assets_master ON assets(master_asset_id);
CREATE TABLE asset_tags (
  asset_id TEXT NOT NULL REFERENCES assets(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (asset_id, tag)
);
CREATE INDEX asset_tags_tag ON asset_tags(tag, asset_id);
CREATE TABLE asset_versions (
  asset_id TEXT NOT NULL REFERENCES assets(id),
  version BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  media TEXT NOT NULL,
  spec_check TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (asset_id, version)
);
CREATE TABLE asset_variant_states (
  asset_id TEXT PRIMARY KEY REFERENCES assets(id),
  master_version BIGINT NOT NULL,
  translation TEXT NOT NULL,
  review TEXT NOT NULL,
  stale BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
)sql"},
      // Compliant publishing (store_publishing.cc, docs/publishing.md "Posts in the product"):
      // every version of an activation's UTM taxonomy; immutable content versions of calendar
      // posts (copy, flags, links as tagged or validated, the disclosure check); publication
      // confirmations; freezes of an activation's or a partner's posts, lifted but never deleted.
      // Nothing here is updated in place except a freeze's lift, written once.
      {9, "publishing", R"sql(
CREATE TABLE utm_taxonomies (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, version)
);
CREATE TABLE post_contents (
  activation_id TEXT NOT NULL REFERENCES activations(id),
  post_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  content TEXT NOT NULL,
  links TEXT NOT NULL,
  disclosure TEXT NOT NULL,
  taxonomy_version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (activation_id, post_id, version)
);
CREATE TABLE post_publications (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  post_id TEXT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  platform TEXT NOT NULL,
  live_url TEXT NOT NULL,
  published_at TEXT NOT NULL,
  content_version BIGINT NOT NULL,
  approval_id TEXT NOT NULL REFERENCES approval_requests(id),
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX post_publications_post ON post_publications(activation_id, post_id, recorded_at);
CREATE TABLE post_freezes (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  scope TEXT NOT NULL CHECK (scope IN ('activation', 'partner')),
  org_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  lifted_by TEXT,
  lifted_at TEXT,
  lift_reason TEXT
);
CREATE INDEX post_freezes_activation ON post_freezes(activation_id, created_at);
)sql"},
      // The archive (store_archive.cc, docs/archive.md): crisis-response templates with immutable
      // versions, each version's pre-approval recorded on it (so a new version is unapproved by
      // construction); the incident roster and the retention policy, one versioned document per
      // activation; legal holds, placed and released with who, when and why, never deleted.
      {10, "archive", R"sql(
CREATE TABLE crisis_templates (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  latest_version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX crisis_templates_activation ON crisis_templates(activation_id, created_at);
CREATE TABLE crisis_template_versions (
  template_id TEXT NOT NULL REFERENCES crisis_templates(id),
  version BIGINT NOT NULL,
  title TEXT NOT NULL,
  situation TEXT NOT NULL,
  body TEXT NOT NULL,
  channels TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  PRIMARY KEY (template_id, version)
);
CREATE TABLE incident_rosters (
  activation_id TEXT PRIMARY KEY REFERENCES activations(id),
  entries TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE retention_policies (
  activation_id TEXT PRIMARY KEY REFERENCES activations(id),
  document TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE legal_holds (
  id TEXT PRIMARY KEY,
  activation_id TEXT NOT NULL REFERENCES activations(id),
  reason TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  placed_at TEXT NOT NULL,
  released_by TEXT,
  released_at TEXT,
  release_reason TEXT
);
CREATE INDEX legal_holds_activation ON legal_holds(activation_id, placed_at);
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
