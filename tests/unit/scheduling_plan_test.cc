// Plans and their schedule: the issue's example worked by hand, the pass rules on small shapes
// (chains, diamonds, lags, buffers, actual dates, working days, several markets), what-if and
// fallback, every plan error with its path, and randomized plans checked against a deliberately
// plain fixed-point reference. Scenario files under tests/scenarios/scheduling run last.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tutti/scheduling/plan.h"
#include "tutti/scheduling/plan_graph.h"

namespace tutti::scheduling {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

Instant At(const std::string& text) {
  Result<Instant> parsed = ParseInstant(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : Instant{};
}

std::string Iso(Instant t) { return FormatInstantSeconds(t); }

Plan Parse(const std::string& text) {
  Result<Plan> plan = ParsePlan(Json::parse(text));
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *std::move(plan) : Plan{};
}

Schedule Compute(const Plan& plan, const std::string& now) {
  Result<Schedule> schedule = ComputeSchedule(plan, At(now));
  EXPECT_TRUE(schedule.ok()) << schedule.status().ToString();
  return schedule.ok() ? *std::move(schedule) : Schedule{};
}

const ScheduledMilestone& Find(const Schedule& schedule, const std::string& id) {
  for (const ScheduledMilestone& m : schedule.milestones) {
    if (m.id == id) return m;
  }
  static const ScheduledMilestone kMissing;
  ADD_FAILURE() << "no milestone " << id;
  return kMissing;
}

// Expects earliest start/finish, latest start/finish and slack of one milestone.
void ExpectTimes(const Schedule& schedule, const std::string& id, const std::string& es,
                 const std::string& ef, const std::string& ls, const std::string& lf,
                 int64_t slack) {
  SCOPED_TRACE(id);
  const ScheduledMilestone& m = Find(schedule, id);
  EXPECT_EQ(Iso(m.earliest_start), es);
  EXPECT_EQ(Iso(m.earliest_finish), ef);
  EXPECT_EQ(Iso(m.latest_start), ls);
  EXPECT_EQ(Iso(m.latest_finish), lf);
  EXPECT_EQ(m.slack_seconds, slack);
}

void ExpectParseError(const std::string& text, const std::string& reason,
                      const std::string& field) {
  Result<Plan> plan = ParsePlan(Json::parse(text));
  ASSERT_FALSE(plan.ok()) << "accepted " << text;
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument) << plan.status().ToString();
  EXPECT_EQ(plan.status().reason(), reason) << plan.status().ToString();
  EXPECT_EQ(plan.status().field(), field) << plan.status().ToString();
}

// The plan of issue 3, verbatim.
constexpr char kIssueExample[] = R"({
  "launch": {"local": "2026-06-01T09:00",
             "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}],
             "on_gap": "shift_forward", "on_overlap": "earliest"},
  "milestones": [{"id": "brief", "duration": "3d", "buffer": "1d", "owner": "ana"},
                 {"id": "qa", "duration": "36h", "after": ["brief", {"id": "legal", "lag": "4h"}]},
                 {"id": "legal", "duration": "90m"}]})";

TEST(ComputeSchedule, IssueExampleWorkedByHand) {
  // Launch: 09:00 EDT (UTC−4) is 13:00Z in New York; 09:00 JST (UTC+9) is 00:00Z in Tokyo. No
  // milestone names a market, so all are held to the earliest launch, JP 2026-06-01T00:00Z.
  // Backward: qa has no successor: LF = 06-01T00:00, LS = LF − 36h = 05-30T12:00.
  //   brief: LF = LS(qa) − lag 0 − buffer 1d = 05-29T12:00, LS = LF − 3d = 05-26T12:00.
  //   legal: LF = LS(qa) − lag 4h = 05-30T08:00, LS = LF − 90m = 05-30T06:30.
  // Forward from now = 05-20T00:00: brief 05-20T00:00 → 05-23T00:00; legal 00:00 → 01:30;
  //   qa starts at max(now, EF(brief) + 1d = 05-24T00:00, EF(legal) + 4h = 05-20T05:30).
  // Slack = LS − ES: brief 6d12h = 561600 s, qa 6d12h, legal 10d6h30m = 887400 s.
  Schedule s = Compute(Parse(kIssueExample), "2026-05-20T00:00:00Z");
  ASSERT_EQ(s.launch.size(), 2u);
  EXPECT_EQ(s.launch[0].first, "US");
  EXPECT_EQ(Iso(s.launch[0].second), "2026-06-01T13:00:00Z");
  EXPECT_EQ(s.launch[1].first, "JP");
  EXPECT_EQ(Iso(s.launch[1].second), "2026-06-01T00:00:00Z");
  ASSERT_EQ(s.milestones.size(), 3u);
  EXPECT_EQ(s.milestones[0].id, "brief");  // in the plan's order
  EXPECT_EQ(s.milestones[1].id, "qa");
  EXPECT_EQ(s.milestones[2].id, "legal");
  ExpectTimes(s, "brief", "2026-05-20T00:00:00Z", "2026-05-23T00:00:00Z", "2026-05-26T12:00:00Z",
              "2026-05-29T12:00:00Z", 6 * kDay + 12 * kHour);
  ExpectTimes(s, "qa", "2026-05-24T00:00:00Z", "2026-05-25T12:00:00Z", "2026-05-30T12:00:00Z",
              "2026-06-01T00:00:00Z", 6 * kDay + 12 * kHour);
  ExpectTimes(s, "legal", "2026-05-20T00:00:00Z", "2026-05-20T01:30:00Z", "2026-05-30T06:30:00Z",
              "2026-05-30T08:00:00Z", 10 * kDay + 6 * kHour + 30 * kMinute);
  EXPECT_TRUE(Find(s, "brief").critical);
  EXPECT_TRUE(Find(s, "qa").critical);
  EXPECT_FALSE(Find(s, "legal").critical);
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"brief", "qa"}));
  EXPECT_FALSE(s.at_risk);
  EXPECT_TRUE(s.markets_at_risk.empty());
}

TEST(ScheduleToJson, WritesTheIssuesOutputFormat) {
  Schedule s = Compute(Parse(kIssueExample), "2026-05-20T00:00:00.750Z");
  Json out = ScheduleToJson(s);
  EXPECT_EQ(out["launch"], (Json{{"US", "2026-06-01T13:00:00Z"}, {"JP", "2026-06-01T00:00:00Z"}}));
  ASSERT_EQ(out["milestones"].size(), 3u);
  // Milliseconds of `now` are floored: instants are whole seconds.
  EXPECT_EQ(out["milestones"][0], (Json{{"id", "brief"},
                                        {"earliest_start", "2026-05-20T00:00:00Z"},
                                        {"earliest_finish", "2026-05-23T00:00:00Z"},
                                        {"latest_start", "2026-05-26T12:00:00Z"},
                                        {"latest_finish", "2026-05-29T12:00:00Z"},
                                        {"slack_seconds", 561600},
                                        {"critical", true}}));
  EXPECT_EQ(out["critical_path"], (Json{"brief", "qa"}));
  EXPECT_EQ(out["at_risk"], false);
  EXPECT_EQ(out["markets_at_risk"], Json::array());
  std::set<std::string> keys;
  for (const auto& [key, value] : out.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"launch", "milestones", "critical_path", "at_risk",
                                         "markets_at_risk"}));
}

TEST(ComputeSchedule, AChainSharesOneSlack) {
  // a 1d → b 2d → c 3h before 06-10T00:00. Backward: c 06-09T21:00..06-10T00:00, b
  // 06-07T21:00..06-09T21:00, a 06-06T21:00..06-07T21:00. Forward from 06-01: a 06-01..06-02,
  // b 06-02..06-04, c 06-04..06-04T03:00. Every slack is 5d21h.
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "c", "duration": "3h", "after": ["b"]},
      {"id": "a", "duration": "1d"},
      {"id": "b", "duration": "2d", "after": ["a"]}]})"),
                       "2026-06-01T00:00:00Z");
  const int64_t slack = 5 * kDay + 21 * kHour;
  ExpectTimes(s, "a", "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "2026-06-06T21:00:00Z",
              "2026-06-07T21:00:00Z", slack);
  ExpectTimes(s, "b", "2026-06-02T00:00:00Z", "2026-06-04T00:00:00Z", "2026-06-07T21:00:00Z",
              "2026-06-09T21:00:00Z", slack);
  ExpectTimes(s, "c", "2026-06-04T00:00:00Z", "2026-06-04T03:00:00Z", "2026-06-09T21:00:00Z",
              "2026-06-10T00:00:00Z", slack);
  // Ordered by earliest start, not by the plan's order (c is listed first).
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(s.launch.size(), 1u);
  EXPECT_EQ(s.launch[0].first, "all");
}

TEST(ComputeSchedule, ADiamondIsCriticalThroughItsLongerBranch) {
  // start 1d → {left 2d, right 1d} → end 1d, launch 06-10. end LF 06-10, LS 06-09; left LS
  // 06-07, right LS 06-08; start LF = min(06-07, 06-08) = 06-07, LS 06-06. Forward from 06-01:
  // start ..06-02, left ..06-04, right ..06-03, end starts at max(06-04, 06-03) = 06-04.
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "start", "duration": "1d"},
      {"id": "left", "duration": "2d", "after": ["start"]},
      {"id": "right", "duration": "1d", "after": ["start"]},
      {"id": "end", "duration": "1d", "after": ["left", "right"]}]})"),
                       "2026-06-01T00:00:00Z");
  ExpectTimes(s, "start", "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "2026-06-06T00:00:00Z",
              "2026-06-07T00:00:00Z", 5 * kDay);
  ExpectTimes(s, "left", "2026-06-02T00:00:00Z", "2026-06-04T00:00:00Z", "2026-06-07T00:00:00Z",
              "2026-06-09T00:00:00Z", 5 * kDay);
  ExpectTimes(s, "right", "2026-06-02T00:00:00Z", "2026-06-03T00:00:00Z", "2026-06-08T00:00:00Z",
              "2026-06-09T00:00:00Z", 6 * kDay);
  ExpectTimes(s, "end", "2026-06-04T00:00:00Z", "2026-06-05T00:00:00Z", "2026-06-09T00:00:00Z",
              "2026-06-10T00:00:00Z", 5 * kDay);
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"start", "left", "end"}));
  EXPECT_FALSE(Find(s, "right").critical);
}

TEST(ComputeSchedule, LagsAndBuffersSeparateMilestonesBothWays) {
  // a 1d, buffer 12h → (lag 6h) → b 2h; c 1h with buffer 1d and no successor. Launch 06-10.
  // b: LF 06-10T00:00, LS 06-09T22:00. a: LF = LS(b) − 6h − 12h = 06-09T04:00, LS 06-08T04:00.
  // c: LF = launch − 1d = 06-09T00:00, LS 06-08T23:00.
  // Forward from 06-01: a ..06-02T00:00, b starts at 06-02T00:00 + 12h + 6h = 06-02T18:00.
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "a", "duration": "1d", "buffer": "12h"},
      {"id": "b", "duration": "2h", "after": [{"id": "a", "lag": "6h"}]},
      {"id": "c", "duration": "1h", "buffer": "1d"}]})"),
                       "2026-06-01T00:00:00Z");
  ExpectTimes(s, "a", "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "2026-06-08T04:00:00Z",
              "2026-06-09T04:00:00Z", 7 * kDay + 4 * kHour);
  ExpectTimes(s, "b", "2026-06-02T18:00:00Z", "2026-06-02T20:00:00Z", "2026-06-09T22:00:00Z",
              "2026-06-10T00:00:00Z", 7 * kDay + 4 * kHour);
  ExpectTimes(s, "c", "2026-06-01T00:00:00Z", "2026-06-01T01:00:00Z", "2026-06-08T23:00:00Z",
              "2026-06-09T00:00:00Z", 7 * kDay + 23 * kHour);
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"a", "b"}));
}

TEST(ComputeSchedule, ActualDatesReplaceTheComputedOnes) {
  // now 06-05, launch 06-10.
  // brief 3d: started 05-28, finished 06-02 (late start, quick work). Its LF = LS(qa) = 06-09,
  //   so as a finished milestone its slack is LF − actual finish = 7d (not LS − ES = 9d).
  // qa 1d after brief: starts at max(now 06-05, 06-02) = 06-05; LS 06-09: slack 4d.
  // legal 2d, started 06-04 and not finished: ES 06-04, EF 06-06, LS 06-08: slack 4d.
  // done 1d, finished 06-01 (start unknown): ES = 06-01 − 1d = 05-31; slack = 06-10 − 06-01.
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "brief", "duration": "3d", "actual_start": "2026-05-28T00:00:00Z",
       "actual_finish": "2026-06-02T00:00:00Z"},
      {"id": "qa", "duration": "1d", "after": ["brief"]},
      {"id": "legal", "duration": "2d", "actual_start": "2026-06-04T00:00:00Z"},
      {"id": "done", "duration": "1d", "actual_finish": "2026-06-01T00:00:00Z"}]})"),
                       "2026-06-05T00:00:00Z");
  ExpectTimes(s, "brief", "2026-05-28T00:00:00Z", "2026-06-02T00:00:00Z", "2026-06-06T00:00:00Z",
              "2026-06-09T00:00:00Z", 7 * kDay);
  ExpectTimes(s, "qa", "2026-06-05T00:00:00Z", "2026-06-06T00:00:00Z", "2026-06-09T00:00:00Z",
              "2026-06-10T00:00:00Z", 4 * kDay);
  ExpectTimes(s, "legal", "2026-06-04T00:00:00Z", "2026-06-06T00:00:00Z", "2026-06-08T00:00:00Z",
              "2026-06-10T00:00:00Z", 4 * kDay);
  ExpectTimes(s, "done", "2026-05-31T00:00:00Z", "2026-06-01T00:00:00Z", "2026-06-09T00:00:00Z",
              "2026-06-10T00:00:00Z", 9 * kDay);
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"legal", "qa"}));
}

TEST(ComputeSchedule, AFinishedMilestoneThatStartedLateIsNotAtRisk) {
  // Planned 3d, latest start 06-06; it started 06-07 but finished 06-08, before its latest
  // finish 06-09. Measured at its start it would show −1d.
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "shoot", "duration": "3d", "actual_start": "2026-06-07T00:00:00Z",
       "actual_finish": "2026-06-08T00:00:00Z"},
      {"id": "edit", "duration": "1d", "after": ["shoot"]}]})"),
                       "2026-06-08T00:00:00Z");
  EXPECT_EQ(Find(s, "shoot").slack_seconds, kDay);
  EXPECT_EQ(Find(s, "edit").slack_seconds, kDay);
  EXPECT_FALSE(s.at_risk);
}

constexpr char kTwoMarkets[] = R"({
  "launch": {"local": "2026-06-01T09:00",
             "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}]},
  "milestones": [{"id": "global", "duration": "1d"},
                 {"id": "us_ads", "duration": "1d", "market": "US"},
                 {"id": "jp_ads", "duration": "1d", "market": "JP"},
                 {"id": "us_prep", "duration": "1d"},
                 {"id": "us_go", "duration": "1h", "market": "US", "after": ["us_prep"]}]})";

TEST(ComputeSchedule, SeveralMarketsHoldMilestonesToTheEarliestUnlessNamed) {
  // Same local time 09:00: JP launches at 00:00Z, US at 13:00Z, 13 hours later.
  Schedule s = Compute(Parse(kTwoMarkets), "2026-05-25T00:00:00Z");
  EXPECT_EQ(Iso(Find(s, "global").latest_finish), "2026-06-01T00:00:00Z");
  EXPECT_EQ(Iso(Find(s, "us_ads").latest_finish), "2026-06-01T13:00:00Z");
  EXPECT_EQ(Iso(Find(s, "jp_ads").latest_finish), "2026-06-01T00:00:00Z");
  // A milestone without a market but before a US one is held through its successor.
  EXPECT_EQ(Iso(Find(s, "us_prep").latest_finish), "2026-06-01T12:00:00Z");
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"global", "jp_ads"}));
}

TEST(ComputeSchedule, NegativeSlackPutsTheLaunchAndItsMarketAtRisk) {
  // now 05-31T13:00Z: global (1d, held to JP 06-01T00:00Z) has LS 05-31T00:00: slack −13h;
  // jp_ads the same; us_ads LS 05-31T13:00: 0; us_prep → us_go: us_go LS 06-01T12:00, us_prep
  // LS 05-31T12:00: −1h, so the US is missed too, through us_prep's successor.
  Schedule s = Compute(Parse(kTwoMarkets), "2026-05-31T13:00:00Z");
  EXPECT_TRUE(s.at_risk);
  EXPECT_EQ(Find(s, "global").slack_seconds, -13 * kHour);
  EXPECT_EQ(Find(s, "us_ads").slack_seconds, 0);
  EXPECT_EQ(Find(s, "us_prep").slack_seconds, -kHour);
  EXPECT_EQ(Find(s, "us_go").slack_seconds, -kHour);
  EXPECT_EQ(s.markets_at_risk, (std::vector<std::string>{"US", "JP"}));
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"global", "jp_ads"}));

  // An hour earlier us_prep is exactly on time: only the earliest market (JP) is missed.
  Schedule earlier = Compute(Parse(kTwoMarkets), "2026-05-31T12:00:00Z");
  EXPECT_EQ(Find(earlier, "us_prep").slack_seconds, 0);
  EXPECT_EQ(earlier.markets_at_risk, (std::vector<std::string>{"JP"}));
}

TEST(ComputeSchedule, MarketsTiedForEarliestAreAllAtRisk) {
  // London and Lisbon share UTC+1 in June: 09:00 is 08:00Z in both, before New York's 13:00Z.
  Schedule s = Compute(Parse(R"({"launch": {"local": "2026-06-01T09:00", "markets": [
      {"name": "UK", "tz": "Europe/London"}, {"name": "US", "tz": "America/New_York"},
      {"name": "PT", "tz": "Europe/Lisbon"}]},
      "milestones": [{"id": "late", "duration": "2d"}]})"),
                       "2026-05-31T00:00:00Z");
  EXPECT_EQ(s.markets_at_risk, (std::vector<std::string>{"UK", "PT"}));
}

TEST(ComputeSchedule, AnEmptyPlanIsValid) {
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-01T13:00:00Z"}, "milestones": []})"),
                       "2026-05-01T00:00:00Z");
  EXPECT_TRUE(s.milestones.empty());
  EXPECT_TRUE(s.critical_path.empty());
  EXPECT_FALSE(s.at_risk);
  EXPECT_EQ(ScheduleToJson(s)["launch"], (Json{{"all", "2026-06-01T13:00:00Z"}}));
}

TEST(ComputeSchedule, TiesOnTheCriticalPathKeepThePlansOrder) {
  Schedule s = Compute(Parse(R"({"launch": {"at": "2026-06-10T00:00:00Z"}, "milestones": [
      {"id": "z", "duration": "1d"}, {"id": "y", "duration": "1d"}, {"id": "x", "duration": "1d"}]})"),
                       "2026-06-01T00:00:00Z");
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"z", "y", "x"}));
}

// ---------------------------------------------------------------------------------------------
// Working days.

// ana works Mon–Fri 09:00–17:00 UTC, with Monday 2026-06-01 off; bob works Sat–Sun 10:00–12:00.
constexpr char kWorkingDays[] = R"({
  "launch": {"at": "2026-06-08T00:00:00Z"},
  "calendars": {"ana": {"tz": "Etc/UTC", "days": ["mon", "tue", "wed", "thu", "fri"],
                        "hours": ["09:00", "17:00"], "holidays": ["2026-06-01"]},
                "bob": {"tz": "Etc/UTC", "days": ["sat", "sun"], "hours": ["10:00", "12:00"]}},
  "milestones": [{"id": "copy", "duration": "2wd", "buffer": "1wd", "owner": "ana"},
                 {"id": "review", "duration": "1h", "owner": "bob",
                  "after": [{"id": "copy", "lag": "1wd"}]}]})";

TEST(ComputeSchedule, WorkingDaysFollowTheOwnersCalendar) {
  // Forward from Mon 06-01T00:00 (a holiday): copy's 16 working hours run Tue 09–17 and Wed
  // 09–17, EF = Wed 06-03T17:00; its buffer of 1wd in ana's calendar ends Thu 06-04T17:00; the
  // lag of 1wd belongs to review, so it is 2 hours of bob's time: Sat 06-06 10:00–12:00. review
  // runs 12:00–13:00.
  // Backward: review LF = launch 06-08T00:00, LS = 06-07T23:00 (1h calendar). copy must be done
  // 1wd of bob's time before: Sun 06-07 10:00. Minus the 1wd buffer in ana's time: Fri 06-05
  // 09:00 = LF; minus 2wd: Wed 06-03 09:00 = LS.
  Schedule s = Compute(Parse(kWorkingDays), "2026-06-01T00:00:00Z");
  ExpectTimes(s, "copy", "2026-06-01T00:00:00Z", "2026-06-03T17:00:00Z", "2026-06-03T09:00:00Z",
              "2026-06-05T09:00:00Z", 2 * kDay + 9 * kHour);
  ExpectTimes(s, "review", "2026-06-06T12:00:00Z", "2026-06-06T13:00:00Z", "2026-06-07T23:00:00Z",
              "2026-06-08T00:00:00Z", kDay + 11 * kHour);
  // Slack is elapsed time, so along a chain in working time it need not be equal: copy's
  // includes hours nobody works. The least is review's.
  EXPECT_EQ(s.critical_path, (std::vector<std::string>{"review"}));
}

TEST(ComputeSchedule, OwnersWithoutACalendarUseTheDefaultOne) {
  // The built-in default is Mon–Fri 09:00–17:00 UTC; the plan's default_calendar replaces it.
  // Launch Mon 06-08T00:00: 1wd ends Fri 06-05 17:00, starts Fri 09:00.
  Schedule built_in = Compute(Parse(R"({"launch": {"at": "2026-06-08T00:00:00Z"},
      "milestones": [{"id": "a", "duration": "1wd", "owner": "nobody"}]})"),
                              "2026-06-01T00:00:00Z");
  EXPECT_EQ(Iso(Find(built_in, "a").latest_start), "2026-06-05T09:00:00Z");
  EXPECT_EQ(Iso(Find(built_in, "a").earliest_finish), "2026-06-01T17:00:00Z");
  // Tokyo 10:00–18:00 is 01:00–09:00Z; Fri 06-05 is a holiday there.
  Schedule custom = Compute(Parse(R"({"launch": {"at": "2026-06-08T00:00:00Z"},
      "default_calendar": {"tz": "Asia/Tokyo", "hours": ["10:00", "18:00"],
                           "holidays": ["2026-06-05"]},
      "milestones": [{"id": "a", "duration": "1wd"}]})"),
                            "2026-06-01T00:00:00Z");
  EXPECT_EQ(Iso(Find(custom, "a").latest_start), "2026-06-04T01:00:00Z");
}

// ---------------------------------------------------------------------------------------------
// What-if and fallback.

TEST(ScheduleWhatIf, ReportsMilestonesAndMarketsPushedPastTheLaunch) {
  Plan plan = Parse(kIssueExample);
  // legal (slack 10d6h30m) delayed 10d: ES 05-30T00:00, slack 6h30m; qa then starts at
  // 05-30T01:30 + 4h = 05-30T05:30, slack 6h30m. Nothing pushed past the launch.
  Result<DelayImpact> ten = DelayMilestone(plan, At("2026-05-20T00:00:00Z"), "legal",
                                           PlanDuration{10, PlanDuration::Unit::kDays});
  ASSERT_TRUE(ten.ok()) << ten.status().ToString();
  EXPECT_EQ(Find(ten->schedule, "legal").slack_seconds, 6 * kHour + 30 * kMinute);
  EXPECT_EQ(Find(ten->schedule, "qa").slack_seconds, 6 * kHour + 30 * kMinute);
  EXPECT_EQ(ten->schedule.critical_path, (std::vector<std::string>{"legal", "qa"}));
  EXPECT_TRUE(ten->pushed_past_launch.empty());
  EXPECT_TRUE(ten->markets_missed.empty());
  // 11d: both go 17h30m negative; qa is held to the earliest market, JP.
  Result<DelayImpact> eleven = DelayMilestone(plan, At("2026-05-20T00:00:00Z"), "legal",
                                              PlanDuration{11, PlanDuration::Unit::kDays});
  ASSERT_TRUE(eleven.ok()) << eleven.status().ToString();
  EXPECT_EQ(Find(eleven->schedule, "qa").slack_seconds, -(17 * kHour + 30 * kMinute));
  EXPECT_EQ(eleven->pushed_past_launch, (std::vector<std::string>{"qa", "legal"}));
  EXPECT_EQ(eleven->markets_missed, (std::vector<std::string>{"JP"}));
  EXPECT_TRUE(eleven->schedule.at_risk);
}

TEST(ScheduleWhatIf, OnlyNewlyLateMilestonesAndMarketsAreReported) {
  // At 05-31T11:00 JP is already missed (global and jp_ads at −11h) and us_ads has 2h of slack;
  // delaying it by 3h pushes it, and with it the US, past the launch.
  Result<DelayImpact> impact =
      DelayMilestone(Parse(kTwoMarkets), At("2026-05-31T11:00:00Z"), "us_ads",
                     PlanDuration{3, PlanDuration::Unit::kHours});
  ASSERT_TRUE(impact.ok()) << impact.status().ToString();
  EXPECT_EQ(impact->pushed_past_launch, (std::vector<std::string>{"us_ads"}));
  EXPECT_EQ(impact->markets_missed, (std::vector<std::string>{"US"}));
}

TEST(ScheduleWhatIf, WorkingDayDelaysUseTheOwnersCalendar) {
  // copy's earliest start moves from Mon 06-01T00:00 by 1wd of ana's time (Mon is a holiday):
  // Tue 17:00; its 2wd then end Thu 17:00.
  Result<DelayImpact> impact =
      DelayMilestone(Parse(kWorkingDays), At("2026-06-01T00:00:00Z"), "copy",
                     PlanDuration{1, PlanDuration::Unit::kWorkingDays});
  ASSERT_TRUE(impact.ok()) << impact.status().ToString();
  EXPECT_EQ(Iso(Find(impact->schedule, "copy").earliest_start), "2026-06-02T17:00:00Z");
  EXPECT_EQ(Iso(Find(impact->schedule, "copy").earliest_finish), "2026-06-04T17:00:00Z");
}

TEST(ScheduleWhatIf, AnUnknownIdIsNotFoundAndNamed) {
  Result<DelayImpact> impact = DelayMilestone(Parse(kIssueExample), At("2026-05-20T00:00:00Z"),
                                              "lgal", PlanDuration{1, PlanDuration::Unit::kDays});
  ASSERT_FALSE(impact.ok());
  EXPECT_EQ(impact.status().code(), StatusCode::kNotFound);
  EXPECT_NE(impact.status().message().find("\"lgal\""), std::string::npos);
}

constexpr char kWithFallback[] = R"({
  "launch": {"at": "2026-06-01T00:00:00Z"},
  "fallback": {"local": "2026-06-08T09:00", "markets": [{"name": "US", "tz": "America/New_York"}]},
  "milestones": [{"id": "build", "duration": "5d"}, {"id": "ship", "duration": "2d", "after": ["build"]}]})";

TEST(ScheduleFallback, HoldsWhenTheLaterLaunchLeavesSlack) {
  Plan plan = Parse(kWithFallback);
  // From 05-28 the 7 days end 06-04: 3 days late for 06-01, 4d13h early for 06-08T13:00Z.
  Schedule primary = Compute(plan, "2026-05-28T00:00:00Z");
  EXPECT_TRUE(primary.at_risk);
  EXPECT_EQ(primary.markets_at_risk, (std::vector<std::string>{"all"}));
  Result<FallbackVerdict> verdict = EvaluateFallback(plan, At("2026-05-28T00:00:00Z"));
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->holds);
  ASSERT_EQ(verdict->schedule.launch.size(), 1u);
  EXPECT_EQ(Iso(verdict->schedule.launch[0].second), "2026-06-08T13:00:00Z");
  EXPECT_EQ(Find(verdict->schedule, "ship").slack_seconds, 4 * kDay + 13 * kHour);
  // From 06-03 even the fallback is missed.
  Result<FallbackVerdict> late = EvaluateFallback(plan, At("2026-06-03T00:00:00Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->holds);
  EXPECT_EQ(late->schedule.markets_at_risk, (std::vector<std::string>{"US"}));
}

TEST(ScheduleFallback, APlanWithoutOneIsAFailedPrecondition) {
  Result<FallbackVerdict> verdict =
      EvaluateFallback(Parse(kIssueExample), At("2026-05-20T00:00:00Z"));
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.status().code(), StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------------------------
// Errors.

Status ComputeError(const std::string& text, const std::string& now = "2026-05-01T00:00:00Z") {
  Result<Plan> plan = ParsePlan(Json::parse(text));
  if (!plan.ok()) return plan.status();
  Result<Schedule> schedule = ComputeSchedule(*plan, At(now));
  EXPECT_FALSE(schedule.ok()) << "computed " << text;
  return schedule.ok() ? Status() : schedule.status();
}

TEST(ComputeSchedule, RefusesDuplicateIds) {
  Status s = ComputeError(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": [
      {"id": "qa", "duration": "1d"}, {"id": "legal", "duration": "1d"},
      {"id": "qa", "duration": "2d"}]})");
  EXPECT_EQ(s.reason(), "duplicate_id");
  EXPECT_EQ(s.field(), "milestones[2].id");
  EXPECT_NE(s.message().find("\"qa\""), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("milestones[0]"), std::string::npos) << s.ToString();
}

TEST(ComputeSchedule, RefusesUnknownDependenciesNamingBothIds) {
  Status s = ComputeError(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": [
      {"id": "legal", "duration": "1d"},
      {"id": "qa", "duration": "1d", "after": ["legal", {"id": "brief", "lag": "1h"}]}]})");
  EXPECT_EQ(s.reason(), "unknown_dependency");
  EXPECT_EQ(s.field(), "milestones[1].after[1]");
  EXPECT_NE(s.message().find("\"qa\""), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("\"brief\""), std::string::npos) << s.ToString();
}

TEST(ComputeSchedule, RefusesCyclesNamingTheirIdsInOrder) {
  Status two = ComputeError(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": [
      {"id": "brief", "duration": "1d"},
      {"id": "qa", "duration": "1d", "after": ["brief", "legal"]},
      {"id": "legal", "duration": "1d", "after": ["qa"]}]})");
  EXPECT_EQ(two.reason(), "cycle");
  EXPECT_EQ(two.field(), "milestones[1].after[1]");
  EXPECT_NE(two.message().find("qa -> legal -> qa"), std::string::npos) << two.ToString();

  // Reached from a milestone downstream of the cycle; reported from its first member.
  Status three = ComputeError(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": [
      {"id": "tail", "duration": "1d", "after": ["c"]},
      {"id": "b", "duration": "1d", "after": ["a"]},
      {"id": "c", "duration": "1d", "after": ["b"]},
      {"id": "a", "duration": "1d", "after": ["c"]}]})");
  EXPECT_EQ(three.reason(), "cycle");
  EXPECT_NE(three.message().find("b -> a -> c -> b"), std::string::npos) << three.ToString();
  EXPECT_EQ(three.field(), "milestones[1].after[0]");
  EXPECT_EQ(three.message().find("tail"), std::string::npos) << three.ToString();

  Status self = ComputeError(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": [
      {"id": "loop", "duration": "1d", "after": ["loop"]}]})");
  EXPECT_EQ(self.reason(), "cycle");
  EXPECT_NE(self.message().find("loop -> loop"), std::string::npos) << self.ToString();
}

TEST(ComputeSchedule, RefusesAnUnknownMarket) {
  Status s = ComputeError(R"({"launch": {"local": "2026-06-01T09:00",
      "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}]},
      "milestones": [{"id": "ads", "duration": "1d", "market": "FR"}]})");
  EXPECT_EQ(s.reason(), "unknown_market");
  EXPECT_EQ(s.field(), "milestones[0].market");
  EXPECT_NE(s.message().find("\"FR\""), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("US, JP"), std::string::npos) << s.ToString();

  // Built in code rather than parsed, ComputeSchedule checks too; and so does the fallback.
  Plan plan = Parse(kWithFallback);
  plan.launch = plan.fallback.value();
  plan.fallback = LaunchSpec{.at = std::nullopt,
                             .local = plan.launch.local,
                             .markets = {Market{"JP", "Asia/Tokyo"}},
                             .on_gap = GapPolicy::kError,
                             .on_overlap = OverlapPolicy::kError};
  plan.milestones[0].market = "US";
  EXPECT_TRUE(ComputeSchedule(plan, At("2026-05-01T00:00:00Z")).ok());
  Result<FallbackVerdict> verdict = EvaluateFallback(plan, At("2026-05-01T00:00:00Z"));
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.status().reason(), "unknown_market");
  EXPECT_NE(verdict.status().message().find("fallback"), std::string::npos);
}

TEST(ComputeSchedule, RefusesALaunchInADstGapNamingMarketAndLocalTime) {
  // New York springs forward on 2026-03-08 at 02:00; London not until 03-29.
  const std::string plan = R"({"launch": {"local": "2026-03-08T02:30", "markets": [
      {"name": "UK", "tz": "Europe/London"}, {"name": "US", "tz": "America/New_York"}]},
      "milestones": [{"id": "a", "duration": "1d"}]})";
  Status s = ComputeError(plan, "2026-03-01T00:00:00Z");
  EXPECT_EQ(s.reason(), "dst_gap");
  EXPECT_EQ(s.field().rfind("launch", 0), 0u) << s.ToString();
  EXPECT_NE(s.message().find("US"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("2026-03-08T02:30"), std::string::npos) << s.ToString();

  // With shift_forward, 02:30 becomes 03:30 EDT = 07:30Z.
  Json shifted = Json::parse(plan);
  shifted["launch"]["on_gap"] = "shift_forward";
  Schedule schedule = Compute(*ParsePlan(shifted), "2026-03-01T00:00:00Z");
  EXPECT_EQ(Iso(schedule.launch[0].second), "2026-03-08T02:30:00Z");
  EXPECT_EQ(Iso(schedule.launch[1].second), "2026-03-08T07:30:00Z");
}

TEST(ComputeSchedule, RefusesAnAmbiguousLaunchUnlessTheOverlapPolicySays) {
  // Sydney falls back on 2026-04-05 at 03:00 AEDT to 02:00 AEST: 02:30 happens twice.
  const std::string plan = R"({"launch": {"local": "2026-04-05T02:30", "markets": [
      {"name": "AU", "tz": "Australia/Sydney"}]}, "milestones": []})";
  Status s = ComputeError(plan, "2026-03-01T00:00:00Z");
  EXPECT_EQ(s.reason(), "dst_overlap");
  EXPECT_NE(s.message().find("AU"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("2026-04-05T02:30"), std::string::npos) << s.ToString();
  Json earliest = Json::parse(plan);
  earliest["launch"]["on_overlap"] = "earliest";
  EXPECT_EQ(Iso(Compute(*ParsePlan(earliest), "2026-03-01T00:00:00Z").launch[0].second),
            "2026-04-04T15:30:00Z");
  Json latest = Json::parse(plan);
  latest["launch"]["on_overlap"] = "latest";
  EXPECT_EQ(Iso(Compute(*ParsePlan(latest), "2026-03-01T00:00:00Z").launch[0].second),
            "2026-04-04T16:30:00Z");
}

TEST(ComputeSchedule, RefusesASchedulePastTheYear9999) {
  Json plan = Json::parse(R"({"launch": {"at": "2026-06-01T00:00:00Z"}, "milestones": []})");
  for (int i = 0; i < 900; ++i) {
    Json m = {{"id", "m" + std::to_string(i)}, {"duration", "520w"}};
    if (i > 0) m["after"] = Json{"m" + std::to_string(i - 1)};
    plan["milestones"].push_back(m);
  }
  Status s = ComputeError(plan.dump());
  EXPECT_EQ(s.reason(), "out_of_range") << s.ToString();

  // Plans built in code are held to ParseDuration's bound too, so that nothing overflows.
  Plan coded = Parse(R"({"launch": {"at": "2026-06-01T00:00:00Z"},
                         "milestones": [{"id": "a", "duration": "1d"}]})");
  coded.milestones[0].buffer = PlanDuration{INT64_MAX / 2, PlanDuration::Unit::kWeeks};
  Result<Schedule> huge = ComputeSchedule(coded, At("2026-05-01T00:00:00Z"));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().reason(), "out_of_range");
  EXPECT_EQ(huge.status().field(), "milestones[0]");
  coded.milestones[0].buffer = PlanDuration{};
  Result<DelayImpact> negative = DelayMilestone(coded, At("2026-05-01T00:00:00Z"), "a",
                                                PlanDuration{-1, PlanDuration::Unit::kDays});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().reason(), "out_of_range");
}

TEST(ParsePlan, NamesThePathOfEveryError) {
  const std::string at = R"("launch": {"at": "2026-06-01T00:00:00Z"})";
  ExpectParseError(R"({"milestones": []})", "required", "launch");
  ExpectParseError("{" + at + "}", "required", "milestones");
  ExpectParseError("{" + at + R"(, "milestones": [], "colour": 1})", "unknown_field", "colour");
  ExpectParseError(R"({"launch": {"at": "2026-06-01T00:00:00Z", "markets": []}, "milestones": []})",
                   "unknown_field", "launch.markets");
  ExpectParseError(R"({"launch": {}, "milestones": []})", "required", "launch");
  ExpectParseError(R"({"launch": {"at": "2026-06-01T00:00:00Z", "local": "2026-06-01T09:00"},
                       "milestones": []})",
                   "invalid_field", "launch");
  ExpectParseError(R"({"launch": {"at": "June 1st"}, "milestones": []})", "invalid_instant",
                   "launch.at");
  ExpectParseError(R"({"launch": {"local": "2026-06-01 09:00",
                       "markets": [{"name": "US", "tz": "America/New_York"}]}, "milestones": []})",
                   "invalid_local_time", "launch.local");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00"}, "milestones": []})", "required",
                   "launch.markets");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00", "markets": []}, "milestones": []})",
                   "too_short", "launch.markets");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00",
                       "markets": [{"name": "US", "tz": "America/Gotham"}]}, "milestones": []})",
                   "unknown_time_zone", "launch.markets[0].tz");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00", "markets": [
                       {"name": "US", "tz": "America/New_York"}, {"name": "US", "tz": "UTC"}]},
                       "milestones": []})",
                   "duplicate_market", "launch.markets[1].name");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00", "on_gap": "skip",
                       "markets": [{"name": "US", "tz": "America/New_York"}]}, "milestones": []})",
                   "invalid_enum", "launch.on_gap");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00", "on_overlap": "first",
                       "markets": [{"name": "US", "tz": "America/New_York"}]}, "milestones": []})",
                   "invalid_enum", "launch.on_overlap");
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00",
                       "markets": [{"name": "US", "tz": "America/New_York", "flag": "x"}]},
                       "milestones": []})",
                   "unknown_field", "launch.markets[0].flag");
  ExpectParseError("{" + at + R"(, "fallback": {"at": "soon"}, "milestones": []})",
                   "invalid_instant", "fallback.at");

  const std::string m = "{" + at + R"(, "milestones": [{"id": "ok", "duration": "1d"}, )";
  ExpectParseError(m + R"({"duration": "1d"}]})", "required", "milestones[1].id");
  ExpectParseError(m + R"({"id": "x"}]})", "required", "milestones[1].duration");
  ExpectParseError(m + R"({"id": "", "duration": "1d"}]})", "too_short", "milestones[1].id");
  ExpectParseError(m + R"({"id": ")" + std::string(65, 'x') + R"(", "duration": "1d"}]})",
                   "too_long", "milestones[1].id");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "colour": 1}]})", "unknown_field",
                   "milestones[1].colour");
  ExpectParseError(m + R"({"id": "x", "duration": "3x"}]})", "invalid_duration",
                   "milestones[1].duration");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "buffer": "-1d"}]})", "invalid_duration",
                   "milestones[1].buffer");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "after": "ok"}]})", "invalid_type",
                   "milestones[1].after");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "after": ["ok", 7]}]})", "invalid_type",
                   "milestones[1].after[1]");
  ExpectParseError(
      m + R"({"id": "x", "duration": "1d", "after": ["ok", {"id": "ok", "lag": "1y"}]}]})",
      "invalid_duration", "milestones[1].after[1].lag");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "after": [{"id": "ok", "lagg": "1h"}]}]})",
                   "unknown_field", "milestones[1].after[0].lagg");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "after": [{"lag": "1h"}]}]})", "required",
                   "milestones[1].after[0].id");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "owner": ""}]})", "too_short",
                   "milestones[1].owner");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "actual_start": "yesterday"}]})",
                   "invalid_instant", "milestones[1].actual_start");
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "actual_start": "2026-05-02T00:00:00Z",
                           "actual_finish": "2026-05-01T00:00:00Z"}]})",
                   "invalid_field", "milestones[1].actual_finish");
  // An "at" launch has no markets to hold a milestone to.
  ExpectParseError(m + R"({"id": "x", "duration": "1d", "market": "US"}]})", "unknown_market",
                   "milestones[1].market");
  // A market missing from the fallback is reported when the plan is read.
  ExpectParseError(R"({"launch": {"local": "2026-06-01T09:00", "markets": [
                       {"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}]},
                       "fallback": {"local": "2026-06-08T09:00", "markets": [
                       {"name": "US", "tz": "America/New_York"}]},
                       "milestones": [{"id": "x", "duration": "1d", "market": "JP"}]})",
                   "unknown_market", "milestones[0].market");

  const std::string c = "{" + at + R"(, "milestones": [], "calendars": {"ana": )";
  ExpectParseError(c + R"({"weekend": true}}})", "unknown_field", "calendars.ana.weekend");
  ExpectParseError(c + R"({"tz": "Mars/Olympus"}}})", "unknown_time_zone", "calendars.ana.tz");
  ExpectParseError(c + R"({"days": ["mon", "funday"]}}})", "invalid_enum", "calendars.ana.days[1]");
  ExpectParseError(c + R"({"days": ["mon", "mon"]}}})", "duplicate_day", "calendars.ana.days[1]");
  ExpectParseError(c + R"({"days": []}}})", "too_short", "calendars.ana.days");
  ExpectParseError(c + R"({"hours": ["9:00", "17:00"]}}})", "too_short", "calendars.ana.hours[0]");
  ExpectParseError(c + R"({"hours": ["09:00", "25:00"]}}})", "invalid_time",
                   "calendars.ana.hours[1]");
  ExpectParseError(c + R"({"hours": ["17:00", "09:00"]}}})", "invalid_hours",
                   "calendars.ana.hours");
  ExpectParseError(c + R"({"hours": ["09:00"]}}})", "invalid_type", "calendars.ana.hours");
  ExpectParseError(c + R"({"holidays": ["2026-02-30"]}}})", "invalid_date",
                   "calendars.ana.holidays[0]");
  ExpectParseError("{" + at + R"(, "milestones": [], "default_calendar": {"tz": "Nowhere"}})",
                   "unknown_time_zone", "default_calendar.tz");

  Result<Plan> not_object = ParsePlan(Json::array());
  EXPECT_FALSE(not_object.ok());
}

TEST(ParsePlan, ReadsEveryKey) {
  Plan plan = Parse(R"({
    "launch": {"local": "2026-06-01T09:00:30", "markets": [{"name": "US", "tz": "America/New_York"}],
               "on_gap": "shift_forward", "on_overlap": "latest"},
    "fallback": {"at": "2026-06-08T13:00:00Z"},
    "milestones": [{"id": "a", "duration": "2wd", "after": ["b", {"id": "b", "lag": "3h"}],
                    "owner": "ana", "buffer": "1d", "market": "US",
                    "actual_start": "2026-05-01T00:00:00Z", "actual_finish": "2026-05-02T00:00:00+02:00"},
                   {"id": "b", "duration": "0s"}],
    "calendars": {"ana": {"tz": "Europe/Paris", "days": ["sat", "mon"], "hours": ["08:30", "24:00"],
                          "holidays": ["2026-05-01", "2026-12-25"]}},
    "default_calendar": {"days": ["sun"]}})");
  EXPECT_EQ(plan.launch.local->ToString(), "2026-06-01T09:00:30");
  EXPECT_EQ(plan.launch.on_gap, GapPolicy::kShiftForward);
  EXPECT_EQ(plan.launch.on_overlap, OverlapPolicy::kLatest);
  ASSERT_TRUE(plan.fallback && plan.fallback->at);
  const Milestone& a = plan.milestones[0];
  EXPECT_EQ(a.duration, (PlanDuration{2, PlanDuration::Unit::kWorkingDays}));
  ASSERT_EQ(a.after.size(), 2u);
  EXPECT_EQ(a.after[0].lag.amount, 0);
  EXPECT_EQ(a.after[1].lag, (PlanDuration{3, PlanDuration::Unit::kHours}));
  EXPECT_EQ(a.owner, "ana");
  EXPECT_EQ(a.buffer, (PlanDuration{1, PlanDuration::Unit::kDays}));
  EXPECT_EQ(a.market, "US");
  EXPECT_EQ(Iso(*a.actual_finish), "2026-05-01T22:00:00Z");
  const WorkingCalendar& ana = plan.calendars.at("ana");
  EXPECT_EQ(ana.tz, "Europe/Paris");
  EXPECT_EQ(ana.working_days, (std::array<bool, 7>{false, true, false, false, false, false, true}));
  EXPECT_EQ(ana.start_minute, 8 * 60 + 30);
  EXPECT_EQ(ana.end_minute, 24 * 60);
  EXPECT_EQ(ana.holidays, (std::set<std::string>{"2026-05-01", "2026-12-25"}));
  EXPECT_EQ(plan.default_calendar.working_days,
            (std::array<bool, 7>{true, false, false, false, false, false, false}));
  EXPECT_EQ(plan.default_calendar.tz, "Etc/UTC");
}

// ---------------------------------------------------------------------------------------------
// Randomized plans against a plain reference.

// The rules of plan.h written as directly as possible: relax every milestone against every other
// until nothing changes (O(n²) per round), calendars looked up by name each time. Shares only the
// launch resolution and the calendar arithmetic with the engine, which have tests of their own.
struct Reference {
  std::vector<Instant> es, ef, ls, lf;
  std::vector<int64_t> slack;
  std::vector<bool> critical;
  std::vector<std::string> critical_path;
  bool at_risk = false;
  std::vector<std::string> markets_at_risk;
};

Reference ComputeReference(const Plan& plan, Instant now, const std::string& delayed_id = "",
                           PlanDuration delay = {}) {
  using std::chrono::seconds;
  const size_t n = plan.milestones.size();
  now = std::chrono::floor<seconds>(now);
  auto launches = ResolveLaunch(plan.launch).value();
  for (auto& [name, t] : launches) t = std::chrono::floor<seconds>(t);
  auto calendar = [&](size_t i) -> const WorkingCalendar& {
    auto it = plan.calendars.find(plan.milestones[i].owner);
    return it == plan.calendars.end() ? plan.default_calendar : it->second;
  };
  auto index_of = [&](const std::string& id) {
    for (size_t j = 0; j < n; ++j) {
      if (plan.milestones[j].id == id) return j;
    }
    ADD_FAILURE() << "no " << id;
    return size_t{0};
  };
  // Milestones j that list i in `after`, with the lag.
  auto successors = [&](size_t i) {
    std::vector<std::pair<size_t, PlanDuration>> out;
    for (size_t j = 0; j < n; ++j) {
      for (const Dependency& d : plan.milestones[j].after) {
        if (d.id == plan.milestones[i].id) out.emplace_back(j, d.lag);
      }
    }
    return out;
  };
  auto launch_of = [&](size_t i) {
    const Milestone& m = plan.milestones[i];
    Instant earliest = launches[0].second;
    for (const auto& [name, t] : launches) {
      if (!plan.launch.at && m.market && *m.market == name) return t;
      earliest = std::min(earliest, t);
    }
    return earliest;
  };
  auto earliest_markets = [&] {
    std::vector<std::string> names;
    Instant earliest = launches[0].second;
    for (const auto& [name, t] : launches) earliest = std::min(earliest, t);
    for (const auto& [name, t] : launches) {
      if (t == earliest) names.push_back(name);
    }
    return names;
  };

  Reference r;
  r.es.assign(n, now);
  r.ef.assign(n, now);
  r.ls.assign(n, now);
  r.lf.assign(n, now);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; ++i) {
      const Milestone& m = plan.milestones[i];
      Instant start = now;
      for (const Dependency& d : m.after) {
        const size_t p = index_of(d.id);
        start = std::max(
            start,
            AddDuration(calendar(i), AddDuration(calendar(p), r.ef[p], plan.milestones[p].buffer),
                        d.lag));
      }
      if (m.actual_start) start = std::chrono::floor<seconds>(*m.actual_start);
      Instant finish = AddDuration(calendar(i), start, m.duration);
      if (m.actual_finish) {
        finish = std::chrono::floor<seconds>(*m.actual_finish);
        if (!m.actual_start) start = SubtractDuration(calendar(i), finish, m.duration);
      }
      if (m.id == delayed_id) {
        start = AddDuration(calendar(i), start, delay);
        finish = m.actual_finish ? AddDuration(calendar(i), finish, delay)
                                 : AddDuration(calendar(i), start, m.duration);
      }
      if (start != r.es[i] || finish != r.ef[i]) changed = true;
      r.es[i] = start;
      r.ef[i] = finish;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; ++i) {
      const Milestone& m = plan.milestones[i];
      Instant required = launch_of(i);
      auto succ = successors(i);
      if (!succ.empty()) {
        required = Instant::max();
        for (const auto& [s, lag] : succ) {
          required = std::min(required, SubtractDuration(calendar(s), r.ls[s], lag));
        }
      }
      const Instant finish = SubtractDuration(calendar(i), required, m.buffer);
      const Instant start = SubtractDuration(calendar(i), finish, m.duration);
      if (finish != r.lf[i] || start != r.ls[i]) changed = true;
      r.lf[i] = finish;
      r.ls[i] = start;
    }
  }
  int64_t least = INT64_MAX;
  for (size_t i = 0; i < n; ++i) {
    const auto slack = plan.milestones[i].actual_finish ? r.lf[i] - r.ef[i] : r.ls[i] - r.es[i];
    r.slack.push_back(std::chrono::duration_cast<seconds>(slack).count());
    least = std::min(least, r.slack.back());
  }
  std::vector<size_t> critical;
  for (size_t i = 0; i < n; ++i) {
    r.critical.push_back(r.slack[i] == least);
    if (r.slack[i] == least) critical.push_back(i);
    if (r.slack[i] < 0) r.at_risk = true;
  }
  std::sort(critical.begin(), critical.end(),
            [&](size_t a, size_t b) { return r.es[a] != r.es[b] ? r.es[a] < r.es[b] : a < b; });
  for (size_t i : critical) r.critical_path.push_back(plan.milestones[i].id);

  // Markets missed: from each late milestone, follow every successor that sets its deadline
  // down to milestones without successors, and take their launch's markets.
  std::set<std::string> missed;
  std::set<size_t> seen;
  std::function<void(size_t)> follow = [&](size_t i) {
    if (!seen.insert(i).second) return;
    auto succ = successors(i);
    if (succ.empty()) {
      const Milestone& m = plan.milestones[i];
      if (plan.launch.at) {
        missed.insert("all");
      } else if (m.market) {
        missed.insert(*m.market);
      } else {
        for (const std::string& name : earliest_markets()) missed.insert(name);
      }
      return;
    }
    Instant required = Instant::max();
    for (const auto& [s, lag] : succ) {
      required = std::min(required, SubtractDuration(calendar(s), r.ls[s], lag));
    }
    for (const auto& [s, lag] : succ) {
      if (SubtractDuration(calendar(s), r.ls[s], lag) == required) follow(s);
    }
  };
  for (size_t i = 0; i < n; ++i) {
    if (r.slack[i] < 0) follow(i);
  }
  for (const auto& [name, t] : launches) {
    if (missed.count(name)) r.markets_at_risk.push_back(name);
  }
  return r;
}

PlanDuration RandomDuration(std::mt19937& rng, bool working_days) {
  using Unit = PlanDuration::Unit;
  std::uniform_int_distribution<int> pick(0, working_days ? 5 : 4);
  switch (pick(rng)) {
    case 0:
      return {std::uniform_int_distribution<int64_t>(0, 7200)(rng), Unit::kSeconds};
    case 1:
      return {std::uniform_int_distribution<int64_t>(0, 600)(rng), Unit::kMinutes};
    case 2:
      return {std::uniform_int_distribution<int64_t>(0, 72)(rng), Unit::kHours};
    case 3:
      return {std::uniform_int_distribution<int64_t>(0, 6)(rng), Unit::kDays};
    case 4:
      return {std::uniform_int_distribution<int64_t>(0, 1)(rng), Unit::kWeeks};
    default:
      return {std::uniform_int_distribution<int64_t>(0, 4)(rng), Unit::kWorkingDays};
  }
}

// A random DAG of 1..60 milestones, listed in an order unrelated to the dependencies, against an
// "at" launch or 1..3 markets of a local launch in June (no DST transitions there).
Plan RandomPlan(std::mt19937& rng, bool working_days) {
  const Market kMarkets[] = {{"US", "America/New_York"},
                             {"JP", "Asia/Tokyo"},
                             {"UK", "Europe/London"},
                             {"IN", "Asia/Kolkata"},
                             {"AU", "Australia/Sydney"}};
  auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
  Plan plan;
  if (chance(0.3)) {
    plan.launch.at = At("2026-06-15T12:00:00Z");
  } else {
    plan.launch.local = *ParseLocalDateTime("2026-06-15T09:00");
    std::vector<Market> markets(std::begin(kMarkets), std::end(kMarkets));
    std::shuffle(markets.begin(), markets.end(), rng);
    markets.resize(std::uniform_int_distribution<size_t>(1, 3)(rng));
    plan.launch.markets = markets;
  }
  if (working_days) {
    WorkingCalendar paris;
    paris.tz = "Europe/Paris";
    paris.holidays = {"2026-05-25", "2026-06-01", "2026-06-08"};
    plan.calendars["paris"] = paris;
    WorkingCalendar weekend;
    weekend.tz = "America/Los_Angeles";
    weekend.working_days = {true, false, false, false, false, false, true};
    weekend.start_minute = 10 * 60;
    weekend.end_minute = 14 * 60 + 30;
    plan.calendars["weekend"] = weekend;
    plan.default_calendar.tz = "Asia/Tokyo";
  }
  const int n = std::uniform_int_distribution<int>(1, 60)(rng);
  // rank[i]: position of milestone i in a hidden topological order.
  std::vector<int> rank(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) rank[static_cast<size_t>(i)] = i;
  std::shuffle(rank.begin(), rank.end(), rng);
  const double edge_probability = std::uniform_real_distribution<double>(0.0, 4.0)(rng) / n;
  const Instant launch = At("2026-06-15T00:00:00Z");
  for (int i = 0; i < n; ++i) {
    Milestone m;
    m.id = "m" + std::to_string(i);
    m.duration = RandomDuration(rng, working_days);
    if (chance(0.3)) m.buffer = RandomDuration(rng, working_days);
    for (int j = 0; j < n; ++j) {
      if (rank[static_cast<size_t>(j)] < rank[static_cast<size_t>(i)] && chance(edge_probability)) {
        Dependency d{.id = "m" + std::to_string(j), .lag = {}};
        if (chance(0.3)) d.lag = RandomDuration(rng, working_days);
        m.after.push_back(d);
      }
    }
    if (working_days) {
      const char* owners[] = {"paris", "weekend", "someone_else"};
      m.owner = owners[std::uniform_int_distribution<int>(0, 2)(rng)];
    }
    if (!plan.launch.at && chance(0.3)) {
      const auto& markets = plan.launch.markets;
      m.market = markets[std::uniform_int_distribution<size_t>(0, markets.size() - 1)(rng)].name;
    }
    const auto days_before = [&rng](int64_t most) {
      return std::chrono::seconds(std::uniform_int_distribution<int64_t>(0, most * kDay)(rng));
    };
    if (chance(0.1)) m.actual_start = launch - days_before(40);
    if (chance(0.1)) {
      m.actual_finish =
          m.actual_start ? *m.actual_start + days_before(5) : launch - days_before(30);
    }
    plan.milestones.push_back(std::move(m));
  }
  return plan;
}

void ExpectMatchesReference(const Schedule& s, const Reference& r) {
  ASSERT_EQ(s.milestones.size(), r.es.size());
  for (size_t i = 0; i < s.milestones.size(); ++i) {
    const ScheduledMilestone& m = s.milestones[i];
    SCOPED_TRACE(m.id);
    ASSERT_EQ(m.earliest_start, r.es[i]);
    ASSERT_EQ(m.earliest_finish, r.ef[i]);
    ASSERT_EQ(m.latest_start, r.ls[i]);
    ASSERT_EQ(m.latest_finish, r.lf[i]);
    ASSERT_EQ(m.slack_seconds, r.slack[i]);
    ASSERT_EQ(m.critical, r.critical[i]);
  }
  ASSERT_EQ(s.critical_path, r.critical_path);
  ASSERT_EQ(s.at_risk, r.at_risk);
  ASSERT_EQ(s.markets_at_risk, r.markets_at_risk);
}

void CheckRandomPlans(uint32_t seed, int count, bool working_days) {
  std::mt19937 rng(seed);
  int at_risk = 0;
  for (int round = 0; round < count; ++round) {
    SCOPED_TRACE("plan " + std::to_string(round) + " of seed " + std::to_string(seed));
    Plan plan = RandomPlan(rng, working_days);
    const Instant now =
        At("2026-06-15T00:00:00Z") -
        std::chrono::seconds(std::uniform_int_distribution<int64_t>(0, 40 * kDay)(rng)) -
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 999)(rng));
    Result<Schedule> schedule = ComputeSchedule(plan, now);
    ASSERT_TRUE(schedule.ok()) << schedule.status().ToString();
    const Reference reference = ComputeReference(plan, now);
    ExpectMatchesReference(*schedule, reference);
    if (schedule->at_risk) ++at_risk;

    // A what-if on a random milestone against the reference with the same delay.
    const Milestone& target =
        plan.milestones[std::uniform_int_distribution<size_t>(0, plan.milestones.size() - 1)(rng)];
    const PlanDuration delay = RandomDuration(rng, working_days);
    Result<DelayImpact> impact = DelayMilestone(plan, now, target.id, delay);
    ASSERT_TRUE(impact.ok()) << impact.status().ToString();
    const Reference delayed = ComputeReference(plan, now, target.id, delay);
    ExpectMatchesReference(impact->schedule, delayed);
    std::vector<std::string> pushed, missed;
    for (size_t i = 0; i < plan.milestones.size(); ++i) {
      if (delayed.slack[i] < 0 && reference.slack[i] >= 0) pushed.push_back(plan.milestones[i].id);
    }
    for (const std::string& market : delayed.markets_at_risk) {
      if (std::count(reference.markets_at_risk.begin(), reference.markets_at_risk.end(), market) ==
          0)
        missed.push_back(market);
    }
    ASSERT_EQ(impact->pushed_past_launch, pushed);
    ASSERT_EQ(impact->markets_missed, missed);
  }
  // The generator must exercise both outcomes.
  EXPECT_GT(at_risk, count / 10);
  EXPECT_LT(at_risk, count - count / 10);
}

TEST(ComputeSchedule, RandomPlansInCalendarTimeMatchTheReference) {
  CheckRandomPlans(20260601, 300, /*working_days=*/false);
}

TEST(ComputeSchedule, RandomPlansWithWorkingDaysMatchTheReference) {
  CheckRandomPlans(7, 60, /*working_days=*/true);
}

TEST(BuildPlanGraph, OrdersEveryMilestoneAfterItsPredecessors) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    Plan plan = RandomPlan(rng, false);
    Result<PlanGraph> graph = BuildPlanGraph(plan.milestones);
    ASSERT_TRUE(graph.ok()) << graph.status().ToString();
    std::vector<size_t> position(plan.milestones.size());
    for (size_t k = 0; k < graph->topological_order.size(); ++k) {
      position[static_cast<size_t>(graph->topological_order[k])] = k;
    }
    ASSERT_EQ(graph->size(), plan.milestones.size());
    for (size_t i = 0; i < plan.milestones.size(); ++i) {
      for (auto e = graph->pred_begin[i]; e < graph->pred_begin[i + 1]; ++e) {
        EXPECT_LT(position[static_cast<size_t>(graph->pred[static_cast<size_t>(e)])], position[i]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scenario files: tests/scenarios/scheduling/NAME.plan.json with NAME.expected.json, which holds
// "now" and either the exact output of ScheduleToJson or {"error": {"reason", "field",
// "message_contains"}}.

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SchedulingScenarios, EveryScenarioMatchesItsExpectedOutput) {
  const std::filesystem::path dir = std::filesystem::path(TUTTI_SCENARIOS_DIR) / "scheduling";
  const std::string suffix = ".plan.json";
  int scenarios = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.size() <= suffix.size() || file.substr(file.size() - suffix.size()) != suffix)
      continue;
    const std::string name = file.substr(0, file.size() - suffix.size());
    SCOPED_TRACE(name);
    ++scenarios;
    Json expected = Json::parse(ReadFile(dir / (name + ".expected.json")));
    const Instant now = At(expected.at("now").get<std::string>());
    expected.erase("now");
    Result<Plan> plan = ParsePlan(Json::parse(ReadFile(entry.path())));
    Result<Schedule> schedule =
        plan.ok() ? ComputeSchedule(*plan, now) : Result<Schedule>(plan.status());
    if (expected.contains("error")) {
      ASSERT_FALSE(schedule.ok());
      const Json& error = expected["error"];
      EXPECT_EQ(schedule.status().reason(), error.at("reason").get<std::string>());
      EXPECT_EQ(schedule.status().field(), error.at("field").get<std::string>());
      EXPECT_NE(schedule.status().message().find(error.at("message_contains").get<std::string>()),
                std::string::npos)
          << schedule.status().ToString();
      continue;
    }
    ASSERT_TRUE(schedule.ok()) << schedule.status().ToString();
    const Json actual = ScheduleToJson(*schedule);
    EXPECT_EQ(actual, expected) << "actual:\n" << actual.dump(2);
  }
  EXPECT_GE(scenarios, 6);
}

}  // namespace
}  // namespace tutti::scheduling
