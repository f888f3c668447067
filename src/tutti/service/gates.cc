#include "tutti/service/gates.h"

#include "tutti/ingest/contract.h"

namespace tutti::service {
namespace {

using governance::Phase;

// Running sums of one scope.
struct Sums {
  int64_t impressions = 0, clicks = 0, conversions = 0, spend = 0, revenue = 0;
  bool spend_reported = false, revenue_reported = false;

  void Add(const storage::EventTotals& t, bool feed_has_spend, bool feed_has_revenue) {
    impressions += t.impressions;
    clicks += t.clicks;
    conversions += t.conversions;
    spend += t.spend_micros;
    revenue += t.revenue_micros;
    spend_reported = spend_reported || feed_has_spend;
    revenue_reported = revenue_reported || feed_has_revenue;
  }

  governance::MetricTotals Totals() const {
    governance::MetricTotals out;
    out.impressions = impressions;
    out.clicks = clicks;
    out.conversions = static_cast<double>(conversions);
    if (spend_reported) out.spend_micros = spend;
    if (revenue_reported) out.revenue_micros = revenue;
    return out;
  }
};

// Which value metrics each feed's contract declares.
struct FeedValues {
  bool spend = false, revenue = false;
};

std::map<std::string, FeedValues> ValuesByContract(const storage::MeasuredEvents& measured) {
  std::map<std::string, FeedValues> out;
  for (const auto& [id, document] : measured.contract_documents) {
    FeedValues values;
    // A stored contract passed ParseContract when it was put; one that no longer parses reports
    // nothing measurable rather than failing the whole board.
    if (Result<ingest::DataContract> contract = ingest::ParseContract(document); contract.ok()) {
      for (const ingest::FieldSpec& field : contract->fields) {
        if (field.role != ingest::FieldRole::kValue) continue;
        values.spend = values.spend || field.metric == "spend";
        values.revenue = values.revenue || field.metric == "revenue";
      }
    }
    out[id] = values;
  }
  return out;
}

Json AugmentedEvaluation(const governance::Gate& gate, const governance::GateEvaluation& evaluation,
                         const GateScopes& scopes) {
  Json out = governance::GateEvaluationToJson(evaluation);
  for (Json& criterion : out["criteria"]) {
    for (const governance::MetricThreshold& threshold : gate.metrics) {
      if (criterion["id"] != threshold.id) continue;
      criterion["metric"] = governance::MetricName(threshold.metric);
      criterion["scope"] = threshold.scope;
      if (auto org = scopes.org_of_scope.find(threshold.scope); org != scopes.org_of_scope.end()) {
        criterion["scope_org_id"] = org->second;
      }
    }
  }
  return out;
}

Result<Phase> StoredPhase(const std::string& name) {
  Phase phase;
  if (!governance::ParsePhase(name, &phase)) {
    return Internal("stored phase \"" + name + "\" is not one of ideation … retrospective");
  }
  return phase;
}

}  // namespace

const std::vector<std::string>& GateExcludedPurposes() {
  static const std::vector<std::string> kPurposes = {"measurement", "sharing"};
  return kPurposes;
}

GateScopes ScopesFrom(const storage::ActivationRecord& activation,
                      const storage::MeasuredEvents& measured) {
  GateScopes out;
  // Organisations first, so that a channel that happens to share an organisation's name never
  // shadows it.
  out.org_of_scope[activation.host_org_id] = activation.host_org_id;
  out.org_of_scope[activation.host_org_name] = activation.host_org_id;
  for (const storage::ParticipationRecord& p : activation.participants) {
    out.org_of_scope[p.org_id] = p.org_id;
    out.org_of_scope[p.org_name] = p.org_id;
  }
  for (const storage::EventTotals& t : measured.totals) {
    out.org_of_scope.emplace(t.org_id, t.org_id);
    out.org_of_scope.emplace(t.org_name, t.org_id);
  }
  const std::map<std::string, FeedValues> values = ValuesByContract(measured);
  Sums whole;
  std::map<std::string, Sums> by_org, by_channel;
  for (const storage::EventTotals& t : measured.totals) {
    const auto feed = values.find(t.contract_id);
    const bool spend = feed != values.end() && feed->second.spend;
    const bool revenue = feed != values.end() && feed->second.revenue;
    whole.Add(t, spend, revenue);
    by_org[t.org_id].Add(t, spend, revenue);
    if (!t.channel.empty()) by_channel[t.channel].Add(t, spend, revenue);
  }
  if (!measured.totals.empty()) out.totals[""] = whole.Totals();
  for (const auto& [scope, org_id] : out.org_of_scope) {
    if (auto sums = by_org.find(org_id); sums != by_org.end()) {
      out.totals[scope] = sums->second.Totals();
    }
  }
  for (const auto& [channel, sums] : by_channel) {
    if (!out.org_of_scope.contains(channel)) out.totals[channel] = sums.Totals();
  }
  return out;
}

bool RevealsMoney(governance::Metric metric) {
  using governance::Metric;
  switch (metric) {
    case Metric::kSpend:
    case Metric::kRevenue:
    case Metric::kCpc:
    case Metric::kCpm:
    case Metric::kCpa:
    case Metric::kRoas:
      return true;
    case Metric::kImpressions:
    case Metric::kClicks:
    case Metric::kConversions:
    case Metric::kCtr:
    case Metric::kConversionRate:
      return false;
  }
  return true;
}

Result<GateStatus> EvaluateStoredGate(Phase phase, const storage::GateBoardRecord& board,
                                      const GateScopes& scopes) {
  GateStatus out;
  out.phase = phase;
  out.gate.phase = phase;
  const std::string name(governance::PhaseName(phase));
  if (const storage::GateCriteriaRecord* stored = board.FindCriteria(name)) {
    out.stored = *stored;
    Result<governance::Gate> gate = governance::ParseGate(stored->document);
    if (!gate.ok()) {
      return Internal("the stored criteria of the " + name +
                      " gate no longer parse: " + gate.status().ToString());
    }
    out.gate = *std::move(gate);
  }
  governance::GateFacts facts;
  for (const storage::GateChecklistMark& mark : board.checklist) {
    if (mark.phase == name && mark.checked) facts.checked_items.push_back(mark.item_id);
  }
  for (const storage::GateSignOffRecord& s : board.sign_offs) {
    if (s.phase != name) continue;
    governance::Actor actor{s.user_id, core::Role::kViewer, std::nullopt};
    core::ParseRole(s.role, &actor.role);
    if (s.party == "host") actor.party = governance::Party::kHost;
    if (s.party == "partner") actor.party = governance::Party::kPartner;
    facts.approvals.push_back(std::move(actor));
  }
  facts.totals = scopes.totals;
  out.evaluation = governance::EvaluateGate(out.gate, facts);
  out.evaluation_json = AugmentedEvaluation(out.gate, out.evaluation, scopes);
  return out;
}

Result<Lifecycle> LifecycleOf(const storage::GateBoardRecord& board) {
  Lifecycle out;
  TUTTI_ASSIGN_OR_RETURN(out.current, StoredPhase(board.current_phase));
  for (const storage::GateDecisionRecord& d : board.decisions) {
    if (d.phase == governance::PhaseName(Phase::kRetrospective) && d.verdict == "go") {
      out.completed = true;
    }
  }
  return out;
}

Status CheckPhaseOpen(const storage::GateBoardRecord& board, Phase phase) {
  TUTTI_ASSIGN_OR_RETURN(Lifecycle lifecycle, LifecycleOf(board));
  if (lifecycle.completed) {
    return Status(StatusCode::kFailedPrecondition,
                  "the activation went through its last gate; its gates are closed", "phase",
                  "phase_closed");
  }
  if (phase < lifecycle.current) {
    return Status(StatusCode::kFailedPrecondition,
                  "the " + std::string(governance::PhaseName(phase)) +
                      " gate is closed: the activation is in " +
                      std::string(governance::PhaseName(lifecycle.current)) +
                      "; change the current or a later phase's gate",
                  "phase", "phase_closed");
  }
  return OkStatus();
}

governance::Actor GateActor(const std::string& user_id, const std::string& org_id, core::Role role,
                            const storage::ActivationRecord& activation) {
  governance::Actor actor{user_id, role, std::nullopt};
  if (org_id == activation.host_org_id) {
    actor.party = governance::Party::kHost;
  } else if (activation.FindParticipant(org_id) != nullptr) {
    actor.party = governance::Party::kPartner;
  }
  return actor;
}

Result<GateBoard> LoadGateBoard(storage::Store& store,
                                const storage::ActivationRecord& activation) {
  GateBoard out;
  TUTTI_ASSIGN_OR_RETURN(out.record, store.GetGateBoard(activation.id));
  TUTTI_ASSIGN_OR_RETURN(out.lifecycle, LifecycleOf(out.record));
  TUTTI_ASSIGN_OR_RETURN(storage::MeasuredEvents measured,
                         store.MeasureEvents(activation.id, GateExcludedPurposes()));
  out.scopes = ScopesFrom(activation, measured);
  for (size_t i = 0; i < governance::kPhaseNames.size(); ++i) {
    TUTTI_ASSIGN_OR_RETURN(GateStatus status,
                           EvaluateStoredGate(static_cast<Phase>(i), out.record, out.scopes));
    out.gates.push_back(std::move(status));
  }
  return out;
}

Result<storage::GateDecisionRecord> RecordGateDecision(storage::Store& store,
                                                       const std::string& activation_id,
                                                       Phase phase, const GateDecisionInput& input,
                                                       const storage::Actor& actor,
                                                       const GateDecider& decider) {
  const std::string name(governance::PhaseName(phase));
  return store.RecordGateDecision(
      activation_id, name, GateExcludedPurposes(), actor,
      [&](const storage::ActivationRecord& activation, const storage::GateBoardRecord& board,
          const storage::MeasuredEvents& measured) -> Result<storage::GateDecisionDraft> {
        TUTTI_ASSIGN_OR_RETURN(governance::Actor who, decider(activation));
        TUTTI_ASSIGN_OR_RETURN(Lifecycle lifecycle, LifecycleOf(board));
        TUTTI_RETURN_IF_ERROR(CheckPhaseOpen(board, phase));
        if (phase != lifecycle.current) {
          return Status(StatusCode::kFailedPrecondition,
                        "the activation is in " +
                            std::string(governance::PhaseName(lifecycle.current)) +
                            "; only its gate can be decided now, not " + name + "'s",
                        "phase", "phase_not_current");
        }
        TUTTI_ASSIGN_OR_RETURN(GateStatus status,
                               EvaluateStoredGate(phase, board, ScopesFrom(activation, measured)));
        TUTTI_ASSIGN_OR_RETURN(
            governance::GateDecision decision,
            governance::DecideGate(status.evaluation, governance::GateDecisionRequest{
                                                          input.verdict, who, input.reason,
                                                          input.overrides, store.clock().Now()}));
        Json decided = governance::GateDecisionToJson(decision);
        storage::GateDecisionDraft draft;
        draft.verdict = std::string(governance::GateVerdictName(decision.verdict));
        draft.reason = decision.reason;
        draft.overrides = decided["overrides"];
        draft.evaluation = status.evaluation_json;
        if (decided.contains("next_phase")) draft.next_phase = decided["next_phase"];
        return draft;
      });
}

}  // namespace tutti::service
