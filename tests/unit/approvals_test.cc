// Approval workflows: parsing with defaults from the agreement, sequential and parallel stages,
// any/all quorum, a reject ending the round, turnaround breaches and escalation levels on a
// controlled clock, the inbox, and the refusals of a decision history. Instants are worked out by
// hand from the round's start (2026-06-01 09:00 UTC).
#include "tutti/governance/approvals.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tutti::governance {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

Instant At(const char* text) {
  Result<Instant> instant = ParseInstant(text);
  EXPECT_TRUE(instant.ok()) << text;
  return *instant;
}

// A valid user id: "usr_" and 20 characters of the id alphabet.
std::string User(char c) { return "usr_" + std::string(20, c); }

Actor Named(char c) { return Actor{User(c), core::Role::kContributor, Party::kPartner}; }
Actor HostOwner(char c) { return Actor{User(c), core::Role::kOwner, Party::kHost}; }

const Instant kStart = At("2026-06-01T09:00:00Z");

// legal (A, 24 h, escalates at 24 h and 48 h) → then brand (any host owner, 48 h) in parallel
// with partner (B and C both, 12 h).
Json ThreeStepDocument() {
  return Json{
      {"steps",
       Json::array(
           {Json{{"name", "legal"},
                 {"approvers", {{"users", {User('a')}}}},
                 {"turnaround_hours", 24},
                 {"escalation",
                  Json::array(
                      {Json{{"after_hours", 24}, {"notify", {{"users", {User('e')}}}}},
                       Json{{"after_hours", 48}, {"notify", {{"roles", {"host:owner"}}}}}})}},
            Json{{"name", "brand"},
                 {"approvers", {{"roles", {"host:owner"}}}},
                 {"turnaround_hours", 48}},
            Json{{"name", "partner"},
                 {"approvers", {{"users", {User('b'), User('c')}}}},
                 {"quorum", "all"},
                 {"parallel_with_previous", true},
                 {"turnaround_hours", 12}}})}};
}

ApprovalWorkflow ThreeSteps() {
  Result<ApprovalWorkflow> workflow = ParseWorkflow(ThreeStepDocument(), {});
  EXPECT_TRUE(workflow.ok()) << workflow.status().ToString();
  return *workflow;
}

ApprovalDecision Decide(const char* step, const Actor& actor, DecisionKind kind, const char* at,
                        std::string comment = "") {
  return ApprovalDecision{step, actor, kind, std::move(comment), At(at)};
}

ApprovalEvaluation Evaluate(const ApprovalWorkflow& workflow,
                            const std::vector<ApprovalDecision>& decisions, Instant now) {
  Result<ApprovalEvaluation> evaluation = EvaluateApproval(workflow, kStart, decisions, now);
  EXPECT_TRUE(evaluation.ok()) << evaluation.status().ToString();
  return evaluation.ok() ? *evaluation : ApprovalEvaluation{};
}

void ExpectWorkflowError(const Json& document, const WorkflowDefaults& defaults,
                         const std::string& reason, const std::string& field) {
  Result<ApprovalWorkflow> workflow = ParseWorkflow(document, defaults);
  ASSERT_FALSE(workflow.ok()) << "accepted " << document.dump();
  EXPECT_EQ(workflow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(workflow.status().reason(), reason) << workflow.status().ToString();
  EXPECT_EQ(workflow.status().field(), field) << workflow.status().ToString();
}

TEST(ParseWorkflow, GroupsParallelStepsIntoStages) {
  ApprovalWorkflow workflow = ThreeSteps();
  ASSERT_EQ(workflow.steps.size(), 3u);
  EXPECT_EQ(workflow.stage_count, 2);
  EXPECT_EQ(workflow.steps[0].stage, 0);
  EXPECT_EQ(workflow.steps[1].stage, 1);
  EXPECT_EQ(workflow.steps[2].stage, 1);
  EXPECT_EQ(workflow.steps[2].quorum, Quorum::kAll);
  EXPECT_EQ(workflow.steps[1].quorum, Quorum::kAny);
  ASSERT_EQ(workflow.steps[1].approver_roles.size(), 1u);
  EXPECT_EQ(workflow.steps[1].approver_roles[0], (RoleRef{core::Role::kOwner, Party::kHost}));
}

TEST(ParseWorkflow, TakesTurnaroundAndEscalationFromTheAgreement) {
  Json agreement{
      {"approval_turnaround_hours", 36},
      {"escalation_path",
       Json::array({Json{{"after_hours", 36}, {"contact", "Felix Hart"}, {"role", "facilitator"}},
                    Json{{"after_hours", 72}, {"contact", "Legal desk"}, {"role", "counsel"}}})}};
  Result<WorkflowDefaults> defaults = WorkflowDefaultsFromAgreement(agreement);
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  Json document{
      {"steps", Json::array({Json{{"name", "review"}, {"approvers", {{"roles", {"owner"}}}}}})}};
  Result<ApprovalWorkflow> workflow = ParseWorkflow(document, *defaults);
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  const ApprovalStep& step = workflow->steps[0];
  EXPECT_EQ(step.turnaround_hours, 36);
  ASSERT_EQ(step.escalation.size(), 2u);
  EXPECT_EQ(step.escalation[0].after_hours, 36);
  EXPECT_EQ(step.escalation[0].contact, "Felix Hart (facilitator)");
  ASSERT_EQ(step.escalation[0].notify_roles.size(), 1u) << "facilitator is a Tutti role";
  EXPECT_EQ(step.escalation[0].notify_roles[0].role, core::Role::kFacilitator);
  EXPECT_EQ(step.escalation[1].contact, "Legal desk (counsel)");
  EXPECT_TRUE(step.escalation[1].notify_roles.empty()) << "counsel is not a Tutti role";

  // A step's own values win over the agreement's; an explicit empty path escalates to no one.
  document["steps"][0]["turnaround_hours"] = 8;
  document["steps"][0]["escalation"] = Json::array();
  workflow = ParseWorkflow(document, *defaults);
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  EXPECT_EQ(workflow->steps[0].turnaround_hours, 8);
  EXPECT_TRUE(workflow->steps[0].escalation.empty());
}

TEST(ParseWorkflow, NamesTheFieldOfEveryMistake) {
  Json document = ThreeStepDocument();
  document["steps"][1]["approvers"]["roles"][0] = "boss";
  ExpectWorkflowError(document, {}, "invalid_enum", "steps[1].approvers.roles[0]");

  document = ThreeStepDocument();
  document["steps"][0]["parallel_with_previous"] = true;
  ExpectWorkflowError(document, {}, "invalid_field", "steps[0].parallel_with_previous");

  document = ThreeStepDocument();
  document["steps"][2]["name"] = "legal";
  ExpectWorkflowError(document, {}, "duplicate_name", "steps[2].name");

  document = ThreeStepDocument();
  document["steps"][0]["escalation"][1]["after_hours"] = 24;
  ExpectWorkflowError(document, {}, "not_increasing", "steps[0].escalation[1].after_hours");

  document = ThreeStepDocument();
  document["steps"][1].erase("turnaround_hours");
  ExpectWorkflowError(document, {}, "required", "steps[1].turnaround_hours");

  document = ThreeStepDocument();
  document["steps"][2]["approvers"]["users"][1] = "carol";
  ExpectWorkflowError(document, {}, "invalid_id", "steps[2].approvers.users[1]");

  document = ThreeStepDocument();
  document["steps"][1]["approvers"] = Json::object();
  ExpectWorkflowError(document, {}, "required", "steps[1].approvers");

  document = ThreeStepDocument();
  document["steps"][0]["quorum"] = "most";
  ExpectWorkflowError(document, {}, "invalid_enum", "steps[0].quorum");

  document = ThreeStepDocument();
  document["steps"][0]["deadline"] = 3;
  ExpectWorkflowError(document, {}, "unknown_field", "steps[0].deadline");
}

TEST(ParseWorkflow, ReadsBackWhatWorkflowToJsonWrites) {
  ApprovalWorkflow workflow = ThreeSteps();
  Result<ApprovalWorkflow> again = ParseWorkflow(WorkflowToJson(workflow), {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(WorkflowToJson(*again), WorkflowToJson(workflow));
  EXPECT_EQ(again->steps[2].stage, 1);
  EXPECT_EQ(again->steps[0].escalation, workflow.steps[0].escalation);
}

TEST(EvaluateApproval, ActivatesOnlyTheFirstStageAtTheStart) {
  ApprovalWorkflow workflow = ThreeSteps();
  ApprovalEvaluation e = Evaluate(workflow, {}, At("2026-06-01T10:00:00Z"));
  EXPECT_EQ(e.state, RoundState::kPending);
  EXPECT_EQ(e.steps[0].state, StepState::kPending);
  EXPECT_EQ(e.steps[0].activated_at, kStart);
  EXPECT_EQ(e.steps[0].due_at, At("2026-06-02T09:00:00Z"));
  EXPECT_EQ(e.steps[0].time_left, hours(23));
  EXPECT_EQ(e.steps[0].owed_users, std::vector<std::string>{User('a')});
  EXPECT_EQ(e.steps[1].state, StepState::kWaiting);
  EXPECT_EQ(e.steps[2].state, StepState::kWaiting);
  EXPECT_FALSE(e.steps[1].activated_at.has_value());
  EXPECT_FALSE(e.steps[1].time_left.has_value());
}

TEST(EvaluateApproval, StartsTheNextStageWhenTheStageBeforeIsApproved) {
  ApprovalWorkflow workflow = ThreeSteps();
  ApprovalEvaluation e = Evaluate(
      workflow, {Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z")},
      At("2026-06-01T16:00:00Z"));
  EXPECT_EQ(e.steps[0].state, StepState::kApproved);
  EXPECT_EQ(e.steps[0].completed_at, At("2026-06-01T15:00:00Z"));
  EXPECT_EQ(e.steps[0].time_left, hours(18)) << "approved 18 h before its due time";
  EXPECT_FALSE(e.steps[0].breached);
  // Both parallel steps start at the approval, each with its own turnaround.
  EXPECT_EQ(e.steps[1].state, StepState::kPending);
  EXPECT_EQ(e.steps[1].activated_at, At("2026-06-01T15:00:00Z"));
  EXPECT_EQ(e.steps[1].due_at, At("2026-06-03T15:00:00Z"));
  EXPECT_EQ(e.steps[2].state, StepState::kPending);
  EXPECT_EQ(e.steps[2].due_at, At("2026-06-02T03:00:00Z"));
  EXPECT_EQ(e.steps[2].time_left, hours(11));
}

TEST(EvaluateApproval, QuorumAllWaitsForEveryNamedApprover) {
  ApprovalWorkflow workflow = ThreeSteps();
  std::vector<ApprovalDecision> decisions{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
      Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T16:00:00Z")};
  ApprovalEvaluation e = Evaluate(workflow, decisions, At("2026-06-01T16:30:00Z"));
  EXPECT_EQ(e.steps[2].state, StepState::kPending);
  EXPECT_EQ(e.steps[2].owed_users, std::vector<std::string>{User('c')});
  EXPECT_EQ(e.steps[2].approved_by, std::vector<std::string>{User('b')});

  decisions.push_back(
      Decide("partner", Named('c'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"));
  e = Evaluate(workflow, decisions, At("2026-06-01T17:30:00Z"));
  EXPECT_EQ(e.steps[2].state, StepState::kApproved);
  EXPECT_TRUE(e.steps[2].owed_users.empty());
  EXPECT_EQ(e.state, RoundState::kPending) << "brand, in the same stage, is still open";

  decisions.push_back(
      Decide("brand", HostOwner('d'), DecisionKind::kApprove, "2026-06-01T18:00:00Z"));
  e = Evaluate(workflow, decisions, At("2026-06-01T19:00:00Z"));
  EXPECT_EQ(e.state, RoundState::kApproved);
  EXPECT_EQ(e.completed_at, At("2026-06-01T18:00:00Z"));
}

TEST(EvaluateApproval, QuorumAllWithARoleNeedsOneHolderOfIt) {
  Json document{
      {"steps", Json::array({Json{
                    {"name", "sign-off"},
                    {"approvers", {{"users", {User('b')}}, {"roles", {"partner:partner_admin"}}}},
                    {"quorum", "all"},
                    {"turnaround_hours", 24}}})}};
  Result<ApprovalWorkflow> workflow = ParseWorkflow(document, {});
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  std::vector<ApprovalDecision> decisions{
      Decide("sign-off", Named('b'), DecisionKind::kApprove, "2026-06-01T10:00:00Z")};
  ApprovalEvaluation e = Evaluate(*workflow, decisions, At("2026-06-01T11:00:00Z"));
  EXPECT_EQ(e.steps[0].state, StepState::kPending);
  ASSERT_EQ(e.steps[0].owed_roles.size(), 1u);
  EXPECT_EQ(RoleRefName(e.steps[0].owed_roles[0]), "partner:partner_admin");

  const Actor admin{User('f'), core::Role::kPartnerAdmin, Party::kPartner};
  decisions.push_back(Decide("sign-off", admin, DecisionKind::kApprove, "2026-06-01T12:00:00Z"));
  e = Evaluate(*workflow, decisions, At("2026-06-01T13:00:00Z"));
  EXPECT_EQ(e.state, RoundState::kApproved);
}

TEST(EvaluateApproval, RejectEndsTheRoundAndCancelsTheOpenSteps) {
  ApprovalWorkflow workflow = ThreeSteps();
  std::vector<ApprovalDecision> decisions{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
      Decide("partner", Named('b'), DecisionKind::kReject, "2026-06-01T16:00:00Z",
             "The logo is the old one.")};
  ApprovalEvaluation e = Evaluate(workflow, decisions, At("2026-06-01T17:00:00Z"));
  EXPECT_EQ(e.state, RoundState::kRejected);
  EXPECT_EQ(e.completed_at, At("2026-06-01T16:00:00Z"));
  EXPECT_EQ(e.steps[2].state, StepState::kRejected);
  EXPECT_EQ(e.steps[1].state, StepState::kCancelled);
  EXPECT_EQ(e.steps[1].completed_at, At("2026-06-01T16:00:00Z"));
  EXPECT_TRUE(e.steps[1].owed_roles.empty()) << "a cancelled step owes nothing";

  // Nothing more is accepted in this round; the author resubmits, which starts a new one.
  Status late = CheckDecision(
      workflow, kStart, decisions,
      Decide("brand", HostOwner('d'), DecisionKind::kApprove, "2026-06-01T18:00:00Z"));
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(late.reason(), "round_closed");
  Result<ApprovalEvaluation> next =
      EvaluateApproval(workflow, At("2026-06-02T10:00:00Z"), {}, At("2026-06-02T10:00:00Z"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->state, RoundState::kPending);
  EXPECT_EQ(next->steps[0].due_at, At("2026-06-03T10:00:00Z"));
}

TEST(EvaluateApproval, RequestChangesEndsTheRoundToo) {
  ApprovalWorkflow workflow = ThreeSteps();
  ApprovalEvaluation e = Evaluate(workflow,
                                  {Decide("legal", Named('a'), DecisionKind::kRequestChanges,
                                          "2026-06-01T12:00:00Z", "Add the #ad disclosure.")},
                                  At("2026-06-01T13:00:00Z"));
  EXPECT_EQ(e.state, RoundState::kChangesRequested);
  EXPECT_EQ(e.steps[0].state, StepState::kChangesRequested);
  EXPECT_EQ(e.steps[1].state, StepState::kCancelled);
  EXPECT_EQ(e.steps[2].state, StepState::kCancelled);
}

TEST(EvaluateApproval, BreachesAndEscalatesOnAControlledClock) {
  ApprovalWorkflow workflow = ThreeSteps();
  ManualClock clock(At("2026-06-02T09:00:00Z"));  // legal's due instant exactly

  ApprovalEvaluation e = Evaluate(workflow, {}, clock.Now());
  EXPECT_EQ(e.steps[0].time_left, milliseconds(0));
  EXPECT_FALSE(e.steps[0].breached) << "a decision at due_at exactly would be on time";
  EXPECT_EQ(e.steps[0].escalation_level, 0);
  EXPECT_TRUE(DueEscalations(workflow, e).empty());

  clock.Advance(milliseconds(1));
  e = Evaluate(workflow, {}, clock.Now());
  EXPECT_TRUE(e.steps[0].breached);
  EXPECT_EQ(e.steps[0].time_left, milliseconds(-1));
  EXPECT_EQ(e.steps[0].escalation_level, 1);
  std::vector<EscalationEvent> events = DueEscalations(workflow, e);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].level, 0) << "the breach itself, for SLA reporting";
  EXPECT_EQ(events[0].at, At("2026-06-02T09:00:00Z"));
  EXPECT_EQ(events[1].level, 1);
  EXPECT_EQ(events[1].at, At("2026-06-02T09:00:00Z"));
  EXPECT_EQ(events[1].notify.notify_users, std::vector<std::string>{User('e')});

  clock.Advance(hours(24));  // 48 h and 1 ms after the start
  e = Evaluate(workflow, {}, clock.Now());
  EXPECT_EQ(e.steps[0].escalation_level, 2);
  events = DueEscalations(workflow, e);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].level, 2);
  EXPECT_EQ(events[2].at, At("2026-06-03T09:00:00Z"));
  ASSERT_EQ(events[2].notify.notify_roles.size(), 1u);
  EXPECT_EQ(events[2].notify.notify_roles[0], (RoleRef{core::Role::kOwner, Party::kHost}));

  // Approved late at 50 h: the step stays breached (26 h late) and no event disappears.
  const std::vector<ApprovalDecision> late{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-03T11:00:00Z")};
  clock.Advance(hours(100));
  e = Evaluate(workflow, late, clock.Now());
  EXPECT_EQ(e.steps[0].state, StepState::kApproved);
  EXPECT_TRUE(e.steps[0].breached);
  EXPECT_EQ(e.steps[0].time_left, hours(-26));
  EXPECT_EQ(e.steps[0].escalation_level, 2);
  std::vector<EscalationEvent> after = DueEscalations(workflow, e);
  ASSERT_GE(after.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(after[i].step, events[i].step);
    EXPECT_EQ(after[i].level, events[i].level);
    EXPECT_EQ(after[i].at, events[i].at);
  }
}

TEST(EvaluateApproval, CountsOnlyEscalationsReachedBeforeCompletion) {
  ApprovalWorkflow workflow = ThreeSteps();
  // Approved at 30 h: past level 1 (24 h), before level 2 (48 h), however late `now` is.
  ApprovalEvaluation e = Evaluate(
      workflow, {Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-02T15:00:00Z")},
      At("2026-06-09T00:00:00Z"));
  EXPECT_EQ(e.steps[0].escalation_level, 1);
  std::vector<EscalationEvent> events = DueEscalations(workflow, e);
  // Breach and level 1 of legal, then the breaches of partner (due 06-03 03:00) and brand (due
  // 06-04 15:00), which started at 15:00 on 06-02 and are still pending on 06-09.
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].step, 0u);
  EXPECT_EQ(events[1].step, 0u);
  EXPECT_EQ(events[2].step, 2u);
  EXPECT_EQ(events[2].at, At("2026-06-03T03:00:00Z"));
  EXPECT_EQ(events[3].step, 1u);
  EXPECT_EQ(events[3].at, At("2026-06-04T15:00:00Z"));
}

TEST(CanDecide, MatchesNamedUsersAndRolesOnTheirSide) {
  ApprovalWorkflow workflow = ThreeSteps();
  const ApprovalStep& brand = workflow.steps[1];
  EXPECT_TRUE(CanDecide(brand, HostOwner('d')));
  EXPECT_FALSE(CanDecide(brand, Actor{User('d'), core::Role::kOwner, Party::kPartner}))
      << "the partner's owner is not the host's owner";
  EXPECT_FALSE(CanDecide(brand, Actor{User('d'), core::Role::kOwner, std::nullopt}))
      << "another partner's owner never matches a role";
  EXPECT_FALSE(CanDecide(brand, Actor{User('d'), core::Role::kFacilitator, Party::kHost}));
  EXPECT_TRUE(CanDecide(workflow.steps[2], Named('c')));
  EXPECT_FALSE(CanDecide(workflow.steps[2], Named('d')));
}

TEST(CheckDecision, RefusesWhatTheRulesDoNotAllow) {
  ApprovalWorkflow workflow = ThreeSteps();
  const std::vector<ApprovalDecision> history{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
      Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T16:00:00Z")};
  struct Case {
    ApprovalDecision candidate;
    StatusCode code;
    const char* reason;
  };
  const Case cases[] = {
      {Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"),
       StatusCode::kFailedPrecondition, "already_decided"},
      {Decide("partner", Named('d'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"),
       StatusCode::kPermissionDenied, "not_an_approver"},
      {Decide("partner", Named('c'), DecisionKind::kReject, "2026-06-01T17:00:00Z", " \n"),
       StatusCode::kInvalidArgument, "comment_required"},
      {Decide("partner", Named('c'), DecisionKind::kRequestChanges, "2026-06-01T17:00:00Z"),
       StatusCode::kInvalidArgument, "comment_required"},
      {Decide("launch", Named('c'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"),
       StatusCode::kInvalidArgument, "unknown_step"},
      {Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"),
       StatusCode::kFailedPrecondition, "already_decided"},
      {Decide("partner", Named('c'), DecisionKind::kApprove, "2026-06-01T15:30:00Z"),
       StatusCode::kInvalidArgument, "out_of_order"},
  };
  for (const Case& c : cases) {
    Status status = CheckDecision(workflow, kStart, history, c.candidate);
    EXPECT_EQ(status.code(), c.code) << c.reason << ": " << status.ToString();
    EXPECT_EQ(status.reason(), c.reason) << status.ToString();
  }
  EXPECT_TRUE(
      CheckDecision(workflow, kStart, history,
                    Decide("partner", Named('c'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"))
          .ok());
  // Before legal is approved, the partner step has not started.
  Status early =
      CheckDecision(workflow, kStart, {},
                    Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T10:00:00Z"));
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.reason(), "step_not_active");
}

TEST(CheckDecision, RefusesASecondApprovalOfAnAnyStepAlreadyMet) {
  ApprovalWorkflow workflow = ThreeSteps();
  const std::vector<ApprovalDecision> history{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
      Decide("brand", HostOwner('d'), DecisionKind::kApprove, "2026-06-01T16:00:00Z")};
  Status second = CheckDecision(
      workflow, kStart, history,
      Decide("brand", HostOwner('e'), DecisionKind::kApprove, "2026-06-01T17:00:00Z"));
  EXPECT_EQ(second.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.reason(), "step_closed");
}

TEST(EvaluateApproval, RefusesAHistoryTheRulesWouldNotHaveAccepted) {
  ApprovalWorkflow workflow = ThreeSteps();
  auto expect_refused = [&](const std::vector<ApprovalDecision>& decisions, Instant now,
                            const std::string& reason, const std::string& field) {
    Result<ApprovalEvaluation> e = EvaluateApproval(workflow, kStart, decisions, now);
    ASSERT_FALSE(e.ok()) << reason;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(e.status().reason(), reason) << e.status().ToString();
    EXPECT_EQ(e.status().field(), field) << e.status().ToString();
  };
  const Instant now = At("2026-06-05T00:00:00Z");
  // Listed out of order on purpose: decisions apply by instant, so index 1 is the early one.
  expect_refused({Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
                  Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T14:00:00Z")},
                 now, "step_not_active", "decisions[1].step");
  expect_refused({Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T08:00:00Z")}, now,
                 "before_start", "decisions[0].at");
  expect_refused({Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-06T08:00:00Z")}, now,
                 "in_the_future", "decisions[0].at");
  expect_refused({Decide("legal", Named('b'), DecisionKind::kApprove, "2026-06-01T10:00:00Z")}, now,
                 "not_an_approver", "decisions[0].step");
}

TEST(InboxFor, ListsWhatTheUserOwesMostUrgentFirst) {
  ApprovalWorkflow workflow = ThreeSteps();
  const std::vector<ApprovalDecision> decisions{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z")};
  ApprovalEvaluation e = Evaluate(workflow, decisions, At("2026-06-01T16:00:00Z"));
  // C is named on the partner step and is also a host owner, so owes both open steps.
  const Actor carol{User('c'), core::Role::kOwner, Party::kHost};
  std::vector<InboxEntry> inbox = InboxFor(workflow, e, carol);
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0].step, 2u) << "partner is due 2026-06-02 03:00, brand a day and a half later";
  EXPECT_EQ(inbox[0].time_left, hours(11));
  EXPECT_EQ(inbox[1].step, 1u);
  EXPECT_EQ(inbox[1].time_left, hours(47));

  EXPECT_TRUE(InboxFor(workflow, e, Named('a')).empty()) << "A already approved legal";
  EXPECT_TRUE(InboxFor(workflow, e, Named('d')).empty());
}

TEST(InboxFor, DropsAStepOnceTheUsersPartIsDone) {
  ApprovalWorkflow workflow = ThreeSteps();
  const std::vector<ApprovalDecision> decisions{
      Decide("legal", Named('a'), DecisionKind::kApprove, "2026-06-01T15:00:00Z"),
      Decide("partner", Named('b'), DecisionKind::kApprove, "2026-06-01T16:00:00Z")};
  ApprovalEvaluation e = Evaluate(workflow, decisions, At("2026-06-01T16:30:00Z"));
  EXPECT_TRUE(InboxFor(workflow, e, Named('b')).empty());
  ASSERT_EQ(InboxFor(workflow, e, Named('c')).size(), 1u);
}

TEST(EvaluationToJson, ShowsStatesAndTimeLeft) {
  ApprovalWorkflow workflow = ThreeSteps();
  ApprovalEvaluation e = Evaluate(workflow, {}, At("2026-06-01T10:00:00Z"));
  Json json = EvaluationToJson(workflow, e);
  EXPECT_EQ(json["state"], "pending");
  EXPECT_EQ(json["steps"][0]["name"], "legal");
  EXPECT_EQ(json["steps"][0]["due_at"], "2026-06-02T09:00:00.000Z");
  EXPECT_EQ(json["steps"][0]["time_left_ms"], 23 * 3600 * 1000);
  EXPECT_EQ(json["steps"][1]["state"], "waiting");
  EXPECT_FALSE(json["steps"][1].contains("due_at"));
  EXPECT_EQ(json["steps"][1]["owed_roles"], Json::array()) << "a waiting step owes nothing yet";
}

}  // namespace
}  // namespace tutti::governance
