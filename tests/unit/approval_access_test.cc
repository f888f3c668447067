// The decision rights of approval workflows (governance/access.h, docs/access.md), written out as
// a table: every role in each relation to one activation, against every approval rule. The
// activation is hosted by org_host; org_p1 takes part (and owns the item in most columns); org_p2
// takes part too; org_x has nothing to do with it.
#include <gtest/gtest.h>

#include <iterator>
#include <set>
#include <string>

#include "tutti/governance/access.h"

namespace tutti::governance {
namespace {

using core::Role;
using enum core::Role;

enum class Rel { kHost, kItemOwner, kOtherPartner, kNone };

ActivationAccess TheActivation() {
  return ActivationAccess{"act_1", "org_host", {{"org_p1", false}, {"org_p2", true}}};
}

Principal UserIn(Rel rel, Role role) {
  Principal p;
  p.user_id = "usr_me";
  p.role = role;
  p.org_kind = rel == Rel::kHost ? core::OrgKind::kHost : core::OrgKind::kPartner;
  switch (rel) {
    case Rel::kHost:
      p.org_id = "org_host";
      break;
    case Rel::kItemOwner:
      p.org_id = "org_p1";
      break;
    case Rel::kOtherPartner:
      p.org_id = "org_p2";
      break;
    case Rel::kNone:
      p.org_id = "org_x";
      break;
  }
  return p;
}

// Columns:
//   v  see org_p1's request             n  see org_p1's request naming the caller as approver
//   h  see a host request not naming them
//   r  put an item up for approval      d  decide (whether the workflow names them aside)
//   s  resubmit own organisation's item S  resubmit org_p1's item
//   b  see org_p1's breaches            B  see the host's breaches
//   i  have an inbox
std::string Decisions(const Principal& p) {
  const ActivationAccess a = TheActivation();
  const bool columns[] = {
      CanViewApproval(p, a, "org_p1", false),
      CanViewApproval(p, a, "org_p1", true),
      CanViewApproval(p, a, "org_host", false),
      CanRequestApproval(p, a),
      CanDecideApproval(p, a),
      CanResubmitApproval(p, a, p.org_id),
      CanResubmitApproval(p, a, "org_p1"),
      CanViewApprovalBreaches(p, a, "org_p1"),
      CanViewApprovalBreaches(p, a, "org_host"),
      HasApprovalInbox(p),
  };
  std::string out;
  for (bool allowed : columns) out += allowed ? 'Y' : '.';
  return out;
}

struct Expectation {
  Rel rel;
  Role role;
  const char* expected;  // v n h r d s S b B i, spaces for layout only
};

// clang-format off
const Expectation kMatrix[] = {
    //                                            v n h r d s S b B i
    {Rel::kHost,         kOwner,           "Y Y Y Y Y Y . Y Y Y"},
    {Rel::kHost,         kFacilitator,     "Y Y Y Y Y Y . Y Y Y"},
    {Rel::kHost,         kWorkstreamOwner, "Y Y Y Y Y Y . Y Y Y"},
    {Rel::kHost,         kContributor,     "Y Y Y Y Y Y . Y Y Y"},
    {Rel::kHost,         kViewer,          "Y Y Y . Y . . Y Y Y"},
    {Rel::kHost,         kPartnerAdmin,    "Y Y Y Y Y Y . Y Y Y"},
    {Rel::kItemOwner,    kOwner,           "Y Y . Y Y Y Y Y . Y"},
    {Rel::kItemOwner,    kFacilitator,     "Y Y . Y Y Y Y Y . Y"},
    {Rel::kItemOwner,    kWorkstreamOwner, "Y Y . Y Y Y Y Y . Y"},
    {Rel::kItemOwner,    kContributor,     "Y Y . Y Y Y Y Y . Y"},
    {Rel::kItemOwner,    kViewer,          "Y Y . . Y . . Y . Y"},
    {Rel::kItemOwner,    kPartnerAdmin,    "Y Y . Y Y Y Y Y . Y"},
    {Rel::kOtherPartner, kOwner,           ". Y . Y Y Y . . . Y"},
    {Rel::kOtherPartner, kFacilitator,     ". Y . Y Y Y . . . Y"},
    {Rel::kOtherPartner, kWorkstreamOwner, ". Y . Y Y Y . . . Y"},
    {Rel::kOtherPartner, kContributor,     ". Y . Y Y Y . . . Y"},
    {Rel::kOtherPartner, kViewer,          ". Y . . Y . . . . Y"},
    {Rel::kOtherPartner, kPartnerAdmin,    ". Y . Y Y Y . . . Y"},
    {Rel::kNone,         kOwner,           ". . . . . . . . . Y"},
    {Rel::kNone,         kFacilitator,     ". . . . . . . . . Y"},
    {Rel::kNone,         kWorkstreamOwner, ". . . . . . . . . Y"},
    {Rel::kNone,         kContributor,     ". . . . . . . . . Y"},
    {Rel::kNone,         kViewer,          ". . . . . . . . . Y"},
    {Rel::kNone,         kPartnerAdmin,    ". . . . . . . . . Y"},
};
// clang-format on

std::string Compact(const char* layout) {
  std::string out;
  for (const char* c = layout; *c != '\0'; ++c) {
    if (*c == 'Y' || *c == '.') out += *c;
  }
  return out;
}

TEST(ApprovalAccess, EveryUserDecisionMatchesTheTable) {
  EXPECT_EQ(std::size(kMatrix), 4u * core::kRoleNames.size());
  for (const Expectation& e : kMatrix) {
    EXPECT_EQ(Decisions(UserIn(e.rel, e.role)), Compact(e.expected))
        << "role " << core::RoleName(e.role) << ", relation " << static_cast<int>(e.rel)
        << "\n  columns: v n h r d s S b B i";
  }
}

Principal KeyOf(const std::string& org_id, std::set<std::string> scopes) {
  Principal p;
  p.api_key_id = "key_1";
  p.org_id = org_id;
  p.org_kind = core::OrgKind::kPartner;
  p.role = ApiKeyRole(scopes);
  p.scopes = std::move(scopes);
  return p;
}

TEST(ApprovalAccess, KeysSubmitWithTheWriteScopeButNeverDecideNorHaveAnInbox) {
  const Principal reader = KeyOf("org_p1", {"activations:read"});
  EXPECT_EQ(Decisions(reader), "YY.....Y..");
  const Principal writer = KeyOf("org_p1", {"activations:read", "activations:write"});
  EXPECT_EQ(Decisions(writer), "YY.Y.YYY..");
  const Principal events_only = KeyOf("org_p1", {"events:write"});
  EXPECT_EQ(Decisions(events_only), "..........") << "without activations:read it sees nothing";
}

}  // namespace
}  // namespace tutti::governance
