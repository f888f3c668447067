// AttributeHeuristic (models.h): the rule-based models, first, last, linear, time_decay and
// position. Each converting journey shares its conversions and its value among the touches of its
// path by the model's weights, which sum to 1; every touch counts, repeats included.
// Non-converting journeys (only nulls) contribute nothing. Thread-safe: re-entrant; runs up to
// options.threads threads of its own.
//
// Reproducible to the last bit whatever the number of threads: every contribution is rounded
// once to a multiple of 2^-48 and summed as a 128-bit integer (ExactSum), and integer addition
// does not care about order. The one rounding per contribution (at most 1.8e-15 absolute) is far
// below what the CLI prints, and the sum itself is exact where a double sum of 100 M terms would
// drift by far more.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>

#include "tutti/attribution/models.h"

namespace tutti::attribution {
namespace {

struct KeyTotals {
  ExactSum conversions, revenue;
};

// The first journey that breaks the Journeys invariants, and why.
struct JourneyError {
  size_t journey = std::numeric_limits<size_t>::max();
  std::string message;
  void Note(size_t j, std::string why) {
    if (j < journey) {
      journey = j;
      message = std::move(why);
    }
  }
};

Status CheckShape(const Journeys& journeys) {
  const size_t count = journeys.size();
  if (journeys.offsets.size() != count + 1 || journeys.offsets.front() != 0 ||
      journeys.offsets.back() != journeys.touch_key.size() || journeys.value.size() != count ||
      journeys.nulls.size() != count ||
      (journeys.has_times && journeys.touch_age_seconds.size() != journeys.touch_key.size())) {
    return InvalidArgument("the journeys' columns differ in length", "journeys");
  }
  return OkStatus();
}

// Shares one journey's conversions and value among the touches [first, last) by the model.
class JourneySharer {
 public:
  JourneySharer(const Journeys& journeys, const ModelOptions& options,
                std::vector<KeyTotals>& totals)
      : journeys_(journeys),
        model_(options.model),
        inverse_half_life_(options.half_life.count() > 0
                               ? 1.0 / static_cast<double>(options.half_life.count())
                               : 0),
        totals_(totals) {}

  void Share(uint64_t first, uint64_t last, double conversions, double value) {
    const uint64_t touches = last - first;
    switch (model_) {
      case Model::kFirst:
        Credit(first, conversions, value);
        break;
      case Model::kLast:
        Credit(last - 1, conversions, value);
        break;
      case Model::kLinear: {
        const double share = 1.0 / static_cast<double>(touches);
        for (uint64_t t = first; t < last; ++t) Credit(t, conversions * share, value * share);
        break;
      }
      case Model::kPosition:
        if (touches == 1) {
          Credit(first, conversions, value);
        } else if (touches == 2) {
          Credit(first, conversions * 0.5, value * 0.5);
          Credit(first + 1, conversions * 0.5, value * 0.5);
        } else {
          Credit(first, conversions * 0.4, value * 0.4);
          Credit(last - 1, conversions * 0.4, value * 0.4);
          const double middle = 0.2 / static_cast<double>(touches - 2);
          for (uint64_t t = first + 1; t < last - 1; ++t) {
            Credit(t, conversions * middle, value * middle);
          }
        }
        break;
      case Model::kTimeDecay: {
        // 2^(−age/half-life), measured from the youngest touch so that the largest weight is 1:
        // the same after normalising, and old paths cannot underflow to 0/0.
        const int64_t* ages = journeys_.touch_age_seconds.data();
        const int64_t youngest = *std::min_element(ages + first, ages + last);
        weights_.resize(touches);
        double sum = 0;
        for (uint64_t t = first; t < last; ++t) {
          const double weight =
              std::exp2(-static_cast<double>(ages[t] - youngest) * inverse_half_life_);
          weights_[t - first] = weight;
          sum += weight;
        }
        for (uint64_t t = first; t < last; ++t) {
          const double share = weights_[t - first] / sum;
          Credit(t, conversions * share, value * share);
        }
        break;
      }
      case Model::kMarkov:
      case Model::kShapley:
        break;
    }
  }

 private:
  void Credit(uint64_t touch, double conversions, double value) {
    KeyTotals& key = totals_[journeys_.touch_key[touch]];
    key.conversions.Add(conversions);
    key.revenue.Add(value);
  }

  const Journeys& journeys_;
  Model model_;
  double inverse_half_life_;
  std::vector<KeyTotals>& totals_;
  std::vector<double> weights_;
};

}  // namespace

Result<Credit> AttributeHeuristic(const Journeys& journeys, const ModelOptions& options) {
  switch (options.model) {
    case Model::kFirst:
    case Model::kLast:
    case Model::kLinear:
    case Model::kPosition:
      break;
    case Model::kTimeDecay:
      if (!journeys.has_times) {
        return InvalidArgument(
            "time_decay needs the time of every touch, and these journeys have none (a path "
            "file); choose first, last, linear, position, markov or shapley, or attribute from "
            "events",
            "model", "needs_timestamps");
      }
      if (options.half_life.count() <= 0) {
        return InvalidArgument("the half-life must be positive, e.g. 7d", "half_life");
      }
      break;
    case Model::kMarkov:
    case Model::kShapley:
      return InvalidArgument(std::string(ModelName(options.model)) + " is not a heuristic model",
                             "model", "invalid_enum");
  }
  TUTTI_RETURN_IF_ERROR(CheckShape(journeys));

  const size_t keys = journeys.keys.size();
  const size_t count = journeys.size();
  // Chunks of journeys handed to the workers in turn; small inputs stay on the caller's thread.
  const size_t chunk = std::max<size_t>(size_t{1} << 14, count / 256);
  const size_t chunks = (count + chunk - 1) / chunk;
  const size_t workers = std::min(chunks, static_cast<size_t>(ResolveThreads(options.threads)));
  std::vector<std::vector<KeyTotals>> totals(std::max<size_t>(workers, 1));
  std::vector<JourneyError> errors(totals.size());
  std::atomic<size_t> next_chunk{0};

  auto work = [&](size_t worker) {
    std::vector<KeyTotals>& mine = totals[worker];
    mine.assign(keys, KeyTotals{});
    JourneySharer sharer(journeys, options, mine);
    JourneyError& error = errors[worker];
    for (size_t c = next_chunk.fetch_add(1); c < chunks; c = next_chunk.fetch_add(1)) {
      const size_t end = std::min(count, (c + 1) * chunk);
      for (size_t j = c * chunk; j < end; ++j) {
        const double conversions = journeys.conversions[j], value = journeys.value[j];
        if (!(std::fabs(conversions) <= kMaxJourneyCount) ||
            !(std::fabs(value) <= kMaxJourneyCount)) {
          error.Note(j, "conversions and value must be finite numbers within ±1e14");
          continue;
        }
        if (conversions == 0 && value == 0) continue;
        const uint64_t first = journeys.offsets[j], last = journeys.offsets[j + 1];
        if (first > last || last > journeys.touch_key.size()) {
          error.Note(j, "the offsets are not increasing");
          continue;
        }
        if (first == last) {
          error.Note(j,
                     "it converts but has no touch (a conversion without one is credited to "
                     "the single touch \"(direct)\")");
          continue;
        }
        bool keys_known = true;
        for (uint64_t t = first; t < last; ++t) keys_known &= journeys.touch_key[t] < keys;
        if (!keys_known) {
          error.Note(j, "a touch has a key outside the dictionary");
          continue;
        }
        sharer.Share(first, last, conversions, value);
      }
    }
  };
  if (workers <= 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
  }

  JourneyError first_error;
  for (JourneyError& error : errors) first_error.Note(error.journey, std::move(error.message));
  if (first_error.journey != std::numeric_limits<size_t>::max()) {
    return InvalidArgument(
        "journey " + std::to_string(first_error.journey) + ": " + first_error.message, "journeys");
  }

  Credit credit;
  credit.conversions.resize(keys);
  credit.revenue.resize(keys);
  for (size_t k = 0; k < keys; ++k) {
    KeyTotals sum;
    for (const std::vector<KeyTotals>& worker_totals : totals) {
      if (worker_totals.empty()) continue;
      sum.conversions.Add(worker_totals[k].conversions);
      sum.revenue.Add(worker_totals[k].revenue);
    }
    credit.conversions[k] = sum.conversions.Value();
    credit.revenue[k] = sum.revenue.Value();
  }
  return credit;
}

}  // namespace tutti::attribution
