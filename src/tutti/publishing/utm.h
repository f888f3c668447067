// Campaign links (C4, standards A1): a strict RFC 3986 parser for absolute http(s) URLs, link
// tagging with UTM parameters drawn from one taxonomy (controlled value lists, required
// parameters, a campaign naming rule, internal hosts that must never be tagged), and validation
// of existing links against the same taxonomy, reporting every violation. Pure: no I/O, no
// global state; every function is thread-safe.
//
// Rules, from standards A1: the nine recognised keys; utm_source, utm_medium and utm_campaign
// are always required (a taxonomy may require more, never fewer); generated values are lower-case
// (the typed value is returned next to the normalised one so it can be stored), contain no
// whitespace (refused with a suggestion rather than silently rewritten, because the result must
// still be a controlled value), and are percent-encoded per RFC 3986; the existing query (other
// than utm_*) and #fragment are kept as written and the URL keeps one '?'; internal links are
// never tagged. Re-tagging replaces every existing utm_* parameter, so TagLink is idempotent.
// See docs/publishing.md.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/json.h"

namespace tutti::publishing {

inline constexpr size_t kMaxUrlLength = 8192;

// An absolute http or https URL split into its RFC 3986 components.
struct Url {
  std::string scheme;                   // lower-cased: "http" or "https"
  std::string host;                     // lower-cased host name, IPv4 address or "[IPv6]"
  std::string port;                     // digits, empty when absent
  std::string path;                     // as written: empty or starting with '/'
  std::optional<std::string> query;     // after '?', as written; nullopt without '?'
  std::optional<std::string> fragment;  // after '#', as written; nullopt without '#'
};

// Parses `text` strictly: an http/https scheme, "//", a host (DNS name of letters, digits and
// hyphens, IPv4 or bracketed IPv6), an optional port 0..65535, then path, query and fragment made
// only of the characters RFC 3986 allows there, with every '%' followed by two hex digits.
// Refused, as kInvalidArgument with field "url": over kMaxUrlLength bytes (too_long), whitespace,
// control or non-ASCII bytes and characters that must be percent-encoded (invalid_character), a
// scheme other than http/https (unsupported_scheme), no "//" or no host (invalid_url), user
// information before '@' (userinfo_not_allowed: "https://trusted.example@evil.example" is how
// phishing links hide their host), bad host names (invalid_host), bad ports (invalid_port),
// broken percent escapes (invalid_percent_encoding).
Result<Url> ParseUrl(std::string_view text);
// The URL ParseUrl read, with scheme and host lower-cased; ParseUrl(FormatUrl(u)) gives u back.
std::string FormatUrl(const Url& url);

// RFC 3986 percent-encoding of a query value: unreserved characters (A-Z a-z 0-9 - . _ ~) as
// they are, every other byte as %XX with upper-case hex.
std::string PercentEncode(std::string_view value);
// Decodes %XX escapes and, in query strings (`plus_is_space`), '+' as a space. nullopt when a
// '%' is not followed by two hex digits. The bytes are not checked for UTF-8.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// The recognised keys, in the order TagLink writes them.
enum class UtmParameter {
  kSource,
  kMedium,
  kCampaign,
  kId,
  kTerm,
  kContent,
  kSourcePlatform,
  kCreativeFormat,
  kMarketingTactic,
};
inline constexpr size_t kUtmParameterCount = 9;
inline constexpr auto kUtmParameterNames = std::to_array<std::string_view>(
    {"utm_source", "utm_medium", "utm_campaign", "utm_id", "utm_term", "utm_content",
     "utm_source_platform", "utm_creative_format", "utm_marketing_tactic"});
std::string_view UtmParameterName(UtmParameter parameter);
bool ParseUtmParameter(std::string_view name, UtmParameter* out);

// One segment of the campaign naming rule.
struct CampaignSegment {
  enum class Kind {
    kList,     // one of `values`
    kDate,     // YYYYMMDD, a real calendar date
    kVersion,  // "v" and 1-6 digits
    kSlug,     // 1-64 of a-z, 0-9 and '-'
    kNumber,   // 1-18 digits
  };
  std::string name;  // what the segment means ("brand", "partner", "launch_date")
  Kind kind = Kind::kList;
  std::vector<std::string> values;  // sorted, for kList
};

// utm_campaign values are the segments joined by the separator, e.g. with segments brand, partner,
// platform, locale (slug), date and version: "acme_streamco_instagram_en-gb_20260601_v3".
struct CampaignNaming {
  char separator = '_';  // '_', '-' or '.'
  std::vector<CampaignSegment> segments;
};

struct UtmTaxonomy {
  std::string version;  // the taxonomy's own version, shown with every violation
  std::array<bool, kUtmParameterCount> required{};  // source, medium, campaign always true
  // Controlled lists by parameter, sorted; an empty list lets any well-formed value through.
  std::array<std::vector<std::string>, kUtmParameterCount> values;
  std::optional<CampaignNaming> campaign_naming;  // utm_campaign has a rule or a list, not both
  // Medium → GA4 channel group, as versioned data (standards A1 rule 4): when present, every
  // listed medium is mapped, and tagging reports the channel a link will count under.
  std::map<std::string, std::string, std::less<>> medium_channels;
  // Hosts of the brand's own sites: links to them, or to any subdomain, are never tagged.
  std::vector<std::string> internal_hosts;
};

// Parses {"version": "2026-06",
//         "required": ["utm_id"],
//         "values": {"utm_source": ["instagram", "tiktok"], "utm_medium": ["paid_social"]},
//         "campaign_naming": {"separator": "_", "segments": [{"name": "brand", "values":
//                             ["acme"]}, {"name": "launch", "kind": "date"}]},
//         "medium_channels": {"paid_social": "Paid Social"},
//         "internal_hosts": ["acme.example"]}
// Everything but "version" is optional. Controlled values must already be normalised (lower
// case, no whitespace, 1-100 bytes, valid UTF-8, no control characters) and unique. Errors are
// kInvalidArgument naming the field ("values.utm_source[2]", "campaign_naming.segments[1].kind").
Result<UtmTaxonomy> ParseTaxonomy(const Json& document);

// A parameter to set and the value as the partner typed it.
struct UtmField {
  std::string parameter;  // "utm_source"…
  std::string value;
};

struct UtmValue {
  UtmParameter parameter = UtmParameter::kSource;
  std::string original;    // as typed
  std::string normalised;  // as written into the URL (before percent-encoding)
};

struct TaggedLink {
  std::string url;
  std::vector<UtmValue> values;  // in the order written
  std::string channel;           // from medium_channels; empty when the taxonomy has none
};

// Tags `url` with `fields`: every existing utm_* parameter (in any letter case, encoded or not)
// is removed, the other query parameters are kept in order and as written, the new parameters
// are appended in kUtmParameterNames order, and the fragment is kept. kInvalidArgument when the
// URL is refused (ParseUrl's reasons, plus internal_link and multiple_question_marks for a '?'
// inside the query) or when any value breaks the taxonomy; then the field and reason are the
// first problem's ("values.utm_source", not_in_list) and the message lists them all. Value
// reasons: unknown_parameter, duplicate_parameter, empty_value, whitespace, too_long,
// invalid_characters, not_in_list, campaign_name, missing_parameter.
Result<TaggedLink> TagLink(std::string_view url, const UtmTaxonomy& taxonomy,
                           std::span<const UtmField> fields);

struct LinkViolation {
  std::string parameter;  // "utm_source"…; empty for the URL as a whole
  std::string reason;     // stable code, listed below
  std::string message;    // names the parameter, the value and what would be right
  bool operator==(const LinkViolation&) const = default;
};

// Every way an existing link breaks the taxonomy, in query order, then missing parameters in
// kUtmParameterNames order; empty when it complies. An unparseable URL gives one violation with
// ParseUrl's reason. Reasons: multiple_question_marks; for a utm_* parameter uppercase_name,
// unknown_parameter, duplicate_parameter, empty_value, whitespace (including '+'), uppercase_value,
// too_long, invalid_encoding, not_in_list, campaign_name; internal_link (a UTM parameter on an
// internal host: nothing else is required there); missing_parameter.
std::vector<LinkViolation> ValidateLink(std::string_view url, const UtmTaxonomy& taxonomy);

// The utm_* parameters of `url` whose lower-cased name is recognised, decoded, in query order
// (the round-trip check of TagLink). Fails as ParseUrl does.
Result<std::vector<UtmField>> ExtractUtm(std::string_view url);

// {"violations": [{"parameter", "reason", "message"}], "taxonomy_version"}
Json ViolationsToJson(const std::vector<LinkViolation>& violations, const UtmTaxonomy& taxonomy);

}  // namespace tutti::publishing
