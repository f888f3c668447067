#include "tutti/http/api_support.h"

#include <charconv>

#include "tutti/base/ids.h"
#include "tutti/http/errors.h"

namespace tutti::http {

ApiResponse Ok(Json body, int status) {
  ApiResponse out;
  out.status = status;
  out.body = std::move(body);
  return out;
}

ApiResponse NoContent() { return Ok(nullptr, 204); }

const governance::Principal& Caller(const ApiRequest& r) { return r.auth->principal; }
storage::Actor ActorOf(const ApiRequest& r) {
  return storage::Actor{Caller(r).ActorId(), Caller(r).org_id};
}

Result<Json> Body(const ApiRequest& r) {
  if (r.body.empty())
    return Status(StatusCode::kMalformed, "request body is empty; send a JSON object", {},
                  "malformed_json");
  return ParseJsonObject(r.body);
}

Status NotVisible(const std::string& what) { return NotFound(what + " not found"); }
Status Forbidden(const std::string& why) { return PermissionDenied(why); }

Status CheckId(const std::string& id, const char* prefix, const char* what) {
  if (!LooksLikeId(id, prefix)) return NotFound(std::string(what) + " not found");
  return OkStatus();
}

Result<storage::ActivationRecord> VisibleActivation(storage::Store& store, const ApiRequest& r) {
  const std::string& id = r.PathParam("activation_id");
  TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
  Result<storage::ActivationRecord> a = store.GetActivation(id);
  if (!a.ok()) return a.status();
  if (!governance::CanViewActivation(Caller(r), a->Access())) return NotVisible("activation");
  return a;
}

storage::Authorize Require(const governance::Principal& p,
                           bool (*rule)(const governance::Principal&,
                                        const governance::ActivationAccess&),
                           std::string why) {
  return [&p, rule, why](const storage::ActivationRecord& a) -> Status {
    if (!governance::CanViewActivation(p, a.Access())) return NotVisible("activation");
    if (!rule(p, a.Access())) return Forbidden(why);
    return OkStatus();
  };
}

Result<std::optional<int64_t>> ExpectedVersion(const ApiRequest& r, Json& patch,
                                               int64_t min_version) {
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

}  // namespace tutti::http
