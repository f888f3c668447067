// Phase gates as the API, the CLI and the demo run them (docs/approvals.md, "Storage, HTTP API
// and CLI"): the stored criteria, checklist ticks and sign-offs become governance::GateFacts, the
// stored events become measured totals per scope, governance/gates.h evaluates and decides, and
// the Store records. No rule of its own beyond gathering facts: which phase is open, which scope
// a threshold names, whether a feed reports spend at all. Thread-safe as far as the Store is.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/json.h"
#include "tutti/governance/gates.h"
#include "tutti/storage/store.h"

namespace tutti::service {

// A gate's measured figures leave out people opted out of either purpose, as attribution does:
// a threshold compares partners' results across organisations.
const std::vector<std::string>& GateExcludedPurposes();

// The measured totals of every scope a threshold may name. A scope is an organisation of the
// activation, by id or by name ("StreamCo"), or else a channel ("instagram"); "" is the whole
// activation. A scope with no events has no totals (its metrics are unknown). Counts are known
// wherever there are events; spend (revenue) only where a feed with events in the scope declares
// a spend (revenue) value field, so that a feed that reports no cost gives an unknown CPA, not 0.
struct GateScopes {
  std::map<std::string, governance::MetricTotals> totals;
  std::map<std::string, std::string> org_of_scope;  // organisation scopes -> org id
};
GateScopes ScopesFrom(const storage::ActivationRecord& activation,
                      const storage::MeasuredEvents& measured);

// Whether a metric's value reveals spend or revenue (spend, revenue, CPC, CPM, CPA, ROAS), which
// partners see of their own organisation only (governance::CanSeeGateMeasurement).
bool RevealsMoney(governance::Metric metric);

// One phase's gate, evaluated.
struct GateStatus {
  governance::Phase phase = governance::Phase::kIdeation;
  std::optional<storage::GateCriteriaRecord> stored;  // nullopt: no criteria (always ready)
  governance::Gate gate;
  governance::GateEvaluation evaluation;
  // GateEvaluationToJson, each metric criterion with "metric", "scope" and, when the scope is an
  // organisation, "scope_org_id" added (what a response needs to withhold values).
  Json evaluation_json;
};

// Evaluates `phase`'s gate on the stored facts. kInternal when stored criteria no longer parse.
Result<GateStatus> EvaluateStoredGate(governance::Phase phase,
                                      const storage::GateBoardRecord& board,
                                      const GateScopes& scopes);

// The activation's lifecycle: where it is and whether the retrospective's gate was passed.
struct Lifecycle {
  governance::Phase current = governance::Phase::kIdeation;
  bool completed = false;  // a go at the retrospective: no gate is open any more
};
Result<Lifecycle> LifecycleOf(const storage::GateBoardRecord& board);

// OK when `phase`'s gate may still change (criteria, ticks, sign-offs): the current phase or a
// later one. kFailedPrecondition (reason "phase_closed") for a phase already gone through, and
// for every phase once the lifecycle is completed.
Status CheckPhaseOpen(const storage::GateBoardRecord& board, governance::Phase phase);

// Who `user_id` (of `org_id`, holding `role` there) is on the activation's gates: host, a
// participating partner, or neither.
governance::Actor GateActor(const std::string& user_id, const std::string& org_id, core::Role role,
                            const storage::ActivationRecord& activation);

// Every phase's gate and the lifecycle, measured now.
struct GateBoard {
  storage::GateBoardRecord record;
  Lifecycle lifecycle;
  GateScopes scopes;
  std::vector<GateStatus> gates;  // one per phase, in phase order
};
Result<GateBoard> LoadGateBoard(storage::Store& store, const storage::ActivationRecord& activation);

struct GateDecisionInput {
  governance::GateVerdict verdict = governance::GateVerdict::kNoGo;
  std::string reason;
  std::vector<governance::GateOverride> overrides;
};

// Resolves, inside the decision's transaction and on the fresh activation, who decides; its
// error (not visible, not allowed) aborts the decision.
using GateDecider = std::function<Result<governance::Actor>(const storage::ActivationRecord&)>;

// Records a go/no-go on `phase`'s gate, evaluated on the facts and events as of the decision's
// own transaction; a go moves the activation to the next phase. Errors: the decider's;
// kFailedPrecondition when `phase` is not the current phase ("phase_not_current") or the
// lifecycle is completed ("phase_closed"); then governance::DecideGate's (required reason,
// overrides, override_not_allowed, criteria_not_met).
Result<storage::GateDecisionRecord> RecordGateDecision(
    storage::Store& store, const std::string& activation_id, governance::Phase phase,
    const GateDecisionInput& input, const storage::Actor& actor, const GateDecider& decider);

}  // namespace tutti::service
