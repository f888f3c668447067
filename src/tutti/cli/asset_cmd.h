// `tutti asset add` (docs/assets.md, "Storage, HTTP API and CLI"): an operator adds a file to an
// activation's asset library on behalf of an organisation, with the same checks as an upload
// through the API (service/asset_uploads.h): format from the header, the naming template (the
// error shows the expected name), the placement's spec. Not thread-safe (one invocation per
// process).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tutti::cli {

// Adds the `asset` command with its `add` sub-command to `app`, sharing the database URL
// option's variable. Failures throw Failure (exit 1, one line).
void AddAssetCommands(CLI::App& app, std::string* db_url);

}  // namespace tutti::cli
