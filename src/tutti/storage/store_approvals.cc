// The approval-workflow half of Store (docs/approvals.md, "Storage, jobs and HTTP API"): requests,
// their rounds and decisions, the escalation jobs each change schedules, and the SLA breaches the
// job runner records. The rules are governance/approvals.h's, applied here inside each write
// transaction to the request as freshly read (its row locked on PostgreSQL), so that two approvers
// deciding at once, or a decision racing an escalation job, are serialised and each sees the
// other's effect. Thread-safe as the Store is: every call is one transaction.
#include <algorithm>
#include <map>
#include <set>

#include "tutti/base/ids.h"
#include "tutti/core/roles.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::FirstRow;
using detail::LoadActivation;
using detail::ParseStored;
using governance::AuditEntry;

constexpr char kApprovalColumns[] =
    "r.id, r.activation_id, a.host_org_id, r.org_id, o.name, r.subject_kind, r.subject_id, "
    "r.title, r.workflow, r.round, r.round_started_at, r.state, r.version, r.created_by, "
    "r.created_at, r.updated_at FROM approval_requests r "
    "JOIN activations a ON a.id = r.activation_id JOIN orgs o ON o.id = r.org_id";

constexpr char kBreachColumns[] =
    "b.request_id, b.activation_id, b.org_id, r.title, b.round, b.step, b.level, b.due_at, "
    "b.breached_at, b.recorded_at, b.notified FROM approval_breaches b "
    "JOIN approval_requests r ON r.id = b.request_id";

// Who records what the job runner found: no person, so the audit trail names the system.
const Actor kJobRunnerActor{"system", ""};

ApprovalRecord ApprovalFromRow(const Row& r) {
  ApprovalRecord a;
  a.id = r.Text(0);
  a.activation_id = r.Text(1);
  a.host_org_id = r.Text(2);
  a.org_id = r.Text(3);
  a.org_name = r.Text(4);
  a.subject_kind = r.Text(5);
  a.subject_id = r.Text(6);
  a.title = r.Text(7);
  a.workflow = ParseStored(r.Text(8));
  a.round = r.Int(9);
  a.round_started_at = r.Text(10);
  a.state = r.Text(11);
  a.version = r.Int(12);
  a.created_by = r.Text(13);
  a.created_at = r.Text(14);
  a.updated_at = r.Text(15);
  return a;
}

ApprovalBreachRecord BreachFromRow(const Row& r) {
  return ApprovalBreachRecord{r.Text(0),
                              r.Text(1),
                              r.Text(2),
                              r.Text(3),
                              r.Int(4),
                              r.Text(5),
                              r.Int(6),
                              r.Text(7),
                              r.Text(8),
                              r.Text(9),
                              ParseStored(r.Text(10))};
}

// Requests matching `where` (over aliases r and a) with their rounds and decisions: three
// queries, however many requests match.
Result<std::vector<ApprovalRecord>> LoadApprovals(SqlSession& s, const std::string& where,
                                                  const std::vector<SqlValue>& params,
                                                  bool for_update) {
  std::string sql = std::string("SELECT ") + kApprovalColumns + " WHERE " + where +
                    " ORDER BY r.created_at, r.id";
  if (for_update && s.dialect() == Dialect::kPostgres) sql += " FOR UPDATE OF r";
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
  std::vector<ApprovalRecord> out;
  std::map<std::string, size_t> index;
  for (const Row& row : rows) {
    index[row.Text(0)] = out.size();
    out.push_back(ApprovalFromRow(row));
  }
  if (out.empty()) return out;
  const std::string matching =
      "(SELECT r.id FROM approval_requests r JOIN activations a ON a.id = r.activation_id "
      "WHERE " +
      where + ")";
  TUTTI_ASSIGN_OR_RETURN(
      auto rounds,
      s.Query("SELECT request_id, round, started_at, started_by, comment FROM approval_rounds "
              "WHERE request_id IN " +
                  matching + " ORDER BY request_id, round",
              params));
  for (const Row& row : rounds) {
    auto it = index.find(row.Text(0));
    if (it == index.end()) continue;
    out[it->second].rounds.push_back(
        ApprovalRoundRecord{row.Int(1), row.Text(2), row.Text(3), row.Text(4)});
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto decisions,
      s.Query("SELECT request_id, round, seq, step, user_id, user_role, user_party, decision, "
              "comment, at FROM approval_decisions WHERE request_id IN " +
                  matching + " ORDER BY request_id, round, seq",
              params));
  for (const Row& row : decisions) {
    auto it = index.find(row.Text(0));
    if (it == index.end()) continue;
    out[it->second].decisions.push_back(
        ApprovalDecisionRecord{row.Int(1), row.Int(2), row.Text(3), row.Text(4), row.Text(5),
                               row.Text(6), row.Text(7), row.Text(8), row.Text(9)});
  }
  return out;
}

Result<ApprovalRecord> LoadApproval(SqlSession& s, const std::string& activation_id,
                                    const std::string& approval_id, bool for_update) {
  TUTTI_ASSIGN_OR_RETURN(auto found, LoadApprovals(s, "r.id = ? AND r.activation_id = ?",
                                                   {approval_id, activation_id}, for_update));
  if (found.empty()) return NotFound("approval request not found");
  return std::move(found.front());
}

std::string PartyName(const std::optional<governance::Party>& party) {
  if (!party) return "";
  return *party == governance::Party::kHost ? "host" : "partner";
}

std::optional<governance::Party> PartyFromName(const std::string& name) {
  if (name == "host") return governance::Party::kHost;
  if (name == "partner") return governance::Party::kPartner;
  return std::nullopt;
}

Result<governance::ApprovalDecision> EngineDecision(const ApprovalDecisionRecord& d) {
  governance::ApprovalDecision out;
  out.step = d.step;
  out.actor.user_id = d.user_id;
  out.actor.party = PartyFromName(d.party);
  out.comment = d.comment;
  if (!core::ParseRole(d.role, &out.actor.role) ||
      !governance::ParseDecisionKind(d.decision, &out.kind)) {
    return Internal("stored decision " + std::to_string(d.seq) + " of round " +
                    std::to_string(d.round) + " has an unknown role or decision");
  }
  TUTTI_ASSIGN_OR_RETURN(out.at, ParseInstant(d.at));
  return out;
}

const ApprovalRoundRecord* FindRound(const ApprovalRecord& a, int64_t round) {
  for (const ApprovalRoundRecord& r : a.rounds) {
    if (r.round == round) return &r;
  }
  return nullptr;
}

Result<std::vector<governance::ApprovalDecision>> RoundDecisions(const ApprovalRecord& a,
                                                                 int64_t round) {
  std::vector<governance::ApprovalDecision> out;
  for (const ApprovalDecisionRecord& d : a.decisions) {
    if (d.round != round) continue;
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalDecision decision, EngineDecision(d));
    out.push_back(std::move(decision));
  }
  return out;
}

// The instant a round is looked at or decided in: the clock's, but never before the round's
// latest decision. Instances of `tutti serve` on one database read slightly different clocks, and
// a history seen from a clock a few milliseconds behind must not look like one from the future.
Instant NotBefore(Instant now, Instant start,
                  const std::vector<governance::ApprovalDecision>& decisions) {
  Instant at = std::max(now, start);
  for (const governance::ApprovalDecision& d : decisions) at = std::max(at, d.at);
  return at;
}

// One step's approvers with only its own defaults: the host's owners or facilitators review.
Json DefaultWorkflowDocument() {
  return Json{{"steps", Json::array({Json{
                            {"name", "host review"},
                            {"approvers", {{"roles", {"host:owner", "host:facilitator"}}}}}})}};
}

// What a workflow leaves out comes from the owner's partner agreement; host items, and partners
// whose agreement names no turnaround, get kDefaultApprovalTurnaroundHours and no escalation path.
Result<governance::WorkflowDefaults> DefaultsFor(const ActivationRecord& a,
                                                 const std::string& org_id) {
  governance::WorkflowDefaults defaults;
  if (const ParticipationRecord* p = a.FindParticipant(org_id); p != nullptr && p->agreement) {
    TUTTI_ASSIGN_OR_RETURN(defaults, governance::WorkflowDefaultsFromAgreement(*p->agreement));
  }
  if (!defaults.turnaround_hours) defaults.turnaround_hours = kDefaultApprovalTurnaroundHours;
  return defaults;
}

// Named approvers and escalation recipients must be people of the activation: of the host or a
// participating partner. Anyone else could never open the request.
Status CheckNamedUsers(SqlSession& s, const ActivationRecord& a,
                       const governance::ApprovalWorkflow& workflow) {
  std::set<std::string> allowed_orgs{a.host_org_id};
  for (const ParticipationRecord& p : a.participants) allowed_orgs.insert(p.org_id);
  std::map<std::string, bool> known;  // user id -> member of the activation
  auto check = [&](const std::string& user_id, const std::string& path) -> Status {
    auto it = known.find(user_id);
    if (it == known.end()) {
      TUTTI_ASSIGN_OR_RETURN(auto rows,
                             s.Query("SELECT org_id FROM users WHERE id = ?", {user_id}));
      it = known.emplace(user_id, !rows.empty() && allowed_orgs.contains(rows[0].Text(0))).first;
    }
    if (it->second) return OkStatus();
    return InvalidArgument(
        "user " + user_id + " is not a member of the host or of a partner of this activation", path,
        "unknown_user");
  };
  for (size_t i = 0; i < workflow.steps.size(); ++i) {
    const governance::ApprovalStep& step = workflow.steps[i];
    const std::string step_path = JoinPath("workflow.steps", i);
    for (size_t j = 0; j < step.approver_users.size(); ++j) {
      TUTTI_RETURN_IF_ERROR(
          check(step.approver_users[j], JoinPath(JoinPath(step_path, "approvers.users"), j)));
    }
    for (size_t k = 0; k < step.escalation.size(); ++k) {
      const std::string level_path = JoinPath(JoinPath(step_path, "escalation"), k);
      for (size_t j = 0; j < step.escalation[k].notify_users.size(); ++j) {
        TUTTI_RETURN_IF_ERROR(check(step.escalation[k].notify_users[j],
                                    JoinPath(JoinPath(level_path, "notify.users"), j)));
      }
    }
  }
  return OkStatus();
}

// Schedules, in the change's own transaction, a wake-up for every breach and escalation level the
// round's active steps can reach: at the first millisecond the level holds (the engine counts a
// level as reached once *more* than its hours have passed). The dedupe key makes this safe to call
// after every change: a (round, step, level) is scheduled once, ever.
Status ScheduleEscalationJobs(SqlSession& s, const ApprovalRecord& a,
                              const governance::ApprovalWorkflow& workflow,
                              const governance::ApprovalEvaluation& evaluation,
                              const std::string& now) {
  const std::chrono::milliseconds kFirstMoment(1);
  for (size_t i = 0; i < workflow.steps.size() && i < evaluation.steps.size(); ++i) {
    const governance::StepStatus& status = evaluation.steps[i];
    if (status.state != governance::StepState::kPending) continue;
    std::vector<std::pair<int64_t, Instant>> levels{{0, *status.due_at}};
    const auto& path = workflow.steps[i].escalation;
    for (size_t k = 0; k < path.size(); ++k) {
      levels.emplace_back(static_cast<int64_t>(k + 1),
                          *status.activated_at + std::chrono::hours(path[k].after_hours));
    }
    for (const auto& [level, at] : levels) {
      const std::string key = "approval:" + a.id + ":r" + std::to_string(a.round) + ":s" +
                              std::to_string(i) + ":l" + std::to_string(level);
      const Json payload{{"approval_id", a.id}, {"round", a.round}, {"step", i}, {"level", level}};
      TUTTI_RETURN_IF_ERROR(detail::InsertJob(s, std::string(kApprovalEscalationJob), key, payload,
                                              at + kFirstMoment, now));
    }
  }
  return OkStatus();
}

// {"users", "roles", "contact"} of an escalation level, its roles resolved to the people holding
// them now on the side they name (host, the item's partner, or either).
Result<Json> Recipients(SqlSession& s, const ApprovalRecord& a,
                        const governance::EscalationLevel& level) {
  std::vector<std::string> users = level.notify_users;
  if (!level.notify_roles.empty()) {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT id, org_id, role FROM users WHERE "
                                              "(org_id = ? OR org_id = ?) AND disabled = 0 "
                                              "ORDER BY id",
                                              {a.host_org_id, a.org_id}));
    for (const Row& row : rows) {
      governance::Actor person;
      person.user_id = row.Text(0);
      person.party =
          row.Text(1) == a.host_org_id ? governance::Party::kHost : governance::Party::kPartner;
      if (!core::ParseRole(row.Text(2), &person.role)) continue;
      bool holds = std::any_of(
          level.notify_roles.begin(), level.notify_roles.end(),
          [&](const governance::RoleRef& role) { return governance::HoldsRole(person, role); });
      if (holds && std::find(users.begin(), users.end(), person.user_id) == users.end()) {
        users.push_back(person.user_id);
      }
    }
  }
  Json roles = Json::array();
  for (const governance::RoleRef& role : level.notify_roles) {
    roles.push_back(governance::RoleRefName(role));
  }
  return Json{{"users", users}, {"roles", std::move(roles)}, {"contact", level.contact}};
}

Status CheckVersion(const ApprovalRecord& a, std::optional<int64_t> expected_version) {
  if (expected_version && *expected_version != a.version) {
    return Conflict("the approval request is at version " + std::to_string(a.version) + ", not " +
                        std::to_string(*expected_version) + "; reload and retry",
                    "version");
  }
  return OkStatus();
}

// Audit entries of a request are visible to the host and the item's organisation only (another
// partner named as an approver sees the request through the API, not its trail).
AuditEntry ApprovalEntry(const Actor& actor, const ApprovalRecord& a, std::string action) {
  AuditEntry e = Entry(actor, "approval", a.id, std::move(action));
  e.activation_id = a.activation_id;
  e.visible_org_id = a.org_id;
  return e;
}

}  // namespace

Result<governance::ApprovalWorkflow> ApprovalRecord::ParsedWorkflow() const {
  Result<governance::ApprovalWorkflow> parsed = governance::ParseWorkflow(workflow, {});
  if (!parsed.ok()) {
    return Internal("stored workflow of approval " + id +
                    " no longer parses: " + parsed.status().ToString());
  }
  return parsed;
}

Result<governance::ApprovalEvaluation> ApprovalRecord::Evaluate(
    const governance::ApprovalWorkflow& parsed, int64_t round_number, Instant now) const {
  const ApprovalRoundRecord* found = FindRound(*this, round_number);
  if (found == nullptr) {
    return InvalidArgument("approval " + id + " has no round " + std::to_string(round_number),
                           "round", "unknown_round");
  }
  TUTTI_ASSIGN_OR_RETURN(Instant start, ParseInstant(found->started_at));
  TUTTI_ASSIGN_OR_RETURN(auto decisions_of_round, RoundDecisions(*this, round_number));
  return governance::EvaluateApproval(parsed, start, decisions_of_round,
                                      NotBefore(now, start, decisions_of_round));
}

Result<ApprovalRecord> Store::CreateApproval(const std::string& activation_id,
                                             const NewApprovalRequest& request, const Actor& actor,
                                             const Authorize& authorize) {
  Result<ApprovalRecord> out = NotFound("approval request not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    if (request.org_id != a.host_org_id && a.FindParticipant(request.org_id) == nullptr) {
      return InvalidArgument("the item's organisation does not take part in this activation",
                             "org_id", "unknown_partner");
    }
    TUTTI_ASSIGN_OR_RETURN(governance::WorkflowDefaults defaults, DefaultsFor(a, request.org_id));
    Result<governance::ApprovalWorkflow> workflow =
        governance::ParseWorkflow(request.workflow.value_or(DefaultWorkflowDocument()), defaults);
    if (!workflow.ok()) {
      const Status& bad = workflow.status();
      return Status(bad.code(), bad.message(), JoinPath("workflow", bad.field()), bad.reason());
    }
    TUTTI_RETURN_IF_ERROR(CheckNamedUsers(s, a, *workflow));
    // The subject must be ready for review (a post's disclosure: store_publishing.cc).
    TUTTI_RETURN_IF_ERROR(
        detail::CheckApprovalSubject(s, a.id, request.subject_kind, request.subject_id));
    const Instant now = clock_.Now();
    const std::string now_text = FormatInstant(now);
    ApprovalRecord record;
    record.id = NewId("apr");
    record.activation_id = a.id;
    record.host_org_id = a.host_org_id;
    record.org_id = request.org_id;
    record.subject_kind = request.subject_kind;
    record.subject_id = request.subject_id;
    record.title = request.title;
    record.workflow = governance::WorkflowToJson(*workflow);
    record.round = 1;
    record.round_started_at = now_text;
    record.rounds.push_back(ApprovalRoundRecord{1, now_text, actor.id, ""});
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                           governance::EvaluateApproval(*workflow, now, {}, now));
    record.state = std::string(governance::RoundStateName(evaluation.state));
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO approval_requests (id, activation_id, org_id, subject_kind, "
                  "subject_id, title, workflow, round, round_started_at, state, version, "
                  "created_by, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?, ?)",
                  {record.id, record.activation_id, record.org_id, record.subject_kind,
                   record.subject_id, record.title, record.workflow.dump(), now_text, record.state,
                   actor.id, now_text, now_text})
            .status());
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO approval_rounds (request_id, round, started_at, "
                                    "started_by, comment) VALUES (?, 1, ?, ?, '')",
                                    {record.id, now_text, actor.id})
                              .status());
    TUTTI_RETURN_IF_ERROR(ScheduleEscalationJobs(s, record, *workflow, evaluation, now_text));
    AuditEntry e = ApprovalEntry(actor, record, "created");
    e.after = Json{{"org_id", record.org_id},
                   {"subject", {{"kind", record.subject_kind}, {"id", record.subject_id}}},
                   {"title", record.title},
                   {"workflow", record.workflow}}
                  .dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = LoadApproval(s, activation_id, record.id, false);
    return out.status();
  }));
  return out;
}

Result<ApprovalRecord> Store::GetApproval(const std::string& activation_id,
                                          const std::string& approval_id) {
  Result<ApprovalRecord> out = NotFound("approval request not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = LoadApproval(s, activation_id, approval_id, false);
    return out.status();
  }));
  return out;
}

Result<std::vector<ApprovalRecord>> Store::ListApprovals(const std::string& activation_id) {
  std::vector<ApprovalRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(out, LoadApprovals(s, "r.activation_id = ?", {activation_id}, false));
    return OkStatus();
  }));
  return out;
}

Result<std::vector<ApprovalRecord>> Store::ListPendingApprovalsVisibleTo(
    const std::string& org_id) {
  std::vector<ApprovalRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        out, LoadApprovals(s,
                           "r.state = 'pending' AND (a.host_org_id = ? OR r.activation_id IN "
                           "(SELECT activation_id FROM participations WHERE org_id = ?))",
                           {org_id, org_id}, false));
    return OkStatus();
  }));
  return out;
}

Result<ApprovalRecord> Store::DecideApproval(const std::string& activation_id,
                                             const std::string& approval_id,
                                             const ApprovalDecisionRequest& decision,
                                             std::optional<int64_t> expected_version,
                                             const Actor& actor,
                                             const ApprovalActorResolver& resolve) {
  Result<ApprovalRecord> out = NotFound("approval request not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, false));
    TUTTI_ASSIGN_OR_RETURN(ApprovalRecord record,
                           LoadApproval(s, activation_id, approval_id, true));
    TUTTI_ASSIGN_OR_RETURN(governance::Actor approver, resolve(a, record));
    TUTTI_RETURN_IF_ERROR(CheckVersion(record, expected_version));
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow, record.ParsedWorkflow());
    const ApprovalRoundRecord* round = FindRound(record, record.round);
    if (round == nullptr) return Internal("approval " + record.id + " lacks its current round");
    TUTTI_ASSIGN_OR_RETURN(Instant start, ParseInstant(round->started_at));
    TUTTI_ASSIGN_OR_RETURN(auto history, RoundDecisions(record, record.round));
    governance::ApprovalDecision candidate{decision.step, approver, decision.kind, decision.comment,
                                           NotBefore(clock_.Now(), start, history)};
    TUTTI_RETURN_IF_ERROR(governance::CheckDecision(workflow, start, history, candidate));
    // Content may have changed since the request was made: an approval is of what stands now.
    if (candidate.kind == governance::DecisionKind::kApprove) {
      TUTTI_RETURN_IF_ERROR(
          detail::CheckApprovalSubject(s, a.id, record.subject_kind, record.subject_id));
    }
    history.push_back(candidate);
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                           governance::EvaluateApproval(workflow, start, history, candidate.at));

    const std::string at = FormatInstant(candidate.at);
    const std::string now = Now();
    const std::string state(governance::RoundStateName(evaluation.state));
    const int64_t seq = static_cast<int64_t>(history.size());
    TUTTI_RETURN_IF_ERROR(
        s.Execute(
             "INSERT INTO approval_decisions (request_id, round, seq, step, user_id, "
             "user_role, user_party, decision, comment, at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {record.id, record.round, seq, candidate.step, approver.user_id,
              std::string(core::RoleName(approver.role)), PartyName(approver.party),
              std::string(governance::DecisionKindName(candidate.kind)), candidate.comment, at})
            .status());
    TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE approval_requests SET state = ?, version = version + "
                                    "1, updated_at = ? WHERE id = ?",
                                    {state, now, record.id})
                              .status());
    TUTTI_RETURN_IF_ERROR(ScheduleEscalationJobs(s, record, workflow, evaluation, now));
    AuditEntry e = ApprovalEntry(actor, record, "decided");
    e.before = Json{{"state", record.state}}.dump();
    e.after = Json{
        {"round", record.round},
        {"step", candidate.step},
        {"decision", governance::DecisionKindName(candidate.kind)},
        {"comment", candidate.comment},
        {"at", at},
        {"state",
         state}}.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = LoadApproval(s, activation_id, record.id, false);
    return out.status();
  }));
  return out;
}

Result<ApprovalRecord> Store::ResubmitApproval(const std::string& activation_id,
                                               const std::string& approval_id,
                                               const std::string& comment,
                                               std::optional<int64_t> expected_version,
                                               const Actor& actor,
                                               const ApprovalAuthorize& authorize) {
  Result<ApprovalRecord> out = NotFound("approval request not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, false));
    TUTTI_ASSIGN_OR_RETURN(ApprovalRecord record,
                           LoadApproval(s, activation_id, approval_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a, record));
    TUTTI_RETURN_IF_ERROR(CheckVersion(record, expected_version));
    if (record.state == "pending") {
      return Status(StatusCode::kFailedPrecondition,
                    "round " + std::to_string(record.round) +
                        " is still open; resubmit after a reject or a request for changes",
                    "", "round_open");
    }
    if (record.state == "approved") {
      return Status(StatusCode::kFailedPrecondition,
                    "the request was approved; put a changed item up as a new request", "",
                    "already_approved");
    }
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow, record.ParsedWorkflow());
    const Instant now = clock_.Now();
    const std::string now_text = FormatInstant(now);
    const std::string before_state = record.state;
    record.round += 1;
    record.round_started_at = now_text;
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                           governance::EvaluateApproval(workflow, now, {}, now));
    record.state = std::string(governance::RoundStateName(evaluation.state));
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO approval_rounds (request_id, round, started_at, "
                                    "started_by, comment) VALUES (?, ?, ?, ?, ?)",
                                    {record.id, record.round, now_text, actor.id, comment})
                              .status());
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE approval_requests SET round = ?, round_started_at = ?, state = ?, "
                  "version = version + 1, updated_at = ? WHERE id = ?",
                  {record.round, now_text, record.state, now_text, record.id})
            .status());
    TUTTI_RETURN_IF_ERROR(ScheduleEscalationJobs(s, record, workflow, evaluation, now_text));
    AuditEntry e = ApprovalEntry(actor, record, "resubmitted");
    e.before = Json{{"round", record.round - 1}, {"state", before_state}}.dump();
    e.after = Json{{"round", record.round}, {"state", record.state}, {"comment", comment}}.dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    out = LoadApproval(s, activation_id, record.id, false);
    return out.status();
  }));
  return out;
}

Result<std::vector<ApprovalBreachRecord>> Store::ListApprovalBreaches(
    const std::string& activation_id) {
  std::vector<ApprovalBreachRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        auto rows, s.Query(std::string("SELECT ") + kBreachColumns +
                               " WHERE b.activation_id = ? "
                               "ORDER BY b.breached_at, b.request_id, b.round, b.step, b.level",
                           {activation_id}));
    for (const Row& r : rows) out.push_back(BreachFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<std::vector<ApprovalBreachRecord>> Store::RecordDueApprovalEscalations(
    const std::string& approval_id, int64_t round, const JobLease& lease) {
  std::vector<ApprovalBreachRecord> recorded;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    recorded.clear();  // a retried transaction starts over
    const std::string now = Now();
    TUTTI_ASSIGN_OR_RETURN(auto found,
                           LoadApprovals(s, "r.id = ?", {approval_id}, /*for_update=*/true));
    if (found.empty() || round < 1 || round > found.front().round) {
      return detail::CompleteLeasedJob(s, lease, now);
    }
    const ApprovalRecord& record = found.front();
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow, record.ParsedWorkflow());
    TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                           record.Evaluate(workflow, round, clock_.Now()));
    for (const governance::EscalationEvent& event :
         governance::DueEscalations(workflow, evaluation)) {
      const governance::StepStatus& status = evaluation.steps[event.step];
      ApprovalBreachRecord breach{
          record.id,
          record.activation_id,
          record.org_id,
          record.title,
          round,
          workflow.steps[event.step].name,
          event.level,
          FormatInstant(*status.due_at),
          FormatInstant(event.at),
          now,
          Json{{"users", Json::array()}, {"roles", Json::array()}, {"contact", ""}}};
      if (event.level > 0) {
        TUTTI_ASSIGN_OR_RETURN(breach.notified, Recipients(s, record, event.notify));
      }
      // The key (request, round, step, level) makes a second runner's insert, or this job's
      // retry, a no-op; only the runner whose row went in writes the audit entry.
      TUTTI_ASSIGN_OR_RETURN(
          int64_t inserted,
          s.Execute(
              "INSERT INTO approval_breaches (request_id, round, step, level, activation_id, "
              "org_id, due_at, breached_at, recorded_at, notified) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (request_id, round, step, level) DO NOTHING",
              {breach.approval_id, breach.round, breach.step, breach.level, breach.activation_id,
               breach.org_id, breach.due_at, breach.breached_at, now, breach.notified.dump()}));
      if (inserted == 0) continue;
      AuditEntry e = ApprovalEntry(kJobRunnerActor, record,
                                   event.level == 0 ? "approval_breached" : "approval_escalated");
      e.after = Json{{"round", round},
                     {"step", breach.step},
                     {"level", breach.level},
                     {"due_at", breach.due_at},
                     {"breached_at", breach.breached_at},
                     {"notify", breach.notified}}
                    .dump();
      TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
      recorded.push_back(std::move(breach));
    }
    return detail::CompleteLeasedJob(s, lease, now);
  }));
  return recorded;
}

}  // namespace tutti::storage
