// The Markov removal-effect model: chains worked by hand (two and three channels, a cycle,
// order 2 against order 1 on the same paths), repeats collapsing, channels seen only on paths
// that do not convert, errors, and random chains checked against a deliberately plain reference
// (its own chain builder and Gaussian elimination, one re-solve per removal) with both solvers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tutti/attribution/markov.h"
#include "tutti/attribution/models.h"
#include "unit/attribution_test_support.h"

namespace tutti::attribution {
namespace {

using test_support::MakeJourneys;
using test_support::PathRow;

double EffectOf(const Journeys& journeys, const RemovalEffects& effects, const std::string& key) {
  return effects.removal_effect[*journeys.keys.Find(key)];
}

RemovalEffects Effects(const Journeys& journeys, int order, ChainSolver solver) {
  Result<RemovalEffects> effects = ComputeRemovalEffects(journeys, order, 2, solver);
  EXPECT_TRUE(effects.ok()) << effects.status().ToString();
  return effects.ok() ? *effects : RemovalEffects{};
}

constexpr ChainSolver kSolvers[] = {ChainSolver::kDenseInverse, ChainSolver::kGaussSeidel};

std::string SolverName(ChainSolver solver) {
  return solver == ChainSolver::kDenseInverse ? "dense inverse" : "Gauss-Seidel";
}

// start → a (2), b (2); a → b (1), a → null (1); b → conversion (2), b → null (1).
// x_b = 2/3, x_a = 1/2 · 2/3 = 1/3, P = 1/2 · 1/3 + 1/2 · 2/3 = 1/2.
// Without a: P = 1/2 · 2/3 = 1/3, RE(a) = 1/3. Without b nothing converts: RE(b) = 1.
TEST(MarkovRemovalEffect, TwoChannelsWorkedByHand) {
  const Journeys journeys =
      MakeJourneys({{{"a", "b"}, 1, 10, 0}, {{"a"}, 0, 0, 1}, {{"b"}, 1, 20, 1}});
  for (ChainSolver solver : kSolvers) {
    SCOPED_TRACE(SolverName(solver));
    const RemovalEffects effects = Effects(journeys, 1, solver);
    EXPECT_EQ(effects.solver, solver);
    EXPECT_EQ(effects.states, 3u);
    EXPECT_NEAR(effects.conversion_probability, 0.5, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "a"), 1.0 / 3, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "b"), 1.0, 1e-12);
  }
  Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
  ASSERT_TRUE(credit.ok()) << credit.status().ToString();
  // Shares 1/3 : 1 = 1/4 : 3/4 of 2 conversions and 30 of revenue.
  EXPECT_NEAR(credit->conversions[*journeys.keys.Find("a")], 0.5, 1e-12);
  EXPECT_NEAR(credit->conversions[*journeys.keys.Find("b")], 1.5, 1e-12);
  EXPECT_NEAR(credit->revenue[*journeys.keys.Find("a")], 7.5, 1e-12);
  EXPECT_NEAR(credit->revenue[*journeys.keys.Find("b")], 22.5, 1e-12);
}

// A cycle: a → b → a. start → a (1), b (1); a → b 1/2, conversion 1/2; b → a 1/2, null 1/2.
// x_a = 1/2 + 1/2 x_b, x_b = 1/2 x_a: x_a = 2/3, x_b = 1/3, P = 1/2.
// Without a: P = 0, RE(a) = 1. Without b: x_a = 1/2, P = 1/4, RE(b) = 1/2.
TEST(MarkovRemovalEffect, CycleWorkedByHand) {
  const Journeys journeys = MakeJourneys({{{"a", "b", "a"}, 1, 0, 0}, {{"b"}, 0, 0, 1}});
  for (ChainSolver solver : kSolvers) {
    SCOPED_TRACE(SolverName(solver));
    const RemovalEffects effects = Effects(journeys, 1, solver);
    EXPECT_NEAR(effects.conversion_probability, 0.5, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "a"), 1.0, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "b"), 0.5, 1e-12);
  }
}

// Three channels, weights 2 + 2 + 2 + 1 = 7, conversions 3:
//   a > b > c (2 conversions), a > c (1 conversion, 1 null), b (2 nulls), c > a (1 null).
// start → a 4/7, b 2/7, c 1/7; a → b 2/5, c 2/5, null 1/5; b → c 1/2, null 1/2;
// c → conversion 3/5, null 1/5, a 1/5.
// x_a = 0.4 x_b + 0.4 x_c = 0.6 x_c, x_c = 0.6 + 0.2 x_a: x_c = 15/22, x_a = 9/22,
// x_b = 15/44, P = (4 · 9/22 + 2 · 15/44 + 15/22) / 7 = 3/7.
// Without a: x_c = 3/5, x_b = 3/10, P = 1.2/7, RE(a) = 3/5.
// Without b: x_c = 0.6 + 0.08 x_c = 15/23, x_a = 6/23, P = 39/161, RE(b) = 10/23.
// Without c: RE(c) = 1.
TEST(MarkovRemovalEffect, ThreeChannelsWorkedByHand) {
  const Journeys journeys = MakeJourneys({{{"a", "b", "c"}, 2, 200, 0},
                                          {{"a", "c"}, 1, 100, 1},
                                          {{"b"}, 0, 0, 2},
                                          {{"c", "a"}, 0, 0, 1}});
  for (ChainSolver solver : kSolvers) {
    SCOPED_TRACE(SolverName(solver));
    const RemovalEffects effects = Effects(journeys, 1, solver);
    EXPECT_NEAR(effects.conversion_probability, 3.0 / 7, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "a"), 0.6, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "b"), 10.0 / 23, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, effects, "c"), 1.0, 1e-12);
  }
  Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
  ASSERT_TRUE(credit.ok());
  const double total_effect = 0.6 + 10.0 / 23 + 1;
  EXPECT_NEAR(credit->conversions[*journeys.keys.Find("a")], 3 * 0.6 / total_effect, 1e-12);
  EXPECT_NEAR(credit->conversions[*journeys.keys.Find("b")], 3 * (10.0 / 23) / total_effect, 1e-12);
  EXPECT_NEAR(credit->revenue[*journeys.keys.Find("c")], 300 / total_effect, 1e-12);
}

// a > c converts, b > c does not, a > b > a does not. Order 1 forgets where c came from; order 2
// remembers. Order 1 (by hand): x_c = 1/2, x_a = 3/10, x_b = 2/5, P = 1/3; RE(a) = 3/4,
// RE(b) = 2/3, RE(c) = 1. Order 2: states (a) (b) (a,c) (b,c) (a,b) (b,a); only (a,c)
// converts: x_(a) = 1/2, P = 2/3 · 1/2 = 1/3; without a nothing converts (RE 1), without b
// (a) still converts half the time (RE 0), without c nothing converts (RE 1).
TEST(MarkovRemovalEffect, OrderTwoRemembersWhereAChannelCameFrom) {
  const Journeys journeys =
      MakeJourneys({{{"a", "c"}, 1, 0, 0}, {{"b", "c"}, 0, 0, 1}, {{"a", "b", "a"}, 0, 0, 1}});
  for (ChainSolver solver : kSolvers) {
    SCOPED_TRACE(SolverName(solver));
    const RemovalEffects first = Effects(journeys, 1, solver);
    EXPECT_NEAR(first.conversion_probability, 1.0 / 3, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, first, "a"), 0.75, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, first, "b"), 2.0 / 3, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, first, "c"), 1.0, 1e-12);

    const RemovalEffects second = Effects(journeys, 2, solver);
    EXPECT_EQ(second.states, 7u);  // the start and six tuples
    EXPECT_NEAR(second.conversion_probability, 1.0 / 3, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, second, "a"), 1.0, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, second, "b"), 0.0, 1e-12);
    EXPECT_NEAR(EffectOf(journeys, second, "c"), 1.0, 1e-12);
  }
}

TEST(MarkovRemovalEffect, ConsecutiveRepeatsCollapseIntoOneState) {
  const Journeys plain =
      MakeJourneys({{{"a", "b"}, 1, 0, 0}, {{"b", "a", "c"}, 0, 0, 2}, {{"c", "b"}, 3, 0, 1}});
  const Journeys repeated = MakeJourneys({{{"a", "a", "b", "b", "b"}, 1, 0, 0},
                                          {{"b", "a", "a", "c", "c"}, 0, 0, 2},
                                          {{"c", "c", "b"}, 3, 0, 1}});
  for (int order = 1; order <= 4; ++order) {
    const RemovalEffects expected = Effects(plain, order, ChainSolver::kAutomatic);
    const RemovalEffects actual = Effects(repeated, order, ChainSolver::kAutomatic);
    EXPECT_EQ(actual.states, expected.states);
    EXPECT_DOUBLE_EQ(actual.conversion_probability, expected.conversion_probability);
    for (const char* key : {"a", "b", "c"}) {
      EXPECT_DOUBLE_EQ(EffectOf(repeated, actual, key), EffectOf(plain, expected, key))
          << "order " << order << " key " << key;
    }
  }
}

TEST(MarkovRemovalEffect, ChannelOnlyOnPathsThatEndInNullGetsNothing) {
  const Journeys journeys =
      MakeJourneys({{{"a"}, 2, 0, 1}, {{"a", "z"}, 0, 0, 3}, {{"z"}, 0, 0, 1}});
  Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
  ASSERT_TRUE(credit.ok());
  EXPECT_EQ(credit->conversions[*journeys.keys.Find("z")], 0.0);
  EXPECT_NEAR(credit->conversions[*journeys.keys.Find("a")], 2.0, 1e-12);
}

// The chain is memoryless: z only ever led to a null, but it feeds a, which converts half the
// time, so removing z loses conversions. ChannelAttribution's chain gives the same. start → z
// 1/2, a 1/2; z → a; a → conversion 1/2: P = 1/2, without z P = 1/4, RE(z) = 1/2.
TEST(MarkovRemovalEffect, ChannelOnlyOnNullPathsStillCountsWhenItLeadsIntoConvertingStates) {
  const Journeys journeys = MakeJourneys({{{"z", "a"}, 0, 0, 1}, {{"a"}, 1, 0, 0}});
  const RemovalEffects effects = Effects(journeys, 1, ChainSolver::kAutomatic);
  EXPECT_NEAR(EffectOf(journeys, effects, "z"), 0.5, 1e-12);
  EXPECT_NEAR(EffectOf(journeys, effects, "a"), 1.0, 1e-12);
}

TEST(MarkovRemovalEffect, NoConversionsMeansNoCredit) {
  const Journeys journeys = MakeJourneys({{{"a", "b"}, 0, 0, 4}, {{"b"}, 0, 0, 1}});
  const RemovalEffects effects = Effects(journeys, 1, ChainSolver::kAutomatic);
  EXPECT_EQ(effects.conversion_probability, 0.0);
  Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
  ASSERT_TRUE(credit.ok());
  EXPECT_EQ(credit->conversions, std::vector<double>(2, 0.0));
  EXPECT_EQ(credit->revenue, std::vector<double>(2, 0.0));
}

TEST(MarkovRemovalEffect, WeightlessJourneysAndUnusedKeysAreIgnored) {
  Journeys journeys = MakeJourneys({{{"a", "b"}, 1, 5, 1}, {{"c"}, 0, 0, 0}, {{}, 0, 0, 0}});
  journeys.keys.Intern("never_touched");
  Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
  ASSERT_TRUE(credit.ok()) << credit.status().ToString();
  ASSERT_EQ(credit->conversions.size(), 4u);
  EXPECT_EQ(credit->conversions[*journeys.keys.Find("c")], 0.0);
  EXPECT_EQ(credit->conversions[*journeys.keys.Find("never_touched")], 0.0);
  EXPECT_NEAR(credit->conversions[0] + credit->conversions[1], 1.0, 1e-12);
}

TEST(MarkovRemovalEffect, RefusesWhatItCannotWeigh) {
  auto refusal = [](const Journeys& journeys, int order) {
    Result<RemovalEffects> effects = ComputeRemovalEffects(journeys, order, 1);
    EXPECT_FALSE(effects.ok());
    EXPECT_EQ(effects.status().code(), StatusCode::kInvalidArgument);
    return effects.status();
  };
  const Journeys good = MakeJourneys({{{"a"}, 1, 0, 0}});
  EXPECT_EQ(refusal(good, 0).field(), "order");
  EXPECT_EQ(refusal(good, 5).field(), "order");
  EXPECT_EQ(refusal(MakeJourneys({{{"a"}, -1, 0, 0}}), 1).field(), "conversions");
  EXPECT_EQ(refusal(MakeJourneys({{{"a"}, NAN, 0, 0}}), 1).field(), "conversions");
  EXPECT_EQ(refusal(MakeJourneys({{{"a"}, 1, 0, INFINITY}}), 2).field(), "nulls");
  const Status empty = refusal(MakeJourneys({{{"a"}, 1, 0, 0}, {{}, 1, 0, 0}}), 1);
  EXPECT_EQ(empty.field(), "touch_key");
  EXPECT_NE(empty.message().find("journey 1"), std::string::npos) << empty.message();
  Journeys bad_key = good;
  bad_key.touch_key[0] = 7;
  EXPECT_EQ(refusal(bad_key, 1).field(), "touch_key");
  EXPECT_EQ(refusal(bad_key, 3).field(), "touch_key");
  Journeys short_columns = good;
  short_columns.nulls.clear();
  EXPECT_EQ(refusal(short_columns, 1).field(), "journeys");
  ModelOptions options{.model = Model::kMarkov, .markov_order = 9};
  EXPECT_EQ(AttributeMarkov(good, options).status().field(), "order");
}

// ---- Randomised comparison with a plain reference -------------------------------------------

// The chain built the obvious way: states are vectors of keys in a std::map, and P(conversion)
// with a set of keys removed comes from Gaussian elimination with partial pivoting on the
// states that survive.
class ReferenceChain {
 public:
  ReferenceChain(const Journeys& journeys, int order) {
    Id({});  // the start
    for (size_t j = 0; j < journeys.size(); ++j) {
      const double weight = journeys.conversions[j] + journeys.nulls[j];
      if (weight == 0) continue;
      std::vector<uint32_t> collapsed;
      for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
        if (collapsed.empty() || collapsed.back() != journeys.touch_key[t]) {
          collapsed.push_back(journeys.touch_key[t]);
        }
      }
      size_t from = 0;
      for (size_t i = 0; i < collapsed.size(); ++i) {
        const size_t first = i + 1 >= static_cast<size_t>(order) ? i + 1 - order : 0;
        const size_t to =
            Id(std::vector<uint32_t>(collapsed.begin() + first, collapsed.begin() + i + 1));
        weights_[from][to] += weight;
        from = to;
      }
      conversions_[from] += journeys.conversions[j];
      nulls_[from] += journeys.nulls[j];
    }
  }

  size_t states() const { return tuples_.size(); }

  double ConversionProbability(uint32_t removed_key, bool remove) const {
    const size_t m = tuples_.size();
    std::vector<size_t> alive;
    for (size_t s = 0; s < m; ++s) {
      const bool holds =
          std::find(tuples_[s].begin(), tuples_[s].end(), removed_key) != tuples_[s].end();
      if (!(remove && holds)) alive.push_back(s);
    }
    std::vector<size_t> index(m, SIZE_MAX);
    for (size_t i = 0; i < alive.size(); ++i) index[alive[i]] = i;
    const size_t n = alive.size();
    // Rows are added one by one: with vector(n, row), GCC 12 at -O3 believes the allocation can
    // exceed any object's size and refuses to compile (-Walloc-size-larger-than).
    std::vector<std::vector<double>> a;
    for (size_t i = 0; i < n; ++i) a.emplace_back(n + 1, 0.0);
    for (size_t i = 0; i < n; ++i) {
      const size_t s = alive[i];
      double out = conversions_.count(s) ? conversions_.at(s) : 0.0;
      out += nulls_.count(s) ? nulls_.at(s) : 0.0;
      if (weights_.count(s)) {
        for (const auto& [to, w] : weights_.at(s)) out += w;
      }
      a[i][i] = 1;
      a[i][n] = conversions_.count(s) ? conversions_.at(s) / out : 0.0;
      if (weights_.count(s)) {
        for (const auto& [to, w] : weights_.at(s)) {
          if (index[to] != SIZE_MAX) a[i][index[to]] -= w / out;
        }
      }
    }
    for (size_t col = 0; col < n; ++col) {
      size_t best = col;
      for (size_t r = col + 1; r < n; ++r) {
        if (std::abs(a[r][col]) > std::abs(a[best][col])) best = r;
      }
      std::swap(a[col], a[best]);
      for (size_t r = 0; r < n; ++r) {
        if (r == col || a[r][col] == 0) continue;
        const double factor = a[r][col] / a[col][col];
        for (size_t c = col; c <= n; ++c) a[r][c] -= factor * a[col][c];
      }
    }
    return index[0] == SIZE_MAX ? 0.0 : a[index[0]][n] / a[index[0]][index[0]];
  }

 private:
  size_t Id(const std::vector<uint32_t>& tuple) {
    auto [it, inserted] = ids_.emplace(tuple, tuples_.size());
    if (inserted) tuples_.push_back(tuple);
    return it->second;
  }

  std::map<std::vector<uint32_t>, size_t> ids_;
  std::vector<std::vector<uint32_t>> tuples_;
  std::map<size_t, std::map<size_t, double>> weights_;
  std::map<size_t, double> conversions_, nulls_;
};

Journeys RandomJourneys(std::mt19937_64& rng, size_t keys, size_t count, size_t max_length) {
  std::vector<PathRow> rows;
  std::uniform_int_distribution<size_t> key(0, keys - 1), length(1, max_length);
  std::uniform_int_distribution<int> small(0, 3);
  for (size_t j = 0; j < count; ++j) {
    PathRow row;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) row.path.push_back("k" + std::to_string(key(rng)));
    row.conversions = small(rng);
    row.nulls = small(rng);
    if (row.conversions + row.nulls == 0) row.nulls = 1;
    row.value = row.conversions * 12.5;
    rows.push_back(row);
  }
  return MakeJourneys(rows);
}

// Order 1 counts into a dense matrix up to 1 024 keys and into a hash table beyond; both must
// build the same chain.
TEST(MarkovRemovalEffect, LargeDictionariesCountTheSameChain) {
  std::mt19937_64 rng(8);
  const Journeys small = RandomJourneys(rng, 6, 300, 6);
  Journeys large = small;
  for (int k = 0; k < 1100; ++k) large.keys.Intern("unused" + std::to_string(k));
  for (int order : {1, 2}) {
    const RemovalEffects expected = Effects(small, order, ChainSolver::kAutomatic);
    const RemovalEffects actual = Effects(large, order, ChainSolver::kAutomatic);
    EXPECT_EQ(actual.states, expected.states);
    EXPECT_EQ(actual.conversion_probability, expected.conversion_probability);
    for (uint32_t key = 0; key < small.keys.size(); ++key) {
      EXPECT_NEAR(actual.removal_effect[key], expected.removal_effect[key], 1e-15);
    }
    for (uint32_t key = static_cast<uint32_t>(small.keys.size()); key < large.keys.size(); ++key) {
      EXPECT_EQ(actual.removal_effect[key], 0.0);
    }
  }
  Journeys huge = small;
  for (int k = 0; k < 70000; ++k) huge.keys.Intern("k" + std::to_string(k + 100));
  Result<RemovalEffects> refused = ComputeRemovalEffects(huge, 2, 1);
  EXPECT_EQ(refused.status().field(), "order");
  EXPECT_TRUE(ComputeRemovalEffects(huge, 1, 1).ok());
}

TEST(MarkovRemovalEffect, MatchesPlainGaussianEliminationOnRandomChains) {
  std::mt19937_64 rng(20260601);
  for (int trial = 0; trial < 24; ++trial) {
    const int order = 1 + trial % 3;
    const size_t keys = 2 + static_cast<size_t>(trial) % 4;
    const Journeys journeys = RandomJourneys(rng, keys, 10 + static_cast<size_t>(trial) * 3, 6);
    const ReferenceChain reference(journeys, order);
    const double p = reference.ConversionProbability(0, false);
    double conversions = 0, weight = 0;
    for (size_t j = 0; j < journeys.size(); ++j) {
      conversions += journeys.conversions[j];
      weight += journeys.conversions[j] + journeys.nulls[j];
    }
    ASSERT_NEAR(p, conversions / weight, 1e-12);  // flow conservation
    for (ChainSolver solver : kSolvers) {
      SCOPED_TRACE("trial " + std::to_string(trial) + ", order " + std::to_string(order) + ", " +
                   SolverName(solver));
      const RemovalEffects effects = Effects(journeys, order, solver);
      EXPECT_EQ(effects.states, reference.states());
      EXPECT_NEAR(effects.conversion_probability, p, 1e-12);
      for (uint32_t key = 0; key < journeys.keys.size(); ++key) {
        const double expected = 1 - reference.ConversionProbability(key, true) / p;
        EXPECT_NEAR(effects.removal_effect[key], expected, 1e-12) << journeys.keys.Name(key);
      }
    }
  }
}

// A chain that almost never absorbs: 400 alternations of a and b before converting. Gauss–Seidel
// needs many sweeps; both solvers must still agree with the reference to 1e-12.
TEST(MarkovRemovalEffect, SolversAgreeOnAChainThatAlmostNeverAbsorbs) {
  std::vector<std::string> long_path;
  for (int i = 0; i < 400; ++i) long_path.push_back(i % 2 ? "b" : "a");
  const Journeys journeys =
      MakeJourneys({{long_path, 3, 0, 0}, {{"b", "c"}, 0, 0, 1}, {{"c", "a"}, 1, 0, 0}});
  const ReferenceChain reference(journeys, 1);
  const double p = reference.ConversionProbability(0, false);
  for (ChainSolver solver : kSolvers) {
    SCOPED_TRACE(SolverName(solver));
    const RemovalEffects effects = Effects(journeys, 1, solver);
    EXPECT_NEAR(effects.conversion_probability, p, 1e-12);
    for (uint32_t key = 0; key < journeys.keys.size(); ++key) {
      EXPECT_NEAR(effects.removal_effect[key], 1 - reference.ConversionProbability(key, true) / p,
                  1e-12);
    }
  }
}

TEST(MarkovRemovalEffect, LargeChainsUseGaussSeidelAndStillShareEveryConversion) {
  std::mt19937_64 rng(7);
  const Journeys journeys = RandomJourneys(rng, 12, 3000, 8);
  const RemovalEffects effects = Effects(journeys, 3, ChainSolver::kAutomatic);
  EXPECT_GT(effects.states, kDenseInverseStateLimit);
  EXPECT_EQ(effects.solver, ChainSolver::kGaussSeidel);
  double conversions = 0, weight = 0, value = 0;
  for (size_t j = 0; j < journeys.size(); ++j) {
    conversions += journeys.conversions[j];
    weight += journeys.conversions[j] + journeys.nulls[j];
    value += journeys.value[j];
  }
  EXPECT_NEAR(effects.conversion_probability, conversions / weight, 1e-14);
  ModelOptions options{.model = Model::kMarkov, .markov_order = 3};
  Result<Credit> credit = AttributeMarkov(journeys, options);
  ASSERT_TRUE(credit.ok());
  EXPECT_NEAR(std::accumulate(credit->conversions.begin(), credit->conversions.end(), 0.0),
              conversions, 1e-9);
  EXPECT_NEAR(std::accumulate(credit->revenue.begin(), credit->revenue.end(), 0.0), value, 1e-9);
}

TEST(MarkovRemovalEffect, SameResultOnAnyNumberOfThreads) {
  std::mt19937_64 rng(99);
  Journeys journeys = RandomJourneys(rng, 6, 20000, 5);
  // Fractional counts, whose floating-point sums would depend on the order of addition.
  for (double& c : journeys.conversions) c *= 0.1;
  for (double& n : journeys.nulls) n /= 3;
  for (int order : {1, 2}) {
    Result<RemovalEffects> one = ComputeRemovalEffects(journeys, order, 1);
    ASSERT_TRUE(one.ok());
    for (int threads : {2, 3, 8}) {
      Result<RemovalEffects> many = ComputeRemovalEffects(journeys, order, threads);
      ASSERT_TRUE(many.ok());
      // Weights are summed as integers, so the split cannot change a bit.
      EXPECT_EQ(many->removal_effect, one->removal_effect) << threads << " threads";
      EXPECT_EQ(many->conversion_probability, one->conversion_probability);
    }
  }
}

TEST(MarkovRemovalEffect, CreditsSumToTheConversionsForEveryOrder) {
  std::mt19937_64 rng(3);
  const Journeys journeys = RandomJourneys(rng, 5, 200, 7);
  const double conversions =
      std::accumulate(journeys.conversions.begin(), journeys.conversions.end(), 0.0);
  for (int order = 1; order <= 4; ++order) {
    ModelOptions options{.model = Model::kMarkov, .markov_order = order};
    Result<Credit> credit = Attribute(journeys, options);
    ASSERT_TRUE(credit.ok()) << credit.status().ToString();
    EXPECT_NEAR(std::accumulate(credit->conversions.begin(), credit->conversions.end(), 0.0),
                conversions, 1e-9)
        << "order " << order;
    for (double c : credit->conversions) EXPECT_GE(c, 0.0);
  }
}

}  // namespace
}  // namespace tutti::attribution
