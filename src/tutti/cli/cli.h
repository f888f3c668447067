// The `tutti` command line: a thin shell that parses arguments (CLI11), opens storage and calls
// the engines. Every failure ends as exit code 1 (2 for usage errors) and one line on stderr
// saying what went wrong. Not thread-safe (one invocation per process).
#pragma once

#include <iosfwd>
#include <map>
#include <string>

#include "tutti/storage/store.h"

namespace tutti::cli {

int Run(int argc, char** argv);

// Seeds the demo (host brand, three partners, an unrelated partner, one activation across three
// markets) unless it is already there; writes the log-ins to `out`. Idempotent.
Status SeedDemo(storage::Store& store, std::ostream& out);
// Seeds the demo activation's measurement data (contracts for three partner feeds and the host's
// shop, three weeks of events) unless it is there; needs SeedDemo first. Idempotent.
Status SeedDemoMeasurement(storage::Store& store, std::ostream& out);
// Part of SeedDemo: criteria for every phase gate of the demo activation, the first two gates
// passed (ticks, a sign-off, go decisions) and the pilot gate open. `user_ids` maps the demo's
// emails to user ids.
Status SeedDemoGates(storage::Store& store, const std::string& activation_id,
                     const std::map<std::string, std::string>& user_ids);
// Seeds four approval requests in the demo activation unless it has some: one past its
// turnaround, one half-way through a two-step workflow, one in its second round, one the host's.
// Needs SeedDemo first. Idempotent.
Status SeedDemoApprovals(storage::Store& store, std::ostream& out);
// Seeds the demo activation's asset naming template, UTM taxonomy, crisis templates and incident
// roster unless a taxonomy is stored. Needs SeedDemo first. Idempotent.
Status SeedDemoPublishing(storage::Store& store, std::ostream& out);

// Resolves every stored plan's launch again with the system tz database and compares it with the
// instants recorded when the plan was stored. Writes one line per moved launch, per plan that no
// longer computes and per plan without a recorded launch to `out`; with `accept`, records the
// new instants (audited as "launch_rederived"). Returns the number of moved launches found.
Result<int> CheckStoredLaunches(storage::Store& store, bool accept, std::ostream& out);

inline constexpr char kDefaultDatabaseUrl[] = "sqlite:tutti-data/tutti.db";

}  // namespace tutti::cli
