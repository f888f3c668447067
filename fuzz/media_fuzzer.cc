// Fuzz target for media header probing (issue 5, docs/assets.md): arbitrary bytes as an uploaded
// file through ProbeMedia, then whatever probes through every built-in platform spec and the
// naming check. Invariants: no crash, no read outside the input (ASan), refusals carry field
// "file", a documented reason and a printable UTF-8 message; accepted files have a size, frames
// that agree with `animated`, and a name built from the template passes the check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "tutti/assets/media.h"
#include "tutti/assets/naming.h"
#include "tutti/assets/spec.h"
#include "tutti/base/text.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

const tutti::assets::NamingTemplate& Template() {
  static const tutti::assets::NamingTemplate naming =
      *tutti::assets::NamingTemplate::Parse("{brand}_{partner}_{locale}_{yyyymmdd}_v{version}");
  return naming;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::assets;
  const auto file = std::as_bytes(std::span<const uint8_t>(data, size));
  const tutti::Result<MediaInfo> probed = ProbeMedia(file);
  if (!probed.ok()) {
    const tutti::Status& s = probed.status();
    Require(s.field() == "file");
    Require(s.reason() == "unknown_format" || s.reason() == "truncated" ||
            s.reason() == "corrupt" || s.reason() == "no_video_track");
    Require(!s.message().empty() && tutti::IsValidUtf8(s.message()));
    return 0;
  }
  const MediaInfo& info = *probed;
  Require(info.width > 0 && info.height > 0);
  Require(info.is_video() ? info.frames == 0 : info.frames >= 1);
  Require(info.animated == (info.frames > 1));
  for (const PlatformSpec& spec : DefaultPlatformSpecs().specs) {
    for (const SpecViolation& v : CheckSpec(spec, info, size)) {
      Require(!v.field.empty() && !v.reason.empty() && tutti::IsValidUtf8(v.message));
    }
  }
  NameFields known;
  known.brand = "acme";
  known.partner = "streamco";
  known.locale = "en-gb";
  known.date =
      std::chrono::year_month_day{std::chrono::year(2026), std::chrono::June, std::chrono::day(1)};
  known.version = static_cast<uint32_t>(size % 1000 + 1);
  const std::string name = Template().ExpectedName(known, FileExtensions(info.format)[0]);
  Require(CheckFileName(Template(), name, info.format, known).ok());
  return 0;
}
