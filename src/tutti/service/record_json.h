// How stored records read as JSON, wherever they leave Tutti: API responses and the audit export
// (activation_export.h) show the same fields under the same names, so an auditor can hold an
// archive next to what the API showed. Responses add what only they know (evaluations, links);
// these give the stored part. Pure functions; thread-safe.
#pragma once

#include <string>

#include "tutti/base/json.h"
#include "tutti/storage/store.h"

namespace tutti::service {

// null for "", the text otherwise: stored "none yet" strings read as JSON null.
Json OrNull(const std::string& text);

// {round, started_at, started_by, comment}
Json ApprovalRoundJson(const storage::ApprovalRoundRecord& round);
// {round, seq, step, user_id, role, party, decision, comment, at}
Json ApprovalDecisionJson(const storage::ApprovalDecisionRecord& decision);
// {version, sha256, bytes, file_name, media, spec_check, created_by, created_at}
Json AssetVersionJson(const storage::AssetVersionRecord& version);
// {version, title, situation, body, channels, created_by, created_at, approved_by, approved_at}
Json CrisisTemplateVersionJson(const storage::CrisisTemplateVersionRecord& version);
// {entries: [{duty, user_id, backup_user_id, phone, order}], version, updated_by, updated_at}
Json IncidentRosterJson(const storage::IncidentRosterRecord& roster);

}  // namespace tutti::service
