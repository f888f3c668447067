// The content-calendar conflict check at the scale of issue 3: 100 000 posts over 30 days by 500
// partners on 5 platforms in 10 markets, 200 release windows, 1 000 peak windows, 50 scoped
// blackouts, one asset per post, a rate limit per platform and two refresh constraints, in a
// quiet and a dense variant (MakeCalendar). The baseline in the same run is sorting the posts by
// (instant, id), which every check needs first. Seeded, so every run measures the same calendar.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tutti/scheduling/content_calendar.h"

namespace tutti::scheduling {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr int kPosts = 100'000;
constexpr int kPartners = 500;
constexpr int kDays = 30;
const char* const kPlatforms[] = {"instagram", "tiktok", "youtube", "x", "linkedin"};
const char* const kMarkets[] = {"US", "GB", "DE", "FR", "JP", "BR", "IN", "AU", "CA", "MX"};

Instant Base() { return *ParseInstant("2026-06-01T00:00:00Z"); }

std::string Hex(uint64_t v) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 15];
  return out;
}

// The same posts, windows and blackouts either way. `dense` rules and due dates make 1.3 findings
// per post (a stress test of reporting: about half the assets late, rate limits near the mean
// rate, 4 h spacing, windows with gaps); otherwise windows cover the month, assets are due
// before the posts and limits are loose, so nearly all the time goes into the checks themselves.
ContentCalendar MakeCalendar(bool dense) {
  ContentCalendar c;
  std::mt19937_64 rng(42);
  const Instant base = Base();
  auto minute_in = [&](int days) {
    return base + minutes(std::uniform_int_distribution<int>(0, days * 24 * 60 - 1)(rng));
  };
  // 5 platforms x 10 markets x 4 windows: of 6.5 days with gaps, or 8 days back to back.
  for (const char* platform : kPlatforms) {
    for (const char* market : kMarkets) {
      for (int w = 0; w < 4; ++w) {
        const Instant start = dense ? base + hours(24 * (7 * w) + 6) : base + hours(24 * 8 * w);
        c.release_windows.push_back(
            {platform, market, start, start + hours(dense ? 24 * 6 + 12 : 24 * 8)});
      }
    }
  }
  for (int p = 0; p < kPartners; ++p) {
    const std::string partner = "partner" + std::to_string(p);
    c.peak_windows.push_back({partner, "", base, base + hours(24 * (dense ? 20 : 30))});
    c.peak_windows.push_back({partner, "tiktok", base + hours(24 * 20), base + hours(24 * 25)});
  }
  for (int b = 0; b < 50; ++b) {
    Blackout blackout;
    blackout.name = "blackout" + std::to_string(b);
    blackout.start = minute_in(kDays);
    blackout.end = blackout.start + hours(2 + b % 12);
    if (b % 2 == 0) blackout.market = kMarkets[b % 10];
    if (b % 3 == 0) blackout.platform = kPlatforms[b % 5];
    if (b % 5 == 0) blackout.partner = "partner" + std::to_string(b);
    c.blackouts.push_back(std::move(blackout));
  }
  std::uniform_int_distribution<int> partner(0, kPartners - 1), platform(0, 4), market(0, 9);
  std::uniform_int_distribution<uint64_t> hash;
  for (int i = 0; i < kPosts; ++i) {
    Post p;
    p.id = "post" + std::to_string(i);
    p.partner = "partner" + std::to_string(partner(rng));
    p.platform = kPlatforms[platform(rng)];
    p.market = kMarkets[market(rng)];
    p.at = minute_in(kDays);
    // About 1 % of posts reuse an earlier post's content.
    p.content_hash =
        (i > 0 && i % 100 == 0) ? c.posts[static_cast<size_t>(i / 2)].content_hash : Hex(hash(rng));
    const Instant due = minute_in(kDays);
    p.assets.push_back({"asset" + std::to_string(i), dense ? due : base});
    c.posts.push_back(std::move(p));
  }
  for (const char* platform_name : kPlatforms) {
    c.rules.rate_limits.push_back({platform_name, dense ? 30 : 1000, hours(1)});
  }
  if (dense) {
    c.rules.spacing_by_platform["x"] = hours(1);
  } else {
    c.rules.default_spacing = Span::zero();
  }
  RefreshConstraint audience;
  audience.name = "audience list";
  audience.anchor = base;
  if (!dense) audience.min_lead = std::chrono::milliseconds(1);
  c.rules.refresh_constraints.push_back(audience);
  audience.name = "paid audience";
  audience.applies_to = RefreshConstraint::AppliesTo::kPosts;
  audience.platform = "youtube";
  c.rules.refresh_constraints.push_back(audience);
  for (const char* market_name : kMarkets) {
    c.launches.push_back({market_name, base + hours(24 * 7 + 13)});
  }
  return c;
}

const ContentCalendar& Calendar(bool dense) {
  static const ContentCalendar quiet = MakeCalendar(false);
  static const ContentCalendar busy = MakeCalendar(true);
  return dense ? busy : quiet;
}

void BM_SortPostsOnly(benchmark::State& state) {
  const std::vector<Post>& posts = Calendar(false).posts;
  std::vector<size_t> unsorted(posts.size());
  std::iota(unsorted.begin(), unsorted.end(), size_t{0});
  for (auto _ : state) {
    std::vector<size_t> order = unsorted;
    std::sort(order.begin(), order.end(), [&posts](size_t a, size_t b) {
      if (posts[a].at != posts[b].at) return posts[a].at < posts[b].at;
      return posts[a].id < posts[b].id;
    });
    benchmark::DoNotOptimize(order.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(posts.size()));
}
BENCHMARK(BM_SortPostsOnly)->Unit(benchmark::kMillisecond);

void BM_DetectConflicts(benchmark::State& state) {
  const ContentCalendar& calendar = Calendar(state.range(0) != 0);
  size_t findings = 0;
  for (auto _ : state) {
    auto result = DetectConflicts(calendar);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
    findings = result->size();
    benchmark::DoNotOptimize(result->data());
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(calendar.posts.size()));
}
BENCHMARK(BM_DetectConflicts)->ArgName("dense")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tutti::scheduling

BENCHMARK_MAIN();
