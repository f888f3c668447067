#include "tutti/governance/gates.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "tutti/base/ids.h"
#include "tutti/base/text.h"

namespace tutti::governance {
namespace {

constexpr size_t kMaxChecklist = 50;
constexpr size_t kMaxApprovals = 20;
constexpr size_t kMaxMetrics = 50;
constexpr size_t kMaxReason = 4000;
constexpr int64_t kMaxApprovalCount = 20;

const Json* Member(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool IsRatio(Metric metric) { return metric == Metric::kCtr || metric == Metric::kConversionRate; }

bool IsMoney(Metric metric) {
  return metric == Metric::kSpend || metric == Metric::kRevenue || metric == Metric::kCpc ||
         metric == Metric::kCpm || metric == Metric::kCpa;
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// "0.8 %" for CTR and conversion rate, the plain number otherwise.
std::string FormatMetricValue(Metric metric, double value) {
  if (IsRatio(metric)) return FormatNumber(value * 100) + " %";
  return FormatNumber(value);
}

bool IsCriterionIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
         c == '@' || c == '.';
}

Result<std::string> ReadCriterionId(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string id, ReadString(value, path, 1, 64));
  if (!std::all_of(id.begin(), id.end(), IsCriterionIdChar)) {
    return InvalidArgument("must use only a-z, 0-9, '_', '-', ':', '@' and '.' (like legal_ok)",
                           path, "invalid_id");
  }
  return id;
}

std::optional<double> Ratio(std::optional<double> numerator, std::optional<double> denominator) {
  if (!numerator || !denominator || *denominator == 0) return std::nullopt;
  return *numerator / *denominator;
}

std::optional<double> AsDouble(std::optional<int64_t> value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

std::optional<double> Currency(std::optional<int64_t> micros) {
  if (!micros) return std::nullopt;
  return static_cast<double>(*micros) / 1e6;
}

bool Holds(Comparison comparison, double measured, double value) {
  switch (comparison) {
    case Comparison::kAtLeast:
      return measured >= value;
    case Comparison::kAtMost:
      return measured <= value;
    case Comparison::kAbove:
      return measured > value;
    case Comparison::kBelow:
      return measured < value;
  }
  return false;
}

bool HasText(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
}

Status CheckReason(const std::string& reason, const std::string& path) {
  if (!HasText(reason)) return InvalidArgument("is required: say why", path, "required");
  if (reason.size() > kMaxReason) {
    return InvalidArgument("must be at most " + std::to_string(kMaxReason) + " bytes", path,
                           "too_long");
  }
  if (!IsValidUtf8(reason))
    return InvalidArgument("must be valid UTF-8", path, "invalid_characters");
  return OkStatus();
}

Json CriteriaToJson(const std::vector<CriterionResult>& criteria) {
  static constexpr std::string_view kKindNames[] = {"checklist", "approval", "metric"};
  Json list = Json::array();
  for (const CriterionResult& c : criteria) {
    Json item{{"id", c.id},
              {"kind", kKindNames[static_cast<size_t>(c.kind)]},
              {"outcome", OutcomeName(c.outcome)},
              {"label", c.label},
              {"expected", c.expected},
              {"message", c.message}};
    if (c.measured) item["measured"] = *c.measured;
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace

std::string_view PhaseName(Phase phase) { return kPhaseNames[static_cast<size_t>(phase)]; }

bool ParsePhase(std::string_view name, Phase* out) {
  for (size_t i = 0; i < kPhaseNames.size(); ++i) {
    if (kPhaseNames[i] == name) {
      *out = static_cast<Phase>(i);
      return true;
    }
  }
  return false;
}

std::optional<Phase> NextPhase(Phase phase) {
  if (phase == Phase::kRetrospective) return std::nullopt;
  return static_cast<Phase>(static_cast<int>(phase) + 1);
}

std::string_view MetricName(Metric metric) { return kMetricNames[static_cast<size_t>(metric)]; }

bool ParseMetric(std::string_view name, Metric* out) {
  for (size_t i = 0; i < kMetricNames.size(); ++i) {
    if (kMetricNames[i] == name) {
      *out = static_cast<Metric>(i);
      return true;
    }
  }
  return false;
}

std::optional<double> ComputeMetric(Metric metric, const MetricTotals& t) {
  const std::optional<double> impressions = AsDouble(t.impressions);
  const std::optional<double> clicks = AsDouble(t.clicks);
  const std::optional<double> spend = Currency(t.spend_micros);
  switch (metric) {
    case Metric::kImpressions:
      return impressions;
    case Metric::kClicks:
      return clicks;
    case Metric::kConversions:
      return t.conversions;
    case Metric::kSpend:
      return spend;
    case Metric::kRevenue:
      return Currency(t.revenue_micros);
    case Metric::kCtr:
      return Ratio(clicks, impressions);
    case Metric::kCpc:
      return Ratio(spend, clicks);
    case Metric::kCpm: {
      std::optional<double> per_impression = Ratio(spend, impressions);
      if (!per_impression) return std::nullopt;
      return *per_impression * 1000;
    }
    case Metric::kCpa:
      return Ratio(spend, t.conversions);
    case Metric::kConversionRate:
      return Ratio(t.conversions, clicks);
    case Metric::kRoas:
      // Both in micros of the same currency, so the ratio needs no scaling.
      return Ratio(AsDouble(t.revenue_micros), AsDouble(t.spend_micros));
  }
  return std::nullopt;
}

std::string_view ComparisonSymbol(Comparison comparison) {
  static constexpr std::string_view kSymbols[] = {">=", "<=", ">", "<"};
  return kSymbols[static_cast<size_t>(comparison)];
}

std::string_view OutcomeName(Outcome outcome) {
  static constexpr std::string_view kNames[] = {"pass", "fail", "unknown"};
  return kNames[static_cast<size_t>(outcome)];
}

std::string_view GateVerdictName(GateVerdict verdict) {
  return verdict == GateVerdict::kGo ? "go" : "no_go";
}

Result<Gate> ParseGate(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(document, {"phase", "checklist", "approvals", "metrics"}));
  Gate gate;
  const Json* phase = Member(document, "phase");
  if (phase == nullptr) return InvalidArgument("is required", "phase", "required");
  TUTTI_ASSIGN_OR_RETURN(std::string phase_name, ReadEnum(*phase, "phase", kPhaseNames));
  ParsePhase(phase_name, &gate.phase);

  std::set<std::string> ids;
  auto claim_id = [&](const std::string& id, const std::string& path) -> Status {
    if (!ids.insert(id).second) {
      return InvalidArgument("criterion id \"" + id + "\" is used twice; give each an \"id\"", path,
                             "duplicate_id");
    }
    return OkStatus();
  };

  if (const Json* checklist = Member(document, "checklist")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(*checklist, "checklist", kMaxChecklist));
    for (size_t i = 0; i < checklist->size(); ++i) {
      const std::string path = JoinPath("checklist", i);
      const Json& in = (*checklist)[i];
      TUTTI_RETURN_IF_ERROR(RequireObject(in, path));
      TUTTI_RETURN_IF_ERROR(RejectUnknownFields(in, {"id", "label"}, path));
      for (const char* key : {"id", "label"}) {
        if (!in.contains(key))
          return InvalidArgument("is required", JoinPath(path, key), "required");
      }
      ChecklistItem item;
      TUTTI_ASSIGN_OR_RETURN(item.id, ReadCriterionId(in["id"], JoinPath(path, "id")));
      TUTTI_ASSIGN_OR_RETURN(item.label, ReadString(in["label"], JoinPath(path, "label"), 1, 300));
      TUTTI_RETURN_IF_ERROR(claim_id(item.id, JoinPath(path, "id")));
      gate.checklist.push_back(std::move(item));
    }
  }

  if (const Json* approvals = Member(document, "approvals")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(*approvals, "approvals", kMaxApprovals));
    for (size_t i = 0; i < approvals->size(); ++i) {
      const std::string path = JoinPath("approvals", i);
      const Json& in = (*approvals)[i];
      TUTTI_RETURN_IF_ERROR(RequireObject(in, path));
      TUTTI_RETURN_IF_ERROR(RejectUnknownFields(in, {"id", "role", "user", "count"}, path));
      RequiredApproval approval;
      const Json* role = Member(in, "role");
      const Json* user = Member(in, "user");
      if ((role == nullptr) == (user == nullptr)) {
        return InvalidArgument("needs exactly one of \"role\" and \"user\"", path,
                               role == nullptr ? "required" : "invalid_field");
      }
      std::string who;
      if (role != nullptr) {
        TUTTI_ASSIGN_OR_RETURN(who, ReadString(*role, JoinPath(path, "role"), 1, 64));
        RoleRef ref;
        if (!ParseRoleRef(who, &ref)) {
          return InvalidArgument(
              "must be a role, optionally prefixed by host: or partner: (\"host:owner\")",
              JoinPath(path, "role"), "invalid_enum");
        }
        approval.role = ref;
      } else {
        TUTTI_ASSIGN_OR_RETURN(who, ReadString(*user, JoinPath(path, "user"), 1, 64));
        if (!LooksLikeId(who, "usr")) {
          return InvalidArgument("must be a user id like usr_k3v9q…", JoinPath(path, "user"),
                                 "invalid_id");
        }
        approval.user = who;
      }
      if (const Json* count = Member(in, "count")) {
        TUTTI_ASSIGN_OR_RETURN(int64_t n, ReadInteger(*count, JoinPath(path, "count"), 1,
                                                      user != nullptr ? 1 : kMaxApprovalCount));
        approval.count = static_cast<int>(n);
      }
      approval.id = "approval:" + who;
      if (const Json* id = Member(in, "id")) {
        TUTTI_ASSIGN_OR_RETURN(approval.id, ReadCriterionId(*id, JoinPath(path, "id")));
      }
      TUTTI_RETURN_IF_ERROR(claim_id(approval.id, JoinPath(path, "id")));
      gate.approvals.push_back(std::move(approval));
    }
  }

  if (const Json* metrics = Member(document, "metrics")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(*metrics, "metrics", kMaxMetrics));
    for (size_t i = 0; i < metrics->size(); ++i) {
      const std::string path = JoinPath("metrics", i);
      const Json& in = (*metrics)[i];
      TUTTI_RETURN_IF_ERROR(RequireObject(in, path));
      TUTTI_RETURN_IF_ERROR(
          RejectUnknownFields(in, {"id", "metric", "op", "value", "scope"}, path));
      for (const char* key : {"metric", "op", "value"}) {
        if (!in.contains(key))
          return InvalidArgument("is required", JoinPath(path, key), "required");
      }
      MetricThreshold threshold;
      TUTTI_ASSIGN_OR_RETURN(std::string metric,
                             ReadEnum(in["metric"], JoinPath(path, "metric"), kMetricNames));
      ParseMetric(metric, &threshold.metric);
      static constexpr auto kOps = std::to_array<std::string_view>({">=", "<=", ">", "<"});
      TUTTI_ASSIGN_OR_RETURN(std::string op, ReadEnum(in["op"], JoinPath(path, "op"), kOps));
      for (size_t k = 0; k < kOps.size(); ++k) {
        if (kOps[k] == op) threshold.comparison = static_cast<Comparison>(k);
      }
      TUTTI_ASSIGN_OR_RETURN(threshold.value, ReadNumber(in["value"], JoinPath(path, "value")));
      if (threshold.value < 0) {
        return InvalidArgument("must not be negative", JoinPath(path, "value"), "out_of_range");
      }
      if (IsRatio(threshold.metric) && threshold.value > 1) {
        return InvalidArgument(metric + " is a fraction between 0 and 1: 0.8 % is 0.008",
                               JoinPath(path, "value"), "out_of_range");
      }
      if (const Json* scope = Member(in, "scope")) {
        TUTTI_ASSIGN_OR_RETURN(threshold.scope,
                               ReadString(*scope, JoinPath(path, "scope"), 1, 100));
      }
      threshold.id = threshold.scope.empty() ? metric : metric + "@" + threshold.scope;
      if (const Json* id = Member(in, "id")) {
        TUTTI_ASSIGN_OR_RETURN(threshold.id, ReadCriterionId(*id, JoinPath(path, "id")));
      }
      TUTTI_RETURN_IF_ERROR(claim_id(threshold.id, JoinPath(path, "id")));
      gate.metrics.push_back(std::move(threshold));
    }
  }
  return gate;
}

GateEvaluation EvaluateGate(const Gate& gate, const GateFacts& facts) {
  GateEvaluation out;
  out.phase = gate.phase;
  for (const ChecklistItem& item : gate.checklist) {
    const bool ticked = std::find(facts.checked_items.begin(), facts.checked_items.end(),
                                  item.id) != facts.checked_items.end();
    out.criteria.push_back(CriterionResult{
        .id = item.id,
        .kind = CriterionKind::kChecklist,
        .outcome = ticked ? Outcome::kPass : Outcome::kFail,
        .label = item.label,
        .measured = ticked ? 1.0 : 0.0,
        .expected = "ticked",
        .message = "\"" + item.label + "\" is " + (ticked ? "ticked" : "not ticked yet")});
  }
  for (const RequiredApproval& required : gate.approvals) {
    std::vector<std::string_view> counted;
    for (const Actor& actor : facts.approvals) {
      const bool matches =
          required.role ? HoldsRole(actor, *required.role) : actor.user_id == required.user;
      if (matches && !actor.user_id.empty() &&
          std::find(counted.begin(), counted.end(), actor.user_id) == counted.end()) {
        counted.push_back(actor.user_id);
      }
    }
    const std::string who = required.role ? RoleRefName(*required.role) : required.user;
    const int have = static_cast<int>(counted.size());
    out.criteria.push_back(CriterionResult{
        .id = required.id,
        .kind = CriterionKind::kApproval,
        .outcome = have >= required.count ? Outcome::kPass : Outcome::kFail,
        .label = "approval by " + who,
        .measured = static_cast<double>(have),
        .expected =
            ">= " + std::to_string(required.count) + " approval" + (required.count == 1 ? "" : "s"),
        .message = std::to_string(have) + " of " + std::to_string(required.count) +
                   " required approval" + (required.count == 1 ? "" : "s") + " by " + who});
  }
  for (const MetricThreshold& threshold : gate.metrics) {
    const std::string name(MetricName(threshold.metric));
    const std::string expected = std::string(ComparisonSymbol(threshold.comparison)) + " " +
                                 FormatMetricValue(threshold.metric, threshold.value);
    const std::string where = threshold.scope.empty() ? "" : " for " + threshold.scope;
    CriterionResult result;
    result.id = threshold.id;
    result.kind = CriterionKind::kMetric;
    result.label = name + where + " " + expected;
    result.expected = expected;
    auto totals = facts.totals.find(threshold.scope);
    if (totals != facts.totals.end())
      result.measured = ComputeMetric(threshold.metric, totals->second);
    if (!result.measured) {
      result.outcome = Outcome::kUnknown;
      result.message = name + where + " is not measured yet" +
                       (totals == facts.totals.end() ? "" : " (an input is missing or zero)") +
                       "; needs " + expected;
    } else {
      const bool holds = Holds(threshold.comparison, *result.measured, threshold.value);
      result.outcome = holds ? Outcome::kPass : Outcome::kFail;
      result.message =
          name + where + " is " + FormatMetricValue(threshold.metric, *result.measured) +
          (IsMoney(threshold.metric) ? " (currency units)" : "") + "; needs " + expected;
    }
    out.criteria.push_back(std::move(result));
  }
  for (const CriterionResult& c : out.criteria) {
    switch (c.outcome) {
      case Outcome::kPass:
        ++out.passed;
        break;
      case Outcome::kFail:
        ++out.failed;
        break;
      case Outcome::kUnknown:
        ++out.unknown;
        break;
    }
  }
  out.ready = out.failed == 0 && out.unknown == 0;
  return out;
}

bool CanOverrideGate(const Actor& actor) {
  return actor.party == Party::kHost &&
         (actor.role == core::Role::kOwner || actor.role == core::Role::kFacilitator);
}

Result<GateDecision> DecideGate(const GateEvaluation& evaluation,
                                const GateDecisionRequest& request) {
  TUTTI_RETURN_IF_ERROR(CheckReason(request.reason, "reason"));
  if (request.verdict == GateVerdict::kNoGo && !request.overrides.empty()) {
    return InvalidArgument("a no-go overrides nothing; remove the overrides", "overrides",
                           "invalid_field");
  }
  std::vector<const CriterionResult*> overridden;
  for (size_t i = 0; i < request.overrides.size(); ++i) {
    const GateOverride& o = request.overrides[i];
    const std::string path = JoinPath("overrides", i);
    auto it = std::find_if(evaluation.criteria.begin(), evaluation.criteria.end(),
                           [&](const CriterionResult& c) { return c.id == o.criterion_id; });
    if (it == evaluation.criteria.end()) {
      return InvalidArgument("the gate has no criterion \"" + o.criterion_id + "\"",
                             JoinPath(path, "criterion"), "unknown_criterion");
    }
    if (it->outcome == Outcome::kPass) {
      return InvalidArgument("criterion \"" + o.criterion_id +
                                 "\" passes; only failing or "
                                 "unknown criteria are overridden",
                             JoinPath(path, "criterion"), "not_failing");
    }
    if (std::find(overridden.begin(), overridden.end(), &*it) != overridden.end()) {
      return InvalidArgument("overrides \"" + o.criterion_id + "\" twice",
                             JoinPath(path, "criterion"), "duplicate_value");
    }
    TUTTI_RETURN_IF_ERROR(CheckReason(o.reason, JoinPath(path, "reason")));
    overridden.push_back(&*it);
  }
  if (!request.overrides.empty() && !CanOverrideGate(request.actor)) {
    return Status(StatusCode::kPermissionDenied,
                  "only the host's owners and facilitators may override a gate criterion",
                  "overrides", "override_not_allowed");
  }
  if (request.verdict == GateVerdict::kGo) {
    std::string missing;
    for (const CriterionResult& c : evaluation.criteria) {
      if (c.outcome == Outcome::kPass ||
          std::find(overridden.begin(), overridden.end(), &c) != overridden.end()) {
        continue;
      }
      missing +=
          (missing.empty() ? "" : ", ") + c.id + " (" + std::string(OutcomeName(c.outcome)) + ")";
    }
    if (!missing.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "cannot go ahead: " + missing +
                        "; meet them, or override each with a reason (host owner or facilitator)",
                    "overrides", "criteria_not_met");
    }
  }
  return GateDecision{.phase = evaluation.phase,
                      .verdict = request.verdict,
                      .actor_user_id = request.actor.user_id,
                      .at = request.at,
                      .reason = request.reason,
                      .overrides = request.overrides,
                      .criteria = evaluation.criteria};
}

Json GateEvaluationToJson(const GateEvaluation& evaluation) {
  return Json{
      {"phase", PhaseName(evaluation.phase)},
      {"ready", evaluation.ready},
      {"counts",
       {{"pass", evaluation.passed}, {"fail", evaluation.failed}, {"unknown", evaluation.unknown}}},
      {"criteria", CriteriaToJson(evaluation.criteria)}};
}

Json GateDecisionToJson(const GateDecision& decision) {
  Json overrides = Json::array();
  for (const GateOverride& o : decision.overrides) {
    overrides.push_back(Json{{"criterion", o.criterion_id}, {"reason", o.reason}});
  }
  Json out{{"phase", PhaseName(decision.phase)},
           {"verdict", GateVerdictName(decision.verdict)},
           {"actor", decision.actor_user_id},
           {"at", FormatInstant(decision.at)},
           {"reason", decision.reason},
           {"overrides", std::move(overrides)},
           {"criteria", CriteriaToJson(decision.criteria)}};
  if (decision.verdict == GateVerdict::kGo) {
    if (std::optional<Phase> next = NextPhase(decision.phase)) out["next_phase"] = PhaseName(*next);
  }
  return out;
}

}  // namespace tutti::governance
