// The decision rights of compliant publishing (governance/access.h, docs/access.md): who sets the
// UTM taxonomy, who reads a post's draft copy, who records a publication and who freezes whose
// posts. The activation is hosted by org_host; org_p1 and org_p2 take part; org_x does not.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tutti/governance/access.h"

namespace tutti::governance {
namespace {

using core::Role;

ActivationAccess TheActivation() {
  return ActivationAccess{"act_1", "org_host", {{"org_p1", false}, {"org_p2", false}}};
}

Principal User(const std::string& org, Role role) {
  Principal p;
  p.user_id = "usr_me";
  p.org_id = org;
  p.role = role;
  p.org_kind = org == "org_host" ? core::OrgKind::kHost : core::OrgKind::kPartner;
  return p;
}

Principal Key(const std::string& org, std::set<std::string> scopes) {
  Principal p;
  p.api_key_id = "key_1";
  p.org_id = org;
  p.role = ApiKeyRole(scopes);
  p.scopes = std::move(scopes);
  return p;
}

TEST(PublishingAccess, OnlyTheHostsOwnersAndFacilitatorsSetTheTaxonomy) {
  const ActivationAccess a = TheActivation();
  EXPECT_TRUE(CanEditUtmTaxonomy(User("org_host", Role::kOwner), a));
  EXPECT_TRUE(CanEditUtmTaxonomy(User("org_host", Role::kFacilitator), a));
  EXPECT_FALSE(CanEditUtmTaxonomy(User("org_host", Role::kContributor), a));
  EXPECT_FALSE(CanEditUtmTaxonomy(User("org_p1", Role::kOwner), a));
  EXPECT_FALSE(CanEditUtmTaxonomy(Key("org_host", {"activations:read"}), a));
}

TEST(PublishingAccess, ADraftsCopyIsTheHostsAndItsOwnersUntilApproved) {
  const ActivationAccess a = TheActivation();
  EXPECT_TRUE(CanViewPostContent(User("org_host", Role::kViewer), a, "org_p1", false));
  EXPECT_TRUE(CanViewPostContent(User("org_p1", Role::kViewer), a, "org_p1", false));
  EXPECT_FALSE(CanViewPostContent(User("org_p2", Role::kOwner), a, "org_p1", false));
  EXPECT_TRUE(CanViewPostContent(User("org_p2", Role::kViewer), a, "org_p1", true));
  EXPECT_FALSE(CanViewPostContent(User("org_x", Role::kOwner), a, "org_p1", true));
}

TEST(PublishingAccess, APublicationIsRecordedByThePostsWriters) {
  const ActivationAccess a = TheActivation();
  EXPECT_TRUE(CanRecordPublication(User("org_p1", Role::kContributor), a, "org_p1"));
  EXPECT_FALSE(CanRecordPublication(User("org_p1", Role::kViewer), a, "org_p1"));
  EXPECT_FALSE(CanRecordPublication(User("org_p2", Role::kPartnerAdmin), a, "org_p1"));
  EXPECT_TRUE(CanRecordPublication(User("org_host", Role::kFacilitator), a, "org_p1"));
}

TEST(PublishingAccess, APartnerFreezesItsOwnPostsOnlyAndTheHostAnyPosts) {
  const ActivationAccess a = TheActivation();
  EXPECT_TRUE(CanFreezePosts(User("org_host", Role::kOwner), a, ""));
  EXPECT_TRUE(CanFreezePosts(User("org_host", Role::kFacilitator), a, "org_p2"));
  EXPECT_FALSE(CanFreezePosts(User("org_host", Role::kContributor), a, "org_host"));
  EXPECT_TRUE(CanFreezePosts(User("org_p1", Role::kPartnerAdmin), a, "org_p1"));
  EXPECT_TRUE(CanFreezePosts(User("org_p1", Role::kOwner), a, "org_p1"));
  EXPECT_FALSE(CanFreezePosts(User("org_p1", Role::kContributor), a, "org_p1"));
  EXPECT_FALSE(CanFreezePosts(User("org_p1", Role::kPartnerAdmin), a, "org_p2"));
  EXPECT_FALSE(CanFreezePosts(User("org_p1", Role::kPartnerAdmin), a, ""));
  EXPECT_FALSE(
      CanFreezePosts(Key("org_p1", {"activations:read", "activations:write"}), a, "org_p1"));
  EXPECT_FALSE(CanFreezePosts(User("org_x", Role::kOwner), a, "org_x"));
}

}  // namespace
}  // namespace tutti::governance
