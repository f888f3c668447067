// AttributeMarkov (models.h) and ComputeRemovalEffects (markov.h). Thread-safe: re-entrant; the
// counting pass and the removals run on up to `threads` threads of their own.
//
// Three steps (docs/attribution.md, "Markov removal effect"):
//   1. Count transitions. Order 1 with up to kDenseCountKeyLimit keys counts into a dense
//      (keys + 1) × keys matrix, which keeps the 46 M touches of the benchmark file to a few tens
//      of milliseconds; higher orders count into an open-addressing table keyed by (tuple code,
//      next key). Journeys are split by touch count across threads, each with its own counts,
//      summed exactly (as integers) at the end.
//   2. Compact the counts into a chain: transient states (start = 0) in CSR form with transition
//      probabilities, plus each state's probabilities of converting or ending next.
//   3. Solve. Small chains (the usual case: 16 channels give 17 states at order 1, at most 257
//      at order 2) factorise I − Q once; removing key c turns the states S holding c into null,
//      and by the block inverse P(conversion | c removed) = x₀ − N₀,S · N_S,S⁻¹ · x_S, so all
//      removals cost one factorisation. Large chains (orders 3 and 4) run a bracketed
//      Gauss–Seidel per key instead, in parallel over keys.
#include "tutti/attribution/markov.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tutti/attribution/models.h"

namespace tutti::attribution {
namespace {

constexpr size_t kDenseCountKeyLimit = 1024;
constexpr size_t kMaxTupleKeys = 65535;
constexpr size_t kNoJourney = std::numeric_limits<size_t>::max();

// Pseudo-keys of the transition table for the two absorbing states; real keys stay below them
// (ComputeRemovalEffects refuses dictionaries that large).
constexpr uint32_t kEmptySlot = UINT32_MAX;
constexpr uint32_t kToConversion = UINT32_MAX - 1;
constexpr uint32_t kToNull = UINT32_MAX - 2;

// The tuple of the last `order` keys packed into 64 bits, newest in the low bits: one 32-bit
// field at order 1 (any key id), 16-bit fields above. A field holds key + 1 and 0 means "no key
// yet", so the start state is code 0 and shorter tuples at the start of a path stay distinct.
class TupleCode {
 public:
  explicit TupleCode(int order)
      : order_(order),
        width_(order == 1 ? 32 : 16),
        mask_(order * width_ >= 64 ? ~uint64_t{0} : (uint64_t{1} << (order * width_)) - 1) {}

  uint64_t Next(uint64_t code, uint32_t key) const {
    return ((code << width_) | (uint64_t{key} + 1)) & mask_;
  }

  // The distinct keys of the tuple, appended to `out`.
  void AppendKeys(uint64_t code, std::vector<uint32_t>& out) const {
    const size_t first = out.size();
    const uint64_t field_mask = (uint64_t{1} << width_) - 1;
    for (int i = 0; i < order_; ++i) {
      const uint64_t field = (code >> (width_ * i)) & field_mask;
      if (field == 0) break;
      const auto key = static_cast<uint32_t>(field - 1);
      if (std::find(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), key) ==
          out.end()) {
        out.push_back(key);
      }
    }
  }

 private:
  int order_;
  int width_;
  uint64_t mask_;
};

struct RawEdge {
  uint64_t from, to;
  WeightUnits weight;
};
struct RawExit {
  uint64_t code;
  WeightUnits conversions, nulls;
};
// Transition weights keyed by tuple codes, before states are numbered.
struct RawCounts {
  std::vector<RawEdge> edges;
  std::vector<RawExit> exits;
  size_t bad_journey = kNoJourney;  // the first journey the counting refused, if any
};

// (tuple code, next key) -> weight, open addressing. The absorbing states are the pseudo-keys
// kToConversion and kToNull.
class TransitionTable {
 public:
  TransitionTable() : entries_(1024) {}

  void Add(uint64_t from, uint32_t key, WeightUnits weight) {
    const size_t mask = entries_.size() - 1;
    for (size_t index = Hash(from, key) & mask;; index = (index + 1) & mask) {
      Entry& entry = entries_[index];
      if (entry.key == key && entry.from == from) {
        entry.weight += weight;
        return;
      }
      if (entry.key == kEmptySlot) {
        entry = Entry{from, key, weight};
        if (++used_ * 2 > entries_.size()) Grow();
        return;
      }
    }
  }

  void MergeInto(TransitionTable& total) const {
    for (const Entry& entry : entries_) {
      if (entry.key != kEmptySlot) total.Add(entry.from, entry.key, entry.weight);
    }
  }

  void AppendTo(const TupleCode& coder, RawCounts& counts) const {
    for (const Entry& entry : entries_) {
      if (entry.key == kEmptySlot) continue;
      if (entry.key == kToConversion) {
        counts.exits.push_back({entry.from, entry.weight, 0});
      } else if (entry.key == kToNull) {
        counts.exits.push_back({entry.from, 0, entry.weight});
      } else {
        counts.edges.push_back({entry.from, coder.Next(entry.from, entry.key), entry.weight});
      }
    }
  }

 private:
  struct Entry {
    uint64_t from = 0;
    uint32_t key = kEmptySlot;
    WeightUnits weight = 0;
  };

  static size_t Hash(uint64_t from, uint32_t key) {
    uint64_t x = from ^ (uint64_t{key} * 0x9E3779B97F4A7C15ull);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return static_cast<size_t>(x ^ (x >> 31));
  }

  void Grow() {
    std::vector<Entry> old(entries_.size() * 2);
    old.swap(entries_);
    used_ = 0;
    for (const Entry& entry : old) {
      if (entry.key != kEmptySlot) Add(entry.from, entry.key, entry.weight);
    }
  }

  std::vector<Entry> entries_;
  size_t used_ = 0;
};

// Walks journeys [begin, end) as the chain counts them: for each journey with weight,
// step(weight, key) for each touch once consecutive repeats collapse, then
// exit(conversions, nulls). Returns the first journey that cannot be counted (JourneyWeight
// refuses it, or a touch key is not below `keys`), or kNoJourney; the walk stops there.
template <typename Step, typename Exit>
size_t WalkJourneys(const Journeys& journeys, size_t begin, size_t end, size_t keys,
                    const Step& step, const Exit& exit) {
  for (size_t j = begin; j < end; ++j) {
    if (JourneyWeight(journeys, j) < 0) return j;
    const WeightUnits conversions = ToWeightUnits(journeys.conversions[j]);
    const WeightUnits nulls = ToWeightUnits(journeys.nulls[j]);
    const WeightUnits weight = conversions + nulls;
    if (weight == 0) continue;  // also counts below 2^-49, which round to nothing
    uint32_t last_key = kEmptySlot;
    for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
      const uint32_t key = journeys.touch_key[t];
      if (key >= keys) return j;
      if (key == last_key) continue;  // repeats collapse into one state
      step(weight, key);
      last_key = key;
    }
    exit(conversions, nulls);
  }
  return kNoJourney;
}

// Order 1, few keys: state 0 is the start and state k + 1 is key k; transitions are a dense
// (keys + 1) × keys matrix, exits two vectors.
size_t CountOrderOneRange(const Journeys& journeys, size_t begin, size_t end, size_t keys,
                          std::vector<WeightUnits>& transitions,
                          std::vector<WeightUnits>& to_conversion,
                          std::vector<WeightUnits>& to_null) {
  size_t state = 0;
  return WalkJourneys(
      journeys, begin, end, keys,
      [&](WeightUnits weight, uint32_t key) {
        transitions[state * keys + key] += weight;
        state = key + size_t{1};
      },
      [&](WeightUnits conversions, WeightUnits nulls) {
        to_conversion[state] += conversions;
        to_null[state] += nulls;
        state = 0;
      });
}

size_t CountTuplesRange(const Journeys& journeys, size_t begin, size_t end, size_t keys,
                        const TupleCode& coder, TransitionTable& table) {
  uint64_t code = 0;
  return WalkJourneys(
      journeys, begin, end, keys,
      [&](WeightUnits weight, uint32_t key) {
        table.Add(code, key, weight);
        code = coder.Next(code, key);
      },
      [&](WeightUnits conversions, WeightUnits nulls) {
        if (conversions > 0) table.Add(code, kToConversion, conversions);
        if (nulls > 0) table.Add(code, kToNull, nulls);
        code = 0;
      });
}

RawCounts CountTransitions(const Journeys& journeys, int order, int threads) {
  const size_t keys = journeys.keys.size();
  const size_t parts = std::clamp<size_t>(journeys.size() / 4096, 1, static_cast<size_t>(threads));
  const std::vector<size_t> bounds = SliceByTouches(journeys, parts);
  std::vector<size_t> bad(parts, kNoJourney);
  RawCounts counts;
  if (order == 1 && keys <= kDenseCountKeyLimit) {
    std::vector<std::vector<WeightUnits>> transitions(parts), to_conversion(parts), to_null(parts);
    auto count = [&](size_t part) {
      transitions[part].assign((keys + 1) * keys, 0);
      to_conversion[part].assign(keys + 1, 0);
      to_null[part].assign(keys + 1, 0);
      bad[part] = CountOrderOneRange(journeys, bounds[part], bounds[part + 1], keys,
                                     transitions[part], to_conversion[part], to_null[part]);
    };
    std::vector<std::thread> workers;
    for (size_t part = 1; part < parts; ++part) workers.emplace_back(count, part);
    count(0);
    for (std::thread& worker : workers) worker.join();
    for (size_t part = 1; part < parts; ++part) {
      for (size_t i = 0; i < transitions[0].size(); ++i) transitions[0][i] += transitions[part][i];
      for (size_t s = 0; s <= keys; ++s) {
        to_conversion[0][s] += to_conversion[part][s];
        to_null[0][s] += to_null[part][s];
      }
    }
    for (size_t state = 0; state <= keys; ++state) {
      for (size_t key = 0; key < keys; ++key) {
        const WeightUnits weight = transitions[0][state * keys + key];
        if (weight > 0) counts.edges.push_back({state, key + uint64_t{1}, weight});
      }
      if (to_conversion[0][state] > 0 || to_null[0][state] > 0) {
        counts.exits.push_back({state, to_conversion[0][state], to_null[0][state]});
      }
    }
  } else {
    const TupleCode coder(order);
    std::vector<TransitionTable> tables(parts);
    auto count = [&](size_t part) {
      bad[part] =
          CountTuplesRange(journeys, bounds[part], bounds[part + 1], keys, coder, tables[part]);
    };
    std::vector<std::thread> workers;
    for (size_t part = 1; part < parts; ++part) workers.emplace_back(count, part);
    count(0);
    for (std::thread& worker : workers) worker.join();
    for (size_t part = 1; part < parts; ++part) tables[part].MergeInto(tables[0]);
    tables[0].AppendTo(coder, counts);
  }
  counts.bad_journey = *std::min_element(bad.begin(), bad.end());
  return counts;
}

// The absorbing chain over transient states; state 0 is the start.
struct Chain {
  size_t states = 0;
  std::vector<size_t> row_begin;  // successors of s: [row_begin[s], row_begin[s + 1])
  std::vector<uint32_t> successor;
  std::vector<double> probability;
  std::vector<double> to_conversion, to_null;  // probability of absorbing next
  std::vector<std::vector<uint32_t>> states_of_key;
  WeightUnits conversion_weight = 0;  // Σ conversions over counted journeys
};

Chain BuildChain(RawCounts& counts, const TupleCode& coder, size_t keys) {
  // Hash-table order depends on how the counting was split; sorted, every sum below adds its
  // terms in one order, so the result is the same bits on any number of threads.
  std::sort(counts.edges.begin(), counts.edges.end(), [](const RawEdge& a, const RawEdge& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  std::vector<uint64_t> codes{0};
  for (const RawEdge& edge : counts.edges) codes.push_back(edge.from);
  for (const RawExit& exit : counts.exits) codes.push_back(exit.code);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  auto id_of = [&](uint64_t code) {
    return static_cast<uint32_t>(std::lower_bound(codes.begin(), codes.end(), code) -
                                 codes.begin());
  };
  Chain chain;
  chain.states = codes.size();
  std::vector<WeightUnits> out_weight(chain.states, 0), conversion_weight(chain.states, 0),
      null_weight(chain.states, 0);
  chain.row_begin.assign(chain.states + 1, 0);
  for (const RawEdge& edge : counts.edges) {
    const uint32_t from = id_of(edge.from);
    out_weight[from] += edge.weight;
    ++chain.row_begin[from + 1];
  }
  for (const RawExit& exit : counts.exits) {
    const uint32_t state = id_of(exit.code);
    conversion_weight[state] += exit.conversions;
    null_weight[state] += exit.nulls;
  }
  for (size_t s = 0; s < chain.states; ++s) {
    out_weight[s] += conversion_weight[s] + null_weight[s];
    chain.row_begin[s + 1] += chain.row_begin[s];
    chain.conversion_weight += conversion_weight[s];
  }
  chain.successor.resize(counts.edges.size());
  chain.probability.resize(counts.edges.size());
  std::vector<size_t> next(chain.row_begin.begin(), chain.row_begin.end() - 1);
  for (const RawEdge& edge : counts.edges) {
    const uint32_t from = id_of(edge.from);
    const size_t slot = next[from]++;
    chain.successor[slot] = id_of(edge.to);
    chain.probability[slot] = FromWeightUnits(edge.weight) / FromWeightUnits(out_weight[from]);
  }
  chain.to_conversion.resize(chain.states);
  chain.to_null.resize(chain.states);
  chain.states_of_key.resize(keys);
  std::vector<uint32_t> tuple_keys;
  for (size_t s = 0; s < chain.states; ++s) {
    // A state with no weight out cannot occur (every state entered is left), but the start of
    // journeys that were all weightless has none.
    if (out_weight[s] > 0) {
      chain.to_conversion[s] =
          FromWeightUnits(conversion_weight[s]) / FromWeightUnits(out_weight[s]);
      chain.to_null[s] = FromWeightUnits(null_weight[s]) / FromWeightUnits(out_weight[s]);
    }
    tuple_keys.clear();
    coder.AppendKeys(codes[s], tuple_keys);
    for (uint32_t key : tuple_keys) chain.states_of_key[key].push_back(static_cast<uint32_t>(s));
  }
  return chain;
}

// Runs `work(i)` for i in [0, count) on up to `threads` threads.
template <typename Work>
void ParallelFor(size_t count, int threads, Work work) {
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::thread> workers;
  const size_t extra = std::min(count, static_cast<size_t>(threads)) - (count > 0 ? 1 : 0);
  for (size_t w = 0; w < extra; ++w) workers.emplace_back(run);
  run();
  for (std::thread& worker : workers) worker.join();
}

// ---- Dense inverse solver -----------------------------------------------------------------

// LU factors of A = I − Q (row-major m × m) computed without subtraction where it matters:
// Grassmann–Taksar–Heyman pivots. A is an M-matrix whose row sums are the probabilities of
// absorbing next; eliminating a state keeps that true for the remaining rows (the row sums only
// grow), so each pivot is recomputed as exit mass + Σ |off-diagonal| instead of 1 − Σ, and every
// entry of L, U and of the solutions below is a sum of non-negative terms: high relative
// accuracy however close to 1 the chain comes to cycling forever.
class GthFactors {
 public:
  explicit GthFactors(const Chain& chain) : m_(chain.states), lu_(m_ * m_, 0.0) {
    std::vector<double> exit_mass(m_);
    for (size_t s = 0; s < m_; ++s) {
      exit_mass[s] = chain.to_conversion[s] + chain.to_null[s];
      for (size_t e = chain.row_begin[s]; e < chain.row_begin[s + 1]; ++e) {
        lu_[s * m_ + chain.successor[e]] -= chain.probability[e];
      }
    }
    for (size_t p = 0; p < m_; ++p) {
      double* pivot_row = &lu_[p * m_];
      double pivot = exit_mass[p];
      for (size_t t = p + 1; t < m_; ++t) pivot -= pivot_row[t];
      pivot_row[p] = pivot;
      for (size_t r = p + 1; r < m_; ++r) {
        double* row = &lu_[r * m_];
        if (row[p] == 0) continue;
        const double factor = row[p] / pivot;  // <= 0
        row[p] = factor;
        for (size_t t = p + 1; t < m_; ++t) row[t] -= factor * pivot_row[t];
        exit_mass[r] -= factor * exit_mass[p];
      }
    }
  }

  // Solves A x = b in place; entries before `first_nonzero` of b are 0.
  void Solve(double* x, size_t first_nonzero = 0) const {
    for (size_t r = first_nonzero + 1; r < m_; ++r) {
      const double* row = &lu_[r * m_];
      double sum = x[r];
      for (size_t p = first_nonzero; p < r; ++p) sum -= row[p] * x[p];
      x[r] = sum;
    }
    for (size_t p = m_; p-- > 0;) {
      const double* row = &lu_[p * m_];
      double sum = x[p];
      for (size_t t = p + 1; t < m_; ++t) sum -= row[t] * x[t];
      x[p] = sum / row[p];
    }
  }

 private:
  size_t m_;
  std::vector<double> lu_;
};

// Gaussian elimination with partial pivoting on a small dense system (row-major n × n).
std::vector<double> SolveDense(std::vector<double> a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t best = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::abs(a[r * n + col]) > std::abs(a[best * n + col])) best = r;
    }
    if (best != col) {
      for (size_t t = 0; t < n; ++t) std::swap(a[col * n + t], a[best * n + t]);
      std::swap(b[col], b[best]);
    }
    for (size_t r = col + 1; r < n; ++r) {
      const double factor = a[r * n + col] / a[col * n + col];
      if (factor == 0) continue;
      for (size_t t = col; t < n; ++t) a[r * n + t] -= factor * a[col * n + t];
      b[r] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (size_t r = n; r-- > 0;) {
    double sum = b[r];
    for (size_t t = r + 1; t < n; ++t) sum -= a[r * n + t] * x[t];
    x[r] = sum / a[r * n + r];
  }
  return x;
}

void SolveByDenseInverse(const Chain& chain, int threads, RemovalEffects& effects) {
  const size_t m = chain.states;
  const GthFactors factors(chain);
  std::vector<double> absorption(chain.to_conversion);
  factors.Solve(absorption.data());
  // The inverse N = (I − Q)⁻¹ column by column: N[s][t] is the expected number of visits to t
  // starting from s. Row-major, so column j is scattered; each thread writes its own columns.
  std::vector<double> inverse(m * m);
  ParallelFor(m, m >= 128 ? threads : 1, [&](size_t j) {  // small chains: not worth a thread
    std::vector<double> column(m, 0.0);
    column[j] = 1;
    factors.Solve(column.data(), j);
    for (size_t i = 0; i < m; ++i) inverse[i * m + j] = column[i];
  });
  const double p_conversion = absorption[0];
  effects.conversion_probability = p_conversion;
  if (p_conversion <= 0) return;
  for (size_t key = 0; key < chain.states_of_key.size(); ++key) {
    const std::vector<uint32_t>& removed = chain.states_of_key[key];
    if (removed.empty()) continue;
    // The conversions that pass through S: by the block inverse,
    // x₀ − x₀' = N₀,S · N_S,S⁻¹ · x_S. For order 1 S is one state and this is
    // P(reach s) · P(convert from s) = N₀s / Nss · x_s, computed without subtraction.
    double lost = 0;
    if (removed.size() == 1) {
      const size_t s = removed[0];
      lost = inverse[s] / inverse[s * m + s] * absorption[s];
    } else {
      const size_t k = removed.size();
      std::vector<double> block(k * k), rhs(k);
      for (size_t row = 0; row < k; ++row) {
        rhs[row] = absorption[removed[row]];
        for (size_t col = 0; col < k; ++col) {
          block[row * k + col] = inverse[removed[row] * m + removed[col]];
        }
      }
      const std::vector<double> weights = SolveDense(std::move(block), std::move(rhs));
      for (size_t row = 0; row < k; ++row) lost += inverse[removed[row]] * weights[row];
    }
    effects.removal_effect[key] = std::clamp(lost / p_conversion, 0.0, 1.0);
  }
}

// ---- Gauss–Seidel solver ------------------------------------------------------------------

// The chain renumbered in depth-first post-order from the start, so that one Gauss–Seidel
// sweep visits successors before predecessors wherever the chain has no cycle (and the start
// last): information flows from the absorbing states back to the start in one sweep.
struct SweepOrder {
  std::vector<uint32_t> position;  // old id -> new id
  std::vector<size_t> row_begin;
  std::vector<uint32_t> successor;
  std::vector<double> probability, to_conversion;
  size_t start = 0;
};

SweepOrder OrderForSweeps(const Chain& chain) {
  const size_t m = chain.states;
  SweepOrder order;
  order.position.assign(m, UINT32_MAX);
  std::vector<uint32_t> post_order;
  post_order.reserve(m);
  std::vector<uint8_t> visited(m, 0);
  std::vector<std::pair<uint32_t, size_t>> stack{{0, chain.row_begin[0]}};
  visited[0] = 1;
  while (!stack.empty()) {
    auto& [state, edge] = stack.back();
    if (edge < chain.row_begin[state + 1]) {
      const uint32_t next = chain.successor[edge++];
      if (!visited[next]) {
        visited[next] = 1;
        stack.emplace_back(next, chain.row_begin[next]);
      }
    } else {
      post_order.push_back(state);
      stack.pop_back();
    }
  }
  // Every state lies on a path from the start; unreachable ones (none expected) go first.
  std::vector<uint32_t> sequence;
  for (uint32_t s = 0; s < m; ++s) {
    if (!visited[s]) sequence.push_back(s);
  }
  sequence.insert(sequence.end(), post_order.begin(), post_order.end());
  for (size_t i = 0; i < m; ++i) order.position[sequence[i]] = static_cast<uint32_t>(i);
  order.start = order.position[0];
  order.row_begin.push_back(0);
  order.to_conversion.resize(m);
  for (size_t i = 0; i < m; ++i) {
    const uint32_t s = sequence[i];
    for (size_t e = chain.row_begin[s]; e < chain.row_begin[s + 1]; ++e) {
      order.successor.push_back(order.position[chain.successor[e]]);
      order.probability.push_back(chain.probability[e]);
    }
    order.row_begin.push_back(order.successor.size());
    order.to_conversion[i] = chain.to_conversion[s];
  }
  return order;
}

// Gauss–Seidel for x = Q x + b on the states not removed (removed states stay 0), from `lower`
// (a subsolution, e.g. 0) and `upper` (a supersolution) at once. Q and b are non-negative, so
// both sequences are monotone and bracket the solution; the start's bracket is the error bound.
// Returns the sweeps taken, or -1 when kGaussSeidelSweepLimit passed first.
int SweepUntilBracketed(const SweepOrder& order, const std::vector<uint8_t>& removed,
                        std::vector<double>& lower, std::vector<double>& upper) {
  const size_t m = order.to_conversion.size();
  for (int sweep = 1; sweep <= kGaussSeidelSweepLimit; ++sweep) {
    bool changed = false;
    for (size_t s = 0; s < m; ++s) {
      if (removed[s]) continue;
      double low = order.to_conversion[s], high = low;
      for (size_t e = order.row_begin[s]; e < order.row_begin[s + 1]; ++e) {
        low += order.probability[e] * lower[order.successor[e]];
        high += order.probability[e] * upper[order.successor[e]];
      }
      changed |= low != lower[s] || high != upper[s];
      lower[s] = low;
      upper[s] = high;
    }
    const double gap = upper[order.start] - lower[order.start];
    if (!changed || gap <= kGaussSeidelTolerance * upper[order.start]) return sweep;
  }
  return -1;
}

Status SolveByGaussSeidel(const Chain& chain, int threads, RemovalEffects& effects) {
  const SweepOrder order = OrderForSweeps(chain);
  const size_t m = chain.states;
  std::vector<uint8_t> nothing_removed(m, 0);
  std::vector<double> lower(m, 0.0), upper(m, 1.0);
  int sweeps = SweepUntilBracketed(order, nothing_removed, lower, upper);
  const auto not_converged = [&] {
    return Status(StatusCode::kResourceExhausted,
                  "the Markov chain (" + std::to_string(m) + " states) did not converge within " +
                      std::to_string(kGaussSeidelSweepLimit) +
                      " sweeps: its paths almost never end; try a lower order",
                  "order", "not_converged");
  };
  if (sweeps < 0) return not_converged();
  const double p_conversion = 0.5 * (lower[order.start] + upper[order.start]);
  effects.conversion_probability = p_conversion;
  effects.sweeps = sweeps;
  if (p_conversion <= 0) return OkStatus();
  // With c removed the system only loses non-negative terms, so the full system's upper iterate
  // is a supersolution of every removed system: each removal starts bracketed from it.
  const std::vector<double>& supersolution = upper;
  std::vector<int> key_sweeps(chain.states_of_key.size(), 0);
  ParallelFor(chain.states_of_key.size(), threads, [&](size_t key) {
    const std::vector<uint32_t>& states = chain.states_of_key[key];
    if (states.empty()) return;
    std::vector<uint8_t> removed(m, 0);
    std::vector<double> low(m, 0.0), high(supersolution);
    for (uint32_t s : states) {
      removed[order.position[s]] = 1;
      high[order.position[s]] = 0;
    }
    key_sweeps[key] = SweepUntilBracketed(order, removed, low, high);
    const double p_removed = 0.5 * (low[order.start] + high[order.start]);
    effects.removal_effect[key] = std::clamp(1 - p_removed / p_conversion, 0.0, 1.0);
  });
  for (int taken : key_sweeps) {
    if (taken < 0) return not_converged();
    effects.sweeps = std::max(effects.sweeps, taken);
  }
  return OkStatus();
}

}  // namespace

Result<RemovalEffects> ComputeRemovalEffects(const Journeys& journeys, int order, int threads,
                                             ChainSolver solver) {
  if (order < 1 || order > 4) {
    return InvalidArgument(
        "Markov order " + std::to_string(order) + " is not supported; use 1 to 4", "order");
  }
  if (threads < 0) return InvalidArgument("threads must be 0 (all cores) or more", "threads");
  const size_t n = journeys.size();
  if (journeys.offsets.size() != n + 1 || journeys.value.size() != n ||
      journeys.nulls.size() != n) {
    return InvalidArgument("journeys: offsets, conversions, value and nulls disagree in length",
                           "journeys");
  }
  const size_t keys = journeys.keys.size();
  if (order > 1 && keys > kMaxTupleKeys) {
    return InvalidArgument("Markov order " + std::to_string(order) + " supports at most " +
                               std::to_string(kMaxTupleKeys) + " keys, not " + std::to_string(keys),
                           "order");
  }
  if (keys >= kToNull) return InvalidArgument("too many keys", "keys");
  const int thread_count = ResolveThreads(threads);
  RawCounts counts = CountTransitions(journeys, order, thread_count);
  if (counts.bad_journey != kNoJourney) return InvalidJourney(journeys, counts.bad_journey);
  const Chain chain = BuildChain(counts, TupleCode(order), keys);

  RemovalEffects effects;
  effects.removal_effect.assign(keys, 0.0);
  effects.states = chain.states;
  if (solver == ChainSolver::kAutomatic) {
    solver = chain.states <= kDenseInverseStateLimit ? ChainSolver::kDenseInverse
                                                     : ChainSolver::kGaussSeidel;
  }
  effects.solver = solver;
  // Nothing converts: P(conversion) = 0 and there is nothing to share.
  if (chain.conversion_weight <= 0) return effects;
  if (solver == ChainSolver::kDenseInverse) {
    SolveByDenseInverse(chain, thread_count, effects);
  } else {
    TUTTI_RETURN_IF_ERROR(SolveByGaussSeidel(chain, thread_count, effects));
  }
  return effects;
}

Result<Credit> AttributeMarkov(const Journeys& journeys, const ModelOptions& options) {
  TUTTI_ASSIGN_OR_RETURN(RemovalEffects effects,
                         ComputeRemovalEffects(journeys, options.markov_order, options.threads));
  Credit credit;
  credit.conversions.assign(journeys.keys.size(), 0.0);
  credit.revenue.assign(journeys.keys.size(), 0.0);
  double total_effect = 0;
  for (double effect : effects.removal_effect) total_effect += effect;
  if (total_effect <= 0) return credit;
  double total_conversions = 0, total_value = 0;
  for (size_t j = 0; j < journeys.size(); ++j) {
    total_conversions += journeys.conversions[j];
    total_value += journeys.value[j];
  }
  for (size_t key = 0; key < journeys.keys.size(); ++key) {
    const double share = effects.removal_effect[key] / total_effect;
    credit.conversions[key] = share * total_conversions;
    credit.revenue[key] = share * total_value;
  }
  return credit;
}

}  // namespace tutti::attribution
