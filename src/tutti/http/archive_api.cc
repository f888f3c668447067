// The archive routes (docs/archive.md): crisis-response templates (immutable versions, each
// pre-approved on its own, so a revision voids the approval), the incident roster, the retention
// policy, legal holds, and the export of an activation as one ustar archive for audits. Decision
// rights are governance/access.h's (CanDraftCrisisTemplate … CanExportActivation); an
// activation the caller does not see is 404, a right the caller lacks 403, checked again inside
// each write transaction on the state it reads.
#include <string>
#include <vector>

#include "tutti/base/ids.h"
#include "tutti/governance/retention.h"
#include "tutti/http/api_support.h"
#include "tutti/service/activation_export.h"
#include "tutti/service/record_json.h"

namespace tutti::http {
namespace {

constexpr size_t kMaxTitleBytes = 200;
constexpr size_t kMaxSituationBytes = 100;
constexpr size_t kMaxTemplateBodyBytes = 20'000;
constexpr size_t kMaxChannels = 20;
constexpr size_t kMaxChannelBytes = 50;
constexpr size_t kMaxRosterEntries = 50;
constexpr size_t kMaxDutyBytes = 100;
constexpr size_t kMaxPhoneBytes = 32;
constexpr int64_t kMaxRosterOrder = 999;
constexpr size_t kMaxReasonBytes = 1000;
// An export is built in memory for an HTTP response; larger activations go through
// `tutti export`, which streams to a file.
constexpr uint64_t kMaxHttpExportBytes = uint64_t{512} << 20;

// The latest version's content at the top level, and what was last pre-approved (an older
// version stays readable with its approval after a revision voided it for the template).
Json TemplateJson(const storage::CrisisTemplateRecord& t, bool with_versions) {
  const storage::CrisisTemplateVersionRecord& latest = t.Latest();
  Json approved_version = nullptr;
  for (const storage::CrisisTemplateVersionRecord& v : t.versions) {
    if (!v.approved_at.empty()) approved_version = v.version;
  }
  Json out{{"id", t.id},
           {"activation_id", t.activation_id},
           {"version", t.latest_version},
           {"title", latest.title},
           {"situation", latest.situation},
           {"body", latest.body},
           {"channels", latest.channels},
           {"pre_approved", t.PreApproved()},
           {"approved_by", service::OrNull(latest.approved_by)},
           {"approved_at", service::OrNull(latest.approved_at)},
           {"last_approved_version", approved_version},
           {"created_by", t.created_by},
           {"created_at", t.created_at},
           {"updated_at", t.updated_at}};
  if (with_versions) {
    Json versions = Json::array();
    for (const storage::CrisisTemplateVersionRecord& v : t.versions)
      versions.push_back(service::CrisisTemplateVersionJson(v));
    out["versions"] = versions;
  }
  return out;
}

Result<storage::CrisisTemplateContent> ParseTemplate(const Json& body) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"title", "situation", "body", "channels"}));
  for (const char* field : {"title", "situation", "body"}) {
    if (!body.contains(field)) return InvalidArgument("is required", field, "required");
  }
  storage::CrisisTemplateContent c;
  TUTTI_ASSIGN_OR_RETURN(c.title, ReadString(body["title"], "title", 1, kMaxTitleBytes));
  TUTTI_ASSIGN_OR_RETURN(c.situation,
                         ReadString(body["situation"], "situation", 1, kMaxSituationBytes));
  TUTTI_ASSIGN_OR_RETURN(c.body, ReadString(body["body"], "body", 1, kMaxTemplateBodyBytes));
  if (body.contains("channels")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(body["channels"], "channels", kMaxChannels));
    for (size_t i = 0; i < body["channels"].size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(
          std::string channel,
          ReadString(body["channels"][i], JoinPath("channels", i), 1, kMaxChannelBytes));
      for (const std::string& seen : c.channels) {
        if (seen == channel) {
          return InvalidArgument("names " + channel + " twice", JoinPath("channels", i),
                                 "duplicate");
        }
      }
      c.channels.push_back(std::move(channel));
    }
  }
  return c;
}

Result<std::string> ReadOptionalUser(const Json& entry, const char* key, const std::string& path) {
  if (!entry.contains(key) || entry[key].is_null()) return std::string();
  return ReadString(entry[key], JoinPath(path, key), 1, 64);
}

Result<std::vector<storage::IncidentRosterEntry>> ParseRoster(const Json& body) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"entries"}));
  if (!body.contains("entries")) return InvalidArgument("is required", "entries", "required");
  TUTTI_RETURN_IF_ERROR(RequireArray(body["entries"], "entries", kMaxRosterEntries));
  std::vector<storage::IncidentRosterEntry> out;
  for (size_t i = 0; i < body["entries"].size(); ++i) {
    const Json& e = body["entries"][i];
    const std::string path = JoinPath("entries", i);
    TUTTI_RETURN_IF_ERROR(RequireObject(e, path));
    TUTTI_RETURN_IF_ERROR(
        RejectUnknownFields(e, {"duty", "user_id", "backup_user_id", "phone", "order"}, path));
    for (const char* field : {"duty", "user_id", "order"}) {
      if (!e.contains(field)) {
        return InvalidArgument("is required", JoinPath(path, field), "required");
      }
    }
    storage::IncidentRosterEntry entry;
    TUTTI_ASSIGN_OR_RETURN(entry.duty,
                           ReadString(e["duty"], JoinPath(path, "duty"), 1, kMaxDutyBytes));
    TUTTI_ASSIGN_OR_RETURN(entry.user_id,
                           ReadString(e["user_id"], JoinPath(path, "user_id"), 1, 64));
    TUTTI_ASSIGN_OR_RETURN(entry.backup_user_id, ReadOptionalUser(e, "backup_user_id", path));
    if (entry.backup_user_id == entry.user_id) {
      return InvalidArgument("is the entry's own user; a backup is someone else",
                             JoinPath(path, "backup_user_id"), "same_as_user");
    }
    if (e.contains("phone") && !e["phone"].is_null()) {
      TUTTI_ASSIGN_OR_RETURN(entry.phone,
                             ReadString(e["phone"], JoinPath(path, "phone"), 3, kMaxPhoneBytes));
      for (char c : entry.phone) {
        const bool ok = (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '-' || c == '(' ||
                        c == ')' || c == '.';
        if (!ok) {
          return InvalidArgument(
              "must be a phone number of digits, spaces and + - ( ) ., e.g. "
              "+44 20 7946 0000",
              JoinPath(path, "phone"), "invalid_phone");
        }
      }
    }
    TUTTI_ASSIGN_OR_RETURN(entry.order,
                           ReadInteger(e["order"], JoinPath(path, "order"), 0, kMaxRosterOrder));
    out.push_back(std::move(entry));
  }
  return out;
}

Json RosterJson(const storage::IncidentRosterRecord& r) {
  Json out = service::IncidentRosterJson(r);
  out["activation_id"] = r.activation_id;
  return out;
}

Json HoldJson(const storage::LegalHoldRecord& h) {
  return Json{{"id", h.id},
              {"activation_id", h.activation_id},
              {"reason", h.reason},
              {"active", h.active()},
              {"placed_by", h.placed_by},
              {"placed_at", h.placed_at},
              {"released_by", service::OrNull(h.released_by)},
              {"released_at", service::OrNull(h.released_at)},
              {"release_reason", service::OrNull(h.release_reason)}};
}

Result<Json> PolicyJson(storage::Store& store, const governance::Principal& caller,
                        const storage::ActivationRecord& a,
                        const storage::RetentionPolicyRecord& policy) {
  Json kinds = Json::array();
  for (std::string_view kind : governance::kRetainedKindNames) kinds.push_back(kind);
  Json out{{"activation_id", policy.activation_id},
           {"default_months",
            policy.document.value("default_months", governance::kMinimumRetentionMonths)},
           {"by_kind", policy.document.value("by_kind", Json::object())},
           {"minimum_months", governance::kMinimumRetentionMonths},
           {"kinds", kinds},
           {"version", policy.version},
           {"updated_by", service::OrNull(policy.updated_by)},
           {"updated_at", service::OrNull(policy.updated_at)}};
  // Whether a hold is in force is the host's to know (it may reveal pending litigation).
  if (governance::CanViewLegalHolds(caller, a.Access())) {
    TUTTI_ASSIGN_OR_RETURN(auto holds, store.ListLegalHolds(a.id));
    bool on_hold = false;
    for (const storage::LegalHoldRecord& h : holds) on_hold = on_hold || h.active();
    out["on_legal_hold"] = on_hold;
  }
  return out;
}

Result<std::string> ReadReason(const ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"reason"}));
  if (!body.contains("reason")) return InvalidArgument("is required", "reason", "required");
  return ReadString(body["reason"], "reason", 1, kMaxReasonBytes);
}

Status CheckTemplateId(const std::string& id) { return CheckId(id, "ctp", "crisis template"); }

Result<ApiResponse> CreateTemplate(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] = "crisis templates are drafted by whoever edits the brief";
  if (!governance::CanDraftCrisisTemplate(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_ASSIGN_OR_RETURN(storage::CrisisTemplateContent content, ParseTemplate(body));
  TUTTI_ASSIGN_OR_RETURN(
      storage::CrisisTemplateRecord t,
      store.CreateCrisisTemplate(a.id, content, ActorOf(r),
                                 Require(caller, &governance::CanDraftCrisisTemplate, kWhy)));
  ApiResponse out = Ok(TemplateJson(t, true), 201);
  out.headers.emplace_back("Location", "/api/v1/activations/" + a.id + "/crisis-templates/" + t.id);
  return out;
}

Result<ApiResponse> ReviseTemplate(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const std::string& id = r.PathParam("template_id");
  TUTTI_RETURN_IF_ERROR(CheckTemplateId(id));
  TUTTI_RETURN_IF_ERROR(store.GetCrisisTemplate(a.id, id).status());
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] = "crisis templates are revised by whoever edits the brief";
  if (!governance::CanDraftCrisisTemplate(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(r, body));
  TUTTI_ASSIGN_OR_RETURN(storage::CrisisTemplateContent content, ParseTemplate(body));
  TUTTI_ASSIGN_OR_RETURN(
      storage::CrisisTemplateRecord t,
      store.ReviseCrisisTemplate(a.id, id, content, expected, ActorOf(r),
                                 Require(caller, &governance::CanDraftCrisisTemplate, kWhy)));
  return Ok(TemplateJson(t, true));
}

Result<ApiResponse> ApproveTemplate(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const std::string& id = r.PathParam("template_id");
  TUTTI_RETURN_IF_ERROR(CheckTemplateId(id));
  TUTTI_RETURN_IF_ERROR(store.GetCrisisTemplate(a.id, id).status());
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] =
      "pre-approving a crisis template is for the host's owners and "
      "facilitators, in person";
  if (!governance::CanApproveCrisisTemplate(caller, a.Access())) return Forbidden(kWhy);
  std::optional<int64_t> version;
  if (!r.body.empty()) {
    TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"version"}));
    if (body.contains("version")) {
      TUTTI_ASSIGN_OR_RETURN(version, ReadInteger(body["version"], "version", 1, INT64_MAX));
    }
  }
  TUTTI_ASSIGN_OR_RETURN(
      storage::CrisisTemplateRecord t,
      store.ApproveCrisisTemplate(a.id, id, version, ActorOf(r),
                                  Require(caller, &governance::CanApproveCrisisTemplate, kWhy)));
  return Ok(TemplateJson(t, true));
}

Result<ApiResponse> PutRoster(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] = "the incident roster is kept by the host's owners and facilitators";
  if (!governance::CanEditIncidentRoster(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(r, body, 0));
  TUTTI_ASSIGN_OR_RETURN(auto entries, ParseRoster(body));
  TUTTI_ASSIGN_OR_RETURN(
      storage::IncidentRosterRecord roster,
      store.PutIncidentRoster(a.id, entries, expected, ActorOf(r),
                              Require(caller, &governance::CanEditIncidentRoster, kWhy)));
  return Ok(RosterJson(roster));
}

Result<ApiResponse> PutRetention(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] = "the retention policy is set by whoever edits the brief";
  if (!governance::CanEditRetentionPolicy(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(r, body, 0));
  TUTTI_RETURN_IF_ERROR(governance::ParseRetentionPolicy(body).status());
  TUTTI_ASSIGN_OR_RETURN(
      storage::RetentionPolicyRecord policy,
      store.PutRetentionPolicy(a.id, body, expected, ActorOf(r),
                               Require(caller, &governance::CanEditRetentionPolicy, kWhy)));
  TUTTI_ASSIGN_OR_RETURN(Json out, PolicyJson(store, caller, a, policy));
  return Ok(out);
}

Result<ApiResponse> ListHolds(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  if (!governance::CanViewLegalHolds(Caller(r), a.Access())) {
    return Forbidden("legal holds are for the host's people");
  }
  TUTTI_ASSIGN_OR_RETURN(auto holds, store.ListLegalHolds(a.id));
  Json items = Json::array();
  bool on_hold = false;
  for (const storage::LegalHoldRecord& h : holds) {
    items.push_back(HoldJson(h));
    on_hold = on_hold || h.active();
  }
  return Ok(Json{{"items", items}, {"on_legal_hold", on_hold}});
}

Result<ApiResponse> PlaceHold(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  constexpr char kWhy[] = "legal holds are placed and released by the host's owners, in person";
  if (!governance::CanPlaceLegalHold(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(std::string reason, ReadReason(r));
  TUTTI_ASSIGN_OR_RETURN(
      storage::LegalHoldRecord hold,
      store.PlaceLegalHold(a.id, reason, ActorOf(r),
                           Require(caller, &governance::CanPlaceLegalHold, kWhy)));
  ApiResponse out = Ok(HoldJson(hold), 201);
  out.headers.emplace_back("Location", "/api/v1/activations/" + a.id + "/legal-holds/" + hold.id);
  return out;
}

Result<ApiResponse> ReleaseHold(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  const std::string& id = r.PathParam("hold_id");
  TUTTI_RETURN_IF_ERROR(CheckId(id, "hold", "legal hold"));
  // Holds do not exist for those who may not see them.
  if (!governance::CanViewLegalHolds(caller, a.Access())) return NotVisible("legal hold");
  TUTTI_ASSIGN_OR_RETURN(auto holds, store.ListLegalHolds(a.id));
  bool found = false;
  for (const storage::LegalHoldRecord& h : holds) found = found || h.id == id;
  if (!found) return NotVisible("legal hold");
  constexpr char kWhy[] = "legal holds are placed and released by the host's owners, in person";
  if (!governance::CanPlaceLegalHold(caller, a.Access())) return Forbidden(kWhy);
  TUTTI_ASSIGN_OR_RETURN(std::string reason, ReadReason(r));
  TUTTI_ASSIGN_OR_RETURN(
      storage::LegalHoldRecord hold,
      store.ReleaseLegalHold(a.id, id, reason, ActorOf(r),
                             Require(caller, &governance::CanPlaceLegalHold, kWhy)));
  return Ok(HoldJson(hold));
}

Result<ApiResponse> Export(storage::Store& store, const storage::BlobStore& blobs, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
  if (!governance::CanExportActivation(Caller(r), a.Access())) {
    return Forbidden(
        "exporting an activation is for the host's owners and facilitators, in "
        "person: the archive holds every partner's agreement");
  }
  std::string archive;
  TarWriter::Sink sink = [&archive](std::string_view bytes) -> Status {
    if (archive.size() + bytes.size() > kMaxHttpExportBytes) {
      return Status(StatusCode::kFailedPrecondition,
                    "the export is larger than " + std::to_string(kMaxHttpExportBytes >> 20) +
                        " MiB; run `tutti export --activation ID --out FILE.tar` on the server",
                    "activation_id", "export_too_large");
    }
    archive.append(bytes);
    return OkStatus();
  };
  TUTTI_RETURN_IF_ERROR(service::WriteActivationExport(store, blobs, a.id, sink).status());
  ApiResponse out;
  out.status = 200;
  out.raw_body = std::move(archive);
  out.content_type = "application/x-tar";
  out.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + a.id + "-export.tar\"");
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

}  // namespace

std::vector<Route> ArchiveRoutes(storage::Store& store, const AssetLibraryConfig& config) {
  std::vector<Route> routes;
  auto blobs =
      std::make_shared<storage::BlobStore>(std::filesystem::path(config.data_dir) / "blobs");
  const std::string base = "/api/v1/activations/{activation_id}";

  routes.push_back(Route{"GET", base + "/crisis-templates", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
                           TUTTI_ASSIGN_OR_RETURN(auto templates, store.ListCrisisTemplates(a.id));
                           Json items = Json::array();
                           for (const auto& t : templates) items.push_back(TemplateJson(t, false));
                           return Ok(Json{{"items", items}});
                         }});
  routes.push_back(Route{"POST", base + "/crisis-templates", true,
                         [&store](ApiRequest& r) { return CreateTemplate(store, r); }});
  routes.push_back(Route{"GET", base + "/crisis-templates/{template_id}", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
                           const std::string& id = r.PathParam("template_id");
                           TUTTI_RETURN_IF_ERROR(CheckTemplateId(id));
                           TUTTI_ASSIGN_OR_RETURN(auto t, store.GetCrisisTemplate(a.id, id));
                           return Ok(TemplateJson(t, true));
                         }});
  routes.push_back(Route{"PUT", base + "/crisis-templates/{template_id}", true,
                         [&store](ApiRequest& r) { return ReviseTemplate(store, r); }});
  routes.push_back(Route{"POST", base + "/crisis-templates/{template_id}/approve", true,
                         [&store](ApiRequest& r) { return ApproveTemplate(store, r); }});

  routes.push_back(
      Route{"GET", base + "/incident-roster", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(auto roster, store.GetIncidentRoster(a.id));
              return Ok(RosterJson(roster));
            }});
  routes.push_back(Route{"PUT", base + "/incident-roster", true,
                         [&store](ApiRequest& r) { return PutRoster(store, r); }});

  routes.push_back(
      Route{"GET", base + "/retention", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(auto policy, store.GetRetentionPolicy(a.id));
              TUTTI_ASSIGN_OR_RETURN(Json out, PolicyJson(store, Caller(r), a, policy));
              return Ok(out);
            }});
  routes.push_back(Route{"PUT", base + "/retention", true,
                         [&store](ApiRequest& r) { return PutRetention(store, r); }});

  routes.push_back(Route{"GET", base + "/legal-holds", true,
                         [&store](ApiRequest& r) { return ListHolds(store, r); }});
  routes.push_back(Route{"POST", base + "/legal-holds", true,
                         [&store](ApiRequest& r) { return PlaceHold(store, r); }});
  routes.push_back(Route{"POST", base + "/legal-holds/{hold_id}/release", true,
                         [&store](ApiRequest& r) { return ReleaseHold(store, r); }});

  routes.push_back(Route{"GET", base + "/export", true,
                         [&store, blobs](ApiRequest& r) { return Export(store, *blobs, r); }});
  return routes;
}

}  // namespace tutti::http
