// Journeys from events and the heuristic models on hand-worked examples: ties in time, the click
// and view windows with their exact boundaries, repeated channels, single and double touches,
// conversions without touches, users who converted twice, revenue shares, keys by partner and
// partner × channel, and the refusals.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tutti/attribution/attribution.h"
#include "tutti/base/clock.h"

namespace tutti::attribution {
namespace {

using std::chrono::days;
using std::chrono::hours;

struct Event {
  std::string id, user, ts, partner, channel, type;
  double value = 0;
};

int64_t Ms(const std::string& instant) {
  Result<Instant> parsed = ParseInstant(instant);
  EXPECT_TRUE(parsed.ok()) << instant;
  return parsed.ok() ? parsed->time_since_epoch().count() : 0;
}

EventTable Table(const std::vector<Event>& events) {
  EventTable table;
  for (const Event& e : events) {
    Result<EventType> type = ParseEventType(e.type);
    EXPECT_TRUE(type.ok()) << e.type;
    table.Add(e.id, e.user, Ms(e.ts), e.partner, e.channel, *type, e.value);
  }
  return table;
}

Journeys Build(const std::vector<Event>& events, JourneyOptions options = {}) {
  Result<Journeys> journeys = BuildJourneys(Table(events), options);
  EXPECT_TRUE(journeys.ok()) << journeys.status().ToString();
  return journeys.ok() ? std::move(journeys).value() : Journeys{};
}

// The key names of journey j, in path order.
std::vector<std::string> PathOf(const Journeys& journeys, size_t j) {
  std::vector<std::string> path;
  for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
    path.push_back(journeys.keys.Name(journeys.touch_key[t]));
  }
  return path;
}

std::vector<int64_t> AgesOf(const Journeys& journeys, size_t j) {
  return {journeys.touch_age_seconds.begin() + static_cast<ptrdiff_t>(journeys.offsets[j]),
          journeys.touch_age_seconds.begin() + static_cast<ptrdiff_t>(journeys.offsets[j + 1])};
}

struct Share {
  double conversions = 0, revenue = 0;
};

std::map<std::string, Share> Credits(const Journeys& journeys, Model model,
                                     std::chrono::seconds half_life = days(7)) {
  ModelOptions options;
  options.model = model;
  options.half_life = half_life;
  Result<Credit> credit = Attribute(journeys, options);
  EXPECT_TRUE(credit.ok()) << credit.status().ToString();
  std::map<std::string, Share> out;
  if (!credit.ok()) return out;
  for (uint32_t k = 0; k < journeys.keys.size(); ++k) {
    out[journeys.keys.Name(k)] = {credit->conversions[k], credit->revenue[k]};
  }
  return out;
}

void ExpectCredits(const std::map<std::string, Share>& got,
                   const std::map<std::string, Share>& expected, const std::string& what) {
  EXPECT_EQ(got.size(), expected.size()) << what;
  for (const auto& [key, share] : expected) {
    auto it = got.find(key);
    ASSERT_NE(it, got.end()) << what << ": no credit for " << key;
    EXPECT_NEAR(it->second.conversions, share.conversions, 1e-9) << what << ": " << key;
    EXPECT_NEAR(it->second.revenue, share.revenue, 1e-9) << what << ": " << key;
  }
}

constexpr Model kHeuristics[] = {Model::kFirst, Model::kLast, Model::kLinear, Model::kTimeDecay,
                                 Model::kPosition};

TEST(BuildJourneys, OrdersTiesInTimeByEventId) {
  // Everything at 10:00. By event id: e0 (B), e1 (A), e2 the conversion, e3 (C) after it.
  const Journeys journeys = Build({
      {"e3", "u", "2026-06-01T10:00:00Z", "p", "C", "click"},
      {"e1", "u", "2026-06-01T10:00:00Z", "p", "A", "click"},
      {"e2", "u", "2026-06-01T10:00:00Z", "p", "web", "conversion", 10},
      {"e0", "u", "2026-06-01T10:00:00Z", "p", "B", "click"},
  });
  ASSERT_EQ(journeys.size(), 2u);
  EXPECT_EQ(PathOf(journeys, 0), (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(AgesOf(journeys, 0), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(journeys.conversions[0], 1);
  EXPECT_EQ(journeys.value[0], 10);
  // C sorts after the conversion: it waits for the next one, here for nothing.
  EXPECT_EQ(PathOf(journeys, 1), (std::vector<std::string>{"C"}));
  EXPECT_EQ(journeys.conversions[1], 0);
  EXPECT_EQ(journeys.nulls[1], 1);
  ExpectCredits(Credits(journeys, Model::kFirst), {{"A", {0, 0}}, {"B", {1, 10}}, {"C", {0, 0}}},
                "first");
  ExpectCredits(Credits(journeys, Model::kLast), {{"A", {1, 10}}, {"B", {0, 0}}, {"C", {0, 0}}},
                "last");
}

TEST(BuildJourneys, ClicksAndImpressionsHaveTheirOwnWindowsWithInclusiveBoundaries) {
  const std::string conversion = "2026-07-01T12:00:00Z";
  const Journeys journeys = Build({
      {"a", "u", "2026-06-01T12:00:00Z", "p", "click_30d", "click"},            // exactly 30 d
      {"b", "u", "2026-06-01T11:59:59.999Z", "p", "click_30d_1ms", "click"},    // 1 ms too old
      {"c", "u", "2026-06-02T12:00:00Z", "p", "engagement_29d", "engagement"},  // click window
      {"d", "u", "2026-06-02T12:00:00Z", "p", "impression_29d", "impression"},  // view window: no
      {"e", "u", "2026-06-30T12:00:00Z", "p", "impression_1d", "impression"},   // exactly 1 d
      {"f", "u", "2026-06-30T11:59:59.999Z", "p", "impression_1d_1ms", "impression"},
      {"g", "u", conversion, "p", "web", "conversion", 90},
  });
  ASSERT_EQ(journeys.size(), 1u);
  EXPECT_EQ(PathOf(journeys, 0),
            (std::vector<std::string>{"click_30d", "engagement_29d", "impression_1d"}));
  EXPECT_EQ(AgesOf(journeys, 0), (std::vector<int64_t>{30 * 86400, 29 * 86400, 86400}));
  ExpectCredits(Credits(journeys, Model::kLinear),
                {{"click_30d", {1.0 / 3, 30}},
                 {"click_30d_1ms", {0, 0}},
                 {"engagement_29d", {1.0 / 3, 30}},
                 {"impression_29d", {0, 0}},
                 {"impression_1d", {1.0 / 3, 30}},
                 {"impression_1d_1ms", {0, 0}}},
                "linear");
}

TEST(BuildJourneys, WindowsFollowTheOptions) {
  JourneyOptions options;
  options.click_lookback = hours(12);
  options.view_lookback = days(3);
  const Journeys journeys = Build(
      {
          {"a", "u", "2026-06-01T00:00:00Z", "p", "old_click", "click"},
          {"b", "u", "2026-06-02T00:00:00Z", "p", "impression", "impression"},
          {"c", "u", "2026-06-03T00:00:00Z", "p", "web", "conversion", 1},
      },
      options);
  ASSERT_EQ(journeys.size(), 1u);
  EXPECT_EQ(PathOf(journeys, 0), (std::vector<std::string>{"impression"}));
}

TEST(BuildJourneys, ConversionWithoutTouchesIsDirect) {
  const Journeys journeys = Build({
      {"a", "u1", "2026-06-01T00:00:00Z", "p", "search", "click"},
      {"b", "u1", "2026-08-01T00:00:00Z", "p", "web", "conversion", 5},  // the click is too old
      {"c", "u2", "2026-06-01T00:00:00Z", "p", "web", "conversion", 7},  // no touch at all
  });
  ASSERT_EQ(journeys.size(), 2u);
  EXPECT_EQ(PathOf(journeys, 0), (std::vector<std::string>{"(direct)"}));
  EXPECT_EQ(PathOf(journeys, 1), (std::vector<std::string>{"(direct)"}));
  EXPECT_EQ(journeys.partner_count[0], 0u);
  for (Model model : kHeuristics) {
    ExpectCredits(Credits(journeys, model), {{"search", {0, 0}}, {"(direct)", {2, 12}}},
                  ModelName(model));
  }
}

TEST(BuildJourneys, SecondConversionsPathStartsAfterTheFirst) {
  const Journeys journeys = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "click"},
      {"2", "u", "2026-06-02T00:00:00Z", "p", "web", "conversion", 10},
      {"3", "u", "2026-06-03T00:00:00Z", "p", "B", "click"},
      {"4", "u", "2026-06-04T00:00:00Z", "p", "web", "conversion", 20},
      {"5", "u", "2026-06-04T00:00:00Z", "p", "web", "conversion", 30},  // right after: direct
  });
  ASSERT_EQ(journeys.size(), 3u);
  EXPECT_EQ(PathOf(journeys, 0), (std::vector<std::string>{"A"}));
  EXPECT_EQ(PathOf(journeys, 1), (std::vector<std::string>{"B"}));
  EXPECT_EQ(PathOf(journeys, 2), (std::vector<std::string>{"(direct)"}));
  ExpectCredits(Credits(journeys, Model::kLinear),
                {{"A", {1, 10}}, {"B", {1, 20}}, {"(direct)", {1, 30}}}, "linear");
}

TEST(BuildJourneys, TouchesAfterTheLastConversionMakeOneNonConvertingJourney) {
  const Journeys journeys = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "click"},
      {"2", "u", "2026-06-02T00:00:00Z", "p", "web", "conversion", 10},
      {"3", "u", "2026-03-01T00:00:00Z", "q", "B", "impression"},  // before: too old for any window
      {"4", "u", "2026-07-01T00:00:00Z", "p", "C", "impression"},
      {"5", "u", "2026-09-01T00:00:00Z", "q", "D", "click"},
      {"6", "v", "2026-09-01T00:00:00Z", "q", "E", "click"},  // never converts
  });
  ASSERT_EQ(journeys.size(), 3u);
  EXPECT_EQ(PathOf(journeys, 0), (std::vector<std::string>{"A"}));
  // No window after the last conversion: every later touch is on the non-converting path, aged
  // from the last of them.
  EXPECT_EQ(PathOf(journeys, 1), (std::vector<std::string>{"C", "D"}));
  EXPECT_EQ(AgesOf(journeys, 1), (std::vector<int64_t>{62 * 86400, 0}));
  EXPECT_EQ(journeys.nulls[1], 1);
  EXPECT_EQ(journeys.conversions[1], 0);
  EXPECT_EQ(journeys.partner_count[1], 2u);
  EXPECT_EQ(PathOf(journeys, 2), (std::vector<std::string>{"E"}));
  for (Model model : kHeuristics) {
    ExpectCredits(Credits(journeys, model),
                  {{"A", {1, 10}}, {"B", {0, 0}}, {"C", {0, 0}}, {"D", {0, 0}}, {"E", {0, 0}}},
                  ModelName(model));
  }
}

TEST(BuildJourneys, KeysComeFromTouchpointsOnly) {
  const Journeys journeys = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "search", "click"},
      {"2", "u", "2026-06-01T01:00:00Z", "shop", "checkout", "conversion", 1},
  });
  EXPECT_EQ(journeys.keys.size(), 1u);
  EXPECT_EQ(journeys.keys.Name(0), "search");
}

// A, B, A, A: every touch counts.
std::vector<Event> RepeatedChannels() {
  return {
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "click"},
      {"2", "u", "2026-06-02T00:00:00Z", "p", "B", "click"},
      {"3", "u", "2026-06-03T00:00:00Z", "p", "A", "click"},
      {"4", "u", "2026-06-08T00:00:00Z", "p", "A", "click"},
      {"5", "u", "2026-06-08T00:00:00Z", "p", "web", "conversion", 100},
  };
}

TEST(HeuristicModels, RepeatedChannelsCountEveryTouch) {
  const Journeys journeys = Build(RepeatedChannels());
  ExpectCredits(Credits(journeys, Model::kFirst), {{"A", {1, 100}}, {"B", {0, 0}}}, "first");
  ExpectCredits(Credits(journeys, Model::kLast), {{"A", {1, 100}}, {"B", {0, 0}}}, "last");
  ExpectCredits(Credits(journeys, Model::kLinear), {{"A", {0.75, 75}}, {"B", {0.25, 25}}},
                "linear");
  // 40 % to the first A, 40 % to the last A, the middle B and A share 20 %.
  ExpectCredits(Credits(journeys, Model::kPosition), {{"A", {0.9, 90}}, {"B", {0.1, 10}}},
                "position");
  // Ages 7, 6, 5 and 0 days at a half-life of 1 day: weights 1/128, 1/64, 1/32 and 1.
  const double sum = 1.0 / 128 + 1.0 / 64 + 1.0 / 32 + 1;
  const double b = (1.0 / 64) / sum;
  ExpectCredits(Credits(journeys, Model::kTimeDecay, days(1)),
                {{"A", {1 - b, 100 * (1 - b)}}, {"B", {b, 100 * b}}}, "time_decay");
}

TEST(HeuristicModels, TimeDecayHalvesPerHalfLifeAndSharesRevenueAlike) {
  const Journeys journeys = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "click"},
      {"2", "u", "2026-06-08T00:00:00Z", "p", "B", "click"},
      {"3", "u", "2026-06-15T00:00:00Z", "p", "C", "click"},
      {"4", "u", "2026-06-15T00:00:00Z", "p", "web", "conversion", 175},
  });
  // Ages 14, 7 and 0 days at the default half-life of 7 days: weights 1/4, 1/2, 1 (sum 7/4).
  ExpectCredits(Credits(journeys, Model::kTimeDecay),
                {{"A", {1.0 / 7, 25}}, {"B", {2.0 / 7, 50}}, {"C", {4.0 / 7, 100}}}, "time_decay");
  ExpectCredits(Credits(journeys, Model::kPosition),
                {{"A", {0.4, 70}}, {"B", {0.2, 35}}, {"C", {0.4, 70}}}, "position");
  ExpectCredits(
      Credits(journeys, Model::kLinear),
      {{"A", {1.0 / 3, 175.0 / 3}}, {"B", {1.0 / 3, 175.0 / 3}}, {"C", {1.0 / 3, 175.0 / 3}}},
      "linear");
}

TEST(HeuristicModels, TimeDecayStaysFiniteOnVeryOldPaths) {
  JourneyOptions options;
  options.click_lookback = days(365 * 100);
  const Journeys journeys = Build(
      {
          {"1", "u", "1950-01-01T00:00:00Z", "p", "A", "click"},
          {"2", "u", "1950-01-01T00:00:00Z", "p", "B", "click"},
          {"3", "u", "2040-01-01T00:00:00Z", "p", "web", "conversion", 2},
      },
      options);
  // Both weights underflow as 2^(−age/7 d); measured from the youngest touch they are equal.
  ExpectCredits(Credits(journeys, Model::kTimeDecay, hours(1)), {{"A", {0.5, 1}}, {"B", {0.5, 1}}},
                "time_decay");
}

TEST(HeuristicModels, SingleTouchGetsEverythingAndTwoTouchesSplitEvenlyInPosition) {
  const Journeys single = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "impression"},
      {"2", "u", "2026-06-01T06:00:00Z", "p", "web", "conversion", 8},
  });
  for (Model model : kHeuristics) {
    ExpectCredits(Credits(single, model), {{"A", {1, 8}}}, ModelName(model));
  }
  const Journeys two = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "A", "click"},
      {"2", "u", "2026-06-02T00:00:00Z", "p", "B", "click"},
      {"3", "u", "2026-06-03T00:00:00Z", "p", "web", "conversion", 8},
  });
  ExpectCredits(Credits(two, Model::kPosition), {{"A", {0.5, 4}}, {"B", {0.5, 4}}}, "position");
}

std::vector<Event> TwoPartners() {
  return {
      {"1", "u", "2026-06-01T00:00:00Z", "p1", "search", "click"},
      {"2", "u", "2026-06-01T01:00:00Z", "p2", "social", "click"},
      {"3", "u", "2026-06-01T02:00:00Z", "p1", "social", "click"},
      {"4", "u", "2026-06-01T03:00:00Z", "p1", "web", "conversion", 30},
  };
}

TEST(HeuristicModels, CreditsByPartner) {
  JourneyOptions options;
  options.by = CreditKey::kPartner;
  const Journeys journeys = Build(TwoPartners(), options);
  EXPECT_EQ(journeys.partner_count[0], 2u);
  ExpectCredits(Credits(journeys, Model::kLinear), {{"p1", {2.0 / 3, 20}}, {"p2", {1.0 / 3, 10}}},
                "linear");
  ExpectCredits(Credits(journeys, Model::kFirst), {{"p1", {1, 30}}, {"p2", {0, 0}}}, "first");
}

TEST(HeuristicModels, CreditsByPartnerAndChannel) {
  JourneyOptions options;
  options.by = CreditKey::kPartnerChannel;
  const Journeys journeys = Build(TwoPartners(), options);
  ExpectCredits(
      Credits(journeys, Model::kLinear),
      {{"p1,search", {1.0 / 3, 10}}, {"p1,social", {1.0 / 3, 10}}, {"p2,social", {1.0 / 3, 10}}},
      "linear");
  ExpectCredits(Credits(journeys, Model::kPosition),
                {{"p1,search", {0.4, 12}}, {"p1,social", {0.4, 12}}, {"p2,social", {0.2, 6}}},
                "position");
}

TEST(HeuristicModels, PartnerAndChannelKeysAreQuotedForCsv) {
  JourneyOptions options;
  options.by = CreditKey::kPartnerChannel;
  const Journeys journeys = Build(
      {
          {"1", "u", "2026-06-01T00:00:00Z", "Acme, Inc.", "say \"hi\"", "click"},
          {"2", "u", "2026-06-01T01:00:00Z", "p", "web", "conversion", 1},
      },
      options);
  ASSERT_EQ(journeys.keys.size(), 1u);
  EXPECT_EQ(journeys.keys.Name(0), "\"Acme, Inc.\",\"say \"\"hi\"\"\"");
}

TEST(HeuristicModels, KeysAreInternedInNameOrder) {
  const Journeys journeys = Build({
      {"1", "u", "2026-06-01T00:00:00Z", "p", "zeta", "click"},
      {"2", "u", "2026-06-01T00:00:01Z", "p", "alpha", "click"},
      {"3", "u", "2026-06-01T00:00:02Z", "p", "mid", "click"},
  });
  ASSERT_EQ(journeys.keys.size(), 3u);
  EXPECT_EQ(journeys.keys.Name(0), "alpha");
  EXPECT_EQ(journeys.keys.Name(1), "mid");
  EXPECT_EQ(journeys.keys.Name(2), "zeta");
}

TEST(HeuristicModels, NonConvertingJourneysGetNothing) {
  Journeys journeys;
  journeys.keys.Intern("A");
  journeys.touch_key = {0, 0};
  journeys.offsets = {0, 2};
  journeys.conversions = {0};
  journeys.value = {0};
  journeys.nulls = {5};
  journeys.partner_count = {0};
  for (Model model : {Model::kFirst, Model::kLast, Model::kLinear, Model::kPosition}) {
    ExpectCredits(Credits(journeys, model), {{"A", {0, 0}}}, ModelName(model));
  }
}

TEST(HeuristicModels, PathRowsWeighTheirConversions) {
  // As from a path file: no times, conversions and value per row.
  Journeys journeys;
  journeys.keys.Intern("A");
  journeys.keys.Intern("B");
  journeys.touch_key = {0, 1, 0, 1};
  journeys.offsets = {0, 3, 4};
  journeys.conversions = {6, 2};
  journeys.value = {60, 4};
  journeys.nulls = {10, 0};
  ExpectCredits(Credits(journeys, Model::kLinear), {{"A", {4, 40}}, {"B", {4, 24}}}, "linear");
  ExpectCredits(Credits(journeys, Model::kLast), {{"A", {6, 60}}, {"B", {2, 4}}}, "last");
}

TEST(HeuristicModels, TimeDecayIsRefusedWithoutTimestamps) {
  Journeys journeys;
  journeys.keys.Intern("A");
  journeys.touch_key = {0};
  journeys.offsets = {0, 1};
  journeys.conversions = {1};
  journeys.value = {1};
  journeys.nulls = {0};
  ModelOptions options;
  options.model = Model::kTimeDecay;
  Result<Credit> credit = Attribute(journeys, options);
  ASSERT_FALSE(credit.ok());
  EXPECT_EQ(credit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(credit.status().field(), "model");
  EXPECT_NE(credit.status().message().find("time_decay needs the time of every touch"),
            std::string::npos)
      << credit.status().message();
}

TEST(HeuristicModels, RefusesANonPositiveHalfLife) {
  const Journeys journeys = Build(RepeatedChannels());
  ModelOptions options;
  options.model = Model::kTimeDecay;
  options.half_life = std::chrono::seconds(0);
  Result<Credit> credit = Attribute(journeys, options);
  ASSERT_FALSE(credit.ok());
  EXPECT_EQ(credit.status().field(), "half_life");
}

TEST(HeuristicModels, RefusesMalformedJourneys) {
  Journeys journeys;
  journeys.keys.Intern("A");
  journeys.offsets = {0, 0};  // converts, but no touch
  journeys.conversions = {1};
  journeys.value = {0};
  journeys.nulls = {0};
  ModelOptions options;
  Result<Credit> credit = Attribute(journeys, options);
  ASSERT_FALSE(credit.ok());
  EXPECT_EQ(credit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credit.status().message().find("journey 0"), std::string::npos);

  journeys.touch_key = {7};  // no such key
  journeys.offsets = {0, 1};
  credit = Attribute(journeys, options);
  ASSERT_FALSE(credit.ok());
  EXPECT_NE(credit.status().message().find("outside the dictionary"), std::string::npos);

  journeys.offsets = {0};  // columns of different lengths
  EXPECT_FALSE(Attribute(journeys, options).ok());
}

TEST(BuildJourneys, RefusesNegativeLookbacksAndBrokenTables) {
  JourneyOptions options;
  options.view_lookback = std::chrono::seconds(-1);
  Result<Journeys> journeys = BuildJourneys(Table(RepeatedChannels()), options);
  ASSERT_FALSE(journeys.ok());
  EXPECT_EQ(journeys.status().field(), "view_lookback");

  EventTable broken = Table(RepeatedChannels());
  broken.user[2] = 99;  // not in the dictionary
  journeys = BuildJourneys(broken, {});
  ASSERT_FALSE(journeys.ok());
  EXPECT_NE(journeys.status().message().find("row 2"), std::string::npos);

  broken = Table(RepeatedChannels());
  std::swap(broken.event_id_offsets[1], broken.event_id_offsets[2]);
  journeys = BuildJourneys(broken, {});
  ASSERT_FALSE(journeys.ok());
  EXPECT_NE(journeys.status().message().find("row 1"), std::string::npos);

  broken = Table(RepeatedChannels());
  broken.ts_ms[3] = int64_t{1} << 62;  // beyond what a timestamp may be
  journeys = BuildJourneys(broken, {});
  ASSERT_FALSE(journeys.ok());
  EXPECT_NE(journeys.status().message().find("row 3 has a timestamp"), std::string::npos);

  broken = Table(RepeatedChannels());
  broken.ts_ms.pop_back();
  EXPECT_FALSE(BuildJourneys(broken, {}).ok());
}

TEST(BuildJourneys, EmptyTableHasNoJourneys) {
  Result<Journeys> journeys = BuildJourneys(EventTable{}, {});
  ASSERT_TRUE(journeys.ok());
  EXPECT_EQ(journeys->size(), 0u);
  EXPECT_EQ(journeys->offsets, (std::vector<uint64_t>{0}));
  Result<Credit> credit = Attribute(*journeys, {});
  ASSERT_TRUE(credit.ok());
  EXPECT_TRUE(credit->conversions.empty());
}

}  // namespace
}  // namespace tutti::attribution
