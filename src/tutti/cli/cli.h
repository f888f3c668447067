// The `tutti` command line: a thin shell that parses arguments (CLI11), opens storage and calls
// the engines. Every failure ends as exit code 1 (2 for usage errors) and one line on stderr
// saying what went wrong. Not thread-safe (one invocation per process).
#pragma once

#include <iosfwd>
#include <string>

#include "tutti/storage/store.h"

namespace tutti::cli {

int Run(int argc, char** argv);

// Seeds the demo (host brand, three partners, an unrelated partner, one activation across three
// markets) unless it is already there; writes the log-ins to `out`. Idempotent.
Status SeedDemo(storage::Store& store, std::ostream& out);

// Resolves every stored plan's launch again with the system tz database and compares it with the
// instants recorded when the plan was stored. Writes one line per moved launch, per plan that no
// longer computes and per plan without a recorded launch to `out`; with `accept`, records the
// new instants (audited as "launch_rederived"). Returns the number of moved launches found.
Result<int> CheckStoredLaunches(storage::Store& store, bool accept, std::ostream& out);

inline constexpr char kDefaultDatabaseUrl[] = "sqlite:tutti-data/tutti.db";

}  // namespace tutti::cli
