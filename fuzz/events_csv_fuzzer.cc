// Fuzz target for the attribution events CSV (`tutti attribution --events`, docs/attribution.md):
// the reader with tiny blocks so that records straddle every boundary, then journeys and the
// last-touch model on what it kept. Invariants: no crash, no sanitizer report, every counted
// rejection fits the record count, every reported error names its line and field, and the
// model's credits add up to the journeys' conversions.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

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
