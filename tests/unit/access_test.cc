// Decision rights, written out as a table: every role, in an organisation of either kind, in each
// relation to one activation, against every rule of governance/access.h. This table is the
// authorization matrix; docs/access.md states the same rules in prose and must agree with it.
//
// The activation is hosted by org_host; org_p1 takes part as a partner; org_p2 takes part and
// holds the rotating facilitator seat; org_x has nothing to do with it. The caller is user
// usr_me of the organisation its relation names.
#include "tutti/governance/access.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

namespace tutti::governance {
namespace {

using core::OrgKind;
using core::Role;
using enum core::Role;

constexpr OrgKind kHostOrg = OrgKind::kHost;
constexpr OrgKind kPartnerOrg = OrgKind::kPartner;

// The caller's organisation's relation to the activation: its host, a participating partner, the
// participating partner holding the facilitator seat, or none.
enum class Rel { kHost, kPartner, kSeat, kNone };

const char* RelName(Rel rel) {
  switch (rel) {
    case Rel::kHost:
      return "host";
    case Rel::kPartner:
      return "partner";
    case Rel::kSeat:
      return "facilitator-seat partner";
    case Rel::kNone:
      return "unrelated organisation";
  }
  return "?";
}

ActivationAccess TheActivation() {
  return ActivationAccess{"act_1", "org_host", {{"org_p1", false}, {"org_p2", true}}};
}

Principal UserIn(OrgKind kind, Rel rel, Role role) {
  Principal p;
  p.user_id = "usr_me";
  p.org_kind = kind;
  p.role = role;
  switch (rel) {
    case Rel::kHost:
      p.org_id = "org_host";
      break;
    case Rel::kPartner:
      p.org_id = "org_p1";
      break;
    case Rel::kSeat:
      p.org_id = "org_p2";
      break;
    case Rel::kNone:
      p.org_id = "org_x";
      break;
  }
  return p;
}

// The decisions in the column order of the table below.
std::string Decisions(const Principal& p, const ActivationAccess& a) {
  const bool columns[] = {
      // activation
      CanViewActivation(p, a),
      CanEditBrief(p, a),
      CanManagePartners(p, a),
      CanViewPartnerPrivate(p, a, "org_p1"),
      CanEditPartnerPrivate(p, a, "org_p1"),
      CanViewPartnerPrivate(p, a, p.org_id),
      CanEditPartnerPrivate(p, a, p.org_id),
      CanEditWorkstream(p, a, p.user_id),
      CanEditWorkstream(p, a, "usr_someone_else"),
      CanSavePlaybook(p, a),
      // organisations
      CanCreateActivation(p),
      CanCreateOrg(p),
      CanViewOrg(p, p.org_id),
      CanViewOrg(p, "org_y"),
      CanManageOrgMembers(p, p.org_id),
      CanManageOrgMembers(p, "org_y"),
      // audit entries
      CanSeeAuditEntry(p, &a, ""),
      CanSeeAuditEntry(p, &a, "org_p1"),
      CanSeeAuditEntry(p, nullptr, p.org_id),
      CanSeeAuditEntry(p, nullptr, "org_y"),
  };
  std::string out;
  for (bool allowed : columns) out += allowed ? 'Y' : '.';
  return out;
}

struct Expectation {
  OrgKind kind;
  Rel rel;
  Role role;
  // Y = allowed, . = denied; spaces and bars are layout only. Columns:
  //   activation  v  view the activation            b  edit the brief
  //               m  manage its partner list         p  view org_p1's private terms
  //               P  edit org_p1's private terms     o  view own org's private terms
  //               O  edit own org's private terms    w  edit a workstream the caller owns
  //               W  edit someone else's workstream  s  save it as a playbook
  //   org         c  create an activation            C  create an organisation
  //               v  view own organisation           V  view another organisation
  //               n  manage own org's users/keys     N  manage another org's users/keys
  //   audit       a  see an activation entry         A  see an entry private to org_p1
  //               g  see an own-org entry            G  see another org's entry
  const char* expected;
};

// clang-format off
const Expectation kMatrix[] = {
    //                                               v b m p P o O w W s | c C v V n N | a A g G
    {kHostOrg,     Rel::kHost,    kOwner,           "Y Y Y Y Y Y Y Y Y Y | Y Y Y Y Y . | Y Y Y ."},
    {kHostOrg,     Rel::kHost,    kFacilitator,     "Y Y Y Y Y Y Y Y Y Y | Y . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kHost,    kWorkstreamOwner, "Y . . Y . Y . Y . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kHost,    kContributor,     "Y . . Y . Y . . . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kHost,    kViewer,          "Y . . Y . Y . . . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kHost,    kPartnerAdmin,    "Y . . Y . Y . . . . | . . Y Y Y . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kOwner,           "Y . . Y Y Y Y . . . | Y Y Y Y Y . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kFacilitator,     "Y . . Y . Y . . . . | Y . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kWorkstreamOwner, "Y . . Y . Y . Y . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kContributor,     "Y . . Y . Y . . . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kViewer,          "Y . . Y . Y . . . . | . . Y Y . . | Y Y Y ."},
    {kHostOrg,     Rel::kPartner, kPartnerAdmin,    "Y . . Y Y Y Y . . . | . . Y Y Y . | Y Y Y ."},
    {kHostOrg,     Rel::kSeat,    kOwner,           "Y . . . . Y Y . . . | Y Y Y Y Y . | Y . Y ."},
    {kHostOrg,     Rel::kSeat,    kFacilitator,     "Y Y . . . Y . Y Y . | Y . Y Y . . | Y . Y ."},
    {kHostOrg,     Rel::kSeat,    kWorkstreamOwner, "Y . . . . Y . Y . . | . . Y Y . . | Y . Y ."},
    {kHostOrg,     Rel::kSeat,    kContributor,     "Y . . . . Y . . . . | . . Y Y . . | Y . Y ."},
    {kHostOrg,     Rel::kSeat,    kViewer,          "Y . . . . Y . . . . | . . Y Y . . | Y . Y ."},
    {kHostOrg,     Rel::kSeat,    kPartnerAdmin,    "Y . . . . Y Y . . . | . . Y Y Y . | Y . Y ."},
    {kHostOrg,     Rel::kNone,    kOwner,           ". . . . . . . . . . | Y Y Y Y Y . | . . Y ."},
    {kHostOrg,     Rel::kNone,    kFacilitator,     ". . . . . . . . . . | Y . Y Y . . | . . Y ."},
    {kHostOrg,     Rel::kNone,    kWorkstreamOwner, ". . . . . . . . . . | . . Y Y . . | . . Y ."},
    {kHostOrg,     Rel::kNone,    kContributor,     ". . . . . . . . . . | . . Y Y . . | . . Y ."},
    {kHostOrg,     Rel::kNone,    kViewer,          ". . . . . . . . . . | . . Y Y . . | . . Y ."},
    {kHostOrg,     Rel::kNone,    kPartnerAdmin,    ". . . . . . . . . . | . . Y Y Y . | . . Y ."},
    {kPartnerOrg,  Rel::kHost,    kOwner,           "Y Y Y Y Y Y Y Y Y Y | . . Y . Y . | Y Y Y ."},
    {kPartnerOrg,  Rel::kHost,    kFacilitator,     "Y Y Y Y Y Y Y Y Y Y | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kHost,    kWorkstreamOwner, "Y . . Y . Y . Y . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kHost,    kContributor,     "Y . . Y . Y . . . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kHost,    kViewer,          "Y . . Y . Y . . . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kHost,    kPartnerAdmin,    "Y . . Y . Y . . . . | . . Y . Y . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kOwner,           "Y . . Y Y Y Y . . . | . . Y . Y . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kFacilitator,     "Y . . Y . Y . . . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kWorkstreamOwner, "Y . . Y . Y . Y . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kContributor,     "Y . . Y . Y . . . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kViewer,          "Y . . Y . Y . . . . | . . Y . . . | Y Y Y ."},
    {kPartnerOrg,  Rel::kPartner, kPartnerAdmin,    "Y . . Y Y Y Y . . . | . . Y . Y . | Y Y Y ."},
    {kPartnerOrg,  Rel::kSeat,    kOwner,           "Y . . . . Y Y . . . | . . Y . Y . | Y . Y ."},
    {kPartnerOrg,  Rel::kSeat,    kFacilitator,     "Y Y . . . Y . Y Y . | . . Y . . . | Y . Y ."},
    {kPartnerOrg,  Rel::kSeat,    kWorkstreamOwner, "Y . . . . Y . Y . . | . . Y . . . | Y . Y ."},
    {kPartnerOrg,  Rel::kSeat,    kContributor,     "Y . . . . Y . . . . | . . Y . . . | Y . Y ."},
    {kPartnerOrg,  Rel::kSeat,    kViewer,          "Y . . . . Y . . . . | . . Y . . . | Y . Y ."},
    {kPartnerOrg,  Rel::kSeat,    kPartnerAdmin,    "Y . . . . Y Y . . . | . . Y . Y . | Y . Y ."},
    {kPartnerOrg,  Rel::kNone,    kOwner,           ". . . . . . . . . . | . . Y . Y . | . . Y ."},
    {kPartnerOrg,  Rel::kNone,    kFacilitator,     ". . . . . . . . . . | . . Y . . . | . . Y ."},
    {kPartnerOrg,  Rel::kNone,    kWorkstreamOwner, ". . . . . . . . . . | . . Y . . . | . . Y ."},
    {kPartnerOrg,  Rel::kNone,    kContributor,     ". . . . . . . . . . | . . Y . . . | . . Y ."},
    {kPartnerOrg,  Rel::kNone,    kViewer,          ". . . . . . . . . . | . . Y . . . | . . Y ."},
    {kPartnerOrg,  Rel::kNone,    kPartnerAdmin,    ". . . . . . . . . . | . . Y . Y . | . . Y ."},
};
// clang-format on

std::string Compact(const char* layout) {
  std::string out;
  for (const char* c = layout; *c != '\0'; ++c) {
    if (*c == 'Y' || *c == '.') out += *c;
  }
  return out;
}

// Renders decisions in the table's layout, so that a failure reads cell by cell against it.
std::string Layout(const std::string& decisions) {
  std::string out;
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (i > 0) out += (i == 10 || i == 16) ? " | " : " ";
    out += decisions[i];
  }
  return out;
}

TEST(AccessMatrix, CoversEveryRoleOrgKindAndRelationOnce) {
  std::set<std::tuple<OrgKind, Rel, Role>> seen;
  for (const Expectation& e : kMatrix) {
    EXPECT_TRUE(seen.insert({e.kind, e.rel, e.role}).second)
        << "duplicate row " << core::OrgKindName(e.kind) << "/" << RelName(e.rel) << "/"
        << core::RoleName(e.role);
    EXPECT_EQ(Compact(e.expected).size(), 20u) << e.expected;
  }
  EXPECT_EQ(seen.size(), 2u * 4u * core::kRoleNames.size());
}

TEST(AccessMatrix, EveryUserDecisionMatchesTheTable) {
  const ActivationAccess activation = TheActivation();
  for (const Expectation& e : kMatrix) {
    EXPECT_EQ(Layout(Decisions(UserIn(e.kind, e.rel, e.role), activation)),
              Layout(Compact(e.expected)))
        << "role " << core::RoleName(e.role) << " in a " << core::OrgKindName(e.kind)
        << "-kind organisation that is the activation's " << RelName(e.rel)
        << "\n  columns: v b m p P o O w W s | c C v V n N | a A g G";
  }
}

// ---- API keys: scopes narrow what the organisation's derived role could do ----

Principal KeyOf(const std::string& org_id, OrgKind kind, std::set<std::string> scopes) {
  Principal p;
  p.api_key_id = "key_1";
  p.org_id = org_id;
  p.org_kind = kind;
  p.role = ApiKeyRole(scopes);
  p.scopes = std::move(scopes);
  return p;
}

TEST(ApiKeyRole, WriteScopeMakesAFacilitatorAnythingElseAViewer) {
  EXPECT_EQ(ApiKeyRole({"activations:write"}), Role::kFacilitator);
  EXPECT_EQ(ApiKeyRole({"activations:read", "activations:write"}), Role::kFacilitator);
  EXPECT_EQ(ApiKeyRole({"activations:read", "audit:read", "events:write"}), Role::kViewer);
  EXPECT_EQ(ApiKeyRole({}), Role::kViewer);
}

TEST(HasScope, UsersHaveEveryScopeKeysOnlyTheirOwn) {
  Principal user = UserIn(OrgKind::kHost, Rel::kHost, Role::kViewer);
  EXPECT_TRUE(HasScope(user, "audit:read"));
  Principal key = KeyOf("org_host", OrgKind::kHost, {"activations:read"});
  EXPECT_TRUE(HasScope(key, "activations:read"));
  EXPECT_FALSE(HasScope(key, "audit:read"));
  EXPECT_EQ(key.ActorId(), "key_1");
  EXPECT_EQ(user.ActorId(), "usr_me");
}

TEST(ApiKeyAccess, ReadScopeSeesButCannotChange) {
  const ActivationAccess a = TheActivation();
  Principal key = KeyOf("org_host", OrgKind::kHost, {"activations:read"});
  EXPECT_TRUE(CanViewActivation(key, a));
  EXPECT_TRUE(CanViewPartnerPrivate(key, a, "org_p1"));
  EXPECT_FALSE(CanEditBrief(key, a));
  EXPECT_FALSE(CanManagePartners(key, a));
  EXPECT_FALSE(CanCreateActivation(key));
  EXPECT_FALSE(CanSavePlaybook(key, a));
  EXPECT_FALSE(CanEditPartnerPrivate(key, a, "org_p1"));
}

TEST(ApiKeyAccess, WriteScopeActsAsAFacilitatorOfItsOwnOrganisation) {
  const ActivationAccess a = TheActivation();
  Principal host_key = KeyOf("org_host", OrgKind::kHost, {"activations:read", "activations:write"});
  EXPECT_TRUE(CanCreateActivation(host_key));
  EXPECT_TRUE(CanEditBrief(host_key, a));
  EXPECT_TRUE(CanManagePartners(host_key, a));

  Principal partner_key =
      KeyOf("org_p1", OrgKind::kPartner, {"activations:read", "activations:write"});
  EXPECT_TRUE(CanViewActivation(partner_key, a));
  EXPECT_FALSE(CanEditBrief(partner_key, a)) << "org_p1 does not hold the facilitator seat";
  EXPECT_FALSE(CanEditPartnerPrivate(partner_key, a, "org_p1"))
      << "a facilitator-role key is not a partner admin";

  Principal seat_key =
      KeyOf("org_p2", OrgKind::kPartner, {"activations:read", "activations:write"});
  EXPECT_TRUE(CanEditBrief(seat_key, a));

  Principal outsider_key =
      KeyOf("org_x", OrgKind::kHost, {"activations:read", "activations:write"});
  EXPECT_FALSE(CanViewActivation(outsider_key, a));
  EXPECT_FALSE(CanEditBrief(outsider_key, a));
}

TEST(ApiKeyAccess, KeysNeverManageOrganisationsUsersOrKeysWhateverTheirRole) {
  Principal key = KeyOf("org_host", OrgKind::kHost,
                        {"activations:read", "activations:write", "audit:read", "events:write"});
  key.role = Role::kOwner;  // even if a key somehow carried the strongest role
  EXPECT_FALSE(CanCreateOrg(key));
  EXPECT_FALSE(CanManageOrgMembers(key, "org_host"));
}

TEST(ApiKeyAccess, AuditEntriesNeedTheAuditScope) {
  const ActivationAccess a = TheActivation();
  Principal without = KeyOf("org_host", OrgKind::kHost, {"activations:read"});
  EXPECT_FALSE(CanSeeAuditEntry(without, &a, ""));
  EXPECT_FALSE(CanSeeAuditEntry(without, nullptr, "org_host"));

  Principal with = KeyOf("org_host", OrgKind::kHost, {"activations:read", "audit:read"});
  EXPECT_TRUE(CanSeeAuditEntry(with, &a, ""));
  EXPECT_TRUE(CanSeeAuditEntry(with, &a, "org_p1"));
  EXPECT_TRUE(CanSeeAuditEntry(with, nullptr, "org_host"));

  Principal audit_only = KeyOf("org_host", OrgKind::kHost, {"audit:read"});
  EXPECT_FALSE(CanSeeAuditEntry(audit_only, &a, ""))
      << "an activation's entries need the right to see the activation";
  EXPECT_TRUE(CanSeeAuditEntry(audit_only, nullptr, "org_host"));
}

TEST(ApiKeyAccess, EventsScopeAloneGrantsNothingInTheActivation) {
  const ActivationAccess a = TheActivation();
  Principal key = KeyOf("org_host", OrgKind::kHost, {"events:write"});
  EXPECT_FALSE(CanViewActivation(key, a));
  EXPECT_FALSE(CanEditBrief(key, a));
  EXPECT_FALSE(CanCreateActivation(key));
  EXPECT_FALSE(CanSeeAuditEntry(key, &a, ""));
}

}  // namespace
}  // namespace tutti::governance
