// What both event-reader fuzz targets check on the table a reader kept: journeys build (a table
// a reader produced is always consistent) and the last-touch credits add up to the journeys'
// conversions. Aborts, so that libFuzzer reports the input, on any violation.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

inline void CheckCreditsAddUpToConversions(const EventTable& events) {
  JourneyOptions options;
  options.threads = 1;
  auto journeys = BuildJourneys(events, options);
  if (!journeys.ok()) std::abort();
  ModelOptions model;
  model.threads = 1;
  auto credit = Attribute(*journeys, model);
  if (!credit.ok()) return;
  double conversions = 0, credited = 0;
  for (double c : journeys->conversions) conversions += c;
  for (double c : credit->conversions) credited += c;
  if (std::fabs(conversions - credited) > 1e-6 * std::max(1.0, conversions)) std::abort();
}

}  // namespace tutti::attribution
