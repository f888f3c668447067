// Fuzz target for the campaign-link parser and tagger (src/tutti/publishing/utm.h). The input is
// a URL, optionally followed by a newline and a utm_content value. Invariants: no crash, no
// sanitizer report; a refusal names the field "url" and a reason; a parsed URL formats to text
// that parses to the same components (and formats identically); every validation violation has
// a reason and a message; a tagged link complies with the taxonomy, reads back the values that
// were written (including the fuzzed content value, lower-cased), and re-tagging it changes
// nothing; percent-encoding any bytes decodes back to them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "tutti/publishing/utm.h"

namespace {

using tutti::publishing::UtmField;

void Require(bool condition) {
  if (!condition) std::abort();
}

const tutti::publishing::UtmTaxonomy& Taxonomy() {
  static const tutti::publishing::UtmTaxonomy taxonomy =
      *tutti::publishing::ParseTaxonomy(tutti::Json::parse(R"json({
        "version": "fuzz",
        "values": {"utm_source": ["instagram", "tiktok"], "utm_medium": ["paid_social", "social"]},
        "campaign_naming": {"segments": [{"name": "brand", "values": ["acme"]},
                                         {"name": "launch", "kind": "date"},
                                         {"name": "version", "kind": "version"}]},
        "internal_hosts": ["acme.example"]
      })json"));
  return taxonomy;
}

bool SameUrl(const tutti::publishing::Url& a, const tutti::publishing::Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.path == b.path &&
         a.query == b.query && a.fragment == b.fragment;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::publishing;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string url = input.substr(0, newline);
  const bool has_content = newline != std::string::npos;
  const std::string content = has_content ? input.substr(newline + 1) : std::string();

  Require(PercentDecode(PercentEncode(input), true) == input);

  const tutti::Result<Url> parsed = ParseUrl(url);
  if (!parsed.ok()) {
    Require(parsed.status().field() == "url" && !parsed.status().reason().empty());
  } else {
    const std::string formatted = FormatUrl(*parsed);
    const tutti::Result<Url> again = ParseUrl(formatted);
    Require(again.ok() && SameUrl(*parsed, *again) && FormatUrl(*again) == formatted);
  }

  for (const LinkViolation& v : ValidateLink(url, Taxonomy())) {
    Require(!v.reason.empty() && !v.message.empty());
  }

  std::vector<UtmField> fields{
      {"utm_source", "Instagram"}, {"utm_medium", "social"}, {"utm_campaign", "acme_20260601_v2"}};
  if (has_content) fields.push_back({"utm_content", content});
  const tutti::Result<TaggedLink> tagged = TagLink(url, Taxonomy(), fields);
  if (!tagged.ok()) {
    Require(!tagged.status().reason().empty());
    return 0;
  }
  Require(parsed.ok());
  Require(ValidateLink(tagged->url, Taxonomy()).empty());
  const tutti::Result<std::vector<UtmField>> back = ExtractUtm(tagged->url);
  Require(back.ok() && back->size() == tagged->values.size());
  for (size_t i = 0; i < back->size(); ++i) {
    Require((*back)[i].parameter == UtmParameterName(tagged->values[i].parameter));
    Require((*back)[i].value == tagged->values[i].normalised);
  }
  const tutti::Result<TaggedLink> retagged = TagLink(tagged->url, Taxonomy(), fields);
  Require(retagged.ok() && retagged->url == tagged->url);
  return 0;
}
