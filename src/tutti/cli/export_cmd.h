// `tutti export` and `tutti retention run` (docs/archive.md): an activation written as one ustar
// archive for audits (service/activation_export.h), streamed to a file so that its size is not
// bounded by memory; and the retention sweep run by hand (service/retention.h), printing per-kind
// counts of what is kept, deleted and held. Not thread-safe (one invocation per process).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tutti::cli {

// Adds `export` and `retention run` to `app`; they share the database URL option's variable.
// Failures throw Failure (exit 1).
void AddArchiveCommands(CLI::App& app, std::string* db_url);

}  // namespace tutti::cli
