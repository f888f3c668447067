// The measurement commands of `tutti`: contract, ingest, consent, erase (docs/ingest.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace tutti::cli {

// Registers the commands on `app`; they share the database URL option's variable and set
// `exit_code` when they end with something other than plain success.
void AddMeasurementCommands(CLI::App& app, std::string* db_url, int* exit_code);

}  // namespace tutti::cli
