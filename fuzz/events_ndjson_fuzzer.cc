// Fuzz target for the attribution events NDJSON reader (`tutti attribution --events`,
// docs/attribution.md): the reader with tiny blocks, so that lines straddle every boundary, and
// again with one block, then journeys and the last-touch model on what it kept. Invariants: no
// crash, no sanitizer report, every line counted is kept or rejected, every reported error
// names its line and field, the block size changes nothing, and the model's credits add up to
// the journeys' conversions.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

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
  JourneyOptions options;
  options.threads = 1;
  auto journeys = BuildJourneys(parsed->events, options);
  if (!journeys.ok()) std::abort();  // a table the reader built is always consistent
  ModelOptions model;
  model.threads = 1;
  auto credit = Attribute(*journeys, model);
  if (!credit.ok()) return 0;
  double conversions = 0, credited = 0;
  for (double c : journeys->conversions) conversions += c;
  for (double c : credit->conversions) credited += c;
  if (std::fabs(conversions - credited) > 1e-6 * std::max(1.0, conversions)) std::abort();
  return 0;
}
