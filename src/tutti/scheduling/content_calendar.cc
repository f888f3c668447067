#include "tutti/scheduling/content_calendar.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "tutti/scheduling/duration.h"

namespace tutti::scheduling {
namespace {

// Interned id of an empty scope field ("every market").
constexpr int32_t kAny = -1;

// Parser bounds: far above any real activation, low enough that one request cannot exhaust memory.
constexpr size_t kMaxPosts = 500'000;
constexpr size_t kMaxWindows = 100'000;
constexpr size_t kMaxBlackouts = 10'000;
constexpr size_t kMaxLaunches = 1'000;
constexpr size_t kMaxRules = 100;
constexpr size_t kMaxAssetsPerPost = 100;
constexpr size_t kMaxSpacingPlatforms = 1'000;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxHashLength = 128;
// How many ids a message lists before "and N more"; post_ids always has them all.
constexpr size_t kMaxIdsInMessage = 5;

// "4h", "1h30m", "2d", "250ms", "0s": the shortest exact form, for messages.
std::string FormatSpan(Span span) {
  int64_t ms = span.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  for (const auto& [size, unit] : kUnits) {
    if (ms >= size) {
      out += std::to_string(ms / size) + unit;
      ms %= size;
    }
  }
  return out;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kMaxIdsInMessage; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > kMaxIdsInMessage) {
    out += " and " + std::to_string(ids.size() - kMaxIdsInMessage) + " more";
  }
  return out;
}

std::string Slash(std::string_view a, std::string_view b) {
  return std::string(a) + "/" + (b.empty() ? "*" : std::string(b));
}

// Dense ids for partner, platform and market names, so that the rules key hash maps and vectors
// by integers instead of hashing strings again for every rule. Views point into the calendar.
class Interner {
 public:
  int32_t Id(std::string_view name) {
    auto [it, inserted] = ids_.try_emplace(name, static_cast<int32_t>(ids_.size()));
    return it->second;
  }
  int32_t ScopeId(std::string_view name) { return name.empty() ? kAny : Id(name); }
  size_t size() const { return ids_.size(); }

 private:
  std::unordered_map<std::string_view, int32_t> ids_;
};

uint64_t PairKey(int32_t a, int32_t b) {
  return (uint64_t{static_cast<uint32_t>(a)} << 32) | uint64_t{static_cast<uint32_t>(b)};
}

bool ScopeMatches(int32_t scope, int32_t value) { return scope == kAny || scope == value; }

struct Interval {
  Instant start, end;
};

// Intervals per key, sorted by start with overlapping or touching intervals merged, so that one
// binary search answers "inside?" and "when does the next one open?".
class IntervalIndex {
 public:
  void Add(uint64_t key, Instant start, Instant end) { by_key_[key].push_back({start, end}); }

  void Seal() {
    for (auto& [key, intervals] : by_key_) {
      std::sort(intervals.begin(), intervals.end(),
                [](const Interval& a, const Interval& b) { return a.start < b.start; });
      size_t out = 0;
      for (size_t i = 1; i < intervals.size(); ++i) {
        if (intervals[i].start <= intervals[out].end) {
          intervals[out].end = std::max(intervals[out].end, intervals[i].end);
        } else {
          intervals[++out] = intervals[i];
        }
      }
      intervals.resize(out + 1);
    }
  }

  const std::vector<Interval>* Find(uint64_t key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<uint64_t, std::vector<Interval>> by_key_;
};

struct Location {
  bool restricted = false;  // some interval list applies
  bool inside = false;
  std::optional<Instant> next_start;
};

// Where `t` lies against the union of the (sealed) lists that apply.
Location Locate(std::initializer_list<const std::vector<Interval>*> lists, Instant t) {
  Location loc;
  for (const std::vector<Interval>* list : lists) {
    if (list == nullptr) continue;
    loc.restricted = true;
    auto it = std::upper_bound(list->begin(), list->end(), t,
                               [](Instant value, const Interval& i) { return value < i.start; });
    if (it != list->begin() && t < std::prev(it)->end) loc.inside = true;
    if (it != list->end() && (!loc.next_start || it->start < *loc.next_start)) {
      loc.next_start = it->start;
    }
  }
  return loc;
}

struct RefreshCheck {
  bool ok = true;
  std::optional<Instant> last_refresh;
  Instant earliest_ok;
};

// The rule of RefreshConstraint (see the header): the latest refresh r <= t must exist and be at
// least min_lead before t.
RefreshCheck CheckRefresh(const RefreshConstraint& c, Instant t) {
  if (t < c.anchor) return {false, std::nullopt, c.anchor + c.min_lead};
  const Span since = t - c.anchor;
  const Instant last = c.anchor + (since / c.period) * c.period;
  if (t - last >= c.min_lead) return {true, last, t};
  return {false, last, last + c.min_lead};
}

std::string RefreshMessage(const RefreshConstraint& c, const std::string& target, Instant t,
                           const RefreshCheck& check) {
  std::string rule = "it needs " + FormatSpan(c.min_lead) + " after the latest " + c.name +
                     " refresh (every " + FormatSpan(c.period) + " from " +
                     FormatInstant(c.anchor) + "); earliest acceptable " +
                     FormatInstant(check.earliest_ok);
  if (!check.last_refresh) {
    return target + " at " + FormatInstant(t) + " is before the first " + c.name + " refresh; " +
           rule;
  }
  return target + " at " + FormatInstant(t) + " is " + FormatSpan(t - *check.last_refresh) +
         " after the " + c.name + " refresh at " + FormatInstant(*check.last_refresh) + "; " + rule;
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status Required(const std::string& value, const std::string& path) {
  if (value.empty()) return InvalidArgument("is required", path, "required");
  return OkStatus();
}

Status CheckInterval(Instant start, Instant end, const std::string& path) {
  if (start < end) return OkStatus();
  return InvalidArgument(
      "must be after start " + FormatInstant(start) + " (intervals are [start, end))",
      JoinPath(path, "end"), "empty_interval");
}

Status CheckPositive(Span span, const std::string& path) {
  if (span > Span::zero()) return OkStatus();
  return InvalidArgument("must be longer than 0", path, "out_of_range");
}

Status CheckNonNegative(Span span, const std::string& path) {
  if (span >= Span::zero()) return OkStatus();
  return InvalidArgument("must not be negative", path, "out_of_range");
}

// ---- Parsing helpers: every error names the field's full path. ----

Status AtPath(Status status, const std::string& path) {
  if (status.field().empty()) return std::move(status).WithField(path);
  return status;
}

const Json* Member(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> RequiredString(const Json& object, const std::string& path, const char* key,
                                   size_t max_length) {
  const Json* value = Member(object, key);
  if (value == nullptr) return InvalidArgument("is required", JoinPath(path, key), "required");
  return ReadString(*value, JoinPath(path, key), 1, max_length);
}

Result<std::string> OptionalString(const Json& object, const std::string& path, const char* key,
                                   size_t max_length) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::string();
  return ReadString(*value, JoinPath(path, key), 1, max_length);
}

Result<Instant> ReadInstant(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 1, 64));
  Result<Instant> instant = ParseInstant(text);
  if (!instant.ok()) return AtPath(instant.status(), path);
  return *instant;
}

Result<Instant> RequiredInstant(const Json& object, const std::string& path, const char* key) {
  const Json* value = Member(object, key);
  if (value == nullptr) return InvalidArgument("is required", JoinPath(path, key), "required");
  return ReadInstant(*value, JoinPath(path, key));
}

Result<Span> ReadSpan(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 1, 32));
  Result<PlanDuration> duration = ParseDuration(text);
  if (!duration.ok()) return AtPath(duration.status(), path);
  if (duration->IsWorkingTime()) {
    return InvalidArgument("working days are not allowed here; use s, m, h, d or w", path,
                           "invalid_duration");
  }
  return std::chrono::duration_cast<Span>(duration->CalendarSeconds());
}

Result<Span> OptionalSpan(const Json& object, const std::string& path, const char* key,
                          Span fallback) {
  const Json* value = Member(object, key);
  if (value == nullptr) return fallback;
  return ReadSpan(*value, JoinPath(path, key));
}

Result<Span> RequiredSpan(const Json& object, const std::string& path, const char* key) {
  const Json* value = Member(object, key);
  if (value == nullptr) return InvalidArgument("is required", JoinPath(path, key), "required");
  return ReadSpan(*value, JoinPath(path, key));
}

// Calls `parse_item(item, item_path)` for each element of the optional array `key`.
template <typename T, typename ParseItem>
Status ParseArray(const Json& object, const std::string& path, const char* key, size_t max_items,
                  std::vector<T>& out, ParseItem parse_item) {
  const Json* array = Member(object, key);
  if (array == nullptr) return OkStatus();
  const std::string array_path = JoinPath(path, key);
  TUTTI_RETURN_IF_ERROR(RequireArray(*array, array_path, max_items));
  out.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string item_path = JoinPath(array_path, i);
    TUTTI_RETURN_IF_ERROR(RequireObject((*array)[i], item_path));
    Result<T> item = parse_item((*array)[i], item_path);
    if (!item.ok()) return item.status();
    out.push_back(std::move(item).value());
  }
  return OkStatus();
}

Result<ReleaseWindow> ParseReleaseWindow(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"platform", "market", "start", "end"}, path));
  ReleaseWindow w;
  TUTTI_ASSIGN_OR_RETURN(w.platform, RequiredString(item, path, "platform", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(w.market, OptionalString(item, path, "market", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(w.start, RequiredInstant(item, path, "start"));
  TUTTI_ASSIGN_OR_RETURN(w.end, RequiredInstant(item, path, "end"));
  return w;
}

Result<PeakWindow> ParsePeakWindow(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"partner", "platform", "start", "end"}, path));
  PeakWindow w;
  TUTTI_ASSIGN_OR_RETURN(w.partner, RequiredString(item, path, "partner", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(w.platform, OptionalString(item, path, "platform", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(w.start, RequiredInstant(item, path, "start"));
  TUTTI_ASSIGN_OR_RETURN(w.end, RequiredInstant(item, path, "end"));
  return w;
}

Result<Blackout> ParseBlackout(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(item, {"name", "start", "end", "market", "platform", "partner"}, path));
  Blackout b;
  TUTTI_ASSIGN_OR_RETURN(b.name, RequiredString(item, path, "name", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(b.start, RequiredInstant(item, path, "start"));
  TUTTI_ASSIGN_OR_RETURN(b.end, RequiredInstant(item, path, "end"));
  TUTTI_ASSIGN_OR_RETURN(b.market, OptionalString(item, path, "market", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(b.platform, OptionalString(item, path, "platform", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(b.partner, OptionalString(item, path, "partner", kMaxNameLength));
  return b;
}

Result<AssetRef> ParseAsset(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"ref", "due"}, path));
  AssetRef a;
  TUTTI_ASSIGN_OR_RETURN(a.ref, RequiredString(item, path, "ref", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(a.due, RequiredInstant(item, path, "due"));
  return a;
}

Result<Post> ParsePost(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      item, {"id", "partner", "platform", "market", "at", "content_hash", "assets"}, path));
  Post p;
  TUTTI_ASSIGN_OR_RETURN(p.id, RequiredString(item, path, "id", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(p.partner, RequiredString(item, path, "partner", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(p.platform, RequiredString(item, path, "platform", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(p.market, RequiredString(item, path, "market", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(p.at, RequiredInstant(item, path, "at"));
  TUTTI_ASSIGN_OR_RETURN(p.content_hash,
                         OptionalString(item, path, "content_hash", kMaxHashLength));
  for (char& c : p.content_hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!IsLowerHex(p.content_hash)) {
    return InvalidArgument("must be hexadecimal (0-9, a-f), like a SHA-256 digest",
                           JoinPath(path, "content_hash"), "invalid_hash");
  }
  TUTTI_RETURN_IF_ERROR(ParseArray(item, path, "assets", kMaxAssetsPerPost, p.assets, ParseAsset));
  return p;
}

Result<LaunchInstant> ParseLaunch(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"market", "at"}, path));
  LaunchInstant l;
  TUTTI_ASSIGN_OR_RETURN(l.market, RequiredString(item, path, "market", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(l.at, RequiredInstant(item, path, "at"));
  return l;
}

Result<RateLimit> ParseRateLimit(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(item, {"platform", "max_posts", "window"}, path));
  RateLimit r;
  TUTTI_ASSIGN_OR_RETURN(r.platform, RequiredString(item, path, "platform", kMaxNameLength));
  const Json* max_posts = Member(item, "max_posts");
  if (max_posts == nullptr) {
    return InvalidArgument("is required", JoinPath(path, "max_posts"), "required");
  }
  TUTTI_ASSIGN_OR_RETURN(r.max_posts,
                         ReadInteger(*max_posts, JoinPath(path, "max_posts"), 1, 1'000'000'000));
  TUTTI_ASSIGN_OR_RETURN(r.window, OptionalSpan(item, path, "window", std::chrono::hours(1)));
  return r;
}

Result<RefreshConstraint> ParseRefresh(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      item, {"name", "period", "anchor", "min_lead", "applies_to", "market", "platform"}, path));
  RefreshConstraint c;
  TUTTI_ASSIGN_OR_RETURN(c.name, RequiredString(item, path, "name", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(c.period, RequiredSpan(item, path, "period"));
  TUTTI_ASSIGN_OR_RETURN(c.anchor, RequiredInstant(item, path, "anchor"));
  TUTTI_ASSIGN_OR_RETURN(c.min_lead, RequiredSpan(item, path, "min_lead"));
  if (const Json* applies_to = Member(item, "applies_to")) {
    static constexpr std::string_view kTargets[] = {"launches", "posts"};
    TUTTI_ASSIGN_OR_RETURN(std::string target,
                           ReadEnum(*applies_to, JoinPath(path, "applies_to"), kTargets));
    c.applies_to = target == "posts" ? RefreshConstraint::AppliesTo::kPosts
                                     : RefreshConstraint::AppliesTo::kLaunches;
  }
  TUTTI_ASSIGN_OR_RETURN(c.market, OptionalString(item, path, "market", kMaxNameLength));
  TUTTI_ASSIGN_OR_RETURN(c.platform, OptionalString(item, path, "platform", kMaxNameLength));
  return c;
}

Status ParseRules(const Json& rules, const std::string& path, CalendarRules& out) {
  TUTTI_RETURN_IF_ERROR(RequireObject(rules, path));
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(rules, {"spacing", "duplicates", "rate_limits", "refresh"}, path));
  if (const Json* spacing = Member(rules, "spacing")) {
    const std::string spacing_path = JoinPath(path, "spacing");
    TUTTI_RETURN_IF_ERROR(RequireObject(*spacing, spacing_path));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(*spacing, {"default", "platforms"}, spacing_path));
    TUTTI_ASSIGN_OR_RETURN(out.default_spacing,
                           OptionalSpan(*spacing, spacing_path, "default", out.default_spacing));
    if (const Json* platforms = Member(*spacing, "platforms")) {
      const std::string platforms_path = JoinPath(spacing_path, "platforms");
      TUTTI_RETURN_IF_ERROR(RequireObject(*platforms, platforms_path));
      if (platforms->size() > kMaxSpacingPlatforms) {
        return InvalidArgument(
            "must have at most " + std::to_string(kMaxSpacingPlatforms) + " platforms",
            platforms_path, "too_many_items");
      }
      for (const auto& [platform, value] : platforms->items()) {
        const std::string platform_path = JoinPath(platforms_path, platform);
        if (platform.empty() || platform.size() > kMaxNameLength) {
          return InvalidArgument(
              "platform names must be 1 to " + std::to_string(kMaxNameLength) + " bytes",
              platform_path, "invalid_field");
        }
        TUTTI_ASSIGN_OR_RETURN(out.spacing_by_platform[platform], ReadSpan(value, platform_path));
      }
    }
  }
  if (const Json* duplicates = Member(rules, "duplicates")) {
    static constexpr std::string_view kScopes[] = {"platform", "platform_market", "activation"};
    TUTTI_ASSIGN_OR_RETURN(std::string scope,
                           ReadEnum(*duplicates, JoinPath(path, "duplicates"), kScopes));
    out.duplicate_scope = scope == "platform_market" ? DuplicateScope::kPlatformMarket
                          : scope == "activation"    ? DuplicateScope::kActivation
                                                     : DuplicateScope::kPlatform;
  }
  TUTTI_RETURN_IF_ERROR(
      ParseArray(rules, path, "rate_limits", kMaxRules, out.rate_limits, ParseRateLimit));
  TUTTI_RETURN_IF_ERROR(
      ParseArray(rules, path, "refresh", kMaxRules, out.refresh_constraints, ParseRefresh));
  return OkStatus();
}

// ---- Detection. ----

// The calendar with names interned and posts in (at, id) order; shared by the rule passes.
class Detector {
 public:
  explicit Detector(const ContentCalendar& calendar) : calendar_(calendar) {
    const std::vector<Post>& posts = calendar.posts;
    keys_.reserve(posts.size());
    for (const Post& p : posts) {
      keys_.push_back({names_.Id(p.partner), names_.Id(p.platform), names_.Id(p.market)});
    }
    order_.resize(posts.size());
    std::iota(order_.begin(), order_.end(), size_t{0});
    std::sort(order_.begin(), order_.end(), [&posts](size_t a, size_t b) {
      if (posts[a].at != posts[b].at) return posts[a].at < posts[b].at;
      return posts[a].id < posts[b].id;
    });
  }

  std::vector<Finding> Run() {
    CheckReleaseWindows();
    CheckPeakWindows();
    CheckBlackouts();
    CheckSpacing();
    CheckDuplicates();
    CheckAssets();
    CheckRateLimits();
    CheckRefreshConstraints();
    std::sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
      if (a.at != b.at) return a.at < b.at;
      // ConflictKind is declared in name order, so comparing values compares names.
      if (a.kind != b.kind) return a.kind < b.kind;
      return std::tie(a.post_ids, a.launch, a.subject, a.message) <
             std::tie(b.post_ids, b.launch, b.subject, b.message);
    });
    return std::move(findings_);
  }

 private:
  struct PostKeys {
    int32_t partner, platform, market;
  };

  const Post& post(size_t i) const { return calendar_.posts[i]; }

  Finding& Add(ConflictKind kind, Severity severity, std::vector<std::string> post_ids, Instant at,
               std::string subject, std::string message) {
    Finding& f = findings_.emplace_back();
    f.kind = kind;
    f.severity = severity;
    f.at = at;
    f.post_ids = std::move(post_ids);
    f.subject = std::move(subject);
    f.message = std::move(message);
    return f;
  }

  void CheckReleaseWindows() {
    if (calendar_.release_windows.empty()) return;
    IntervalIndex index;
    for (const ReleaseWindow& w : calendar_.release_windows) {
      index.Add(PairKey(names_.Id(w.platform), names_.ScopeId(w.market)), w.start, w.end);
    }
    index.Seal();
    for (size_t i : order_) {
      const PostKeys& k = keys_[i];
      Location loc =
          Locate({index.Find(PairKey(k.platform, k.market)), index.Find(PairKey(k.platform, kAny))},
                 post(i).at);
      if (!loc.restricted || loc.inside) continue;
      const Post& p = post(i);
      std::string message = p.id + " at " + FormatInstant(p.at) +
                            " is outside every release window for " + p.platform + " in " +
                            p.market;
      message += loc.next_start ? "; the next opens " + FormatInstant(*loc.next_start)
                                : "; no later window";
      Add(ConflictKind::kOutsideWindow, Severity::kError, {p.id}, p.at, Slash(p.platform, p.market),
          std::move(message))
          .earliest_ok = loc.next_start;
    }
  }

  void CheckPeakWindows() {
    if (calendar_.peak_windows.empty()) return;
    IntervalIndex index;
    for (const PeakWindow& w : calendar_.peak_windows) {
      index.Add(PairKey(names_.Id(w.partner), names_.ScopeId(w.platform)), w.start, w.end);
    }
    index.Seal();
    for (size_t i : order_) {
      const PostKeys& k = keys_[i];
      Location loc =
          Locate({index.Find(PairKey(k.partner, k.platform)), index.Find(PairKey(k.partner, kAny))},
                 post(i).at);
      if (!loc.restricted || loc.inside) continue;
      const Post& p = post(i);
      std::string message = p.id + " at " + FormatInstant(p.at) + " is outside " + p.partner +
                            "'s peak-engagement windows on " + p.platform;
      if (loc.next_start) message += "; the next starts " + FormatInstant(*loc.next_start);
      Add(ConflictKind::kOffPeak, Severity::kInfo, {p.id}, p.at, Slash(p.partner, p.platform),
          std::move(message))
          .earliest_ok = loc.next_start;
    }
  }

  // Each blackout is a range of the sorted posts found by binary search; only the posts inside it
  // are looked at, so the cost is the number of (post, blackout) overlaps, not posts × blackouts.
  void CheckBlackouts() {
    const std::vector<Post>& posts = calendar_.posts;
    for (const Blackout& b : calendar_.blackouts) {
      const int32_t market = names_.ScopeId(b.market);
      const int32_t platform = names_.ScopeId(b.platform);
      const int32_t partner = names_.ScopeId(b.partner);
      auto first = std::lower_bound(order_.begin(), order_.end(), b.start,
                                    [&posts](size_t i, Instant t) { return posts[i].at < t; });
      for (auto it = first; it != order_.end() && posts[*it].at < b.end; ++it) {
        const PostKeys& k = keys_[*it];
        if (!ScopeMatches(market, k.market) || !ScopeMatches(platform, k.platform) ||
            !ScopeMatches(partner, k.partner)) {
          continue;
        }
        const Post& p = posts[*it];
        Add(ConflictKind::kInBlackout, Severity::kError, {p.id}, p.at, b.name,
            p.id + " at " + FormatInstant(p.at) + " is inside the blackout " + b.name + " [" +
                FormatInstant(b.start) + ", " + FormatInstant(b.end) + ")")
            .earliest_ok = b.end;
      }
    }
  }

  // Posts arrive in (at, id) order, so the previous post of the same (partner, platform) is its
  // neighbour in that group; one hash lookup per post.
  void CheckSpacing() {
    std::vector<Span> spacing(names_.size(), calendar_.rules.default_spacing);
    for (const auto& [platform, span] : calendar_.rules.spacing_by_platform) {
      const int32_t id = names_.Id(platform);
      if (static_cast<size_t>(id) >= spacing.size()) continue;  // no post uses it
      spacing[static_cast<size_t>(id)] = span;
    }
    std::unordered_map<uint64_t, size_t> previous;
    previous.reserve(order_.size());
    for (size_t i : order_) {
      const PostKeys& k = keys_[i];
      auto [it, first] = previous.try_emplace(PairKey(k.partner, k.platform), i);
      if (first) continue;
      const Post& earlier = post(it->second);
      const Post& later = post(i);
      it->second = i;
      const Span min_gap = spacing[static_cast<size_t>(k.platform)];
      const Span gap = later.at - earlier.at;
      if (gap >= min_gap) continue;
      Add(ConflictKind::kTooClose, Severity::kWarning, {earlier.id, later.id}, earlier.at,
          Slash(later.partner, later.platform),
          earlier.id + " and " + later.id + " (" + later.partner + " on " + later.platform +
              ") are " + FormatSpan(gap) + " apart; the minimum spacing is " + FormatSpan(min_gap))
          .earliest_ok = earlier.at + min_gap;
    }
  }

  void CheckDuplicates() {
    struct Key {
      std::string_view hash;
      int32_t platform, market;
      bool operator==(const Key&) const = default;
    };
    struct KeyHash {
      size_t operator()(const Key& k) const {
        return std::hash<std::string_view>{}(k.hash) ^
               (std::hash<uint64_t>{}(PairKey(k.platform, k.market)) * 0x9E3779B97F4A7C15ULL);
      }
    };
    // One node per distinct key holding the first and last member; members are chained through
    // `next` in (at, id) order, so the common case (no duplicate) allocates nothing per post.
    struct Group {
      size_t first, last, count;
    };
    constexpr size_t kEnd = static_cast<size_t>(-1);
    const DuplicateScope scope = calendar_.rules.duplicate_scope;
    std::unordered_map<Key, Group, KeyHash> groups;
    groups.reserve(order_.size());
    std::vector<size_t> next(calendar_.posts.size(), kEnd);
    for (size_t i : order_) {
      const Post& p = post(i);
      if (p.content_hash.empty()) continue;
      const PostKeys& k = keys_[i];
      Key key{p.content_hash, scope == DuplicateScope::kActivation ? kAny : k.platform,
              scope == DuplicateScope::kPlatformMarket ? k.market : kAny};
      auto [it, inserted] = groups.try_emplace(key, Group{i, i, 1});
      if (inserted) continue;
      next[it->second.last] = i;
      it->second.last = i;
      ++it->second.count;
    }
    for (const auto& [key, group] : groups) {
      if (group.count < 2) continue;
      std::vector<std::string> ids;
      ids.reserve(group.count);
      for (size_t i = group.first; i != kEnd; i = next[i]) ids.push_back(post(i).id);
      const Post& first = post(group.first);
      std::string where = scope == DuplicateScope::kActivation ? "in this activation"
                          : scope == DuplicateScope::kPlatform
                              ? "on " + first.platform
                              : "on " + first.platform + " in " + first.market;
      std::string message = std::to_string(ids.size()) + " posts " + where + " share content " +
                            first.content_hash + ": " + JoinIds(ids);
      Add(ConflictKind::kDuplicateContent, Severity::kError, std::move(ids), first.at,
          first.content_hash, std::move(message));
    }
  }

  void CheckAssets() {
    for (size_t i : order_) {
      const Post& p = post(i);
      for (const AssetRef& a : p.assets) {
        if (p.at >= a.due) continue;
        Add(ConflictKind::kAssetLate, Severity::kError, {p.id}, p.at, a.ref,
            p.id + " at " + FormatInstant(p.at) + " is " + FormatSpan(a.due - p.at) +
                " before its asset " + a.ref + " is due at " + FormatInstant(a.due))
            .earliest_ok = a.due;
      }
    }
  }

  // A two-pointer sliding window over each platform's posts in (at, id) order: `lo` is the first
  // post with at > current at − window.
  void CheckRateLimits() {
    if (calendar_.rules.rate_limits.empty()) return;
    std::unordered_map<int32_t, std::vector<size_t>> by_platform;
    for (const RateLimit& r : calendar_.rules.rate_limits) by_platform[names_.Id(r.platform)];
    for (size_t i : order_) {
      auto it = by_platform.find(keys_[i].platform);
      if (it != by_platform.end()) it->second.push_back(i);
    }
    for (const RateLimit& r : calendar_.rules.rate_limits) {
      const std::vector<size_t>& list = by_platform[names_.Id(r.platform)];
      const std::string subject =
          r.platform + ": " + std::to_string(r.max_posts) + " per " + FormatSpan(r.window);
      // The current burst: exceeding posts whose windows share posts with the previous one.
      std::vector<std::string> burst;
      size_t burst_lo = 0, burst_last = 0;
      Instant burst_at;
      auto flush = [&] {
        if (burst.empty()) return;
        std::string message = std::to_string(burst_last - burst_lo + 1) + " posts on " +
                              r.platform + " between " + FormatInstant(post(list[burst_lo]).at) +
                              " and " + FormatInstant(post(list[burst_last]).at) +
                              " exceed the limit of " + std::to_string(r.max_posts) + " per " +
                              FormatSpan(r.window) + "; over the limit: " + JoinIds(burst);
        Add(ConflictKind::kRateLimit, Severity::kError, std::move(burst), burst_at, subject,
            std::move(message));
        burst.clear();
      };
      size_t lo = 0;
      for (size_t j = 0; j < list.size(); ++j) {
        const Instant t = post(list[j]).at;
        while (t - post(list[lo]).at >= r.window) ++lo;
        if (static_cast<int64_t>(j - lo + 1) <= r.max_posts) continue;
        if (!burst.empty() && lo > burst_last) flush();
        if (burst.empty()) {
          burst_lo = lo;
          burst_at = t;
        }
        burst.push_back(post(list[j]).id);
        burst_last = j;
      }
      flush();
    }
  }

  void CheckRefreshConstraints() {
    for (const RefreshConstraint& c : calendar_.rules.refresh_constraints) {
      if (c.applies_to == RefreshConstraint::AppliesTo::kLaunches) {
        for (const LaunchInstant& l : calendar_.launches) {
          if (!c.market.empty() && l.market != c.market && l.market != "all") continue;
          RefreshCheck check = CheckRefresh(c, l.at);
          if (check.ok) continue;
          Finding& f = Add(ConflictKind::kRefreshCycle, Severity::kError, {}, l.at, c.name,
                           RefreshMessage(c, "launch " + l.market, l.at, check));
          f.launch = l.market;
          f.earliest_ok = check.earliest_ok;
        }
        continue;
      }
      for (size_t i : order_) {
        const Post& p = post(i);
        if ((!c.platform.empty() && p.platform != c.platform) ||
            (!c.market.empty() && p.market != c.market)) {
          continue;
        }
        RefreshCheck check = CheckRefresh(c, p.at);
        if (check.ok) continue;
        Add(ConflictKind::kRefreshCycle, Severity::kError, {p.id}, p.at, c.name,
            RefreshMessage(c, "post " + p.id, p.at, check))
            .earliest_ok = check.earliest_ok;
      }
    }
  }

  const ContentCalendar& calendar_;
  Interner names_;
  std::vector<PostKeys> keys_;  // by index in calendar_.posts
  std::vector<size_t> order_;   // indices of calendar_.posts in (at, id) order
  std::vector<Finding> findings_;
};

}  // namespace

const char* ConflictKindName(ConflictKind kind) {
  switch (kind) {
    case ConflictKind::kAssetLate:
      return "asset_late";
    case ConflictKind::kDuplicateContent:
      return "duplicate_content";
    case ConflictKind::kInBlackout:
      return "in_blackout";
    case ConflictKind::kOffPeak:
      return "off_peak";
    case ConflictKind::kOutsideWindow:
      return "outside_window";
    case ConflictKind::kRateLimit:
      return "rate_limit";
    case ConflictKind::kRefreshCycle:
      return "refresh_cycle";
    case ConflictKind::kTooClose:
      return "too_close";
  }
  return "unknown";
}

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "unknown";
}

Status ValidateContentCalendar(const ContentCalendar& calendar) {
  for (size_t i = 0; i < calendar.release_windows.size(); ++i) {
    const ReleaseWindow& w = calendar.release_windows[i];
    const std::string path = JoinPath("release_windows", i);
    TUTTI_RETURN_IF_ERROR(Required(w.platform, JoinPath(path, "platform")));
    TUTTI_RETURN_IF_ERROR(CheckInterval(w.start, w.end, path));
  }
  for (size_t i = 0; i < calendar.peak_windows.size(); ++i) {
    const PeakWindow& w = calendar.peak_windows[i];
    const std::string path = JoinPath("peak_windows", i);
    TUTTI_RETURN_IF_ERROR(Required(w.partner, JoinPath(path, "partner")));
    TUTTI_RETURN_IF_ERROR(CheckInterval(w.start, w.end, path));
  }
  for (size_t i = 0; i < calendar.blackouts.size(); ++i) {
    const Blackout& b = calendar.blackouts[i];
    const std::string path = JoinPath("blackouts", i);
    TUTTI_RETURN_IF_ERROR(Required(b.name, JoinPath(path, "name")));
    TUTTI_RETURN_IF_ERROR(CheckInterval(b.start, b.end, path));
  }
  std::unordered_map<std::string_view, size_t> post_ids;
  post_ids.reserve(calendar.posts.size());
  for (size_t i = 0; i < calendar.posts.size(); ++i) {
    const Post& p = calendar.posts[i];
    const std::string path = JoinPath("posts", i);
    TUTTI_RETURN_IF_ERROR(Required(p.id, JoinPath(path, "id")));
    TUTTI_RETURN_IF_ERROR(Required(p.partner, JoinPath(path, "partner")));
    TUTTI_RETURN_IF_ERROR(Required(p.platform, JoinPath(path, "platform")));
    TUTTI_RETURN_IF_ERROR(Required(p.market, JoinPath(path, "market")));
    if (!IsLowerHex(p.content_hash)) {
      return InvalidArgument("must be lowercase hexadecimal (0-9, a-f)",
                             JoinPath(path, "content_hash"), "invalid_hash");
    }
    auto [it, inserted] = post_ids.try_emplace(p.id, i);
    if (!inserted) {
      return InvalidArgument(
          "duplicate post id " + p.id + " (first at posts[" + std::to_string(it->second) + "])",
          JoinPath(path, "id"), "duplicate_id");
    }
    for (size_t a = 0; a < p.assets.size(); ++a) {
      TUTTI_RETURN_IF_ERROR(
          Required(p.assets[a].ref, JoinPath(JoinPath(JoinPath(path, "assets"), a), "ref")));
    }
  }
  for (size_t i = 0; i < calendar.launches.size(); ++i) {
    TUTTI_RETURN_IF_ERROR(
        Required(calendar.launches[i].market, JoinPath(JoinPath("launches", i), "market")));
  }
  const CalendarRules& rules = calendar.rules;
  TUTTI_RETURN_IF_ERROR(CheckNonNegative(rules.default_spacing, "rules.spacing.default"));
  for (const auto& [platform, span] : rules.spacing_by_platform) {
    TUTTI_RETURN_IF_ERROR(Required(platform, "rules.spacing.platforms"));
    TUTTI_RETURN_IF_ERROR(CheckNonNegative(span, JoinPath("rules.spacing.platforms", platform)));
  }
  for (size_t i = 0; i < rules.rate_limits.size(); ++i) {
    const RateLimit& r = rules.rate_limits[i];
    const std::string path = JoinPath("rules.rate_limits", i);
    TUTTI_RETURN_IF_ERROR(Required(r.platform, JoinPath(path, "platform")));
    if (r.max_posts < 1) {
      return InvalidArgument("must be at least 1", JoinPath(path, "max_posts"), "out_of_range");
    }
    TUTTI_RETURN_IF_ERROR(CheckPositive(r.window, JoinPath(path, "window")));
  }
  for (size_t i = 0; i < rules.refresh_constraints.size(); ++i) {
    const RefreshConstraint& c = rules.refresh_constraints[i];
    const std::string path = JoinPath("rules.refresh", i);
    TUTTI_RETURN_IF_ERROR(Required(c.name, JoinPath(path, "name")));
    TUTTI_RETURN_IF_ERROR(CheckPositive(c.period, JoinPath(path, "period")));
    TUTTI_RETURN_IF_ERROR(CheckNonNegative(c.min_lead, JoinPath(path, "min_lead")));
    if (c.min_lead >= c.period) {
      // The next refresh always comes within one period, so no instant could ever satisfy it.
      return InvalidArgument("must be shorter than the period (" + FormatSpan(c.period) +
                                 "), or no launch could ever satisfy it",
                             JoinPath(path, "min_lead"), "out_of_range");
    }
    if (!c.platform.empty() && c.applies_to != RefreshConstraint::AppliesTo::kPosts) {
      return InvalidArgument("applies only with \"applies_to\": \"posts\"",
                             JoinPath(path, "platform"), "invalid_field");
    }
  }
  return OkStatus();
}

Result<std::vector<Finding>> DetectConflicts(const ContentCalendar& calendar) {
  TUTTI_RETURN_IF_ERROR(ValidateContentCalendar(calendar));
  return Detector(calendar).Run();
}

Result<ContentCalendar> ParseContentCalendar(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      document, {"release_windows", "peak_windows", "blackouts", "posts", "launches", "rules"}));
  ContentCalendar calendar;
  TUTTI_RETURN_IF_ERROR(ParseArray(document, "", "release_windows", kMaxWindows,
                                   calendar.release_windows, ParseReleaseWindow));
  TUTTI_RETURN_IF_ERROR(ParseArray(document, "", "peak_windows", kMaxWindows, calendar.peak_windows,
                                   ParsePeakWindow));
  TUTTI_RETURN_IF_ERROR(
      ParseArray(document, "", "blackouts", kMaxBlackouts, calendar.blackouts, ParseBlackout));
  TUTTI_RETURN_IF_ERROR(ParseArray(document, "", "posts", kMaxPosts, calendar.posts, ParsePost));
  TUTTI_RETURN_IF_ERROR(
      ParseArray(document, "", "launches", kMaxLaunches, calendar.launches, ParseLaunch));
  if (const Json* rules = Member(document, "rules")) {
    TUTTI_RETURN_IF_ERROR(ParseRules(*rules, "rules", calendar.rules));
  }
  TUTTI_RETURN_IF_ERROR(ValidateContentCalendar(calendar));
  return calendar;
}

Json ConflictsToJson(const std::vector<Finding>& findings) {
  Json list = Json::array();
  int64_t errors = 0, warnings = 0, infos = 0;
  for (const Finding& f : findings) {
    Json item{{"kind", ConflictKindName(f.kind)},
              {"severity", SeverityName(f.severity)},
              {"at", FormatInstant(f.at)},
              {"post_ids", f.post_ids}};
    if (!f.launch.empty()) item["launch"] = f.launch;
    if (!f.subject.empty()) item["subject"] = f.subject;
    if (f.earliest_ok) item["earliest_ok"] = FormatInstant(*f.earliest_ok);
    item["message"] = f.message;
    list.push_back(std::move(item));
    switch (f.severity) {
      case Severity::kError:
        ++errors;
        break;
      case Severity::kWarning:
        ++warnings;
        break;
      case Severity::kInfo:
        ++infos;
        break;
    }
  }
  return Json{{"findings", std::move(list)},
              {"counts", {{"error", errors}, {"warning", warnings}, {"info", infos}}}};
}

}  // namespace tutti::scheduling
