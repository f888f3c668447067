// What the models and BuildJourneys share (models.h). Thread-safe: re-entrant.
#include "tutti/attribution/models.h"

#include <algorithm>
#include <string>
#include <thread>

namespace tutti::attribution {

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : static_cast<int>(hardware);
}

std::vector<size_t> SliceByTouches(const Journeys& journeys, size_t parts) {
  std::vector<size_t> bounds{0};
  const uint64_t touches = journeys.offsets.back();
  for (size_t part = 1; part < parts; ++part) {
    const uint64_t target = touches / parts * part;
    const auto it =
        std::lower_bound(journeys.offsets.begin() + static_cast<std::ptrdiff_t>(bounds.back()),
                         journeys.offsets.end() - 1, target);
    bounds.push_back(static_cast<size_t>(it - journeys.offsets.begin()));
  }
  bounds.push_back(journeys.size());
  return bounds;
}

double JourneyWeight(const Journeys& journeys, size_t j) {
  const double conversions = journeys.conversions[j], nulls = journeys.nulls[j];
  const double weight = conversions + nulls;
  if (!(conversions >= 0 && conversions <= kMaxJourneyCount && nulls >= 0 &&
        nulls <= kMaxJourneyCount)) {
    return -1;
  }
  const uint64_t begin = journeys.offsets[j], end = journeys.offsets[j + 1];
  if (begin > end || end > journeys.touch_key.size()) return -1;
  if (weight > 0 && begin == end) return -1;
  return weight;
}

Status InvalidJourney(const Journeys& journeys, size_t j) {
  const std::string where = "journey " + std::to_string(j) + ": ";
  const double conversions = journeys.conversions[j], nulls = journeys.nulls[j];
  if (!(conversions >= 0 && conversions <= kMaxJourneyCount)) {
    return InvalidArgument(
        where + "conversions must be a number from 0 to 1e14, not " + std::to_string(conversions),
        "conversions");
  }
  if (!(nulls >= 0 && nulls <= kMaxJourneyCount)) {
    return InvalidArgument(
        where + "nulls must be a number from 0 to 1e14, not " + std::to_string(nulls), "nulls");
  }
  const uint64_t begin = journeys.offsets[j], end = journeys.offsets[j + 1];
  if (begin > end || end > journeys.touch_key.size()) {
    return InvalidArgument(where + "offsets out of order or past the touches", "offsets");
  }
  if (begin == end) {
    return InvalidArgument(where + "conversions or nulls but no touches (a conversion without " +
                               "touches is credited to " + std::string(kDirect) + ")",
                           "touch_key");
  }
  return InvalidArgument(where + "a touch key is not in journeys.keys (" +
                             std::to_string(journeys.keys.size()) + " keys)",
                         "touch_key");
}

}  // namespace tutti::attribution
