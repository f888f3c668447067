// Partner agreements: what a partner and the host agreed for one activation. Validated here,
// stored with the participation, visible only to the host and that partner. Document:
//   {"content_ownership":"host"|"partner"|"joint","content_ownership_notes":"…",
//    "approval_turnaround_hours":48,
//    "escalation_path":[{"after_hours":24,"contact":"…","role":"…"}],
//    "exit_clause_notice_days":30,"audit_rights":{"allowed":true,"notice_days":10},
//    "data_sharing":{"scope":["aggregates"],"cadence":"daily"}}
// The turnaround and escalation path feed the approval SLAs of C3. Pure; thread-safe.
#pragma once

#include "tutti/base/json.h"
#include "tutti/core/roles.h"

namespace tutti::core {

inline constexpr auto kContentOwnershipNames =
    std::to_array<std::string_view>({"host", "partner", "joint"});
inline constexpr auto kDataSharingCadenceNames =
    std::to_array<std::string_view>({"realtime", "hourly", "daily", "weekly", "monthly"});
inline constexpr auto kDataSharingScopeNames = std::to_array<std::string_view>(
    {"aggregates", "pseudonymous_events", "conversions", "spend", "audience_overlap"});

// Validates a whole agreement (PUT semantics); returns it with defaults filled in.
Result<Json> ValidateAgreement(const Json& agreement);

}  // namespace tutti::core
