// The decision rights of the archive (governance/access.h, docs/access.md "crisis templates" to
// "export"), one row per caller: the host's roles, a partner's roles with and without the
// facilitator seat, an outsider, and API keys of the host. org_p2 holds the seat.
#include <gtest/gtest.h>

#include <string>

#include "tutti/governance/access.h"

namespace tutti::governance {
namespace {

using enum core::Role;

ActivationAccess TheActivation() {
  return ActivationAccess{"act_1", "org_host", {{"org_p1", false}, {"org_p2", true}}};
}

Principal User(const std::string& org, core::Role role) {
  Principal p;
  p.user_id = "usr_me";
  p.org_id = org;
  p.org_kind = org == "org_host" ? core::OrgKind::kHost : core::OrgKind::kPartner;
  p.role = role;
  return p;
}

Principal HostKey(const std::set<std::string>& scopes) {
  Principal p;
  p.api_key_id = "key_1";
  p.org_id = "org_host";
  p.org_kind = core::OrgKind::kHost;
  p.scopes = scopes;
  p.role = ApiKeyRole(scopes);
  return p;
}

// Columns: d draft a template, a approve one, r edit the roster, p set the retention policy,
// h see legal holds, H place or release one, x export.
std::string Rights(const Principal& p) {
  const ActivationAccess a = TheActivation();
  std::string out;
  out += CanDraftCrisisTemplate(p, a) ? 'd' : '-';
  out += CanApproveCrisisTemplate(p, a) ? 'a' : '-';
  out += CanEditIncidentRoster(p, a) ? 'r' : '-';
  out += CanEditRetentionPolicy(p, a) ? 'p' : '-';
  out += CanViewLegalHolds(p, a) ? 'h' : '-';
  out += CanPlaceLegalHold(p, a) ? 'H' : '-';
  out += CanExportActivation(p, a) ? 'x' : '-';
  return out;
}

TEST(ArchiveAccess, FollowsTheTableOfDocsAccess) {
  EXPECT_EQ(Rights(User("org_host", kOwner)), "darphHx");
  EXPECT_EQ(Rights(User("org_host", kFacilitator)), "darph-x");
  EXPECT_EQ(Rights(User("org_host", kWorkstreamOwner)), "----h--");
  EXPECT_EQ(Rights(User("org_host", kViewer)), "----h--");
  EXPECT_EQ(Rights(User("org_p1", kPartnerAdmin)), "-------");
  EXPECT_EQ(Rights(User("org_p1", kFacilitator)), "-------") << "without the seat";
  EXPECT_EQ(Rights(User("org_p2", kFacilitator)), "d--p---") << "the seat edits the brief";
  EXPECT_EQ(Rights(User("org_x", kOwner)), "-------");
}

TEST(ArchiveAccess, KeysNeverApproveHoldOrExport) {
  EXPECT_EQ(Rights(HostKey({"activations:read", "activations:write"})), "d-rp---");
  EXPECT_EQ(Rights(HostKey({"activations:read"})), "-------");
}

}  // namespace
}  // namespace tutti::governance
