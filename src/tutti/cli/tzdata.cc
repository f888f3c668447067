// `tutti tzdata check`: launches are stored as local time + zone, so a tz database update (a
// country dropping daylight saving, say) moves their instants. This finds and reports such moves,
// and records the new instants once someone has looked.
#include <ostream>

#include "tutti/cli/cli.h"
#include "tutti/scheduling/plan.h"

namespace tutti::cli {

Result<int> CheckStoredLaunches(storage::Store& store, bool accept, std::ostream& out) {
  const storage::Actor cli{"cli", ""};
  TUTTI_ASSIGN_OR_RETURN(auto plans, store.ListStoredPlans());
  int moved = 0;
  for (const storage::PlanDocuments& docs : plans) {
    TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, store.GetActivation(docs.activation_id));
    const std::string label =
        "activation " + a.id + " (" + a.document.value("name", std::string()) + ")";
    Result<scheduling::Plan> plan = scheduling::ParsePlan(*docs.plan);
    Result<std::vector<std::pair<std::string, Instant>>> launch =
        plan.ok() ? scheduling::ResolveLaunch(plan->launch)
                  : Result<std::vector<std::pair<std::string, Instant>>>(plan.status());
    if (!launch.ok()) {
      out << label << ": the plan no longer computes: " << launch.status().ToString() << "\n";
      continue;
    }
    std::vector<scheduling::LaunchMove> moves;
    if (docs.resolved_launch) {
      moves = scheduling::MovedLaunches(*docs.resolved_launch, *launch);
    } else {
      out << label << ": no launch instants recorded yet"
          << (accept ? "; recorded now" : "; --accept records them") << "\n";
    }
    for (const scheduling::LaunchMove& move : moves) {
      std::string zone;
      for (const scheduling::Market& m : plan->launch.markets) {
        if (m.name == move.market) zone = m.tz;
      }
      out << label << ": market " << move.market << " launch "
          << (*docs.plan)["launch"].value("local", std::string()) << " " << zone << " moved from "
          << FormatInstantSeconds(move.was) << " to " << FormatInstantSeconds(move.now) << "\n";
    }
    moved += static_cast<int>(moves.size());
    if (accept && (!moves.empty() || !docs.resolved_launch)) {
      Json resolved = scheduling::LaunchToJson(*launch);
      TUTTI_RETURN_IF_ERROR(
          store
              .EditPlanDocument(
                  a.id, "plan", docs.version, cli,
                  [&](const storage::ActivationRecord&, const storage::PlanDocuments& current)
                      -> Result<storage::PlanDocumentUpdate> {
                    return storage::PlanDocumentUpdate{*current.plan, resolved, "launch_rederived"};
                  })
              .status());
    }
  }
  out << moved << " launch instant(s) moved across " << plans.size() << " plan(s) (tz database "
      << TimeZoneDatabaseVersion() << ")" << (accept && moved > 0 ? "; new instants recorded" : "")
      << "\n";
  return moved;
}

}  // namespace tutti::cli
