#include "tutti/http/api.h"

#include <charconv>

#include "tutti/base/ids.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"
#include "tutti/core/roles.h"
#include "tutti/core/workstream.h"
#include "tutti/governance/access.h"
#include "tutti/http/errors.h"
#include "tutti/scheduling/content_calendar.h"
#include "tutti/scheduling/plan.h"

namespace tutti::http {

std::string ApiRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

namespace {

using governance::Principal;
using storage::ActivationRecord;
using storage::Actor;
using storage::ParticipationRecord;
using storage::WorkstreamRecord;

constexpr size_t kMinPasswordLength = 12;   // ASVS 2.1.1
constexpr size_t kMaxPasswordLength = 128;  // ASVS 2.1.2

ApiResponse Ok(Json body, int status = 200) { return ApiResponse{status, std::move(body), {}}; }
ApiResponse NoContent() { return ApiResponse{204, nullptr, {}}; }

const Principal& Caller(const ApiRequest& r) { return r.auth->principal; }
Actor ActorOf(const ApiRequest& r) { return Actor{Caller(r).ActorId(), Caller(r).org_id}; }

Result<Json> Body(const ApiRequest& r) {
  if (r.body.empty())
    return Status(StatusCode::kMalformed, "request body is empty; send a JSON object", {},
                  "malformed_json");
  return ParseJsonObject(r.body);
}

// Deny by default: an object the caller may not see does not exist for them.
Status NotVisible(const std::string& what) { return NotFound(what + " not found"); }
Status Forbidden(const std::string& why) { return PermissionDenied(why); }

Status CheckId(const std::string& id, const char* prefix, const char* what) {
  if (!LooksLikeId(id, prefix)) return NotFound(std::string(what) + " not found");
  return OkStatus();
}

Json MoneyOrNull(const std::optional<Json>& money) { return money ? *money : Json(nullptr); }

Json ActivationJson(const ActivationRecord& a) {
  Json out = a.document;
  out["id"] = a.id;
  out["host_org_id"] = a.host_org_id;
  out["host_org_name"] = a.host_org_name;
  out["version"] = a.version;
  out["playbook_id"] = a.playbook_id ? Json(*a.playbook_id) : Json(nullptr);
  out["created_at"] = a.created_at;
  out["updated_at"] = a.updated_at;
  out["partner_count"] = a.participants.size();
  return out;
}

// Only the properties the caller may see (OWASP API3): private terms appear for the host and
// the partner itself, and are absent (not null) for everyone else.
Json ParticipationJson(const Principal& p, const ActivationRecord& a,
                       const ParticipationRecord& part) {
  Json out{{"org_id", part.org_id},
           {"org_name", part.org_name},
           {"role", part.role},
           {"facilitator", part.facilitator},
           {"joined_at", part.created_at}};
  if (governance::CanViewPartnerPrivate(p, a.Access(), part.org_id)) {
    out["contribution"] = MoneyOrNull(part.contribution);
    out["notes"] = part.notes;
    out["has_agreement"] = part.agreement.has_value();
  }
  return out;
}

Result<ActivationRecord> VisibleActivation(storage::Store& store, const ApiRequest& r) {
  const std::string& id = r.PathParam("activation_id");
  TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
  Result<ActivationRecord> a = store.GetActivation(id);
  if (!a.ok()) return a.status();
  if (!governance::CanViewActivation(Caller(r), a->Access())) return NotVisible("activation");
  return a;
}

// Inside a mutation's transaction: invisible → 404, visible but not allowed → 403.
storage::Authorize Require(const Principal& p,
                           bool (*rule)(const Principal&, const governance::ActivationAccess&),
                           std::string why) {
  return [&p, rule, why](const ActivationRecord& a) -> Status {
    if (!governance::CanViewActivation(p, a.Access())) return NotVisible("activation");
    if (!rule(p, a.Access())) return Forbidden(why);
    return OkStatus();
  };
}

// `min_version` is 0 for objects that may not exist yet (version 0: "none stored").
Result<std::optional<int64_t>> ExpectedVersion(const ApiRequest& r, Json& patch,
                                               int64_t min_version = 1) {
  std::optional<int64_t> version;
  if (patch.contains("version")) {
    TUTTI_ASSIGN_OR_RETURN(int64_t v,
                           ReadInteger(patch["version"], "version", min_version, INT64_MAX));
    version = v;
    patch.erase("version");
  }
  std::string if_match = r.headers.count("if-match") ? r.headers.at("if-match") : "";
  if (!if_match.empty()) {
    std::string digits = if_match;
    std::erase(digits, '"');
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || v < min_version) {
      return InvalidArgument("If-Match must be the activation's version number", "If-Match");
    }
    version = v;
  }
  return version;
}

Result<std::string> ValidPassword(const Json& body, const std::string& field) {
  if (!body.contains(field)) return InvalidArgument("is required", field, "required");
  // The same reader as log-in, so that every password accepted here can also log in.
  return ReadString(body[field], field, kMinPasswordLength, kMaxPasswordLength);
}

Result<std::string> ValidEmail(const Json& value, const std::string& field) {
  TUTTI_ASSIGN_OR_RETURN(std::string email, ReadString(value, field, 3, 254));
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at == email.size() - 1 ||
      email.find(' ') != std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return InvalidArgument("must be an email address like name@example.com", field,
                           "invalid_email");
  }
  return email;
}

// Names of users for display in workstreams; unknown ids render as their id.
Json WorkstreamJson(storage::Store& store, const WorkstreamRecord& w,
                    std::map<std::string, std::string>& names) {
  auto name_of = [&](const std::string& id) -> std::string {
    auto it = names.find(id);
    if (it != names.end()) return it->second;
    Result<storage::UserRecord> u = store.GetUser(id);
    return names[id] = u.ok() ? u->name : id;
  };
  Json raci = Json::array();
  for (const Json& entry : w.raci) {
    std::string user = entry.value("user_id", "");
    raci.push_back(Json{{"user_id", user},
                        {"user_name", name_of(user)},
                        {"responsibility", entry.value("responsibility", "")}});
  }
  return Json{{"id", w.id},
              {"activation_id", w.activation_id},
              {"kind", w.kind},
              {"name", w.name},
              {"primary_owner_id", w.primary_owner_id},
              {"primary_owner_name", name_of(w.primary_owner_id)},
              {"raci", std::move(raci)},
              {"created_at", w.created_at},
              {"updated_at", w.updated_at}};
}

Json AuditJson(const governance::AuditEntry& e, const std::string& actor_name) {
  auto state = [](const std::optional<std::string>& text) -> Json {
    if (!text) return nullptr;
    Json j = Json::parse(*text, nullptr, false);
    return j.is_discarded() ? Json(nullptr) : j;
  };
  return Json{{"seq", e.seq},
              {"at", e.at},
              {"actor_id", e.actor_id},
              {"actor_name", actor_name},
              {"actor_org_id", e.actor_org_id},
              {"entity_type", e.entity_type},
              {"entity_id", e.entity_id},
              {"action", e.action},
              {"activation_id", e.activation_id.empty() ? Json(nullptr) : Json(e.activation_id)},
              {"before", state(e.before)},
              {"after", state(e.after)},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}};
}

Json PlaybookJson(const storage::PlaybookRecord& pb) {
  return Json{{"id", pb.id},
              {"org_id", pb.org_id},
              {"name", pb.name},
              {"source_activation_id", pb.source_activation_id},
              {"template", pb.template_document},
              {"created_by", pb.created_by},
              {"created_at", pb.created_at}};
}

// The engine's verdict on a stored document that no longer computes (say the tz database moved
// a launch into a DST gap): the error envelope's inner object.
Json EngineError(const Status& status) { return ErrorEnvelope(status)["error"]; }

Result<scheduling::Schedule> ComputeStoredPlan(const Json& document, Instant now) {
  TUTTI_ASSIGN_OR_RETURN(scheduling::Plan plan, scheduling::ParsePlan(document));
  return scheduling::ComputeSchedule(plan, now);
}

// GET and PUT .../milestones: the stored plan and its schedule computed at `now`.
Json MilestonesJson(const storage::PlanDocuments& docs, Instant now) {
  Json out{{"plan", docs.plan ? *docs.plan : Json(nullptr)},
           {"version", docs.version},
           {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)},
           {"schedule", nullptr},
           {"computed_at", FormatInstantSeconds(now)}};
  if (!docs.plan) return out;
  Result<scheduling::Schedule> schedule = ComputeStoredPlan(*docs.plan, now);
  if (schedule.ok()) {
    out["schedule"] = scheduling::ScheduleToJson(*schedule);
  } else {
    out["error"] = EngineError(schedule.status());
  }
  return out;
}

Result<std::vector<scheduling::Finding>> CheckStoredCalendar(const Json& document) {
  TUTTI_ASSIGN_OR_RETURN(scheduling::ContentCalendar calendar,
                         scheduling::ParseContentCalendar(document));
  return scheduling::DetectConflicts(calendar);
}

// GET and PUT .../posts: the stored content calendar and its findings.
Json PostsJson(const storage::PlanDocuments& docs) {
  Json out{{"content_calendar", docs.content_calendar ? *docs.content_calendar : Json(nullptr)},
           {"version", docs.version},
           {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)},
           {"findings", scheduling::ConflictsToJson({})}};
  if (!docs.content_calendar) return out;
  Result<std::vector<scheduling::Finding>> findings = CheckStoredCalendar(*docs.content_calendar);
  if (findings.ok()) {
    out["findings"] = scheduling::ConflictsToJson(*findings);
  } else {
    out["findings"] = nullptr;
    out["error"] = EngineError(findings.status());
  }
  return out;
}

// GET .../windows: the part of the content calendar that constrains posts.
Json WindowsJson(const storage::PlanDocuments& docs) {
  const Json empty = Json::object();
  const Json& calendar =
      docs.content_calendar && docs.content_calendar->is_object() ? *docs.content_calendar : empty;
  return Json{{"release_windows", calendar.value("release_windows", Json::array())},
              {"peak_windows", calendar.value("peak_windows", Json::array())},
              {"blackouts", calendar.value("blackouts", Json::array())},
              {"rules", calendar.value("rules", Json::object())},
              {"version", docs.version},
              {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)}};
}

std::string SessionCookie(const std::string& token, int64_t max_age_seconds) {
  return std::string("tutti_session=") + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
}

}  // namespace

std::vector<Route> Api::Routes() {
  storage::Store& store = store_;
  AuthService& auth = auth_;
  std::vector<Route> routes;
  auto add = [&](std::string method, std::string path, bool requires_auth,
                 std::function<Result<ApiResponse>(ApiRequest&)> handler) {
    routes.push_back(Route{std::move(method), std::move(path), requires_auth, std::move(handler)});
  };

  add("GET", "/healthz", false, [&store](ApiRequest&) -> Result<ApiResponse> {
    TUTTI_RETURN_IF_ERROR(store.database().Transact(
        storage::TransactionMode::kRead,
        [](storage::SqlSession& s) { return s.Query("SELECT 1").status(); }));
    return Ok(Json{{"status", "ok"}, {"version", TUTTI_VERSION}});
  });

  // ---- authentication ----
  add("POST", "/api/v1/auth/login", false, [&auth](ApiRequest& r) -> Result<ApiResponse> {
    TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"email", "password"}));
    for (const char* key : {"email", "password"}) {
      if (!body.contains(key)) return InvalidArgument("is required", key, "required");
    }
    TUTTI_ASSIGN_OR_RETURN(std::string email, ReadString(body["email"], "email", 1, 254));
    TUTTI_ASSIGN_OR_RETURN(std::string password,
                           ReadString(body["password"], "password", 1, kMaxPasswordLength));
    TUTTI_ASSIGN_OR_RETURN(LoginResult login, auth.Login(email, password, r.remote_address));
    int64_t max_age =
        std::chrono::duration_cast<std::chrono::seconds>(auth.config().session_lifetime).count();
    ApiResponse out = Ok(Json{{"token", login.token},
                              {"csrf_token", login.csrf_token},
                              {"expires_at", login.expires_at},
                              {"user", login.user.ToJson()}});
    out.headers.emplace_back("Set-Cookie", SessionCookie(login.token, max_age));
    return out;
  });

  add("POST", "/api/v1/auth/logout", true, [&auth](ApiRequest& r) -> Result<ApiResponse> {
    TUTTI_RETURN_IF_ERROR(auth.Logout(*r.auth));
    ApiResponse out = NoContent();
    out.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
    return out;
  });

  add("GET", "/api/v1/me", true, [](ApiRequest& r) -> Result<ApiResponse> {
    const Principal& p = Caller(r);
    if (r.auth->user) {
      Json out = r.auth->user->ToJson();
      out["kind"] = "user";
      if (r.auth->source == CredentialSource::kCookie) out["csrf_token"] = r.auth->csrf_token;
      return Ok(out);
    }
    return Ok(Json{{"id", p.api_key_id},
                   {"kind", "api_key"},
                   {"name", p.display_name},
                   {"org_id", p.org_id},
                   {"org_kind", core::OrgKindName(p.org_kind)},
                   {"role", core::RoleName(p.role)},
                   {"scopes", *p.scopes}});
  });

  // ---- organisations, users, API keys ----
  add("GET", "/api/v1/orgs", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    TUTTI_ASSIGN_OR_RETURN(auto orgs, store.ListOrgs());
    Json items = Json::array();
    for (const auto& org : orgs) {
      if (governance::CanViewOrg(Caller(r), org.id)) items.push_back(org.ToJson());
    }
    return Ok(Json{{"items", items}});
  });

  add("POST", "/api/v1/orgs", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    if (!governance::CanCreateOrg(Caller(r)))
      return Forbidden("only the host's owners add organisations");
    TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"name", "kind"}));
    for (const char* key : {"name", "kind"}) {
      if (!body.contains(key)) return InvalidArgument("is required", key, "required");
    }
    TUTTI_ASSIGN_OR_RETURN(std::string name,
                           ReadString(body["name"], "name", 1, core::kMaxNameLength));
    TUTTI_ASSIGN_OR_RETURN(std::string kind, ReadEnum(body["kind"], "kind", core::kOrgKindNames));
    TUTTI_ASSIGN_OR_RETURN(auto org, store.CreateOrg(name, kind, ActorOf(r)));
    return Ok(org.ToJson(), 201);
  });

  add("GET", "/api/v1/orgs/{org_id}", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    const std::string& id = r.PathParam("org_id");
    TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
    if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
    TUTTI_ASSIGN_OR_RETURN(auto org, store.GetOrg(id));
    return Ok(org.ToJson());
  });

  add("GET", "/api/v1/orgs/{org_id}/users", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    const std::string& id = r.PathParam("org_id");
    TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
    if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
    if (!governance::CanListOrgMembers(Caller(r), id)) {
      return Forbidden("API keys cannot list people; use a user session");
    }
    TUTTI_ASSIGN_OR_RETURN(auto users, store.ListUsers(id));
    Json items = Json::array();
    for (const auto& u : users) items.push_back(u.ToJson());
    return Ok(Json{{"items", items}});
  });

  add("POST", "/api/v1/orgs/{org_id}/users", true,
      [&store, &auth](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
        if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
        if (!governance::CanManageOrgMembers(Caller(r), id)) {
          return Forbidden("only the organisation's owners and partner admins add users");
        }
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"email", "name", "role", "password"}));
        for (const char* key : {"email", "name", "role", "password"}) {
          if (!body.contains(key)) return InvalidArgument("is required", key, "required");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string email, ValidEmail(body["email"], "email"));
        TUTTI_ASSIGN_OR_RETURN(std::string name,
                               ReadString(body["name"], "name", 1, core::kMaxNameLength));
        TUTTI_ASSIGN_OR_RETURN(std::string role, ReadEnum(body["role"], "role", core::kRoleNames));
        TUTTI_ASSIGN_OR_RETURN(std::string password, ValidPassword(body, "password"));
        TUTTI_ASSIGN_OR_RETURN(std::string hash,
                               HashPassword(password, auth.config().password_params));
        TUTTI_ASSIGN_OR_RETURN(auto user,
                               store.CreateUser(id, email, name, role, hash, ActorOf(r)));
        return Ok(user.ToJson(), 201);
      });

  add("PATCH", "/api/v1/users/{user_id}", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    const std::string& id = r.PathParam("user_id");
    TUTTI_RETURN_IF_ERROR(CheckId(id, "usr", "user"));
    TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"name", "role", "disabled"}));
    Json patch = Json::object();
    if (body.contains("name")) {
      TUTTI_ASSIGN_OR_RETURN(patch["name"],
                             ReadString(body["name"], "name", 1, core::kMaxNameLength));
    }
    if (body.contains("role")) {
      TUTTI_ASSIGN_OR_RETURN(patch["role"], ReadEnum(body["role"], "role", core::kRoleNames));
    }
    if (body.contains("disabled")) {
      TUTTI_ASSIGN_OR_RETURN(patch["disabled"], ReadBool(body["disabled"], "disabled"));
    }
    const Principal& p = Caller(r);
    TUTTI_ASSIGN_OR_RETURN(
        auto user,
        store.UpdateUser(id, patch, ActorOf(r), [&](const storage::UserRecord& u) -> Status {
          if (!governance::CanViewOrg(p, u.org_id)) return NotVisible("user");
          if (!governance::CanManageOrgMembers(p, u.org_id)) {
            return Forbidden("only the organisation's owners and partner admins change users");
          }
          if (u.id == p.user_id && (patch.contains("role") || patch.contains("disabled"))) {
            return Forbidden("you cannot change your own role or disable yourself");
          }
          return OkStatus();
        }));
    return Ok(user.ToJson());
  });

  add("GET", "/api/v1/orgs/{org_id}/api-keys", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
        if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
        if (!governance::CanManageOrgMembers(Caller(r), id)) {
          return Forbidden("only the organisation's owners and partner admins manage API keys");
        }
        TUTTI_ASSIGN_OR_RETURN(auto keys, store.ListApiKeys(id));
        Json items = Json::array();
        for (const auto& k : keys) items.push_back(k.ToJson());
        return Ok(Json{{"items", items}});
      });

  add("POST", "/api/v1/orgs/{org_id}/api-keys", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
        if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
        if (!governance::CanManageOrgMembers(Caller(r), id)) {
          return Forbidden("only the organisation's owners and partner admins manage API keys");
        }
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"name", "scopes", "expires_at"}));
        for (const char* key : {"name", "scopes"}) {
          if (!body.contains(key)) return InvalidArgument("is required", key, "required");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string name,
                               ReadString(body["name"], "name", 1, core::kMaxNameLength));
        TUTTI_RETURN_IF_ERROR(
            RequireArray(body["scopes"], "scopes", core::kApiKeyScopeNames.size()));
        if (body["scopes"].empty())
          return InvalidArgument("must name at least one scope", "scopes", "too_short");
        std::vector<std::string> scopes;
        for (size_t i = 0; i < body["scopes"].size(); ++i) {
          TUTTI_ASSIGN_OR_RETURN(
              std::string scope,
              ReadEnum(body["scopes"][i], JoinPath("scopes", i), core::kApiKeyScopeNames));
          if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
            scopes.push_back(scope);
        }
        std::optional<Instant> expires;
        if (body.contains("expires_at") && !body["expires_at"].is_null()) {
          TUTTI_ASSIGN_OR_RETURN(std::string text,
                                 ReadString(body["expires_at"], "expires_at", 1, 40));
          Result<Instant> when = ParseInstant(text);
          if (!when.ok()) return std::move(Status(when.status())).WithField("expires_at");
          if (*when <= store.clock().Now()) {
            return InvalidArgument("must be in the future", "expires_at", "out_of_range");
          }
          expires = *when;
        }
        std::string token = NewSecretToken("tak_");
        TUTTI_ASSIGN_OR_RETURN(
            auto key, store.CreateApiKey(id, name, scopes, TokenDigest(token), token.substr(0, 10),
                                         expires, ActorOf(r)));
        Json out = key.ToJson();
        out["token"] = token;  // shown once; only its digest is stored
        return Ok(out, 201);
      });

  add("DELETE", "/api/v1/orgs/{org_id}/api-keys/{key_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "org", "organisation"));
        TUTTI_RETURN_IF_ERROR(CheckId(r.PathParam("key_id"), "key", "API key"));
        if (!governance::CanViewOrg(Caller(r), id)) return NotVisible("organisation");
        if (!governance::CanManageOrgMembers(Caller(r), id)) {
          return Forbidden("only the organisation's owners and partner admins manage API keys");
        }
        TUTTI_RETURN_IF_ERROR(store.RevokeApiKey(id, r.PathParam("key_id"), ActorOf(r)));
        return NoContent();
      });

  // ---- activations ----
  add("GET", "/api/v1/activations", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    if (!governance::HasScope(Caller(r), "activations:read")) {
      return Forbidden("this API key lacks the activations:read scope");
    }
    TUTTI_ASSIGN_OR_RETURN(auto list, store.ListActivationsVisibleTo(Caller(r).org_id));
    Json items = Json::array();
    for (const auto& a : list) {
      if (governance::CanViewActivation(Caller(r), a.Access())) items.push_back(ActivationJson(a));
    }
    return Ok(Json{{"items", items}});
  });

  add("POST", "/api/v1/activations", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    if (!governance::CanCreateActivation(Caller(r))) {
      return Forbidden("only the host's owners and facilitators create activations");
    }
    TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
    TUTTI_ASSIGN_OR_RETURN(Json patch, core::ValidateActivationPatch(body, /*creating=*/true));
    Json document = core::ApplyActivationPatch(core::EmptyActivationDocument(), patch);
    TUTTI_ASSIGN_OR_RETURN(
        auto a, store.CreateActivation(Caller(r).org_id, document, std::nullopt, ActorOf(r)));
    return Ok(ActivationJson(a), 201);
  });

  add("GET", "/api/v1/activations/{activation_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        return Ok(ActivationJson(a));
      });

  add("PATCH", "/api/v1/activations/{activation_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body));
        TUTTI_ASSIGN_OR_RETURN(Json patch, core::ValidateActivationPatch(body, false));
        TUTTI_ASSIGN_OR_RETURN(
            auto a, store.UpdateActivation(id, patch, version, ActorOf(r),
                                           Require(Caller(r), &governance::CanEditBrief,
                                                   "only the host's owners and facilitators (or "
                                                   "the facilitating partner) edit the brief")));
        return Ok(ActivationJson(a));
      });

  // ---- partners and agreements ----
  add("GET", "/api/v1/activations/{activation_id}/partners", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        Json items = Json::array();
        for (const auto& part : a.participants)
          items.push_back(ParticipationJson(Caller(r), a, part));
        return Ok(Json{{"items", items}});
      });

  add("POST", "/api/v1/activations/{activation_id}/partners", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"org_id", "role", "agreement"}));
        for (const char* key : {"org_id", "role"}) {
          if (!body.contains(key)) return InvalidArgument("is required", key, "required");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string org_id, ReadString(body["org_id"], "org_id", 1, 64));
        if (!LooksLikeId(org_id, "org"))
          return InvalidArgument("must be an organisation id", "org_id", "invalid_id");
        TUTTI_ASSIGN_OR_RETURN(std::string role,
                               ReadEnum(body["role"], "role", core::kPartnerRoleNames));
        std::optional<Json> agreement;
        if (body.contains("agreement")) {
          Result<Json> valid = core::ValidateAgreement(body["agreement"]);
          if (!valid.ok()) {
            Status s = valid.status();
            return std::move(s).WithField(JoinPath("agreement", s.field()));
          }
          agreement = *valid;
        }
        TUTTI_ASSIGN_OR_RETURN(
            auto part,
            store.AddParticipant(id, org_id, role, agreement, ActorOf(r),
                                 Require(Caller(r), &governance::CanManagePartners,
                                         "only the host's owners and facilitators add partners")));
        TUTTI_ASSIGN_OR_RETURN(auto a, store.GetActivation(id));
        return Ok(ParticipationJson(Caller(r), a, part), 201);
      });

  add("PATCH", "/api/v1/activations/{activation_id}/partners/{org_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        const std::string org_id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_RETURN_IF_ERROR(CheckId(org_id, "org", "partner"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(
            RejectUnknownFields(body, {"role", "facilitator", "contribution", "notes"}));
        Json patch = Json::object();
        if (body.contains("role")) {
          TUTTI_ASSIGN_OR_RETURN(patch["role"],
                                 ReadEnum(body["role"], "role", core::kPartnerRoleNames));
        }
        if (body.contains("facilitator")) {
          TUTTI_ASSIGN_OR_RETURN(patch["facilitator"],
                                 ReadBool(body["facilitator"], "facilitator"));
        }
        if (body.contains("contribution")) {
          if (body["contribution"].is_null()) {
            patch["contribution"] = nullptr;
          } else {
            TUTTI_ASSIGN_OR_RETURN(patch["contribution"],
                                   core::ValidateMoney(body["contribution"], "contribution"));
          }
        }
        if (body.contains("notes")) {
          TUTTI_ASSIGN_OR_RETURN(patch["notes"],
                                 ReadString(body["notes"], "notes", 0, core::kMaxTextLength));
        }
        const Principal& p = Caller(r);
        bool structural = patch.contains("role") || patch.contains("facilitator");
        TUTTI_ASSIGN_OR_RETURN(
            auto part,
            store.UpdateParticipant(
                id, org_id, patch, ActorOf(r), [&](const ActivationRecord& a) -> Status {
                  if (!governance::CanViewActivation(p, a.Access()))
                    return NotVisible("activation");
                  if (!governance::CanViewPartnerPrivate(p, a.Access(), org_id))
                    return NotVisible("partner");
                  if (structural && !governance::CanManagePartners(p, a.Access())) {
                    return Forbidden(
                        "only the host's owners and facilitators change partner roles");
                  }
                  if (!governance::CanEditPartnerPrivate(p, a.Access(), org_id)) {
                    return Forbidden("only the host and this partner's admins change its terms");
                  }
                  return OkStatus();
                }));
        TUTTI_ASSIGN_OR_RETURN(auto a, store.GetActivation(id));
        return Ok(ParticipationJson(p, a, part));
      });

  add("GET", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        const std::string org_id = r.PathParam("org_id");
        const ParticipationRecord* part = a.FindParticipant(org_id);
        if (part == nullptr || !governance::CanViewPartnerPrivate(Caller(r), a.Access(), org_id)) {
          return NotVisible("agreement");
        }
        if (!part->agreement)
          return NotFound("no agreement has been recorded for this partner yet");
        Json out = *part->agreement;
        out["activation_id"] = a.id;
        out["org_id"] = org_id;
        return Ok(out);
      });

  add("PUT", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        const std::string org_id = r.PathParam("org_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_RETURN_IF_ERROR(CheckId(org_id, "org", "partner"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(Json agreement, core::ValidateAgreement(body));
        const Principal& p = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto part,
            store.PutAgreement(
                id, org_id, agreement, ActorOf(r), [&](const ActivationRecord& a) -> Status {
                  if (!governance::CanViewActivation(p, a.Access()))
                    return NotVisible("activation");
                  if (!governance::CanViewPartnerPrivate(p, a.Access(), org_id))
                    return NotVisible("agreement");
                  if (!governance::CanEditPartnerPrivate(p, a.Access(), org_id)) {
                    return Forbidden(
                        "only the host and this partner's admins change its agreement");
                  }
                  return OkStatus();
                }));
        Json out = *part.agreement;
        out["activation_id"] = id;
        out["org_id"] = org_id;
        return Ok(out);
      });

  // ---- workstreams ----
  add("GET", "/api/v1/activations/{activation_id}/workstreams", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto list, store.ListWorkstreams(a.id));
        std::map<std::string, std::string> names;
        Json items = Json::array();
        for (const auto& w : list) items.push_back(WorkstreamJson(store, w, names));
        return Ok(Json{{"items", items}});
      });

  add("POST", "/api/v1/activations/{activation_id}/workstreams", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(Json fields, core::ValidateWorkstreamPatch(body, true, ""));
        TUTTI_ASSIGN_OR_RETURN(
            auto w,
            store.CreateWorkstream(id, fields, ActorOf(r),
                                   Require(Caller(r), &governance::CanEditBrief,
                                           "only those who edit the brief add workstreams")));
        std::map<std::string, std::string> names;
        return Ok(WorkstreamJson(store, w, names), 201);
      });

  add("GET", "/api/v1/activations/{activation_id}/workstreams/{workstream_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_RETURN_IF_ERROR(CheckId(r.PathParam("workstream_id"), "ws", "workstream"));
        TUTTI_ASSIGN_OR_RETURN(auto w, store.GetWorkstream(a.id, r.PathParam("workstream_id")));
        std::map<std::string, std::string> names;
        return Ok(WorkstreamJson(store, w, names));
      });

  add("PATCH", "/api/v1/activations/{activation_id}/workstreams/{workstream_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        const std::string ws_id = r.PathParam("workstream_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_RETURN_IF_ERROR(CheckId(ws_id, "ws", "workstream"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        // Nothing about the workstream may shape the answer before the caller is known to see
        // its activation: validating against its owner would otherwise reveal who that is.
        TUTTI_RETURN_IF_ERROR(VisibleActivation(store, r).status());
        // The owner is needed to normalise the RACI matrix; read it, then re-check in the write.
        TUTTI_ASSIGN_OR_RETURN(auto current, store.GetWorkstream(id, ws_id));
        TUTTI_ASSIGN_OR_RETURN(
            Json patch, core::ValidateWorkstreamPatch(body, false, current.primary_owner_id));
        const Principal& p = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto w,
            store.UpdateWorkstream(
                id, ws_id, patch, ActorOf(r),
                [&](const ActivationRecord& a, const WorkstreamRecord& before) -> Status {
                  if (!governance::CanViewActivation(p, a.Access()))
                    return NotVisible("activation");
                  if (!governance::CanEditWorkstream(p, a.Access(), before.primary_owner_id)) {
                    return Forbidden(
                        "only the workstream's owner or the brief's editors change it");
                  }
                  if (before.primary_owner_id != current.primary_owner_id) {
                    return Conflict("the workstream's owner changed meanwhile; retry");
                  }
                  return OkStatus();
                }));
        std::map<std::string, std::string> names;
        return Ok(WorkstreamJson(store, w, names));
      });

  // ---- scheduling: milestones (the plan), posts and windows (the content calendar) ----
  add("GET", "/api/v1/activations/{activation_id}/milestones", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        return Ok(MilestonesJson(docs, store.clock().Now()));
      });

  add("PUT", "/api/v1/activations/{activation_id}/milestones", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        // A plan is accepted only if it computes now: cycles and DST gaps are refused here, not
        // discovered by the next reader.
        Instant now = store.clock().Now();
        TUTTI_RETURN_IF_ERROR(ComputeStoredPlan(body, now).status());
        TUTTI_ASSIGN_OR_RETURN(
            auto docs,
            store.PutPlanDocument(id, "plan", body, version, ActorOf(r),
                                  Require(Caller(r), &governance::CanEditBrief,
                                          "only those who edit the brief change the plan")));
        return Ok(MilestonesJson(docs, now));
      });

  add("POST", "/api/v1/activations/{activation_id}/milestones/what-if", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"delay"}));
        if (!body.contains("delay")) return InvalidArgument("is required", "delay", "required");
        const Json& delay = body["delay"];
        TUTTI_RETURN_IF_ERROR(RequireObject(delay, "delay"));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(delay, {"id", "by"}, "delay"));
        for (const char* key : {"id", "by"}) {
          if (!delay.contains(key)) {
            return InvalidArgument("is required", JoinPath("delay", key), "required");
          }
        }
        TUTTI_ASSIGN_OR_RETURN(std::string milestone, ReadString(delay["id"], "delay.id", 1, 200));
        TUTTI_ASSIGN_OR_RETURN(std::string by_text, ReadString(delay["by"], "delay.by", 1, 32));
        Result<scheduling::PlanDuration> by = scheduling::ParseDuration(by_text);
        if (!by.ok()) return std::move(Status(by.status())).WithField("delay.by");
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        if (!docs.plan) {
          return Status(StatusCode::kFailedPrecondition,
                        "this activation has no plan yet; PUT one to its milestones first", {},
                        "no_plan");
        }
        TUTTI_ASSIGN_OR_RETURN(scheduling::Plan plan, scheduling::ParsePlan(*docs.plan));
        Result<scheduling::DelayImpact> impact =
            scheduling::DelayMilestone(plan, store.clock().Now(), milestone, *by);
        if (impact.status().code() == StatusCode::kNotFound) {
          return InvalidArgument("the plan has no milestone \"" + milestone + "\"", "delay.id",
                                 "unknown_milestone");
        }
        if (!impact.ok()) return impact.status();
        return Ok(Json{{"schedule", scheduling::ScheduleToJson(impact->schedule)},
                       {"pushed_past_launch", impact->pushed_past_launch},
                       {"markets_missed", impact->markets_missed}});
      });

  add("GET", "/api/v1/activations/{activation_id}/posts", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        return Ok(PostsJson(docs));
      });

  add("PUT", "/api/v1/activations/{activation_id}/posts", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        TUTTI_RETURN_IF_ERROR(CheckStoredCalendar(body).status());
        TUTTI_ASSIGN_OR_RETURN(
            auto docs, store.PutPlanDocument(
                           id, "content_calendar", body, version, ActorOf(r),
                           Require(Caller(r), &governance::CanEditBrief,
                                   "only those who edit the brief change the content calendar")));
        return Ok(PostsJson(docs));
      });

  add("GET", "/api/v1/activations/{activation_id}/windows", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        return Ok(WindowsJson(docs));
      });

  // ---- playbooks ----
  add("POST", "/api/v1/activations/{activation_id}/playbooks", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"name"}));
        if (!body.contains("name")) return InvalidArgument("is required", "name", "required");
        TUTTI_ASSIGN_OR_RETURN(std::string name,
                               ReadString(body["name"], "name", 1, core::kMaxNameLength));
        TUTTI_ASSIGN_OR_RETURN(
            auto pb,
            store.SavePlaybook(id, name, ActorOf(r),
                               Require(Caller(r), &governance::CanSavePlaybook,
                                       "only the host's owners and facilitators save playbooks")));
        return Ok(PlaybookJson(pb), 201);
      });

  add("GET", "/api/v1/playbooks", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    if (!governance::CanViewPlaybooks(Caller(r), Caller(r).org_id)) {
      return Forbidden("this API key lacks the activations:read scope");
    }
    TUTTI_ASSIGN_OR_RETURN(auto list, store.ListPlaybooks(Caller(r).org_id));
    Json items = Json::array();
    for (const auto& pb : list) items.push_back(PlaybookJson(pb));
    return Ok(Json{{"items", items}});
  });

  add("GET", "/api/v1/playbooks/{playbook_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_RETURN_IF_ERROR(CheckId(r.PathParam("playbook_id"), "pb", "playbook"));
        TUTTI_ASSIGN_OR_RETURN(auto pb, store.GetPlaybook(r.PathParam("playbook_id")));
        if (!governance::CanViewPlaybooks(Caller(r), pb.org_id)) return NotVisible("playbook");
        return Ok(PlaybookJson(pb));
      });

  add("POST", "/api/v1/playbooks/{playbook_id}/activations", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_RETURN_IF_ERROR(CheckId(r.PathParam("playbook_id"), "pb", "playbook"));
        TUTTI_ASSIGN_OR_RETURN(auto pb, store.GetPlaybook(r.PathParam("playbook_id")));
        const Principal& p = Caller(r);
        if (!governance::CanViewPlaybooks(p, pb.org_id)) return NotVisible("playbook");
        if (!governance::CanCreateActivation(p) || p.user_id.empty()) {
          return Forbidden("only the host's owners and facilitators create activations");
        }
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"name"}));
        if (!body.contains("name")) return InvalidArgument("is required", "name", "required");
        TUTTI_ASSIGN_OR_RETURN(std::string name,
                               ReadString(body["name"], "name", 1, core::kMaxNameLength));
        TUTTI_ASSIGN_OR_RETURN(auto a, store.InstantiatePlaybook(pb, name, p.user_id, ActorOf(r)));
        return Ok(ActivationJson(a), 201);
      });

  // ---- audit trail ----
  add("GET", "/api/v1/audit", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    const Principal& p = Caller(r);
    storage::AuditQuery q;
    q.entity_type = r.Query("entity_type");
    q.entity_id = r.Query("entity_id");
    q.activation_id = r.Query("activation_id");
    if (q.entity_type.empty() != q.entity_id.empty()) {
      return InvalidArgument("entity_type and entity_id go together",
                             q.entity_type.empty() ? "entity_type" : "entity_id", "required");
    }
    if (q.entity_type.empty() && q.activation_id.empty()) {
      return InvalidArgument("give entity_type and entity_id, or activation_id", "entity_type",
                             "required");
    }
    if (q.entity_type.size() > 64 || q.entity_id.size() > 160 || q.activation_id.size() > 64) {
      return InvalidArgument("query parameter too long", "entity_id", "too_long");
    }
    if (std::string after = r.Query("after_seq"); !after.empty()) {
      auto [ptr, ec] = std::from_chars(after.data(), after.data() + after.size(), q.after_seq);
      if (ec != std::errc() || ptr != after.data() + after.size() || q.after_seq < 0) {
        return InvalidArgument("must be a non-negative integer", "after_seq", "invalid_type");
      }
    }
    TUTTI_ASSIGN_OR_RETURN(auto entries, store.ListAudit(q));
    std::map<std::string, std::optional<ActivationRecord>> activations;
    std::map<std::string, std::string> names;
    Json items = Json::array();
    for (const auto& e : entries) {
      const ActivationRecord* activation = nullptr;
      if (!e.activation_id.empty()) {
        auto it = activations.find(e.activation_id);
        if (it == activations.end()) {
          Result<ActivationRecord> a = store.GetActivation(e.activation_id);
          it =
              activations.emplace(e.activation_id, a.ok() ? std::optional(*a) : std::nullopt).first;
        }
        if (!it->second) continue;
        activation = &*it->second;
      }
      governance::ActivationAccess access;
      if (activation) access = activation->Access();
      if (!governance::CanSeeAuditEntry(p, activation ? &access : nullptr, e.visible_org_id))
        continue;
      auto name_it = names.find(e.actor_id);
      if (name_it == names.end()) {
        Result<storage::UserRecord> u = store.GetUser(e.actor_id);
        name_it = names.emplace(e.actor_id, u.ok() ? u->name : e.actor_id).first;
      }
      items.push_back(AuditJson(e, name_it->second));
    }
    // Entries are filtered after the page is read, so a short page does not mean the end: the
    // cursor says where the next page starts whenever the store's page was full.
    Json next =
        entries.size() == static_cast<size_t>(q.limit) ? Json(entries.back().seq) : Json(nullptr);
    return Ok(Json{{"items", items}, {"next_after_seq", next}});
  });

  add("GET", "/api/v1/audit/verify", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
    if (!governance::HasScope(Caller(r), "audit:read")) {
      return Forbidden("this API key lacks the audit:read scope");
    }
    governance::AuditChainVerifier verifier;
    TUTTI_RETURN_IF_ERROR(store.ForEachAuditEntry([&](const auto& e) { verifier.Add(e); }));
    Status verdict = verifier.Finish();
    if (verdict.ok()) {
      return Ok(Json{{"ok", true}, {"entries", verifier.entries()}, {"head", verifier.head()}});
    }
    return Ok(Json{{"ok", false},
                   {"entries", verifier.entries()},
                   {"first_bad_seq", verifier.first_bad_seq()},
                   {"reason", verdict.message()}});
  });

  add("GET", "/api/v1/openapi.json", false,
      [](ApiRequest&) -> Result<ApiResponse> { return Ok(OpenApiDocument()); });

  return routes;
}

}  // namespace tutti::http
