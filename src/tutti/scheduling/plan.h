// Plans and their schedule: milestones with durations, finish-to-start dependencies (with lag)
// and buffers, back-calculated from the launch (latest start/finish) and forward-calculated from
// now or from actual dates (earliest start/finish); slack, critical path, "at risk", what-if
// delays and a fallback launch. Pure; thread-safe; O(milestones + dependencies) per pass.
//
// Rules (issue 3): a milestone with no successor must finish by its launch − its buffer;
// otherwise by min(latest start of successors − lag) − its buffer; latest start = latest finish −
// duration. Earliest start = max(now, max over predecessors of earliest finish + their buffer +
// lag); actual start/finish replace the computed ones. Slack = latest start − earliest start
// (for a finished milestone, latest finish − actual finish). A milestone's launch is its
// market's, or the earliest market launch when it names none. Instants are whole seconds.
// docs/scheduling.md has the file format, the rules in full and worked examples.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/json.h"
#include "tutti/scheduling/duration.h"
#include "tutti/scheduling/launch.h"
#include "tutti/scheduling/working_calendar.h"

namespace tutti::scheduling {

struct Dependency {
  std::string id;
  PlanDuration lag;
};

struct Milestone {
  std::string id;
  PlanDuration duration;
  std::vector<Dependency> after;
  std::string owner;  // names a calendar in Plan::calendars when working days are used
  PlanDuration buffer;
  std::optional<std::string> market;
  std::optional<Instant> actual_start;
  std::optional<Instant> actual_finish;
};

struct Plan {
  LaunchSpec launch;
  std::optional<LaunchSpec> fallback;
  std::vector<Milestone> milestones;
  std::map<std::string, WorkingCalendar> calendars;  // by owner
  WorkingCalendar default_calendar;                  // for owners without one
};

struct ScheduledMilestone {
  std::string id;
  Instant earliest_start, earliest_finish, latest_start, latest_finish;
  int64_t slack_seconds = 0;
  bool critical = false;
};

struct Schedule {
  std::vector<std::pair<std::string, Instant>> launch;  // market (or "all") -> instant
  std::vector<ScheduledMilestone> milestones;           // in the plan's order
  std::vector<std::string> critical_path;               // ids, earliest first
  bool at_risk = false;
  // Markets whose launch some milestone misses, in launch order: from each milestone with
  // negative slack, the launch of the milestones without successors that its latest finish was
  // derived from (through every tied successor); the earliest market(s) for those naming none.
  std::vector<std::string> markets_at_risk;
};

// Errors (kInvalidArgument, field named): unknown dependency ids ("milestones[2].after[0]"),
// duplicate ids, cycles (reason "cycle", message listing the ids in the cycle), unknown market,
// launch errors (launch.h), invalid calendars, durations beyond 10 years or a schedule beyond
// the years 0001..9999 ("out_of_range"). O(milestones + dependencies).
Result<Schedule> ComputeSchedule(const Plan& plan, Instant now);

struct DelayImpact {
  Schedule schedule;
  std::vector<std::string> pushed_past_launch;  // milestones whose slack became negative
  std::vector<std::string> markets_missed;      // markets newly at risk
};
// "Delay milestone `id` by `delay`": its earliest start (and a recorded actual finish) moves later
// by `delay`, working days on its owner's calendar. Lists are in plan and launch order.
// kNotFound for an unknown id; otherwise the errors of ComputeSchedule.
Result<DelayImpact> DelayMilestone(const Plan& plan, Instant now, const std::string& id,
                                   const PlanDuration& delay);

struct FallbackVerdict {
  Schedule schedule;
  bool holds = false;  // no negative slack against the fallback launch
};
// kFailedPrecondition when the plan has no fallback.
Result<FallbackVerdict> EvaluateFallback(const Plan& plan, Instant now);

// The plan file format of `tutti schedule plan` (see docs/scheduling.md) and the output format.
// ParsePlan refuses unknown keys and checks types, bounds, zones, calendars and that milestone
// markets exist in the launch and the fallback; kInvalidArgument with the JSON path as field
// ("milestones[3].after[1].lag"). Graph and DST errors come from ComputeSchedule.
Result<Plan> ParsePlan(const Json& document);
Json ScheduleToJson(const Schedule& schedule);

// A launch stored as local time + zone is resolved again on every read, so an update of the tz
// database can move its instant. `recorded` is what an earlier resolution gave, as
// ScheduleToJson writes "launch" ({"US": "2026-06-01T13:00:00Z"}); the result lists the markets
// whose instant differs now, in `launch` order. Markets absent on either side, or recorded values
// that are not instants, are skipped.
struct LaunchMove {
  std::string market;
  Instant was;
  Instant now;
};
std::vector<LaunchMove> MovedLaunches(const Json& recorded,
                                      const std::vector<std::pair<std::string, Instant>>& launch);
Json LaunchToJson(const std::vector<std::pair<std::string, Instant>>& launch);

}  // namespace tutti::scheduling
