// Phase gates (C3): an activation moves ideation → proof of concept → pilot → full deployment →
// retrospective, and the gate that closes each phase has criteria (checklist items, required
// approvals, metric thresholds such as "pilot CTR ≥ 0.8 %"). The gate evaluates itself from facts
// the caller gathers (ticked items, who approved, measured totals) and a go/no-go decision is
// checked against that evaluation: going ahead past a criterion that does not pass needs an
// override, by the host's owner or facilitator, with a reason. The ratio metrics (CTR, CPA, ROAS…)
// are defined here and nowhere else. Pure; every function is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/governance/approvals.h"

namespace tutti::governance {

enum class Phase { kIdeation, kProofOfConcept, kPilot, kFullDeployment, kRetrospective };
inline constexpr auto kPhaseNames = std::to_array<std::string_view>(
    {"ideation", "proof_of_concept", "pilot", "full_deployment", "retrospective"});
std::string_view PhaseName(Phase phase);
bool ParsePhase(std::string_view name, Phase* out);
// The phase a "go" at this phase's gate moves to; nullopt after the retrospective.
std::optional<Phase> NextPhase(Phase phase);

// Measured totals for one scope, summed by the caller over the period the gate looks at. An
// absent field is not measured (yet). Money is integer micros of one currency (standards A4).
struct MetricTotals {
  std::optional<int64_t> impressions;
  std::optional<int64_t> clicks;
  std::optional<double> conversions;  // may be fractional under multi-touch attribution
  std::optional<int64_t> spend_micros;
  std::optional<int64_t> revenue_micros;  // conversion value
};

// Metrics a threshold can name. Units: counts as counts; spend, revenue, CPC, CPM and CPA in
// currency units (micros / 10^6); CTR and conversion rate as fractions (0.8 % is 0.008); ROAS as
// a ratio (revenue per unit of spend).
enum class Metric {
  kImpressions,
  kClicks,
  kConversions,
  kSpend,
  kRevenue,
  kCtr,             // clicks / impressions
  kCpc,             // spend / clicks
  kCpm,             // spend / impressions × 1000
  kCpa,             // spend / conversions
  kConversionRate,  // conversions / clicks
  kRoas,            // revenue / spend
};
inline constexpr auto kMetricNames =
    std::to_array<std::string_view>({"impressions", "clicks", "conversions", "spend", "revenue",
                                     "ctr", "cpc", "cpm", "cpa", "conversion_rate", "roas"});
std::string_view MetricName(Metric metric);
bool ParseMetric(std::string_view name, Metric* out);

// The value of `metric` from `totals`, recomputed from the summed numerator and denominator
// (never an average of ratios). nullopt ("unknown") when an input is absent or a denominator is
// zero: a ratio over nothing is not 0 (standards A4).
std::optional<double> ComputeMetric(Metric metric, const MetricTotals& totals);

enum class Comparison { kAtLeast, kAtMost, kAbove, kBelow };  // >=, <=, >, <
std::string_view ComparisonSymbol(Comparison comparison);

struct ChecklistItem {
  std::string id;  // unique among the gate's criteria
  std::string label;
};

// At least `count` distinct users holding `role` (or the named `user`, count 1) approved the gate.
struct RequiredApproval {
  std::string id;
  std::optional<RoleRef> role;  // exactly one of role and user
  std::string user;
  int count = 1;  // 1..20; 1 for a user
};

struct MetricThreshold {
  std::string id;
  Metric metric = Metric::kCtr;
  Comparison comparison = Comparison::kAtLeast;
  double value = 0;   // >= 0; <= 1 for CTR and conversion rate
  std::string scope;  // which totals it reads; empty: the whole activation
};

struct Gate {
  Phase phase = Phase::kIdeation;  // the phase this gate closes
  std::vector<ChecklistItem> checklist;
  std::vector<RequiredApproval> approvals;
  std::vector<MetricThreshold> metrics;
};

// Parses {"phase": "pilot",
//         "checklist": [{"id": "legal_ok", "label": "Legal signed the creative off"}],
//         "approvals": [{"role": "host:owner", "count": 1}, {"user": "usr_…"}],
//         "metrics": [{"metric": "ctr", "op": ">=", "value": 0.008, "scope": "instagram"}]}.
// Criterion ids: checklist items give theirs; approvals and metrics may ("id"), and otherwise get
// "approval:<role or user>" and "<metric>" or "<metric>@<scope>". Ids are 1..64 characters of
// a-z, 0-9, '_', '-', ':', '@', '.', unique across the gate. Strict: unknown fields, bad enums, a
// CTR above 1 ("0.8 % is 0.008"), negative values and duplicate ids are kInvalidArgument naming
// the field ("metrics[0].value").
Result<Gate> ParseGate(const Json& document);

// What the caller knows when the gate is evaluated.
struct GateFacts {
  std::vector<std::string> checked_items;      // checklist ids ticked (others are ignored)
  std::vector<Actor> approvals;                // each user counts once per criterion
  std::map<std::string, MetricTotals> totals;  // by scope; "" is the whole activation
};

enum class CriterionKind { kChecklist, kApproval, kMetric };
enum class Outcome { kPass, kFail, kUnknown };
std::string_view OutcomeName(Outcome outcome);  // "pass", "fail", "unknown"

struct CriterionResult {
  std::string id;
  CriterionKind kind = CriterionKind::kChecklist;
  Outcome outcome = Outcome::kUnknown;
  std::string label;               // the item's label, or a description ("ctr >= 0.8 %")
  std::optional<double> measured;  // metric value, number of approvals; unset when unknown
  std::string expected;            // ">= 0.008", ">= 2 approvals", "ticked"
  std::string message;             // one sentence naming what was measured and what is needed
};

struct GateEvaluation {
  Phase phase = Phase::kIdeation;
  std::vector<CriterionResult> criteria;  // checklist, then approvals, then metrics, in order
  bool ready = false;                     // every criterion passes
  int passed = 0, failed = 0, unknown = 0;
};

// Evaluates every criterion: a checklist item passes when ticked; an approval criterion when
// enough distinct users match; a metric threshold by its comparison, and is "unknown" (which is
// not passing) when its scope has no totals or the metric cannot be computed from them.
GateEvaluation EvaluateGate(const Gate& gate, const GateFacts& facts);

enum class GateVerdict { kGo, kNoGo };
std::string_view GateVerdictName(GateVerdict verdict);  // "go", "no_go"

// Going ahead although `criterion_id` fails or is unknown.
struct GateOverride {
  std::string criterion_id;
  std::string reason;
};

struct GateDecisionRequest {
  GateVerdict verdict = GateVerdict::kNoGo;
  Actor actor;
  std::string reason;  // why: required for both go and no-go
  std::vector<GateOverride> overrides;
  Instant at;
};

// The record of a decision: who, when, why, what was overridden, and the criteria as they stood.
struct GateDecision {
  Phase phase = Phase::kIdeation;
  GateVerdict verdict = GateVerdict::kNoGo;
  std::string actor_user_id;
  Instant at;
  std::string reason;
  std::vector<GateOverride> overrides;
  std::vector<CriterionResult> criteria;
};

// Who may override a failing criterion: the host's owners and facilitators.
bool CanOverrideGate(const Actor& actor);

// Checks a go/no-go decision against `evaluation`. Refusals, in this order:
//   kInvalidArgument    "reason" blank (required); overrides on a no-go; an override naming an
//                       unknown criterion (unknown_criterion), a passing one (not_failing), the
//                       same one twice (duplicate_value), or without a reason (required);
//   kPermissionDenied   overrides by anyone but the host's owner or facilitator
//                       (override_not_allowed);
//   kFailedPrecondition a go while a criterion fails or is unknown and is not overridden
//                       (criteria_not_met, the message lists them).
// Who may record a decision at all is decided by access.h, not here.
Result<GateDecision> DecideGate(const GateEvaluation& evaluation,
                                const GateDecisionRequest& request);

// {"phase", "ready", "counts": {"pass", "fail", "unknown"}, "criteria": [{"id", "kind",
//  "outcome", "label", "measured"?, "expected", "message"}]}
Json GateEvaluationToJson(const GateEvaluation& evaluation);
// {"phase", "verdict", "actor", "at", "reason", "next_phase"?, "overrides": [{"criterion",
//  "reason"}], "criteria": [...as above]}
Json GateDecisionToJson(const GateDecision& decision);

}  // namespace tutti::governance
