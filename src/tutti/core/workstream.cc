#include "tutti/core/workstream.h"

#include <set>

#include "tutti/base/ids.h"
#include "tutti/core/brief.h"
#include "tutti/core/roles.h"

namespace tutti::core {

Result<Json> ValidateWorkstreamPatch(const Json& patch, bool creating,
                                     const std::string& current_owner_id) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(patch, {"kind", "name", "primary_owner_id", "raci"}));
  if (creating) {
    for (const char* key : {"kind", "name", "primary_owner_id"}) {
      if (!patch.contains(key)) return InvalidArgument("is required", key, "required");
    }
  }
  Json out = Json::object();
  if (patch.contains("kind")) {
    TUTTI_ASSIGN_OR_RETURN(out["kind"], ReadEnum(patch["kind"], "kind", kWorkstreamKindNames));
  }
  if (patch.contains("name")) {
    TUTTI_ASSIGN_OR_RETURN(out["name"], ReadString(patch["name"], "name", 1, kMaxNameLength));
  }
  std::string owner = current_owner_id;
  if (patch.contains("primary_owner_id")) {
    TUTTI_ASSIGN_OR_RETURN(owner, ReadString(patch["primary_owner_id"], "primary_owner_id", 1, 64));
    if (!LooksLikeId(owner, "usr")) {
      return InvalidArgument("must be a user id", "primary_owner_id", "invalid_id");
    }
    out["primary_owner_id"] = owner;
  }
  if (patch.contains("raci") || patch.contains("primary_owner_id")) {
    Json raci = Json::array();
    std::set<std::string> people;
    bool owner_listed = false;
    if (patch.contains("raci")) {
      const Json& list = patch["raci"];
      TUTTI_RETURN_IF_ERROR(RequireArray(list, "raci", 100));
      for (size_t i = 0; i < list.size(); ++i) {
        std::string p = JoinPath("raci", i);
        TUTTI_RETURN_IF_ERROR(RequireObject(list[i], p));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(list[i], {"user_id", "responsibility"}, p));
        for (const char* key : {"user_id", "responsibility"}) {
          if (!list[i].contains(key))
            return InvalidArgument("is required", JoinPath(p, key), "required");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string user,
                               ReadString(list[i]["user_id"], JoinPath(p, "user_id"), 1, 64));
        if (!LooksLikeId(user, "usr")) {
          return InvalidArgument("must be a user id", JoinPath(p, "user_id"), "invalid_id");
        }
        TUTTI_ASSIGN_OR_RETURN(
            std::string letter,
            ReadEnum(list[i]["responsibility"], JoinPath(p, "responsibility"), kRaciLetters));
        if (!people.insert(user).second) {
          return InvalidArgument("each person appears once in the RACI matrix",
                                 JoinPath(p, "user_id"), "duplicate");
        }
        if (letter == "A" && user != owner) {
          return InvalidArgument("only the primary owner is Accountable (A)",
                                 JoinPath(p, "responsibility"), "raci_accountable");
        }
        if (user == owner) {
          owner_listed = true;
          letter = "A";
        }
        raci.push_back(Json{{"user_id", user}, {"responsibility", letter}});
      }
    }
    if (!owner_listed && !owner.empty()) {
      // Appended, not prepended, so that errors name the request's own indices.
      raci.push_back(Json{{"user_id", owner}, {"responsibility", "A"}});
    }
    // A patch that only moves ownership keeps nobody else's letters: the caller merges. A new
    // workstream always gets a matrix, so that its owner is its Accountable from the start.
    if (patch.contains("raci") || creating) out["raci"] = std::move(raci);
  }
  return out;
}

}  // namespace tutti::core

namespace tutti::core {

Json ReassignAccountable(const Json& raci, const std::string& old_owner,
                         const std::string& new_owner) {
  Json out = Json::array();
  out.push_back(Json{{"user_id", new_owner}, {"responsibility", "A"}});
  for (const Json& entry : raci) {
    const std::string user = entry.value("user_id", "");
    if (user == new_owner) continue;
    Json copy = entry;
    if (user == old_owner) copy["responsibility"] = "R";
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace tutti::core
