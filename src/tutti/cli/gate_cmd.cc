#include "tutti/cli/gate_cmd.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "tutti/cli/cli_support.h"
#include "tutti/service/gates.h"

namespace tutti::cli {
namespace {

using governance::Phase;

struct GateOptions {
  std::string activation;
  std::string phase;
  std::string file;
  bool json = false;
};

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void PrintStatus(const storage::ActivationRecord& activation, const service::GateBoard& board,
                 const service::GateStatus& gate) {
  const std::string phase(governance::PhaseName(gate.phase));
  std::cout << activation.document.value("name", activation.id) << " (" << activation.id << "): in "
            << governance::PhaseName(board.lifecycle.current)
            << (board.lifecycle.completed ? ", every gate passed" : "") << "\n";
  std::cout << "gate " << phase << ": ";
  if (!gate.stored) {
    std::cout << "no criteria set\n";
  } else {
    std::cout << "criteria version " << gate.stored->version << ", "
              << gate.evaluation.criteria.size() << " criteria\n";
  }
  size_t width = 0;
  for (const governance::CriterionResult& c : gate.evaluation.criteria) {
    width = std::max(width, c.id.size());
  }
  for (const governance::CriterionResult& c : gate.evaluation.criteria) {
    std::string outcome = Upper(governance::OutcomeName(c.outcome));
    outcome.resize(8, ' ');
    std::string id = c.id;
    id.resize(width + 2, ' ');
    std::cout << "  " << outcome << id << c.message << "\n";
  }
  for (const storage::GateDecisionRecord& d : board.record.decisions) {
    if (d.phase != phase) continue;
    std::cout << "decided " << d.verdict << " by " << d.decided_by << " at " << d.decided_at << ": "
              << d.reason << "\n";
  }
  const governance::GateEvaluation& e = gate.evaluation;
  const bool passed = board.lifecycle.completed || gate.phase < board.lifecycle.current;
  std::cout << "verdict: " << (e.ready ? "READY" : "NOT READY") << " (" << e.passed << " pass, "
            << e.failed << " fail, " << e.unknown << " unknown): "
            << (passed    ? "the activation has gone through this gate"
                : e.ready ? "a go may be recorded"
                          : "a go needs every failing or unknown criterion met, or overridden "
                            "with a reason by the host's owner or facilitator")
            << "\n";
}

}  // namespace

void AddGateCommands(CLI::App& app, std::string* db_url, int* exit_code) {
  auto options = std::make_shared<GateOptions>();
  auto add_db = [db_url](CLI::App* cmd) {
    cmd->add_option("--db", *db_url, "Database URL (sqlite:PATH or postgresql://…)")
        ->capture_default_str();
  };
  const std::vector<std::string> phases(governance::kPhaseNames.begin(),
                                        governance::kPhaseNames.end());

  auto* gate_cmd = app.add_subcommand("gate", "Phase gates of an activation (docs/approvals.md)");
  gate_cmd->require_subcommand(1);

  auto* status = gate_cmd->add_subcommand(
      "status",
      "Evaluate a phase gate on the stored checklist, sign-offs and events (people opted out of "
      "measurement or sharing left out): one line per criterion with PASS, FAIL or UNKNOWN and "
      "what was measured against what is needed, then the verdict. Exit 0 when the gate is "
      "ready, 3 when it is not, 1 on errors, 2 on usage errors");
  add_db(status);
  status->add_option("--activation", options->activation, "Activation id (act_…)")->required();
  status
      ->add_option("--phase", options->phase,
                   "The gate to evaluate (default: the activation's current phase)")
      ->check(CLI::IsMember(phases));
  status->add_flag("--json", options->json,
                   "Print {activation_id, current_phase, phase, version, ready, evaluation, "
                   "decisions} as JSON instead");
  status->callback([options, db_url, exit_code] {
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    storage::ActivationRecord activation = Check(store.GetActivation(options->activation));
    service::GateBoard board = Check(service::LoadGateBoard(store, activation));
    Phase phase = board.lifecycle.current;
    if (!options->phase.empty()) governance::ParsePhase(options->phase, &phase);
    const service::GateStatus& gate = board.gates.at(static_cast<size_t>(phase));
    if (options->json) {
      Json decisions = Json::array();
      for (const storage::GateDecisionRecord& d : board.record.decisions) {
        if (d.phase != governance::PhaseName(phase)) continue;
        decisions.push_back(Json{{"verdict", d.verdict},
                                 {"reason", d.reason},
                                 {"overrides", d.overrides},
                                 {"decided_by", d.decided_by},
                                 {"decided_at", d.decided_at}});
      }
      std::cout << Json{{"activation_id", activation.id},
                        {"current_phase", governance::PhaseName(board.lifecycle.current)},
                        {"phase", governance::PhaseName(phase)},
                        {"version", gate.stored ? gate.stored->version : 0},
                        {"ready", gate.evaluation.ready},
                        {"evaluation", gate.evaluation_json},
                        {"decisions", std::move(decisions)}}
                       .dump(2)
                << "\n";
    } else {
      PrintStatus(activation, board, gate);
    }
    if (!gate.evaluation.ready) *exit_code = kGateNotReadyExitCode;
  });

  auto* put = gate_cmd->add_subcommand(
      "put",
      "Set a phase gate's criteria from a JSON file ({\"checklist\", \"approvals\", "
      "\"metrics\"}, docs/approvals.md); checked before anything is stored, audited as the "
      "operator. The gates of phases already gone through are closed");
  add_db(put);
  put->add_option("--activation", options->activation, "Activation id (act_…)")->required();
  put->add_option("--phase", options->phase, "The gate's phase")
      ->check(CLI::IsMember(phases))
      ->required();
  put->add_option("CRITERIA", options->file, "Criteria JSON file")->required();
  put->callback([options, db_url] {
    Json document = ReadJsonObjectFile(options->file, "CRITERIA");
    if (!document.contains("phase")) document["phase"] = options->phase;
    if (document["phase"] != options->phase) {
      throw Failure{InvalidArgument("the file's phase must be --phase (" + options->phase + ")",
                                    "phase", "phase_mismatch")};
    }
    governance::Gate gate = Check(governance::ParseGate(document));
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    storage::GateCriteriaRecord stored = Check(store.PutGateCriteria(
        options->activation, options->phase, document, std::nullopt, kCliActor,
        [phase = gate.phase](const storage::ActivationRecord&,
                             const storage::GateBoardRecord& board) {
          return service::CheckPhaseOpen(board, phase);
        }));
    std::cout << "gate " << stored.phase << " of " << options->activation << ": criteria version "
              << stored.version << "\n";
  });
}

}  // namespace tutti::cli
