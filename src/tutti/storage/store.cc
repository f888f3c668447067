#include "tutti/storage/store.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "tutti/base/ids.h"
#include "tutti/core/brief.h"
#include "tutti/core/playbook.h"
#include "tutti/core/workstream.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::FirstRow;
using detail::LoadActivation;
using detail::OrNull;
using detail::ParseStored;
using governance::AuditEntry;

// Serialises audit appends across PostgreSQL connections; SQLite's write transaction already
// holds the database-wide lock.
constexpr int64_t kAuditAdvisoryLock = 7'420'001;

std::optional<std::string> OptionalText(const Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Text(column);
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string scope; in >> scope;) out.push_back(scope);
  return out;
}

OrgRecord OrgFromRow(const Row& r) { return OrgRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3)}; }

// Name, objective and status are columns of their own; the rest of the document is `brief`.
std::string BriefColumn(const Json& document) {
  Json brief = document;
  for (const char* key : {"name", "objective", "status"}) brief.erase(key);
  return brief.dump();
}

Status InsertActivation(SqlSession& s, const std::string& id, const std::string& host_org_id,
                        const Json& document, const std::optional<std::string>& playbook_id,
                        const std::string& created_by, const std::string& now) {
  return s
      .Execute(
          "INSERT INTO activations (id, host_org_id, name, objective, status, brief, "
          "version, playbook_id, created_by, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
          {id, host_org_id, document.at("name").get<std::string>(),
           document.at("objective").get<std::string>(), document.at("status").get<std::string>(),
           BriefColumn(document), OrNull(playbook_id), created_by, now, now})
      .status();
}

constexpr char kUserColumns[] =
    "u.id, u.org_id, o.name, o.kind, u.email, u.name, u.role, u.password_hash, u.disabled, "
    "u.created_at, u.updated_at FROM users u JOIN orgs o ON o.id = u.org_id";

UserRecord UserFromRow(const Row& r) {
  return UserRecord{r.Text(0), r.Text(1), r.Text(2),     r.Text(3), r.Text(4), r.Text(5),
                    r.Text(6), r.Text(7), r.Int(8) != 0, r.Text(9), r.Text(10)};
}

constexpr char kApiKeyColumns[] =
    "k.id, k.org_id, o.kind, k.name, k.token_hint, k.scopes, k.created_by, k.created_at, "
    "k.expires_at, k.last_used_at, k.revoked_at FROM api_keys k JOIN orgs o ON o.id = k.org_id";

ApiKeyRecord ApiKeyFromRow(const Row& r) {
  return ApiKeyRecord{r.Text(0),          r.Text(1),          r.Text(2),
                      r.Text(3),          r.Text(4),          SplitScopes(r.Text(5)),
                      r.Text(6),          r.Text(7),          OptionalText(r, 8),
                      OptionalText(r, 9), OptionalText(r, 10)};
}

constexpr char kActivationColumns[] =
    "a.id, a.host_org_id, o.name, a.name, a.objective, a.status, a.brief, a.version, "
    "a.playbook_id, a.created_by, a.created_at, a.updated_at FROM activations a "
    "JOIN orgs o ON o.id = a.host_org_id";

ActivationRecord ActivationFromRow(const Row& r) {
  ActivationRecord a;
  a.id = r.Text(0);
  a.host_org_id = r.Text(1);
  a.host_org_name = r.Text(2);
  a.document = ParseStored(r.Text(6));
  if (!a.document.is_object()) a.document = core::EmptyActivationDocument();
  a.document["name"] = r.Text(3);
  a.document["objective"] = r.Text(4);
  a.document["status"] = r.Text(5);
  a.version = r.Int(7);
  a.playbook_id = OptionalText(r, 8);
  a.created_by = r.Text(9);
  a.created_at = r.Text(10);
  a.updated_at = r.Text(11);
  return a;
}

constexpr char kParticipationColumns[] =
    "p.activation_id, p.org_id, o.name, p.role, p.facilitator, p.contribution, p.notes, "
    "p.agreement, p.created_at, p.updated_at FROM participations p JOIN orgs o ON o.id = p.org_id";

ParticipationRecord ParticipationFromRow(const Row& r) {
  ParticipationRecord p;
  p.activation_id = r.Text(0);
  p.org_id = r.Text(1);
  p.org_name = r.Text(2);
  p.role = r.Text(3);
  p.facilitator = r.Int(4) != 0;
  if (!r.IsNull(5)) p.contribution = ParseStored(r.Text(5));
  p.notes = r.Text(6);
  if (!r.IsNull(7)) p.agreement = ParseStored(r.Text(7));
  p.created_at = r.Text(8);
  p.updated_at = r.Text(9);
  return p;
}

// The audited state of a participation: everything, because its entries are visible only to the
// host and that partner.
Json ParticipationState(const ParticipationRecord& p) {
  return Json{{"org_id", p.org_id},
              {"role", p.role},
              {"facilitator", p.facilitator},
              {"contribution", p.contribution ? *p.contribution : Json(nullptr)},
              {"notes", p.notes}};
}

constexpr char kWorkstreamColumns[] =
    "id, activation_id, kind, name, primary_owner_id, raci, created_at, updated_at "
    "FROM workstreams";

WorkstreamRecord WorkstreamFromRow(const Row& r) {
  return WorkstreamRecord{r.Text(0), r.Text(1), r.Text(2),
                          r.Text(3), r.Text(4), ParseStored(r.Text(5)),
                          r.Text(6), r.Text(7)};
}

Json WorkstreamState(const WorkstreamRecord& w) {
  return Json{{"kind", w.kind},
              {"name", w.name},
              {"primary_owner_id", w.primary_owner_id},
              {"raci", w.raci}};
}

constexpr char kPlaybookColumns[] =
    "id, org_id, name, source_activation_id, template, created_by, created_at FROM playbooks";

PlaybookRecord PlaybookFromRow(const Row& r) {
  return PlaybookRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), ParseStored(r.Text(4)),
                        r.Text(5), r.Text(6)};
}

constexpr char kAuditColumns[] =
    "seq, at, actor_id, actor_org_id, entity_type, entity_id, action, activation_id, "
    "visible_org_id, before_state, after_state, prev_hash, hash FROM audit_log";

AuditEntry AuditFromRow(const Row& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.at = r.Text(1);
  e.actor_id = r.Text(2);
  e.actor_org_id = r.Text(3);
  e.entity_type = r.Text(4);
  e.entity_id = r.Text(5);
  e.action = r.Text(6);
  e.activation_id = r.Text(7);
  e.visible_org_id = r.Text(8);
  e.before = OptionalText(r, 9);
  e.after = OptionalText(r, 10);
  e.prev_hash = r.Text(11);
  e.hash = r.Text(12);
  return e;
}

Result<ParticipationRecord> LoadParticipation(SqlSession& s, const std::string& activation_id,
                                              const std::string& org_id) {
  return FirstRow(s.Query(std::string("SELECT ") + kParticipationColumns +
                              " WHERE p.activation_id = ? AND p.org_id = ?",
                          {activation_id, org_id}),
                  &ParticipationFromRow, "participation");
}

// The stored documents of an activation; empty documents at version 0 when it has none yet.
constexpr char kPlanColumns[] =
    "activation_id, plan, content_calendar, version, updated_at, resolved_launch";

PlanDocuments PlanDocumentsFromRow(const Row& r) {
  PlanDocuments out;
  out.activation_id = r.Text(0);
  if (!r.IsNull(1)) out.plan = ParseStored(r.Text(1));
  if (!r.IsNull(2)) out.content_calendar = ParseStored(r.Text(2));
  out.version = r.Int(3);
  out.updated_at = r.Text(4);
  if (!r.IsNull(5)) out.resolved_launch = ParseStored(r.Text(5));
  return out;
}

Result<PlanDocuments> LoadPlanDocuments(SqlSession& s, const std::string& activation_id) {
  PlanDocuments out;
  out.activation_id = activation_id;
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kPlanColumns +
                                                " FROM activation_plans WHERE activation_id = ?",
                                            {activation_id}));
  if (rows.empty()) return out;
  return PlanDocumentsFromRow(rows.front());
}

constexpr char kFeedColumns[] =
    "id, kind, org_id, user_id, name, created_at, revoked_at, last_used_at FROM calendar_feeds";

CalendarFeedRecord FeedFromRow(const Row& r) {
  CalendarFeedRecord f;
  f.id = r.Text(0);
  f.kind = r.Text(1);
  f.org_id = r.Text(2);
  f.user_id = r.Text(3);
  f.name = r.Text(4);
  f.created_at = r.Text(5);
  if (!r.IsNull(6)) f.revoked_at = r.Text(6);
  if (!r.IsNull(7)) f.last_used_at = r.Text(7);
  return f;
}

Json FeedAuditJson(const CalendarFeedRecord& f) {
  return Json{{"kind", f.kind}, {"org_id", f.org_id}, {"user_id", f.user_id}, {"name", f.name}};
}

// The people a workstream names must belong to the activation: its host or a partner in it.
Status CheckMembers(SqlSession& s, const ActivationRecord& a, const Json& fields) {
  std::vector<std::pair<std::string, std::string>> people;  // id, field
  if (fields.contains("primary_owner_id")) {
    people.emplace_back(fields["primary_owner_id"].get<std::string>(), "primary_owner_id");
  }
  if (fields.contains("raci")) {
    for (size_t i = 0; i < fields["raci"].size(); ++i) {
      people.emplace_back(fields["raci"][i]["user_id"].get<std::string>(),
                          JoinPath(JoinPath("raci", i), "user_id"));
    }
  }
  for (const auto& [user_id, field] : people) {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT org_id FROM users WHERE id = ?", {user_id}));
    bool member = false;
    if (!rows.empty()) {
      std::string org = rows[0].Text(0);
      member = org == a.host_org_id || a.FindParticipant(org) != nullptr;
    }
    if (!member) {
      return InvalidArgument("user " + user_id + " is not in the activation's host or partners",
                             field, "not_a_member");
    }
  }
  return OkStatus();
}

}  // namespace

namespace detail {

SqlValue OrNull(const std::optional<std::string>& value) {
  return value ? SqlValue(*value) : Null();
}

Json ParseStored(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(nullptr) : j;
}

AuditEntry Entry(const Actor& actor, std::string entity_type, std::string entity_id,
                 std::string action) {
  AuditEntry e;
  e.actor_id = actor.id;
  e.actor_org_id = actor.org_id;
  e.entity_type = std::move(entity_type);
  e.entity_id = std::move(entity_id);
  e.action = std::move(action);
  return e;
}

Status CheckExpectedVersion(std::optional<int64_t> expected, int64_t current,
                            std::string_view what) {
  if (!expected || *expected == current) return OkStatus();
  return Conflict(std::string(what) + " changed by someone else (version " +
                      std::to_string(current) + ", you sent " + std::to_string(*expected) +
                      "); reload and retry",
                  "version");
}

Result<ActivationRecord> LoadActivation(SqlSession& s, const std::string& id, bool for_update) {
  std::string sql = std::string("SELECT ") + kActivationColumns + " WHERE a.id = ?";
  if (for_update && s.dialect() == Dialect::kPostgres) sql += " FOR UPDATE OF a";
  TUTTI_ASSIGN_OR_RETURN(ActivationRecord a,
                         FirstRow(s.Query(sql, {id}), &ActivationFromRow, "activation"));
  TUTTI_ASSIGN_OR_RETURN(auto rows,
                         s.Query(std::string("SELECT ") + kParticipationColumns +
                                     " WHERE p.activation_id = ? ORDER BY p.created_at, o.name",
                                 {id}));
  for (const Row& r : rows) a.participants.push_back(ParticipationFromRow(r));
  return a;
}

}  // namespace detail

std::string NormaliseEmail(const std::string& email) {
  size_t begin = email.find_first_not_of(" \t\r\n");
  size_t end = email.find_last_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  std::string out = email.substr(begin, end - begin + 1);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

Json OrgRecord::ToJson() const {
  return Json{{"id", id}, {"name", name}, {"kind", kind}, {"created_at", created_at}};
}

Json UserRecord::ToJson() const {
  return Json{{"id", id},
              {"org_id", org_id},
              {"org_name", org_name},
              {"org_kind", org_kind},
              {"email", email},
              {"name", name},
              {"role", role},
              {"disabled", disabled},
              {"created_at", created_at}};
}

Json ApiKeyRecord::ToJson() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return Json{{"id", id},
              {"org_id", org_id},
              {"name", name},
              {"token_hint", token_hint},
              {"scopes", scopes},
              {"created_by", created_by},
              {"created_at", created_at},
              {"expires_at", opt(expires_at)},
              {"last_used_at", opt(last_used_at)},
              {"revoked_at", opt(revoked_at)}};
}

governance::ActivationAccess ActivationRecord::Access() const {
  governance::ActivationAccess access{id, host_org_id, {}};
  for (const ParticipationRecord& p : participants) {
    access.participants.push_back({p.org_id, p.facilitator});
  }
  return access;
}

const ParticipationRecord* ActivationRecord::FindParticipant(const std::string& org_id) const {
  for (const ParticipationRecord& p : participants) {
    if (p.org_id == org_id) return &p;
  }
  return nullptr;
}

// ---- audit ----

Status Store::Append(SqlSession& s, AuditEntry entry) {
  if (s.dialect() == Dialect::kPostgres) {
    TUTTI_RETURN_IF_ERROR(
        s.Query("SELECT pg_advisory_xact_lock(?)", {kAuditAdvisoryLock}).status());
  }
  TUTTI_ASSIGN_OR_RETURN(auto head,
                         s.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  entry.seq = head.empty() ? 1 : head[0].Int(0) + 1;
  entry.prev_hash = head.empty() ? governance::kGenesisHash : head[0].Text(1);
  entry.at = Now();
  entry.hash = governance::ComputeAuditHash(entry);
  return s
      .Execute(
          "INSERT INTO audit_log (seq, at, actor_id, actor_org_id, entity_type, entity_id, "
          "action, activation_id, visible_org_id, before_state, after_state, prev_hash, hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {entry.seq, entry.at, entry.actor_id, entry.actor_org_id, entry.entity_type,
           entry.entity_id, entry.action, entry.activation_id, entry.visible_org_id,
           OrNull(entry.before), OrNull(entry.after), entry.prev_hash, entry.hash})
      .status();
}

Status Store::AppendAudit(const AuditEntry& partial) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) { return Append(s, partial); });
}

Result<std::vector<AuditEntry>> Store::ListAudit(const AuditQuery& q) {
  std::vector<AuditEntry> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    std::string sql = std::string("SELECT ") + kAuditColumns + " WHERE seq > ?";
    std::vector<SqlValue> params{q.after_seq};
    if (!q.activation_id.empty()) {
      sql += " AND activation_id = ?";
      params.emplace_back(q.activation_id);
    }
    if (!q.entity_type.empty()) {
      sql += " AND entity_type = ? AND entity_id = ?";
      params.emplace_back(q.entity_type);
      params.emplace_back(q.entity_id);
    }
    sql += " ORDER BY seq LIMIT ?";
    params.emplace_back(q.limit);
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
    for (const Row& r : rows) out.push_back(AuditFromRow(r));
    return OkStatus();
  }));
  return out;
}

Status Store::ForEachAuditEntry(const std::function<void(const AuditEntry&)>& visit, int64_t page) {
  int64_t after = 0;
  while (true) {
    std::vector<AuditEntry> batch;
    TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
      TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kAuditColumns +
                                                    " WHERE seq > ? ORDER BY seq LIMIT ?",
                                                {after, page}));
      for (const Row& r : rows) batch.push_back(AuditFromRow(r));
      return OkStatus();
    }));
    for (const AuditEntry& e : batch) visit(e);
    if (static_cast<int64_t>(batch.size()) < page) return OkStatus();
    after = batch.back().seq;
  }
}

// ---- organisations and users ----

Result<OrgRecord> Store::CreateOrg(const std::string& name, const std::string& kind,
                                   const Actor& actor) {
  OrgRecord org{NewId("org"), name, kind, Now()};
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    Status inserted = s.Execute("INSERT INTO orgs (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
                                {org.id, org.name, org.kind, org.created_at})
                          .status();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("an organisation named '" + name + "' already exists", "name");
    }
    TUTTI_RETURN_IF_ERROR(inserted);
    AuditEntry e = Entry(actor, "org", org.id, "created");
    e.after = org.ToJson().dump();
    e.visible_org_id = org.id;
    return Append(s, std::move(e));
  }));
  return org;
}

Result<OrgRecord> Store::GetOrg(const std::string& id) {
  Result<OrgRecord> out = NotFound("organisation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(s.Query("SELECT id, name, kind, created_at FROM orgs WHERE id = ?", {id}),
                   &OrgFromRow, "organisation");
    return OkStatus();
  }));
  return out;
}

Result<OrgRecord> Store::FindOrgByName(const std::string& name) {
  Result<OrgRecord> out = NotFound("organisation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(s.Query("SELECT id, name, kind, created_at FROM orgs WHERE name = ?", {name}),
                   &OrgFromRow, "organisation '" + name + "'");
    return OkStatus();
  }));
  return out;
}

Result<std::vector<OrgRecord>> Store::ListOrgs() {
  std::vector<OrgRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT id, name, kind, created_at FROM orgs ORDER BY name"));
    for (const Row& r : rows) out.push_back(OrgFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<UserRecord> Store::CreateUser(const std::string& org_id, const std::string& email,
                                     const std::string& name, const std::string& role,
                                     const std::string& password_hash, const Actor& actor) {
  std::string id = NewId("usr");
  Result<UserRecord> out = Internal("user not created");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::string now = Now();
    TUTTI_ASSIGN_OR_RETURN(auto org, s.Query("SELECT id FROM orgs WHERE id = ?", {org_id}));
    if (org.empty()) return NotFound("organisation not found", "org_id");
    Status inserted =
        s.Execute(
             "INSERT INTO users (id, org_id, email, name, role, password_hash, disabled, "
             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
             {id, org_id, NormaliseEmail(email), name, role, password_hash, now, now})
            .status();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("a user with this email already exists", "email");
    }
    TUTTI_RETURN_IF_ERROR(inserted);
    out = FirstRow(s.Query(std::string("SELECT ") + kUserColumns + " WHERE u.id = ?", {id}),
                   &UserFromRow, "user");
    TUTTI_RETURN_IF_ERROR(out.status());
    AuditEntry e = Entry(actor, "user", id, "created");
    e.after = out->ToJson().dump();
    e.visible_org_id = org_id;
    return Append(s, std::move(e));
  }));
  return out;
}

Result<UserRecord> Store::GetUser(const std::string& id) {
  Result<UserRecord> out = NotFound("user not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(s.Query(std::string("SELECT ") + kUserColumns + " WHERE u.id = ?", {id}),
                   &UserFromRow, "user");
    return OkStatus();
  }));
  return out;
}

Result<UserRecord> Store::FindUserByEmail(const std::string& email) {
  Result<UserRecord> out = NotFound("user not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(s.Query(std::string("SELECT ") + kUserColumns + " WHERE u.email = ?",
                           {NormaliseEmail(email)}),
                   &UserFromRow, "user");
    return OkStatus();
  }));
  return out;
}

Result<std::vector<UserRecord>> Store::ListUsers(const std::string& org_id) {
  std::vector<UserRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kUserColumns +
                                                  " WHERE u.org_id = ? ORDER BY u.name",
                                              {org_id}));
    for (const Row& r : rows) out.push_back(UserFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<UserRecord> Store::UpdateUser(const std::string& id, const Json& patch, const Actor& actor,
                                     const std::function<Status(const UserRecord&)>& authorize) {
  Result<UserRecord> out = NotFound("user not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        UserRecord before,
        FirstRow(s.Query(std::string("SELECT ") + kUserColumns + " WHERE u.id = ?", {id}),
                 &UserFromRow, "user"));
    TUTTI_RETURN_IF_ERROR(authorize(before));
    UserRecord after = before;
    if (patch.contains("name")) after.name = patch["name"].get<std::string>();
    if (patch.contains("role")) after.role = patch["role"].get<std::string>();
    if (patch.contains("disabled")) after.disabled = patch["disabled"].get<bool>();
    after.updated_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE users SET name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?",
                  {after.name, after.role, int64_t{after.disabled ? 1 : 0}, after.updated_at, id})
            .status());
    if (after.disabled) {
      TUTTI_RETURN_IF_ERROR(s.Execute("DELETE FROM sessions WHERE user_id = ?", {id}).status());
    }
    AuditEntry e = Entry(actor, "user", id, before.role != after.role ? "role_changed" : "updated");
    e.before = before.ToJson().dump();
    e.after = after.ToJson().dump();
    e.visible_org_id = before.org_id;
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = after;
    return OkStatus();
  }));
  return out;
}

Status Store::ReplacePasswordHash(const std::string& user_id, const std::string& password_hash) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, user_id})
            .status());
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT org_id FROM users WHERE id = ?", {user_id}));
    if (rows.empty()) return NotFound("user not found");
    AuditEntry e = Entry(Actor{"system", ""}, "user", user_id, "password_rehashed");
    e.visible_org_id = rows[0].Text(0);
    return Append(s, std::move(e));
  });
}

// ---- sessions, log-in throttling, API keys ----

Status Store::RecordLogin(const UserRecord& user, const std::string& token_digest,
                          Instant expires_at, Instant idle_expires_at, const std::string& address) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("DELETE FROM sessions WHERE expires_at < ? OR idle_expires_at < ?", {now, now})
            .status());
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, "
                  "idle_expires_at) VALUES (?, ?, ?, ?, ?)",
                  {token_digest, user.id, now, FormatInstant(expires_at),
                   FormatInstant(idle_expires_at)})
            .status());
    AuditEntry e = Entry(Actor{user.id, user.org_id}, "user", user.id, "login");
    e.after = Json{{"address", address}}.dump();
    e.visible_org_id = user.org_id;
    return Append(s, std::move(e));
  });
}

Result<SessionRecord> Store::FindSession(const std::string& token_digest) {
  Result<SessionRecord> out = Unauthenticated("session not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT user_id, expires_at, idle_expires_at FROM sessions "
                                   "WHERE token_hash = ?",
                                   {token_digest}));
    if (rows.empty()) return OkStatus();
    TUTTI_ASSIGN_OR_RETURN(
        UserRecord user, FirstRow(s.Query(std::string("SELECT ") + kUserColumns + " WHERE u.id = ?",
                                          {rows[0].Text(0)}),
                                  &UserFromRow, "user"));
    out = SessionRecord{std::move(user), rows[0].Text(1), rows[0].Text(2)};
    return OkStatus();
  }));
  return out;
}

Status Store::TouchSession(const std::string& token_digest, Instant idle_expires_at) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) {
    return s
        .Execute("UPDATE sessions SET idle_expires_at = ? WHERE token_hash = ?",
                 {FormatInstant(idle_expires_at), token_digest})
        .status();
  });
}

Status Store::DeleteSession(const std::string& token_digest, const Actor& actor) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(int64_t removed,
                           s.Execute("DELETE FROM sessions WHERE token_hash = ?", {token_digest}));
    if (removed == 0) return OkStatus();
    AuditEntry e = Entry(actor, "user", actor.id, "logout");
    e.visible_org_id = actor.org_id;
    return Append(s, std::move(e));
  });
}

Status Store::RecordLoginFailure(const std::vector<std::string>& subjects,
                                 const std::optional<UserRecord>& user,
                                 const std::string& address) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::string now = Now();
    for (const std::string& subject : subjects) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO login_failures (subject, at) VALUES (?, ?)", {subject, now})
              .status());
    }
    if (!user) return OkStatus();
    AuditEntry e = Entry(Actor{"anonymous", ""}, "user", user->id, "login_failed");
    e.after = Json{{"address", address}}.dump();
    e.visible_org_id = user->org_id;
    return Append(s, std::move(e));
  });
}

Result<std::vector<std::string>> Store::LoginFailuresSince(const std::string& subject,
                                                           Instant since) {
  std::vector<std::string> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT at FROM login_failures WHERE subject = ? AND at >= ? "
                                   "ORDER BY at",
                                   {subject, FormatInstant(since)}));
    for (const Row& r : rows) out.push_back(r.Text(0));
    return OkStatus();
  }));
  return out;
}

Status Store::ClearLoginFailures(const std::string& subject) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) {
    return s.Execute("DELETE FROM login_failures WHERE subject = ?", {subject}).status();
  });
}

Result<ApiKeyRecord> Store::CreateApiKey(const std::string& org_id, const std::string& name,
                                         const std::vector<std::string>& scopes,
                                         const std::string& token_digest,
                                         const std::string& token_hint,
                                         std::optional<Instant> expires_at, const Actor& actor) {
  std::string id = NewId("key");
  Result<ApiKeyRecord> out = Internal("key not created");
  std::string scope_text;
  for (const std::string& scope : scopes) scope_text += (scope_text.empty() ? "" : " ") + scope;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::optional<std::string> expires;
    if (expires_at) expires = FormatInstant(*expires_at);
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO api_keys (id, org_id, name, token_hash, token_hint, scopes, "
                  "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {id, org_id, name, token_digest, token_hint, scope_text, actor.id, Now(),
                   OrNull(expires)})
            .status());
    out = FirstRow(s.Query(std::string("SELECT ") + kApiKeyColumns + " WHERE k.id = ?", {id}),
                   &ApiKeyFromRow, "api key");
    TUTTI_RETURN_IF_ERROR(out.status());
    AuditEntry e = Entry(actor, "api_key", id, "created");
    e.after = out->ToJson().dump();
    e.visible_org_id = org_id;
    return Append(s, std::move(e));
  }));
  return out;
}

Result<ApiKeyRecord> Store::UseApiKey(const std::string& token_digest) {
  Result<ApiKeyRecord> out = Unauthenticated("unknown API key");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::string now = Now();
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query(std::string("SELECT ") + kApiKeyColumns +
                                       " WHERE k.token_hash = ? AND k.revoked_at IS NULL AND "
                                       "(k.expires_at IS NULL OR k.expires_at > ?)",
                                   {token_digest, now}));
    if (rows.empty()) return OkStatus();
    out = ApiKeyFromRow(rows[0]);
    return s
        .Execute("UPDATE api_keys SET last_used_at = ? WHERE token_hash = ?", {now, token_digest})
        .status();
  }));
  return out;
}

Result<std::vector<ApiKeyRecord>> Store::ListApiKeys(const std::string& org_id) {
  std::vector<ApiKeyRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kApiKeyColumns +
                                                  " WHERE k.org_id = ? ORDER BY k.created_at",
                                              {org_id}));
    for (const Row& r : rows) out.push_back(ApiKeyFromRow(r));
    return OkStatus();
  }));
  return out;
}

Status Store::RevokeApiKey(const std::string& org_id, const std::string& key_id,
                           const Actor& actor) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(int64_t changed,
                           s.Execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND "
                                     "org_id = ? AND revoked_at IS NULL",
                                     {Now(), key_id, org_id}));
    if (changed == 0) return NotFound("API key not found");
    AuditEntry e = Entry(actor, "api_key", key_id, "revoked");
    e.visible_org_id = org_id;
    return Append(s, std::move(e));
  });
}

// ---- activations ----

Result<ActivationRecord> Store::CreateActivation(const std::string& host_org_id,
                                                 const Json& document,
                                                 const std::optional<std::string>& playbook_id,
                                                 const Actor& actor) {
  std::string id = NewId("act");
  Result<ActivationRecord> out = Internal("activation not created");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(
        InsertActivation(s, id, host_org_id, document, playbook_id, actor.id, Now()));
    out = LoadActivation(s, id, false);
    TUTTI_RETURN_IF_ERROR(out.status());
    AuditEntry e = Entry(actor, "activation", id, "created");
    e.activation_id = id;
    e.after = out->document.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<ActivationRecord> Store::GetActivation(const std::string& id) {
  Result<ActivationRecord> out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = LoadActivation(s, id, false);
    return out.status().code() == StatusCode::kNotFound ? OkStatus() : out.status();
  }));
  return out;
}

Result<std::vector<ActivationRecord>> Store::ListActivationsVisibleTo(const std::string& org_id) {
  std::vector<ActivationRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    const std::string visible =
        "(a.host_org_id = ? OR a.id IN (SELECT activation_id FROM participations WHERE org_id = "
        "?))";
    TUTTI_ASSIGN_OR_RETURN(
        auto rows, s.Query(std::string("SELECT ") + kActivationColumns + " WHERE " + visible +
                               " ORDER BY a.created_at DESC, a.id",
                           {org_id, org_id}));
    std::map<std::string, size_t> index;
    for (const Row& r : rows) {
      index[r.Text(0)] = out.size();
      out.push_back(ActivationFromRow(r));
    }
    TUTTI_ASSIGN_OR_RETURN(
        auto parts, s.Query(std::string("SELECT ") + kParticipationColumns +
                                " WHERE p.activation_id IN (SELECT a.id FROM activations a WHERE " +
                                visible + ") ORDER BY p.created_at, o.name",
                            {org_id, org_id}));
    for (const Row& r : parts) {
      ParticipationRecord p = ParticipationFromRow(r);
      auto it = index.find(p.activation_id);
      if (it != index.end()) out[it->second].participants.push_back(std::move(p));
    }
    return OkStatus();
  }));
  return out;
}

Result<ActivationRecord> Store::UpdateActivation(const std::string& id, const Json& patch,
                                                 std::optional<int64_t> expected_version,
                                                 const Actor& actor, const Authorize& authorize) {
  Result<ActivationRecord> out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord before, LoadActivation(s, id, true));
    TUTTI_RETURN_IF_ERROR(authorize(before));
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, before.version, "the activation was"));
    Json document = core::ApplyActivationPatch(before.document, patch);
    std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE activations SET name = ?, objective = ?, status = ?, brief = ?, "
                  "version = version + 1, updated_at = ? WHERE id = ?",
                  {document["name"].get<std::string>(), document["objective"].get<std::string>(),
                   document["status"].get<std::string>(), BriefColumn(document), now, id})
            .status());
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord after, LoadActivation(s, id, false));
    AuditEntry e = Entry(actor, "activation", id, "updated");
    e.activation_id = id;
    e.before = before.document.dump();
    e.after = after.document.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = std::move(after);
    return OkStatus();
  }));
  return out;
}

// ---- scheduling documents ----

Result<PlanDocuments> Store::GetPlanDocuments(const std::string& activation_id) {
  Result<PlanDocuments> out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto exists,
                           s.Query("SELECT 1 FROM activations WHERE id = ?", {activation_id}));
    if (exists.empty()) return OkStatus();
    out = LoadPlanDocuments(s, activation_id);
    return out.status();
  }));
  return out;
}

Result<PlanDocuments> Store::PutPlanDocument(const std::string& activation_id,
                                             const std::string& which, const Json& document,
                                             std::optional<int64_t> expected_version,
                                             const Actor& actor, const Authorize& authorize) {
  return EditPlanDocument(
      activation_id, which, expected_version, actor,
      [&](const ActivationRecord& a, const PlanDocuments&) -> Result<PlanDocumentUpdate> {
        TUTTI_RETURN_IF_ERROR(authorize(a));
        return PlanDocumentUpdate{document, std::nullopt};
      });
}

Result<PlanDocuments> Store::EditPlanDocument(const std::string& activation_id,
                                              const std::string& which,
                                              std::optional<int64_t> expected_version,
                                              const Actor& actor, const PlanDocumentEdit& edit) {
  // The column name is spliced into SQL below, so it comes from this fixed list only.
  if (which != "plan" && which != "content_calendar") {
    return InvalidArgument("unknown scheduling document '" + which + "'", "which");
  }
  const bool is_plan = which == "plan";
  Result<PlanDocuments> out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    // Locking the activation row (PostgreSQL) serialises writers of its documents, including two
    // first writers that would otherwise both try to insert the row.
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(PlanDocuments before, LoadPlanDocuments(s, activation_id));
    TUTTI_ASSIGN_OR_RETURN(PlanDocumentUpdate update, edit(a, before));
    TUTTI_RETURN_IF_ERROR(detail::CheckExpectedVersion(expected_version, before.version,
                                                       "the activation's " + which + " was"));
    std::optional<Json> resolved = is_plan ? update.resolved_launch : before.resolved_launch;
    std::optional<std::string> resolved_text;
    if (resolved) resolved_text = resolved->dump();
    std::string now = Now();
    if (before.version == 0) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO activation_plans (activation_id, " + which +
                        ", resolved_launch, version, updated_at) "
                        "VALUES (?, ?, ?, 1, ?)",
                    {activation_id, update.document.dump(), OrNull(resolved_text), now})
              .status());
    } else {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE activation_plans SET " + which +
                        " = ?, resolved_launch = ?, version = version + 1, "
                        "updated_at = ? WHERE activation_id = ?",
                    {update.document.dump(), OrNull(resolved_text), now, activation_id})
              .status());
    }
    const std::optional<Json>& previous = is_plan ? before.plan : before.content_calendar;
    AuditEntry e = Entry(actor, which, activation_id, update.audit_action);
    e.activation_id = activation_id;
    if (previous) e.before = previous->dump();
    e.after = update.document.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = LoadPlanDocuments(s, activation_id);
    return out.status();
  }));
  return out;
}

Result<std::vector<PlanDocuments>> Store::ListStoredPlans() {
  std::vector<PlanDocuments> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kPlanColumns +
                                              " FROM activation_plans WHERE plan IS NOT NULL "
                                              "ORDER BY activation_id"));
    for (const Row& r : rows) out.push_back(PlanDocumentsFromRow(r));
    return OkStatus();
  }));
  return out;
}

// ---- calendar feeds ----

Result<CalendarFeedRecord> Store::CreateCalendarFeed(
    const std::string& kind, const std::string& org_id, const std::string& user_id,
    const std::string& name, const std::string& token_hash, const Actor& actor) {
  std::string id = NewId("feed");
  Result<CalendarFeedRecord> out = Internal("feed not created");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO calendar_feeds (id, token_hash, kind, org_id, user_id, name, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {id, token_hash, kind, org_id, user_id, name, Now()})
            .status());
    out = FirstRow(s.Query(std::string("SELECT ") + kFeedColumns + " WHERE id = ?", {id}),
                   &FeedFromRow, "calendar feed");
    TUTTI_RETURN_IF_ERROR(out.status());
    AuditEntry e = Entry(actor, "calendar_feed", id, "created");
    e.after = FeedAuditJson(*out).dump();
    e.visible_org_id = org_id;
    return Append(s, std::move(e));
  }));
  return out;
}

Result<CalendarFeedRecord> Store::GetCalendarFeed(const std::string& id) {
  Result<CalendarFeedRecord> out = NotFound("calendar feed not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query(std::string("SELECT ") + kFeedColumns + " WHERE id = ?", {id}));
    if (!rows.empty()) out = FeedFromRow(rows[0]);
    return OkStatus();
  }));
  return out;
}

Result<CalendarFeedRecord> Store::UseCalendarFeed(const std::string& token_hash) {
  Result<CalendarFeedRecord> out = NotFound("calendar feed not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kFeedColumns +
                                                  " WHERE token_hash = ? AND revoked_at IS NULL",
                                              {token_hash}));
    if (rows.empty()) return OkStatus();
    CalendarFeedRecord feed = FeedFromRow(rows[0]);
    // Calendar clients poll every few minutes; one stamp a minute is enough to show use.
    std::string now = Now();
    if (feed.last_used_at.substr(0, 16) != now.substr(0, 16)) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?", {now, feed.id})
              .status());
      feed.last_used_at = now;
    }
    out = std::move(feed);
    return OkStatus();
  }));
  return out;
}

Result<std::vector<CalendarFeedRecord>> Store::ListCalendarFeeds(const std::string& user_id,
                                                                 const std::string& org_id,
                                                                 bool include_org_feeds) {
  std::vector<CalendarFeedRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        auto rows,
        s.Query(
            std::string("SELECT ") + kFeedColumns +
                " WHERE (kind = 'user' AND user_id = ?) OR (kind = 'org' AND org_id = ? AND ? = 1)"
                " ORDER BY created_at, id",
            {user_id, org_id, int64_t{include_org_feeds ? 1 : 0}}));
    for (const Row& r : rows) out.push_back(FeedFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<CalendarFeedRecord> Store::RevokeCalendarFeed(
    const std::string& id, const Actor& actor,
    const std::function<Status(const CalendarFeedRecord&)>& authorize) {
  Result<CalendarFeedRecord> out = NotFound("calendar feed not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query(std::string("SELECT ") + kFeedColumns + " WHERE id = ?", {id}));
    if (rows.empty()) return NotFound("calendar feed not found");
    CalendarFeedRecord feed = FeedFromRow(rows[0]);
    TUTTI_RETURN_IF_ERROR(authorize(feed));
    if (feed.revoked_at.empty()) {
      feed.revoked_at = Now();
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE calendar_feeds SET revoked_at = ? WHERE id = ?", {feed.revoked_at, id})
              .status());
      AuditEntry e = Entry(actor, "calendar_feed", id, "revoked");
      e.before = FeedAuditJson(feed).dump();
      e.visible_org_id = feed.org_id;
      TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    }
    out = std::move(feed);
    return OkStatus();
  }));
  return out;
}

Result<ParticipationRecord> Store::AddParticipant(const std::string& activation_id,
                                                  const std::string& org_id,
                                                  const std::string& role,
                                                  const std::optional<Json>& agreement,
                                                  const Actor& actor, const Authorize& authorize) {
  Result<ParticipationRecord> out = NotFound("participation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(auto org, s.Query("SELECT kind FROM orgs WHERE id = ?", {org_id}));
    if (org.empty()) return NotFound("organisation not found", "org_id");
    if (org[0].Text(0) != "partner" || org_id == a.host_org_id) {
      return InvalidArgument("only partner organisations can join an activation", "org_id",
                             "not_a_partner");
    }
    if (a.FindParticipant(org_id) != nullptr) {
      return AlreadyExists("this organisation already takes part in the activation", "org_id");
    }
    std::optional<Json> terms = agreement;
    if (!terms && a.playbook_id) {
      // A playbook's agreement terms for this partner role apply until negotiated otherwise.
      TUTTI_ASSIGN_OR_RETURN(
          auto pb, s.Query("SELECT template FROM playbooks WHERE id = ?", {*a.playbook_id}));
      if (!pb.empty()) {
        Json t = ParseStored(pb[0].Text(0));
        if (t.is_object() && t["agreements_by_role"].contains(role)) {
          terms = t["agreements_by_role"][role];
        }
      }
    }
    std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO participations (activation_id, org_id, role, facilitator, notes, "
                  "agreement, created_at, updated_at) VALUES (?, ?, ?, 0, '', ?, ?, ?)",
                  {activation_id, org_id, role, terms ? SqlValue(terms->dump()) : Null(), now, now})
            .status());
    TUTTI_ASSIGN_OR_RETURN(ParticipationRecord p, LoadParticipation(s, activation_id, org_id));
    AuditEntry e = Entry(actor, "participation", activation_id + ":" + org_id, "partner_added");
    e.activation_id = activation_id;
    e.after = Json{{"org_id", org_id}, {"org_name", p.org_name}, {"role", role}}.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    if (terms) {
      // The terms (given, or inherited from the playbook) are a change of their own, private to
      // the host and this partner like every later agreement entry.
      AuditEntry recorded =
          Entry(actor, "agreement", activation_id + ":" + org_id, "agreement_created");
      recorded.activation_id = activation_id;
      recorded.visible_org_id = org_id;
      recorded.after = terms->dump();
      TUTTI_RETURN_IF_ERROR(Append(s, std::move(recorded)));
    }
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE activations SET updated_at = ? WHERE id = ?", {now, activation_id})
            .status());
    out = std::move(p);
    return OkStatus();
  }));
  return out;
}

Result<ParticipationRecord> Store::UpdateParticipant(const std::string& activation_id,
                                                     const std::string& org_id, const Json& patch,
                                                     const Actor& actor,
                                                     const Authorize& authorize) {
  Result<ParticipationRecord> out = NotFound("participation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    const ParticipationRecord* current = a.FindParticipant(org_id);
    if (current == nullptr) return NotFound("this organisation is not a partner of the activation");
    ParticipationRecord before = *current;
    ParticipationRecord after = before;
    if (patch.contains("role")) after.role = patch["role"].get<std::string>();
    if (patch.contains("facilitator")) after.facilitator = patch["facilitator"].get<bool>();
    if (patch.contains("contribution")) {
      after.contribution = patch["contribution"].is_null()
                               ? std::nullopt
                               : std::optional<Json>(patch["contribution"]);
    }
    if (patch.contains("notes")) after.notes = patch["notes"].get<std::string>();
    std::string now = Now();
    if (after.facilitator && !before.facilitator) {
      TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE participations SET facilitator = 0 WHERE "
                                      "activation_id = ?",
                                      {activation_id})
                                .status());
    }
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE participations SET role = ?, facilitator = ?, contribution = ?, "
                  "notes = ?, updated_at = ? WHERE activation_id = ? AND org_id = ?",
                  {after.role, int64_t{after.facilitator ? 1 : 0},
                   after.contribution ? SqlValue(after.contribution->dump()) : Null(), after.notes,
                   now, activation_id, org_id})
            .status());
    after.updated_at = now;
    AuditEntry e = Entry(actor, "participation", activation_id + ":" + org_id, "partner_updated");
    e.activation_id = activation_id;
    // Contribution and notes are private to the host and this partner, and so is this entry.
    e.visible_org_id = org_id;
    e.before = ParticipationState(before).dump();
    e.after = ParticipationState(after).dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = std::move(after);
    return OkStatus();
  }));
  return out;
}

Result<ParticipationRecord> Store::PutAgreement(const std::string& activation_id,
                                                const std::string& org_id, const Json& agreement,
                                                const Actor& actor, const Authorize& authorize) {
  Result<ParticipationRecord> out = NotFound("participation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    const ParticipationRecord* current = a.FindParticipant(org_id);
    if (current == nullptr) return NotFound("this organisation is not a partner of the activation");
    std::string now = Now();
    TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE participations SET agreement = ?, updated_at = ? WHERE "
                                    "activation_id = ? AND org_id = ?",
                                    {agreement.dump(), now, activation_id, org_id})
                              .status());
    AuditEntry e = Entry(actor, "agreement", activation_id + ":" + org_id,
                         current->agreement ? "agreement_updated" : "agreement_created");
    e.activation_id = activation_id;
    e.visible_org_id = org_id;
    if (current->agreement) e.before = current->agreement->dump();
    e.after = agreement.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    ParticipationRecord after = *current;
    after.agreement = agreement;
    after.updated_at = now;
    out = std::move(after);
    return OkStatus();
  }));
  return out;
}

// ---- workstreams ----

Result<WorkstreamRecord> Store::CreateWorkstream(const std::string& activation_id,
                                                 const Json& fields, const Actor& actor,
                                                 const Authorize& authorize) {
  Result<WorkstreamRecord> out = NotFound("workstream not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_RETURN_IF_ERROR(CheckMembers(s, a, fields));
    std::string now = Now();
    WorkstreamRecord w{NewId("ws"),
                       activation_id,
                       fields["kind"].get<std::string>(),
                       fields["name"].get<std::string>(),
                       fields["primary_owner_id"].get<std::string>(),
                       fields.value("raci", Json::array()),
                       now,
                       now};
    TUTTI_RETURN_IF_ERROR(InsertWorkstream(s, w, actor));
    out = std::move(w);
    return OkStatus();
  }));
  return out;
}

Result<std::vector<WorkstreamRecord>> Store::ListWorkstreams(const std::string& activation_id) {
  std::vector<WorkstreamRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query(std::string("SELECT ") + kWorkstreamColumns +
                                       " WHERE activation_id = ? ORDER BY created_at, name",
                                   {activation_id}));
    for (const Row& r : rows) out.push_back(WorkstreamFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<WorkstreamRecord> Store::GetWorkstream(const std::string& activation_id,
                                              const std::string& workstream_id) {
  Result<WorkstreamRecord> out = NotFound("workstream not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(
        s.Query(std::string("SELECT ") + kWorkstreamColumns + " WHERE id = ? AND activation_id = ?",
                {workstream_id, activation_id}),
        &WorkstreamFromRow, "workstream");
    return OkStatus();
  }));
  return out;
}

Result<WorkstreamRecord> Store::UpdateWorkstream(
    const std::string& activation_id, const std::string& workstream_id, const Json& patch,
    const Actor& actor,
    const std::function<Status(const ActivationRecord&, const WorkstreamRecord&)>& authorize) {
  Result<WorkstreamRecord> out = NotFound("workstream not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(WorkstreamRecord before,
                           FirstRow(s.Query(std::string("SELECT ") + kWorkstreamColumns +
                                                " WHERE id = ? AND activation_id = ?",
                                            {workstream_id, activation_id}),
                                    &WorkstreamFromRow, "workstream"));
    TUTTI_RETURN_IF_ERROR(authorize(a, before));
    TUTTI_RETURN_IF_ERROR(CheckMembers(s, a, patch));
    WorkstreamRecord after = before;
    if (patch.contains("kind")) after.kind = patch["kind"].get<std::string>();
    if (patch.contains("name")) after.name = patch["name"].get<std::string>();
    if (patch.contains("primary_owner_id")) {
      after.primary_owner_id = patch["primary_owner_id"].get<std::string>();
    }
    if (patch.contains("raci")) {
      after.raci = patch["raci"];
    } else if (after.primary_owner_id != before.primary_owner_id) {
      after.raci =
          core::ReassignAccountable(before.raci, before.primary_owner_id, after.primary_owner_id);
    }
    after.updated_at = Now();
    Status updated =
        s.Execute(
             "UPDATE workstreams SET kind = ?, name = ?, primary_owner_id = ?, raci = ?, "
             "updated_at = ? WHERE id = ?",
             {after.kind, after.name, after.primary_owner_id, after.raci.dump(), after.updated_at,
              workstream_id})
            .status();
    if (updated.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("this activation already has a workstream named '" + after.name + "'",
                           "name");
    }
    TUTTI_RETURN_IF_ERROR(updated);
    AuditEntry e =
        Entry(actor, "workstream", workstream_id,
              after.primary_owner_id != before.primary_owner_id ? "owner_changed" : "updated");
    e.activation_id = activation_id;
    e.before = WorkstreamState(before).dump();
    e.after = WorkstreamState(after).dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = std::move(after);
    return OkStatus();
  }));
  return out;
}

Status Store::InsertWorkstream(SqlSession& s, const WorkstreamRecord& w, const Actor& actor) {
  Status inserted =
      s.Execute(
           "INSERT INTO workstreams (id, activation_id, kind, name, primary_owner_id, "
           "raci, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           {w.id, w.activation_id, w.kind, w.name, w.primary_owner_id, w.raci.dump(), w.created_at,
            w.updated_at})
          .status();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("this activation already has a workstream named '" + w.name + "'", "name");
  }
  TUTTI_RETURN_IF_ERROR(inserted);
  AuditEntry e = Entry(actor, "workstream", w.id, "created");
  e.activation_id = w.activation_id;
  e.after = WorkstreamState(w).dump();
  return Append(s, std::move(e));
}

// ---- playbooks ----

Result<PlaybookRecord> Store::SavePlaybook(const std::string& activation_id,
                                           const std::string& name, const Actor& actor,
                                           const Authorize& authorize) {
  Result<PlaybookRecord> out = NotFound("playbook not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, false));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query(std::string("SELECT ") + kWorkstreamColumns +
                                       " WHERE activation_id = ? ORDER BY created_at, name",
                                   {activation_id}));
    std::vector<Json> streams;
    for (const Row& r : rows) {
      WorkstreamRecord w = WorkstreamFromRow(r);
      streams.push_back(Json{{"kind", w.kind}, {"name", w.name}});
    }
    Json agreements = Json::object();
    for (const ParticipationRecord& p : a.participants) {
      if (p.agreement && !agreements.contains(p.role)) agreements[p.role] = *p.agreement;
    }
    PlaybookRecord pb{NewId("pb"),
                      a.host_org_id,
                      name,
                      activation_id,
                      core::MakePlaybookTemplate(a.document, streams, agreements),
                      actor.id,
                      Now()};
    Status inserted =
        s.Execute(
             "INSERT INTO playbooks (id, org_id, name, source_activation_id, template, "
             "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             {pb.id, pb.org_id, pb.name, pb.source_activation_id, pb.template_document.dump(),
              pb.created_by, pb.created_at})
            .status();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("a playbook named '" + name + "' already exists", "name");
    }
    TUTTI_RETURN_IF_ERROR(inserted);
    AuditEntry e = Entry(actor, "playbook", pb.id, "created");
    e.activation_id = activation_id;
    // The template carries partner agreement terms, so only the host sees this entry.
    e.visible_org_id = a.host_org_id;
    e.after = Json{{"name", name}, {"source_activation_id", activation_id}}.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = std::move(pb);
    return OkStatus();
  }));
  return out;
}

Result<PlaybookRecord> Store::GetPlaybook(const std::string& id) {
  Result<PlaybookRecord> out = NotFound("playbook not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = FirstRow(s.Query(std::string("SELECT ") + kPlaybookColumns + " WHERE id = ?", {id}),
                   &PlaybookFromRow, "playbook");
    return OkStatus();
  }));
  return out;
}

Result<std::vector<PlaybookRecord>> Store::ListPlaybooks(const std::string& org_id) {
  std::vector<PlaybookRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kPlaybookColumns +
                                                  " WHERE org_id = ? ORDER BY name",
                                              {org_id}));
    for (const Row& r : rows) out.push_back(PlaybookFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<ActivationRecord> Store::InstantiatePlaybook(const PlaybookRecord& playbook,
                                                    const std::string& name,
                                                    const std::string& owner_user_id,
                                                    const Actor& actor) {
  std::string id = NewId("act");
  Result<ActivationRecord> out = Internal("activation not created");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    std::string now = Now();
    Json document = core::ActivationDocumentFromTemplate(playbook.template_document, name);
    TUTTI_RETURN_IF_ERROR(
        InsertActivation(s, id, playbook.org_id, document, playbook.id, actor.id, now));
    AuditEntry created = Entry(actor, "activation", id, "created_from_playbook");
    created.activation_id = id;
    created.after = document.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(created)));
    for (const Json& stream : playbook.template_document.value("workstreams", Json::array())) {
      Json raci = Json::array({Json{{"user_id", owner_user_id}, {"responsibility", "A"}}});
      WorkstreamRecord w{NewId("ws"),
                         id,
                         stream["kind"].get<std::string>(),
                         stream["name"].get<std::string>(),
                         owner_user_id,
                         raci,
                         now,
                         now};
      TUTTI_RETURN_IF_ERROR(InsertWorkstream(s, w, actor));
    }
    out = LoadActivation(s, id, false);
    return out.status();
  }));
  return out;
}

}  // namespace tutti::storage
