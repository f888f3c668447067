// Approval workflows as the API and `tutti serve` run them (docs/approvals.md, "Storage, jobs and
// HTTP API"): who a caller is as an approver of an item, who may see a request, a person's inbox
// across activations, and the background job that records SLA breaches and escalations. The
// rules are governance/approvals.h's and the state is the Store's; this joins them. Thread-safe:
// no state of its own.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/governance/access.h"
#include "tutti/governance/approvals.h"
#include "tutti/service/job_runner.h"
#include "tutti/storage/store.h"

namespace tutti::service {

// What a request may be about (its subject's kind); the subject's id is the caller's own.
inline constexpr auto kApprovalSubjectKindNames =
    std::to_array<std::string_view>({"post", "asset", "brief_version", "document"});

// The caller as an approver of an item of `owner_org_id` in an activation hosted by
// `host_org_id`: their role, on the host's side, on the item's partner's side, or on neither
// (another partner's user matches only where the workflow names them).
governance::Actor ApprovalActor(const governance::Principal& caller, const std::string& host_org_id,
                                const std::string& owner_org_id);

// True when some step of `workflow` names the caller as an approver (user or role).
bool NamesAsApprover(const governance::ApprovalWorkflow& workflow, const governance::Actor& actor);

// governance::CanViewApproval for this request; a workflow that no longer parses counts as
// naming no one.
bool CanSeeApproval(const governance::Principal& caller,
                    const storage::ActivationRecord& activation,
                    const storage::ApprovalRecord& approval);

// One pending step awaiting the caller.
struct ApprovalInboxItem {
  storage::ApprovalRecord approval;
  std::string activation_name;
  std::string step;  // the step's name
  governance::InboxEntry entry;
};

// The caller's pending steps in every activation they see (governance::InboxFor per request they
// may see), evaluated at the store's clock, most urgent first: by due_at, then request id and
// step. Empty for API keys (HasApprovalInbox). A stored request the rules refuse is kInternal.
Result<std::vector<ApprovalInboxItem>> ApprovalInbox(storage::Store& store,
                                                     const governance::Principal& caller);

// The handler of storage::kApprovalEscalationJob: the payload names the request and its round
// ({"approval_id", "round", …}); Store::RecordDueApprovalEscalations records what is due and
// completes the job under its lease. A payload without them can never succeed, so the handler
// fails the job for good itself (Store::FailJob, no retry) and returns what that returned.
Status RunApprovalEscalation(storage::Store& store, const storage::JobRecord& job,
                             const storage::JobLease& lease);

// Registers RunApprovalEscalation on `runner` (before runner.Start()).
void HandleApprovalJobs(JobRunner& runner, storage::Store& store);

}  // namespace tutti::service
