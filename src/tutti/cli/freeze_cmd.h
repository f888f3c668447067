// `tutti freeze` and `tutti unfreeze` (docs/publishing.md, "Posts in the product"): stop every
// scheduled post of an activation, or of one partner, at once from an operator's shell when the
// web is down, and lift such a freeze; audited like the API's (actor "cli"). Thin over the
// Store's freezes. Not thread-safe (one invocation per process).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tutti::cli {

// Adds `freeze` and `unfreeze` to `app`; they share the database URL option's variable.
// Failures throw Failure (exit 1); a missing or conflicting option is a usage error (exit 2).
void AddFreezeCommands(CLI::App& app, std::string* db_url);

}  // namespace tutti::cli
