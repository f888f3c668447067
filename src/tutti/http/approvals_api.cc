// The approval-workflow routes (docs/approvals.md, "Storage, jobs and HTTP API"): requests under
// an activation with their live evaluation, decisions, resubmission, the SLA report of breaches
// and escalations, and a person's inbox across activations. Rules are governance/approvals.h's and
// access.h's; service/approvals.h says who a caller is as an approver and who sees a request.
// A partner sees its own requests and those naming it as an approver, never another partner's:
// those answer 404, like everything a caller may not see.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tutti/http/api_support.h"
#include "tutti/service/approvals.h"
#include "tutti/service/record_json.h"

namespace tutti::http {
namespace {

using storage::ApprovalRecord;

constexpr size_t kMaxTitleLength = 200;
constexpr size_t kMaxSubjectIdLength = 200;
constexpr size_t kMaxStepNameLength = 100;
// The engine bounds comments (4000 bytes, with its own reason); this only keeps absurd input out.
constexpr size_t kMaxCommentInput = 64 * 1024;
constexpr size_t kMaxResubmitComment = 4000;

Result<std::string> ApprovalIdParam(const ApiRequest& r) {
  const std::string& id = r.PathParam("approval_id");
  TUTTI_RETURN_IF_ERROR(CheckId(id, "apr", "approval request"));
  return id;
}

// The request as the caller may see it, with its current round evaluated now and the steps that
// await the caller.
Result<Json> ApprovalJson(const ApprovalRecord& a, const storage::ActivationRecord& activation,
                          const governance::Principal& caller, Instant now) {
  TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow, a.ParsedWorkflow());
  TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                         a.Evaluate(workflow, a.round, now));
  Json awaiting = Json::array();
  const governance::Actor actor = service::ApprovalActor(caller, activation.host_org_id, a.org_id);
  for (const governance::InboxEntry& entry : governance::InboxFor(workflow, evaluation, actor)) {
    awaiting.push_back(workflow.steps[entry.step].name);
  }
  Json rounds = Json::array();
  for (const storage::ApprovalRoundRecord& round : a.rounds) {
    rounds.push_back(service::ApprovalRoundJson(round));
  }
  Json decisions = Json::array();
  for (const storage::ApprovalDecisionRecord& d : a.decisions) {
    decisions.push_back(service::ApprovalDecisionJson(d));
  }
  return Json{{"id", a.id},
              {"activation_id", a.activation_id},
              {"org_id", a.org_id},
              {"org_name", a.org_name},
              {"subject", {{"kind", a.subject_kind}, {"id", a.subject_id}}},
              {"title", a.title},
              {"workflow", a.workflow},
              {"round", a.round},
              {"round_started_at", a.round_started_at},
              {"state", a.state},
              {"version", a.version},
              {"created_by", a.created_by},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"evaluation", governance::EvaluationToJson(workflow, evaluation)},
              {"awaiting_you", std::move(awaiting)},
              {"rounds", std::move(rounds)},
              {"decisions", std::move(decisions)}};
}

// The request named by the path, or 404 when it is not in the activation or hidden from the
// caller.
Result<ApprovalRecord> VisibleApproval(storage::Store& store, const ApiRequest& r,
                                       const storage::ActivationRecord& activation) {
  TUTTI_ASSIGN_OR_RETURN(std::string id, ApprovalIdParam(r));
  Result<ApprovalRecord> approval = store.GetApproval(activation.id, id);
  if (!approval.ok()) return approval.status();
  if (!service::CanSeeApproval(Caller(r), activation, *approval)) {
    return NotVisible("approval request");
  }
  return approval;
}

Result<storage::NewApprovalRequest> ParseNewRequest(const Json& body) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"subject", "title", "workflow"}));
  storage::NewApprovalRequest request;
  if (!body.contains("subject")) return InvalidArgument("is required", "subject", "required");
  const Json& subject = body["subject"];
  TUTTI_RETURN_IF_ERROR(RequireObject(subject, "subject"));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(subject, {"kind", "id"}, "subject"));
  if (!subject.contains("kind")) return InvalidArgument("is required", "subject.kind", "required");
  if (!subject.contains("id")) return InvalidArgument("is required", "subject.id", "required");
  TUTTI_ASSIGN_OR_RETURN(request.subject_kind, ReadEnum(subject["kind"], "subject.kind",
                                                        service::kApprovalSubjectKindNames));
  TUTTI_ASSIGN_OR_RETURN(request.subject_id,
                         ReadString(subject["id"], "subject.id", 1, kMaxSubjectIdLength));
  if (!body.contains("title")) return InvalidArgument("is required", "title", "required");
  TUTTI_ASSIGN_OR_RETURN(request.title, ReadString(body["title"], "title", 1, kMaxTitleLength));
  if (body.contains("workflow")) {
    const Json& workflow = body["workflow"];
    if (workflow.is_object()) {
      request.workflow = workflow;
    } else if (workflow != Json("default")) {
      return InvalidArgument(
          "must be a workflow ({\"steps\": [...]}) or \"default\" for a review by the host's "
          "owners or facilitators",
          "workflow");
    }
  }
  return request;
}

Result<storage::ApprovalDecisionRequest> ParseDecision(const Json& body) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"step", "decision", "comment"}));
  storage::ApprovalDecisionRequest decision;
  if (!body.contains("step")) return InvalidArgument("is required", "step", "required");
  if (!body.contains("decision")) return InvalidArgument("is required", "decision", "required");
  TUTTI_ASSIGN_OR_RETURN(decision.step, ReadString(body["step"], "step", 1, kMaxStepNameLength));
  TUTTI_ASSIGN_OR_RETURN(std::string kind,
                         ReadEnum(body["decision"], "decision", governance::kDecisionKindNames));
  governance::ParseDecisionKind(kind, &decision.kind);
  if (body.contains("comment")) {
    TUTTI_ASSIGN_OR_RETURN(decision.comment,
                           ReadString(body["comment"], "comment", 0, kMaxCommentInput));
  }
  return decision;
}

// How late a breached step is: until its decision, or until now while it is still open; whole
// minutes, never negative.
int64_t MinutesLate(const governance::StepStatus& status, Instant now) {
  if (!status.due_at) return 0;
  const Instant until = status.completed_at.value_or(now);
  if (until <= *status.due_at) return 0;
  return std::chrono::duration_cast<std::chrono::minutes>(until - *status.due_at).count();
}

}  // namespace

std::vector<Route> ApprovalRoutes(storage::Store& store) {
  std::vector<Route> routes;

  routes.push_back(
      Route{"GET", "/api/v1/activations/{activation_id}/approvals", true,
            [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto activation, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(auto approvals, store.ListApprovals(activation.id));
              const Instant now = store.clock().Now();
              Json items = Json::array();
              for (const ApprovalRecord& a : approvals) {
                if (!service::CanSeeApproval(Caller(r), activation, a)) continue;
                TUTTI_ASSIGN_OR_RETURN(Json item, ApprovalJson(a, activation, Caller(r), now));
                items.push_back(std::move(item));
              }
              return Ok(Json{{"items", std::move(items)}});
            }});

  routes.push_back(
      Route{"POST", "/api/v1/activations/{activation_id}/approvals", true,
            [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
              TUTTI_ASSIGN_OR_RETURN(storage::NewApprovalRequest request, ParseNewRequest(body));
              const governance::Principal& caller = Caller(r);
              request.org_id = caller.org_id;
              TUTTI_ASSIGN_OR_RETURN(
                  ApprovalRecord created,
                  store.CreateApproval(visible.id, request, ActorOf(r),
                                       Require(caller, &governance::CanRequestApproval,
                                               "putting an item up for approval needs a role above "
                                               "viewer (or a key with activations:write)")));
              TUTTI_ASSIGN_OR_RETURN(Json out,
                                     ApprovalJson(created, visible, caller, store.clock().Now()));
              return Ok(std::move(out), 201);
            }});

  // Before the {approval_id} routes: the server tries routes in order, and "breaches" is a
  // well-formed path segment.
  routes.push_back(Route{
      "GET", "/api/v1/activations/{activation_id}/approvals/breaches", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto activation, VisibleActivation(store, r));
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(auto breaches, store.ListApprovalBreaches(activation.id));
        TUTTI_ASSIGN_OR_RETURN(auto approvals, store.ListApprovals(activation.id));
        std::map<std::string, const ApprovalRecord*> by_id;
        for (const ApprovalRecord& a : approvals) by_id[a.id] = &a;
        const Instant now = store.clock().Now();
        // Each (request, round) is evaluated once, however many of its events were recorded.
        std::map<std::pair<std::string, int64_t>,
                 std::pair<governance::ApprovalWorkflow, governance::ApprovalEvaluation>>
            evaluated;
        Json items = Json::array();
        int64_t breach_count = 0;
        int64_t escalation_count = 0;
        for (const storage::ApprovalBreachRecord& b : breaches) {
          if (!governance::CanViewApprovalBreaches(caller, activation.Access(), b.org_id)) {
            continue;
          }
          auto approval = by_id.find(b.approval_id);
          if (approval == by_id.end()) continue;
          auto key = std::make_pair(b.approval_id, b.round);
          auto it = evaluated.find(key);
          if (it == evaluated.end()) {
            TUTTI_ASSIGN_OR_RETURN(governance::ApprovalWorkflow workflow,
                                   approval->second->ParsedWorkflow());
            TUTTI_ASSIGN_OR_RETURN(governance::ApprovalEvaluation evaluation,
                                   approval->second->Evaluate(workflow, b.round, now));
            it = evaluated.emplace(key, std::make_pair(std::move(workflow), std::move(evaluation)))
                     .first;
          }
          const auto& [workflow, evaluation] = it->second;
          Json item{{"approval_id", b.approval_id},
                    {"title", b.title},
                    {"org_id", b.org_id},
                    {"round", b.round},
                    {"step", b.step},
                    {"level", b.level},
                    {"due_at", b.due_at},
                    {"breached_at", b.breached_at},
                    {"recorded_at", b.recorded_at},
                    {"notified", b.notified}};
          for (size_t i = 0; i < workflow.steps.size() && i < evaluation.steps.size(); ++i) {
            if (workflow.steps[i].name != b.step) continue;
            item["step_state"] = governance::StepStateName(evaluation.steps[i].state);
            item["minutes_late"] = MinutesLate(evaluation.steps[i], now);
          }
          ++(b.level == 0 ? breach_count : escalation_count);
          items.push_back(std::move(item));
        }
        return Ok(
            Json{{"items", std::move(items)},
                 {"summary", {{"breaches", breach_count}, {"escalations", escalation_count}}}});
      }});

  routes.push_back(Route{
      "GET", "/api/v1/activations/{activation_id}/approvals/{approval_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto activation, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(ApprovalRecord approval, VisibleApproval(store, r, activation));
        TUTTI_ASSIGN_OR_RETURN(Json out,
                               ApprovalJson(approval, activation, Caller(r), store.clock().Now()));
        return Ok(std::move(out));
      }});

  routes.push_back(Route{
      "POST", "/api/v1/activations/{activation_id}/approvals/{approval_id}/decisions", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string approval_id, ApprovalIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(auto expected_version, ExpectedVersion(r, body));
        TUTTI_ASSIGN_OR_RETURN(storage::ApprovalDecisionRequest decision, ParseDecision(body));
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            ApprovalRecord decided,
            store.DecideApproval(
                visible.id, approval_id, decision, expected_version, ActorOf(r),
                [&caller](const storage::ActivationRecord& a,
                          const ApprovalRecord& approval) -> Result<governance::Actor> {
                  if (!service::CanSeeApproval(caller, a, approval)) {
                    return NotVisible("approval request");
                  }
                  if (!governance::CanDecideApproval(caller, a.Access())) {
                    return Forbidden("decisions are made by people signed in, not by API keys");
                  }
                  return service::ApprovalActor(caller, a.host_org_id, approval.org_id);
                }));
        TUTTI_ASSIGN_OR_RETURN(Json out,
                               ApprovalJson(decided, visible, caller, store.clock().Now()));
        return Ok(std::move(out), 201);
      }});

  routes.push_back(
      Route{"POST", "/api/v1/activations/{activation_id}/approvals/{approval_id}/resubmit", true,
            [&store](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
              TUTTI_ASSIGN_OR_RETURN(std::string approval_id, ApprovalIdParam(r));
              Json body = Json::object();
              if (!r.body.empty()) {
                TUTTI_ASSIGN_OR_RETURN(body, Body(r));
              }
              TUTTI_ASSIGN_OR_RETURN(auto expected_version, ExpectedVersion(r, body));
              TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"comment"}));
              std::string comment;
              if (body.contains("comment")) {
                TUTTI_ASSIGN_OR_RETURN(
                    comment, ReadString(body["comment"], "comment", 0, kMaxResubmitComment));
              }
              const governance::Principal& caller = Caller(r);
              TUTTI_ASSIGN_OR_RETURN(
                  ApprovalRecord resubmitted,
                  store.ResubmitApproval(
                      visible.id, approval_id, comment, expected_version, ActorOf(r),
                      [&caller](const storage::ActivationRecord& a,
                                const ApprovalRecord& approval) -> Status {
                        if (!service::CanSeeApproval(caller, a, approval)) {
                          return NotVisible("approval request");
                        }
                        if (!governance::CanResubmitApproval(caller, a.Access(), approval.org_id)) {
                          return Forbidden(
                              "only the item's own organisation resubmits it (people above viewer, "
                              "or a key with activations:write)");
                        }
                        return OkStatus();
                      }));
              TUTTI_ASSIGN_OR_RETURN(
                  Json out, ApprovalJson(resubmitted, visible, caller, store.clock().Now()));
              return Ok(std::move(out));
            }});

  routes.push_back(Route{
      "GET", "/api/v1/approvals/inbox", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
        const governance::Principal& caller = Caller(r);
        if (!governance::HasApprovalInbox(caller)) {
          return Forbidden("an approvals inbox belongs to a person; API keys have none");
        }
        TUTTI_ASSIGN_OR_RETURN(auto inbox, service::ApprovalInbox(store, caller));
        Json items = Json::array();
        for (const service::ApprovalInboxItem& item : inbox) {
          const ApprovalRecord& a = item.approval;
          items.push_back(Json{{"approval_id", a.id},
                               {"activation_id", a.activation_id},
                               {"activation_name", item.activation_name},
                               {"title", a.title},
                               {"subject", {{"kind", a.subject_kind}, {"id", a.subject_id}}},
                               {"org_id", a.org_id},
                               {"org_name", a.org_name},
                               {"round", a.round},
                               {"version", a.version},
                               {"step", item.step},
                               {"due_at", FormatInstant(item.entry.due_at)},
                               {"time_left_ms", item.entry.time_left.count()},
                               {"breached", item.entry.breached},
                               {"escalation_level", item.entry.escalation_level}});
        }
        return Ok(Json{{"now", FormatInstant(store.clock().Now())}, {"items", std::move(items)}});
      }});

  return routes;
}

}  // namespace tutti::http
