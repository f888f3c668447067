#include "tutti/governance/approvals.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "tutti/base/ids.h"
#include "tutti/base/text.h"

namespace tutti::governance {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

constexpr size_t kMaxSteps = 20;
constexpr size_t kMaxApprovers = 50;
constexpr size_t kMaxLevels = 10;
constexpr size_t kMaxStepName = 100;
constexpr size_t kMaxContact = 300;
constexpr size_t kMaxComment = 4000;
constexpr int64_t kMaxTurnaroundHours = 720;  // as in the agreement
constexpr int64_t kMaxAfterHours = 2160;

const Json* Member(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string RoleList() {
  std::string list;
  for (std::string_view name : core::kRoleNames) {
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  return list;
}

Result<std::vector<std::string>> ParseUserIds(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, kMaxApprovers));
  std::vector<std::string> users;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = JoinPath(path, i);
    TUTTI_ASSIGN_OR_RETURN(std::string id, ReadString(value[i], item_path, 1, 64));
    if (!LooksLikeId(id, "usr")) {
      return InvalidArgument("must be a user id like usr_k3v9q…", item_path, "invalid_id");
    }
    if (std::find(users.begin(), users.end(), id) != users.end()) {
      return InvalidArgument("lists " + id + " twice", item_path, "duplicate_value");
    }
    users.push_back(std::move(id));
  }
  return users;
}

Result<std::vector<RoleRef>> ParseRoles(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, kMaxApprovers));
  std::vector<RoleRef> roles;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = JoinPath(path, i);
    TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value[i], item_path, 1, 64));
    RoleRef role;
    if (!ParseRoleRef(text, &role)) {
      return InvalidArgument(
          "must be a role, optionally prefixed by host: or partner: (\"owner\", "
          "\"host:facilitator\"); roles are " +
              RoleList(),
          item_path, "invalid_enum");
    }
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
      return InvalidArgument("lists " + text + " twice", item_path, "duplicate_value");
    }
    roles.push_back(role);
  }
  return roles;
}

Result<std::vector<EscalationLevel>> ParseEscalation(const Json& value, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, kMaxLevels));
  std::vector<EscalationLevel> levels;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string p = JoinPath(path, i);
    const Json& in = value[i];
    TUTTI_RETURN_IF_ERROR(RequireObject(in, p));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(in, {"after_hours", "notify", "contact"}, p));
    const Json* after = Member(in, "after_hours");
    if (after == nullptr)
      return InvalidArgument("is required", JoinPath(p, "after_hours"), "required");
    EscalationLevel level;
    TUTTI_ASSIGN_OR_RETURN(level.after_hours,
                           ReadInteger(*after, JoinPath(p, "after_hours"), 1, kMaxAfterHours));
    if (!levels.empty() && level.after_hours <= levels.back().after_hours) {
      return InvalidArgument("must be later than the level before (" +
                                 std::to_string(levels.back().after_hours) + " h)",
                             JoinPath(p, "after_hours"), "not_increasing");
    }
    if (const Json* notify = Member(in, "notify")) {
      const std::string np = JoinPath(p, "notify");
      TUTTI_RETURN_IF_ERROR(RequireObject(*notify, np));
      TUTTI_RETURN_IF_ERROR(RejectUnknownFields(*notify, {"users", "roles"}, np));
      if (const Json* users = Member(*notify, "users")) {
        TUTTI_ASSIGN_OR_RETURN(level.notify_users, ParseUserIds(*users, JoinPath(np, "users")));
      }
      if (const Json* roles = Member(*notify, "roles")) {
        TUTTI_ASSIGN_OR_RETURN(level.notify_roles, ParseRoles(*roles, JoinPath(np, "roles")));
      }
    }
    if (const Json* contact = Member(in, "contact")) {
      TUTTI_ASSIGN_OR_RETURN(level.contact,
                             ReadString(*contact, JoinPath(p, "contact"), 0, kMaxContact));
    }
    if (level.notify_users.empty() && level.notify_roles.empty() && level.contact.empty()) {
      return InvalidArgument("names no one: give notify.users, notify.roles or a contact", p,
                             "required");
    }
    levels.push_back(std::move(level));
  }
  return levels;
}

Result<ApprovalStep> ParseStep(const Json& in, const std::string& path,
                               const WorkflowDefaults& defaults) {
  TUTTI_RETURN_IF_ERROR(RequireObject(in, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      in,
      {"name", "approvers", "quorum", "parallel_with_previous", "turnaround_hours", "escalation"},
      path));
  ApprovalStep step;
  const Json* name = Member(in, "name");
  if (name == nullptr) return InvalidArgument("is required", JoinPath(path, "name"), "required");
  TUTTI_ASSIGN_OR_RETURN(step.name, ReadString(*name, JoinPath(path, "name"), 1, kMaxStepName));

  const std::string approvers_path = JoinPath(path, "approvers");
  const Json* approvers = Member(in, "approvers");
  if (approvers == nullptr) return InvalidArgument("is required", approvers_path, "required");
  TUTTI_RETURN_IF_ERROR(RequireObject(*approvers, approvers_path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(*approvers, {"users", "roles"}, approvers_path));
  if (const Json* users = Member(*approvers, "users")) {
    TUTTI_ASSIGN_OR_RETURN(step.approver_users,
                           ParseUserIds(*users, JoinPath(approvers_path, "users")));
  }
  if (const Json* roles = Member(*approvers, "roles")) {
    TUTTI_ASSIGN_OR_RETURN(step.approver_roles,
                           ParseRoles(*roles, JoinPath(approvers_path, "roles")));
  }
  if (step.approver_users.empty() && step.approver_roles.empty()) {
    return InvalidArgument("names no approver: give at least one user or role", approvers_path,
                           "required");
  }

  if (const Json* quorum = Member(in, "quorum")) {
    static constexpr auto kQuorumNames = std::to_array<std::string_view>({"any", "all"});
    TUTTI_ASSIGN_OR_RETURN(std::string q,
                           ReadEnum(*quorum, JoinPath(path, "quorum"), kQuorumNames));
    step.quorum = q == "all" ? Quorum::kAll : Quorum::kAny;
  }
  if (const Json* turnaround = Member(in, "turnaround_hours")) {
    TUTTI_ASSIGN_OR_RETURN(
        step.turnaround_hours,
        ReadInteger(*turnaround, JoinPath(path, "turnaround_hours"), 1, kMaxTurnaroundHours));
  } else if (defaults.turnaround_hours) {
    step.turnaround_hours = *defaults.turnaround_hours;
  } else {
    return InvalidArgument("is required when no partner agreement gives a turnaround",
                           JoinPath(path, "turnaround_hours"), "required");
  }
  if (const Json* escalation = Member(in, "escalation")) {
    TUTTI_ASSIGN_OR_RETURN(step.escalation,
                           ParseEscalation(*escalation, JoinPath(path, "escalation")));
  } else {
    step.escalation = defaults.escalation;
  }
  return step;
}

std::string StepNames(const ApprovalWorkflow& workflow) {
  std::string list;
  for (const ApprovalStep& s : workflow.steps) list += (list.empty() ? "" : ", ") + s.name;
  return list;
}

bool HasText(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
}

// Replays a round's decisions. Every rule lives in Apply so that EvaluateApproval (history) and
// CheckDecision (one more decision) can never disagree about what is acceptable.
class Round {
 public:
  Round(const ApprovalWorkflow& workflow, Instant started_at)
      : workflow_(workflow),
        started_at_(started_at),
        steps_(workflow.steps.size()),
        stage_open_(static_cast<size_t>(workflow.stage_count), 0),
        users_done_(workflow.steps.size()),
        roles_done_(workflow.steps.size()) {
    for (size_t i = 0; i < workflow.steps.size(); ++i) {
      const ApprovalStep& step = workflow.steps[i];
      ++stage_open_[static_cast<size_t>(step.stage)];
      users_done_[i].assign(step.approver_users.size(), false);
      roles_done_[i].assign(step.approver_roles.size(), false);
    }
    ActivateStage(0, started_at);
  }

  // The decision's status with the code CheckDecision promises; applied only when OK.
  Status Apply(const ApprovalDecision& d) {
    const size_t index = FindStep(d.step);
    if (index == workflow_.steps.size()) {
      return InvalidArgument(
          "no step is named \"" + d.step + "\"; steps are " + StepNames(workflow_), "step",
          "unknown_step");
    }
    if (d.comment.size() > kMaxComment) {
      return InvalidArgument("must be at most " + std::to_string(kMaxComment) + " bytes", "comment",
                             "comment_too_long");
    }
    if (!IsValidUtf8(d.comment)) {
      return InvalidArgument("must be valid UTF-8", "comment", "invalid_characters");
    }
    if (d.kind != DecisionKind::kApprove && !HasText(d.comment)) {
      return InvalidArgument(std::string("is required to ") +
                                 std::string(DecisionKindName(d.kind)) + ": say what must change",
                             "comment", "comment_required");
    }
    if (d.at < started_at_) {
      return InvalidArgument("is before the round started (" + FormatInstant(started_at_) + ")",
                             "at", "before_start");
    }
    const ApprovalStep& step = workflow_.steps[index];
    StepStatus& status = steps_[index];
    if (!CanDecide(step, d.actor)) {
      return Status(StatusCode::kPermissionDenied,
                    "user " + d.actor.user_id + " is not an approver of step \"" + step.name + "\"",
                    "step", "not_an_approver");
    }
    if (state_ != RoundState::kPending) {
      return Status(StatusCode::kFailedPrecondition,
                    "the round was already " + std::string(RoundStateName(state_)) + " at " +
                        FormatInstant(*completed_at_) + "; resubmit to start a new round",
                    "step", "round_closed");
    }
    if (status.state == StepState::kWaiting) {
      return Status(StatusCode::kFailedPrecondition,
                    "step \"" + step.name + "\" is not active yet: it waits for stage " +
                        std::to_string(step.stage) + " to be approved",
                    "step", "step_not_active");
    }
    if (std::find(status.approved_by.begin(), status.approved_by.end(), d.actor.user_id) !=
        status.approved_by.end()) {
      return Status(StatusCode::kFailedPrecondition,
                    "user " + d.actor.user_id + " already approved step \"" + step.name + "\"",
                    "step", "already_decided");
    }
    if (status.state != StepState::kPending) {
      return Status(StatusCode::kFailedPrecondition,
                    "step \"" + step.name + "\" was already approved at " +
                        FormatInstant(*status.completed_at),
                    "step", "step_closed");
    }

    if (d.kind != DecisionKind::kApprove) {
      EndRound(
          index,
          d.kind == DecisionKind::kReject ? StepState::kRejected : StepState::kChangesRequested,
          d.at);
      return OkStatus();
    }
    status.approved_by.push_back(d.actor.user_id);
    bool met = step.quorum == Quorum::kAny;
    if (!met) {
      std::vector<bool>& users = users_done_[index];
      std::vector<bool>& roles = roles_done_[index];
      for (size_t u = 0; u < step.approver_users.size(); ++u) {
        if (step.approver_users[u] == d.actor.user_id) users[u] = true;
      }
      for (size_t r = 0; r < step.approver_roles.size(); ++r) {
        if (HoldsRole(d.actor, step.approver_roles[r])) roles[r] = true;
      }
      met = std::all_of(users.begin(), users.end(), [](bool b) { return b; }) &&
            std::all_of(roles.begin(), roles.end(), [](bool b) { return b; });
    }
    if (met) CompleteStep(index, d.at);
    return OkStatus();
  }

  ApprovalEvaluation Finish(Instant now) && {
    ApprovalEvaluation out;
    out.state = state_;
    out.started_at = started_at_;
    out.now = now;
    out.completed_at = completed_at_;
    for (size_t i = 0; i < steps_.size(); ++i) {
      const ApprovalStep& step = workflow_.steps[i];
      StepStatus& status = steps_[i];
      if (status.state == StepState::kPending) {
        for (size_t u = 0; u < step.approver_users.size(); ++u) {
          if (!users_done_[i][u]) status.owed_users.push_back(step.approver_users[u]);
        }
        for (size_t r = 0; r < step.approver_roles.size(); ++r) {
          if (!roles_done_[i][r]) status.owed_roles.push_back(step.approver_roles[r]);
        }
      }
      if (!status.activated_at) continue;
      const Instant until = status.completed_at.value_or(now);
      status.time_left = *status.due_at - until;
      status.breached = until > *status.due_at;
      for (const EscalationLevel& level : step.escalation) {
        if (until > *status.activated_at + hours(level.after_hours)) ++status.escalation_level;
      }
    }
    out.steps = std::move(steps_);
    return out;
  }

 private:
  size_t FindStep(std::string_view name) const {
    for (size_t i = 0; i < workflow_.steps.size(); ++i) {
      if (workflow_.steps[i].name == name) return i;
    }
    return workflow_.steps.size();
  }

  void ActivateStage(int stage, Instant at) {
    for (size_t i = 0; i < workflow_.steps.size(); ++i) {
      if (workflow_.steps[i].stage != stage) continue;
      steps_[i].state = StepState::kPending;
      steps_[i].activated_at = at;
      steps_[i].due_at = at + hours(workflow_.steps[i].turnaround_hours);
    }
  }

  void CompleteStep(size_t index, Instant at) {
    steps_[index].state = StepState::kApproved;
    steps_[index].completed_at = at;
    const int stage = workflow_.steps[index].stage;
    if (--stage_open_[static_cast<size_t>(stage)] > 0) return;
    if (stage + 1 < workflow_.stage_count) {
      ActivateStage(stage + 1, at);
    } else {
      state_ = RoundState::kApproved;
      completed_at_ = at;
    }
  }

  void EndRound(size_t index, StepState outcome, Instant at) {
    steps_[index].state = outcome;
    steps_[index].completed_at = at;
    for (StepStatus& other : steps_) {
      if (other.state == StepState::kWaiting || other.state == StepState::kPending) {
        other.state = StepState::kCancelled;
        other.completed_at = at;
      }
    }
    state_ =
        outcome == StepState::kRejected ? RoundState::kRejected : RoundState::kChangesRequested;
    completed_at_ = at;
  }

  const ApprovalWorkflow& workflow_;
  Instant started_at_;
  std::vector<StepStatus> steps_;
  std::vector<int> stage_open_;                             // steps of each stage not yet approved
  std::vector<std::vector<bool>> users_done_, roles_done_;  // quorum all: what is covered
  RoundState state_ = RoundState::kPending;
  std::optional<Instant> completed_at_;
};

// Applies `decisions` in (at, index) order; a refusal names the decision's index in the input.
Result<Round> Replay(const ApprovalWorkflow& workflow, Instant started_at,
                     std::span<const ApprovalDecision> decisions, Instant now) {
  std::vector<size_t> order(decisions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return decisions[a].at < decisions[b].at; });
  Round round(workflow, started_at);
  for (size_t i : order) {
    const std::string path = JoinPath("decisions", i);
    if (decisions[i].at > now) {
      return InvalidArgument("is later than now (" + FormatInstant(now) + ")", JoinPath(path, "at"),
                             "in_the_future");
    }
    Status status = round.Apply(decisions[i]);
    if (!status.ok()) {
      return InvalidArgument(status.message(), JoinPath(path, status.field()), status.reason());
    }
  }
  return round;
}

}  // namespace

bool HoldsRole(const Actor& actor, const RoleRef& role) {
  if (actor.role != role.role || !actor.party) return false;
  return !role.party || *role.party == *actor.party;
}

std::string RoleRefName(const RoleRef& role) {
  std::string name;
  if (role.party) name = *role.party == Party::kHost ? "host:" : "partner:";
  return name + std::string(core::RoleName(role.role));
}

bool ParseRoleRef(std::string_view text, RoleRef* out) {
  RoleRef role;
  if (text.starts_with("host:")) {
    role.party = Party::kHost;
    text.remove_prefix(5);
  } else if (text.starts_with("partner:")) {
    role.party = Party::kPartner;
    text.remove_prefix(8);
  }
  if (!core::ParseRole(text, &role.role)) return false;
  *out = role;
  return true;
}

Result<WorkflowDefaults> WorkflowDefaultsFromAgreement(const Json& agreement) {
  TUTTI_RETURN_IF_ERROR(RequireObject(agreement, "agreement"));
  WorkflowDefaults defaults;
  if (const Json* turnaround = Member(agreement, "approval_turnaround_hours")) {
    TUTTI_ASSIGN_OR_RETURN(
        defaults.turnaround_hours,
        ReadInteger(*turnaround, "agreement.approval_turnaround_hours", 1, kMaxTurnaroundHours));
  }
  const Json* path = Member(agreement, "escalation_path");
  if (path == nullptr) return defaults;
  TUTTI_RETURN_IF_ERROR(RequireArray(*path, "agreement.escalation_path", kMaxLevels));
  for (size_t i = 0; i < path->size(); ++i) {
    const std::string p = JoinPath("agreement.escalation_path", i);
    const Json& in = (*path)[i];
    TUTTI_RETURN_IF_ERROR(RequireObject(in, p));
    EscalationLevel level;
    const Json* after = Member(in, "after_hours");
    const Json* contact = Member(in, "contact");
    if (after == nullptr)
      return InvalidArgument("is required", JoinPath(p, "after_hours"), "required");
    if (contact == nullptr)
      return InvalidArgument("is required", JoinPath(p, "contact"), "required");
    TUTTI_ASSIGN_OR_RETURN(level.after_hours,
                           ReadInteger(*after, JoinPath(p, "after_hours"), 1, kMaxAfterHours));
    if (!defaults.escalation.empty() &&
        level.after_hours <= defaults.escalation.back().after_hours) {
      return InvalidArgument("must be later than the level before", JoinPath(p, "after_hours"),
                             "not_increasing");
    }
    TUTTI_ASSIGN_OR_RETURN(level.contact, ReadString(*contact, JoinPath(p, "contact"), 1, 200));
    if (const Json* role = Member(in, "role")) {
      TUTTI_ASSIGN_OR_RETURN(std::string role_text, ReadString(*role, JoinPath(p, "role"), 0, 100));
      RoleRef ref;
      if (core::ParseRole(role_text, &ref.role)) level.notify_roles.push_back(ref);
      if (!role_text.empty()) level.contact += " (" + role_text + ")";
    }
    defaults.escalation.push_back(std::move(level));
  }
  return defaults;
}

Result<ApprovalWorkflow> ParseWorkflow(const Json& document, const WorkflowDefaults& defaults) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(document, {"steps"}));
  const Json* steps = Member(document, "steps");
  if (steps == nullptr) return InvalidArgument("is required", "steps", "required");
  TUTTI_RETURN_IF_ERROR(RequireArray(*steps, "steps", kMaxSteps));
  if (steps->empty()) return InvalidArgument("must have at least one step", "steps", "too_short");
  ApprovalWorkflow workflow;
  int stage = -1;
  for (size_t i = 0; i < steps->size(); ++i) {
    const std::string path = JoinPath("steps", i);
    TUTTI_ASSIGN_OR_RETURN(ApprovalStep step, ParseStep((*steps)[i], path, defaults));
    bool parallel = false;
    if (const Json* flag = Member((*steps)[i], "parallel_with_previous")) {
      TUTTI_ASSIGN_OR_RETURN(parallel, ReadBool(*flag, JoinPath(path, "parallel_with_previous")));
    }
    if (parallel && i == 0) {
      return InvalidArgument("the first step has no previous step to run with",
                             JoinPath(path, "parallel_with_previous"), "invalid_field");
    }
    for (size_t j = 0; j < workflow.steps.size(); ++j) {
      if (workflow.steps[j].name == step.name) {
        return InvalidArgument(
            "duplicate step name \"" + step.name + "\" (first at steps[" + std::to_string(j) + "])",
            JoinPath(path, "name"), "duplicate_name");
      }
    }
    if (!parallel) ++stage;
    step.stage = stage;
    workflow.steps.push_back(std::move(step));
  }
  workflow.stage_count = stage + 1;
  return workflow;
}

Json WorkflowToJson(const ApprovalWorkflow& workflow) {
  auto roles_json = [](const std::vector<RoleRef>& roles) {
    Json list = Json::array();
    for (const RoleRef& r : roles) list.push_back(RoleRefName(r));
    return list;
  };
  Json steps = Json::array();
  for (size_t i = 0; i < workflow.steps.size(); ++i) {
    const ApprovalStep& s = workflow.steps[i];
    Json escalation = Json::array();
    for (const EscalationLevel& level : s.escalation) {
      Json item{
          {"after_hours", level.after_hours},
          {"notify", {{"users", level.notify_users}, {"roles", roles_json(level.notify_roles)}}}};
      if (!level.contact.empty()) item["contact"] = level.contact;
      escalation.push_back(std::move(item));
    }
    steps.push_back(
        Json{{"name", s.name},
             {"approvers", {{"users", s.approver_users}, {"roles", roles_json(s.approver_roles)}}},
             {"quorum", s.quorum == Quorum::kAll ? "all" : "any"},
             {"parallel_with_previous", i > 0 && workflow.steps[i - 1].stage == s.stage},
             {"turnaround_hours", s.turnaround_hours},
             {"escalation", std::move(escalation)}});
  }
  return Json{{"steps", std::move(steps)}};
}

bool CanDecide(const ApprovalStep& step, const Actor& actor) {
  if (!actor.user_id.empty() && std::find(step.approver_users.begin(), step.approver_users.end(),
                                          actor.user_id) != step.approver_users.end()) {
    return true;
  }
  return std::any_of(step.approver_roles.begin(), step.approver_roles.end(),
                     [&](const RoleRef& role) { return HoldsRole(actor, role); });
}

std::string_view DecisionKindName(DecisionKind kind) {
  return kDecisionKindNames[static_cast<size_t>(kind)];
}

bool ParseDecisionKind(std::string_view name, DecisionKind* out) {
  for (size_t i = 0; i < kDecisionKindNames.size(); ++i) {
    if (kDecisionKindNames[i] == name) {
      *out = static_cast<DecisionKind>(i);
      return true;
    }
  }
  return false;
}

std::string_view RoundStateName(RoundState state) {
  switch (state) {
    case RoundState::kPending:
      return "pending";
    case RoundState::kApproved:
      return "approved";
    case RoundState::kRejected:
      return "rejected";
    case RoundState::kChangesRequested:
      return "changes_requested";
  }
  return "unknown";
}

std::string_view StepStateName(StepState state) {
  switch (state) {
    case StepState::kWaiting:
      return "waiting";
    case StepState::kPending:
      return "pending";
    case StepState::kApproved:
      return "approved";
    case StepState::kRejected:
      return "rejected";
    case StepState::kChangesRequested:
      return "changes_requested";
    case StepState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

Result<ApprovalEvaluation> EvaluateApproval(const ApprovalWorkflow& workflow, Instant started_at,
                                            std::span<const ApprovalDecision> decisions,
                                            Instant now) {
  TUTTI_ASSIGN_OR_RETURN(Round round, Replay(workflow, started_at, decisions, now));
  return std::move(round).Finish(now);
}

Status CheckDecision(const ApprovalWorkflow& workflow, Instant started_at,
                     std::span<const ApprovalDecision> history, const ApprovalDecision& candidate) {
  for (const ApprovalDecision& d : history) {
    if (d.at > candidate.at) {
      return InvalidArgument("is earlier than a recorded decision (" + FormatInstant(d.at) + ")",
                             "at", "out_of_order");
    }
  }
  TUTTI_ASSIGN_OR_RETURN(Round round, Replay(workflow, started_at, history, candidate.at));
  return round.Apply(candidate);
}

bool OwesDecision(const ApprovalStep& step, const StepStatus& status, const Actor& actor) {
  if (status.state != StepState::kPending) return false;
  if (std::find(status.approved_by.begin(), status.approved_by.end(), actor.user_id) !=
      status.approved_by.end()) {
    return false;
  }
  if (step.quorum == Quorum::kAny) return CanDecide(step, actor);
  if (std::find(status.owed_users.begin(), status.owed_users.end(), actor.user_id) !=
      status.owed_users.end()) {
    return true;
  }
  return std::any_of(status.owed_roles.begin(), status.owed_roles.end(),
                     [&](const RoleRef& role) { return HoldsRole(actor, role); });
}

std::vector<InboxEntry> InboxFor(const ApprovalWorkflow& workflow,
                                 const ApprovalEvaluation& evaluation, const Actor& actor) {
  std::vector<InboxEntry> inbox;
  for (size_t i = 0; i < workflow.steps.size() && i < evaluation.steps.size(); ++i) {
    const StepStatus& status = evaluation.steps[i];
    if (!OwesDecision(workflow.steps[i], status, actor)) continue;
    inbox.push_back(InboxEntry{.step = i,
                               .due_at = *status.due_at,
                               .time_left = *status.time_left,
                               .breached = status.breached,
                               .escalation_level = status.escalation_level});
  }
  std::sort(inbox.begin(), inbox.end(), [](const InboxEntry& a, const InboxEntry& b) {
    return a.due_at != b.due_at ? a.due_at < b.due_at : a.step < b.step;
  });
  return inbox;
}

std::vector<EscalationEvent> DueEscalations(const ApprovalWorkflow& workflow,
                                            const ApprovalEvaluation& evaluation) {
  std::vector<EscalationEvent> events;
  for (size_t i = 0; i < workflow.steps.size() && i < evaluation.steps.size(); ++i) {
    const StepStatus& status = evaluation.steps[i];
    if (!status.activated_at) continue;
    if (status.breached) events.push_back(EscalationEvent{i, 0, *status.due_at, {}});
    const std::vector<EscalationLevel>& path = workflow.steps[i].escalation;
    for (int k = 0; k < status.escalation_level; ++k) {
      const EscalationLevel& level = path[static_cast<size_t>(k)];
      events.push_back(
          EscalationEvent{i, k + 1, *status.activated_at + hours(level.after_hours), level});
    }
  }
  std::sort(events.begin(), events.end(), [](const EscalationEvent& a, const EscalationEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.step != b.step ? a.step < b.step : a.level < b.level;
  });
  return events;
}

Json EvaluationToJson(const ApprovalWorkflow& workflow, const ApprovalEvaluation& evaluation) {
  Json steps = Json::array();
  for (size_t i = 0; i < workflow.steps.size() && i < evaluation.steps.size(); ++i) {
    const StepStatus& s = evaluation.steps[i];
    Json roles = Json::array();
    for (const RoleRef& r : s.owed_roles) roles.push_back(RoleRefName(r));
    Json item{{"name", workflow.steps[i].name},
              {"state", StepStateName(s.state)},
              {"owed_users", s.owed_users},
              {"owed_roles", std::move(roles)},
              {"approved_by", s.approved_by},
              {"breached", s.breached},
              {"escalation_level", s.escalation_level}};
    if (s.activated_at) item["activated_at"] = FormatInstant(*s.activated_at);
    if (s.due_at) item["due_at"] = FormatInstant(*s.due_at);
    if (s.completed_at) item["completed_at"] = FormatInstant(*s.completed_at);
    if (s.time_left) item["time_left_ms"] = s.time_left->count();
    steps.push_back(std::move(item));
  }
  Json out{{"state", RoundStateName(evaluation.state)},
           {"started_at", FormatInstant(evaluation.started_at)},
           {"steps", std::move(steps)}};
  if (evaluation.completed_at) out["completed_at"] = FormatInstant(*evaluation.completed_at);
  return out;
}

}  // namespace tutti::governance
