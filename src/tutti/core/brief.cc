#include "tutti/core/brief.h"

#include <set>

#include "tutti/base/clock.h"
#include "tutti/core/roles.h"

namespace tutti::core {
namespace {

Result<Json> ValidateMetric(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(value, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(value, {"name", "unit", "target", "forecast"}, path));
  if (!value.contains("name"))
    return InvalidArgument("is required", JoinPath(path, "name"), "required");
  Json out;
  TUTTI_ASSIGN_OR_RETURN(out["name"], ReadString(value["name"], JoinPath(path, "name"), 1, 100));
  out["unit"] = "";
  if (value.contains("unit")) {
    TUTTI_ASSIGN_OR_RETURN(out["unit"], ReadString(value["unit"], JoinPath(path, "unit"), 0, 32));
  }
  for (const char* key : {"target", "forecast"}) {
    out[key] = nullptr;
    if (value.contains(key) && !value[key].is_null()) {
      TUTTI_ASSIGN_OR_RETURN(out[key], ReadNumber(value[key], JoinPath(path, key)));
    }
  }
  return out;
}

Result<Json> ValidateAudiences(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, 50));
  Json out = Json::array();
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item_path = JoinPath(path, i);
    const Json& item = value[i];
    TUTTI_RETURN_IF_ERROR(RequireObject(item, item_path));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"name", "description"}, item_path));
    if (!item.contains("name")) {
      return InvalidArgument("is required", JoinPath(item_path, "name"), "required");
    }
    Json audience;
    TUTTI_ASSIGN_OR_RETURN(
        audience["name"], ReadString(item["name"], JoinPath(item_path, "name"), 1, kMaxNameLength));
    audience["description"] = "";
    if (item.contains("description")) {
      TUTTI_ASSIGN_OR_RETURN(
          audience["description"],
          ReadString(item["description"], JoinPath(item_path, "description"), 0, 2000));
    }
    out.push_back(std::move(audience));
  }
  return out;
}

}  // namespace

Json EmptyActivationDocument() {
  return Json{{"name", ""},
              {"objective", "visibility"},
              {"status", "draft"},
              {"description", ""},
              {"audiences", Json::array()},
              {"markets", Json::array()},
              {"primary_metric", nullptr},
              {"supporting_metrics", Json::array()},
              {"budget", nullptr}};
}

Result<Json> ValidateMoney(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(value, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(value, {"amount_micros", "currency"}, path));
  for (const char* key : {"amount_micros", "currency"}) {
    if (!value.contains(key))
      return InvalidArgument("is required", JoinPath(path, key), "required");
  }
  Json out;
  // 9e15 micros = 9 billion currency units: far above any campaign, far below int64 overflow.
  TUTTI_ASSIGN_OR_RETURN(out["amount_micros"],
                         ReadInteger(value["amount_micros"], JoinPath(path, "amount_micros"), 0,
                                     9'000'000'000'000'000));
  TUTTI_ASSIGN_OR_RETURN(std::string currency,
                         ReadString(value["currency"], JoinPath(path, "currency"), 3, 3));
  for (char c : currency) {
    if (c < 'A' || c > 'Z') {
      return InvalidArgument("must be an ISO-4217 code such as EUR or USD",
                             JoinPath(path, "currency"), "invalid_currency");
    }
  }
  out["currency"] = currency;
  return out;
}

Result<Json> ValidateMarkets(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, 200));
  Json out = Json::array();
  std::set<std::string> names;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item_path = JoinPath(path, i);
    const Json& item = value[i];
    TUTTI_RETURN_IF_ERROR(RequireObject(item, item_path));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"name", "tz"}, item_path));
    for (const char* key : {"name", "tz"}) {
      if (!item.contains(key)) {
        return InvalidArgument("is required", JoinPath(item_path, key), "required");
      }
    }
    TUTTI_ASSIGN_OR_RETURN(std::string name,
                           ReadString(item["name"], JoinPath(item_path, "name"), 1, 64));
    TUTTI_ASSIGN_OR_RETURN(std::string tz,
                           ReadString(item["tz"], JoinPath(item_path, "tz"), 1, 64));
    if (!IsKnownTimeZone(tz)) {
      return InvalidArgument(
          "unknown time zone '" + tz + "'; expected an IANA name such as America/New_York",
          JoinPath(item_path, "tz"), "invalid_time_zone");
    }
    if (!names.insert(name).second) {
      return InvalidArgument("market '" + name + "' is listed twice", JoinPath(item_path, "name"),
                             "duplicate");
    }
    out.push_back(Json{{"name", name}, {"tz", tz}});
  }
  return out;
}

Result<Json> ValidateActivationPatch(const Json& patch, bool creating) {
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(patch, {"name", "objective", "status", "description", "audiences",
                                  "markets", "primary_metric", "supporting_metrics", "budget"}));
  if (creating) {
    for (const char* key : {"name", "objective"}) {
      if (!patch.contains(key)) return InvalidArgument("is required", key, "required");
    }
  }
  Json out = Json::object();
  if (patch.contains("name")) {
    TUTTI_ASSIGN_OR_RETURN(out["name"], ReadString(patch["name"], "name", 1, kMaxNameLength));
  }
  if (patch.contains("objective")) {
    TUTTI_ASSIGN_OR_RETURN(out["objective"],
                           ReadEnum(patch["objective"], "objective", kObjectiveNames));
  }
  if (patch.contains("status")) {
    TUTTI_ASSIGN_OR_RETURN(out["status"],
                           ReadEnum(patch["status"], "status", kActivationStatusNames));
  }
  if (patch.contains("description")) {
    TUTTI_ASSIGN_OR_RETURN(out["description"],
                           ReadString(patch["description"], "description", 0, kMaxTextLength));
  }
  if (patch.contains("audiences")) {
    TUTTI_ASSIGN_OR_RETURN(out["audiences"], ValidateAudiences(patch["audiences"], "audiences"));
  }
  if (patch.contains("markets")) {
    TUTTI_ASSIGN_OR_RETURN(out["markets"], ValidateMarkets(patch["markets"], "markets"));
  }
  if (patch.contains("primary_metric")) {
    if (patch["primary_metric"].is_null()) {
      out["primary_metric"] = nullptr;
    } else {
      TUTTI_ASSIGN_OR_RETURN(out["primary_metric"],
                             ValidateMetric(patch["primary_metric"], "primary_metric"));
    }
  }
  if (patch.contains("supporting_metrics")) {
    const Json& list = patch["supporting_metrics"];
    TUTTI_RETURN_IF_ERROR(RequireArray(list, "supporting_metrics", 50));
    out["supporting_metrics"] = Json::array();
    for (size_t i = 0; i < list.size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(Json metric,
                             ValidateMetric(list[i], JoinPath("supporting_metrics", i)));
      out["supporting_metrics"].push_back(std::move(metric));
    }
  }
  if (patch.contains("budget")) {
    if (patch["budget"].is_null()) {
      out["budget"] = nullptr;
    } else {
      TUTTI_ASSIGN_OR_RETURN(out["budget"], ValidateMoney(patch["budget"], "budget"));
    }
  }
  return out;
}

Json ApplyActivationPatch(Json document, const Json& patch) {
  for (const auto& [key, value] : patch.items()) document[key] = value;
  return document;
}

}  // namespace tutti::core
