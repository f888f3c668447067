// Properties of journeys and the heuristic models on seeded random events: credits add up to the
// conversions and revenue to the value for every model; a user's events (an opted-out user)
// change the credits by exactly what that user's conversions earned on their own; last-touch and
// linear agree with a deliberately naive reference; and results do not depend on the number of
// threads, to the last bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {
namespace {

using std::chrono::days;

struct Event {
  std::string id, user;
  int64_t ts_ms;
  std::string partner, channel;
  EventType type;
  double value;
};

constexpr int64_t kDayMs = 86'400'000;

// Events over 60 days with many ties in time (timestamps on a coarse grid) and ids that do not
// follow time, so that ordering by id matters.
std::vector<Event> RandomEvents(uint64_t seed, int users, int events) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> user(0, users - 1), channel(0, 5), partner(0, 2), type(0, 9),
      grid(0, 60 * 24 * 4);
  std::uniform_real_distribution<double> value(0, 200);
  std::vector<Event> out;
  for (int i = 0; i < events; ++i) {
    const int t = type(rng);
    const EventType event_type = t < 4   ? EventType::kImpression
                                 : t < 7 ? EventType::kClick
                                 : t < 8 ? EventType::kEngagement
                                         : EventType::kConversion;
    out.push_back({"ev" + std::to_string(rng() % 100000), "user" + std::to_string(user(rng)),
                   int64_t{grid(rng)} * (kDayMs / 96), "partner" + std::to_string(partner(rng)),
                   "ch" + std::to_string(channel(rng)), event_type,
                   // Revenue on conversions, spend (cents to 2) on touchpoints.
                   event_type == EventType::kConversion ? std::round(value(rng) * 100) / 100
                                                        : std::round(value(rng)) / 100});
  }
  return out;
}

EventTable Table(const std::vector<Event>& events) {
  EventTable table;
  for (const Event& e : events) {
    table.Add(e.id, e.user, e.ts_ms, e.partner, e.channel, e.type, e.value);
  }
  return table;
}

std::map<std::string, std::pair<double, double>> Credits(const std::vector<Event>& events,
                                                         Model model,
                                                         CreditKey by = CreditKey::kChannel,
                                                         int threads = 1) {
  JourneyOptions journey_options;
  journey_options.by = by;
  journey_options.threads = threads;
  Result<Journeys> journeys = BuildJourneys(Table(events), journey_options);
  EXPECT_TRUE(journeys.ok()) << journeys.status().ToString();
  ModelOptions options;
  options.model = model;
  options.threads = threads;
  Result<Credit> credit = Attribute(*journeys, options);
  EXPECT_TRUE(credit.ok()) << credit.status().ToString();
  std::map<std::string, std::pair<double, double>> out;
  for (uint32_t k = 0; k < journeys->keys.size(); ++k) {
    out[journeys->keys.Name(k)] = {credit->conversions[k], credit->revenue[k]};
  }
  return out;
}

constexpr Model kHeuristics[] = {Model::kFirst, Model::kLast, Model::kLinear, Model::kTimeDecay,
                                 Model::kPosition};
constexpr CreditKey kKeys[] = {CreditKey::kChannel, CreditKey::kPartner,
                               CreditKey::kPartnerChannel};

TEST(AttributionProperties, CreditsSumToConversionsAndRevenueToValue) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const std::vector<Event> events = RandomEvents(seed, 40, 600);
    double conversions = 0, value = 0;
    for (const Event& e : events) {
      if (e.type == EventType::kConversion) {
        conversions += 1;
        value += e.value;
      }
    }
    for (CreditKey by : kKeys) {
      for (Model model : kHeuristics) {
        double credited = 0, revenue = 0;
        for (const auto& [key, share] : Credits(events, model, by)) {
          EXPECT_GE(share.first, 0) << key;
          credited += share.first;
          revenue += share.second;
        }
        EXPECT_NEAR(credited, conversions, 1e-9) << ModelName(model) << " seed " << seed;
        EXPECT_NEAR(revenue, value, 1e-7) << ModelName(model) << " seed " << seed;
      }
    }
  }
}

TEST(AttributionProperties, AnOptedOutUserTakesAwayExactlyTheirOwnCredit) {
  for (uint64_t seed = 11; seed <= 14; ++seed) {
    const std::vector<Event> events = RandomEvents(seed, 30, 500);
    const std::string opted_out = events[seed % events.size()].user;
    std::vector<Event> without, only;
    double conversions = 0;
    for (const Event& e : events) {
      (e.user == opted_out ? only : without).push_back(e);
      if (e.user == opted_out && e.type == EventType::kConversion) conversions += 1;
    }
    for (Model model : kHeuristics) {
      const auto all = Credits(events, model);
      const auto rest = Credits(without, model);
      const auto theirs = Credits(only, model);
      double all_total = 0, rest_total = 0;
      for (const auto& [key, share] : all) {
        all_total += share.first;
        const double rest_share = rest.contains(key) ? rest.at(key).first : 0;
        const double their_share = theirs.contains(key) ? theirs.at(key).first : 0;
        EXPECT_NEAR(share.first, rest_share + their_share, 1e-9)
            << ModelName(model) << " " << key << " seed " << seed;
      }
      for (const auto& [key, share] : rest) rest_total += share.first;
      EXPECT_NEAR(all_total - rest_total, conversions, 1e-9) << ModelName(model);
    }
  }
}

// The reference: for each conversion, look at every event of its user again.
std::map<std::string, std::pair<double, double>> NaiveCredits(const std::vector<Event>& events,
                                                              Model model) {
  const int64_t click_ms = 30 * kDayMs, view_ms = kDayMs;
  auto before = [](const Event& a, const Event& b) {
    return std::tie(a.ts_ms, a.id) < std::tie(b.ts_ms, b.id);
  };
  std::map<std::string, std::pair<double, double>> credit;
  for (const Event& conversion : events) {
    if (conversion.type != EventType::kConversion) continue;
    // The user's previous conversion bounds the path from below.
    const Event* previous = nullptr;
    for (const Event& e : events) {
      if (e.user == conversion.user && e.type == EventType::kConversion && before(e, conversion) &&
          (previous == nullptr || before(*previous, e))) {
        previous = &e;
      }
    }
    std::vector<const Event*> path;
    for (const Event& e : events) {
      if (e.user != conversion.user || e.type == EventType::kConversion) continue;
      if (!before(e, conversion) || (previous != nullptr && !before(*previous, e))) continue;
      const int64_t window = e.type == EventType::kImpression ? view_ms : click_ms;
      if (conversion.ts_ms - e.ts_ms <= window) path.push_back(&e);
    }
    std::sort(path.begin(), path.end(),
              [&](const Event* a, const Event* b) { return before(*a, *b); });
    if (path.empty()) {
      credit["(direct)"].first += 1;
      credit["(direct)"].second += conversion.value;
      continue;
    }
    if (model == Model::kLast) {
      credit[path.back()->channel].first += 1;
      credit[path.back()->channel].second += conversion.value;
    } else {
      for (const Event* e : path) {
        credit[e->channel].first += 1.0 / static_cast<double>(path.size());
        credit[e->channel].second += conversion.value / static_cast<double>(path.size());
      }
    }
  }
  return credit;
}

TEST(AttributionProperties, LastTouchAndLinearMatchANaiveReference) {
  // Unique ids, so that the reference's ties in (ts, id) cannot differ from the row order.
  for (uint64_t seed = 21; seed <= 25; ++seed) {
    std::vector<Event> events = RandomEvents(seed, 25, 400);
    for (size_t i = 0; i < events.size(); ++i)
      events[i].id = "id" + std::to_string(i * 7919 % 1000);
    for (Model model : {Model::kLast, Model::kLinear}) {
      const auto expected = NaiveCredits(events, model);
      const auto got = Credits(events, model);
      for (const auto& [key, share] : got) {
        const auto it = expected.find(key);
        const std::pair<double, double> want =
            it == expected.end() ? std::pair{0.0, 0.0} : it->second;
        EXPECT_NEAR(share.first, want.first, 1e-9) << ModelName(model) << " " << key;
        EXPECT_NEAR(share.second, want.second, 1e-7) << ModelName(model) << " " << key;
      }
      for (const auto& [key, share] : expected) EXPECT_TRUE(got.contains(key)) << key;
    }
  }
}

TEST(AttributionProperties, ResultsDoNotDependOnTheNumberOfThreads) {
  // Large enough that both BuildJourneys and the models split the work.
  const std::vector<Event> events = RandomEvents(99, 30000, 200000);
  const EventTable table = Table(events);
  JourneyOptions one;
  one.threads = 1;
  one.with_spend = true;
  Result<Journeys> single = BuildJourneys(table, one);
  ASSERT_TRUE(single.ok());
  for (int threads : {2, 3, 8}) {
    JourneyOptions options;
    options.threads = threads;
    options.with_spend = true;
    Result<Journeys> multi = BuildJourneys(table, options);
    ASSERT_TRUE(multi.ok());
    EXPECT_EQ(multi->offsets, single->offsets) << threads;
    EXPECT_EQ(multi->touch_key, single->touch_key) << threads;
    EXPECT_EQ(multi->touch_age_seconds, single->touch_age_seconds) << threads;
    EXPECT_EQ(multi->value, single->value) << threads;
    EXPECT_EQ(multi->nulls, single->nulls) << threads;
    EXPECT_EQ(multi->partner_count, single->partner_count) << threads;
    EXPECT_EQ(multi->user, single->user) << threads;
    EXPECT_EQ(multi->spend, single->spend) << threads;
    EXPECT_EQ(multi->key_spend, single->key_spend) << threads;
    for (Model model : kHeuristics) {
      ModelOptions a, b;
      a.model = b.model = model;
      a.threads = 1;
      b.threads = threads;
      Result<Credit> x = Attribute(*single, a), y = Attribute(*single, b);
      ASSERT_TRUE(x.ok() && y.ok());
      // Bit for bit, not approximately.
      EXPECT_EQ(x->conversions, y->conversions) << ModelName(model) << " " << threads;
      EXPECT_EQ(x->revenue, y->revenue) << ModelName(model) << " " << threads;
    }
  }
}

TEST(AttributionProperties, RowOrderDoesNotChangeTheJourneys) {
  std::vector<Event> events = RandomEvents(7, 50, 800);
  for (size_t i = 0; i < events.size(); ++i) events[i].id = "id" + std::to_string(i);
  std::vector<Event> shuffled = events;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(8));
  for (Model model : kHeuristics) {
    const auto a = Credits(events, model), b = Credits(shuffled, model);
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [key, share] : a) {
      EXPECT_NEAR(share.first, b.at(key).first, 1e-9) << ModelName(model) << " " << key;
    }
  }
}

}  // namespace
}  // namespace tutti::attribution
