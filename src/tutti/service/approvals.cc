// Approval workflows joining the rules and the Store (approvals.h). Thread-safe: no state.
#include "tutti/service/approvals.h"

#include <algorithm>
#include <map>

namespace tutti::service {

governance::Actor ApprovalActor(const governance::Principal& caller, const std::string& host_org_id,
                                const std::string& owner_org_id) {
  governance::Actor actor;
  actor.user_id = caller.user_id;
  actor.role = caller.role;
  if (caller.org_id == host_org_id) {
    actor.party = governance::Party::kHost;
  } else if (caller.org_id == owner_org_id) {
    actor.party = governance::Party::kPartner;
  }
  return actor;
}

bool NamesAsApprover(const governance::ApprovalWorkflow& workflow, const governance::Actor& actor) {
  return std::any_of(
      workflow.steps.begin(), workflow.steps.end(),
      [&](const governance::ApprovalStep& step) { return governance::CanDecide(step, actor); });
}

bool CanSeeApproval(const governance::Principal& caller,
                    const storage::ActivationRecord& activation,
                    const storage::ApprovalRecord& approval) {
  bool named = false;
  if (Result<governance::ApprovalWorkflow> workflow = approval.ParsedWorkflow(); workflow.ok()) {
    named =
        NamesAsApprover(*workflow, ApprovalActor(caller, activation.host_org_id, approval.org_id));
  }
  return governance::CanViewApproval(caller, activation.Access(), approval.org_id, named);
}

Result<std::vector<ApprovalInboxItem>> ApprovalInbox(storage::Store& store,
                                                     const governance::Principal& caller) {
  std::vector<ApprovalInboxItem> inbox;
  if (!governance::HasApprovalInbox(caller)) return inbox;
  TUTTI_ASSIGN_OR_RETURN(auto activations, store.ListActivationsVisibleTo(caller.org_id));
  std::map<std::string, const storage::ActivationRecord*> by_id;
  for (const storage::ActivationRecord& a : activations) by_id[a.id] = &a;
  TUTTI_ASSIGN_OR_RETURN(auto pending, store.ListPendingApprovalsVisibleTo(caller.org_id));
  const Instant now = store.clock().Now();
  for (storage::ApprovalRecord& approval : pending) {
    auto activation = by_id.find(approval.activation_id);
    if (activation == by_id.end() || !CanSeeApproval(caller, *activation->second, approval)) {
      continue;
    }
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow, approval.ParsedWorkflow());
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                           approval.Evaluate(workflow, approval.round, now));
    const governance::Actor actor =
        ApprovalActor(caller, activation->second->host_org_id, approval.org_id);
    for (const governance::InboxEntry& entry : governance::InboxFor(workflow, evaluation, actor)) {
      inbox.push_back(ApprovalInboxItem{approval, activation->second->document.value("name", ""),
                                        workflow.steps[entry.step].name, entry});
    }
  }
  std::sort(inbox.begin(), inbox.end(), [](const ApprovalInboxItem& a, const ApprovalInboxItem& b) {
    if (a.entry.due_at != b.entry.due_at) return a.entry.due_at < b.entry.due_at;
    if (a.approval.id != b.approval.id) return a.approval.id < b.approval.id;
    return a.entry.step < b.entry.step;
  });
  return inbox;
}

Status RunApprovalEscalation(storage::Store& store, const storage::JobRecord& job,
                             const storage::JobLease& lease) {
  const Json& payload = job.payload;
  if (!payload.is_object() || !payload.contains("approval_id") ||
      !payload.at("approval_id").is_string() || !payload.contains("round") ||
      !payload.at("round").is_number_integer()) {
    return store.FailJob(lease,
                         "approval_escalation job " + job.id +
                             " needs a payload with approval_id (string) and round (integer)",
                         std::nullopt);
  }
  return store
      .RecordDueApprovalEscalations(payload.at("approval_id").get<std::string>(),
                                    payload.at("round").get<int64_t>(), lease)
      .status();
}

void HandleApprovalJobs(JobRunner& runner, storage::Store& store) {
  runner.Handle(storage::kApprovalEscalationJob,
                [&store](const storage::JobRecord& job, const storage::JobLease& lease) {
                  return RunApprovalEscalation(store, job, lease);
                });
}

}  // namespace tutti::service
