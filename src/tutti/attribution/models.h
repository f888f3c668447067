// The models behind Attribute (attribution.h), one family per file, and what they and
// BuildJourneys share (models.cc). Internal to tutti_attribution. Thread-safe: everything here is
// re-entrant; an ExactSum is a plain value, one per thread.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

// first, last, linear, time_decay, position (heuristics.cc).
Result<Credit> AttributeHeuristic(const Journeys& journeys, const ModelOptions& options);
// Markov removal effect, solved exactly on the absorbing chain (markov.cc).
Result<Credit> AttributeMarkov(const Journeys& journeys, const ModelOptions& options);
// Exact Shapley value over key coalitions (shapley.cc).
Result<Credit> AttributeShapley(const Journeys& journeys, const ModelOptions& options);

// `requested` threads when positive, else the hardware's concurrency (at least 1).
int ResolveThreads(int requested);

// ---- Exact sums ----

// Amounts are summed exactly, as integers in units of 2^-48 (one rounding per amount, at most
// 2^-49), so that sums are the same bits however the work is split among threads: integer
// addition does not care about order. Amounts up to kMaxJourneyCount per journey keep the sums
// far from overflowing over billions of journeys.
using WeightUnits = __int128;
inline constexpr double kMaxJourneyCount = 1e14;

// `amount` rounded to the nearest unit, halves away from zero; |amount| at most kMaxJourneyCount.
inline WeightUnits ToWeightUnits(double amount) {
  const double scaled = amount * 0x1p48;
  // One instruction for the usual amounts; from 2^14 up the 128-bit conversion, which is exact
  // there because such a double is already a whole number.
  if (std::fabs(scaled) < 0x1p62) return static_cast<int64_t>(scaled + (scaled < 0 ? -0.5 : 0.5));
  return static_cast<WeightUnits>(scaled);
}
inline double FromWeightUnits(WeightUnits units) { return static_cast<double>(units) * 0x1p-48; }

// A sum of amounts in WeightUnits.
class ExactSum {
 public:
  void Add(double amount) { units_ += ToWeightUnits(amount); }
  void Add(const ExactSum& other) { units_ += other.units_; }
  double Value() const { return FromWeightUnits(units_); }

 private:
  WeightUnits units_ = 0;
};

// ---- Shared by the exact models (Markov and Shapley), which weigh every journey ----

// Journey j's weight conversions + nulls, or a negative number when it cannot be weighed: a
// count negative, not finite or above kMaxJourneyCount, offsets out of order or past the
// touches, or weight without touches. Touch keys are not checked here (the callers check them
// in the loops that read them).
double JourneyWeight(const Journeys& journeys, size_t j);
// Journeys [bounds[i], bounds[i + 1]) for i < parts, of about equal touch counts, so that
// threads get equal work whatever the path lengths.
std::vector<size_t> SliceByTouches(const Journeys& journeys, size_t parts);
// Why journey j cannot be attributed (kInvalidArgument naming the journey and the column); for a
// journey JourneyWeight accepts, the reason is a touch key outside journeys.keys.
Status InvalidJourney(const Journeys& journeys, size_t j);

}  // namespace tutti::attribution
