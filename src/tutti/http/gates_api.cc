// The phase-gate routes (docs/approvals.md, "Storage, HTTP API and CLI"): the gate board with
// every phase's live evaluation and the decision history, the criteria of a gate, checklist
// ticks, sign-offs towards required approvals, and go/no-go decisions. Rules are
// governance/gates.h's and access.h's; service/gates.h gathers the facts. Partners see every
// gate of an activation they take part in, with the measured values they may see
// (governance::CanSeeGateMeasurement) and the rest withheld.
#include <array>
#include <string>
#include <vector>

#include "tutti/http/api_support.h"
#include "tutti/service/gates.h"

namespace tutti::http {
namespace {

using governance::Phase;

constexpr size_t kMaxCommentLength = 1000;
constexpr size_t kMaxOverrides = 50;
constexpr size_t kMaxReasonLength = 4000;

// The {phase} of the path: a gate that does not exist for an unknown name (404).
Result<Phase> PhaseParam(const ApiRequest& r) {
  Phase phase;
  if (!governance::ParsePhase(r.PathParam("phase"), &phase)) {
    return NotFound(
        "gate not found: phases are ideation, proof_of_concept, pilot, "
        "full_deployment and retrospective",
        "phase");
  }
  return phase;
}

// Inside a gate mutation's transaction: invisible → 404, visible but not allowed → 403, a phase
// already gone through → 409.
storage::GateAuthorize RequireGate(const governance::Principal& p,
                                   bool (*rule)(const governance::Principal&,
                                                const governance::ActivationAccess&),
                                   std::string why, Phase phase) {
  return [&p, rule, why = std::move(why), phase](const storage::ActivationRecord& a,
                                                 const storage::GateBoardRecord& board) -> Status {
    if (!governance::CanViewActivation(p, a.Access())) return NotVisible("activation");
    if (!rule(p, a.Access())) return Forbidden(why);
    return service::CheckPhaseOpen(board, phase);
  };
}

// Removes from an evaluation ({"criteria": [...]}) the measured values the caller may not see,
// saying so in the criterion's message; outcomes stay.
void Withhold(Json& evaluation, const governance::Principal& caller,
              const governance::ActivationAccess& access) {
  if (!evaluation.is_object() || !evaluation.contains("criteria")) return;
  for (Json& c : evaluation["criteria"]) {
    if (!c.contains("metric")) continue;
    governance::Metric metric;
    const bool known = governance::ParseMetric(c.value("metric", ""), &metric);
    const bool money = !known || service::RevealsMoney(metric);
    if (governance::CanSeeGateMeasurement(caller, access, money, c.value("scope_org_id", ""))) {
      continue;
    }
    c.erase("measured");
    c["withheld"] = true;
    c["message"] = c.value("label", "") + ": " + c.value("outcome", "") +
                   "; the measured value is shown to the host and the organisation measured only";
  }
}

Json Nullable(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json DecisionJson(const storage::GateDecisionRecord& d, const governance::Principal& caller,
                  const governance::ActivationAccess& access) {
  Json evaluation = d.evaluation;
  Withhold(evaluation, caller, access);
  return Json{{"id", d.id},
              {"seq", d.seq},
              {"phase", d.phase},
              {"verdict", d.verdict},
              {"reason", d.reason},
              {"overrides", d.overrides},
              {"criteria_version", d.criteria_version},
              {"evaluation", std::move(evaluation)},
              {"next_phase", Nullable(d.next_phase)},
              {"decided_by", d.decided_by},
              {"decided_at", d.decided_at}};
}

Json CriteriaJson(const storage::GateCriteriaRecord& c) {
  return Json{{"phase", c.phase},
              {"version", c.version},
              {"criteria", c.document},
              {"updated_by", c.updated_by},
              {"updated_at", c.updated_at}};
}

// What the caller may do on the board, by the same rules the mutating routes apply, so that a
// client shows only the controls that will work (and never has to try a write to find out).
// A closed phase still refuses each of these with 409; that is read from each phase's state.
Json CallerMayJson(const governance::Principal& caller,
                   const storage::ActivationRecord& activation) {
  const governance::ActivationAccess access = activation.Access();
  const bool decide = governance::CanDecideGate(caller, access);
  const governance::Actor actor =
      service::GateActor(caller.user_id, caller.org_id, caller.role, activation);
  return Json{{"edit_criteria", governance::CanEditGateCriteria(caller, access)},
              {"tick_checklist", governance::CanTickGateChecklist(caller, access)},
              {"sign_off", governance::CanSignOffGate(caller, access)},
              {"decide", decide},
              {"override", decide && governance::CanOverrideGate(actor)}};
}

Json BoardJson(const service::GateBoard& board, const governance::Principal& caller,
               const storage::ActivationRecord& activation) {
  const governance::ActivationAccess access = activation.Access();
  Json phases = Json::array();
  for (const service::GateStatus& gate : board.gates) {
    const std::string name(governance::PhaseName(gate.phase));
    const char* state = board.lifecycle.completed || gate.phase < board.lifecycle.current ? "passed"
                        : gate.phase == board.lifecycle.current ? "current"
                                                                : "upcoming";
    Json evaluation = gate.evaluation_json;
    Withhold(evaluation, caller, access);
    Json checklist = Json::array();
    for (const storage::GateChecklistMark& m : board.record.checklist) {
      if (m.phase != name) continue;
      checklist.push_back(Json{{"item_id", m.item_id},
                               {"checked", m.checked},
                               {"changed_by", m.changed_by},
                               {"changed_at", m.changed_at}});
    }
    Json sign_offs = Json::array();
    for (const storage::GateSignOffRecord& s : board.record.sign_offs) {
      if (s.phase != name) continue;
      sign_offs.push_back(Json{{"user_id", s.user_id},
                               {"role", s.role},
                               {"party", s.party},
                               {"comment", s.comment},
                               {"signed_at", s.signed_at}});
    }
    phases.push_back(Json{{"phase", name},
                          {"state", state},
                          {"version", gate.stored ? gate.stored->version : 0},
                          {"criteria", gate.stored ? gate.stored->document : Json(nullptr)},
                          {"updated_by", gate.stored ? Json(gate.stored->updated_by) : Json()},
                          {"updated_at", gate.stored ? Json(gate.stored->updated_at) : Json()},
                          {"ready", gate.evaluation.ready},
                          {"evaluation", std::move(evaluation)},
                          {"checklist", std::move(checklist)},
                          {"sign_offs", std::move(sign_offs)}});
  }
  Json decisions = Json::array();
  for (const storage::GateDecisionRecord& d : board.record.decisions) {
    decisions.push_back(DecisionJson(d, caller, access));
  }
  return Json{{"activation_id", activation.id},
              {"current_phase", governance::PhaseName(board.lifecycle.current)},
              {"phase_since", Nullable(board.record.phase_since)},
              {"completed", board.lifecycle.completed},
              {"phases", std::move(phases)},
              {"decisions", std::move(decisions)},
              {"caller_may", CallerMayJson(caller, activation)}};
}

Result<service::GateDecisionInput> ParseDecision(const Json& body) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"verdict", "reason", "overrides"}));
  for (const char* key : {"verdict", "reason"}) {
    if (!body.contains(key)) return InvalidArgument("is required", key, "required");
  }
  service::GateDecisionInput input;
  static constexpr auto kVerdicts = std::to_array<std::string_view>({"go", "no_go"});
  TUTTI_ASSIGN_OR_RETURN(std::string verdict, ReadEnum(body["verdict"], "verdict", kVerdicts));
  input.verdict = verdict == "go" ? governance::GateVerdict::kGo : governance::GateVerdict::kNoGo;
  TUTTI_ASSIGN_OR_RETURN(input.reason, ReadString(body["reason"], "reason", 0, kMaxReasonLength));
  if (body.contains("overrides")) {
    const Json& overrides = body["overrides"];
    TUTTI_RETURN_IF_ERROR(RequireArray(overrides, "overrides", kMaxOverrides));
    for (size_t i = 0; i < overrides.size(); ++i) {
      const std::string path = JoinPath("overrides", i);
      TUTTI_RETURN_IF_ERROR(RequireObject(overrides[i], path));
      TUTTI_RETURN_IF_ERROR(RejectUnknownFields(overrides[i], {"criterion", "reason"}, path));
      for (const char* key : {"criterion", "reason"}) {
        if (!overrides[i].contains(key)) {
          return InvalidArgument("is required", JoinPath(path, key), "required");
        }
      }
      governance::GateOverride o;
      TUTTI_ASSIGN_OR_RETURN(o.criterion_id, ReadString(overrides[i]["criterion"],
                                                        JoinPath(path, "criterion"), 1, 64));
      TUTTI_ASSIGN_OR_RETURN(o.reason, ReadString(overrides[i]["reason"], JoinPath(path, "reason"),
                                                  0, kMaxReasonLength));
      input.overrides.push_back(std::move(o));
    }
  }
  return input;
}

}  // namespace

std::vector<Route> GateRoutes(storage::Store& store) {
  std::vector<Route> routes;

  routes.push_back(Route{"GET", "/api/v1/activations/{activation_id}/gates", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
                           TUTTI_ASSIGN_OR_RETURN(service::GateBoard board,
                                                  service::LoadGateBoard(store, a));
                           return Ok(BoardJson(board, Caller(r), a));
                         }});

  routes.push_back(
      Route{"PUT", "/api/v1/activations/{activation_id}/gates/{phase}", true,
            [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(Phase phase, PhaseParam(r));
              const std::string name(governance::PhaseName(phase));
              TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
              TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(r, body, 0));
              if (!body.contains("phase")) body["phase"] = name;
              if (body["phase"] != name) {
                return InvalidArgument("must be the path's phase, \"" + name + "\" (or left out)",
                                       "phase", "phase_mismatch");
              }
              TUTTI_RETURN_IF_ERROR(governance::ParseGate(body).status());
              TUTTI_ASSIGN_OR_RETURN(
                  storage::GateCriteriaRecord stored,
                  store.PutGateCriteria(visible.id, name, body, expected, ActorOf(r),
                                        RequireGate(Caller(r), &governance::CanEditGateCriteria,
                                                    "only the host's owners and facilitators set a "
                                                    "gate's criteria",
                                                    phase)));
              return Ok(CriteriaJson(stored), stored.version == 1 ? 201 : 200);
            }});

  routes.push_back(Route{
      "PUT", "/api/v1/activations/{activation_id}/gates/{phase}/checklist/{item_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Phase phase, PhaseParam(r));
        const std::string name(governance::PhaseName(phase));
        const std::string& item_id = r.PathParam("item_id");
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"checked"}));
        if (!body.contains("checked")) return InvalidArgument("is required", "checked", "required");
        TUTTI_ASSIGN_OR_RETURN(bool checked, ReadBool(body["checked"], "checked"));
        storage::GateAuthorize allowed =
            RequireGate(Caller(r), &governance::CanTickGateChecklist,
                        "only the host's people (not viewers) tick a gate's checklist", phase);
        TUTTI_ASSIGN_OR_RETURN(
            storage::GateChecklistMark mark,
            store.MarkGateChecklistItem(
                visible.id, name, item_id, checked, ActorOf(r),
                [&](const storage::ActivationRecord& a,
                    const storage::GateBoardRecord& board) -> Status {
                  TUTTI_RETURN_IF_ERROR(allowed(a, board));
                  const storage::GateCriteriaRecord* criteria = board.FindCriteria(name);
                  if (criteria != nullptr) {
                    Result<governance::Gate> gate = governance::ParseGate(criteria->document);
                    if (!gate.ok()) return gate.status();
                    for (const governance::ChecklistItem& item : gate->checklist) {
                      if (item.id == item_id) return OkStatus();
                    }
                  }
                  return NotFound("the " + name + " gate has no checklist item \"" + item_id + "\"",
                                  "item_id");
                }));
        return Ok(Json{{"phase", mark.phase},
                       {"item_id", mark.item_id},
                       {"checked", mark.checked},
                       {"changed_by", Nullable(mark.changed_by)},
                       {"changed_at", Nullable(mark.changed_at)}});
      }});

  routes.push_back(Route{
      "POST", "/api/v1/activations/{activation_id}/gates/{phase}/sign-offs", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Phase phase, PhaseParam(r));
        Json body = Json::object();
        if (!r.body.empty()) {
          TUTTI_ASSIGN_OR_RETURN(body, Body(r));
        }
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"comment"}));
        const governance::Principal& caller = Caller(r);
        storage::GateSignOffRecord sign_off;
        sign_off.phase = std::string(governance::PhaseName(phase));
        sign_off.user_id = caller.user_id;
        sign_off.role = std::string(core::RoleName(caller.role));
        sign_off.party = caller.org_id == visible.host_org_id ? "host" : "partner";
        if (body.contains("comment")) {
          TUTTI_ASSIGN_OR_RETURN(sign_off.comment,
                                 ReadString(body["comment"], "comment", 0, kMaxCommentLength));
        }
        bool created = false;
        storage::GateAuthorize allowed = RequireGate(
            caller, &governance::CanSignOffGate,
            "a sign-off is given in person, by the host's or a partner's people (not viewers)",
            phase);
        TUTTI_ASSIGN_OR_RETURN(
            storage::GateSignOffRecord stored,
            store.SignOffGate(visible.id, sign_off, ActorOf(r),
                              [&](const storage::ActivationRecord& a,
                                  const storage::GateBoardRecord& board) -> Status {
                                TUTTI_RETURN_IF_ERROR(allowed(a, board));
                                created = true;
                                for (const storage::GateSignOffRecord& s : board.sign_offs) {
                                  if (s.phase == sign_off.phase && s.user_id == sign_off.user_id) {
                                    created = false;
                                  }
                                }
                                return OkStatus();
                              }));
        return Ok(Json{{"phase", stored.phase},
                       {"user_id", stored.user_id},
                       {"role", stored.role},
                       {"party", stored.party},
                       {"comment", stored.comment},
                       {"signed_at", stored.signed_at}},
                  created ? 201 : 200);
      }});

  routes.push_back(Route{
      "POST", "/api/v1/activations/{activation_id}/gates/{phase}/decisions", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Phase phase, PhaseParam(r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(service::GateDecisionInput input, ParseDecision(body));
        const governance::Principal& caller = Caller(r);
        Result<storage::GateDecisionRecord> decision = service::RecordGateDecision(
            store, visible.id, phase, input, ActorOf(r),
            [&caller](const storage::ActivationRecord& a) -> Result<governance::Actor> {
              if (!governance::CanViewActivation(caller, a.Access())) {
                return NotVisible("activation");
              }
              if (!governance::CanDecideGate(caller, a.Access())) {
                return Forbidden(
                    "a go/no-go is recorded in person by those who edit the brief (the host's "
                    "owners and facilitators, the partner facilitator holding the seat)");
              }
              return service::GateActor(caller.user_id, caller.org_id, caller.role, a);
            });
        if (!decision.ok()) {
          const Status& e = decision.status();
          // The request asks for a go the gate's criteria do not allow: unprocessable as sent
          // (422, like any other refused field), not a conflict with someone else's change.
          if (e.reason() == "criteria_not_met") {
            return Status(StatusCode::kInvalidArgument, e.message(), e.field(), e.reason());
          }
          return e;
        }
        Json out = DecisionJson(*decision, caller, visible.Access());
        out["current_phase"] =
            decision->next_phase.empty() ? Json(governance::PhaseName(phase)) : out["next_phase"];
        return Ok(std::move(out), 201);
      }});
  return routes;
}

}  // namespace tutti::http
