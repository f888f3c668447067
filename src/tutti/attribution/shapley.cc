// AttributeShapley (models.h): the exact Shapley value over key coalitions (docs/attribution.md,
// "Shapley value"). Thread-safe: re-entrant; the pass over the journeys runs on up to
// options.threads threads of its own.
//
// The game. Each journey's coalition T is its set of distinct keys. r(T) is the observed
// conversion rate of T, conversions(T) / (conversions(T) + nulls(T)) over the journeys whose key
// set is exactly T (0 when none is), and the worth of a coalition S is v(S) = Σ_{T ⊆ S} r(T):
// every observed coalition inside S converts at its rate. φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n!
// · (v(S ∪ {i}) − v(S)), computed exactly over all 2ⁿ coalitions: v by the subset-sum (zeta)
// transform in O(n·2ⁿ), then φ by one loop over every (S, i ∉ S) pair, also O(n·2ⁿ). Credits
// are φ_i / Σφ of the conversions and of the revenue; Σφ = v(N) by the efficiency of the
// Shapley value, so the credits sum to the conversions.
//
// Only keys on at least one converting journey are players: a coalition holding any other key
// has r = 0 and adds nothing to any v(S), so dropping those keys changes no φ and lets 20
// players be chosen among more keys.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "tutti/attribution/markov.h"
#include "tutti/attribution/models.h"

namespace tutti::attribution {
namespace {

constexpr size_t kMaxPlayers = 20;
constexpr uint32_t kNotPlayer = std::numeric_limits<uint32_t>::max();
constexpr size_t kNoJourney = std::numeric_limits<size_t>::max();

// A coalition's conversions and nulls side by side: one cache line per journey, not two.
struct ConversionsAndNulls {
  WeightUnits conversions = 0, nulls = 0;
};

// Per coalition (a bit mask over players), summed over one slice of the journeys.
struct CoalitionCounts {
  std::vector<ConversionsAndNulls> coalitions;
  size_t bad_journey = kNoJourney;
};

void CountCoalitions(const Journeys& journeys, size_t begin, size_t end,
                     const std::vector<uint32_t>& player_of_key, CoalitionCounts& counts) {
  for (size_t j = begin; j < end; ++j) {
    const double weight = JourneyWeight(journeys, j);
    if (weight < 0) {
      counts.bad_journey = j;
      return;
    }
    if (weight == 0) continue;
    uint32_t coalition = 0;
    bool observed = true;
    for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
      const uint32_t key = journeys.touch_key[t];
      if (key >= player_of_key.size()) {
        counts.bad_journey = j;
        return;
      }
      const uint32_t player = player_of_key[key];
      if (player == kNotPlayer) {
        observed = false;  // a coalition with a never-converting key: r = 0
      } else {
        coalition |= uint32_t{1} << player;
      }
    }
    if (!observed) continue;
    ConversionsAndNulls& sums = counts.coalitions[coalition];
    sums.conversions += ToWeightUnits(journeys.conversions[j]);
    sums.nulls += ToWeightUnits(journeys.nulls[j]);
  }
}

}  // namespace

Result<Credit> AttributeShapley(const Journeys& journeys, const ModelOptions& options) {
  const size_t n_journeys = journeys.size();
  if (journeys.offsets.size() != n_journeys + 1 || journeys.value.size() != n_journeys ||
      journeys.nulls.size() != n_journeys) {
    return InvalidArgument("journeys: offsets, conversions, value and nulls disagree in length",
                           "journeys");
  }
  if (options.threads < 0) {
    return InvalidArgument("threads must be 0 (all cores) or more", "threads");
  }
  const size_t keys = journeys.keys.size();
  Credit credit;
  credit.conversions.assign(keys, 0.0);
  credit.revenue.assign(keys, 0.0);

  // Players: the keys of converting journeys, numbered in key order.
  std::vector<uint8_t> converts(keys, 0);
  double total_conversions = 0, total_value = 0;
  for (size_t j = 0; j < n_journeys; ++j) {
    total_conversions += journeys.conversions[j];
    total_value += journeys.value[j];
    if (!(journeys.conversions[j] > 0)) continue;
    if (JourneyWeight(journeys, j) < 0) return InvalidJourney(journeys, j);
    for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
      if (journeys.touch_key[t] >= keys) return InvalidJourney(journeys, j);
      converts[journeys.touch_key[t]] = 1;
    }
  }
  std::vector<uint32_t> player_of_key(keys, kNotPlayer);
  std::vector<uint32_t> key_of_player;
  for (size_t key = 0; key < keys; ++key) {
    if (!converts[key]) continue;
    player_of_key[key] = static_cast<uint32_t>(key_of_player.size());
    key_of_player.push_back(static_cast<uint32_t>(key));
  }
  const size_t n = key_of_player.size();
  if (n > kMaxPlayers) {
    return InvalidArgument(
        "the Shapley model is exact over at most " + std::to_string(kMaxPlayers) +
            " keys on converting paths; these journeys have " + std::to_string(n) +
            " (credit by channel or by partner, or choose another model)",
        "model", "too_many_keys");
  }
  const size_t coalitions = size_t{1} << n;

  // Conversions and nulls per observed coalition, one slice of journeys per thread.
  const int threads = ResolveThreads(options.threads);
  const size_t parts = std::clamp<size_t>(n_journeys / 4096, 1, static_cast<size_t>(threads));
  const std::vector<size_t> bounds = SliceByTouches(journeys, parts);
  std::vector<CoalitionCounts> slices(parts);
  auto count = [&](size_t part) {
    slices[part].coalitions.assign(coalitions, ConversionsAndNulls{});
    CountCoalitions(journeys, bounds[part], bounds[part + 1], player_of_key, slices[part]);
  };
  std::vector<std::thread> workers;
  for (size_t part = 1; part < parts; ++part) workers.emplace_back(count, part);
  count(0);
  for (std::thread& worker : workers) worker.join();
  size_t bad_journey = kNoJourney;
  for (const CoalitionCounts& slice : slices)
    bad_journey = std::min(bad_journey, slice.bad_journey);
  if (bad_journey != kNoJourney) return InvalidJourney(journeys, bad_journey);
  if (n == 0) return credit;  // nothing converts: nothing to share

  // v starts as r and becomes Σ_{T ⊆ S} r(T) by the zeta transform.
  std::vector<double> worth(coalitions, 0.0);
  for (size_t s = 0; s < coalitions; ++s) {
    WeightUnits conversions = 0, nulls = 0;
    for (const CoalitionCounts& slice : slices) {
      conversions += slice.coalitions[s].conversions;
      nulls += slice.coalitions[s].nulls;
    }
    if (conversions + nulls > 0) {
      worth[s] = FromWeightUnits(conversions) / FromWeightUnits(conversions + nulls);
    }
  }
  slices.clear();
  for (size_t player = 0; player < n; ++player) {
    const size_t bit = size_t{1} << player;
    for (size_t s = 0; s < coalitions; ++s) {
      if (s & bit) worth[s] += worth[s ^ bit];
    }
  }

  // |S|!(n−|S|−1)!/n! = 1 / (n · C(n−1, |S|)); C(19, 9) = 92 378 is exact in a double.
  std::vector<double> weight(n);
  double binomial = 1;  // C(n−1, size)
  for (size_t size = 0; size < n; ++size) {
    weight[size] = 1 / (static_cast<double>(n) * binomial);
    binomial = binomial * static_cast<double>(n - 1 - size) / static_cast<double>(size + 1);
  }
  std::vector<double> shapley(n, 0.0);
  const size_t everyone = coalitions - 1;
  for (size_t s = 0; s < everyone; ++s) {  // the grand coalition has no one to add
    const double w = weight[static_cast<size_t>(std::popcount(s))];
    const double worth_s = worth[s];
    for (size_t absent = everyone & ~s; absent != 0; absent &= absent - 1) {
      const auto player = static_cast<size_t>(std::countr_zero(absent));
      shapley[player] += w * (worth[s | (size_t{1} << player)] - worth_s);
    }
  }

  double total = 0;
  for (double value : shapley) total += value;
  if (!(total > 0)) return credit;
  for (size_t player = 0; player < n; ++player) {
    const double share = shapley[player] / total;
    credit.conversions[key_of_player[player]] = share * total_conversions;
    credit.revenue[key_of_player[player]] = share * total_value;
  }
  return credit;
}

}  // namespace tutti::attribution
