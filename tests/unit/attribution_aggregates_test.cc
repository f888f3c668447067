// Spend, the people behind each credit and the solo versus co-branded comparison (issue 4, C6/C7),
// on hand-worked events: what each touchpoint cost, which journeys count as solo or co-branded,
// and how many distinct users stand behind a key under each model.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tutti/attribution/attribution.h"
#include "tutti/base/clock.h"
#include "unit/attribution_test_support.h"

namespace tutti::attribution {
namespace {

struct Event {
  std::string id, user, ts, partner, channel, type;
  double value = 0;
};

Journeys Build(const std::vector<Event>& events, bool with_spend = true) {
  EventTable table;
  for (const Event& e : events) {
    Result<Instant> ts = ParseInstant(e.ts);
    Result<EventType> type = ParseEventType(e.type);
    EXPECT_TRUE(ts.ok() && type.ok()) << e.id;
    table.Add(e.id, e.user, ts->time_since_epoch().count(), e.partner, e.channel, *type, e.value);
  }
  JourneyOptions options;
  options.by = CreditKey::kPartner;
  options.with_spend = with_spend;
  options.threads = 1;
  Result<Journeys> journeys = BuildJourneys(table, options);
  EXPECT_TRUE(journeys.ok()) << journeys.status().ToString();
  return journeys.ok() ? std::move(journeys).value() : Journeys{};
}

double KeySpend(const Journeys& journeys, const std::string& key) {
  Result<uint32_t> id = journeys.keys.Find(key);
  EXPECT_TRUE(id.ok()) << key;
  return id.ok() ? journeys.key_spend.at(*id) : -1;
}

uint64_t Users(const Journeys& journeys, Model model, const std::string& key) {
  Result<uint32_t> id = journeys.keys.Find(key);
  EXPECT_TRUE(id.ok()) << key;
  return id.ok() ? ContributingUsers(journeys, model).at(*id) : 0;
}

// ana: streamco impression (cost 2) then lumen click (cost 3), converts for 100 → co-branded.
// bob: streamco click (cost 5), converts for 40 → solo; then a streamco impression (cost 1) that
//      converts nowhere → a solo non-converting journey.
// cem: a streamco click 40 days before converting (outside the click window: cost 7 on no
//      path), converts for 10 → direct.
// dia: lumen click (cost 4) → converts for 20 → solo; converts again with nothing before → direct.
const std::vector<Event> kEvents = {
    {"a1", "ana", "2026-06-01T10:00:00Z", "streamco", "video", "impression", 2},
    {"a2", "ana", "2026-06-01T11:00:00Z", "lumen", "search", "click", 3},
    {"a3", "ana", "2026-06-01T12:00:00Z", "", "", "conversion", 100},
    {"b1", "bob", "2026-06-01T10:00:00Z", "streamco", "video", "click", 5},
    {"b2", "bob", "2026-06-01T12:00:00Z", "", "", "conversion", 40},
    {"b3", "bob", "2026-06-02T12:00:00Z", "streamco", "video", "impression", 1},
    {"c1", "cem", "2026-04-01T12:00:00Z", "streamco", "video", "click", 7},
    {"c2", "cem", "2026-06-01T12:00:00Z", "", "", "conversion", 10},
    {"d1", "dia", "2026-06-01T09:00:00Z", "lumen", "search", "click", 4},
    {"d2", "dia", "2026-06-01T12:00:00Z", "", "", "conversion", 20},
    {"d3", "dia", "2026-06-03T12:00:00Z", "", "", "conversion", 30},
};

TEST(Spend, TouchpointValuesAreSpendPerKeyOnAPathOrNot) {
  Journeys journeys = Build(kEvents);
  EXPECT_DOUBLE_EQ(KeySpend(journeys, "streamco"), 2 + 5 + 1 + 7);
  EXPECT_DOUBLE_EQ(KeySpend(journeys, "lumen"), 3 + 4);
  EXPECT_DOUBLE_EQ(KeySpend(journeys, std::string(kDirect)), 0);
}

TEST(Spend, IsLeftOutUnlessAskedFor) {
  Journeys journeys = Build(kEvents, /*with_spend=*/false);
  EXPECT_TRUE(journeys.key_spend.empty());
  EXPECT_TRUE(journeys.spend.empty());
  Result<PartnerMix> mix = ComparePartnerMix(journeys);
  ASSERT_TRUE(mix.ok());
  EXPECT_EQ(mix->solo.spend, 0);
  EXPECT_EQ(mix->unassigned_spend, 0);
}

TEST(Spend, NegativeSpendIsRefused) {
  EventTable table;
  table.Add("x", "u", 0, "p", "c", EventType::kClick, -1);
  JourneyOptions options;
  options.with_spend = true;
  Result<Journeys> journeys = BuildJourneys(table, options);
  ASSERT_FALSE(journeys.ok());
  EXPECT_EQ(journeys.status().field(), "events");
  options.with_spend = false;
  EXPECT_TRUE(BuildJourneys(table, options).ok()) << "the models never read a touch's value";
}

TEST(ComparePartnerMix, SplitsJourneysBySoloCoBrandedAndDirect) {
  Result<PartnerMix> mix = ComparePartnerMix(Build(kEvents));
  ASSERT_TRUE(mix.ok()) << mix.status().ToString();
  EXPECT_EQ(mix->co_branded.journeys, 1u);
  EXPECT_EQ(mix->co_branded.users, 1u);
  EXPECT_DOUBLE_EQ(mix->co_branded.conversions, 1);
  EXPECT_DOUBLE_EQ(mix->co_branded.revenue, 100);
  EXPECT_DOUBLE_EQ(mix->co_branded.spend, 5);

  EXPECT_EQ(mix->solo.journeys, 3u) << "bob's conversion, bob's trailing impression, dia's first";
  EXPECT_EQ(mix->solo.users, 2u);
  EXPECT_DOUBLE_EQ(mix->solo.conversions, 2);
  EXPECT_DOUBLE_EQ(mix->solo.revenue, 60);
  EXPECT_DOUBLE_EQ(mix->solo.spend, 5 + 1 + 4) << "a path that converts nowhere cost money too";

  EXPECT_EQ(mix->direct.journeys, 2u);
  EXPECT_EQ(mix->direct.users, 2u);
  EXPECT_DOUBLE_EQ(mix->direct.conversions, 2);
  EXPECT_DOUBLE_EQ(mix->direct.revenue, 40);
  EXPECT_DOUBLE_EQ(mix->unassigned_spend, 7) << "cem's click fell outside the window";
}

TEST(ComparePartnerMix, RefusesPathFilesWhichKnowNoPartners) {
  Journeys journeys = test_support::MakeJourneys({{{"search"}, 1, 10, 0}});
  Result<PartnerMix> mix = ComparePartnerMix(journeys);
  ASSERT_FALSE(mix.ok());
  EXPECT_EQ(mix.status().code(), StatusCode::kFailedPrecondition);
}

TEST(ContributingUsers, CountsDistinctConvertingUsersPerModel) {
  Journeys journeys = Build(kEvents);
  // Last touch: lumen ends ana's and dia's paths; streamco only bob's.
  EXPECT_EQ(Users(journeys, Model::kLast, "lumen"), 2u);
  EXPECT_EQ(Users(journeys, Model::kLast, "streamco"), 1u);
  // First touch: streamco starts ana's and bob's.
  EXPECT_EQ(Users(journeys, Model::kFirst, "streamco"), 2u);
  EXPECT_EQ(Users(journeys, Model::kFirst, "lumen"), 1u);
  // Every other model credits every key on the path.
  for (Model model : {Model::kLinear, Model::kMarkov, Model::kShapley}) {
    EXPECT_EQ(Users(journeys, model, "streamco"), 2u) << ModelName(model);
    EXPECT_EQ(Users(journeys, model, "lumen"), 2u) << ModelName(model);
  }
  EXPECT_EQ(Users(journeys, Model::kLinear, std::string(kDirect)), 2u)
      << "dia's second conversion and cem's; dia once though she converted twice";
}

TEST(ContributingUsers, AUserWhoConvertsTwiceCountsOnce) {
  Journeys journeys = Build({
      {"1", "ana", "2026-06-01T10:00:00Z", "streamco", "video", "click", 0},
      {"2", "ana", "2026-06-01T11:00:00Z", "", "", "conversion", 1},
      {"3", "ana", "2026-06-02T10:00:00Z", "streamco", "video", "click", 0},
      {"4", "ana", "2026-06-02T11:00:00Z", "", "", "conversion", 1},
  });
  EXPECT_EQ(Users(journeys, Model::kLast, "streamco"), 1u);
}

}  // namespace
}  // namespace tutti::attribution
