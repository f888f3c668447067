// Decision rights: who may see or change what. This is the single access-control mechanism every
// API route and CLI command passes through (ASVS 1.4.4); each rule is a pure function of the
// caller and the object, so the authorization matrix is testable without a server. The matrix
// itself is written out in docs/access.md. Thread-safe.
//
// Principles: deny by default; an activation exists only for its host organisation and its
// participating partners (others get "not found", never "forbidden", so ids leak nothing);
// a partner's agreement, contribution and private notes exist only for the host and that partner.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tutti/core/roles.h"

namespace tutti::governance {

// Who is calling: a user (through a session) or an organisation's API key.
struct Principal {
  std::string user_id;     // empty for API keys
  std::string api_key_id;  // empty for users
  std::string org_id;
  core::OrgKind org_kind = core::OrgKind::kPartner;
  core::Role role = core::Role::kViewer;        // for API keys: derived from scopes, see ApiKeyRole
  std::optional<std::set<std::string>> scopes;  // nullopt for users: their role decides
  std::string display_name;
  std::string ActorId() const { return user_id.empty() ? api_key_id : user_id; }
};

struct Participant {
  std::string org_id;
  bool facilitator = false;
};

// What access decisions about an activation need to know.
struct ActivationAccess {
  std::string activation_id;
  std::string host_org_id;
  std::vector<Participant> participants;
};

// An API key acts with the weakest role its scopes allow: "activations:write" makes it a
// facilitator of its own organisation, anything else a viewer.
core::Role ApiKeyRole(const std::set<std::string>& scopes);
bool HasScope(const Principal& p, const std::string& scope);

bool CanCreateActivation(const Principal& p);
bool CanViewActivation(const Principal& p, const ActivationAccess& a);
// Brief, workstream structure and partner list: the host's owners and facilitators, and the
// facilitators of a partner organisation currently holding the rotating facilitator seat.
bool CanEditBrief(const Principal& p, const ActivationAccess& a);
bool CanManagePartners(const Principal& p, const ActivationAccess& a);
// Agreement, contribution and notes of `partner_org_id` in this activation.
bool CanViewPartnerPrivate(const Principal& p, const ActivationAccess& a,
                           const std::string& partner_org_id);
bool CanEditPartnerPrivate(const Principal& p, const ActivationAccess& a,
                           const std::string& partner_org_id);
// A workstream's owner may edit it; so may whoever may edit the brief.
bool CanEditWorkstream(const Principal& p, const ActivationAccess& a,
                       const std::string& primary_owner_id);
bool CanSavePlaybook(const Principal& p, const ActivationAccess& a);
// The posts of `partner_org_id` in the activation's content calendar: whoever edits the brief,
// and the organisation's own people (anyone but viewers) when it is the host or a participant.
bool CanWritePartnerPosts(const Principal& p, const ActivationAccess& a,
                          const std::string& partner_org_id);

// Measurement (docs/ingest.md). A feed's data contract: whoever edits the brief, and the feed
// organisation's own owners and partner admins.
bool CanManageDataContract(const Principal& p, const ActivationAccess& a,
                           const std::string& feed_org_id);
// Events into a feed: its organisation's keys with events:write, and its people but viewers.
bool CanSendEvents(const Principal& p, const std::string& feed_org_id);
// Consent changes: keys with events:write (collection systems), owners, facilitators and
// partner admins. Erasure: owners and partner admins, in person.
bool CanRecordConsent(const Principal& p);
bool CanEraseUserKey(const Principal& p);

// Phase gates (docs/approvals.md). Everyone who sees the activation sees its gates. Criteria:
// the host's owners and facilitators. Checklist items: the host's people but viewers (and host
// keys with activations:write). Sign-offs towards required approvals: people (not API keys) of
// the host and the partners, but viewers. A go/no-go: the people who edit the brief (the host's
// owners and facilitators, the partner facilitator holding the seat); overriding a failing
// criterion is narrower still (governance::CanOverrideGate: the host's side only).
bool CanEditGateCriteria(const Principal& p, const ActivationAccess& a);
bool CanTickGateChecklist(const Principal& p, const ActivationAccess& a);
bool CanSignOffGate(const Principal& p, const ActivationAccess& a);
bool CanDecideGate(const Principal& p, const ActivationAccess& a);
// Whether a gate shows the caller a measured value: the host sees every one; a partner sees
// counts and rates (impressions, clicks, conversions, CTR, conversion rate) of the whole
// activation or a channel, and everything measured on its own organisation, but no money figure
// (spend, revenue and the ratios over them) of anyone else: spend is shared only by agreement
// (docs/attribution.md). `scope_org_id` is the organisation a threshold's scope names, or "".
bool CanSeeGateMeasurement(const Principal& p, const ActivationAccess& a, bool money,
                           const std::string& scope_org_id);

// Approval workflows (docs/approvals.md, "Storage, jobs and HTTP API"). A request belongs to the
// organisation whose item it is (`owner_org_id`). It is seen by the activation's host, by the
// owner's people, and by those the workflow names as approvers (`named_as_approver`: a named
// user, or a role held on the item's side), never by another partner otherwise.
bool CanViewApproval(const Principal& p, const ActivationAccess& a, const std::string& owner_org_id,
                     bool named_as_approver);
// Putting one's own organisation's item up for approval: its people but viewers, and its keys
// with activations:write.
bool CanRequestApproval(const Principal& p, const ActivationAccess& a);
// Deciding is a person's word (no API key); whether they are an approver of the step is the
// workflow's to say (governance::CheckDecision, not_an_approver).
bool CanDecideApproval(const Principal& p, const ActivationAccess& a);
// A new round after a reject or a request for changes: the owner's people but viewers, and its
// keys with activations:write.
bool CanResubmitApproval(const Principal& p, const ActivationAccess& a,
                         const std::string& owner_org_id);
// The SLA report (breaches and escalations): the host sees every item's, a partner its own.
bool CanViewApprovalBreaches(const Principal& p, const ActivationAccess& a,
                             const std::string& owner_org_id);
// An inbox belongs to a person; API keys have none.
bool HasApprovalInbox(const Principal& p);

// Asset library (docs/assets.md, "Storage, HTTP API and CLI"). An asset belongs to the
// organisation that uploaded its first version. The host sees every asset of its activation; a
// partner sees its own organisation's and those their owner shared, never another partner's
// drafts. Uploading (a new asset or variant): the host's and partners' people but viewers, and
// keys with activations:write. A new version: the same, of the owner's organisation only.
bool CanViewAsset(const Principal& p, const ActivationAccess& a, const std::string& owner_org_id,
                  bool shared);
bool CanUploadAsset(const Principal& p, const ActivationAccess& a);
bool CanAddAssetVersion(const Principal& p, const ActivationAccess& a,
                        const std::string& owner_org_id);
// Naming template, brand and platform specs: the host's owners and facilitators.
bool CanEditAssetSettings(const Principal& p, const ActivationAccess& a);
// A variant's translation (start, submit): the variant owner's people but viewers. Its review
// (approve, request changes) is a person's word: the host's owners and facilitators, and the
// master owner's owners and partner admins.
bool CanTranslateVariant(const Principal& p, const ActivationAccess& a,
                         const std::string& variant_owner_org_id);
bool CanReviewVariant(const Principal& p, const ActivationAccess& a,
                      const std::string& master_owner_org_id);

// Archive (docs/archive.md). Crisis templates and the incident roster are the activation's
// playbook: everyone who sees the activation reads them. Drafting or revising a template: whoever
// edits the brief. Pre-approving a template's version is a person's word: the host's owners and
// facilitators. The roster: the host's owners and facilitators. The retention policy: whoever
// edits the brief. Legal holds (they may reveal pending litigation): the host's people see them;
// only the host's owners, in person, place and release them. The export (an audit copy of
// everything, every partner's agreement included): the host's owners and facilitators, in
// person.
bool CanDraftCrisisTemplate(const Principal& p, const ActivationAccess& a);
bool CanApproveCrisisTemplate(const Principal& p, const ActivationAccess& a);
bool CanEditIncidentRoster(const Principal& p, const ActivationAccess& a);
bool CanEditRetentionPolicy(const Principal& p, const ActivationAccess& a);
bool CanViewLegalHolds(const Principal& p, const ActivationAccess& a);
bool CanPlaceLegalHold(const Principal& p, const ActivationAccess& a);
bool CanExportActivation(const Principal& p, const ActivationAccess& a);

// Compliant publishing (docs/publishing.md, "Posts in the product"). Everyone who sees the
// activation reads its UTM taxonomy and its freezes; the host's owners and facilitators write the
// taxonomy. A post's content is written by whoever writes that organisation's posts
// (CanWritePartnerPosts); its copy and links are seen by the host and the post's organisation, and
// by the other partners only once the version is approved (`approved`). A publication is recorded
// by whoever writes the post. A freeze of the whole activation, or of any organisation's posts:
// the host's owners and facilitators; of one partner's own posts (`frozen_org_id`): also that
// partner's owners and partner admins, in person. Lifting follows the same rule as freezing.
bool CanEditUtmTaxonomy(const Principal& p, const ActivationAccess& a);
bool CanViewPostContent(const Principal& p, const ActivationAccess& a,
                        const std::string& post_org_id, bool approved);
bool CanRecordPublication(const Principal& p, const ActivationAccess& a,
                          const std::string& post_org_id);
// `frozen_org_id` is "" for a freeze of the whole activation.
bool CanFreezePosts(const Principal& p, const ActivationAccess& a,
                    const std::string& frozen_org_id);

bool CanCreateOrg(const Principal& p);
bool CanViewOrg(const Principal& p, const std::string& org_id);
// Users of an organisation (names, emails): people who may see the organisation, never API keys.
bool CanListOrgMembers(const Principal& p, const std::string& org_id);
// Playbooks are the host organisation's own; templates carry partner agreement terms.
bool CanViewPlaybooks(const Principal& p, const std::string& org_id);
// Users and API keys of an organisation: its own owners and partner admins.
bool CanManageOrgMembers(const Principal& p, const std::string& org_id);
// Calendar feeds belong to people: a user subscribes for themself; an organisation's owners and
// partner admins create and revoke its shared feeds. API keys do neither.
bool CanCreateUserFeed(const Principal& p);
bool CanManageOrgFeeds(const Principal& p, const std::string& org_id);

// An audit entry: about an activation (visible to who sees the activation, narrowed to the host
// and `visible_org_id` when set) or about an organisation's own objects (visible to members of
// `visible_org_id`).
bool CanSeeAuditEntry(const Principal& p, const ActivationAccess* activation,
                      const std::string& visible_org_id);

}  // namespace tutti::governance
