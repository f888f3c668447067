// The attribution engine at the scale of issue 4: events become journeys (BuildJourneys) and the
// five heuristic models share the conversions, on generated data of TUTTI_ATTRIBUTION_TOUCHES
// touchpoints (default 10 M; the figure is 100 M; the generator is attribution_events.h).
// The events readers are measured on the same 1 M generated events in memory, as CSV and as
// NDJSON. Baselines in the same run: sorting row indices by (user, time, event id) with
// std::sort, the obvious first step that BuildJourneys replaces; splitting the CSV into lines and
// fields, and parsing each NDJSON line with simdjson, without validating or storing anything.
// Seeded: every run measures the same data. The SQL baseline of last touch is a driver of its
// own (attribution_sql_baseline.cc).
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <numeric>
#include <random>
#include <streambuf>
#include <string>
#include <vector>

#include "attribution_events.h"
#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_csv.h"
#include "tutti/attribution/events_ndjson.h"

namespace tutti::attribution {
namespace {

using bench::EventId;
using bench::kChannels;
using bench::kPartners;
using bench::MakeEvents;

size_t Touches() {
  const char* text = std::getenv("TUTTI_ATTRIBUTION_TOUCHES");
  const long long parsed = text == nullptr ? 0 : std::atoll(text);
  return parsed > 0 ? static_cast<size_t>(parsed) : size_t{10'000'000};
}

const EventTable& Events() {
  static const EventTable* events = new EventTable(MakeEvents(Touches()));
  return *events;
}

const Journeys& BuiltJourneys() {
  static const Journeys* journeys = [] {
    JourneyOptions options;
    options.threads = 2;
    return new Journeys(std::move(BuildJourneys(Events(), options)).value());
  }();
  return *journeys;
}

void SetTouchCounters(benchmark::State& state) {
  const double touches = static_cast<double>(Touches());
  state.counters["touches/s"] =
      benchmark::Counter(touches, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["events"] = static_cast<double>(Events().size());
}

void BM_SortByUserAndTime_Baseline(benchmark::State& state) {
  const EventTable& events = Events();
  for (auto _ : state) {
    std::vector<uint32_t> order(events.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (events.user[a] != events.user[b]) return events.user[a] < events.user[b];
      if (events.ts_ms[a] != events.ts_ms[b]) return events.ts_ms[a] < events.ts_ms[b];
      return events.EventId(a) < events.EventId(b);
    });
    benchmark::DoNotOptimize(order.data());
  }
  SetTouchCounters(state);
}
BENCHMARK(BM_SortByUserAndTime_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BuildJourneys(benchmark::State& state) {
  const EventTable& events = Events();
  JourneyOptions options;
  options.threads = static_cast<int>(state.range(0));
  size_t journey_count = 0, path_touches = 0;
  for (auto _ : state) {
    Result<Journeys> journeys = BuildJourneys(events, options);
    if (!journeys.ok()) {
      state.SkipWithError(journeys.status().ToString().c_str());
      break;
    }
    journey_count = journeys->size();
    path_touches = journeys->touch_key.size();
    benchmark::DoNotOptimize(journeys);
  }
  SetTouchCounters(state);
  state.counters["journeys"] = static_cast<double>(journey_count);
  state.counters["path_touches"] = static_cast<double>(path_touches);
}
BENCHMARK(BM_BuildJourneys)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Heuristic(benchmark::State& state) {
  const Journeys& journeys = BuiltJourneys();
  ModelOptions options;
  options.model = static_cast<Model>(state.range(0));
  options.threads = static_cast<int>(state.range(1));
  state.SetLabel(ModelName(options.model));
  for (auto _ : state) {
    Result<Credit> credit = Attribute(journeys, options);
    if (!credit.ok()) state.SkipWithError(credit.status().ToString().c_str());
    benchmark::DoNotOptimize(credit);
  }
  SetTouchCounters(state);
}
BENCHMARK(BM_Heuristic)
    ->ArgNames({"model", "threads"})
    ->ArgsProduct({{static_cast<int>(Model::kFirst), static_cast<int>(Model::kLast),
                    static_cast<int>(Model::kLinear), static_cast<int>(Model::kTimeDecay),
                    static_cast<int>(Model::kPosition)},
                   {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The figure: from the events in memory to the credits of all five heuristic models.
void BM_AllHeuristicsFromEvents(benchmark::State& state) {
  const EventTable& events = Events();
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    JourneyOptions journey_options;
    journey_options.threads = threads;
    Result<Journeys> journeys = BuildJourneys(events, journey_options);
    if (!journeys.ok()) state.SkipWithError(journeys.status().ToString().c_str());
    for (Model model :
         {Model::kFirst, Model::kLast, Model::kLinear, Model::kTimeDecay, Model::kPosition}) {
      ModelOptions options;
      options.model = model;
      options.threads = threads;
      Result<Credit> credit = Attribute(*journeys, options);
      benchmark::DoNotOptimize(credit);
    }
  }
  SetTouchCounters(state);
}
BENCHMARK(BM_AllHeuristicsFromEvents)
    ->ArgName("threads")
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// 1 M events as the CLI reads them, as CSV and as NDJSON: ISO-8601 timestamps with
// milliseconds, 64-hex-digit user keys (HMAC digests, as ingest stores them) for 200 000 users,
// a value on conversions only.
struct EventsText {
  std::string csv, ndjson;
};
constexpr int kTextEvents = 1'000'000;

const EventsText& GeneratedEventsText() {
  static const EventsText* text = [] {
    auto* out = new EventsText;
    out->csv = "event_id,user_key,ts,partner,channel,type,value\n";
    std::mt19937_64 rng(7);
    std::vector<std::string> users;
    for (int u = 0; u < 200'000; ++u) {
      std::string key;
      for (int w = 0; w < 4; ++w) {
        char word[17];
        std::snprintf(word, sizeof word, "%016llx", static_cast<unsigned long long>(rng()));
        key += word;
      }
      users.push_back(key);
    }
    const char* types[] = {"impression", "click", "engagement", "conversion"};
    for (int i = 0; i < kTextEvents; ++i) {
      const int type = static_cast<int>(rng() % 10) < 5 ? 0 : static_cast<int>(rng() % 4);
      // One event a second from 2026-06-01: 11.6 days.
      const long long ms = i * 1000LL + static_cast<long long>(rng() % 1000);
      char ts[32];
      std::snprintf(ts, sizeof ts, "2026-06-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                    1 + ms / 86'400'000, ms / 3'600'000 % 24, ms / 60'000 % 60, ms / 1000 % 60,
                    ms % 1000);
      const std::string id = EventId(static_cast<uint64_t>(i));
      const std::string& user = users[rng() % users.size()];
      const std::string partner = "partner" + std::to_string(rng() % kPartners);
      const std::string channel = "channel" + std::to_string(rng() % kChannels);
      const std::string value = type == 3 ? std::to_string(rng() % 200) + ".99" : "";
      out->csv += id + "," + user + "," + ts + "," + partner + "," + channel + "," + types[type] +
                  "," + value + "\n";
      out->ndjson += "{\"event_id\":\"" + id + "\",\"user_key\":\"" + user + "\",\"ts\":\"" + ts +
                     "\",\"partner\":\"" + partner + "\",\"channel\":\"" + channel +
                     "\",\"type\":\"" + types[type] + "\"" +
                     (value.empty() ? "" : ",\"value\":" + value) + "}\n";
    }
    return out;
  }();
  return *text;
}

void SetTextCounters(benchmark::State& state, const std::string& text) {
  state.counters["events/s"] =
      benchmark::Counter(kTextEvents, benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_EventsCsvSplit_Baseline(benchmark::State& state) {
  const std::string& text = GeneratedEventsText().csv;
  for (auto _ : state) {
    size_t fields = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      const auto* line_end =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (line_end == nullptr) line_end = end;
      for (const char* c = p; c < line_end; ++c) fields += *c == ',';
      p = line_end + 1;
    }
    benchmark::DoNotOptimize(fields);
  }
  SetTextCounters(state, text);
}
BENCHMARK(BM_EventsCsvSplit_Baseline)->Unit(benchmark::kMillisecond);

// Reads a string in place, as a file stream would hand over its blocks (std::istringstream
// would copy the text first).
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(const std::string& text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

void BM_ReadEventsCsv(benchmark::State& state) {
  const std::string& text = GeneratedEventsText().csv;
  for (auto _ : state) {
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    Result<EventTable> table = ReadEventsCsv(in);
    if (!table.ok()) state.SkipWithError(table.status().ToString().c_str());
    benchmark::DoNotOptimize(table);
  }
  SetTextCounters(state, text);
}
BENCHMARK(BM_ReadEventsCsv)->Unit(benchmark::kMillisecond);

// What simdjson alone costs: each line parsed in place (DOM, as the reader does) and its fields
// walked, nothing checked or stored.
void BM_EventsNdjsonParse_Baseline(benchmark::State& state) {
  std::string text = GeneratedEventsText().ndjson;
  const size_t size = text.size();
  text.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::dom::parser parser;
  for (auto _ : state) {
    size_t fields = 0;
    const char* p = text.data();
    const char* end = p + size;
    while (p < end) {
      const auto* line_end =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (line_end == nullptr) line_end = end;
      simdjson::dom::object object;
      if (parser.parse(p, static_cast<size_t>(line_end - p), false).get(object) !=
          simdjson::SUCCESS) {
        state.SkipWithError("simdjson refused a generated line");
        return;
      }
      for (const simdjson::dom::key_value_pair field : object) fields += field.key.size();
      p = line_end + 1;
    }
    benchmark::DoNotOptimize(fields);
  }
  SetTextCounters(state, GeneratedEventsText().ndjson);
}
BENCHMARK(BM_EventsNdjsonParse_Baseline)->Unit(benchmark::kMillisecond);

void BM_ReadEventsNdjson(benchmark::State& state) {
  const std::string& text = GeneratedEventsText().ndjson;
  for (auto _ : state) {
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    Result<EventTable> table = ReadEventsNdjson(in);
    if (!table.ok()) state.SkipWithError(table.status().ToString().c_str());
    benchmark::DoNotOptimize(table);
  }
  SetTextCounters(state, text);
}
BENCHMARK(BM_ReadEventsNdjson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tutti::attribution

BENCHMARK_MAIN();
