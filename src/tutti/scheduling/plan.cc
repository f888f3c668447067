// Plans: reading the plan file (strict, every error at its JSON path), and the schedule. The
// plan is first reduced to flat vectors (durations in seconds or working days, one calendar
// pointer per milestone that needs one, the graph of plan_graph.h); the forward pass runs over
// the topological order, the backward pass over its reverse, both on int64 seconds without
// allocating. Pure; thread-safe.
#include "tutti/scheduling/plan.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "tutti/scheduling/plan_graph.h"

namespace tutti::scheduling {
namespace {

// Bounds on a plan file: generous for real launches, small enough that a hostile file cannot
// make the engine allocate without limit.
constexpr size_t kMaxMilestones = 1'000'000;
constexpr size_t kMaxDependenciesPerMilestone = 100'000;
constexpr size_t kMaxMarkets = 1'000;
constexpr size_t kMaxCalendars = 100'000;
constexpr size_t kMaxHolidays = 10'000;
constexpr size_t kMaxIdLength = 64;

// ---------------------------------------------------------------------------------------------
// Reading the plan file.

// Puts `path` on a status from a parser that does not know where its text came from.
Status AtPath(const Status& status, const std::string& path) {
  Status copy = status;
  return std::move(copy).WithField(path);
}

// ValidateCalendar names WorkingCalendar's members; the file's keys are named differently.
Status CalendarError(const Status& status, const std::string& path) {
  const std::string& member = status.field();
  const std::string key = member == "start_minute"   ? "hours[0]"
                          : member == "end_minute"   ? "hours[1]"
                          : member == "working_days" ? "days"
                                                     : member;
  return AtPath(status, key.empty() ? path : JoinPath(path, key));
}

const Json* Find(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Status Required(const std::string& path) { return InvalidArgument("required", path, "required"); }

Result<PlanDuration> ReadDuration(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 1, 32));
  Result<PlanDuration> parsed = ParseDuration(text);
  if (!parsed.ok()) return AtPath(parsed.status(), path);
  return parsed;
}

Result<Instant> ReadInstant(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 1, 64));
  Result<Instant> parsed = ParseInstant(text);
  if (!parsed.ok()) return AtPath(parsed.status(), path);
  return parsed;
}

Result<std::string> ReadTimeZone(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string tz, ReadString(value, path, 1, 64));
  if (!IsKnownTimeZone(tz)) {
    return InvalidArgument(
        "unknown time zone \"" + tz + "\"; expected an IANA name like Europe/Paris", path,
        "unknown_time_zone");
  }
  return tz;
}

Result<LaunchSpec> ReadLaunch(const Json& json, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(json, path));
  const Json* at = Find(json, "at");
  const Json* local = Find(json, "local");
  if ((at == nullptr) == (local == nullptr)) {
    return at == nullptr
               ? InvalidArgument("required: \"at\" (one UTC instant) or \"local\" with markets",
                                 path, "required")
               : InvalidArgument("give \"at\" or \"local\", not both", path, "invalid_field");
  }
  LaunchSpec spec;
  if (at != nullptr) {
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(json, {"at"}, path));
    TUTTI_ASSIGN_OR_RETURN(spec.at, ReadInstant(*at, JoinPath(path, "at")));
    return spec;
  }
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(json, {"local", "markets", "on_gap", "on_overlap"}, path));
  const std::string local_path = JoinPath(path, "local");
  TUTTI_ASSIGN_OR_RETURN(std::string local_text, ReadString(*local, local_path, 1, 32));
  Result<LocalDateTime> parsed_local = ParseLocalDateTime(local_text);
  if (!parsed_local.ok()) return AtPath(parsed_local.status(), local_path);
  spec.local = *parsed_local;

  const std::string markets_path = JoinPath(path, "markets");
  const Json* markets = Find(json, "markets");
  if (markets == nullptr) return Required(markets_path);
  TUTTI_RETURN_IF_ERROR(RequireArray(*markets, markets_path, kMaxMarkets));
  if (markets->empty()) {
    return InvalidArgument("a local launch needs at least one market", markets_path, "too_short");
  }
  for (size_t i = 0; i < markets->size(); ++i) {
    const Json& entry = (*markets)[i];
    const std::string entry_path = JoinPath(markets_path, i);
    TUTTI_RETURN_IF_ERROR(RequireObject(entry, entry_path));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(entry, {"name", "tz"}, entry_path));
    Market market;
    const Json* name = Find(entry, "name");
    if (name == nullptr) return Required(JoinPath(entry_path, "name"));
    TUTTI_ASSIGN_OR_RETURN(market.name, ReadString(*name, JoinPath(entry_path, "name"), 1, 64));
    for (const Market& earlier : spec.markets) {
      if (earlier.name == market.name) {
        return InvalidArgument("market \"" + market.name + "\" is listed twice",
                               JoinPath(entry_path, "name"), "duplicate_market");
      }
    }
    const Json* tz = Find(entry, "tz");
    if (tz == nullptr) return Required(JoinPath(entry_path, "tz"));
    TUTTI_ASSIGN_OR_RETURN(market.tz, ReadTimeZone(*tz, JoinPath(entry_path, "tz")));
    spec.markets.push_back(std::move(market));
  }

  if (const Json* on_gap = Find(json, "on_gap")) {
    static constexpr std::array<std::string_view, 2> kGap = {"error", "shift_forward"};
    TUTTI_ASSIGN_OR_RETURN(std::string policy, ReadEnum(*on_gap, JoinPath(path, "on_gap"), kGap));
    spec.on_gap = policy == "shift_forward" ? GapPolicy::kShiftForward : GapPolicy::kError;
  }
  if (const Json* on_overlap = Find(json, "on_overlap")) {
    static constexpr std::array<std::string_view, 3> kOverlap = {"error", "earliest", "latest"};
    TUTTI_ASSIGN_OR_RETURN(std::string policy,
                           ReadEnum(*on_overlap, JoinPath(path, "on_overlap"), kOverlap));
    spec.on_overlap = policy == "earliest" ? OverlapPolicy::kEarliest
                      : policy == "latest" ? OverlapPolicy::kLatest
                                           : OverlapPolicy::kError;
  }
  return spec;
}

// "09:00" -> 540; "24:00" only when `allow_midnight_end`.
Result<int> ReadClockTime(const Json& value, const std::string& path, bool allow_midnight_end) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 5, 5));
  const auto digit = [&text](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || text[2] != ':' || !digit(3) || !digit(4)) {
    return InvalidArgument("expected a time like 09:00", path, "invalid_time");
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && (minute != 0 || !allow_midnight_end))) {
    return InvalidArgument(
        "expected a time between 00:00 and " + std::string(allow_midnight_end ? "24:00" : "23:59"),
        path, "invalid_time");
  }
  return hour * 60 + minute;
}

bool IsCalendarDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (size_t p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{parts[0]},
                                         std::chrono::month{static_cast<unsigned>(parts[1])},
                                         std::chrono::day{static_cast<unsigned>(parts[2])}};
  return date.ok();
}

Result<WorkingCalendar> ReadCalendar(const Json& json, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(json, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(json, {"tz", "days", "hours", "holidays"}, path));
  WorkingCalendar calendar;
  if (const Json* tz = Find(json, "tz")) {
    TUTTI_ASSIGN_OR_RETURN(calendar.tz, ReadTimeZone(*tz, JoinPath(path, "tz")));
  }
  if (const Json* days = Find(json, "days")) {
    static constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed",
                                                              "thu", "fri", "sat"};
    const std::string days_path = JoinPath(path, "days");
    TUTTI_RETURN_IF_ERROR(RequireArray(*days, days_path, 7));
    if (days->empty()) {
      return InvalidArgument("a working calendar needs at least one working day", days_path,
                             "too_short");
    }
    calendar.working_days.fill(false);
    for (size_t i = 0; i < days->size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(std::string day, ReadEnum((*days)[i], JoinPath(days_path, i), kDays));
      const auto index =
          static_cast<size_t>(std::find(kDays.begin(), kDays.end(), day) - kDays.begin());
      if (calendar.working_days[index]) {
        return InvalidArgument("\"" + day + "\" is listed twice", JoinPath(days_path, i),
                               "duplicate_day");
      }
      calendar.working_days[index] = true;
    }
  }
  if (const Json* hours = Find(json, "hours")) {
    const std::string hours_path = JoinPath(path, "hours");
    if (!hours->is_array() || hours->size() != 2) {
      return InvalidArgument("expected [start, end] like [\"09:00\", \"17:00\"]", hours_path,
                             "invalid_type");
    }
    TUTTI_ASSIGN_OR_RETURN(calendar.start_minute,
                           ReadClockTime((*hours)[0], JoinPath(hours_path, 0), false));
    TUTTI_ASSIGN_OR_RETURN(calendar.end_minute,
                           ReadClockTime((*hours)[1], JoinPath(hours_path, 1), true));
    if (calendar.start_minute >= calendar.end_minute) {
      return InvalidArgument("the working day must end after it starts", hours_path,
                             "invalid_hours");
    }
  }
  if (const Json* holidays = Find(json, "holidays")) {
    const std::string holidays_path = JoinPath(path, "holidays");
    TUTTI_RETURN_IF_ERROR(RequireArray(*holidays, holidays_path, kMaxHolidays));
    for (size_t i = 0; i < holidays->size(); ++i) {
      const std::string holiday_path = JoinPath(holidays_path, i);
      TUTTI_ASSIGN_OR_RETURN(std::string date, ReadString((*holidays)[i], holiday_path, 10, 10));
      if (!IsCalendarDate(date)) {
        return InvalidArgument("expected a date like 2026-05-01", holiday_path, "invalid_date");
      }
      calendar.holidays.insert(std::move(date));
    }
  }
  Status valid = ValidateCalendar(calendar);
  if (!valid.ok()) return CalendarError(valid, path);
  return calendar;
}

Result<Dependency> ReadDependency(const Json& json, const std::string& path) {
  Dependency dependency{.id = {}, .lag = PlanDuration{}};
  if (json.is_string()) {
    TUTTI_ASSIGN_OR_RETURN(dependency.id, ReadString(json, path, 1, kMaxIdLength));
    return dependency;
  }
  if (!json.is_object()) {
    return InvalidArgument("expected a milestone id or {\"id\": …, \"lag\": …}", path,
                           "invalid_type");
  }
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(json, {"id", "lag"}, path));
  const Json* id = Find(json, "id");
  if (id == nullptr) return Required(JoinPath(path, "id"));
  TUTTI_ASSIGN_OR_RETURN(dependency.id, ReadString(*id, JoinPath(path, "id"), 1, kMaxIdLength));
  if (const Json* lag = Find(json, "lag")) {
    TUTTI_ASSIGN_OR_RETURN(dependency.lag, ReadDuration(*lag, JoinPath(path, "lag")));
  }
  return dependency;
}

Result<Milestone> ReadMilestone(const Json& json, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(json, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      json,
      {"id", "duration", "after", "owner", "buffer", "market", "actual_start", "actual_finish"},
      path));
  Milestone milestone;
  const Json* id = Find(json, "id");
  if (id == nullptr) return Required(JoinPath(path, "id"));
  TUTTI_ASSIGN_OR_RETURN(milestone.id, ReadString(*id, JoinPath(path, "id"), 1, kMaxIdLength));
  const Json* duration = Find(json, "duration");
  if (duration == nullptr) return Required(JoinPath(path, "duration"));
  TUTTI_ASSIGN_OR_RETURN(milestone.duration, ReadDuration(*duration, JoinPath(path, "duration")));
  if (const Json* after = Find(json, "after")) {
    const std::string after_path = JoinPath(path, "after");
    TUTTI_RETURN_IF_ERROR(RequireArray(*after, after_path, kMaxDependenciesPerMilestone));
    milestone.after.reserve(after->size());
    for (size_t k = 0; k < after->size(); ++k) {
      TUTTI_ASSIGN_OR_RETURN(Dependency dependency,
                             ReadDependency((*after)[k], JoinPath(after_path, k)));
      milestone.after.push_back(std::move(dependency));
    }
  }
  if (const Json* owner = Find(json, "owner")) {
    TUTTI_ASSIGN_OR_RETURN(milestone.owner,
                           ReadString(*owner, JoinPath(path, "owner"), 1, kMaxIdLength));
  }
  if (const Json* buffer = Find(json, "buffer")) {
    TUTTI_ASSIGN_OR_RETURN(milestone.buffer, ReadDuration(*buffer, JoinPath(path, "buffer")));
  }
  if (const Json* market = Find(json, "market")) {
    TUTTI_ASSIGN_OR_RETURN(milestone.market, ReadString(*market, JoinPath(path, "market"), 1, 64));
  }
  if (const Json* start = Find(json, "actual_start")) {
    TUTTI_ASSIGN_OR_RETURN(milestone.actual_start,
                           ReadInstant(*start, JoinPath(path, "actual_start")));
  }
  if (const Json* finish = Find(json, "actual_finish")) {
    TUTTI_ASSIGN_OR_RETURN(milestone.actual_finish,
                           ReadInstant(*finish, JoinPath(path, "actual_finish")));
  }
  if (milestone.actual_start && milestone.actual_finish &&
      *milestone.actual_finish < *milestone.actual_start) {
    return InvalidArgument("must not be before actual_start", JoinPath(path, "actual_finish"),
                           "invalid_field");
  }
  return milestone;
}

// ---------------------------------------------------------------------------------------------
// Computing the schedule. Instants are whole seconds since the epoch in int64 inside the passes.

constexpr int64_t kNone = INT64_MIN;
// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what ISO-8601 with four-digit years can show.
constexpr int64_t kEarliestSecond = -62'135'596'800;
constexpr int64_t kLatestSecond = 253'402'300'799;

int64_t ToSeconds(Instant t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}
Instant FromSeconds(int64_t s) { return Instant(std::chrono::seconds(s)); }
bool InRange(int64_t s) { return s >= kEarliestSecond && s <= kLatestSecond; }

int64_t AddWorking(const WorkingCalendar* calendar, int64_t from, int64_t days) {
  return ToSeconds(AddWorkingDays(*calendar, FromSeconds(from), days));
}
int64_t SubtractWorking(const WorkingCalendar* calendar, int64_t from, int64_t days) {
  return ToSeconds(SubtractWorkingDays(*calendar, FromSeconds(from), days));
}

std::string MilestonePath(size_t i) { return JoinPath("milestones", i); }

// Plans built in code skip ParseDuration's bound (10 years, 3653 days), checked before use so
// that no sum can overflow; the amount is capped before it is converted to seconds.
bool WithinTenYears(const PlanDuration& d) {
  constexpr int64_t kMaxDays = 3653;
  return d.amount >= 0 && d.amount <= kMaxDays * 86400 &&
         (d.IsWorkingTime() ? d.amount <= kMaxDays
                            : d.CalendarSeconds().count() <= kMaxDays * 86400);
}

// The plan reduced to flat per-milestone and per-edge numbers, so that the passes touch no
// strings and allocate nothing. Durations, buffers and lags are seconds, or working days where
// the matching flag is set; `calendar` is set for the milestones that have any working days (a
// lag counts for the milestone that waits, whose owner's calendar it is measured in).
struct PreparedPlan {
  PlanGraph graph;
  std::vector<int64_t> duration, buffer, lag;
  std::vector<uint8_t> duration_in_working_days, buffer_in_working_days, lag_in_working_days;
  std::vector<const WorkingCalendar*> calendar;
  std::vector<int64_t> actual_start, actual_finish;  // kNone when not known
};

class CalendarResolver {
 public:
  explicit CalendarResolver(const Plan& plan) : plan_(plan) {}

  // The owner's calendar, else the default one; validated once each.
  Result<const WorkingCalendar*> For(const std::string& owner) {
    auto it = plan_.calendars.find(owner);
    const bool own = it != plan_.calendars.end();
    const WorkingCalendar* calendar = own ? &it->second : &plan_.default_calendar;
    if (validated_.insert(calendar).second) {
      const std::string path = own ? JoinPath("calendars", owner) : "default_calendar";
      Status valid = ValidateCalendar(*calendar);
      if (!valid.ok()) return CalendarError(valid, path);
    }
    return calendar;
  }

 private:
  const Plan& plan_;
  std::unordered_set<const WorkingCalendar*> validated_;
};

Result<PreparedPlan> Prepare(const Plan& plan) {
  TUTTI_ASSIGN_OR_RETURN(PlanGraph graph, BuildPlanGraph(plan.milestones));
  const size_t n = plan.milestones.size();
  const size_t edges = graph.pred.size();
  PreparedPlan p;
  p.graph = std::move(graph);
  p.duration.assign(n, 0);
  p.buffer.assign(n, 0);
  p.duration_in_working_days.assign(n, 0);
  p.buffer_in_working_days.assign(n, 0);
  p.calendar.assign(n, nullptr);
  p.actual_start.assign(n, kNone);
  p.actual_finish.assign(n, kNone);
  p.lag.assign(edges, 0);
  p.lag_in_working_days.assign(edges, 0);
  CalendarResolver calendars(plan);
  const auto amount = [](const PlanDuration& d) {
    return d.IsWorkingTime() ? d.amount : d.CalendarSeconds().count();
  };
  size_t edge = 0;
  for (size_t i = 0; i < n; ++i) {
    const Milestone& m = plan.milestones[i];
    bool bounded = WithinTenYears(m.duration) && WithinTenYears(m.buffer);
    for (const Dependency& d : m.after) bounded = bounded && WithinTenYears(d.lag);
    if (!bounded) {
      return InvalidArgument("durations, buffers and lags must be 0 to 10 years", MilestonePath(i),
                             "out_of_range");
    }
    bool needs_calendar = m.duration.IsWorkingTime() || m.buffer.IsWorkingTime();
    p.duration[i] = amount(m.duration);
    p.duration_in_working_days[i] = m.duration.IsWorkingTime();
    p.buffer[i] = amount(m.buffer);
    p.buffer_in_working_days[i] = m.buffer.IsWorkingTime();
    for (const Dependency& d : m.after) {
      p.lag[edge] = amount(d.lag);
      p.lag_in_working_days[edge] = d.lag.IsWorkingTime();
      needs_calendar = needs_calendar || d.lag.IsWorkingTime();
      ++edge;
    }
    if (needs_calendar) {
      TUTTI_ASSIGN_OR_RETURN(p.calendar[i], calendars.For(m.owner));
    }
    if (m.actual_start) p.actual_start[i] = ToSeconds(*m.actual_start);
    if (m.actual_finish) p.actual_finish[i] = ToSeconds(*m.actual_finish);
    if (m.actual_start && m.actual_finish && p.actual_finish[i] < p.actual_start[i]) {
      return InvalidArgument("must not be before actual_start",
                             JoinPath(MilestonePath(i), "actual_finish"), "invalid_field");
    }
  }
  return p;
}

// A launch resolved to instants, and which one each milestone is held to.
struct ResolvedLaunch {
  std::vector<std::pair<std::string, Instant>> markets;  // as Schedule::launch
  std::vector<int64_t> at;                               // seconds, per market
  int64_t earliest = 0;
  // Per milestone: index into `markets`, or kEarliest for the earliest market launch(es).
  std::vector<int32_t> held_to;
  static constexpr int32_t kEarliest = -1;

  int64_t DeadlineFor(int32_t market) const {
    return market == kEarliest ? earliest : at[static_cast<size_t>(market)];
  }
};

// Which launch each milestone is held to: its market's, or the earliest. `which` is "launch" or
// "fallback", for paths and messages. An "at" launch is one instant for every market, so market
// names are not looked up there.
Result<std::vector<int32_t>> HeldTo(const std::vector<Milestone>& milestones,
                                    const LaunchSpec& spec, const std::string& which) {
  std::vector<int32_t> held_to(milestones.size(), ResolvedLaunch::kEarliest);
  if (spec.at) return held_to;
  std::unordered_map<std::string_view, int32_t> by_name;
  for (size_t k = 0; k < spec.markets.size(); ++k) {
    by_name.emplace(spec.markets[k].name, static_cast<int32_t>(k));
  }
  for (size_t i = 0; i < milestones.size(); ++i) {
    if (!milestones[i].market) continue;
    auto it = by_name.find(*milestones[i].market);
    if (it == by_name.end()) {
      std::string names;
      for (const Market& market : spec.markets) names += (names.empty() ? "" : ", ") + market.name;
      return InvalidArgument("unknown market \"" + *milestones[i].market + "\"; the " +
                                 (which == "launch" ? "launch" : "fallback launch") +
                                 " has markets " + names,
                             JoinPath(MilestonePath(i), "market"), "unknown_market");
    }
    held_to[i] = it->second;
  }
  return held_to;
}

Result<ResolvedLaunch> Resolve(const Plan& plan, const LaunchSpec& spec, const std::string& which) {
  ResolvedLaunch launch;
  Result<std::vector<std::pair<std::string, Instant>>> resolved = ResolveLaunch(spec);
  if (!resolved.ok()) {
    // ResolveLaunch names fields under "launch" ("launch.markets[1].tz"); a fallback's errors
    // are moved under "fallback".
    const std::string& field = resolved.status().field();
    std::string path = which;
    if (!field.empty()) {
      path = field.rfind("launch", 0) == 0 ? which + field.substr(6) : JoinPath(which, field);
    }
    return AtPath(resolved.status(), path);
  }
  if (resolved->empty()) {
    return InvalidArgument("a local launch needs at least one market", JoinPath(which, "markets"),
                           "too_short");
  }
  launch.markets = std::move(resolved).value();
  launch.earliest = INT64_MAX;
  for (auto& [name, instant] : launch.markets) {
    instant = FromSeconds(ToSeconds(instant));
    launch.at.push_back(ToSeconds(instant));
    launch.earliest = std::min(launch.earliest, launch.at.back());
  }
  TUTTI_ASSIGN_OR_RETURN(launch.held_to, HeldTo(plan.milestones, spec, which));
  return launch;
}

struct Delay {
  int32_t milestone = -1;
  PlanDuration by;
  const WorkingCalendar* calendar = nullptr;  // for a delay in working days
};

Status OutOfRange(const Plan& plan, int32_t i) {
  return InvalidArgument("the schedule of milestone \"" +
                             plan.milestones[static_cast<size_t>(i)].id +
                             "\" reaches beyond the years 0001..9999",
                         MilestonePath(static_cast<size_t>(i)), "out_of_range");
}

// Both passes, slack, critical path and the markets at risk. O(milestones + dependencies) plus
// the sort of the critical milestones.
Result<Schedule> Run(const Plan& plan, const PreparedPlan& p, const ResolvedLaunch& launch,
                     int64_t now, const Delay& delay) {
  const PlanGraph& g = p.graph;
  const size_t n = g.size();
  std::vector<int64_t> es(n), ef(n), ls(n), lf(n);
  std::vector<int64_t> ready(n);  // earliest finish + buffer: when successors may start
  std::vector<int64_t> due(n);    // latest finish + buffer: what the successors require
  std::vector<int64_t> slack(n);

  for (const int32_t v : g.topological_order) {
    const auto vi = static_cast<size_t>(v);
    const WorkingCalendar* calendar = p.calendar[vi];
    int64_t start = now;
    for (size_t e = g.PredBegin(vi); e < g.PredEnd(vi); ++e) {
      const int64_t from = ready[static_cast<size_t>(g.pred[e])];
      start = std::max(
          start, p.lag_in_working_days[e] ? AddWorking(calendar, from, p.lag[e]) : from + p.lag[e]);
    }
    const bool finished = p.actual_finish[vi] != kNone;
    const auto finish_from = [&](int64_t s) {
      return p.duration_in_working_days[vi] ? AddWorking(calendar, s, p.duration[vi])
                                            : s + p.duration[vi];
    };
    if (p.actual_start[vi] != kNone) start = p.actual_start[vi];
    int64_t finish;
    if (finished) {
      finish = p.actual_finish[vi];
      if (p.actual_start[vi] == kNone) {
        start = p.duration_in_working_days[vi] ? SubtractWorking(calendar, finish, p.duration[vi])
                                               : finish - p.duration[vi];
      }
    } else {
      finish = finish_from(start);
    }
    if (v == delay.milestone) {
      const auto later = [&](int64_t t) {
        return delay.by.IsWorkingTime() ? AddWorking(delay.calendar, t, delay.by.amount)
                                        : t + delay.by.CalendarSeconds().count();
      };
      start = later(start);
      finish = finished ? later(finish) : finish_from(start);
    }
    es[vi] = start;
    ef[vi] = finish;
    ready[vi] = p.buffer_in_working_days[vi] ? AddWorking(calendar, finish, p.buffer[vi])
                                             : finish + p.buffer[vi];
    if (!InRange(start) || !InRange(finish) || !InRange(ready[vi])) return OutOfRange(plan, v);
  }

  for (auto it = g.topological_order.rbegin(); it != g.topological_order.rend(); ++it) {
    const auto vi = static_cast<size_t>(*it);
    const WorkingCalendar* calendar = p.calendar[vi];
    int64_t required;
    if (g.IsSink(*it)) {
      required = launch.DeadlineFor(launch.held_to[vi]);
    } else {
      required = INT64_MAX;
      for (size_t slot = g.SuccBegin(vi); slot < g.SuccEnd(vi); ++slot) {
        const auto s = static_cast<size_t>(g.succ[slot]);
        const auto e = static_cast<size_t>(g.succ_edge[slot]);
        required = std::min(required, p.lag_in_working_days[e]
                                          ? SubtractWorking(p.calendar[s], ls[s], p.lag[e])
                                          : ls[s] - p.lag[e]);
      }
    }
    due[vi] = required;
    lf[vi] = p.buffer_in_working_days[vi] ? SubtractWorking(calendar, required, p.buffer[vi])
                                          : required - p.buffer[vi];
    ls[vi] = p.duration_in_working_days[vi] ? SubtractWorking(calendar, lf[vi], p.duration[vi])
                                            : lf[vi] - p.duration[vi];
    if (!InRange(required) || !InRange(lf[vi]) || !InRange(ls[vi])) return OutOfRange(plan, *it);
    // A finished milestone is judged by when it finished, not by when it started: one that
    // started late but finished in time holds nothing up.
    slack[vi] = p.actual_finish[vi] != kNone ? lf[vi] - ef[vi] : ls[vi] - es[vi];
  }

  Schedule schedule;
  schedule.launch = launch.markets;
  const int64_t least_slack = n == 0 ? 0 : *std::min_element(slack.begin(), slack.end());
  schedule.at_risk = least_slack < 0;
  schedule.milestones.resize(n);
  std::vector<int32_t> critical;
  for (size_t i = 0; i < n; ++i) {
    ScheduledMilestone& out = schedule.milestones[i];
    out.id = plan.milestones[i].id;
    out.earliest_start = FromSeconds(es[i]);
    out.earliest_finish = FromSeconds(ef[i]);
    out.latest_start = FromSeconds(ls[i]);
    out.latest_finish = FromSeconds(lf[i]);
    out.slack_seconds = slack[i];
    out.critical = slack[i] == least_slack;
    if (out.critical) critical.push_back(static_cast<int32_t>(i));
  }
  std::stable_sort(critical.begin(), critical.end(), [&es](int32_t a, int32_t b) {
    return es[static_cast<size_t>(a)] < es[static_cast<size_t>(b)];
  });
  schedule.critical_path.reserve(critical.size());
  for (int32_t i : critical)
    schedule.critical_path.push_back(plan.milestones[static_cast<size_t>(i)].id);

  if (schedule.at_risk) {
    // A milestone with negative slack misses the launch its latest finish was derived from:
    // follow, from each, the successors that set its deadline (all of them on ties) down to the
    // milestones without successors, whose launch that is. One pass in topological order.
    std::vector<uint8_t> late(n, 0);
    std::vector<uint8_t> market_missed(launch.markets.size(), 0);
    bool earliest_missed = false;
    for (const int32_t v : g.topological_order) {
      const auto vi = static_cast<size_t>(v);
      if (slack[vi] < 0) late[vi] = 1;
      if (!late[vi]) continue;
      if (g.IsSink(v)) {
        const int32_t held_to = launch.held_to[vi];
        if (held_to == ResolvedLaunch::kEarliest) {
          earliest_missed = true;
        } else {
          market_missed[static_cast<size_t>(held_to)] = 1;
        }
        continue;
      }
      for (size_t slot = g.SuccBegin(vi); slot < g.SuccEnd(vi); ++slot) {
        const auto s = static_cast<size_t>(g.succ[slot]);
        const auto e = static_cast<size_t>(g.succ_edge[slot]);
        const int64_t required = p.lag_in_working_days[e]
                                     ? SubtractWorking(p.calendar[s], ls[s], p.lag[e])
                                     : ls[s] - p.lag[e];
        if (required == due[vi]) late[s] = 1;
      }
    }
    for (size_t k = 0; k < launch.markets.size(); ++k) {
      if (market_missed[k] || (earliest_missed && launch.at[k] == launch.earliest)) {
        schedule.markets_at_risk.push_back(launch.markets[k].first);
      }
    }
  }
  return schedule;
}

Result<int64_t> NowSeconds(Instant now) {
  const int64_t seconds = ToSeconds(now);
  if (!InRange(seconds)) {
    return InvalidArgument("now must lie in the years 0001..9999", "now", "out_of_range");
  }
  return seconds;
}

}  // namespace

Result<Plan> ParsePlan(const Json& document) {
  if (!document.is_object()) return InvalidArgument("a plan is a JSON object", {}, "invalid_type");
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      document, {"launch", "fallback", "milestones", "calendars", "default_calendar"}));
  Plan plan;
  const Json* launch = Find(document, "launch");
  if (launch == nullptr) return Required("launch");
  TUTTI_ASSIGN_OR_RETURN(plan.launch, ReadLaunch(*launch, "launch"));
  if (const Json* fallback = Find(document, "fallback")) {
    TUTTI_ASSIGN_OR_RETURN(plan.fallback, ReadLaunch(*fallback, "fallback"));
  }

  const Json* milestones = Find(document, "milestones");
  if (milestones == nullptr) return Required("milestones");
  TUTTI_RETURN_IF_ERROR(RequireArray(*milestones, "milestones", kMaxMilestones));
  plan.milestones.reserve(milestones->size());
  for (size_t i = 0; i < milestones->size(); ++i) {
    TUTTI_ASSIGN_OR_RETURN(Milestone milestone, ReadMilestone((*milestones)[i], MilestonePath(i)));
    if (plan.launch.at && milestone.market) {
      return InvalidArgument(
          "the launch is one instant (\"at\") for every market; name markets in a \"local\" "
          "launch to hold milestones to one of them",
          JoinPath(MilestonePath(i), "market"), "unknown_market");
    }
    plan.milestones.push_back(std::move(milestone));
  }

  if (const Json* calendars = Find(document, "calendars")) {
    TUTTI_RETURN_IF_ERROR(RequireObject(*calendars, "calendars"));
    if (calendars->size() > kMaxCalendars) {
      return InvalidArgument("at most " + std::to_string(kMaxCalendars) + " calendars", "calendars",
                             "too_many_items");
    }
    for (const auto& [owner, calendar] : calendars->items()) {
      const std::string path = JoinPath("calendars", owner);
      if (owner.empty() || owner.size() > kMaxIdLength) {
        return InvalidArgument("an owner name has 1.." + std::to_string(kMaxIdLength) + " bytes",
                               path, "invalid_field");
      }
      TUTTI_ASSIGN_OR_RETURN(WorkingCalendar parsed, ReadCalendar(calendar, path));
      plan.calendars.emplace(owner, std::move(parsed));
    }
  }
  if (const Json* calendar = Find(document, "default_calendar")) {
    TUTTI_ASSIGN_OR_RETURN(plan.default_calendar, ReadCalendar(*calendar, "default_calendar"));
  }

  // Milestone markets must exist in both launches; checked here too so that `schedule plan`
  // reports a fallback that cannot be evaluated.
  TUTTI_RETURN_IF_ERROR(HeldTo(plan.milestones, plan.launch, "launch").status());
  if (plan.fallback) {
    TUTTI_RETURN_IF_ERROR(HeldTo(plan.milestones, *plan.fallback, "fallback").status());
  }
  return plan;
}

Result<Schedule> ComputeSchedule(const Plan& plan, Instant now) {
  TUTTI_ASSIGN_OR_RETURN(int64_t now_seconds, NowSeconds(now));
  TUTTI_ASSIGN_OR_RETURN(ResolvedLaunch launch, Resolve(plan, plan.launch, "launch"));
  TUTTI_ASSIGN_OR_RETURN(PreparedPlan prepared, Prepare(plan));
  return Run(plan, prepared, launch, now_seconds, Delay{});
}

Result<DelayImpact> DelayMilestone(const Plan& plan, Instant now, const std::string& id,
                                   const PlanDuration& delay) {
  TUTTI_ASSIGN_OR_RETURN(int64_t now_seconds, NowSeconds(now));
  TUTTI_ASSIGN_OR_RETURN(ResolvedLaunch launch, Resolve(plan, plan.launch, "launch"));
  TUTTI_ASSIGN_OR_RETURN(PreparedPlan prepared, Prepare(plan));
  Delay delayed{.milestone = -1, .by = delay, .calendar = nullptr};
  for (size_t i = 0; i < plan.milestones.size(); ++i) {
    if (plan.milestones[i].id == id) delayed.milestone = static_cast<int32_t>(i);
  }
  if (delayed.milestone < 0) return NotFound("no milestone \"" + id + "\" in the plan", "delay");
  if (!WithinTenYears(delay)) {
    return InvalidArgument("a delay must be 0 to 10 years", "delay", "out_of_range");
  }
  if (delay.IsWorkingTime()) {
    CalendarResolver calendars(plan);
    TUTTI_ASSIGN_OR_RETURN(
        delayed.calendar,
        calendars.For(plan.milestones[static_cast<size_t>(delayed.milestone)].owner));
  }

  TUTTI_ASSIGN_OR_RETURN(Schedule before, Run(plan, prepared, launch, now_seconds, Delay{}));
  TUTTI_ASSIGN_OR_RETURN(Schedule after, Run(plan, prepared, launch, now_seconds, delayed));
  DelayImpact impact;
  for (size_t i = 0; i < after.milestones.size(); ++i) {
    if (after.milestones[i].slack_seconds < 0 && before.milestones[i].slack_seconds >= 0) {
      impact.pushed_past_launch.push_back(after.milestones[i].id);
    }
  }
  for (const std::string& market : after.markets_at_risk) {
    if (std::find(before.markets_at_risk.begin(), before.markets_at_risk.end(), market) ==
        before.markets_at_risk.end()) {
      impact.markets_missed.push_back(market);
    }
  }
  impact.schedule = std::move(after);
  return impact;
}

Result<FallbackVerdict> EvaluateFallback(const Plan& plan, Instant now) {
  if (!plan.fallback) {
    return Status(StatusCode::kFailedPrecondition, "the plan has no fallback launch", "fallback",
                  "no_fallback");
  }
  TUTTI_ASSIGN_OR_RETURN(int64_t now_seconds, NowSeconds(now));
  TUTTI_ASSIGN_OR_RETURN(ResolvedLaunch launch, Resolve(plan, *plan.fallback, "fallback"));
  TUTTI_ASSIGN_OR_RETURN(PreparedPlan prepared, Prepare(plan));
  FallbackVerdict verdict;
  TUTTI_ASSIGN_OR_RETURN(verdict.schedule, Run(plan, prepared, launch, now_seconds, Delay{}));
  verdict.holds = !verdict.schedule.at_risk;
  return verdict;
}

Json LaunchToJson(const std::vector<std::pair<std::string, Instant>>& launch) {
  Json out = Json::object();
  for (const auto& [market, instant] : launch) out[market] = FormatInstantSeconds(instant);
  return out;
}

std::vector<LaunchMove> MovedLaunches(const Json& recorded,
                                      const std::vector<std::pair<std::string, Instant>>& launch) {
  std::vector<LaunchMove> moves;
  if (!recorded.is_object()) return moves;
  for (const auto& [market, now] : launch) {
    auto it = recorded.find(market);
    if (it == recorded.end() || !it->is_string()) continue;
    Result<Instant> was = ParseInstant(it->get<std::string>());
    if (!was.ok()) continue;
    Instant was_seconds = std::chrono::floor<std::chrono::seconds>(*was);
    if (was_seconds != std::chrono::floor<std::chrono::seconds>(now)) {
      moves.push_back(LaunchMove{market, was_seconds, now});
    }
  }
  return moves;
}

Json ScheduleToJson(const Schedule& schedule) {
  Json launch = LaunchToJson(schedule.launch);
  Json milestones = Json::array();
  for (const ScheduledMilestone& m : schedule.milestones) {
    milestones.push_back(Json{{"id", m.id},
                              {"earliest_start", FormatInstantSeconds(m.earliest_start)},
                              {"earliest_finish", FormatInstantSeconds(m.earliest_finish)},
                              {"latest_start", FormatInstantSeconds(m.latest_start)},
                              {"latest_finish", FormatInstantSeconds(m.latest_finish)},
                              {"slack_seconds", m.slack_seconds},
                              {"critical", m.critical}});
  }
  return Json{{"launch", std::move(launch)},
              {"milestones", std::move(milestones)},
              {"critical_path", schedule.critical_path},
              {"at_risk", schedule.at_risk},
              {"markets_at_risk", schedule.markets_at_risk}};
}

}  // namespace tutti::scheduling
