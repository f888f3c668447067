// The measured totals behind a gate's metric thresholds, two ways on the same database in the
// same run: Store::MeasureEvents (one SQL aggregate, what the gates use) against the baseline of
// Store::ForEachEvent summed in C++ (what attribution reads), both leaving out people opted out
// of measurement or sharing. Checks that both give the same totals (exit 1 otherwise) and prints
// the time of each round; peak memory is for `/usr/bin/time -f %M` with `--only`.
//
//   tutti_gate_totals DATABASE_URL ACTIVATION_ID [--only aggregate|foreach]
//
// A driver, not a Google Benchmark: the data is whatever the database holds (docs/approvals.md,
// "Speed", says how the figures' data was made). Single-threaded.
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/storage/database.h"
#include "tutti/storage/store.h"

namespace {

using Sums = std::map<std::string, std::array<int64_t, 6>>;  // org/channel -> counts, values

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tutti;
  if (argc != 3 && !(argc == 5 && std::string(argv[3]) == "--only")) {
    std::fprintf(stderr, "usage: %s DATABASE_URL ACTIVATION_ID [--only aggregate|foreach]\n",
                 argv[0]);
    return 2;
  }
  const std::string only = argc == 5 ? argv[4] : "";
  Result<std::unique_ptr<storage::Database>> db = storage::OpenDatabase(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  storage::Store store(**db, SystemClock::Get());
  const std::string activation = argv[2];
  const std::vector<std::string> excluded = {"measurement", "sharing"};
  for (int round = 1; round <= 3; ++round) {
    Sums aggregate, visited;
    double aggregate_s = 0, foreach_s = 0;
    int64_t events = 0;
    if (only != "foreach") {
      const auto start = std::chrono::steady_clock::now();
      Result<storage::MeasuredEvents> measured = store.MeasureEvents(activation, excluded);
      aggregate_s = Seconds(std::chrono::steady_clock::now() - start);
      if (!measured.ok()) {
        std::fprintf(stderr, "%s\n", measured.status().ToString().c_str());
        return 1;
      }
      for (const storage::EventTotals& t : measured->totals) {
        auto& s = aggregate[t.org_id + "/" + t.channel];
        s[0] += t.impressions;
        s[1] += t.clicks;
        s[2] += t.engagements;
        s[3] += t.conversions;
        s[4] += t.spend_micros;
        s[5] += t.revenue_micros;
      }
    }
    if (only != "aggregate") {
      const auto start = std::chrono::steady_clock::now();
      Status status = store.ForEachEvent(activation, excluded, [&](const storage::EventRow& e) {
        auto& s = visited[e.org_id + "/" + e.channel];
        const bool conversion = e.event_type == "conversion";
        s[0] += e.event_type == "impression";
        s[1] += e.event_type == "click";
        s[2] += e.event_type == "engagement";
        s[3] += conversion;
        s[conversion ? 5 : 4] += e.value_micros;
        ++events;
      });
      foreach_s = Seconds(std::chrono::steady_clock::now() - start);
      if (!status.ok()) {
        std::fprintf(stderr, "%s\n", status.ToString().c_str());
        return 1;
      }
    }
    if (only.empty() && aggregate != visited) {
      std::fprintf(stderr, "the aggregate and the visited events disagree\n");
      return 1;
    }
    std::printf("round %d: MeasureEvents %.3f s | ForEachEvent + sums %.3f s (%lld events)\n",
                round, aggregate_s, foreach_s, static_cast<long long>(events));
  }
  return 0;
}
