// Approval workflows (C3): who must approve an item (a post, an asset, a brief version), in which
// order, how fast, and whom to alert when they are late. Pure rules over values: the workflow is
// parsed once, a round is evaluated from its start instant and its recorded decisions at a `now`
// the caller passes in (no clock is read), and the escalation events a job runner must record
// are derived from that evaluation, so running the job twice records nothing twice. Storage, the
// job runner and the API sit on top (docs/approvals.md). Every function is thread-safe.
//
// Model. A workflow is an ordered list of steps grouped into stages: a step either starts a new
// stage or runs in parallel with the one before it. Stage 0 becomes active when the round starts;
// stage k+1 when every step of stage k is approved (at the instant of the last approval). A step
// is approved by any one of its approvers (quorum any) or by all of them (quorum all: every named
// user, and for every listed role at least one holder of it). A reject or request-changes
// decision by an eligible approver ends the whole round at once, whatever the quorum; the author
// resubmits, which starts a new round (a new evaluation with a new start and no decisions).
//
// Time. A step's turnaround starts when it becomes active: due_at = activated_at + turnaround.
// It is breached when it is still pending after due_at, or was completed after due_at (a
// decision at due_at exactly is on time). Escalation level k is reached once more than
// after_hours(k) have passed since activation (measured from activation, like the agreement's
// escalation path, whose first level usually equals the turnaround).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/core/roles.h"

namespace tutti::governance {

// Which side of an item an organisation is on: the host of the activation, or the partner the
// item belongs to (for a gate: any participating partner).
enum class Party { kHost, kPartner };

// A role an approver must hold: "owner" (on the host or the item's partner), "host:owner" or
// "partner:partner_admin". Users of other partners never match a role, only a named user entry.
struct RoleRef {
  core::Role role = core::Role::kOwner;
  std::optional<Party> party;  // nullopt: host or the item's partner
  bool operator==(const RoleRef&) const = default;
};

// Who is acting, as the caller resolved them for this item: their role in their own organisation
// and that organisation's side; `party` nullopt for a user of any other organisation.
struct Actor {
  std::string user_id;
  core::Role role = core::Role::kViewer;
  std::optional<Party> party;
};

// True when `actor` holds `role` on the side it names.
bool HoldsRole(const Actor& actor, const RoleRef& role);
// "owner", "host:owner", "partner:partner_admin"; ParseRoleRef returns false for anything else.
std::string RoleRefName(const RoleRef& role);
bool ParseRoleRef(std::string_view text, RoleRef* out);

enum class Quorum { kAny, kAll };

// One level of an escalation path: reached once more than `after_hours` have passed since the
// step became active. At least one of the three recipients is non-empty.
struct EscalationLevel {
  int64_t after_hours = 0;                // 1..2160, strictly increasing along a path
  std::vector<std::string> notify_users;  // user ids
  std::vector<RoleRef> notify_roles;
  std::string contact;  // free text, as agreements name people ("Felix Hart (facilitator)")
  bool operator==(const EscalationLevel&) const = default;
};

struct ApprovalStep {
  std::string name;                         // unique in the workflow; decisions name it
  std::vector<std::string> approver_users;  // user ids
  std::vector<RoleRef> approver_roles;      // at least one user or role in all
  Quorum quorum = Quorum::kAny;
  int stage = 0;                 // 0, 1, 2…: steps of a stage run in parallel, stages in order
  int64_t turnaround_hours = 0;  // 1..720
  std::vector<EscalationLevel> escalation;
};

struct ApprovalWorkflow {
  std::vector<ApprovalStep> steps;  // 1..20, stages non-decreasing and without gaps
  int stage_count = 0;
};

// What a step takes when the workflow leaves it out: the partner agreement's turnaround and
// escalation path.
struct WorkflowDefaults {
  std::optional<int64_t> turnaround_hours;
  std::vector<EscalationLevel> escalation;
};

// Reads the defaults from an agreement as core::ValidateAgreement returns it: its
// approval_turnaround_hours, and each escalation_path level as a contact (the level's role, when
// it names a Tutti role, becomes a role to notify on either side). Errors name the field.
Result<WorkflowDefaults> WorkflowDefaultsFromAgreement(const Json& agreement);

// Parses a workflow document:
//   {"steps": [{"name": "brand review",
//               "approvers": {"roles": ["host:owner"], "users": ["usr_…"]},
//               "quorum": "any" | "all",                      (default "any")
//               "parallel_with_previous": false,              (default false)
//               "turnaround_hours": 24,                       (default: the agreement's)
//               "escalation": [{"after_hours": 24,            (default: the agreement's path)
//                               "notify": {"users": [...], "roles": [...]}, "contact": "…"}]}]}
// Strict: unknown fields, wrong types, duplicate step names, unknown roles, ids that are not
// user ids, escalation levels not strictly later than the one before, a first step marked
// parallel, and a missing turnaround with no default are kInvalidArgument naming the field
// ("steps[1].escalation[0].after_hours").
Result<ApprovalWorkflow> ParseWorkflow(const Json& document, const WorkflowDefaults& defaults);
// The document ParseWorkflow reads, with every default filled in (what storage keeps, so a later
// agreement change does not alter a running workflow).
Json WorkflowToJson(const ApprovalWorkflow& workflow);

// True when `actor` is an approver of `step`: a named user, or the holder of a listed role.
bool CanDecide(const ApprovalStep& step, const Actor& actor);

enum class DecisionKind { kApprove, kReject, kRequestChanges };
inline constexpr auto kDecisionKindNames =
    std::to_array<std::string_view>({"approve", "reject", "request_changes"});
std::string_view DecisionKindName(DecisionKind kind);
bool ParseDecisionKind(std::string_view name, DecisionKind* out);

// A recorded decision of one round. The comment is required (non-blank) for reject and
// request_changes, so the author learns what to change; optional for approve. At most 4000 bytes.
struct ApprovalDecision {
  std::string step;  // the step's name
  Actor actor;       // as resolved when the decision was made
  DecisionKind kind = DecisionKind::kApprove;
  std::string comment;
  Instant at;
};

enum class RoundState { kPending, kApproved, kRejected, kChangesRequested };
std::string_view RoundStateName(RoundState state);  // "pending", "approved", …

enum class StepState {
  kWaiting,           // its stage is not active yet
  kPending,           // active, awaiting decisions
  kApproved,          // its quorum is met
  kRejected,          // an approver of this step rejected (ends the round)
  kChangesRequested,  // an approver of this step requested changes (ends the round)
  kCancelled,         // the round ended elsewhere while this step was waiting or pending
};
std::string_view StepStateName(StepState state);  // "waiting", "pending", …

struct StepStatus {
  StepState state = StepState::kWaiting;
  // Approvers whose decision is still needed (while pending): for quorum any every named user
  // and role (one of them suffices); for quorum all the named users who have not approved and
  // the roles no approval has covered yet. Empty once the step is no longer pending.
  std::vector<std::string> owed_users;
  std::vector<RoleRef> owed_roles;
  std::vector<std::string> approved_by;  // user ids in decision order
  std::optional<Instant> activated_at;
  std::optional<Instant> due_at;        // activated_at + turnaround
  std::optional<Instant> completed_at;  // approved, rejected, changes requested or cancelled
  // due_at − (completed_at, or now while pending): negative when late. Unset while waiting.
  std::optional<std::chrono::milliseconds> time_left;
  bool breached = false;
  int escalation_level = 0;  // levels reached before completion (or by now): 0 = none
};

struct ApprovalEvaluation {
  RoundState state = RoundState::kPending;
  Instant started_at;
  Instant now;
  std::optional<Instant> completed_at;  // when the round was approved, rejected or sent back
  std::vector<StepStatus> steps;        // by index in the workflow
};

// Evaluates one round started at `started_at` from its decisions (any order; applied by (at,
// index)) at `now`. A decision history that the rules would not have accepted is
// kInvalidArgument naming "decisions[i]" with the reason CheckDecision would have given
// (unknown_step, comment_required, comment_too_long, invalid_characters, before_start,
// not_an_approver, round_closed, step_not_active, already_decided, step_closed) or
// in_the_future for a decision later than `now`. O(d log d + d·s + s·(u + r + e)).
Result<ApprovalEvaluation> EvaluateApproval(const ApprovalWorkflow& workflow, Instant started_at,
                                            std::span<const ApprovalDecision> decisions,
                                            Instant now);

// Whether `candidate` may be recorded after `history` (the round's decisions so far): OK, or,
// checked in this order,
//   kInvalidArgument     out_of_order (earlier than a recorded decision), unknown_step,
//                        comment_too_long, invalid_characters, comment_required, before_start;
//   kPermissionDenied    not_an_approver (checked before any state, so it reveals none);
//   kFailedPrecondition  round_closed (approved, rejected or sent back), step_not_active (its
//                        stage has not started), already_decided (this user approved this step),
//                        step_closed (the step's quorum was met by others).
// `history` must itself be valid (EvaluateApproval's errors are returned as they are).
Status CheckDecision(const ApprovalWorkflow& workflow, Instant started_at,
                     std::span<const ApprovalDecision> history, const ApprovalDecision& candidate);

// True when the step is pending and still needs something `actor` can give: with quorum any, any
// approver who has not approved; with quorum all, an owed named user or the holder of an owed role.
bool OwesDecision(const ApprovalStep& step, const StepStatus& status, const Actor& actor);

// One line of a user's approvals inbox.
struct InboxEntry {
  size_t step = 0;  // index in the workflow
  Instant due_at;
  std::chrono::milliseconds time_left{0};  // negative when breached
  bool breached = false;
  int escalation_level = 0;
};
// The steps of an evaluated round that await `actor` (OwesDecision), most urgent first (by
// due_at, then step index).
std::vector<InboxEntry> InboxFor(const ApprovalWorkflow& workflow,
                                 const ApprovalEvaluation& evaluation, const Actor& actor);

// An event the job runner records once: level 0 is the breach itself (at due_at, for SLA
// reporting), level k ≥ 1 the k-th escalation level (at activated_at + after_hours). The pair
// (step name, level) identifies it within a round.
struct EscalationEvent {
  size_t step = 0;
  int level = 0;
  Instant at;
  EscalationLevel notify;  // empty for level 0 (the breach notifies no one by itself)
};
// Every event that should exist by `evaluation.now`, ordered by (at, step, level): a step's
// breach once it is breached, and each escalation level it reached before it completed. The
// result only grows as `now` advances and decisions arrive; it never loses an event.
std::vector<EscalationEvent> DueEscalations(const ApprovalWorkflow& workflow,
                                            const ApprovalEvaluation& evaluation);

// {"state", "started_at", "completed_at"?, "steps": [{"name", "state", "owed_users",
//  "owed_roles", "approved_by", "activated_at"?, "due_at"?, "completed_at"?, "time_left_ms"?,
//  "breached", "escalation_level"}]}: what the API and the inbox show.
Json EvaluationToJson(const ApprovalWorkflow& workflow, const ApprovalEvaluation& evaluation);

}  // namespace tutti::governance
