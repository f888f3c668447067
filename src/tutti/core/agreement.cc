#include "tutti/core/agreement.h"

#include <set>

namespace tutti::core {

Result<Json> ValidateAgreement(const Json& in) {
  TUTTI_RETURN_IF_ERROR(RequireObject(in, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      in, {"content_ownership", "content_ownership_notes", "approval_turnaround_hours",
           "escalation_path", "exit_clause_notice_days", "audit_rights", "data_sharing"}));
  for (const char* key : {"content_ownership", "approval_turnaround_hours"}) {
    if (!in.contains(key)) return InvalidArgument("is required", key, "required");
  }
  Json out;
  TUTTI_ASSIGN_OR_RETURN(
      out["content_ownership"],
      ReadEnum(in["content_ownership"], "content_ownership", kContentOwnershipNames));
  out["content_ownership_notes"] = "";
  if (in.contains("content_ownership_notes")) {
    TUTTI_ASSIGN_OR_RETURN(
        out["content_ownership_notes"],
        ReadString(in["content_ownership_notes"], "content_ownership_notes", 0, 2000));
  }
  TUTTI_ASSIGN_OR_RETURN(
      out["approval_turnaround_hours"],
      ReadInteger(in["approval_turnaround_hours"], "approval_turnaround_hours", 1, 720));
  out["escalation_path"] = Json::array();
  if (in.contains("escalation_path")) {
    const Json& path = in["escalation_path"];
    TUTTI_RETURN_IF_ERROR(RequireArray(path, "escalation_path", 10));
    int64_t previous_after = 0;
    for (size_t i = 0; i < path.size(); ++i) {
      std::string p = JoinPath("escalation_path", i);
      TUTTI_RETURN_IF_ERROR(RequireObject(path[i], p));
      TUTTI_RETURN_IF_ERROR(RejectUnknownFields(path[i], {"after_hours", "contact", "role"}, p));
      for (const char* key : {"after_hours", "contact"}) {
        if (!path[i].contains(key))
          return InvalidArgument("is required", JoinPath(p, key), "required");
      }
      Json level;
      TUTTI_ASSIGN_OR_RETURN(
          int64_t after, ReadInteger(path[i]["after_hours"], JoinPath(p, "after_hours"), 1, 2160));
      if (after <= previous_after) {
        return InvalidArgument("escalation levels must come later than the one before",
                               JoinPath(p, "after_hours"), "not_increasing");
      }
      previous_after = after;
      level["after_hours"] = after;
      TUTTI_ASSIGN_OR_RETURN(level["contact"],
                             ReadString(path[i]["contact"], JoinPath(p, "contact"), 1, 200));
      level["role"] = "";
      if (path[i].contains("role")) {
        TUTTI_ASSIGN_OR_RETURN(level["role"],
                               ReadString(path[i]["role"], JoinPath(p, "role"), 0, 100));
      }
      out["escalation_path"].push_back(std::move(level));
    }
  }
  out["exit_clause_notice_days"] = 30;
  if (in.contains("exit_clause_notice_days")) {
    TUTTI_ASSIGN_OR_RETURN(
        out["exit_clause_notice_days"],
        ReadInteger(in["exit_clause_notice_days"], "exit_clause_notice_days", 0, 3650));
  }
  out["audit_rights"] = Json{{"allowed", true}, {"notice_days", 10}};
  if (in.contains("audit_rights")) {
    const Json& rights = in["audit_rights"];
    TUTTI_RETURN_IF_ERROR(RequireObject(rights, "audit_rights"));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(rights, {"allowed", "notice_days"}, "audit_rights"));
    if (rights.contains("allowed")) {
      TUTTI_ASSIGN_OR_RETURN(out["audit_rights"]["allowed"],
                             ReadBool(rights["allowed"], "audit_rights.allowed"));
    }
    if (rights.contains("notice_days")) {
      TUTTI_ASSIGN_OR_RETURN(
          out["audit_rights"]["notice_days"],
          ReadInteger(rights["notice_days"], "audit_rights.notice_days", 0, 365));
    }
  }
  out["data_sharing"] = Json{{"scope", Json::array({"aggregates"})}, {"cadence", "daily"}};
  if (in.contains("data_sharing")) {
    const Json& sharing = in["data_sharing"];
    TUTTI_RETURN_IF_ERROR(RequireObject(sharing, "data_sharing"));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(sharing, {"scope", "cadence"}, "data_sharing"));
    if (sharing.contains("scope")) {
      TUTTI_RETURN_IF_ERROR(RequireArray(sharing["scope"], "data_sharing.scope", 10));
      std::set<std::string> seen;
      Json scope = Json::array();
      for (size_t i = 0; i < sharing["scope"].size(); ++i) {
        TUTTI_ASSIGN_OR_RETURN(std::string item,
                               ReadEnum(sharing["scope"][i], JoinPath("data_sharing.scope", i),
                                        kDataSharingScopeNames));
        if (seen.insert(item).second) scope.push_back(item);
      }
      out["data_sharing"]["scope"] = std::move(scope);
    }
    if (sharing.contains("cadence")) {
      TUTTI_ASSIGN_OR_RETURN(
          out["data_sharing"]["cadence"],
          ReadEnum(sharing["cadence"], "data_sharing.cadence", kDataSharingCadenceNames));
    }
  }
  return out;
}

}  // namespace tutti::core
