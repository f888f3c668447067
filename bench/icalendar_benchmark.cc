// The iCalendar writer on a large feed: 10 000 events across 5 zones (both hemispheres, a
// +05:45 zone, a no-DST zone), each with a summary, description, location, URL and categories.
// Baseline in the same run: concatenating the same summaries with CRLF, the least any writer of
// this feed must do. BM_WriteICalendar_Utc writes the same events without zones, which isolates
// the cost of local times and VTIMEZONE blocks.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "tutti/scheduling/icalendar.h"

namespace {

using tutti::scheduling::CalendarEvent;
using tutti::scheduling::CalendarFeed;

constexpr int kEvents = 10000;

CalendarFeed SampleFeed(bool zoned) {
  const char* zones[] = {"America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney",
                         "Asia/Kathmandu"};
  CalendarFeed feed;
  feed.name = "Summer Splash 2026: all partners";
  feed.description = "Launches, milestones and posts shared with every partner";
  feed.color = "darkorange";
  feed.source_url = "https://tutti.example.com/feeds/4f3c2a1b/calendar.ics";
  const tutti::Instant base(std::chrono::sys_days(std::chrono::year(2026) / 3 / 1));
  for (int i = 0; i < kEvents; ++i) {
    CalendarEvent event;
    const std::string id = "ms_" + std::to_string(100000 + i);
    event.uid = tutti::scheduling::StableUid("milestone", id, "tutti.example.com");
    event.sequence = i % 4;
    event.dtstamp = base;
    // Spread over ~10 months at 37-minute steps, so DST transitions fall inside the feed.
    event.start = base + std::chrono::minutes(37 * i);
    event.end = event.start + std::chrono::minutes(90);
    if (zoned) event.zone = zones[i % 5];
    event.summary = "Milestone " + id + ": partner asset review for the Summer Splash launch";
    event.description =
        "Owner: ana@example.com\nAfter: brief, legal (lag 4h)\nSlack: 2 days; critical: no";
    event.location = "Partner portal, review room 3";
    event.url = "https://tutti.example.com/activations/act_1/milestones/" + id;
    event.categories = {"milestone", "Summer Splash"};
    feed.events.push_back(std::move(event));
  }
  return feed;
}

void BM_ConcatSummaries_Baseline(benchmark::State& state) {
  const CalendarFeed feed = SampleFeed(true);
  for (auto _ : state) {
    std::string out;
    for (const CalendarEvent& event : feed.events) {
      out += event.summary;
      out += "\r\n";
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
}
BENCHMARK(BM_ConcatSummaries_Baseline)->Unit(benchmark::kMillisecond);

void WriteFeed(benchmark::State& state, bool zoned) {
  const CalendarFeed feed = SampleFeed(zoned);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = tutti::scheduling::WriteICalendar(feed);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["feed_bytes"] = static_cast<double>(bytes);
}

void BM_WriteICalendar(benchmark::State& state) { WriteFeed(state, true); }
BENCHMARK(BM_WriteICalendar)->Unit(benchmark::kMillisecond);

void BM_WriteICalendar_Utc(benchmark::State& state) { WriteFeed(state, false); }
BENCHMARK(BM_WriteICalendar_Utc)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
