// The archive half of Store (docs/archive.md; migration 10): crisis-response templates with
// immutable, individually approved versions; the incident roster and the retention policy, one
// versioned document each per activation; legal holds; and the retention sweep, which reads the
// retained items of an activation, asks governance/retention.h which may go, and deletes exactly
// those in one transaction with one audit entry of counts. Thread-safe like the rest of Store.
#include <algorithm>
#include <map>
#include <set>

#include "tutti/base/ids.h"
#include "tutti/governance/retention.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::LoadActivation;
using detail::ParseStored;
using governance::AuditEntry;

Json ChannelsJson(const std::vector<std::string>& channels) {
  Json out = Json::array();
  for (const std::string& c : channels) out.push_back(c);
  return out;
}

std::vector<std::string> ChannelsFrom(const Json& stored) {
  std::vector<std::string> out;
  if (!stored.is_array()) return out;
  for (const Json& c : stored) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

// The trail keeps what a version says, so that an audit can show what was pre-approved.
Json TemplateVersionJson(const CrisisTemplateVersionRecord& v) {
  return Json{{"version", v.version},
              {"title", v.title},
              {"situation", v.situation},
              {"body", v.body},
              {"channels", ChannelsJson(v.channels)}};
}

Result<CrisisTemplateRecord> LoadTemplate(SqlSession& s, const std::string& activation_id,
                                          const std::string& template_id) {
  TUTTI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, activation_id, latest_version, created_by, created_at, "
                         "updated_at FROM crisis_templates WHERE id = ? AND activation_id = ?",
                         {template_id, activation_id}));
  if (rows.empty()) {
    return NotFound("crisis template " + template_id + " not found", "template_id");
  }
  CrisisTemplateRecord t{rows[0].Text(0),
                         rows[0].Text(1),
                         rows[0].Int(2),
                         rows[0].Text(3),
                         rows[0].Text(4),
                         rows[0].Text(5),
                         {}};
  TUTTI_ASSIGN_OR_RETURN(
      auto versions,
      s.Query("SELECT version, title, situation, body, channels, created_by, created_at, "
              "approved_by, approved_at FROM crisis_template_versions WHERE template_id = ? "
              "ORDER BY version",
              {template_id}));
  for (const Row& r : versions) {
    t.versions.push_back(CrisisTemplateVersionRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3),
                                                     ChannelsFrom(ParseStored(r.Text(4))),
                                                     r.Text(5), r.Text(6), r.Text(7), r.Text(8)});
  }
  if (t.versions.empty()) return Internal("crisis template " + template_id + " has no version");
  return t;
}

Status InsertTemplateVersion(SqlSession& s, const std::string& template_id,
                             const CrisisTemplateVersionRecord& v) {
  return s
      .Execute(
          "INSERT INTO crisis_template_versions (template_id, version, title, situation, body, "
          "channels, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {template_id, v.version, v.title, v.situation, v.body, ChannelsJson(v.channels).dump(),
           v.created_by, v.created_at})
      .status();
}

CrisisTemplateVersionRecord NewVersion(const CrisisTemplateContent& content, int64_t version,
                                       const Actor& actor, const std::string& now) {
  CrisisTemplateVersionRecord v;
  v.version = version;
  v.title = content.title;
  v.situation = content.situation;
  v.body = content.body;
  v.channels = content.channels;
  v.created_by = actor.id;
  v.created_at = now;
  return v;
}

Json RosterEntriesJson(const std::vector<IncidentRosterEntry>& entries) {
  Json out = Json::array();
  for (const IncidentRosterEntry& e : entries) {
    out.push_back(Json{{"duty", e.duty},
                       {"user_id", e.user_id},
                       {"backup_user_id", e.backup_user_id},
                       {"phone", e.phone},
                       {"order", e.order}});
  }
  return out;
}

std::vector<IncidentRosterEntry> RosterEntriesFrom(const Json& stored) {
  std::vector<IncidentRosterEntry> out;
  if (!stored.is_array()) return out;
  for (const Json& e : stored) {
    if (!e.is_object()) continue;
    out.push_back(IncidentRosterEntry{e.value("duty", ""), e.value("user_id", ""),
                                      e.value("backup_user_id", ""), e.value("phone", ""),
                                      e.value("order", int64_t{0})});
  }
  return out;
}

Result<IncidentRosterRecord> LoadRoster(SqlSession& s, const std::string& activation_id) {
  IncidentRosterRecord out;
  out.activation_id = activation_id;
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT entries, version, updated_by, updated_at FROM "
                                            "incident_rosters WHERE activation_id = ?",
                                            {activation_id}));
  if (rows.empty()) return out;
  out.entries = RosterEntriesFrom(ParseStored(rows[0].Text(0)));
  out.version = rows[0].Int(1);
  out.updated_by = rows[0].Text(2);
  out.updated_at = rows[0].Text(3);
  return out;
}

// A roster names people who act for the activation: each must be an enabled user of the host or
// of a participating organisation, checked on the membership this transaction reads.
Status CheckRosterMember(SqlSession& s, const ActivationRecord& a, const std::string& user_id,
                         const std::string& field) {
  TUTTI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT org_id, disabled FROM users WHERE id = ?", {user_id}));
  bool member = false;
  if (!rows.empty() && rows[0].Int(1) == 0) {
    const std::string org = rows[0].Text(0);
    member = org == a.host_org_id || a.FindParticipant(org) != nullptr;
  }
  if (!member) {
    return InvalidArgument("user " + user_id +
                               " is not an enabled member of an organisation taking part in "
                               "activation " +
                               a.id + "; name a user of the host or of a partner",
                           field, "not_a_member");
  }
  return OkStatus();
}

Result<RetentionPolicyRecord> LoadPolicy(SqlSession& s, const std::string& activation_id) {
  RetentionPolicyRecord out;
  out.activation_id = activation_id;
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT document, version, updated_by, updated_at "
                                            "FROM retention_policies WHERE activation_id = ?",
                                            {activation_id}));
  if (rows.empty()) return out;
  out.document = ParseStored(rows[0].Text(0));
  out.version = rows[0].Int(1);
  out.updated_by = rows[0].Text(2);
  out.updated_at = rows[0].Text(3);
  return out;
}

constexpr char kHoldColumns[] =
    "SELECT id, activation_id, reason, placed_by, placed_at, released_by, released_at, "
    "release_reason FROM legal_holds";

LegalHoldRecord HoldFromRow(const Row& r) {
  return LegalHoldRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3),
                         r.Text(4), r.Text(5), r.Text(6), r.Text(7)};
}

Json HoldJson(const LegalHoldRecord& h) {
  Json out{{"reason", h.reason}, {"placed_by", h.placed_by}, {"placed_at", h.placed_at}};
  if (!h.active()) {
    out["released_by"] = h.released_by;
    out["released_at"] = h.released_at;
    out["release_reason"] = h.release_reason;
  }
  return out;
}

// One retained item and the statement that deletes it.
struct Retained {
  governance::RetainedItem item;
  std::string sql;
  std::vector<SqlValue> key;
  std::string blob;  // asset versions: the file's digest
};

Status CollectItems(SqlSession& s, const std::string& activation_id, bool on_hold,
                    std::vector<Retained>& out) {
  auto add = [&](const std::string& kind, const std::string& id, const std::string& created_at,
                 std::string sql, std::vector<SqlValue> key, std::string blob) -> Status {
    Result<Instant> at = ParseInstant(created_at);
    // A row whose time does not parse cannot be shown to be old enough: it is kept.
    if (!at.ok()) return OkStatus();
    out.push_back(Retained{governance::RetainedItem{id, kind, *at, on_hold}, std::move(sql),
                           std::move(key), std::move(blob)});
    return OkStatus();
  };
  TUTTI_ASSIGN_OR_RETURN(auto versions,
                         s.Query("SELECT v.asset_id, v.version, v.created_at, v.sha256 FROM "
                                 "asset_versions v JOIN assets a ON a.id = v.asset_id WHERE "
                                 "a.activation_id = ? ORDER BY v.asset_id, v.version",
                                 {activation_id}));
  for (const Row& r : versions) {
    TUTTI_RETURN_IF_ERROR(add("version", r.Text(0) + ":" + r.Text(1), r.Text(2),
                              "DELETE FROM asset_versions WHERE asset_id = ? AND version = ?",
                              {r.Text(0), r.Int(1)}, r.Text(3)));
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto decisions,
      s.Query("SELECT d.request_id, d.round, d.seq, d.at FROM approval_decisions d JOIN "
              "approval_requests q ON q.id = d.request_id WHERE q.activation_id = ? ORDER BY "
              "d.request_id, d.round, d.seq",
              {activation_id}));
  for (const Row& r : decisions) {
    TUTTI_RETURN_IF_ERROR(
        add("decision", r.Text(0) + ":" + r.Text(1) + ":" + r.Text(2), r.Text(3),
            "DELETE FROM approval_decisions WHERE request_id = ? AND round = ? AND seq = ?",
            {r.Text(0), r.Int(1), r.Int(2)}, ""));
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto comments,
      s.Query("SELECT r.request_id, r.round, r.started_at FROM approval_rounds r JOIN "
              "approval_requests q ON q.id = r.request_id WHERE q.activation_id = ? AND "
              "r.comment <> '' ORDER BY r.request_id, r.round",
              {activation_id}));
  for (const Row& r : comments) {
    // The round itself is structure the request's history needs; its words are what go.
    TUTTI_RETURN_IF_ERROR(
        add("comment", r.Text(0) + ":" + r.Text(1), r.Text(2),
            "UPDATE approval_rounds SET comment = '' WHERE request_id = ? AND round = ?",
            {r.Text(0), r.Int(1)}, ""));
  }
  TUTTI_ASSIGN_OR_RETURN(auto gates, s.Query("SELECT id, decided_at FROM gate_decisions WHERE "
                                             "activation_id = ? ORDER BY seq",
                                             {activation_id}));
  for (const Row& r : gates) {
    TUTTI_RETURN_IF_ERROR(add("gate_decision", r.Text(0), r.Text(1),
                              "DELETE FROM gate_decisions WHERE id = ?", {r.Text(0)}, ""));
  }
  // Publishing (migration 9): a post's content versions and the record of it going live.
  TUTTI_ASSIGN_OR_RETURN(auto posts,
                         s.Query("SELECT post_id, version, created_at FROM post_contents WHERE "
                                 "activation_id = ? ORDER BY post_id, version",
                                 {activation_id}));
  for (const Row& r : posts) {
    TUTTI_RETURN_IF_ERROR(add("post", "content:" + r.Text(0) + ":" + r.Text(1), r.Text(2),
                              "DELETE FROM post_contents WHERE activation_id = ? AND post_id = ? "
                              "AND version = ?",
                              {activation_id, r.Text(0), r.Int(1)}, ""));
  }
  TUTTI_ASSIGN_OR_RETURN(auto publications,
                         s.Query("SELECT id, recorded_at FROM post_publications WHERE "
                                 "activation_id = ? ORDER BY recorded_at, id",
                                 {activation_id}));
  for (const Row& r : publications) {
    TUTTI_RETURN_IF_ERROR(add("post", "publication:" + r.Text(0), r.Text(1),
                              "DELETE FROM post_publications WHERE id = ?", {r.Text(0)}, ""));
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto breaches,
      s.Query("SELECT request_id, round, step, level, recorded_at FROM approval_breaches WHERE "
              "activation_id = ? ORDER BY request_id, round, step, level",
              {activation_id}));
  for (const Row& r : breaches) {
    TUTTI_RETURN_IF_ERROR(add(
        "escalation", r.Text(0) + ":" + r.Text(1) + ":" + r.Text(2) + ":" + r.Text(3), r.Text(4),
        "DELETE FROM approval_breaches WHERE request_id = ? AND round = ? "
        "AND step = ? AND level = ?",
        {r.Text(0), r.Int(1), r.Text(2), r.Int(3)}, ""));
  }
  return OkStatus();
}

Json CountsJson(const std::map<std::string, RetentionCounts>& by_kind) {
  Json deleted = Json::object();
  Json held = Json::object();
  Json kept = Json::object();
  for (const auto& [kind, c] : by_kind) {
    deleted[kind] = c.remove;
    held[kind] = c.hold;
    kept[kind] = c.keep;
  }
  return Json{{"deleted", deleted}, {"held", held}, {"kept", kept}};
}

}  // namespace

Result<CrisisTemplateRecord> Store::CreateCrisisTemplate(const std::string& activation_id,
                                                         const CrisisTemplateContent& content,
                                                         const Actor& actor,
                                                         const Authorize& authorize) {
  CrisisTemplateRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    const std::string now = Now();
    const std::string id = NewId("ctp");
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO crisis_templates (id, activation_id, latest_version, created_by, "
                  "created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)",
                  {id, activation_id, actor.id, now, now})
            .status());
    const CrisisTemplateVersionRecord v = NewVersion(content, 1, actor, now);
    TUTTI_RETURN_IF_ERROR(InsertTemplateVersion(s, id, v));
    TUTTI_ASSIGN_OR_RETURN(out, LoadTemplate(s, activation_id, id));
    AuditEntry e = Entry(actor, "crisis_template", id, "created");
    e.activation_id = activation_id;
    e.after = TemplateVersionJson(v).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<CrisisTemplateRecord> Store::ReviseCrisisTemplate(const std::string& activation_id,
                                                         const std::string& template_id,
                                                         const CrisisTemplateContent& content,
                                                         std::optional<int64_t> expected_version,
                                                         const Actor& actor,
                                                         const Authorize& authorize) {
  CrisisTemplateRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(CrisisTemplateRecord before,
                           LoadTemplate(s, activation_id, template_id));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    if (expected_version && *expected_version != before.latest_version) {
      return Conflict("crisis template " + template_id + " is at version " +
                          std::to_string(before.latest_version) + ", you sent " +
                          std::to_string(*expected_version) + "; reload and retry",
                      "version");
    }
    const std::string now = Now();
    const CrisisTemplateVersionRecord v =
        NewVersion(content, before.latest_version + 1, actor, now);
    TUTTI_RETURN_IF_ERROR(InsertTemplateVersion(s, template_id, v));
    TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE crisis_templates SET latest_version = ?, updated_at = "
                                    "? WHERE id = ?",
                                    {v.version, now, template_id})
                              .status());
    TUTTI_ASSIGN_OR_RETURN(out, LoadTemplate(s, activation_id, template_id));
    AuditEntry e = Entry(actor, "crisis_template", template_id, "revised");
    e.activation_id = activation_id;
    Json before_json = TemplateVersionJson(before.Latest());
    before_json["pre_approved"] = before.PreApproved();
    e.before = before_json.dump();
    e.after = TemplateVersionJson(v).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<CrisisTemplateRecord> Store::ApproveCrisisTemplate(const std::string& activation_id,
                                                          const std::string& template_id,
                                                          std::optional<int64_t> version,
                                                          const Actor& actor,
                                                          const Authorize& authorize) {
  CrisisTemplateRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(out, LoadTemplate(s, activation_id, template_id));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    if (version && *version != out.latest_version) {
      return Conflict("crisis template " + template_id + " is at version " +
                          std::to_string(out.latest_version) + ", not " + std::to_string(*version) +
                          "; read the latest version and approve it",
                      "version");
    }
    if (out.PreApproved()) return OkStatus();
    const std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE crisis_template_versions SET approved_by = ?, approved_at = ? WHERE "
                  "template_id = ? AND version = ?",
                  {actor.id, now, template_id, out.latest_version})
            .status());
    TUTTI_ASSIGN_OR_RETURN(out, LoadTemplate(s, activation_id, template_id));
    AuditEntry e = Entry(actor, "crisis_template", template_id, "approved");
    e.activation_id = activation_id;
    e.after = Json{{"version", out.latest_version}, {"approved_by", actor.id}, {"approved_at", now}}
                  .dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<CrisisTemplateRecord> Store::GetCrisisTemplate(const std::string& activation_id,
                                                      const std::string& template_id) {
  Result<CrisisTemplateRecord> out = NotFound("crisis template not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = LoadTemplate(s, activation_id, template_id);
    return out.status();
  }));
  return out;
}

Result<std::vector<CrisisTemplateRecord>> Store::ListCrisisTemplates(
    const std::string& activation_id) {
  std::vector<CrisisTemplateRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(LoadActivation(s, activation_id, false).status());
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT id FROM crisis_templates WHERE "
                                              "activation_id = ? ORDER BY created_at, id",
                                              {activation_id}));
    for (const Row& r : rows) {
      TUTTI_ASSIGN_OR_RETURN(CrisisTemplateRecord t, LoadTemplate(s, activation_id, r.Text(0)));
      out.push_back(std::move(t));
    }
    return OkStatus();
  }));
  return out;
}

Result<IncidentRosterRecord> Store::GetIncidentRoster(const std::string& activation_id) {
  return detail::ReadInActivation(db_, activation_id,
                                  [&](SqlSession& s) { return LoadRoster(s, activation_id); });
}

Result<IncidentRosterRecord> Store::PutIncidentRoster(
    const std::string& activation_id, const std::vector<IncidentRosterEntry>& entries,
    std::optional<int64_t> expected_version, const Actor& actor, const Authorize& authorize) {
  IncidentRosterRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(IncidentRosterRecord before, LoadRoster(s, activation_id));
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, before.version, "the incident roster was"));
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string at = JoinPath("entries", i);
      TUTTI_RETURN_IF_ERROR(CheckRosterMember(s, a, entries[i].user_id, JoinPath(at, "user_id")));
      if (!entries[i].backup_user_id.empty()) {
        TUTTI_RETURN_IF_ERROR(
            CheckRosterMember(s, a, entries[i].backup_user_id, JoinPath(at, "backup_user_id")));
      }
    }
    out.activation_id = activation_id;
    out.entries = entries;
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const IncidentRosterEntry& x, const IncidentRosterEntry& y) {
                       return std::tie(x.order, x.duty) < std::tie(y.order, y.duty);
                     });
    out.version = before.version + 1;
    out.updated_by = actor.id;
    out.updated_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO incident_rosters (activation_id, entries, version, updated_by, "
                  "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (activation_id) DO UPDATE SET "
                  "entries = excluded.entries, version = excluded.version, updated_by = "
                  "excluded.updated_by, updated_at = excluded.updated_at",
                  {activation_id, RosterEntriesJson(out.entries).dump(), out.version,
                   out.updated_by, out.updated_at})
            .status());
    AuditEntry e =
        Entry(actor, "incident_roster", activation_id, before.version == 0 ? "created" : "updated");
    e.activation_id = activation_id;
    if (before.version != 0) e.before = RosterEntriesJson(before.entries).dump();
    e.after = RosterEntriesJson(out.entries).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<RetentionPolicyRecord> Store::GetRetentionPolicy(const std::string& activation_id) {
  return detail::ReadInActivation(db_, activation_id,
                                  [&](SqlSession& s) { return LoadPolicy(s, activation_id); });
}

Result<RetentionPolicyRecord> Store::PutRetentionPolicy(const std::string& activation_id,
                                                        const Json& document,
                                                        std::optional<int64_t> expected_version,
                                                        const Actor& actor,
                                                        const Authorize& authorize) {
  RetentionPolicyRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(governance::RetentionPolicy policy,
                           governance::ParseRetentionPolicy(document));
    TUTTI_ASSIGN_OR_RETURN(RetentionPolicyRecord before, LoadPolicy(s, activation_id));
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, before.version, "the retention policy was"));
    // Stored in full (defaults filled in), so that what is kept never depends on a later default.
    Json by_kind = Json::object();
    for (const auto& [kind, months] : policy.months_by_kind) by_kind[kind] = months;
    out.activation_id = activation_id;
    out.document = Json{{"default_months", policy.default_months}, {"by_kind", by_kind}};
    out.version = before.version + 1;
    out.updated_by = actor.id;
    out.updated_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO retention_policies (activation_id, document, version, updated_by, "
                  "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (activation_id) DO UPDATE SET "
                  "document = excluded.document, version = excluded.version, updated_by = "
                  "excluded.updated_by, updated_at = excluded.updated_at",
                  {activation_id, out.document.dump(), out.version, out.updated_by, out.updated_at})
            .status());
    AuditEntry e = Entry(actor, "retention_policy", activation_id,
                         before.version == 0 ? "created" : "updated");
    e.activation_id = activation_id;
    e.before = before.document.dump();
    e.after = out.document.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<LegalHoldRecord> Store::PlaceLegalHold(const std::string& activation_id,
                                              const std::string& reason, const Actor& actor,
                                              const Authorize& authorize) {
  LegalHoldRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    out.id = NewId("hold");
    out.activation_id = activation_id;
    out.reason = reason;
    out.placed_by = actor.id;
    out.placed_at = Now();
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO legal_holds (id, activation_id, reason, "
                                    "placed_by, placed_at) VALUES (?, ?, ?, ?, ?)",
                                    {out.id, activation_id, reason, actor.id, out.placed_at})
                              .status());
    AuditEntry e = Entry(actor, "legal_hold", out.id, "placed");
    e.activation_id = activation_id;
    e.visible_org_id = a.host_org_id;
    e.after = HoldJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<LegalHoldRecord> Store::ReleaseLegalHold(const std::string& activation_id,
                                                const std::string& hold_id,
                                                const std::string& reason, const Actor& actor,
                                                const Authorize& authorize) {
  LegalHoldRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(
        auto rows, s.Query(std::string(kHoldColumns) + " WHERE id = ? AND activation_id = ?",
                           {hold_id, activation_id}));
    if (rows.empty()) return NotFound("legal hold " + hold_id + " not found", "hold_id");
    TUTTI_RETURN_IF_ERROR(authorize(a));
    const LegalHoldRecord before = HoldFromRow(rows[0]);
    if (!before.active()) {
      return Status(StatusCode::kFailedPrecondition,
                    "legal hold " + hold_id + " was released at " + before.released_at + " by " +
                        before.released_by + "; place a new hold instead",
                    "hold_id", "already_released");
    }
    out = before;
    out.released_by = actor.id;
    out.released_at = Now();
    out.release_reason = reason;
    TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE legal_holds SET released_by = ?, released_at = ?, "
                                    "release_reason = ? WHERE id = ?",
                                    {out.released_by, out.released_at, reason, hold_id})
                              .status());
    AuditEntry e = Entry(actor, "legal_hold", hold_id, "released");
    e.activation_id = activation_id;
    e.visible_org_id = a.host_org_id;
    e.before = HoldJson(before).dump();
    e.after = HoldJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<std::vector<LegalHoldRecord>> Store::ListLegalHolds(const std::string& activation_id) {
  std::vector<LegalHoldRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(LoadActivation(s, activation_id, false).status());
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string(kHoldColumns) +
                                                  " WHERE activation_id = ? ORDER BY placed_at, id",
                                              {activation_id}));
    for (const Row& r : rows) out.push_back(HoldFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<RetentionSweepRecord> Store::SweepRetention(const std::string& activation_id, bool dry_run,
                                                   const Actor& actor) {
  RetentionSweepRecord out;
  out.activation_id = activation_id;
  out.dry_run = dry_run;
  const TransactionMode mode = dry_run ? TransactionMode::kRead : TransactionMode::kWrite;
  TUTTI_RETURN_IF_ERROR(db_.Transact(mode, [&](SqlSession& s) -> Status {
    out.by_kind.clear();
    out.unreferenced_blobs.clear();
    // The row lock orders the sweep after a hold placed concurrently (PostgreSQL).
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, !dry_run));
    TUTTI_ASSIGN_OR_RETURN(RetentionPolicyRecord stored, LoadPolicy(s, activation_id));
    TUTTI_ASSIGN_OR_RETURN(governance::RetentionPolicy policy,
                           governance::ParseRetentionPolicy(stored.document));
    TUTTI_ASSIGN_OR_RETURN(auto holds, s.Query("SELECT COUNT(*) FROM legal_holds WHERE "
                                               "activation_id = ? AND released_at IS NULL",
                                               {activation_id}));
    out.on_legal_hold = holds.at(0).Int(0) > 0;
    std::vector<Retained> retained;
    TUTTI_RETURN_IF_ERROR(CollectItems(s, activation_id, out.on_legal_hold, retained));
    std::vector<governance::RetainedItem> items;
    items.reserve(retained.size());
    for (const Retained& r : retained) items.push_back(r.item);
    TUTTI_ASSIGN_OR_RETURN(std::vector<governance::RetentionVerdict> verdicts,
                           governance::ApplyRetention(items, policy, clock_.Now()));
    for (std::string_view kind : governance::kRetainedKindNames) {
      out.by_kind[std::string(kind)];
    }
    std::set<std::string> released_blobs;
    int64_t deleted = 0;
    for (size_t i = 0; i < retained.size(); ++i) {
      RetentionCounts& counts = out.by_kind[retained[i].item.kind];
      switch (verdicts[i].action) {
        case governance::RetentionAction::kKeep:
          ++counts.keep;
          break;
        case governance::RetentionAction::kHold:
          ++counts.hold;
          break;
        case governance::RetentionAction::kDelete:
          ++counts.remove;
          if (dry_run) break;
          TUTTI_RETURN_IF_ERROR(s.Execute(retained[i].sql, retained[i].key).status());
          ++deleted;
          if (!retained[i].blob.empty()) released_blobs.insert(retained[i].blob);
          break;
      }
    }
    for (const std::string& digest : released_blobs) {
      TUTTI_ASSIGN_OR_RETURN(
          auto refs, s.Query("SELECT COUNT(*) FROM asset_versions WHERE sha256 = ?", {digest}));
      if (refs.at(0).Int(0) == 0) out.unreferenced_blobs.push_back(digest);
    }
    if (deleted == 0) return OkStatus();
    AuditEntry e = Entry(actor, "retention", activation_id, "swept");
    e.activation_id = activation_id;
    Json after = CountsJson(out.by_kind);
    after["policy_version"] = stored.version;
    after["files_released"] = static_cast<int64_t>(out.unreferenced_blobs.size());
    e.after = after.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<std::vector<std::string>> Store::ListActivationIds() {
  std::vector<std::string> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows,
                           s.Query("SELECT id FROM activations ORDER BY created_at, id"));
    for (const Row& r : rows) out.push_back(r.Text(0));
    return OkStatus();
  }));
  return out;
}

Result<Json> Store::ListPublishingArchive(const std::string& activation_id) {
  Json posts = Json::array();
  Json publications = Json::array();
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        auto rows, s.Query("SELECT post_id, version, org_id, content, links, disclosure, "
                           "taxonomy_version, created_by, created_at FROM post_contents WHERE "
                           "activation_id = ? ORDER BY post_id, version",
                           {activation_id}));
    for (const Row& r : rows) {
      posts.push_back(Json{{"post_id", r.Text(0)},
                           {"version", r.Int(1)},
                           {"org_id", r.Text(2)},
                           {"content", ParseStored(r.Text(3))},
                           {"links", ParseStored(r.Text(4))},
                           {"disclosure", ParseStored(r.Text(5))},
                           {"taxonomy_version", r.Int(6)},
                           {"created_by", r.Text(7)},
                           {"created_at", r.Text(8)}});
    }
    TUTTI_ASSIGN_OR_RETURN(
        auto live, s.Query("SELECT id, post_id, org_id, platform, live_url, published_at, "
                           "content_version, approval_id, recorded_by, recorded_at FROM "
                           "post_publications WHERE activation_id = ? ORDER BY recorded_at, id",
                           {activation_id}));
    for (const Row& r : live) {
      publications.push_back(Json{{"id", r.Text(0)},
                                  {"post_id", r.Text(1)},
                                  {"org_id", r.Text(2)},
                                  {"platform", r.Text(3)},
                                  {"live_url", r.Text(4)},
                                  {"published_at", r.Text(5)},
                                  {"content_version", r.Int(6)},
                                  {"approval_id", r.Text(7)},
                                  {"recorded_by", r.Text(8)},
                                  {"recorded_at", r.Text(9)}});
    }
    return OkStatus();
  }));
  return Json{{"posts", posts}, {"publications", publications}};
}

Result<bool> Store::IsBlobReferenced(const std::string& sha256) {
  bool out = true;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        auto rows, s.Query("SELECT COUNT(*) FROM asset_versions WHERE sha256 = ?", {sha256}));
    out = rows.at(0).Int(0) > 0;
    return OkStatus();
  }));
  return out;
}

}  // namespace tutti::storage
