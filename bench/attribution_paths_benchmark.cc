// The ChannelAttribution path format at the scale of issue 4: a generated path file of
// 1 M journeys by default, or TUTTI_BENCH_PATH_JOURNEYS=10000000 for the 10 M journeys
// (46 M touches, 16 channels, about 600 MB). Measured: ReadPathFile from memory and from a
// file (the CLI's case), Markov orders 1 and 2, Shapley on 16 and on 20 channels, and file →
// Markov credits end to end. The baseline in the same run is the straightforward reader
// (std::getline, splitting into std::strings, std::stod, std::map interning), which shows what
// the hand-written reader buys. Seeded, so every run measures the same file.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "tutti/attribution/models.h"
#include "tutti/attribution/paths.h"

namespace tutti::attribution {
namespace {

const std::vector<std::string>& Channels(int count) {
  static const std::vector<std::string> kNames = {
      "facebook", "google_search", "email",    "display",  "tiktok",     "youtube",  "affiliate",
      "bing",     "instagram",     "direct",   "referral", "podcast",    "radio_ad", "outdoor",
      "sms",      "partner_site",  "linkedin", "snapchat", "newsletter", "pinterest"};
  static const std::vector<std::string> kSixteen(kNames.begin(), kNames.begin() + 16);
  return count == 16 ? kSixteen : kNames;
}

size_t JourneyCount() {
  const char* text = std::getenv("TUTTI_BENCH_PATH_JOURNEYS");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : 1'000'000;
}

// Paths of 1 + geometric touches (mean 4.6), channels skewed towards the first ones, repeats
// allowed (as in real aggregated data); a third of the rows convert.
std::string MakePathFile(size_t journeys, int channel_count) {
  const std::vector<std::string>& channels = Channels(channel_count);
  std::mt19937_64 rng(46);
  std::geometric_distribution<int> extra_touches(1 / 4.6);
  std::vector<double> channel_weights;
  for (int c = 0; c < channel_count; ++c) channel_weights.push_back(1.0 / (c + 2));
  std::discrete_distribution<int> channel(channel_weights.begin(), channel_weights.end());
  std::uniform_int_distribution<int> converts(0, 2), conversions(1, 4), nulls(0, 40),
      cents(500, 25000);
  std::string text = "path,total_conversions,total_conversion_value,total_null\n";
  text.reserve(journeys * 62);
  char numbers[64];
  for (size_t j = 0; j < journeys; ++j) {
    const int touches = 1 + std::min(extra_touches(rng), 40);
    for (int t = 0; t < touches; ++t) {
      if (t > 0) text += " > ";
      text += channels[static_cast<size_t>(channel(rng))];
    }
    const int converted = converts(rng) == 0 ? conversions(rng) : 0;
    const int value = converted * cents(rng);
    std::snprintf(numbers, sizeof numbers, ",%d,%d.%02d,%d\n", converted, value / 100, value % 100,
                  nulls(rng) + (converted == 0));
    text += numbers;
  }
  return text;
}

const std::string& PathFile() {
  static const std::string kText = MakePathFile(JourneyCount(), 16);
  return kText;
}

// A read-only streambuf over memory, so that reading from "memory" copies what the stream hands
// out, as a file stream does from the page cache, without a second copy of the text.
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(const std::string& text) {
    char* data = const_cast<char*>(text.data());
    setg(data, data, data + text.size());
  }
};

Journeys ReadOrDie(std::istream& in) {
  Result<Journeys> journeys = ReadPathFile(in);
  if (!journeys.ok()) {
    std::fprintf(stderr, "%s\n", journeys.status().ToString().c_str());
    std::abort();
  }
  return *std::move(journeys);
}

const Journeys& SixteenChannelJourneys() {
  static const Journeys kJourneys = [] {
    MemoryBuffer buffer(PathFile());
    std::istream in(&buffer);
    return ReadOrDie(in);
  }();
  return kJourneys;
}

const Journeys& TwentyChannelJourneys() {
  static const Journeys kJourneys = [] {
    const std::string text = MakePathFile(std::min<size_t>(JourneyCount(), 1'000'000), 20);
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    return ReadOrDie(in);
  }();
  return kJourneys;
}

const std::string& PathFileOnDisk() {
  static const std::string kPath = [] {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("tutti_paths_bench_" + std::to_string(JourneyCount()) + ".csv"))
                                 .string();
    std::ofstream out(path, std::ios::binary);
    out.write(PathFile().data(), static_cast<std::streamsize>(PathFile().size()));
    return path;
  }();
  return kPath;
}

void ReportFile(benchmark::State& state, const Journeys& journeys, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["journeys"] = static_cast<double>(journeys.size());
  state.counters["touches"] = static_cast<double>(journeys.touch_key.size());
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_ReadPathFileFromMemory(benchmark::State& state) {
  const std::string& text = PathFile();
  Journeys journeys;
  for (auto _ : state) {
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    journeys = ReadOrDie(in);
    benchmark::DoNotOptimize(journeys.touch_key.data());
  }
  ReportFile(state, journeys, text.size());
}

void BM_ReadPathFileFromDisk(benchmark::State& state) {
  const std::string& path = PathFileOnDisk();
  Journeys journeys;
  for (auto _ : state) {
    std::ifstream in(path, std::ios::binary);
    journeys = ReadOrDie(in);
    benchmark::DoNotOptimize(journeys.touch_key.data());
  }
  ReportFile(state, journeys, PathFile().size());
}

// The baseline: what a first version would do. No quoting, no error positions.
Journeys ReadPathFileStraightforwardly(std::istream& in) {
  Journeys journeys;
  std::map<std::string, uint32_t> ids;
  std::string line;
  std::getline(in, line);  // the generated header, in the usual column order
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    size_t start = 0;
    for (;;) {
      const size_t separator = fields[0].find(" > ", start);
      const std::string name = fields[0].substr(start, separator - start);
      auto [it, inserted] = ids.emplace(name, static_cast<uint32_t>(ids.size()));
      if (inserted) journeys.keys.Intern(name);
      journeys.touch_key.push_back(it->second);
      if (separator == std::string::npos) break;
      start = separator + 3;
    }
    journeys.offsets.push_back(journeys.touch_key.size());
    journeys.conversions.push_back(std::stod(fields[1]));
    journeys.value.push_back(std::stod(fields[2]));
    journeys.nulls.push_back(std::stod(fields[3]));
  }
  journeys.partner_count.assign(journeys.size(), 0);
  return journeys;
}

void BM_ReadPathFileBaselineGetlineStod(benchmark::State& state) {
  const std::string& text = PathFile();
  Journeys journeys;
  for (auto _ : state) {
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    journeys = ReadPathFileStraightforwardly(in);
    benchmark::DoNotOptimize(journeys.touch_key.data());
  }
  ReportFile(state, journeys, text.size());
}

void BM_Markov(benchmark::State& state) {
  const Journeys& journeys = SixteenChannelJourneys();
  ModelOptions options{.model = Model::kMarkov, .markov_order = static_cast<int>(state.range(0))};
  for (auto _ : state) {
    Result<Credit> credit = AttributeMarkov(journeys, options);
    if (!credit.ok()) state.SkipWithError(credit.status().ToString().c_str());
    benchmark::DoNotOptimize(credit);
  }
  state.counters["journeys"] = static_cast<double>(journeys.size());
  state.counters["touches"] = static_cast<double>(journeys.touch_key.size());
}

void BM_Shapley(benchmark::State& state) {
  const Journeys& journeys =
      state.range(0) == 16 ? SixteenChannelJourneys() : TwentyChannelJourneys();
  for (auto _ : state) {
    Result<Credit> credit = AttributeShapley(journeys, ModelOptions{.model = Model::kShapley});
    if (!credit.ok()) state.SkipWithError(credit.status().ToString().c_str());
    benchmark::DoNotOptimize(credit);
  }
  state.counters["journeys"] = static_cast<double>(journeys.size());
  state.counters["channels"] = static_cast<double>(journeys.keys.size());
}

// What `tutti attribution --paths FILE --model markov` does before printing: file → credits.
void BM_PathFileToMarkovCredits(benchmark::State& state) {
  const std::string& path = PathFileOnDisk();
  for (auto _ : state) {
    std::ifstream in(path, std::ios::binary);
    const Journeys journeys = ReadOrDie(in);
    Result<Credit> credit = AttributeMarkov(journeys, ModelOptions{.model = Model::kMarkov});
    if (!credit.ok()) state.SkipWithError(credit.status().ToString().c_str());
    benchmark::DoNotOptimize(credit);
  }
}

BENCHMARK(BM_ReadPathFileFromMemory)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadPathFileFromDisk)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadPathFileBaselineGetlineStod)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Markov)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Shapley)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PathFileToMarkovCredits)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tutti::attribution

BENCHMARK_MAIN();
