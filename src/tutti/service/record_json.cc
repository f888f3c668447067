#include "tutti/service/record_json.h"

namespace tutti::service {

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json ApprovalRoundJson(const storage::ApprovalRoundRecord& round) {
  return Json{{"round", round.round},
              {"started_at", round.started_at},
              {"started_by", round.started_by},
              {"comment", round.comment}};
}

Json ApprovalDecisionJson(const storage::ApprovalDecisionRecord& d) {
  return Json{{"round", d.round},       {"seq", d.seq},         {"step", d.step},
              {"user_id", d.user_id},   {"role", d.role},       {"party", d.party},
              {"decision", d.decision}, {"comment", d.comment}, {"at", d.at}};
}

Json AssetVersionJson(const storage::AssetVersionRecord& v) {
  return Json{{"version", v.version},       {"sha256", v.sha256},
              {"bytes", v.bytes},           {"file_name", v.file_name},
              {"media", v.media},           {"spec_check", v.spec_check},
              {"created_by", v.created_by}, {"created_at", v.created_at}};
}

Json CrisisTemplateVersionJson(const storage::CrisisTemplateVersionRecord& v) {
  return Json{{"version", v.version},
              {"title", v.title},
              {"situation", v.situation},
              {"body", v.body},
              {"channels", v.channels},
              {"created_by", v.created_by},
              {"created_at", v.created_at},
              {"approved_by", OrNull(v.approved_by)},
              {"approved_at", OrNull(v.approved_at)}};
}

Json IncidentRosterJson(const storage::IncidentRosterRecord& roster) {
  Json entries = Json::array();
  for (const storage::IncidentRosterEntry& e : roster.entries) {
    entries.push_back(Json{{"duty", e.duty},
                           {"user_id", e.user_id},
                           {"backup_user_id", OrNull(e.backup_user_id)},
                           {"phone", OrNull(e.phone)},
                           {"order", e.order}});
  }
  return Json{{"entries", entries},
              {"version", roster.version},
              {"updated_by", OrNull(roster.updated_by)},
              {"updated_at", OrNull(roster.updated_at)}};
}

}  // namespace tutti::service
