// The Shapley model: a game worked by hand, the axioms (efficiency, symmetry, null player),
// coalitions being sets (order and repeats do not matter), the 20-player limit, and random
// games checked against the closed form of this additive game, φ_i = Σ_{T ∋ i} r(T) / |T|.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tutti/attribution/models.h"
#include "unit/attribution_test_support.h"

namespace tutti::attribution {
namespace {

using test_support::MakeJourneys;
using test_support::PathRow;

Credit Shapley(const Journeys& journeys) {
  Result<Credit> credit = AttributeShapley(journeys, ModelOptions{.model = Model::kShapley});
  EXPECT_TRUE(credit.ok()) << credit.status().ToString();
  return credit.ok() ? *credit : Credit{};
}

double Of(const Journeys& journeys, const std::vector<double>& credit, const std::string& key) {
  return credit[*journeys.keys.Find(key)];
}

// The closed form: each observed coalition T hands its rate r(T) out equally to its members,
// then credits are scaled so that they sum to the conversions.
Credit ClosedForm(const Journeys& journeys) {
  std::map<std::set<uint32_t>, std::pair<double, double>> counts;
  double conversions = 0, value = 0;
  for (size_t j = 0; j < journeys.size(); ++j) {
    conversions += journeys.conversions[j];
    value += journeys.value[j];
    std::set<uint32_t> coalition(journeys.touch_key.begin() + journeys.offsets[j],
                                 journeys.touch_key.begin() + journeys.offsets[j + 1]);
    counts[coalition].first += journeys.conversions[j];
    counts[coalition].second += journeys.nulls[j];
  }
  std::vector<double> phi(journeys.keys.size(), 0.0);
  for (const auto& [coalition, count] : counts) {
    const double total = count.first + count.second;
    if (total == 0) continue;
    for (uint32_t key : coalition)
      phi[key] += count.first / total / static_cast<double>(coalition.size());
  }
  const double sum = std::accumulate(phi.begin(), phi.end(), 0.0);
  Credit credit;
  for (double p : phi) {
    credit.conversions.push_back(sum > 0 ? p / sum * conversions : 0);
    credit.revenue.push_back(sum > 0 ? p / sum * value : 0);
  }
  return credit;
}

// r({a}) = 1/2, r({a,b}) = 1, r({b}) = 0: v(a) = 1/2, v(b) = 0, v(ab) = 3/2.
// φ_a = 1/2 · (1/2 − 0) + 1/2 · (3/2 − 0) = 1, φ_b = 1/2 · 0 + 1/2 · (3/2 − 1/2) = 1/2.
// Σφ = 3/2 = v(N). Three conversions: a 2, b 1; revenue 60: a 40, b 20.
TEST(ShapleyValue, TwoChannelGameWorkedByHand) {
  const Journeys journeys =
      MakeJourneys({{{"a"}, 1, 10, 1}, {{"a", "b"}, 2, 50, 0}, {{"b"}, 0, 0, 3}});
  const Credit credit = Shapley(journeys);
  EXPECT_NEAR(Of(journeys, credit.conversions, "a"), 2.0, 1e-12);
  EXPECT_NEAR(Of(journeys, credit.conversions, "b"), 1.0, 1e-12);
  EXPECT_NEAR(Of(journeys, credit.revenue, "a"), 40.0, 1e-12);
  EXPECT_NEAR(Of(journeys, credit.revenue, "b"), 20.0, 1e-12);
}

// Three channels: r(a) = 1, r(ab) = 1/2, r(abc) = 1/4 (observed twice, summed), r(c) = 0.
// Closed form φ_a = 1 + 1/4 + 1/12, φ_b = 1/4 + 1/12, φ_c = 1/12 (c alone never converts but
// shares in abc). Σφ = 1.75 = v(N).
TEST(ShapleyValue, ThreeChannelGameWorkedByHand) {
  const Journeys journeys = MakeJourneys({{{"a"}, 2, 0, 0},
                                          {{"a", "b"}, 1, 0, 1},
                                          {{"c", "b", "a"}, 1, 0, 1},
                                          {{"a", "b", "c"}, 0, 0, 2},
                                          {{"c"}, 0, 0, 5}});
  const Credit credit = Shapley(journeys);
  const double conversions = 4, total = 1.75;
  EXPECT_NEAR(Of(journeys, credit.conversions, "a"), conversions * (1 + 0.25 + 1.0 / 12) / total,
              1e-12);
  EXPECT_NEAR(Of(journeys, credit.conversions, "b"), conversions * (0.25 + 1.0 / 12) / total,
              1e-12);
  EXPECT_NEAR(Of(journeys, credit.conversions, "c"), conversions * (1.0 / 12) / total, 1e-12);
}

TEST(ShapleyValue, CoalitionsAreSetsSoOrderAndRepeatsDoNotMatter) {
  const Journeys plain = MakeJourneys({{{"a", "b"}, 1, 3, 1}, {{"b"}, 1, 2, 0}});
  const Journeys shuffled =
      MakeJourneys({{{"a", "b"}, 0, 0, 0}, {{"b", "a", "b", "b"}, 1, 3, 1}, {{"b", "b"}, 1, 2, 0}});
  const Credit expected = Shapley(plain);
  const Credit actual = Shapley(shuffled);
  for (const char* key : {"a", "b"}) {
    EXPECT_NEAR(Of(shuffled, actual.conversions, key), Of(plain, expected.conversions, key), 1e-12);
    EXPECT_NEAR(Of(shuffled, actual.revenue, key), Of(plain, expected.revenue, key), 1e-12);
  }
}

TEST(ShapleyValue, PlayersThatAlwaysAppearTogetherGetEqualCredit) {
  const Journeys journeys = MakeJourneys(
      {{{"a", "b"}, 3, 0, 1}, {{"b", "a", "c"}, 1, 0, 4}, {{"c"}, 2, 0, 2}, {{"a", "b"}, 1, 0, 0}});
  const Credit credit = Shapley(journeys);
  EXPECT_NEAR(Of(journeys, credit.conversions, "a"), Of(journeys, credit.conversions, "b"), 1e-12);
  EXPECT_GT(Of(journeys, credit.conversions, "c"), 0.0);
}

TEST(ShapleyValue, KeysThatNeverConvertAreNullPlayers) {
  Journeys journeys =
      MakeJourneys({{{"a"}, 1, 5, 1}, {{"a", "z"}, 0, 0, 3}, {{"z"}, 0, 0, 1}, {{"b"}, 1, 5, 0}});
  journeys.keys.Intern("untouched");
  const Credit credit = Shapley(journeys);
  ASSERT_EQ(credit.conversions.size(), 4u);
  EXPECT_EQ(Of(journeys, credit.conversions, "z"), 0.0);
  EXPECT_EQ(Of(journeys, credit.conversions, "untouched"), 0.0);
  // r(a) = 1/2, r(b) = 1: a gets 1/3 of the 2 conversions, b 2/3.
  EXPECT_NEAR(Of(journeys, credit.conversions, "a"), 2.0 / 3, 1e-12);
  EXPECT_NEAR(Of(journeys, credit.conversions, "b"), 4.0 / 3, 1e-12);
}

TEST(ShapleyValue, NoConversionsMeansNoCredit) {
  const Journeys journeys = MakeJourneys({{{"a", "b"}, 0, 0, 2}});
  const Credit credit = Shapley(journeys);
  EXPECT_EQ(credit.conversions, std::vector<double>(2, 0.0));
  EXPECT_EQ(credit.revenue, std::vector<double>(2, 0.0));
}

TEST(ShapleyValue, MatchesTheClosedFormOnRandomGames) {
  std::mt19937_64 rng(424242);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t keys = 1 + static_cast<size_t>(trial) % 12;
    std::uniform_int_distribution<size_t> key(0, keys - 1), length(1, 5);
    std::uniform_int_distribution<int> small(0, 4);
    std::vector<PathRow> rows;
    for (int j = 0; j < 60; ++j) {
      PathRow row;
      const size_t n = length(rng);
      for (size_t i = 0; i < n; ++i) row.path.push_back("k" + std::to_string(key(rng)));
      row.conversions = small(rng);
      row.nulls = small(rng);
      row.value = row.conversions * 3.25;
      rows.push_back(row);
    }
    const Journeys journeys = MakeJourneys(rows);
    const Credit credit = Shapley(journeys);
    const Credit expected = ClosedForm(journeys);
    const double conversions =
        std::accumulate(journeys.conversions.begin(), journeys.conversions.end(), 0.0);
    ASSERT_EQ(credit.conversions.size(), expected.conversions.size());
    for (size_t k = 0; k < expected.conversions.size(); ++k) {
      EXPECT_NEAR(credit.conversions[k], expected.conversions[k], 1e-12 * (1 + conversions))
          << "trial " << trial << " key " << journeys.keys.Name(static_cast<uint32_t>(k));
      EXPECT_NEAR(credit.revenue[k], expected.revenue[k], 1e-11 * (1 + conversions));
    }
    // Efficiency.
    EXPECT_NEAR(std::accumulate(credit.conversions.begin(), credit.conversions.end(), 0.0),
                conversions, 1e-9);
  }
}

// Twenty channels, every coalition of up to four observed: 2²⁰ coalitions × 20 players.
TEST(ShapleyValue, TwentyChannelsExactlyAndQuickly) {
  std::mt19937_64 rng(20);
  std::uniform_int_distribution<size_t> key(0, 19), length(1, 4);
  std::uniform_int_distribution<int> small(0, 3);
  std::vector<PathRow> rows;
  for (int j = 0; j < 5000; ++j) {
    PathRow row;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) row.path.push_back("c" + std::to_string(key(rng)));
    row.conversions = small(rng);
    row.nulls = small(rng);
    rows.push_back(row);
  }
  rows.push_back({{"c0",  "c1",  "c2",  "c3",  "c4",  "c5",  "c6",  "c7",  "c8",  "c9",
                   "c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17", "c18", "c19"},
                  1,
                  0,
                  0});
  const Journeys journeys = MakeJourneys(rows);
  const auto start = std::chrono::steady_clock::now();
  const Credit credit = Shapley(journeys);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 30.0);  // generous: a sanitizer build; Release takes well under a second
  const Credit expected = ClosedForm(journeys);
  for (size_t k = 0; k < 20; ++k) {
    EXPECT_NEAR(credit.conversions[k], expected.conversions[k], 1e-9);
  }
}

TEST(ShapleyValue, RefusesMoreThanTwentyConvertingKeys) {
  std::vector<PathRow> rows;
  for (int k = 0; k < 21; ++k) rows.push_back({{"c" + std::to_string(k)}, 1, 0, 0});
  Result<Credit> credit =
      AttributeShapley(MakeJourneys(rows), ModelOptions{.model = Model::kShapley});
  ASSERT_FALSE(credit.ok());
  EXPECT_EQ(credit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(credit.status().field(), "model");
  EXPECT_NE(credit.status().message().find("21"), std::string::npos);
  // A 21st key that never converts is a null player and does not count against the limit.
  rows.back().conversions = 0;
  rows.back().nulls = 4;
  EXPECT_TRUE(AttributeShapley(MakeJourneys(rows), ModelOptions{.model = Model::kShapley}).ok());
}

TEST(ShapleyValue, RefusesJourneysItCannotWeigh) {
  auto field_of = [](const Journeys& journeys) {
    Result<Credit> credit = AttributeShapley(journeys, ModelOptions{.model = Model::kShapley});
    EXPECT_FALSE(credit.ok());
    return credit.status().field();
  };
  EXPECT_EQ(field_of(MakeJourneys({{{"a"}, -1, 0, 0}})), "conversions");
  EXPECT_EQ(field_of(MakeJourneys({{{"a"}, 1, 0, -2}})), "nulls");
  EXPECT_EQ(field_of(MakeJourneys({{{"a"}, 1, 0, 0}, {{}, 0, 0, 1}})), "touch_key");
  Journeys bad_key = MakeJourneys({{{"a"}, 1, 0, 0}, {{"a"}, 0, 0, 1}});
  bad_key.touch_key[1] = 3;
  EXPECT_EQ(field_of(bad_key), "touch_key");
}

TEST(ShapleyValue, SameResultOnAnyNumberOfThreads) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<size_t> key(0, 9), length(1, 6);
  std::uniform_int_distribution<int> small(0, 3);
  std::vector<PathRow> rows;
  for (int j = 0; j < 30000; ++j) {
    PathRow row;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) row.path.push_back("k" + std::to_string(key(rng)));
    row.conversions = small(rng);
    row.nulls = small(rng);
    rows.push_back(row);
  }
  const Journeys journeys = MakeJourneys(rows);
  Result<Credit> one = AttributeShapley(journeys, {.model = Model::kShapley, .threads = 1});
  ASSERT_TRUE(one.ok());
  for (int threads : {2, 4}) {
    Result<Credit> many =
        AttributeShapley(journeys, {.model = Model::kShapley, .threads = threads});
    ASSERT_TRUE(many.ok());
    EXPECT_EQ(many->conversions, one->conversions) << threads << " threads";
  }
}

}  // namespace
}  // namespace tutti::attribution
