// `tutti gate status` and `tutti gate put` (docs/approvals.md, "Storage, HTTP API and CLI"): an
// activation's phase gate evaluated on the stored checklist, sign-offs and events, for operators
// and scripts (exit 0 when the gate is ready, 3 when it is not), and setting a gate's criteria.
// Thin over service/gates.h. Not thread-safe (one invocation per process).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tutti::cli {

// The exit code of `tutti gate status` for a gate that is not ready (some criterion fails or is
// unknown): distinct from 1 (an error) and 2 (a usage error), so that a script can wait on it.
inline constexpr int kGateNotReadyExitCode = 3;

// Adds the `gate` command with its `status` and `put` sub-commands to `app`; they share the
// database URL option's variable and set *exit_code to kGateNotReadyExitCode for a gate that is
// not ready. Failures throw Failure (exit 1); a bad --phase is a usage error (exit 2).
void AddGateCommands(CLI::App& app, std::string* db_url, int* exit_code);

}  // namespace tutti::cli
