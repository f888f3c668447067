#include "tutti/core/roles.h"

#include <array>

namespace tutti::core {
namespace {
constexpr std::array kRoles = {Role::kOwner,       Role::kFacilitator, Role::kWorkstreamOwner,
                               Role::kContributor, Role::kViewer,      Role::kPartnerAdmin};
}  // namespace

bool IsOneOf(std::string_view value, std::span<const std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (a == value) return true;
  }
  return false;
}

bool ParseRole(std::string_view name, Role* out) {
  size_t i = 0;
  for (std::string_view n : kRoleNames) {
    if (n == name) {
      *out = kRoles[i];
      return true;
    }
    ++i;
  }
  return false;
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

bool ParseOrgKind(std::string_view name, OrgKind* out) {
  if (name == "host") {
    *out = OrgKind::kHost;
    return true;
  }
  if (name == "partner") {
    *out = OrgKind::kPartner;
    return true;
  }
  return false;
}

std::string_view OrgKindName(OrgKind kind) { return kind == OrgKind::kHost ? "host" : "partner"; }

}  // namespace tutti::core
