// `tutti attribution`: credit and revenue per channel, partner or partner × channel from an
// events file (CSV or NDJSON) or a ChannelAttribution path file, by one model, printed as CSV. A
// thin shell over tutti/attribution (docs/attribution.md, "Command line"). Not thread-safe (one
// invocation per process); the engine itself uses --threads threads.
#pragma once

namespace CLI {
class App;
}

namespace tutti::cli {

// Adds the `attribution` sub-command to `app`. When it fails it writes one line
// "tutti: error: …" to stderr and sets *exit_code to 1; usage errors (a bad option value, both or
// neither of --events and --paths, --by other than channel with --paths) throw CLI11's parse
// errors, which Run turns into exit code 2. `exit_code` must outlive app.parse().
void AddAttributionCommand(CLI::App& app, int* exit_code);

}  // namespace tutti::cli
