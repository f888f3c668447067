#include "tutti/service/activation_export.h"

#include <set>

#include "tutti/base/crypto.h"
#include "tutti/service/record_json.h"

namespace tutti::service {
namespace {

Result<Json> ActivationDocument(storage::Store& store, const storage::ActivationRecord& a) {
  Json members = Json::array();
  auto users_of = [&store](const std::string& org_id) -> Result<Json> {
    TUTTI_ASSIGN_OR_RETURN(auto users, store.ListUsers(org_id));
    Json out = Json::array();
    // Names and roles say who acted in the audit trail; e-mail addresses are left out (GDPR
    // data minimisation: the ids in the trail are enough to ask the host).
    for (const storage::UserRecord& u : users) {
      out.push_back(
          Json{{"id", u.id}, {"name", u.name}, {"role", u.role}, {"disabled", u.disabled}});
    }
    return out;
  };
  TUTTI_ASSIGN_OR_RETURN(Json host_users, users_of(a.host_org_id));
  members.push_back(Json{{"org_id", a.host_org_id},
                         {"org_name", a.host_org_name},
                         {"side", "host"},
                         {"users", host_users}});
  for (const storage::ParticipationRecord& p : a.participants) {
    TUTTI_ASSIGN_OR_RETURN(Json users, users_of(p.org_id));
    members.push_back(Json{{"org_id", p.org_id},
                           {"org_name", p.org_name},
                           {"side", "partner"},
                           {"role", p.role},
                           {"facilitator", p.facilitator},
                           {"contribution", p.contribution ? *p.contribution : Json(nullptr)},
                           {"notes", p.notes},
                           {"agreement", p.agreement ? *p.agreement : Json(nullptr)},
                           {"joined_at", p.created_at},
                           {"updated_at", p.updated_at},
                           {"users", users}});
  }
  TUTTI_ASSIGN_OR_RETURN(auto workstreams, store.ListWorkstreams(a.id));
  Json ws = Json::array();
  for (const storage::WorkstreamRecord& w : workstreams) {
    ws.push_back(Json{{"id", w.id},
                      {"kind", w.kind},
                      {"name", w.name},
                      {"primary_owner_id", w.primary_owner_id},
                      {"raci", w.raci},
                      {"created_at", w.created_at},
                      {"updated_at", w.updated_at}});
  }
  TUTTI_ASSIGN_OR_RETURN(storage::PlanDocuments plan, store.GetPlanDocuments(a.id));
  return Json{{"id", a.id},
              {"host_org_id", a.host_org_id},
              {"host_org_name", a.host_org_name},
              {"brief", a.document},
              {"version", a.version},
              {"playbook_id", a.playbook_id ? Json(*a.playbook_id) : Json(nullptr)},
              {"created_by", a.created_by},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"members", members},
              {"workstreams", ws},
              {"plan", Json{{"plan", plan.plan ? *plan.plan : Json(nullptr)},
                            {"content_calendar",
                             plan.content_calendar ? *plan.content_calendar : Json(nullptr)},
                            {"version", plan.version}}}};
}

Json AssetsDocument(const std::vector<storage::AssetRecord>& assets,
                    const storage::AssetSettingsRecord& settings) {
  Json items = Json::array();
  for (const storage::AssetRecord& a : assets) {
    Json versions = Json::array();
    for (const storage::AssetVersionRecord& v : a.versions) {
      Json version = AssetVersionJson(v);
      version["file"] = "files/" + v.sha256;
      versions.push_back(std::move(version));
    }
    Json variant = nullptr;
    if (a.variant) {
      variant = Json{{"master_version", a.variant->master_version},
                     {"translation", a.variant->translation},
                     {"review", a.variant->review},
                     {"stale", a.variant->stale},
                     {"updated_by", a.variant->updated_by},
                     {"updated_at", a.variant->updated_at}};
    }
    items.push_back(Json{{"id", a.id},
                         {"org_id", a.org_id},
                         {"org_name", a.org_name},
                         {"name_stem", a.name_stem},
                         {"kind", a.kind},
                         {"master_asset_id", OrNull(a.master_asset_id)},
                         {"locale", a.locale},
                         {"platform", a.platform},
                         {"tags", a.tags},
                         {"shared", a.shared},
                         {"latest_version", a.latest_version},
                         {"versions", versions},
                         {"variant", variant},
                         {"created_by", a.created_by},
                         {"created_at", a.created_at},
                         {"updated_at", a.updated_at}});
  }
  return Json{{"settings", Json{{"naming_template", settings.naming_template},
                                {"brand", settings.brand},
                                {"platform_specs", settings.platform_specs},
                                {"version", settings.version}}},
              {"assets", items}};
}

Json ApprovalsDocument(const std::vector<storage::ApprovalRecord>& approvals,
                       const std::vector<storage::ApprovalBreachRecord>& breaches) {
  Json items = Json::array();
  for (const storage::ApprovalRecord& r : approvals) {
    Json rounds = Json::array();
    for (const storage::ApprovalRoundRecord& round : r.rounds) {
      rounds.push_back(ApprovalRoundJson(round));
    }
    Json decisions = Json::array();
    for (const storage::ApprovalDecisionRecord& d : r.decisions) {
      decisions.push_back(ApprovalDecisionJson(d));
    }
    items.push_back(Json{{"id", r.id},
                         {"org_id", r.org_id},
                         {"org_name", r.org_name},
                         {"subject", Json{{"kind", r.subject_kind}, {"id", r.subject_id}}},
                         {"title", r.title},
                         {"workflow", r.workflow},
                         {"round", r.round},
                         {"state", r.state},
                         {"version", r.version},
                         {"created_by", r.created_by},
                         {"created_at", r.created_at},
                         {"updated_at", r.updated_at},
                         {"rounds", rounds},
                         {"decisions", decisions}});
  }
  Json sla = Json::array();
  for (const storage::ApprovalBreachRecord& b : breaches) {
    sla.push_back(Json{{"approval_id", b.approval_id},
                       {"org_id", b.org_id},
                       {"round", b.round},
                       {"step", b.step},
                       {"level", b.level},
                       {"due_at", b.due_at},
                       {"breached_at", b.breached_at},
                       {"recorded_at", b.recorded_at},
                       {"notified", b.notified}});
  }
  return Json{{"approvals", items}, {"breaches", sla}};
}

Json GatesDocument(const storage::GateBoardRecord& board) {
  Json criteria = Json::array();
  for (const storage::GateCriteriaRecord& c : board.criteria) {
    criteria.push_back(Json{{"phase", c.phase},
                            {"version", c.version},
                            {"document", c.document},
                            {"updated_by", c.updated_by},
                            {"updated_at", c.updated_at}});
  }
  Json checklist = Json::array();
  for (const storage::GateChecklistMark& m : board.checklist) {
    checklist.push_back(Json{{"phase", m.phase},
                             {"item_id", m.item_id},
                             {"checked", m.checked},
                             {"changed_by", m.changed_by},
                             {"changed_at", m.changed_at}});
  }
  Json sign_offs = Json::array();
  for (const storage::GateSignOffRecord& s : board.sign_offs) {
    sign_offs.push_back(Json{{"phase", s.phase},
                             {"user_id", s.user_id},
                             {"role", s.role},
                             {"party", s.party},
                             {"comment", s.comment},
                             {"signed_at", s.signed_at}});
  }
  Json decisions = Json::array();
  for (const storage::GateDecisionRecord& d : board.decisions) {
    decisions.push_back(Json{{"id", d.id},
                             {"seq", d.seq},
                             {"phase", d.phase},
                             {"verdict", d.verdict},
                             {"reason", d.reason},
                             {"overrides", d.overrides},
                             {"criteria_version", d.criteria_version},
                             {"evaluation", d.evaluation},
                             {"next_phase", OrNull(d.next_phase)},
                             {"decided_by", d.decided_by},
                             {"decided_at", d.decided_at}});
  }
  return Json{{"current_phase", board.current_phase},
              {"phase_since", OrNull(board.phase_since)},
              {"criteria", criteria},
              {"checklist", checklist},
              {"sign_offs", sign_offs},
              {"decisions", decisions}};
}

Json CrisisDocument(const std::vector<storage::CrisisTemplateRecord>& templates,
                    const storage::IncidentRosterRecord& roster) {
  Json items = Json::array();
  for (const storage::CrisisTemplateRecord& t : templates) {
    Json versions = Json::array();
    for (const storage::CrisisTemplateVersionRecord& v : t.versions) {
      versions.push_back(CrisisTemplateVersionJson(v));
    }
    items.push_back(Json{{"id", t.id},
                         {"latest_version", t.latest_version},
                         {"pre_approved", t.PreApproved()},
                         {"versions", versions}});
  }
  return Json{{"crisis_templates", items}, {"incident_roster", IncidentRosterJson(roster)}};
}

Json RetentionDocument(const storage::RetentionPolicyRecord& policy,
                       const std::vector<storage::LegalHoldRecord>& holds) {
  Json items = Json::array();
  for (const storage::LegalHoldRecord& h : holds) {
    items.push_back(Json{{"id", h.id},
                         {"reason", h.reason},
                         {"placed_by", h.placed_by},
                         {"placed_at", h.placed_at},
                         {"active", h.active()},
                         {"released_by", OrNull(h.released_by)},
                         {"released_at", OrNull(h.released_at)},
                         {"release_reason", OrNull(h.release_reason)}});
  }
  return Json{
      {"policy", policy.document}, {"policy_version", policy.version}, {"legal_holds", items}};
}

Json AuditEntryJson(const governance::AuditEntry& e) {
  auto state = [](const std::optional<std::string>& text) -> Json {
    if (!text) return nullptr;
    Json j = Json::parse(*text, nullptr, false);
    return j.is_discarded() ? Json(*text) : j;
  };
  return Json{{"seq", e.seq},
              {"at", e.at},
              {"actor_id", e.actor_id},
              {"actor_org_id", e.actor_org_id},
              {"entity_type", e.entity_type},
              {"entity_id", e.entity_id},
              {"action", e.action},
              {"visible_org_id", OrNull(e.visible_org_id)},
              {"before", state(e.before)},
              {"after", state(e.after)},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}};
}

}  // namespace

Result<ExportSummary> WriteActivationExport(storage::Store& store, const storage::BlobStore& blobs,
                                            const std::string& activation_id,
                                            const TarWriter::Sink& sink) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const Instant now = store.clock().Now();
  TarWriter tar(sink, duration_cast<seconds>(now.time_since_epoch()).count());
  ExportSummary summary;
  Json manifest_entries = Json::array();
  // `digest` when the caller computed it already (asset files are hashed once, to check them).
  auto add = [&](const std::string& name, std::string_view content,
                 std::string digest = {}) -> Status {
    TUTTI_RETURN_IF_ERROR(tar.Add(name, content));
    if (digest.empty()) digest = HexEncode(Sha256(content));
    manifest_entries.push_back(
        Json{{"name", name}, {"sha256", digest}, {"bytes", static_cast<int64_t>(content.size())}});
    ++summary.members;
    return OkStatus();
  };
  auto add_json = [&](const std::string& name, const Json& document) {
    return add(name, document.dump(2) + "\n");
  };

  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation, store.GetActivation(activation_id));
  TUTTI_ASSIGN_OR_RETURN(Json activation_doc, ActivationDocument(store, activation));
  TUTTI_RETURN_IF_ERROR(add_json("activation.json", activation_doc));

  TUTTI_ASSIGN_OR_RETURN(auto assets, store.ListAssets(activation_id, storage::AssetQuery{}));
  TUTTI_ASSIGN_OR_RETURN(auto settings, store.GetAssetSettings(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("assets.json", AssetsDocument(assets, settings)));

  TUTTI_ASSIGN_OR_RETURN(auto approvals, store.ListApprovals(activation_id));
  TUTTI_ASSIGN_OR_RETURN(auto breaches, store.ListApprovalBreaches(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("approvals.json", ApprovalsDocument(approvals, breaches)));

  TUTTI_ASSIGN_OR_RETURN(auto board, store.GetGateBoard(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("gates.json", GatesDocument(board)));

  TUTTI_ASSIGN_OR_RETURN(auto templates, store.ListCrisisTemplates(activation_id));
  TUTTI_ASSIGN_OR_RETURN(auto roster, store.GetIncidentRoster(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("crisis.json", CrisisDocument(templates, roster)));

  TUTTI_ASSIGN_OR_RETURN(auto policy, store.GetRetentionPolicy(activation_id));
  TUTTI_ASSIGN_OR_RETURN(auto holds, store.ListLegalHolds(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("retention.json", RetentionDocument(policy, holds)));

  TUTTI_ASSIGN_OR_RETURN(Json publishing, store.ListPublishingArchive(activation_id));
  TUTTI_RETURN_IF_ERROR(add_json("posts.json", Json{{"posts", publishing["posts"]}}));
  TUTTI_RETURN_IF_ERROR(
      add_json("publications.json", Json{{"publications", publishing["publications"]}}));

  Json entries = Json::array();
  int64_t last_seq = 0;
  while (true) {
    storage::AuditQuery query;
    query.activation_id = activation_id;
    query.after_seq = last_seq;
    query.limit = 1000;
    TUTTI_ASSIGN_OR_RETURN(auto page, store.ListAudit(query));
    for (const governance::AuditEntry& e : page) {
      entries.push_back(AuditEntryJson(e));
      last_seq = e.seq;
    }
    if (static_cast<int64_t>(page.size()) < query.limit) break;
  }
  TUTTI_RETURN_IF_ERROR(
      add_json("audit.json", Json{{"entries", entries},
                                  {"through_seq", last_seq},
                                  {"note",
                                   "entries about this activation only; the chain's hashes link "
                                   "to entries about other objects, verify the whole chain with "
                                   "`tutti audit verify`"}}));

  std::set<std::string> written;
  for (const storage::AssetRecord& a : assets) {
    for (const storage::AssetVersionRecord& v : a.versions) {
      if (!written.insert(v.sha256).second) continue;
      Result<storage::MappedBlob> file = blobs.Open(v.sha256);
      if (!file.ok()) {
        return Internal("the file of asset " + a.id + " version " + std::to_string(v.version) +
                        " (" + v.sha256 +
                        ") is missing from the blob store: " + file.status().message());
      }
      auto bytes = file->bytes();
      std::string_view content(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      std::string digest = HexEncode(Sha256(content));
      if (digest != v.sha256) {
        return Internal("the file " + v.sha256 + " of asset " + a.id +
                        " does not hash to its name: the blob store is corrupt");
      }
      TUTTI_RETURN_IF_ERROR(add("files/" + v.sha256, content, std::move(digest)));
      ++summary.files;
    }
  }

  Json manifest{{"format", kExportFormat},
                {"activation_id", activation_id},
                {"exported_at", FormatInstant(now)},
                {"audit_through_seq", last_seq},
                {"entries", manifest_entries}};
  TUTTI_RETURN_IF_ERROR(tar.Add("manifest.json", manifest.dump(2) + "\n"));
  ++summary.members;
  TUTTI_RETURN_IF_ERROR(tar.Finish());
  summary.bytes = tar.bytes_written();
  return summary;
}

}  // namespace tutti::service
