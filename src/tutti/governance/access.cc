#include "tutti/governance/access.h"

namespace tutti::governance {
namespace {

using core::OrgKind;
using core::Role;

bool IsHostOf(const Principal& p, const ActivationAccess& a) { return p.org_id == a.host_org_id; }

const Participant* FindParticipant(const Principal& p, const ActivationAccess& a) {
  for (const Participant& part : a.participants) {
    if (part.org_id == p.org_id) return &part;
  }
  return nullptr;
}

bool CanRead(const Principal& p, const char* scope) { return HasScope(p, scope); }
// Writing to what one cannot read makes no sense, and responses would leak it.
bool CanWrite(const Principal& p) {
  return HasScope(p, "activations:write") && HasScope(p, "activations:read");
}

}  // namespace

Role ApiKeyRole(const std::set<std::string>& scopes) {
  return scopes.contains("activations:write") ? Role::kFacilitator : Role::kViewer;
}

bool HasScope(const Principal& p, const std::string& scope) {
  return !p.scopes.has_value() || p.scopes->contains(scope);
}

bool CanCreateActivation(const Principal& p) {
  return p.org_kind == OrgKind::kHost && CanWrite(p) &&
         (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanViewActivation(const Principal& p, const ActivationAccess& a) {
  if (!CanRead(p, "activations:read")) return false;
  return IsHostOf(p, a) || FindParticipant(p, a) != nullptr;
}

bool CanEditBrief(const Principal& p, const ActivationAccess& a) {
  if (!CanWrite(p)) return false;
  if (IsHostOf(p, a)) return p.role == Role::kOwner || p.role == Role::kFacilitator;
  const Participant* part = FindParticipant(p, a);
  return part != nullptr && part->facilitator && p.role == Role::kFacilitator;
}

bool CanManagePartners(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanViewPartnerPrivate(const Principal& p, const ActivationAccess& a,
                           const std::string& partner_org_id) {
  if (!CanViewActivation(p, a)) return false;
  return IsHostOf(p, a) || p.org_id == partner_org_id;
}

bool CanEditPartnerPrivate(const Principal& p, const ActivationAccess& a,
                           const std::string& partner_org_id) {
  if (!CanWrite(p) || !CanViewPartnerPrivate(p, a, partner_org_id)) return false;
  if (IsHostOf(p, a)) return p.role == Role::kOwner || p.role == Role::kFacilitator;
  return p.role == Role::kPartnerAdmin || p.role == Role::kOwner;
}

bool CanEditWorkstream(const Principal& p, const ActivationAccess& a,
                       const std::string& primary_owner_id) {
  if (CanEditBrief(p, a)) return true;
  return CanWrite(p) && CanViewActivation(p, a) && !p.user_id.empty() &&
         p.user_id == primary_owner_id && p.role == Role::kWorkstreamOwner;
}

bool CanSavePlaybook(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanWritePartnerPosts(const Principal& p, const ActivationAccess& a,
                          const std::string& partner_org_id) {
  if (CanEditBrief(p, a)) return true;
  return CanWrite(p) && CanViewActivation(p, a) && p.org_id == partner_org_id &&
         p.role != Role::kViewer;
}

bool CanManageDataContract(const Principal& p, const ActivationAccess& a,
                           const std::string& feed_org_id) {
  if (CanEditBrief(p, a)) return true;
  return CanWrite(p) && CanViewActivation(p, a) && p.org_id == feed_org_id &&
         !p.scopes.has_value() && (p.role == Role::kOwner || p.role == Role::kPartnerAdmin);
}

bool CanSendEvents(const Principal& p, const std::string& feed_org_id) {
  if (p.org_id != feed_org_id || !HasScope(p, "events:write")) return false;
  return p.scopes.has_value() || p.role != Role::kViewer;
}

bool CanRecordConsent(const Principal& p) {
  if (p.scopes.has_value()) return HasScope(p, "events:write");
  return p.role == Role::kOwner || p.role == Role::kFacilitator || p.role == Role::kPartnerAdmin;
}

bool CanEraseUserKey(const Principal& p) {
  return !p.scopes.has_value() && (p.role == Role::kOwner || p.role == Role::kPartnerAdmin);
}

bool CanEditGateCriteria(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanTickGateChecklist(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && p.role != Role::kViewer;
}

bool CanSignOffGate(const Principal& p, const ActivationAccess& a) {
  // A sign-off is a person's word: keys have no one to stand behind it.
  return !p.scopes.has_value() && !p.user_id.empty() && CanViewActivation(p, a) &&
         p.role != Role::kViewer;
}

bool CanDecideGate(const Principal& p, const ActivationAccess& a) {
  return !p.scopes.has_value() && !p.user_id.empty() && CanEditBrief(p, a);
}

bool CanSeeGateMeasurement(const Principal& p, const ActivationAccess& a, bool money,
                           const std::string& scope_org_id) {
  if (!CanViewActivation(p, a)) return false;
  if (IsHostOf(p, a) || (!scope_org_id.empty() && scope_org_id == p.org_id)) return true;
  return !money && scope_org_id.empty();
}

bool CanViewApproval(const Principal& p, const ActivationAccess& a, const std::string& owner_org_id,
                     bool named_as_approver) {
  if (!CanViewActivation(p, a)) return false;
  return IsHostOf(p, a) || p.org_id == owner_org_id || named_as_approver;
}

bool CanRequestApproval(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && CanViewActivation(p, a) && p.role != Role::kViewer;
}

bool CanDecideApproval(const Principal& p, const ActivationAccess& a) {
  return !p.scopes.has_value() && !p.user_id.empty() && CanViewActivation(p, a);
}

bool CanResubmitApproval(const Principal& p, const ActivationAccess& a,
                         const std::string& owner_org_id) {
  return CanRequestApproval(p, a) && p.org_id == owner_org_id;
}

bool CanViewApprovalBreaches(const Principal& p, const ActivationAccess& a,
                             const std::string& owner_org_id) {
  return CanViewApproval(p, a, owner_org_id, false);
}

bool HasApprovalInbox(const Principal& p) { return !p.scopes.has_value() && !p.user_id.empty(); }

bool CanCreateUserFeed(const Principal& p) { return !p.scopes.has_value() && !p.user_id.empty(); }

bool CanManageOrgFeeds(const Principal& p, const std::string& org_id) {
  return CanCreateUserFeed(p) && CanManageOrgMembers(p, org_id);
}

bool CanViewAsset(const Principal& p, const ActivationAccess& a, const std::string& owner_org_id,
                  bool shared) {
  if (!CanViewActivation(p, a)) return false;
  return IsHostOf(p, a) || p.org_id == owner_org_id || shared;
}

bool CanUploadAsset(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && CanViewActivation(p, a) && p.role != Role::kViewer;
}

bool CanAddAssetVersion(const Principal& p, const ActivationAccess& a,
                        const std::string& owner_org_id) {
  return CanUploadAsset(p, a) && p.org_id == owner_org_id;
}

bool CanEditAssetSettings(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanTranslateVariant(const Principal& p, const ActivationAccess& a,
                         const std::string& variant_owner_org_id) {
  return CanUploadAsset(p, a) && p.org_id == variant_owner_org_id;
}

bool CanReviewVariant(const Principal& p, const ActivationAccess& a,
                      const std::string& master_owner_org_id) {
  if (p.scopes.has_value() || p.user_id.empty() || !CanViewActivation(p, a)) return false;
  if (IsHostOf(p, a)) return p.role == Role::kOwner || p.role == Role::kFacilitator;
  return p.org_id == master_owner_org_id &&
         (p.role == Role::kOwner || p.role == Role::kPartnerAdmin);
}

bool CanDraftCrisisTemplate(const Principal& p, const ActivationAccess& a) {
  return CanEditBrief(p, a);
}

bool CanApproveCrisisTemplate(const Principal& p, const ActivationAccess& a) {
  return p.api_key_id.empty() && CanWrite(p) && IsHostOf(p, a) &&
         (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanEditIncidentRoster(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanEditRetentionPolicy(const Principal& p, const ActivationAccess& a) {
  return CanEditBrief(p, a);
}

bool CanViewLegalHolds(const Principal& p, const ActivationAccess& a) {
  return p.api_key_id.empty() && CanViewActivation(p, a) && IsHostOf(p, a);
}

bool CanPlaceLegalHold(const Principal& p, const ActivationAccess& a) {
  return CanViewLegalHolds(p, a) && CanWrite(p) && p.role == Role::kOwner;
}

bool CanExportActivation(const Principal& p, const ActivationAccess& a) {
  return p.api_key_id.empty() && CanViewActivation(p, a) && IsHostOf(p, a) &&
         (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanEditUtmTaxonomy(const Principal& p, const ActivationAccess& a) {
  return CanWrite(p) && IsHostOf(p, a) && (p.role == Role::kOwner || p.role == Role::kFacilitator);
}

bool CanViewPostContent(const Principal& p, const ActivationAccess& a,
                        const std::string& post_org_id, bool approved) {
  if (!CanViewActivation(p, a)) return false;
  return IsHostOf(p, a) || p.org_id == post_org_id || approved;
}

bool CanRecordPublication(const Principal& p, const ActivationAccess& a,
                          const std::string& post_org_id) {
  return CanWritePartnerPosts(p, a, post_org_id);
}

bool CanFreezePosts(const Principal& p, const ActivationAccess& a,
                    const std::string& frozen_org_id) {
  if (!CanWrite(p) || !CanViewActivation(p, a)) return false;
  if (IsHostOf(p, a)) return p.role == Role::kOwner || p.role == Role::kFacilitator;
  // A partner stops its own posts in a crisis; a person decides that, never a key.
  return !frozen_org_id.empty() && p.org_id == frozen_org_id && !p.scopes.has_value() &&
         (p.role == Role::kOwner || p.role == Role::kPartnerAdmin);
}

bool CanCreateOrg(const Principal& p) {
  return p.org_kind == OrgKind::kHost && p.role == Role::kOwner && !p.scopes.has_value();
}

bool CanViewOrg(const Principal& p, const std::string& org_id) {
  return HasScope(p, "activations:read") && (p.org_id == org_id || p.org_kind == OrgKind::kHost);
}

bool CanListOrgMembers(const Principal& p, const std::string& org_id) {
  // People's names and emails are for people: machine feeds never need them.
  return !p.scopes.has_value() && CanViewOrg(p, org_id);
}

bool CanViewPlaybooks(const Principal& p, const std::string& org_id) {
  return HasScope(p, "activations:read") && p.org_id == org_id;
}

bool CanManageOrgMembers(const Principal& p, const std::string& org_id) {
  // API keys never mint users or keys: a leaked key must not be able to entrench itself.
  return !p.scopes.has_value() && p.org_id == org_id &&
         (p.role == Role::kOwner || p.role == Role::kPartnerAdmin);
}

bool CanSeeAuditEntry(const Principal& p, const ActivationAccess* activation,
                      const std::string& visible_org_id) {
  if (!HasScope(p, "audit:read")) return false;
  if (activation != nullptr) {
    if (!CanViewActivation(p, *activation)) return false;
    return visible_org_id.empty() || IsHostOf(p, *activation) || p.org_id == visible_org_id;
  }
  return !visible_org_id.empty() && p.org_id == visible_org_id;
}

}  // namespace tutti::governance
