// Phase gates: the metric definitions, thresholds passing and failing (CTR exactly at 0.8 %),
// unknown metrics, approvals counted per distinct user, and go/no-go decisions with overrides.
#include "tutti/governance/gates.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti::governance {
namespace {

std::string User(char c) { return "usr_" + std::string(20, c); }

// The example: the pilot gate needs CTR ≥ 0.8 % and CPA ≤ 40, legal sign-off ticked,
// and two approvals by host owners.
Json PilotGateDocument() {
  return Json{{"phase", "pilot"},
              {"checklist", Json::array({Json{{"id", "legal_ok"}, {"label", "Legal signed off"}}})},
              {"approvals", Json::array({Json{{"role", "host:owner"}, {"count", 2}}})},
              {"metrics", Json::array({Json{{"metric", "ctr"}, {"op", ">="}, {"value", 0.008}},
                                       Json{{"metric", "cpa"}, {"op", "<="}, {"value", 40}}})}};
}

Gate PilotGate() {
  Result<Gate> gate = ParseGate(PilotGateDocument());
  EXPECT_TRUE(gate.ok()) << gate.status().ToString();
  return *gate;
}

// 10 000 impressions, 80 clicks (CTR 0.8 % exactly), 30 conversions on 1 200.00 spent (CPA 40).
MetricTotals PilotTotals() {
  return MetricTotals{.impressions = 10'000,
                      .clicks = 80,
                      .conversions = 30,
                      .spend_micros = 1'200'000'000,
                      .revenue_micros = 3'000'000'000};
}

GateFacts PassingFacts() {
  GateFacts facts;
  facts.checked_items = {"legal_ok"};
  facts.approvals = {Actor{User('a'), core::Role::kOwner, Party::kHost},
                     Actor{User('b'), core::Role::kOwner, Party::kHost}};
  facts.totals[""] = PilotTotals();
  return facts;
}

const CriterionResult& Criterion(const GateEvaluation& e, const std::string& id) {
  for (const CriterionResult& c : e.criteria) {
    if (c.id == id) return c;
  }
  ADD_FAILURE() << "no criterion " << id;
  static const CriterionResult kNone;
  return kNone;
}

TEST(ComputeMetric, RecomputesRatiosFromTotals) {
  const MetricTotals t = PilotTotals();
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCtr, t), 0.008);
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCpa, t), 40.0);
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kRoas, t), 2.5);              // 3 000 / 1 200
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCpc, t), 15.0);              // 1 200 / 80
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCpm, t), 120.0);             // 1 200 / 10 000 × 1 000
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kConversionRate, t), 0.375);  // 30 / 80
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kSpend, t), 1200.0);
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kImpressions, t), 10'000.0);
}

TEST(ComputeMetric, IsUnknownOverAZeroOrMissingDenominator) {
  MetricTotals t = PilotTotals();
  t.impressions = 0;
  EXPECT_FALSE(ComputeMetric(Metric::kCtr, t).has_value()) << "CTR over no impressions is not 0";
  EXPECT_FALSE(ComputeMetric(Metric::kCpm, t).has_value());
  t.conversions = 0;
  EXPECT_FALSE(ComputeMetric(Metric::kCpa, t).has_value());
  t.spend_micros.reset();
  EXPECT_FALSE(ComputeMetric(Metric::kRoas, t).has_value());
  EXPECT_FALSE(ComputeMetric(Metric::kSpend, t).has_value());
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kClicks, t), 80.0);
}

TEST(ParseGate, GivesDefaultIdsAndNamesTheFieldOfMistakes) {
  Gate gate = PilotGate();
  EXPECT_EQ(gate.phase, Phase::kPilot);
  ASSERT_EQ(gate.approvals.size(), 1u);
  EXPECT_EQ(gate.approvals[0].id, "approval:host:owner");
  ASSERT_EQ(gate.metrics.size(), 2u);
  EXPECT_EQ(gate.metrics[0].id, "ctr");
  EXPECT_EQ(gate.metrics[1].comparison, Comparison::kAtMost);

  auto expect_error = [](const Json& document, const std::string& reason,
                         const std::string& field) {
    Result<Gate> parsed = ParseGate(document);
    ASSERT_FALSE(parsed.ok()) << "accepted " << document.dump();
    EXPECT_EQ(parsed.status().reason(), reason) << parsed.status().ToString();
    EXPECT_EQ(parsed.status().field(), field) << parsed.status().ToString();
  };
  Json doc = PilotGateDocument();
  doc["metrics"][0]["value"] = 80;
  expect_error(doc, "out_of_range", "metrics[0].value");  // a CTR of 8 000 % is a percent typo
  doc = PilotGateDocument();
  doc["metrics"][1]["op"] = "=<";
  expect_error(doc, "invalid_enum", "metrics[1].op");
  doc = PilotGateDocument();
  doc["metrics"][1] = Json{{"metric", "ctr"}, {"op", "<="}, {"value", 0.05}};
  expect_error(doc, "duplicate_id", "metrics[1].id");
  doc["metrics"][1]["scope"] = "instagram";  // a scoped twin is a different criterion
  EXPECT_TRUE(ParseGate(doc).ok());
  doc = PilotGateDocument();
  doc["approvals"][0]["user"] = User('a');
  expect_error(doc, "invalid_field", "approvals[0]");
  doc = PilotGateDocument();
  doc["phase"] = "launch";
  expect_error(doc, "invalid_enum", "phase");
  doc = PilotGateDocument();
  doc["checklist"][0]["id"] = "Legal OK";
  expect_error(doc, "invalid_id", "checklist[0].id");
  doc = PilotGateDocument();
  doc["metrics"][1]["value"] = -1;
  expect_error(doc, "out_of_range", "metrics[1].value");
}

TEST(EvaluateGate, PassesWithCtrExactlyAtTheThreshold) {
  GateEvaluation e = EvaluateGate(PilotGate(), PassingFacts());
  EXPECT_TRUE(e.ready);
  EXPECT_EQ(e.passed, 4);
  EXPECT_EQ(Criterion(e, "ctr").outcome, Outcome::kPass);
  EXPECT_DOUBLE_EQ(*Criterion(e, "ctr").measured, 0.008);
  EXPECT_EQ(Criterion(e, "ctr").expected, ">= 0.8 %");
  EXPECT_EQ(Criterion(e, "cpa").outcome, Outcome::kPass) << "CPA of exactly 40 meets <= 40";
}

TEST(EvaluateGate, FailsJustBelowTheThreshold) {
  GateFacts facts = PassingFacts();
  facts.totals[""].clicks = 79;  // 0.79 %
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  EXPECT_FALSE(e.ready);
  EXPECT_EQ(Criterion(e, "ctr").outcome, Outcome::kFail);
  EXPECT_EQ(Criterion(e, "ctr").message, "ctr is 0.79 %; needs >= 0.8 %");
  EXPECT_EQ(e.failed, 1);
}

TEST(EvaluateGate, StrictComparisonsExcludeTheThreshold) {
  Json doc = PilotGateDocument();
  doc["metrics"][0]["op"] = ">";
  doc["metrics"][1]["op"] = "<";
  Result<Gate> gate = ParseGate(doc);
  ASSERT_TRUE(gate.ok());
  GateEvaluation e = EvaluateGate(*gate, PassingFacts());
  EXPECT_EQ(Criterion(e, "ctr").outcome, Outcome::kFail);
  EXPECT_EQ(Criterion(e, "cpa").outcome, Outcome::kFail);
}

TEST(EvaluateGate, AnUnmeasuredMetricIsUnknownNotPassing) {
  GateFacts facts = PassingFacts();
  facts.totals[""].conversions = 0;  // CPA over no conversions
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  EXPECT_EQ(Criterion(e, "cpa").outcome, Outcome::kUnknown);
  EXPECT_FALSE(Criterion(e, "cpa").measured.has_value());
  EXPECT_EQ(e.unknown, 1);
  EXPECT_FALSE(e.ready);

  facts.totals.clear();  // nothing measured at all
  e = EvaluateGate(PilotGate(), facts);
  EXPECT_EQ(Criterion(e, "ctr").outcome, Outcome::kUnknown);
  EXPECT_EQ(e.unknown, 2);
}

TEST(EvaluateGate, ReadsScopedTotals) {
  Json doc = PilotGateDocument();
  doc["metrics"][0]["scope"] = "instagram";
  Result<Gate> gate = ParseGate(doc);
  ASSERT_TRUE(gate.ok());
  GateFacts facts = PassingFacts();
  GateEvaluation e = EvaluateGate(*gate, facts);
  EXPECT_EQ(Criterion(e, "ctr@instagram").outcome, Outcome::kUnknown)
      << "the activation's totals do not stand in for a scope's";
  MetricTotals instagram;
  instagram.impressions = 1000;
  instagram.clicks = 9;
  facts.totals["instagram"] = instagram;
  e = EvaluateGate(*gate, facts);
  EXPECT_EQ(Criterion(e, "ctr@instagram").outcome, Outcome::kPass);
}

TEST(EvaluateGate, CountsEachApproverOnceAndOnlyOnTheirSide) {
  GateFacts facts = PassingFacts();
  facts.approvals = {Actor{User('a'), core::Role::kOwner, Party::kHost},
                     Actor{User('a'), core::Role::kOwner, Party::kHost},
                     Actor{User('c'), core::Role::kOwner, Party::kPartner}};
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  const CriterionResult& approvals = Criterion(e, "approval:host:owner");
  EXPECT_EQ(approvals.outcome, Outcome::kFail);
  EXPECT_EQ(*approvals.measured, 1.0);
  EXPECT_EQ(approvals.message, "1 of 2 required approvals by host:owner");
}

TEST(EvaluateGate, AChecklistItemPassesOnlyWhenTicked) {
  GateFacts facts = PassingFacts();
  facts.checked_items = {"something_else"};
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  EXPECT_EQ(Criterion(e, "legal_ok").outcome, Outcome::kFail);
}

GateDecisionRequest Go(const Actor& actor, std::string reason = "Pilot met its goals") {
  return GateDecisionRequest{.verdict = GateVerdict::kGo,
                             .actor = actor,
                             .reason = std::move(reason),
                             .overrides = {},
                             .at = *ParseInstant("2026-07-01T12:00:00Z")};
}

const Actor kHostFacilitator{User('f'), core::Role::kFacilitator, Party::kHost};

TEST(DecideGate, RecordsAGoWhenEveryCriterionPasses) {
  GateEvaluation e = EvaluateGate(PilotGate(), PassingFacts());
  Result<GateDecision> decision = DecideGate(e, Go(kHostFacilitator));
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_EQ(decision->actor_user_id, User('f'));
  EXPECT_EQ(decision->criteria.size(), 4u) << "the criteria are kept as they stood";
  Json json = GateDecisionToJson(*decision);
  EXPECT_EQ(json["verdict"], "go");
  EXPECT_EQ(json["next_phase"], "full_deployment");
  EXPECT_EQ(json["at"], "2026-07-01T12:00:00.000Z");
}

TEST(DecideGate, RefusesGoWhileACriterionFails) {
  GateFacts facts = PassingFacts();
  facts.totals[""].clicks = 70;
  facts.totals[""].conversions = 0;
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  Result<GateDecision> decision = DecideGate(e, Go(kHostFacilitator));
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(decision.status().reason(), "criteria_not_met");
  EXPECT_NE(decision.status().message().find("ctr (fail), cpa (unknown)"), std::string::npos)
      << decision.status().message();
}

TEST(DecideGate, AcceptsGoWhenEveryFailingCriterionIsOverriddenWithAReason) {
  GateFacts facts = PassingFacts();
  facts.totals[""].clicks = 70;
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  GateDecisionRequest request = Go(kHostFacilitator, "Creative refresh is already booked");
  request.overrides = {{"ctr", "CTR was depressed by the outage on 12 June"}};
  Result<GateDecision> decision = DecideGate(e, request);
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  ASSERT_EQ(decision->overrides.size(), 1u);
  EXPECT_EQ(decision->overrides[0].criterion_id, "ctr");
}

TEST(DecideGate, RefusesAnOverrideWithoutTheRightRole) {
  GateFacts facts = PassingFacts();
  facts.totals[""].clicks = 70;
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  for (const Actor& actor : {Actor{User('g'), core::Role::kContributor, Party::kHost},
                             Actor{User('h'), core::Role::kOwner, Party::kPartner}}) {
    GateDecisionRequest request = Go(actor);
    request.overrides = {{"ctr", "good enough"}};
    Result<GateDecision> decision = DecideGate(e, request);
    ASSERT_FALSE(decision.ok());
    EXPECT_EQ(decision.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(decision.status().reason(), "override_not_allowed");
  }
  EXPECT_TRUE(CanOverrideGate(Actor{User('i'), core::Role::kOwner, Party::kHost}));
}

TEST(DecideGate, RefusesAnOverrideWithoutAReason) {
  GateFacts facts = PassingFacts();
  facts.totals[""].clicks = 70;
  GateEvaluation e = EvaluateGate(PilotGate(), facts);
  GateDecisionRequest request = Go(kHostFacilitator);
  request.overrides = {{"ctr", "  "}};
  Result<GateDecision> decision = DecideGate(e, request);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decision.status().field(), "overrides[0].reason");

  request.overrides = {{"cpa", "CPA is fine"}};
  decision = DecideGate(e, request);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().reason(), "not_failing");
  request.overrides = {{"reach", "n/a"}};
  decision = DecideGate(e, request);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().reason(), "unknown_criterion");
  request.overrides = {{"ctr", "outage"}, {"ctr", "outage again"}};
  decision = DecideGate(e, request);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().reason(), "duplicate_value");
}

TEST(DecideGate, RecordsANoGoWithAReasonWhateverTheCriteria) {
  GateEvaluation e = EvaluateGate(PilotGate(), PassingFacts());
  GateDecisionRequest request = Go(Actor{User('g'), core::Role::kContributor, Party::kHost},
                                   "Brand safety concern on the partner's channel");
  request.verdict = GateVerdict::kNoGo;
  Result<GateDecision> decision = DecideGate(e, request);
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_FALSE(GateDecisionToJson(*decision).contains("next_phase"));
  request.reason = "";
  decision = DecideGate(e, request);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().field(), "reason");
  EXPECT_EQ(decision.status().reason(), "required");
}

TEST(NextPhase, WalksThePhasesInOrder) {
  EXPECT_EQ(NextPhase(Phase::kIdeation), Phase::kProofOfConcept);
  EXPECT_EQ(NextPhase(Phase::kProofOfConcept), Phase::kPilot);
  EXPECT_EQ(NextPhase(Phase::kFullDeployment), Phase::kRetrospective);
  EXPECT_FALSE(NextPhase(Phase::kRetrospective).has_value());
}

}  // namespace
}  // namespace tutti::governance
