#include "tutti/publishing/utm.h"

#include <algorithm>
#include <chrono>

#include "tutti/base/text.h"

namespace tutti::publishing {
namespace {

constexpr size_t kMaxValueLength = 200;
constexpr size_t kMaxListValueLength = 100;
constexpr size_t kMaxListValues = 1000;
constexpr size_t kMaxSegments = 12;
constexpr size_t kMaxInternalHosts = 100;
constexpr size_t kListedInMessages = 10;

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool IsSubDelim(char c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
         c == '+' || c == ',' || c == ';' || c == '=';
}
// RFC 3986 pchar without pct-encoded, which the caller handles.
bool IsPchar(char c) { return IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '@'; }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return AsciiLower(c) - 'a' + 10;
}

Status UrlError(std::string message, std::string reason) {
  return InvalidArgument(std::move(message), "url", std::move(reason));
}

// Every byte must be printable ASCII: a URL carries anything else percent-encoded.
Status CheckBytes(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c > 0x20 && c < 0x7f) continue;
    const std::string at = " at byte " + std::to_string(i);
    if (c == ' ') {
      return UrlError("contains a space" + at + "; encode it as %20 or remove it",
                      "invalid_character");
    }
    if (c < 0x20 || c == 0x7f) {
      return UrlError("contains a control character" + at, "invalid_character");
    }
    if (c >= 0x80) {
      return UrlError("contains a non-ASCII character" + at +
                          "; percent-encode its UTF-8 bytes (é is %C3%A9), and write host names "
                          "in punycode",
                      "invalid_character");
    }
  }
  return OkStatus();
}

// Path, query or fragment: pchars, the `extra` characters and well-formed escapes.
Status CheckComponent(std::string_view text, std::string_view extra, std::string_view what,
                      size_t offset) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) {
        return UrlError("has a '%' not followed by two hex digits in the " + std::string(what) +
                            " at byte " + std::to_string(offset + i) + "; write a literal % as %25",
                        "invalid_percent_encoding");
      }
      i += 2;
      continue;
    }
    if (IsPchar(c) || extra.find(c) != std::string_view::npos) continue;
    return UrlError("has '" + std::string(1, c) + "' in the " + std::string(what) + " at byte " +
                        std::to_string(offset + i) + "; it must be percent-encoded",
                    "invalid_character");
  }
  return OkStatus();
}

bool IsIpv4(std::string_view host) {
  int parts = 0;
  while (true) {
    const size_t dot = host.find('.');
    const std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), IsDigit)) {
      return false;
    }
    if (part.size() > 1 && part[0] == '0') return false;  // "010" reads as octal in some stacks
    int value = 0;
    for (char c : part) value = value * 10 + (c - '0');
    if (value > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4;
}

// A DNS name of letters, digits and hyphens (labels of 1-63, 253 in all), or an IPv4 address
// when the last label is numeric (a top-level domain never is).
bool IsValidHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::string_view last;
  std::string_view rest = host;
  while (true) {
    const size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') return false;
    }
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (std::all_of(last.begin(), last.end(), IsDigit)) return IsIpv4(host);
  return true;
}

bool IsValidIpLiteral(std::string_view literal) {
  if (literal.size() < 2 || literal.find(':') == std::string_view::npos) return false;
  return std::all_of(literal.begin(), literal.end(),
                     [](char c) { return IsHex(c) || c == ':' || c == '.'; });
}

struct QueryPiece {
  std::string_view raw;  // "name=value" as written
  std::string_view raw_name;
  std::string_view raw_value;
};

// Splits on '&', dropping empty pieces ("a=1&&b=2"), which carry nothing.
std::vector<QueryPiece> SplitQuery(std::string_view query) {
  std::vector<QueryPiece> pieces;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view raw = query.substr(0, amp);
    if (!raw.empty()) {
      const size_t eq = raw.find('=');
      pieces.push_back(
          QueryPiece{raw, raw.substr(0, eq),
                     eq == std::string_view::npos ? std::string_view() : raw.substr(eq + 1)});
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return pieces;
}

// The lower-cased, decoded name when it starts with "utm_", whatever the case or encoding it
// was written in; empty otherwise.
std::string UtmName(std::string_view raw_name) {
  if (raw_name.size() < 4 || (AsciiLower(raw_name[0]) != 'u' && raw_name[0] != '%')) return {};
  std::optional<std::string> decoded = PercentDecode(raw_name, true);
  if (!decoded) return {};
  std::string lower = AsciiLower(*decoded);
  return lower.starts_with("utm_") ? lower : std::string();
}

bool IsInternalHost(std::string_view host, const UtmTaxonomy& taxonomy) {
  for (const std::string& internal : taxonomy.internal_hosts) {
    if (host == internal) return true;
    if (host.size() > internal.size() && host.ends_with(internal) &&
        host[host.size() - internal.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

// Length of the whitespace character at `i` (ASCII, or a Unicode space in UTF-8), 0 if none.
size_t SpaceAt(std::string_view s, size_t i) {
  const auto b = [&](size_t k) -> unsigned {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u;
  };
  const unsigned c = b(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && b(i + 1) == 0xA0) return 2;                      // U+00A0 no-break space
  if (c == 0xE1 && b(i + 1) == 0x9A && b(i + 2) == 0x80) return 3;  // U+1680
  if (c == 0xE2 && b(i + 1) == 0x80 &&
      (b(i + 2) <= 0x8A || b(i + 2) == 0xA8 || b(i + 2) == 0xA9 || b(i + 2) == 0xAF)) {
    return 3;  // U+2000..U+200A, U+2028, U+2029, U+202F
  }
  if (c == 0xE2 && b(i + 1) == 0x81 && b(i + 2) == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && b(i + 1) == 0x80 && b(i + 2) == 0x80) return 3;  // U+3000
  return 0;
}

bool HasSpace(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (SpaceAt(s, i) > 0) return true;
  }
  return false;
}

// "Spring  Sale " -> "spring_sale": the form the message suggests.
std::string Suggest(std::string_view value) {
  std::string out;
  bool pending_gap = false;
  for (size_t i = 0; i < value.size();) {
    if (size_t n = SpaceAt(value, i)) {
      pending_gap = !out.empty();
      i += n;
      continue;
    }
    if (pending_gap) out.push_back('_');
    pending_gap = false;
    out.push_back(AsciiLower(value[i++]));
  }
  return out;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool InList(const std::vector<std::string>& sorted, std::string_view value) {
  return std::binary_search(sorted.begin(), sorted.end(), value, std::less<>());
}

std::string ListForMessage(const std::vector<std::string>& values) {
  std::string list;
  for (size_t i = 0; i < values.size() && i < kListedInMessages; ++i) {
    list += (i == 0 ? "" : ", ") + values[i];
  }
  if (values.size() > kListedInMessages) {
    list += ", … (" + std::to_string(values.size()) + " in all)";
  }
  return list;
}

std::string Quoted(std::string_view value) { return "\"" + std::string(value) + "\""; }

bool IsDate(std::string_view s) {
  if (s.size() != 8 || !std::all_of(s.begin(), s.end(), IsDigit)) return false;
  auto number = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(static_cast<unsigned>(number(4, 2))),
                                         std::chrono::day(static_cast<unsigned>(number(6, 2)))};
  return date.ok();
}

bool SegmentAccepts(const CampaignSegment& segment, std::string_view part) {
  switch (segment.kind) {
    case CampaignSegment::Kind::kList:
      return InList(segment.values, part);
    case CampaignSegment::Kind::kDate:
      return IsDate(part);
    case CampaignSegment::Kind::kVersion:
      return part.size() >= 2 && part.size() <= 7 && part[0] == 'v' &&
             std::all_of(part.begin() + 1, part.end(), IsDigit);
    case CampaignSegment::Kind::kSlug:
      return !part.empty() && part.size() <= 64 &&
             std::all_of(part.begin(), part.end(),
                         [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
    case CampaignSegment::Kind::kNumber:
      return !part.empty() && part.size() <= 18 && std::all_of(part.begin(), part.end(), IsDigit);
  }
  return false;
}

std::string SegmentExample(const CampaignSegment& segment) {
  switch (segment.kind) {
    case CampaignSegment::Kind::kList:
      return segment.values.empty() ? "x" : segment.values.front();
    case CampaignSegment::Kind::kDate:
      return "20260601";
    case CampaignSegment::Kind::kVersion:
      return "v1";
    case CampaignSegment::Kind::kSlug:
      return "en-gb";
    case CampaignSegment::Kind::kNumber:
      return "1";
  }
  return "x";
}

std::string SegmentExpectation(const CampaignSegment& segment) {
  switch (segment.kind) {
    case CampaignSegment::Kind::kList:
      return "one of " + ListForMessage(segment.values);
    case CampaignSegment::Kind::kDate:
      return "a date YYYYMMDD";
    case CampaignSegment::Kind::kVersion:
      return "a version like v3";
    case CampaignSegment::Kind::kSlug:
      return "lower-case letters, digits and '-'";
    case CampaignSegment::Kind::kNumber:
      return "a number";
  }
  return "";
}

// Empty when `name` follows the rule, else why not, ending with an example of a good name.
std::string CampaignNameProblem(const CampaignNaming& naming, std::string_view name) {
  // Checked without allocating: most names comply, and messages are built only for the rest.
  std::string problem;
  size_t part_count = 0;
  std::string_view rest = name;
  while (true) {
    const size_t sep = rest.find(naming.separator);
    const std::string_view part = rest.substr(0, sep);
    if (part_count < naming.segments.size() && problem.empty() &&
        !SegmentAccepts(naming.segments[part_count], part)) {
      const CampaignSegment& segment = naming.segments[part_count];
      problem = "has " + Quoted(part) + " as its " + segment.name + " (part " +
                std::to_string(part_count + 1) + "), which must be " + SegmentExpectation(segment);
    }
    ++part_count;
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + 1);
  }
  if (part_count != naming.segments.size()) {
    problem = "has " + std::to_string(part_count) + " part" + (part_count == 1 ? "" : "s") +
              " where the rule has " + std::to_string(naming.segments.size()) + " (";
    for (size_t i = 0; i < naming.segments.size(); ++i) {
      problem += (i == 0 ? "" : std::string(1, naming.separator)) + naming.segments[i].name;
    }
    problem += ")";
  }
  if (problem.empty()) return problem;
  std::string example;
  for (size_t i = 0; i < naming.segments.size(); ++i) {
    example +=
        (i == 0 ? "" : std::string(1, naming.separator)) + SegmentExample(naming.segments[i]);
  }
  return problem + "; expected a name like " + example;
}

// The problems of one present value other than its letter case. `value` is as typed (TagLink)
// or decoded from a link (ValidateLink, `from_link`), `lower` its ASCII lower case.
void CheckValue(UtmParameter parameter, std::string_view value, std::string_view lower,
                const UtmTaxonomy& taxonomy, bool from_link, std::vector<LinkViolation>& out) {
  const std::string name(UtmParameterName(parameter));
  auto add = [&](std::string_view reason, std::string message) {
    out.push_back(LinkViolation{name, std::string(reason), name + " " + std::move(message)});
  };
  if (value.empty()) {
    add("empty_value", "is empty; leave the parameter out or give it a value");
    return;
  }
  if (!IsValidUtf8(value) || HasControl(value)) {
    add(from_link ? "invalid_encoding" : "invalid_characters",
        "is not valid UTF-8 text without control characters");
    return;
  }
  if (HasSpace(value)) {
    add("whitespace", Quoted(value) + " contains whitespace" +
                          (from_link ? " (a '+' in a link is a space)" : "") + "; use " +
                          Quoted(Suggest(value)));
    return;
  }
  if (value.size() > kMaxValueLength) {
    add("too_long", "is " + std::to_string(value.size()) + " bytes; at most " +
                        std::to_string(kMaxValueLength));
    return;
  }
  if (parameter == UtmParameter::kCampaign && taxonomy.campaign_naming) {
    std::string problem = CampaignNameProblem(*taxonomy.campaign_naming, lower);
    if (!problem.empty()) add("campaign_name", Quoted(lower) + " " + problem);
    return;
  }
  const std::vector<std::string>& list = taxonomy.values[static_cast<size_t>(parameter)];
  if (!list.empty() && !InList(list, lower)) {
    add("not_in_list", Quoted(lower) + " is not in the taxonomy's list: " + ListForMessage(list));
  }
}

Result<std::vector<std::string>> ReadNormalisedList(const Json& value, const std::string& path,
                                                    size_t max_items) {
  TUTTI_RETURN_IF_ERROR(RequireArray(value, path, max_items));
  if (value.empty()) return InvalidArgument("must not be empty", path, "too_short");
  std::vector<std::string> list;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = JoinPath(path, i);
    TUTTI_ASSIGN_OR_RETURN(std::string item,
                           ReadString(value[i], item_path, 1, kMaxListValueLength));
    if (HasUpper(item) || HasSpace(item) || HasControl(item)) {
      return InvalidArgument("must be lower-case without whitespace, like " + Quoted(Suggest(item)),
                             item_path, "not_normalised");
    }
    list.push_back(std::move(item));
  }
  std::sort(list.begin(), list.end());
  auto dup = std::adjacent_find(list.begin(), list.end());
  if (dup != list.end()) {
    return InvalidArgument("lists " + Quoted(*dup) + " twice", path, "duplicate_value");
  }
  return list;
}

Result<CampaignNaming> ParseNaming(const Json& in) {
  const std::string path = "campaign_naming";
  TUTTI_RETURN_IF_ERROR(RequireObject(in, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(in, {"separator", "segments"}, path));
  CampaignNaming naming;
  if (in.contains("separator")) {
    TUTTI_ASSIGN_OR_RETURN(std::string sep,
                           ReadString(in["separator"], JoinPath(path, "separator"), 1, 1));
    if (sep != "_" && sep != "-" && sep != ".") {
      return InvalidArgument("must be \"_\", \"-\" or \".\"", JoinPath(path, "separator"),
                             "invalid_enum");
    }
    naming.separator = sep[0];
  }
  const std::string segments_path = JoinPath(path, "segments");
  if (!in.contains("segments")) return InvalidArgument("is required", segments_path, "required");
  const Json& segments = in["segments"];
  TUTTI_RETURN_IF_ERROR(RequireArray(segments, segments_path, kMaxSegments));
  if (segments.empty()) return InvalidArgument("must not be empty", segments_path, "too_short");
  static constexpr auto kKinds =
      std::to_array<std::string_view>({"list", "date", "version", "slug", "number"});
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string p = JoinPath(segments_path, i);
    const Json& s = segments[i];
    TUTTI_RETURN_IF_ERROR(RequireObject(s, p));
    TUTTI_RETURN_IF_ERROR(RejectUnknownFields(s, {"name", "kind", "values"}, p));
    if (!s.contains("name")) return InvalidArgument("is required", JoinPath(p, "name"), "required");
    CampaignSegment segment;
    TUTTI_ASSIGN_OR_RETURN(segment.name, ReadString(s["name"], JoinPath(p, "name"), 1, 50));
    if (s.contains("kind")) {
      TUTTI_ASSIGN_OR_RETURN(std::string kind, ReadEnum(s["kind"], JoinPath(p, "kind"), kKinds));
      for (size_t k = 0; k < kKinds.size(); ++k) {
        if (kKinds[k] == kind) segment.kind = static_cast<CampaignSegment::Kind>(k);
      }
    }
    if (segment.kind == CampaignSegment::Kind::kList) {
      if (!s.contains("values")) {
        return InvalidArgument("is required for a list segment (or give a \"kind\")",
                               JoinPath(p, "values"), "required");
      }
      TUTTI_ASSIGN_OR_RETURN(
          segment.values, ReadNormalisedList(s["values"], JoinPath(p, "values"), kMaxListValues));
      for (const std::string& v : segment.values) {
        if (v.find(naming.separator) != std::string::npos) {
          return InvalidArgument(
              Quoted(v) + " contains the separator " + Quoted(std::string(1, naming.separator)),
              JoinPath(p, "values"), "contains_separator");
        }
      }
    } else if (s.contains("values")) {
      return InvalidArgument("only a list segment has values", JoinPath(p, "values"),
                             "invalid_field");
    }
    naming.segments.push_back(std::move(segment));
  }
  return naming;
}

std::string ParameterList() {
  std::string list;
  for (std::string_view n : kUtmParameterNames) list += (list.empty() ? "" : ", ") + std::string(n);
  return list;
}

}  // namespace

Result<Url> ParseUrl(std::string_view text) {
  if (text.size() > kMaxUrlLength) {
    return UrlError(
        "is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(kMaxUrlLength),
        "too_long");
  }
  TUTTI_RETURN_IF_ERROR(CheckBytes(text));
  const size_t colon = text.find(':');
  const std::string_view scheme = colon == std::string_view::npos ? "" : text.substr(0, colon);
  if (scheme.empty() || !IsAlpha(scheme[0]) ||
      !std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.';
      })) {
    return UrlError("is not an absolute URL; expected one like https://example.com/page",
                    "invalid_url");
  }
  Url url;
  url.scheme = AsciiLower(scheme);
  if (url.scheme != "http" && url.scheme != "https") {
    return UrlError("has scheme " + Quoted(url.scheme) + "; only http and https links are tagged",
                    "unsupported_scheme");
  }
  std::string_view rest = text.substr(colon + 1);
  if (!rest.starts_with("//")) {
    return UrlError("must continue with // after " + url.scheme + ":", "invalid_url");
  }
  rest.remove_prefix(2);
  const size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const size_t authority_offset = colon + 3;
  if (authority.find('@') != std::string_view::npos) {
    return UrlError("has user information before '@'; such links hide their real host",
                    "userinfo_not_allowed");
  }
  if (authority.empty()) return UrlError("has no host", "invalid_url");
  std::string_view host, port;
  bool has_port = false;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || !IsValidIpLiteral(authority.substr(1, close - 1))) {
      return UrlError("has an invalid IPv6 address", "invalid_host");
    }
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return UrlError("has junk after the IPv6 address", "invalid_host");
      port = after.substr(1);
      has_port = true;
    }
  } else {
    const size_t port_colon = authority.find(':');
    host = authority.substr(0, port_colon);
    if (port_colon != std::string_view::npos) {
      port = authority.substr(port_colon + 1);
      has_port = true;
    }
    if (!IsValidHostName(host)) {
      return UrlError("has host " + Quoted(host) +
                          ", which is not a DNS name (letters, digits, '-' and dots) or IPv4 "
                          "address",
                      "invalid_host");
    }
  }
  if (has_port) {
    bool valid =
        !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), IsDigit);
    if (valid) {
      int value = 0;
      for (char c : port) value = value * 10 + (c - '0');
      valid = value <= 65535;
    }
    if (!valid)
      return UrlError("has port " + Quoted(port) + "; expected 0 to 65535", "invalid_port");
  }
  url.host = AsciiLower(host);
  url.port = std::string(port);

  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  size_t offset = authority_offset + authority.size();
  const size_t hash = tail.find('#');
  std::string_view fragment;
  if (hash != std::string_view::npos) {
    fragment = tail.substr(hash + 1);
    tail = tail.substr(0, hash);
  }
  const size_t question = tail.find('?');
  const std::string_view path = tail.substr(0, question);
  TUTTI_RETURN_IF_ERROR(CheckComponent(path, "/", "path", offset));
  url.path = std::string(path);
  if (question != std::string_view::npos) {
    const std::string_view query = tail.substr(question + 1);
    TUTTI_RETURN_IF_ERROR(CheckComponent(query, "/?", "query", offset + question + 1));
    url.query = std::string(query);
  }
  if (hash != std::string_view::npos) {
    TUTTI_RETURN_IF_ERROR(CheckComponent(fragment, "/?", "fragment", offset + tail.size() + 1));
    url.fragment = std::string(fragment);
  }
  return url;
}

std::string FormatUrl(const Url& url) {
  std::string out = url.scheme + "://" + url.host;
  if (!url.port.empty()) out += ":" + url.port;
  out += url.path;
  if (url.query) out += "?" + *url.query;
  if (url.fragment) out += "#" + *url.fragment;
  return out;
}

std::string PercentEncode(std::string_view value) {
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 15]);
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) return std::nullopt;
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view UtmParameterName(UtmParameter parameter) {
  return kUtmParameterNames[static_cast<size_t>(parameter)];
}

bool ParseUtmParameter(std::string_view name, UtmParameter* out) {
  for (size_t i = 0; i < kUtmParameterNames.size(); ++i) {
    if (kUtmParameterNames[i] == name) {
      *out = static_cast<UtmParameter>(i);
      return true;
    }
  }
  return false;
}

Result<UtmTaxonomy> ParseTaxonomy(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      document,
      {"version", "required", "values", "campaign_naming", "medium_channels", "internal_hosts"}));
  UtmTaxonomy taxonomy;
  if (!document.contains("version")) return InvalidArgument("is required", "version", "required");
  TUTTI_ASSIGN_OR_RETURN(taxonomy.version, ReadString(document["version"], "version", 1, 50));
  for (UtmParameter always :
       {UtmParameter::kSource, UtmParameter::kMedium, UtmParameter::kCampaign}) {
    taxonomy.required[static_cast<size_t>(always)] = true;
  }
  if (document.contains("required")) {
    const Json& required = document["required"];
    TUTTI_RETURN_IF_ERROR(RequireArray(required, "required", kUtmParameterCount));
    for (size_t i = 0; i < required.size(); ++i) {
      const std::string path = JoinPath("required", i);
      TUTTI_ASSIGN_OR_RETURN(std::string name, ReadEnum(required[i], path, kUtmParameterNames));
      UtmParameter parameter;
      ParseUtmParameter(name, &parameter);
      taxonomy.required[static_cast<size_t>(parameter)] = true;
    }
  }
  if (document.contains("values")) {
    const Json& values = document["values"];
    TUTTI_RETURN_IF_ERROR(RequireObject(values, "values"));
    for (const auto& [name, list] : values.items()) {
      const std::string path = JoinPath("values", name);
      UtmParameter parameter;
      if (!ParseUtmParameter(name, &parameter)) {
        return InvalidArgument("is not a UTM parameter; the recognised ones are " + ParameterList(),
                               path, "unknown_parameter");
      }
      TUTTI_ASSIGN_OR_RETURN(taxonomy.values[static_cast<size_t>(parameter)],
                             ReadNormalisedList(list, path, kMaxListValues));
    }
  }
  if (document.contains("campaign_naming")) {
    if (!taxonomy.values[static_cast<size_t>(UtmParameter::kCampaign)].empty()) {
      return InvalidArgument("utm_campaign has both a value list and a naming rule; keep one",
                             "campaign_naming", "invalid_field");
    }
    TUTTI_ASSIGN_OR_RETURN(taxonomy.campaign_naming, ParseNaming(document["campaign_naming"]));
  }
  const std::vector<std::string>& mediums =
      taxonomy.values[static_cast<size_t>(UtmParameter::kMedium)];
  if (document.contains("medium_channels")) {
    const Json& channels = document["medium_channels"];
    TUTTI_RETURN_IF_ERROR(RequireObject(channels, "medium_channels"));
    for (const auto& [medium, channel] : channels.items()) {
      const std::string path = JoinPath("medium_channels", medium);
      if (!mediums.empty() && !InList(mediums, medium)) {
        return InvalidArgument("is not in values.utm_medium", path, "unknown_medium");
      }
      TUTTI_ASSIGN_OR_RETURN(taxonomy.medium_channels[medium], ReadString(channel, path, 1, 100));
    }
    for (const std::string& medium : mediums) {
      if (!taxonomy.medium_channels.contains(medium)) {
        return InvalidArgument("has no channel for medium " + Quoted(medium) +
                                   "; map every medium of values.utm_medium",
                               "medium_channels", "unmapped_medium");
      }
    }
  }
  if (document.contains("internal_hosts")) {
    const Json& hosts = document["internal_hosts"];
    TUTTI_RETURN_IF_ERROR(RequireArray(hosts, "internal_hosts", kMaxInternalHosts));
    for (size_t i = 0; i < hosts.size(); ++i) {
      const std::string path = JoinPath("internal_hosts", i);
      TUTTI_ASSIGN_OR_RETURN(std::string host, ReadString(hosts[i], path, 1, 253));
      if (!IsValidHostName(host)) {
        return InvalidArgument("must be a host name like acme.example", path, "invalid_host");
      }
      taxonomy.internal_hosts.push_back(AsciiLower(host));
    }
  }
  return taxonomy;
}

Result<TaggedLink> TagLink(std::string_view url_text, const UtmTaxonomy& taxonomy,
                           std::span<const UtmField> fields) {
  TUTTI_ASSIGN_OR_RETURN(Url url, ParseUrl(url_text));
  if (url.query && url.query->find('?') != std::string::npos) {
    return UrlError("has a second '?' inside its query; join parameters with '&'",
                    "multiple_question_marks");
  }
  if (IsInternalHost(url.host, taxonomy)) {
    return UrlError(url.host +
                        " is an internal host: UTM parameters on internal links start a "
                        "new session and overwrite the visitor's original source",
                    "internal_link");
  }

  std::vector<LinkViolation> problems;
  std::array<const UtmField*, kUtmParameterCount> given{};
  std::array<std::string, kUtmParameterCount> normalised;
  for (const UtmField& field : fields) {
    UtmParameter parameter;
    if (!ParseUtmParameter(field.parameter, &parameter)) {
      problems.push_back({field.parameter, "unknown_parameter",
                          Quoted(field.parameter) +
                              " is not a UTM parameter; the recognised "
                              "ones are " +
                              ParameterList()});
      continue;
    }
    const auto index = static_cast<size_t>(parameter);
    if (given[index] != nullptr) {
      problems.push_back(
          {field.parameter, "duplicate_parameter", field.parameter + " is given twice"});
      continue;
    }
    given[index] = &field;
    normalised[index] = AsciiLower(field.value);
    CheckValue(parameter, field.value, normalised[index], taxonomy, false, problems);
  }
  for (size_t i = 0; i < kUtmParameterCount; ++i) {
    if (taxonomy.required[i] && given[i] == nullptr) {
      const std::string name(kUtmParameterNames[i]);
      problems.push_back({name, "missing_parameter", name + " is required"});
    }
  }
  if (!problems.empty()) {
    std::string message = problems.front().message;
    if (problems.size() > 1) {
      message += " (and " + std::to_string(problems.size() - 1) + " more:";
      for (size_t i = 1; i < problems.size(); ++i) message += " " + problems[i].message + ";";
      message.back() = ')';
    }
    return InvalidArgument(std::move(message), JoinPath("values", problems.front().parameter),
                           problems.front().reason);
  }

  TaggedLink tagged;
  const auto medium =
      taxonomy.medium_channels.find(normalised[static_cast<size_t>(UtmParameter::kMedium)]);
  if (medium != taxonomy.medium_channels.end()) tagged.channel = medium->second;
  std::string query;
  if (url.query) {
    for (const QueryPiece& piece : SplitQuery(*url.query)) {
      if (!UtmName(piece.raw_name).empty()) continue;
      query += (query.empty() ? "" : "&") + std::string(piece.raw);
    }
  }
  for (size_t i = 0; i < kUtmParameterCount; ++i) {
    if (given[i] == nullptr) continue;
    query += (query.empty() ? "" : "&") + std::string(kUtmParameterNames[i]) + "=" +
             PercentEncode(normalised[i]);
    tagged.values.push_back(
        UtmValue{static_cast<UtmParameter>(i), given[i]->value, std::move(normalised[i])});
  }
  url.query = std::move(query);
  tagged.url = FormatUrl(url);
  return tagged;
}

std::vector<LinkViolation> ValidateLink(std::string_view url_text, const UtmTaxonomy& taxonomy) {
  std::vector<LinkViolation> violations;
  Result<Url> url = ParseUrl(url_text);
  if (!url.ok()) {
    violations.push_back({"", url.status().reason(), "the link " + url.status().message()});
    return violations;
  }
  if (url->query && url->query->find('?') != std::string::npos) {
    violations.push_back({"", "multiple_question_marks",
                          "the link has a second '?' inside its query, so what follows it is "
                          "read as part of a value; join parameters with '&'"});
  }
  std::array<bool, kUtmParameterCount> present{};
  bool any_utm = false;
  if (url->query) {
    for (const QueryPiece& piece : SplitQuery(*url->query)) {
      const std::string name = UtmName(piece.raw_name);
      if (name.empty()) continue;
      any_utm = true;
      if (*PercentDecode(piece.raw_name, true) != name) {
        violations.push_back({name, "uppercase_name",
                              Quoted(piece.raw_name) + " must be written " + Quoted(name) +
                                  ": parameter names are case-sensitive"});
      }
      UtmParameter parameter;
      if (!ParseUtmParameter(name, &parameter)) {
        violations.push_back({name, "unknown_parameter",
                              name +
                                  " is not a recognised UTM parameter; the recognised ones "
                                  "are " +
                                  ParameterList()});
        continue;
      }
      const auto index = static_cast<size_t>(parameter);
      if (present[index]) {
        violations.push_back(
            {name, "duplicate_parameter", name + " appears more than once; reports read only one"});
        continue;
      }
      present[index] = true;
      const std::string value = PercentDecode(piece.raw_value, true).value_or(std::string());
      const std::string lower = AsciiLower(value);
      if (value != lower && IsValidUtf8(value)) {
        violations.push_back({name, "uppercase_value",
                              name + " " + Quoted(value) + " must be lower-case (" + Quoted(lower) +
                                  "): reports count letter cases apart"});
      }
      CheckValue(parameter, value, lower, taxonomy, true, violations);
    }
  }
  if (IsInternalHost(url->host, taxonomy)) {
    if (any_utm) {
      violations.push_back({"", "internal_link",
                            url->host + " is an internal host: remove the UTM parameters, which "
                                        "would start a new session and overwrite the visitor's "
                                        "original source"});
    }
    return violations;
  }
  for (size_t i = 0; i < kUtmParameterCount; ++i) {
    if (taxonomy.required[i] && !present[i]) {
      const std::string name(kUtmParameterNames[i]);
      violations.push_back({name, "missing_parameter", name + " is required"});
    }
  }
  return violations;
}

Result<std::vector<UtmField>> ExtractUtm(std::string_view url_text) {
  TUTTI_ASSIGN_OR_RETURN(Url url, ParseUrl(url_text));
  std::vector<UtmField> fields;
  if (!url.query) return fields;
  for (const QueryPiece& piece : SplitQuery(*url.query)) {
    std::string name = UtmName(piece.raw_name);
    UtmParameter parameter;
    if (name.empty() || !ParseUtmParameter(name, &parameter)) continue;
    fields.push_back(
        UtmField{std::move(name), PercentDecode(piece.raw_value, true).value_or(std::string())});
  }
  return fields;
}

Json ViolationsToJson(const std::vector<LinkViolation>& violations, const UtmTaxonomy& taxonomy) {
  Json list = Json::array();
  for (const LinkViolation& v : violations) {
    list.push_back(Json{{"parameter", v.parameter}, {"reason", v.reason}, {"message", v.message}});
  }
  return Json{{"violations", std::move(list)}, {"taxonomy_version", taxonomy.version}};
}

}  // namespace tutti::publishing
