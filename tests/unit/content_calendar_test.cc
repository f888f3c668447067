// The content calendar's conflict rules, each with passing and failing cases at the boundary
// instants ([start, end) intervals, spacing exactly met), the refresh-cycle constraint of issue 3,
// sliding-window rate limits, deterministic ordering, parse errors with field paths, and seeded
// randomized calendars checked against naive quadratic reference implementations.
#include "tutti/scheduling/content_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tutti::scheduling {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

Instant T(const char* iso) {
  Result<Instant> instant = ParseInstant(iso);
  EXPECT_TRUE(instant.ok()) << iso;
  return instant.ok() ? *instant : Instant{};
}

Post MakePost(std::string id, std::string partner, std::string platform, std::string market,
              Instant at, std::string hash = {}) {
  Post p;
  p.id = std::move(id);
  p.partner = std::move(partner);
  p.platform = std::move(platform);
  p.market = std::move(market);
  p.at = at;
  p.content_hash = std::move(hash);
  return p;
}

// A calendar whose spacing rule is off, so that each test sees only the rule it exercises.
ContentCalendar Calendar() {
  ContentCalendar c;
  c.rules.default_spacing = milliseconds(0);
  return c;
}

std::vector<Finding> Detect(const ContentCalendar& calendar) {
  Result<std::vector<Finding>> findings = DetectConflicts(calendar);
  EXPECT_TRUE(findings.ok()) << findings.status().ToString();
  return findings.ok() ? *findings : std::vector<Finding>{};
}

std::vector<Finding> OfKind(const std::vector<Finding>& findings, ConflictKind kind) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

std::vector<std::string> FlaggedIds(const std::vector<Finding>& findings, ConflictKind kind) {
  std::vector<std::string> ids;
  for (const Finding& f : OfKind(findings, kind)) {
    ids.insert(ids.end(), f.post_ids.begin(), f.post_ids.end());
  }
  return ids;
}

using Ids = std::vector<std::string>;

// ---- Release windows ----

TEST(ContentCalendarWindows, WindowIsHalfOpenAndReportsTheNextOpening) {
  ContentCalendar c = Calendar();
  c.release_windows = {{"instagram", "US", T("2026-06-01T10:00:00Z"), T("2026-06-01T12:00:00Z")},
                       {"instagram", "US", T("2026-06-02T10:00:00Z"), T("2026-06-02T12:00:00Z")}};
  c.posts = {MakePost("at_start", "acme", "instagram", "US", T("2026-06-01T10:00:00Z")),
             MakePost("last_ms", "acme", "instagram", "US", T("2026-06-01T11:59:59.999Z")),
             MakePost("at_end", "acme", "instagram", "US", T("2026-06-01T12:00:00Z")),
             MakePost("before", "acme", "instagram", "US", T("2026-06-01T09:59:59.999Z")),
             MakePost("after_all", "acme", "instagram", "US", T("2026-06-02T12:00:00Z"))};
  std::vector<Finding> outside = OfKind(Detect(c), ConflictKind::kOutsideWindow);
  ASSERT_EQ(outside.size(), 3u);
  EXPECT_EQ(outside[0].post_ids, Ids{"before"});
  EXPECT_EQ(outside[0].earliest_ok, T("2026-06-01T10:00:00Z"));
  EXPECT_EQ(outside[0].severity, Severity::kError);
  EXPECT_EQ(outside[0].subject, "instagram/US");
  EXPECT_NE(outside[0].message.find("before at 2026-06-01T09:59:59.999Z"), std::string::npos)
      << outside[0].message;
  EXPECT_EQ(outside[1].post_ids, Ids{"at_end"});
  EXPECT_EQ(outside[1].earliest_ok, T("2026-06-02T10:00:00Z"));
  EXPECT_EQ(outside[2].post_ids, Ids{"after_all"});
  EXPECT_EQ(outside[2].earliest_ok, std::nullopt);
}

TEST(ContentCalendarWindows, PlatformAndMarketWithoutWindowsAreUnrestricted) {
  ContentCalendar c = Calendar();
  c.release_windows = {{"instagram", "US", T("2026-06-01T10:00:00Z"), T("2026-06-01T12:00:00Z")}};
  c.posts = {MakePost("other_market", "acme", "instagram", "JP", T("2026-06-05T00:00:00Z")),
             MakePost("other_platform", "acme", "tiktok", "US", T("2026-06-05T00:00:00Z")),
             MakePost("restricted", "acme", "instagram", "US", T("2026-06-05T00:00:00Z"))};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kOutsideWindow), Ids{"restricted"});
}

TEST(ContentCalendarWindows, PlatformWideWindowJoinsTheMarketsOwnWindows) {
  ContentCalendar c = Calendar();
  c.release_windows = {{"instagram", "", T("2026-06-01T10:00:00Z"), T("2026-06-01T12:00:00Z")},
                       {"instagram", "JP", T("2026-06-01T13:00:00Z"), T("2026-06-01T14:00:00Z")}};
  c.posts = {MakePost("us_late", "acme", "instagram", "US", T("2026-06-01T13:00:00Z")),
             MakePost("jp_own", "acme", "instagram", "JP", T("2026-06-01T13:00:00Z")),
             MakePost("jp_wide", "acme", "instagram", "JP", T("2026-06-01T10:30:00Z")),
             MakePost("jp_gap", "acme", "instagram", "JP", T("2026-06-01T12:30:00Z"))};
  std::vector<Finding> outside = OfKind(Detect(c), ConflictKind::kOutsideWindow);
  ASSERT_EQ(outside.size(), 2u);
  EXPECT_EQ(outside[0].post_ids, Ids{"jp_gap"});
  EXPECT_EQ(outside[0].earliest_ok, T("2026-06-01T13:00:00Z"));
  EXPECT_EQ(outside[1].post_ids, Ids{"us_late"});
}

TEST(ContentCalendarWindows, TouchingAndOverlappingWindowsMerge) {
  ContentCalendar c = Calendar();
  c.release_windows = {{"x", "US", T("2026-06-01T11:00:00Z"), T("2026-06-01T12:00:00Z")},
                       {"x", "US", T("2026-06-01T10:00:00Z"), T("2026-06-01T11:00:00Z")},
                       {"x", "US", T("2026-06-01T11:30:00Z"), T("2026-06-01T13:00:00Z")},
                       {"x", "US", T("2026-06-01T10:15:00Z"), T("2026-06-01T10:30:00Z")}};
  c.posts = {MakePost("seam", "acme", "x", "US", T("2026-06-01T11:00:00Z")),
             MakePost("late", "acme", "x", "US", T("2026-06-01T12:45:00Z")),
             MakePost("out", "acme", "x", "US", T("2026-06-01T13:00:00Z"))};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kOutsideWindow), Ids{"out"});
}

// ---- Blackouts ----

TEST(ContentCalendarBlackouts, StartIsInsideAndEndIsOutside) {
  ContentCalendar c = Calendar();
  c.blackouts = {
      {"Memorial Day", T("2026-05-25T00:00:00Z"), T("2026-05-26T00:00:00Z"), "", "", ""}};
  c.posts = {MakePost("start", "acme", "x", "US", T("2026-05-25T00:00:00Z")),
             MakePost("end", "acme", "x", "US", T("2026-05-26T00:00:00Z")),
             MakePost("before", "acme", "x", "US", T("2026-05-24T23:59:59.999Z"))};
  std::vector<Finding> in = OfKind(Detect(c), ConflictKind::kInBlackout);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].post_ids, Ids{"start"});
  EXPECT_EQ(in[0].subject, "Memorial Day");
  EXPECT_EQ(in[0].earliest_ok, T("2026-05-26T00:00:00Z"));
  EXPECT_EQ(in[0].severity, Severity::kError);
  EXPECT_NE(in[0].message.find("Memorial Day"), std::string::npos) << in[0].message;
}

TEST(ContentCalendarBlackouts, ScopeByMarketPlatformAndPartner) {
  ContentCalendar c = Calendar();
  const Instant start = T("2026-06-01T00:00:00Z"), end = T("2026-06-02T00:00:00Z");
  c.blackouts = {{"us_only", start, end, "US", "", ""},
                 {"tiktok_only", start, end, "", "tiktok", ""},
                 {"acme_only", start, end, "", "", "acme"},
                 {"us_instagram", start, end, "US", "instagram", ""}};
  const Instant at = T("2026-06-01T12:00:00Z");
  c.posts = {MakePost("jp_bolt_x", "bolt", "x", "JP", at),
             MakePost("us_bolt_x", "bolt", "x", "US", at),
             MakePost("jp_bolt_tiktok", "bolt", "tiktok", "JP", at),
             MakePost("jp_acme_x", "acme", "x", "JP", at),
             MakePost("us_bolt_instagram", "bolt", "instagram", "US", at)};
  std::map<std::string, std::set<std::string>> hits;
  for (const Finding& f : OfKind(Detect(c), ConflictKind::kInBlackout)) {
    hits[f.post_ids.at(0)].insert(f.subject);
  }
  EXPECT_EQ(hits.count("jp_bolt_x"), 0u);
  EXPECT_EQ(hits["us_bolt_x"], (std::set<std::string>{"us_only"}));
  EXPECT_EQ(hits["jp_bolt_tiktok"], (std::set<std::string>{"tiktok_only"}));
  EXPECT_EQ(hits["jp_acme_x"], (std::set<std::string>{"acme_only"}));
  EXPECT_EQ(hits["us_bolt_instagram"], (std::set<std::string>{"us_only", "us_instagram"}));
}

// ---- Spacing ----

TEST(ContentCalendarSpacing, ExactlyTheSpacingApartIsAllowed) {
  ContentCalendar c;  // default spacing 4h
  c.posts = {MakePost("a", "acme", "instagram", "US", T("2026-06-01T08:00:00Z")),
             MakePost("b", "acme", "instagram", "US", T("2026-06-01T12:00:00Z"))};
  EXPECT_TRUE(OfKind(Detect(c), ConflictKind::kTooClose).empty());

  c.posts[1].at = T("2026-06-01T11:59:59.999Z");
  std::vector<Finding> close = OfKind(Detect(c), ConflictKind::kTooClose);
  ASSERT_EQ(close.size(), 1u);
  EXPECT_EQ(close[0].post_ids, (Ids{"a", "b"}));
  EXPECT_EQ(close[0].severity, Severity::kWarning);
  EXPECT_EQ(close[0].at, T("2026-06-01T08:00:00Z"));
  EXPECT_EQ(close[0].earliest_ok, T("2026-06-01T12:00:00Z"));
  EXPECT_EQ(close[0].subject, "acme/instagram");
}

TEST(ContentCalendarSpacing, OnlySamePartnerOnSamePlatformCounts) {
  ContentCalendar c;
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("a", "acme", "instagram", "US", at),
             MakePost("b", "acme", "tiktok", "US", at + minutes(10)),
             MakePost("c", "bolt", "instagram", "US", at + minutes(20)),
             MakePost("d", "acme", "instagram", "JP", at + minutes(30))};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kTooClose), (Ids{"a", "d"}));
}

TEST(ContentCalendarSpacing, PlatformSpacingOverridesTheDefault) {
  ContentCalendar c;
  c.rules.spacing_by_platform["tiktok"] = hours(1);
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("t1", "acme", "tiktok", "US", at),
             MakePost("t2", "acme", "tiktok", "US", at + minutes(90)),
             MakePost("i1", "acme", "instagram", "US", at),
             MakePost("i2", "acme", "instagram", "US", at + minutes(90))};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kTooClose), (Ids{"i1", "i2"}));
}

TEST(ContentCalendarSpacing, ReportsAdjacentPairsWithTiesOrderedById) {
  ContentCalendar c;
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("c", "acme", "x", "US", at + hours(1)), MakePost("b", "acme", "x", "US", at),
             MakePost("a", "acme", "x", "US", at)};
  std::vector<Finding> close = OfKind(Detect(c), ConflictKind::kTooClose);
  ASSERT_EQ(close.size(), 2u);
  EXPECT_EQ(close[0].post_ids, (Ids{"a", "b"}));
  EXPECT_NE(close[0].message.find("0s apart"), std::string::npos) << close[0].message;
  EXPECT_EQ(close[1].post_ids, (Ids{"b", "c"}));
}

// ---- Duplicate content ----

TEST(ContentCalendarDuplicates, SamePlatformAcrossMarketsIsADuplicateByDefault) {
  ContentCalendar c = Calendar();
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("jp", "acme", "instagram", "JP", at + hours(2), "beef"),
             MakePost("us", "bolt", "instagram", "US", at, "beef"),
             MakePost("tiktok", "acme", "tiktok", "US", at, "beef"),
             MakePost("other", "acme", "instagram", "US", at, "cafe")};
  std::vector<Finding> dups = OfKind(Detect(c), ConflictKind::kDuplicateContent);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].post_ids, (Ids{"us", "jp"}));
  EXPECT_EQ(dups[0].subject, "beef");
  EXPECT_EQ(dups[0].at, at);
  EXPECT_EQ(dups[0].severity, Severity::kError);
}

TEST(ContentCalendarDuplicates, PlatformMarketScopeAllowsLocalizedReuse) {
  ContentCalendar c = Calendar();
  c.rules.duplicate_scope = DuplicateScope::kPlatformMarket;
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("us", "acme", "instagram", "US", at, "beef"),
             MakePost("jp", "acme", "instagram", "JP", at, "beef"),
             MakePost("us2", "bolt", "instagram", "US", at + hours(9), "beef")};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kDuplicateContent), (Ids{"us", "us2"}));
}

TEST(ContentCalendarDuplicates, ActivationScopeSpansPlatforms) {
  ContentCalendar c = Calendar();
  c.rules.duplicate_scope = DuplicateScope::kActivation;
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("ig", "acme", "instagram", "US", at, "beef"),
             MakePost("tt", "acme", "tiktok", "JP", at + hours(1), "beef")};
  EXPECT_EQ(FlaggedIds(Detect(c), ConflictKind::kDuplicateContent), (Ids{"ig", "tt"}));
}

TEST(ContentCalendarDuplicates, PostsWithoutAHashAreNeverDuplicates) {
  ContentCalendar c = Calendar();
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("a", "acme", "instagram", "US", at),
             MakePost("b", "acme", "instagram", "US", at + hours(5))};
  EXPECT_TRUE(OfKind(Detect(c), ConflictKind::kDuplicateContent).empty());
}

// ---- Assets ----

TEST(ContentCalendarAssets, PostBeforeAssetDueIsLateAndAtDueIsFine) {
  ContentCalendar c = Calendar();
  Post on_time = MakePost("on_time", "acme", "x", "US", T("2026-06-01T12:00:00Z"));
  on_time.assets = {{"hero", T("2026-06-01T12:00:00Z")}, {"logo", T("2026-05-01T00:00:00Z")}};
  Post late = MakePost("late", "acme", "x", "US", T("2026-06-01T11:00:00Z"));
  late.assets = {{"hero", T("2026-06-01T12:00:00Z")}, {"cut", T("2026-06-01T11:00:00.001Z")}};
  c.posts = {on_time, late};
  std::vector<Finding> findings = OfKind(Detect(c), ConflictKind::kAssetLate);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].post_ids, Ids{"late"});
  EXPECT_EQ(findings[0].subject, "cut");
  EXPECT_EQ(findings[0].earliest_ok, T("2026-06-01T11:00:00.001Z"));
  EXPECT_EQ(findings[1].subject, "hero");
  EXPECT_EQ(findings[1].earliest_ok, T("2026-06-01T12:00:00Z"));
}

// ---- Peak engagement ----

TEST(ContentCalendarPeak, OutsidePeakIsInformationalOnly) {
  ContentCalendar c = Calendar();
  c.peak_windows = {{"acme", "", T("2026-06-01T17:00:00Z"), T("2026-06-01T21:00:00Z")},
                    {"acme", "tiktok", T("2026-06-01T08:00:00Z"), T("2026-06-01T09:00:00Z")}};
  c.posts = {MakePost("peak", "acme", "instagram", "US", T("2026-06-01T17:00:00Z")),
             MakePost("off", "acme", "instagram", "US", T("2026-06-01T08:30:00Z")),
             MakePost("tiktok_peak", "acme", "tiktok", "US", T("2026-06-01T08:30:00Z")),
             MakePost("at_end", "acme", "tiktok", "US", T("2026-06-01T21:00:00Z")),
             MakePost("no_windows", "bolt", "instagram", "US", T("2026-06-01T03:00:00Z"))};
  std::vector<Finding> findings = Detect(c);
  std::vector<Finding> off = OfKind(findings, ConflictKind::kOffPeak);
  ASSERT_EQ(off.size(), 2u);
  EXPECT_EQ(off[0].post_ids, Ids{"off"});
  EXPECT_EQ(off[0].severity, Severity::kInfo);
  EXPECT_EQ(off[0].earliest_ok, T("2026-06-01T17:00:00Z"));
  EXPECT_EQ(off[1].post_ids, Ids{"at_end"});
  EXPECT_EQ(findings.size(), 2u) << "off-peak must not produce conflicts of another kind";
}

// ---- Refresh cycles ----

RefreshConstraint AudienceList() {
  // Issue 3: "audience list refreshes every 24 h and must refresh at least 6 h before launch".
  RefreshConstraint r;
  r.name = "audience list";
  r.period = hours(24);
  r.anchor = T("2026-05-30T00:00:00Z");
  r.min_lead = hours(6);
  return r;
}

std::vector<Finding> RefreshFindingsForLaunch(const RefreshConstraint& r, const char* launch) {
  ContentCalendar c = Calendar();
  c.rules.refresh_constraints = {r};
  c.launches = {{"all", T(launch)}};
  return OfKind(Detect(c), ConflictKind::kRefreshCycle);
}

TEST(ContentCalendarRefresh, IssueExampleAudienceListEvery24hAtLeast6hBeforeLaunch) {
  const RefreshConstraint r = AudienceList();
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-06-01T13:00:00Z").empty());
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-06-01T06:00:00Z").empty()) << "exactly 6 h";
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-06-01T23:59:59.999Z").empty());

  std::vector<Finding> early = RefreshFindingsForLaunch(r, "2026-06-01T05:59:59.999Z");
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].launch, "all");
  EXPECT_TRUE(early[0].post_ids.empty());
  EXPECT_EQ(early[0].subject, "audience list");
  EXPECT_EQ(early[0].earliest_ok, T("2026-06-01T06:00:00Z"));
  EXPECT_NE(early[0].message.find("refresh at 2026-06-01T00:00:00.000Z"), std::string::npos)
      << early[0].message;

  std::vector<Finding> at_refresh = RefreshFindingsForLaunch(r, "2026-06-01T00:00:00Z");
  ASSERT_EQ(at_refresh.size(), 1u);
  EXPECT_EQ(at_refresh[0].earliest_ok, T("2026-06-01T06:00:00Z"));
}

TEST(ContentCalendarRefresh, NoRefreshBeforeTheAnchor) {
  const RefreshConstraint r = AudienceList();
  std::vector<Finding> before = RefreshFindingsForLaunch(r, "2026-05-29T23:00:00Z");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].earliest_ok, T("2026-05-30T06:00:00Z"));
  EXPECT_NE(before[0].message.find("before the first"), std::string::npos) << before[0].message;
  std::vector<Finding> first = RefreshFindingsForLaunch(r, "2026-05-30T05:00:00Z");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].earliest_ok, T("2026-05-30T06:00:00Z"));
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-05-30T06:00:00Z").empty());
}

TEST(ContentCalendarRefresh, AnchorNeedNotBeMidnight) {
  RefreshConstraint r = AudienceList();
  r.anchor = T("2026-05-30T03:30:00Z");
  std::vector<Finding> f = RefreshFindingsForLaunch(r, "2026-06-01T09:00:00Z");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].earliest_ok, T("2026-06-01T09:30:00Z"));
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-06-01T09:30:00Z").empty());
  EXPECT_TRUE(RefreshFindingsForLaunch(r, "2026-06-02T03:29:59.999Z").empty());
}

TEST(ContentCalendarRefresh, MarketScopedConstraintChecksThatMarketAndAllLaunches) {
  ContentCalendar c = Calendar();
  RefreshConstraint r = AudienceList();
  r.market = "JP";
  c.rules.refresh_constraints = {r};
  c.launches = {{"US", T("2026-06-01T05:00:00Z")},
                {"JP", T("2026-06-01T05:00:00Z")},
                {"all", T("2026-06-02T01:00:00Z")}};
  std::vector<Finding> f = OfKind(Detect(c), ConflictKind::kRefreshCycle);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].launch, "JP");
  EXPECT_EQ(f[1].launch, "all");
}

TEST(ContentCalendarRefresh, ConstraintOnPostsOfOnePlatform) {
  ContentCalendar c = Calendar();
  RefreshConstraint r = AudienceList();
  r.applies_to = RefreshConstraint::AppliesTo::kPosts;
  r.platform = "meta_ads";
  c.rules.refresh_constraints = {r};
  c.launches = {{"all", T("2026-06-01T01:00:00Z")}};
  c.posts = {MakePost("paid_early", "acme", "meta_ads", "US", T("2026-06-01T02:00:00Z")),
             MakePost("paid_ok", "acme", "meta_ads", "US", T("2026-06-01T07:00:00Z")),
             MakePost("organic", "acme", "instagram", "US", T("2026-06-01T02:00:00Z"))};
  std::vector<Finding> f = OfKind(Detect(c), ConflictKind::kRefreshCycle);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].post_ids, Ids{"paid_early"});
  EXPECT_TRUE(f[0].launch.empty());
}

// ---- Rate limits ----

TEST(ContentCalendarRateLimit, SlidingWindowIsHalfOpen) {
  ContentCalendar c = Calendar();
  c.rules.rate_limits = {{"x", 3, hours(1)}};
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("a", "acme", "x", "US", at),
             MakePost("b", "bolt", "x", "US", at + minutes(20)),
             MakePost("c", "acme", "x", "JP", at + minutes(40)),
             MakePost("d", "bolt", "x", "US", at + minutes(60)),
             MakePost("other_platform", "acme", "y", "US", at + minutes(50))};
  EXPECT_TRUE(OfKind(Detect(c), ConflictKind::kRateLimit).empty()) << "a leaves as d arrives";

  c.posts[3].at = at + minutes(60) - milliseconds(1);
  std::vector<Finding> f = OfKind(Detect(c), ConflictKind::kRateLimit);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].post_ids, Ids{"d"});
  EXPECT_EQ(f[0].subject, "x: 3 per 1h");
  EXPECT_EQ(f[0].at, at + minutes(60) - milliseconds(1));
  EXPECT_EQ(f[0].severity, Severity::kError);
}

TEST(ContentCalendarRateLimit, ExceedingPostsGroupIntoBursts) {
  ContentCalendar c = Calendar();
  c.rules.rate_limits = {{"x", 2, hours(1)}, {"x", 4, hours(24)}};
  const Instant at = T("2026-06-01T08:00:00Z");
  c.posts = {MakePost("a1", "acme", "x", "US", at),
             MakePost("a2", "acme", "x", "US", at + minutes(1)),
             MakePost("a3", "acme", "x", "US", at + minutes(2)),
             MakePost("b1", "acme", "x", "US", at + hours(5)),
             MakePost("b2", "acme", "x", "US", at + hours(5) + minutes(1)),
             MakePost("b3", "acme", "x", "US", at + hours(5) + minutes(2)),
             MakePost("b4", "acme", "x", "US", at + hours(5) + minutes(3))};
  std::vector<Finding> f = OfKind(Detect(c), ConflictKind::kRateLimit);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].post_ids, Ids{"a3"});
  EXPECT_EQ(f[0].subject, "x: 2 per 1h");
  // The day limit is passed first, by the fifth post of the day.
  EXPECT_EQ(f[1].post_ids, (Ids{"b2", "b3", "b4"}));
  EXPECT_EQ(f[1].subject, "x: 4 per 1d");
  EXPECT_EQ(f[2].post_ids, (Ids{"b3", "b4"}));
  EXPECT_EQ(f[2].subject, "x: 2 per 1h");
}

// ---- Ordering and output ----

TEST(ContentCalendarOrdering, FindingsAreSortedAndIndependentOfInputOrder) {
  ContentCalendar c;
  c.release_windows = {{"x", "US", T("2026-06-01T10:00:00Z"), T("2026-06-01T11:00:00Z")}};
  c.blackouts = {{"freeze", T("2026-06-01T12:00:00Z"), T("2026-06-01T13:00:00Z"), "", "", ""}};
  const Instant at = T("2026-06-01T12:00:00Z");
  Post p1 = MakePost("p1", "acme", "x", "US", at, "aa");
  p1.assets = {{"hero", at + hours(1)}};
  c.posts = {p1, MakePost("p2", "acme", "x", "US", at + minutes(30), "aa"),
             MakePost("p0", "bolt", "x", "US", at - hours(3))};
  std::vector<Finding> expected = Detect(c);
  std::vector<std::string> kinds;
  for (const Finding& f : expected) kinds.push_back(ConflictKindName(f.kind));
  EXPECT_EQ(kinds, (Ids{"outside_window", "asset_late", "duplicate_content", "in_blackout",
                        "outside_window", "too_close", "in_blackout", "outside_window"}));
  EXPECT_EQ(expected[0].post_ids, Ids{"p0"});

  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(c.posts.begin(), c.posts.end(), rng);
    EXPECT_EQ(Detect(c), expected) << "round " << round;
  }
}

TEST(ContentCalendarJson, ConflictsToJsonCarriesEveryFieldAndCounts) {
  ContentCalendar c = Calendar();
  c.rules.refresh_constraints = {AudienceList()};
  c.launches = {{"US", T("2026-06-01T05:00:00Z")}};
  Post p = MakePost("p1", "acme", "x", "US", T("2026-06-01T12:00:00Z"));
  p.assets = {{"hero", T("2026-06-01T13:00:00Z")}};
  c.posts = {p};
  Json out = ConflictsToJson(Detect(c));
  ASSERT_EQ(out["findings"].size(), 2u) << out.dump(2);
  const Json& refresh = out["findings"][0];
  EXPECT_EQ(refresh["kind"], "refresh_cycle");
  EXPECT_EQ(refresh["severity"], "error");
  EXPECT_EQ(refresh["at"], "2026-06-01T05:00:00.000Z");
  EXPECT_EQ(refresh["launch"], "US");
  EXPECT_EQ(refresh["post_ids"], Json::array());
  EXPECT_EQ(refresh["earliest_ok"], "2026-06-01T06:00:00.000Z");
  const Json& asset = out["findings"][1];
  EXPECT_EQ(asset["post_ids"], Json::array({"p1"}));
  EXPECT_EQ(asset["subject"], "hero");
  EXPECT_FALSE(asset.contains("launch"));
  EXPECT_EQ(out["counts"], (Json{{"error", 2}, {"warning", 0}, {"info", 0}}));
}

// ---- Parsing ----

Json ExampleDocument() {
  return Json::parse(R"({
    "launches": [{"market": "US", "at": "2026-06-01T13:00:00Z"}],
    "release_windows": [
      {"platform": "instagram", "market": "US",
       "start": "2026-06-01T13:00:00Z", "end": "2026-06-02T04:00:00Z"}],
    "peak_windows": [{"partner": "acme", "start": "2026-06-01T22:00:00Z",
                      "end": "2026-06-02T02:00:00Z"}],
    "blackouts": [{"name": "press embargo", "start": "2026-06-01T00:00:00Z",
                   "end": "2026-06-01T13:00:00Z", "market": "US"}],
    "posts": [
      {"id": "ig-1", "partner": "acme", "platform": "instagram", "market": "US",
       "at": "2026-06-01T13:00:00Z", "content_hash": "9F86D081",
       "assets": [{"ref": "hero-video", "due": "2026-06-01T12:00:00Z"}]},
      {"id": "ig-2", "partner": "acme", "platform": "instagram", "market": "US",
       "at": "2026-06-01T15:00:00Z", "content_hash": "9f86d081"}],
    "rules": {"spacing": {"default": "4h", "platforms": {"tiktok": "2h"}},
              "duplicates": "platform",
              "rate_limits": [{"platform": "instagram", "max_posts": 5, "window": "1h"}],
              "refresh": [{"name": "audience list", "period": "24h",
                           "anchor": "2026-05-30T00:00:00Z", "min_lead": "6h"}]}
  })");
}

TEST(ContentCalendarParse, ParsesTheDocumentedFormat) {
  Result<ContentCalendar> parsed = ParseContentCalendar(ExampleDocument());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ContentCalendar& c = *parsed;
  ASSERT_EQ(c.posts.size(), 2u);
  EXPECT_EQ(c.posts[0].content_hash, "9f86d081") << "hashes are lowercased";
  EXPECT_EQ(c.posts[0].assets.at(0).due, T("2026-06-01T12:00:00Z"));
  EXPECT_EQ(c.rules.default_spacing, hours(4));
  EXPECT_EQ(c.rules.spacing_by_platform.at("tiktok"), hours(2));
  EXPECT_EQ(c.rules.rate_limits.at(0).max_posts, 5);
  EXPECT_EQ(c.rules.refresh_constraints.at(0).min_lead, hours(6));
  EXPECT_EQ(c.blackouts.at(0).market, "US");
  EXPECT_TRUE(c.peak_windows.at(0).platform.empty());

  std::vector<Finding> findings = Detect(c);
  std::multiset<std::string> kinds;
  for (const Finding& f : findings) kinds.insert(ConflictKindName(f.kind));
  EXPECT_EQ(kinds,
            (std::multiset<std::string>{"too_close", "duplicate_content", "off_peak", "off_peak"}))
      << ConflictsToJson(findings).dump(2);
}

TEST(ContentCalendarParse, EmptyDocumentIsAnEmptyCalendar) {
  Result<ContentCalendar> parsed = ParseContentCalendar(Json::object());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(Detect(*parsed).empty());
}

struct ParseErrorCase {
  const char* json_pointer;  // where to put `value` in the example document
  Json value;
  const char* field;
  const char* reason;
};

TEST(ContentCalendarParse, ErrorsNameTheFieldAndReason) {
  const ParseErrorCase cases[] = {
      {"/colour", "red", "colour", "unknown_field"},
      {"/posts/1/colour", "red", "posts[1].colour", "unknown_field"},
      {"/posts/1/at", "2026-06-01 15:00", "posts[1].at", ""},
      {"/posts/1/id", "ig-1", "posts[1].id", "duplicate_id"},
      {"/posts/1/id", "", "posts[1].id", "too_short"},
      {"/posts/1/partner", 7, "posts[1].partner", "invalid_type"},
      {"/posts/1/content_hash", "xyz", "posts[1].content_hash", "invalid_hash"},
      {"/posts/0/assets/0/due", "soon", "posts[0].assets[0].due", ""},
      {"/posts/0/assets/0/extra", 1, "posts[0].assets[0].extra", "unknown_field"},
      {"/release_windows/0/end", "2026-06-01T13:00:00Z", "release_windows[0].end",
       "empty_interval"},
      {"/peak_windows/0/end", "2026-06-01T21:00:00Z", "peak_windows[0].end", "empty_interval"},
      {"/blackouts/0/name", "", "blackouts[0].name", "too_short"},
      {"/launches/0/at", 5, "launches[0].at", "invalid_type"},
      {"/rules/spacing/platforms/tiktok", "2 hours", "rules.spacing.platforms.tiktok",
       "invalid_duration"},
      {"/rules/spacing/default", "3wd", "rules.spacing.default", "invalid_duration"},
      {"/rules/duplicates", "market", "rules.duplicates", "invalid_enum"},
      {"/rules/rate_limits/0/max_posts", 0, "rules.rate_limits[0].max_posts", "out_of_range"},
      {"/rules/rate_limits/0/window", "0h", "rules.rate_limits[0].window", "out_of_range"},
      {"/rules/refresh/0/min_lead", "24h", "rules.refresh[0].min_lead", "out_of_range"},
      {"/rules/refresh/0/period", "0s", "rules.refresh[0].period", "out_of_range"},
      {"/rules/refresh/0/platform", "x", "rules.refresh[0].platform", "invalid_field"},
      {"/rules/refresh/0/applies_to", "milestones", "rules.refresh[0].applies_to", "invalid_enum"},
      {"/posts", Json::object(), "posts", "invalid_type"},
  };
  for (const ParseErrorCase& c : cases) {
    Json document = ExampleDocument();
    document[Json::json_pointer(c.json_pointer)] = c.value;
    Result<ContentCalendar> parsed = ParseContentCalendar(document);
    ASSERT_FALSE(parsed.ok()) << "accepted " << c.json_pointer << " = " << c.value.dump();
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.json_pointer;
    EXPECT_EQ(parsed.status().field(), c.field) << parsed.status().ToString();
    if (*c.reason != '\0') {
      EXPECT_EQ(parsed.status().reason(), c.reason) << parsed.status().ToString();
    }
  }
}

TEST(ContentCalendarParse, MissingRequiredFieldsAreNamed) {
  for (const char* key : {"id", "partner", "platform", "market", "at"}) {
    Json document = ExampleDocument();
    document["posts"][0].erase(key);
    Result<ContentCalendar> parsed = ParseContentCalendar(document);
    ASSERT_FALSE(parsed.ok()) << key;
    EXPECT_EQ(parsed.status().field(), std::string("posts[0].") + key);
    EXPECT_EQ(parsed.status().reason(), "required");
  }
  Json document = ExampleDocument();
  document["rules"]["refresh"][0].erase("anchor");
  Result<ContentCalendar> parsed = ParseContentCalendar(document);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().field(), "rules.refresh[0].anchor");
}

TEST(ContentCalendarValidate, DetectConflictsRefusesAnInvalidCalendar) {
  ContentCalendar c = Calendar();
  c.posts = {MakePost("a", "acme", "x", "US", T("2026-06-01T08:00:00Z"), "ABC"),
             MakePost("a", "acme", "x", "US", T("2026-06-01T09:00:00Z"))};
  Result<std::vector<Finding>> uppercase = DetectConflicts(c);
  ASSERT_FALSE(uppercase.ok());
  EXPECT_EQ(uppercase.status().field(), "posts[0].content_hash");
  c.posts[0].content_hash = "abc";
  Result<std::vector<Finding>> duplicate = DetectConflicts(c);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().field(), "posts[1].id");
  EXPECT_EQ(duplicate.status().reason(), "duplicate_id");
  c.posts.pop_back();
  c.rules.default_spacing = milliseconds(-1);
  EXPECT_EQ(DetectConflicts(c).status().field(), "rules.spacing.default");
}

// ---- Randomized against naive references ----

bool Before(const Post& a, const Post& b) { return a.at != b.at ? a.at < b.at : a.id < b.id; }

ContentCalendar RandomCalendar(std::mt19937_64& rng, DuplicateScope scope) {
  ContentCalendar c;
  c.rules.default_spacing = hours(2);
  c.rules.spacing_by_platform["tiktok"] = minutes(30);
  c.rules.duplicate_scope = scope;
  c.rules.rate_limits = {{"instagram", 3, hours(1)}, {"tiktok", 5, hours(2)}, {"x", 1, minutes(7)}};
  const char* partners[] = {"acme", "bolt", "cove"};
  const char* platforms[] = {"instagram", "tiktok", "x"};
  const char* markets[] = {"US", "JP"};
  const char* hashes[] = {"", "", "aa", "bb", "cc", "dd", "ee"};
  const Instant base = T("2026-06-01T00:00:00Z");
  std::uniform_int_distribution<int> count(50, 250);
  std::uniform_int_distribution<int> minute(0, 3 * 24 * 60);
  std::uniform_int_distribution<size_t> pick3(0, 2), pick2(0, 1), pick_hash(0, 6);
  const int n = count(rng);
  for (int i = 0; i < n; ++i) {
    c.posts.push_back(MakePost("p" + std::to_string(i), partners[pick3(rng)], platforms[pick3(rng)],
                               markets[pick2(rng)], base + minutes(minute(rng)),
                               hashes[pick_hash(rng)]));
  }
  return c;
}

std::set<Ids> NaiveTooClosePairs(const ContentCalendar& c, std::set<std::string>& involved) {
  std::set<Ids> pairs;
  const std::vector<Post>& posts = c.posts;
  for (const Post& a : posts) {
    const Post* next = nullptr;
    for (const Post& b : posts) {
      if (a.partner != b.partner || a.platform != b.platform || !Before(a, b)) continue;
      if (next == nullptr || Before(b, *next)) next = &b;
    }
    auto it = c.rules.spacing_by_platform.find(a.platform);
    const Span spacing =
        it == c.rules.spacing_by_platform.end() ? c.rules.default_spacing : it->second;
    for (const Post& b : posts) {
      if (a.partner == b.partner && a.platform == b.platform && Before(a, b) &&
          b.at - a.at < spacing) {
        involved.insert(a.id);
        involved.insert(b.id);
      }
    }
    if (next != nullptr && next->at - a.at < spacing) pairs.insert({a.id, next->id});
  }
  return pairs;
}

std::set<std::set<std::string>> NaiveDuplicateGroups(const ContentCalendar& c) {
  std::map<std::string, std::set<std::string>> group_of;  // id -> its group
  const std::vector<Post>& posts = c.posts;
  auto same_scope = [&c](const Post& a, const Post& b) {
    switch (c.rules.duplicate_scope) {
      case DuplicateScope::kPlatform:
        return a.platform == b.platform;
      case DuplicateScope::kPlatformMarket:
        return a.platform == b.platform && a.market == b.market;
      case DuplicateScope::kActivation:
        return true;
    }
    return false;
  };
  for (const Post& a : posts) {
    if (a.content_hash.empty()) continue;
    std::set<std::string> group;
    for (const Post& b : posts) {
      if (b.content_hash == a.content_hash && same_scope(a, b)) group.insert(b.id);
    }
    if (group.size() > 1) group_of[a.id] = group;
  }
  std::set<std::set<std::string>> groups;
  for (const auto& [id, group] : group_of) groups.insert(group);
  return groups;
}

std::set<std::string> NaiveOverLimit(const ContentCalendar& c, const RateLimit& limit) {
  std::set<std::string> over;
  for (const Post& b : c.posts) {
    if (b.platform != limit.platform) continue;
    int64_t in_window = 0;
    for (const Post& a : c.posts) {
      if (a.platform == limit.platform && !Before(b, a) && b.at - a.at < limit.window) {
        ++in_window;
      }
    }
    if (in_window > limit.max_posts) over.insert(b.id);
  }
  return over;
}

TEST(ContentCalendarRandomized, MatchesNaiveReferencesForSpacingDuplicatesAndRateLimits) {
  std::mt19937_64 rng(20260601);
  const DuplicateScope scopes[] = {DuplicateScope::kPlatform, DuplicateScope::kPlatformMarket,
                                   DuplicateScope::kActivation};
  int too_close_seen = 0, duplicates_seen = 0, over_limit_seen = 0;
  for (int round = 0; round < 30; ++round) {
    ContentCalendar c = RandomCalendar(rng, scopes[round % 3]);
    std::vector<Finding> findings = Detect(c);

    std::set<std::string> involved;
    std::set<Ids> expected_pairs = NaiveTooClosePairs(c, involved);
    std::set<Ids> pairs;
    std::set<std::string> covered;
    for (const Finding& f : OfKind(findings, ConflictKind::kTooClose)) {
      EXPECT_TRUE(pairs.insert(f.post_ids).second) << "pair reported twice";
      covered.insert(f.post_ids.begin(), f.post_ids.end());
    }
    EXPECT_EQ(pairs, expected_pairs) << "round " << round;
    EXPECT_EQ(covered, involved) << "round " << round;
    too_close_seen += static_cast<int>(pairs.size());

    std::set<std::set<std::string>> groups;
    for (const Finding& f : OfKind(findings, ConflictKind::kDuplicateContent)) {
      groups.insert(std::set<std::string>(f.post_ids.begin(), f.post_ids.end()));
    }
    EXPECT_EQ(groups, NaiveDuplicateGroups(c)) << "round " << round;
    duplicates_seen += static_cast<int>(groups.size());

    for (const RateLimit& limit : c.rules.rate_limits) {
      const std::string subject = limit.platform + ": " + std::to_string(limit.max_posts) +
                                  " per " +
                                  (limit.window == hours(1)   ? "1h"
                                   : limit.window == hours(2) ? "2h"
                                                              : "7m");
      std::set<std::string> over;
      for (const Finding& f : OfKind(findings, ConflictKind::kRateLimit)) {
        if (f.subject == subject) over.insert(f.post_ids.begin(), f.post_ids.end());
      }
      std::set<std::string> expected = NaiveOverLimit(c, limit);
      EXPECT_EQ(over, expected) << "round " << round << " " << subject;
      over_limit_seen += static_cast<int>(over.size());
    }
  }
  // The generator must exercise every rule, or the comparisons above prove nothing.
  EXPECT_GT(too_close_seen, 100);
  EXPECT_GT(duplicates_seen, 30);
  EXPECT_GT(over_limit_seen, 30);
}

}  // namespace
}  // namespace tutti::scheduling
