// The plan engine at the scale of issue 3: 100 000 milestones with 300 000 finish-to-start
// dependencies (a random DAG, listed in an order unrelated to its dependencies), both passes,
// slack, critical path and markets at risk. The baseline in the same run is building the graph
// alone (id index + Kahn's topological order), so the passes' cost reads as a ratio. Variants:
// every duration in calendar time, and 20% of milestones in working days on ten owners'
// calendars. Seeded, so every run measures the same plan.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tutti/scheduling/plan.h"
#include "tutti/scheduling/plan_graph.h"

namespace tutti::scheduling {
namespace {

constexpr int kMilestones = 100'000;
constexpr int kDependencies = 300'000;

Instant Now() { return *ParseInstant("2026-01-05T09:00:00Z"); }

Plan MakePlan(double working_day_share) {
  using Unit = PlanDuration::Unit;
  std::mt19937_64 rng(20260601);
  Plan plan;
  plan.launch.local = *ParseLocalDateTime("2026-09-01T09:00");
  plan.launch.markets = {{"US", "America/New_York"},
                         {"GB", "Europe/London"},
                         {"JP", "Asia/Tokyo"},
                         {"AU", "Australia/Sydney"}};
  const char* const zones[] = {"Europe/Paris", "America/Chicago", "Asia/Kolkata", "Europe/London",
                               "America/Los_Angeles"};
  for (int c = 0; c < 10; ++c) {
    WorkingCalendar calendar;
    calendar.tz = zones[c % 5];
    calendar.holidays = {"2026-01-01", "2026-04-03", "2026-05-01", "2026-05-25", "2026-08-31"};
    plan.calendars["owner" + std::to_string(c)] = calendar;
  }
  // Milestone k of the hidden topological order is listed at position `slot[k]`.
  std::vector<int> slot(kMilestones);
  std::iota(slot.begin(), slot.end(), 0);
  std::shuffle(slot.begin(), slot.end(), rng);
  plan.milestones.resize(kMilestones);
  std::uniform_int_distribution<int> hours(1, 120);
  std::bernoulli_distribution working(working_day_share), sometimes(0.2), market(0.1);
  for (int k = 0; k < kMilestones; ++k) {
    Milestone& m = plan.milestones[static_cast<size_t>(slot[static_cast<size_t>(k)])];
    m.id = "milestone-" + std::to_string(k);
    m.owner = "owner" + std::to_string(k % 10);
    m.duration = working(rng) ? PlanDuration{hours(rng) % 5 + 1, Unit::kWorkingDays}
                              : PlanDuration{hours(rng), Unit::kHours};
    if (sometimes(rng)) m.buffer = PlanDuration{hours(rng) % 24, Unit::kHours};
    if (market(rng)) m.market = plan.launch.markets[static_cast<size_t>(k % 4)].name;
  }
  // Each dependency joins a milestone to one up to 2 000 places before it in the hidden order:
  // long chains (a few hundred deep) rather than a shallow fan.
  for (int e = 0; e < kDependencies; ++e) {
    const int to = std::uniform_int_distribution<int>(1, kMilestones - 1)(rng);
    const int from = std::uniform_int_distribution<int>(std::max(0, to - 2000), to - 1)(rng);
    Dependency d{.id = "milestone-" + std::to_string(from), .lag = {}};
    if (sometimes(rng)) d.lag = PlanDuration{hours(rng) % 12, Unit::kHours};
    plan.milestones[static_cast<size_t>(slot[static_cast<size_t>(to)])].after.push_back(d);
  }
  return plan;
}

const Plan& CalendarTimePlan() {
  static const Plan plan = MakePlan(0.0);
  return plan;
}

const Plan& WorkingDaysPlan() {
  static const Plan plan = MakePlan(0.2);
  return plan;
}

void SetCounters(benchmark::State& state) {
  state.counters["milestones"] = kMilestones;
  state.counters["dependencies"] = kDependencies;
  state.SetItemsProcessed(state.iterations() * kMilestones);
}

void BM_TopologicalOrderOnly_Baseline(benchmark::State& state) {
  const Plan& plan = CalendarTimePlan();
  for (auto _ : state) {
    Result<PlanGraph> graph = BuildPlanGraph(plan.milestones);
    if (!graph.ok()) state.SkipWithError(graph.status().ToString().c_str());
    benchmark::DoNotOptimize(graph);
  }
  SetCounters(state);
}
BENCHMARK(BM_TopologicalOrderOnly_Baseline)->Unit(benchmark::kMillisecond);

void RunComputeSchedule(benchmark::State& state, const Plan& plan) {
  bool reported = false;
  for (auto _ : state) {
    Result<Schedule> schedule = ComputeSchedule(plan, Now());
    if (!schedule.ok()) state.SkipWithError(schedule.status().ToString().c_str());
    if (!reported && schedule.ok()) {
      state.counters["critical"] = static_cast<double>(schedule->critical_path.size());
      state.counters["at_risk"] = schedule->at_risk ? 1 : 0;
      reported = true;
    }
    benchmark::DoNotOptimize(schedule);
  }
  SetCounters(state);
}

void BM_ComputeSchedule_CalendarTime(benchmark::State& state) {
  RunComputeSchedule(state, CalendarTimePlan());
}
BENCHMARK(BM_ComputeSchedule_CalendarTime)->Unit(benchmark::kMillisecond);

void BM_ComputeSchedule_20PercentWorkingDays(benchmark::State& state) {
  RunComputeSchedule(state, WorkingDaysPlan());
}
BENCHMARK(BM_ComputeSchedule_20PercentWorkingDays)->Unit(benchmark::kMillisecond);

// What `tutti schedule plan` adds around the engine: writing the result as JSON.
void BM_ScheduleToJson(benchmark::State& state) {
  const Schedule schedule = *ComputeSchedule(CalendarTimePlan(), Now());
  for (auto _ : state) benchmark::DoNotOptimize(ScheduleToJson(schedule).dump());
  SetCounters(state);
}
BENCHMARK(BM_ScheduleToJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tutti::scheduling

BENCHMARK_MAIN();
