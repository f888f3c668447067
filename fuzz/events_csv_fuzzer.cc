// Fuzz target for the attribution events CSV (`tutti attribution --events`, docs/attribution.md):
// the reader with tiny blocks so that records straddle every boundary, then journeys and the
// last-touch model on what it kept. Invariants: no crash, no sanitizer report, every counted
// rejection fits the record count, every reported error names its line and field, and the
// model's credits add up to the journeys' conversions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "attribution_invariants.h"
#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::attribution;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  EventsCsvLimits limits;
  limits.block_bytes = 7;
  limits.max_record_bytes = 2048;
  auto parsed = ParseEventsCsv(in, limits);
  if (!parsed.ok()) {
    if (parsed.status().reason().empty() && parsed.status().field().empty()) std::abort();
    return 0;
  }
  if (parsed->rejected > parsed->records) std::abort();
  for (const EventsCsvError& e : parsed->errors) {
    if (e.line == 0 || e.field.empty()) std::abort();
  }
  CheckCreditsAddUpToConversions(parsed->events);
  return 0;
}
