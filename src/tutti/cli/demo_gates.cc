// The demo's phase gates (docs/approvals.md): criteria for every phase of "Summer Splash 2026",
// the ideation and proof-of-concept gates passed with their ticks, a sign-off and two go
// decisions, and the pilot gate open with legal signed off, tracking QA still to tick and the
// CTR and CPA thresholds of the brief, which the demo's events measure. Through the service like
// any other change, so the history is in the audit trail. Not thread-safe (run once, by SeedDemo).
#include <map>

#include "tutti/cli/cli.h"
#include "tutti/service/gates.h"

namespace tutti::cli {
namespace {

const storage::GateAuthorize kAllow = [](const storage::ActivationRecord&,
                                         const storage::GateBoardRecord&) { return OkStatus(); };

}  // namespace

Status SeedDemoGates(storage::Store& store, const std::string& activation_id,
                     const std::map<std::string, std::string>& user_ids) {
  const std::string& olivia_id = user_ids.at("olivia@acme.example");
  const std::string& felix_id = user_ids.at("felix@acme.example");
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation, store.GetActivation(activation_id));
  const storage::Actor olivia{olivia_id, activation.host_org_id};
  const storage::Actor felix{felix_id, activation.host_org_id};

  const char* kCriteria[][2] = {
      {"ideation", R"({"checklist": [
          {"id": "brief_approved", "label": "Brief approved by StreamCo, Nova Sports and Lumen"}]})"},
      {"proof_of_concept", R"({"checklist": [
          {"id": "concept_tested", "label": "Concept tested with the 400-person panel"}],
        "approvals": [{"role": "host:owner"}]})"},
      {"pilot", R"({"checklist": [
          {"id": "legal_signoff", "label": "Legal signed off the creative and #ad disclosures"},
          {"id": "tracking_qa", "label": "Tracking QA passed on every partner feed"}],
        "metrics": [{"metric": "ctr", "op": ">=", "value": 0.008},
                    {"metric": "cpa", "op": "<=", "value": 40}]})"},
      {"full_deployment", R"({"checklist": [
          {"id": "budget_released", "label": "Full media budget released by finance"}],
        "metrics": [{"metric": "roas", "op": ">=", "value": 2}]})"},
      {"retrospective", R"({"checklist": [
          {"id": "learnings_shared", "label": "Learnings shared with every partner"}]})"},
  };
  for (const auto& [phase, text] : kCriteria) {
    Json document = Json::parse(text);
    document["phase"] = phase;
    TUTTI_RETURN_IF_ERROR(governance::ParseGate(document).status());
    TUTTI_RETURN_IF_ERROR(
        store.PutGateCriteria(activation_id, phase, document, 0, olivia, kAllow).status());
  }

  auto as_host = [](const std::string& user_id, core::Role role) {
    return [user_id, role](const storage::ActivationRecord& a) -> Result<governance::Actor> {
      return service::GateActor(user_id, a.host_org_id, role, a);
    };
  };
  TUTTI_RETURN_IF_ERROR(
      store.MarkGateChecklistItem(activation_id, "ideation", "brief_approved", true, olivia, kAllow)
          .status());
  TUTTI_RETURN_IF_ERROR(
      service::RecordGateDecision(store, activation_id, governance::Phase::kIdeation,
                                  {governance::GateVerdict::kGo,
                                   "All three partners signed the brief; budget confirmed.",
                                   {}},
                                  olivia, as_host(olivia_id, core::Role::kOwner))
          .status());
  TUTTI_RETURN_IF_ERROR(store
                            .MarkGateChecklistItem(activation_id, "proof_of_concept",
                                                   "concept_tested", true, felix, kAllow)
                            .status());
  TUTTI_RETURN_IF_ERROR(
      store
          .SignOffGate(activation_id,
                       storage::GateSignOffRecord{"proof_of_concept", olivia_id, "owner", "host",
                                                  "Panel scores beat the benchmark.", ""},
                       olivia, kAllow)
          .status());
  TUTTI_RETURN_IF_ERROR(service::RecordGateDecision(
                            store, activation_id, governance::Phase::kProofOfConcept,
                            {governance::GateVerdict::kGo,
                             "Concept scored 71 against a benchmark of 60; Olivia signed off.",
                             {}},
                            felix, as_host(felix_id, core::Role::kFacilitator))
                            .status());
  return store.MarkGateChecklistItem(activation_id, "pilot", "legal_signoff", true, olivia, kAllow)
      .status();
}

}  // namespace tutti::cli
