// Fuzz target for the attribution events NDJSON reader (`tutti attribution --events`,
// docs/attribution.md): the reader with tiny blocks, so that lines straddle every boundary, and
// again with one block, then journeys and the last-touch model on what it kept. Invariants: no
// crash, no sanitizer report, every line counted is kept or rejected, every reported error
// names its line and field, the block size changes nothing, and the model's credits add up to
// the journeys' conversions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "attribution_invariants.h"
#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_ndjson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::attribution;
  const std::string text(reinterpret_cast<const char*>(data), size);
  EventsNdjsonLimits limits;
  limits.block_bytes = 7;
  limits.max_record_bytes = 2048;
  std::istringstream in(text);
  auto parsed = ParseEventsNdjson(in, limits);
  if (!parsed.ok()) std::abort();  // only a failing stream may fail, and this one cannot
  if (parsed->records != parsed->events.size() + parsed->rejected) std::abort();
  for (const EventsCsvError& e : parsed->errors) {
    if (e.line == 0 || e.field.empty() || e.reason.empty()) std::abort();
  }
  limits.block_bytes = size + 1;
  std::istringstream whole_in(text);
  auto whole = ParseEventsNdjson(whole_in, limits);
  if (!whole.ok() || whole->records != parsed->records || whole->rejected != parsed->rejected ||
      whole->events.size() != parsed->events.size() ||
      whole->events.ts_ms != parsed->events.ts_ms ||
      whole->events.event_id_arena != parsed->events.event_id_arena ||
      whole->errors.size() != parsed->errors.size()) {
    std::abort();
  }
  for (size_t i = 0; i < whole->errors.size(); ++i) {
    if (whole->errors[i].line != parsed->errors[i].line ||
        whole->errors[i].field != parsed->errors[i].field) {
      std::abort();
    }
  }
  CheckCreditsAddUpToConversions(parsed->events);
  return 0;
}
