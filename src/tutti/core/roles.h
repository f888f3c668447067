// The closed vocabularies of the C1 domain (roles, organisation kinds, partner roles,
// objectives, statuses, workstream kinds) with their parsing. Pure; thread-safe.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace tutti::core {

// A user's role inside their own organisation; names are the ones the CLI and API accept.
enum class Role { kOwner, kFacilitator, kWorkstreamOwner, kContributor, kViewer, kPartnerAdmin };
inline constexpr auto kRoleNames = std::to_array<std::string_view>(
    {"owner", "facilitator", "workstream_owner", "contributor", "viewer", "partner_admin"});

enum class OrgKind { kHost, kPartner };
inline constexpr auto kOrgKindNames = std::to_array<std::string_view>({"host", "partner"});

// What a partner organisation does in one activation.
inline constexpr auto kPartnerRoleNames = std::to_array<std::string_view>(
    {"co_brand", "media", "influencer", "agency", "technology", "data"});
inline constexpr auto kObjectiveNames =
    std::to_array<std::string_view>({"visibility", "lead_generation", "retention"});
inline constexpr auto kActivationStatusNames =
    std::to_array<std::string_view>({"draft", "planning", "live", "closed"});
inline constexpr auto kWorkstreamKindNames = std::to_array<std::string_view>(
    {"creative", "media", "data", "tech_integration", "measurement", "community", "legal"});
inline constexpr auto kRaciLetters = std::to_array<std::string_view>({"R", "A", "C", "I"});
// Scopes an API key may carry; a key can do nothing its scopes do not name.
inline constexpr auto kApiKeyScopeNames = std::to_array<std::string_view>(
    {"activations:read", "activations:write", "audit:read", "events:write"});

bool ParseRole(std::string_view name, Role* out);
std::string_view RoleName(Role role);
bool ParseOrgKind(std::string_view name, OrgKind* out);
std::string_view OrgKindName(OrgKind kind);
bool IsOneOf(std::string_view value, std::span<const std::string_view> allowed);

}  // namespace tutti::core
