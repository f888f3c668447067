// What the asset engine adds to an upload: probing the header, checking the name against the
// activation's template and the file against a platform spec, per file of each format at an
// upload's usual size. The baseline in the same run is SHA-256 of the same bytes, which every
// upload computes anyway for content addressing. Files are generated (tests/support), once:
//   png   1080 x 1350 RGB noise, 4.2 MiB, image data in 8 KiB IDAT chunks (libpng's default),
//         so the probe walks ~530 chunk headers;
//   jpeg  1080 x 1350 baseline with 2.5 MiB in 64 KiB COM segments before the frame header (as
//         camera APP segments are), so the probe walks ~40 segments and finds EOI at the end;
//   gif   480 x 480, 10 frames of 256 colours, 3.7 MiB of LZW data in 255-byte sub-blocks, all
//         of which the probe walks to count frames;
//   webp  1080 x 1350 VP8X + VP8L with 2.5 MiB of XMP metadata;
//   mp4   1080 x 1920, 15 s, moov after an 8 MiB mdat (camera layout).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "../tests/support/media_samples.h"
#include "tutti/assets/media.h"
#include "tutti/assets/naming.h"
#include "tutti/assets/spec.h"
#include "tutti/base/crypto.h"

namespace tutti::assets {
namespace {

namespace samples = tutti::media_samples;

struct Sample {
  const char* label;
  std::string bytes;
  const char* extension;
  const char* placement;
};

const std::vector<Sample>& Samples() {
  static const std::vector<Sample> samples = [] {
    std::vector<Sample> s;
    s.push_back({"png", samples::Png(1080, 1350, {.noise = true}), "png", "instagram_feed"});
    s.push_back(
        {"jpeg", samples::Jpeg(1080, 1350, {.comment_bytes = 2'500'000}), "jpg", "instagram_feed"});
    s.push_back({"gif", samples::Gif(480, 480, {.frames = 10, .colors = 256}), "gif", "x"});
    s.push_back(
        {"webp", samples::WebpExtended(1080, 1350, {.metadata_bytes = 2'500'000}), "webp", "x"});
    s.push_back({"mp4", samples::Mp4({.moov_first = false, .mdat_bytes = 8 * 1024 * 1024}), "mp4",
                 "instagram_story"});
    return s;
  }();
  return samples;
}

const NamingTemplate& Template() {
  static const NamingTemplate naming =
      *NamingTemplate::Parse("{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}");
  return naming;
}

NameFields Known() {
  NameFields f;
  f.brand = "acme";
  f.partner = "streamco";
  f.locale = "en-gb";
  f.date =
      std::chrono::year_month_day{std::chrono::year(2026), std::chrono::June, std::chrono::day(1)};
  f.version = 3;
  return f;
}

const Sample& SampleOf(const benchmark::State& state) {
  return Samples()[static_cast<size_t>(state.range(0))];
}

void Report(benchmark::State& state, const Sample& sample) {
  state.SetLabel(std::string(sample.label) + " " + std::to_string(sample.bytes.size()) + " B");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(sample.bytes.size()));
}

void BM_Sha256_Baseline(benchmark::State& state) {
  const Sample& sample = SampleOf(state);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(sample.bytes));
  Report(state, sample);
}
BENCHMARK(BM_Sha256_Baseline)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

void BM_ProbeMedia(benchmark::State& state) {
  const Sample& sample = SampleOf(state);
  for (auto _ : state) {
    Result<MediaInfo> info = ProbeMedia(samples::AsBytes(sample.bytes));
    if (!info.ok()) state.SkipWithError(info.status().ToString().c_str());
    benchmark::DoNotOptimize(info);
  }
  Report(state, sample);
}
BENCHMARK(BM_ProbeMedia)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

// Everything the engine does per upload: probe, name check (normalising the known fields and
// reading the name back), spec check.
void BM_ProbeNameAndSpec(benchmark::State& state) {
  const Sample& sample = SampleOf(state);
  const PlatformSpec& spec = *DefaultPlatformSpecs().Find(sample.placement);
  const NameFields known = Known();
  const std::string name =
      "acme_streamco_instagram_en-gb_20260601_v3." + std::string(sample.extension);
  for (auto _ : state) {
    Result<MediaInfo> info = ProbeMedia(samples::AsBytes(sample.bytes));
    if (!info.ok()) {
      state.SkipWithError(info.status().ToString().c_str());
      break;
    }
    Result<NameFields> fields = CheckFileName(Template(), name, info->format, known);
    if (!fields.ok()) state.SkipWithError(fields.status().ToString().c_str());
    benchmark::DoNotOptimize(CheckSpec(spec, *info, sample.bytes.size()));
  }
  Report(state, sample);
}
BENCHMARK(BM_ProbeNameAndSpec)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tutti::assets

int main(int argc, char** argv) {
  if (!tutti::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
