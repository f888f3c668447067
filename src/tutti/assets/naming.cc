#include "tutti/assets/naming.h"

#include <algorithm>
#include <charconv>

#include "tutti/base/text.h"

namespace tutti::assets {
namespace {

constexpr std::string_view kTemplateField = "naming_template";
constexpr std::string_view kNameField = "name";
constexpr size_t kMaxTemplateLength = 200;
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxSlugLength = 64;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsDigitsOnly(Placeholder p) { return p == Placeholder::kDate || p == Placeholder::kVersion; }

// The characters a placeholder's normalised values are made of; a name is read by taking the
// longest run of them, which is why a template may not follow a placeholder with one of them.
bool InAlphabet(Placeholder p, char c) {
  if (IsDigitsOnly(p)) return IsDigit(c);
  return IsLower(c) || IsDigit(c) || c == '-';
}

bool IsLiteralChar(char c) { return IsLower(c) || IsDigit(c) || c == '_' || c == '-' || c == '.'; }

std::string Braced(Placeholder p) {
  return "{" + std::string(kPlaceholderNames[static_cast<size_t>(p)]) + "}";
}

// A value for a message in double quotes: control characters, quotes, backslashes and bytes of
// invalid UTF-8 are escaped, so that a message stays printable and valid JSON text.
std::string Quote(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const bool utf8 = IsValidUtf8(text);
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f || (byte >= 0x80 && !utf8)) {
      out += "\\x";
      out += kDigits[byte >> 4];
      out += kDigits[byte & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Position(size_t offset) { return "character " + std::to_string(offset + 1); }

bool IsSlug(std::string_view v) {
  if (v.empty() || v.size() > kMaxSlugLength || v.front() == '-' || v.back() == '-') return false;
  if (v.find("--") != std::string_view::npos) return false;
  return std::all_of(v.begin(), v.end(),
                     [](char c) { return IsLower(c) || IsDigit(c) || c == '-'; });
}

// language (2-3 letters) [-script (4 letters)] [-region (2 letters or 3 digits)], lower-case.
bool IsLocale(std::string_view v) {
  auto letters = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), IsLower);
  };
  auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), IsDigit);
  };
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t dash = v.find('-', start);
    parts.push_back(v.substr(start, dash == std::string_view::npos ? v.npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() > 3 || parts[0].size() < 2 || parts[0].size() > 3 || !letters(parts[0])) {
    return false;
  }
  size_t next = 1;
  if (next < parts.size() && parts[next].size() == 4 && letters(parts[next])) ++next;
  if (next < parts.size()) {
    const std::string_view region = parts[next];
    const bool ok =
        (region.size() == 2 && letters(region)) || (region.size() == 3 && digits(region));
    if (!ok) return false;
    ++next;
  }
  return next == parts.size();
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view v) {
  if (v.size() != 8 || !std::all_of(v.begin(), v.end(), IsDigit)) return std::nullopt;
  auto number = [&](size_t at, size_t count) {
    int n = 0;
    for (size_t i = at; i < at + count; ++i) n = n * 10 + (v[i] - '0');
    return n;
  };
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(static_cast<unsigned>(number(4, 2))),
                                         std::chrono::day(static_cast<unsigned>(number(6, 2)))};
  if (!date.ok() || date.year() < std::chrono::year(1)) return std::nullopt;
  return date;
}

std::string FormatDate(std::chrono::year_month_day date) {
  const int year = static_cast<int>(date.year());
  const auto month = static_cast<unsigned>(date.month());
  const auto day = static_cast<unsigned>(date.day());
  std::string out(8, '0');
  auto put = [&](size_t at, size_t count, unsigned value) {
    for (size_t i = at + count; i > at; --i, value /= 10)
      out[i - 1] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<unsigned>(year));
  put(4, 2, month);
  put(6, 2, day);
  return out;
}

// The member holding a text placeholder's value; null for the date and the version.
std::string NameFields::*TextMember(Placeholder p) {
  switch (p) {
    case Placeholder::kBrand:
      return &NameFields::brand;
    case Placeholder::kPartner:
      return &NameFields::partner;
    case Placeholder::kPlatform:
      return &NameFields::platform;
    case Placeholder::kLocale:
      return &NameFields::locale;
    case Placeholder::kMarket:
      return &NameFields::market;
    case Placeholder::kContext:
      return &NameFields::context;
    case Placeholder::kDate:
    case Placeholder::kVersion:
      break;
  }
  return nullptr;
}

// The normalised text of a field, "" when unknown.
std::string FieldText(const NameFields& fields, Placeholder p) {
  if (p == Placeholder::kDate) return fields.date ? FormatDate(*fields.date) : "";
  if (p == Placeholder::kVersion) return fields.version ? std::to_string(*fields.version) : "";
  return fields.*TextMember(p);
}

std::string_view FieldKey(Placeholder p) {
  return p == Placeholder::kDate ? "date" : kPlaceholderNames[static_cast<size_t>(p)];
}

Result<std::string> Slugify(std::string_view value, Placeholder p) {
  std::string slug;
  bool pending_hyphen = false;
  for (char c : value) {
    if (static_cast<uint8_t>(c) >= 0x80) {
      return InvalidArgument(std::string(FieldKey(p)) + " " + Quote(value) +
                                 " has non-ASCII characters; give its ASCII form (a-z, 0-9)",
                             std::string(FieldKey(p)));
    }
    const char lower = ToLower(c);
    if (IsLower(lower) || IsDigit(lower)) {
      if (pending_hyphen && !slug.empty()) slug += '-';
      pending_hyphen = false;
      slug += lower;
    } else {
      pending_hyphen = true;
    }
  }
  if (slug.empty() || slug.size() > kMaxSlugLength) {
    return InvalidArgument(std::string(FieldKey(p)) + " " + Quote(value) +
                               " must have 1 to 64 letters, digits and hyphens",
                           std::string(FieldKey(p)));
  }
  return slug;
}

// Why a value read from a name is not a normalised value of `p`; "" when it is.
std::string ValueProblem(Placeholder p, std::string_view value) {
  switch (p) {
    case Placeholder::kLocale:
      return IsLocale(value) ? "" : "is not a language tag like en-gb";
    case Placeholder::kDate:
      return ParseDate(value) ? "" : "is not a calendar date as yyyymmdd";
    case Placeholder::kVersion: {
      if (value.empty()) return "is empty";
      if (value[0] == '0') return "is not a version from 1 without leading zeros";
      uint32_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      return ec == std::errc() && end == value.data() + value.size() ? "" : "is too large";
    }
    default:
      return IsSlug(value) ? "" : "is not a slug (a-z and 0-9 joined by single hyphens)";
  }
}

void SetField(NameFields& fields, Placeholder p, std::string_view value) {
  if (p == Placeholder::kDate) {
    fields.date = ParseDate(value);
  } else if (p == Placeholder::kVersion) {
    uint32_t n = 0;
    std::from_chars(value.data(), value.data() + value.size(), n);
    fields.version = n;
  } else {
    fields.*TextMember(p) = std::string(value);
  }
}

}  // namespace

Result<NameFields> NormalizeNameFields(const NameFields& fields) {
  NameFields out = fields;
  for (Placeholder p : {Placeholder::kBrand, Placeholder::kPartner, Placeholder::kPlatform,
                        Placeholder::kMarket, Placeholder::kContext}) {
    std::string* value = &(out.*TextMember(p));
    if (value->empty()) continue;
    TUTTI_ASSIGN_OR_RETURN(*value, Slugify(*value, p));
  }
  if (!out.locale.empty()) {
    std::string locale;
    for (char c : out.locale) locale += c == '_' ? '-' : ToLower(c);
    if (!IsLocale(locale)) {
      return InvalidArgument(
          "locale " + Quote(out.locale) + " is not a language tag like en-gb or pt-br", "locale");
    }
    out.locale = std::move(locale);
  }
  if (out.date && (!out.date->ok() || out.date->year() < std::chrono::year(1) ||
                   out.date->year() > std::chrono::year(9999))) {
    return InvalidArgument("date is not a calendar date in years 1-9999", "date");
  }
  if (out.version && *out.version == 0) {
    return InvalidArgument("version must be 1 or more", "version");
  }
  return out;
}

Result<NamingTemplate> NamingTemplate::Parse(std::string_view text) {
  const std::string field(kTemplateField);
  if (text.empty() || text.size() > kMaxTemplateLength) {
    return InvalidArgument("a naming template has 1 to 200 characters", field, "invalid_template");
  }
  NamingTemplate result;
  result.text_ = std::string(text);
  Segment literal;
  auto flush = [&] {
    if (!literal.literal.empty()) result.segments_.push_back(std::move(literal));
    literal = Segment{};
  };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '{') {
      const size_t close = text.find_first_of("{}", i + 1);
      if (close == std::string_view::npos || text[close] != '}') {
        return InvalidArgument("unclosed { at " + Position(i) + " of the naming template", field,
                               "invalid_template");
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      const auto* found = std::find(kPlaceholderNames.begin(), kPlaceholderNames.end(), name);
      if (found == kPlaceholderNames.end()) {
        return InvalidArgument("unknown placeholder " + Quote("{" + std::string(name) + "}") +
                                   " at " + Position(i) +
                                   " of the naming template; known: {brand}, {partner}, "
                                   "{platform}, {locale}, {market}, {context}, {yyyymmdd}, "
                                   "{version}",
                               field, "unknown_placeholder");
      }
      const auto placeholder = static_cast<Placeholder>(found - kPlaceholderNames.begin());
      const uint32_t bit = 1u << static_cast<unsigned>(placeholder);
      if (result.used_ & bit) {
        return InvalidArgument(Braced(placeholder) + " appears twice (again at " + Position(i) +
                                   " of the naming template)",
                               field, "duplicate_placeholder");
      }
      result.used_ |= bit;
      flush();
      result.segments_.push_back(Segment{"", placeholder, i});
      i = close + 1;
      continue;
    }
    if (c == '}') {
      return InvalidArgument("} without { at " + Position(i) + " of the naming template", field,
                             "invalid_template");
    }
    if (!IsLiteralChar(c)) {
      return InvalidArgument(Quote(text.substr(i, 1)) + " at " + Position(i) +
                                 " of the naming template; between placeholders use a-z, 0-9, "
                                 "'_', '-' and '.'",
                             field, "invalid_template");
    }
    if (literal.literal.empty()) literal.position = i;
    literal.literal += c;
    ++i;
  }
  flush();
  const auto& segments = result.segments_;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (!segments[i].literal.empty()) continue;
    const Placeholder p = segments[i].placeholder;
    const Segment& next = segments[i + 1];
    if (next.literal.empty()) {
      return InvalidArgument(Braced(p) + " at " + Position(segments[i].position) +
                                 " is followed directly by " + Braced(next.placeholder) +
                                 ", so a name could not be split between them; put a separator "
                                 "such as '_' between them",
                             field, "ambiguous_template");
    }
    if (InAlphabet(p, next.literal[0])) {
      return InvalidArgument(Braced(p) + " at " + Position(segments[i].position) +
                                 " is followed by '" + next.literal.substr(0, 1) +
                                 "', which its values may contain; separate it with '_' or '.'",
                             field, "ambiguous_template");
    }
  }
  return result;
}

bool NamingTemplate::Uses(Placeholder placeholder) const {
  return (used_ & (1u << static_cast<unsigned>(placeholder))) != 0;
}

std::string NamingTemplate::ExpectedName(const NameFields& fields,
                                         std::string_view extension) const {
  std::string name;
  for (const Segment& s : segments_) {
    if (!s.literal.empty()) {
      name += s.literal;
      continue;
    }
    const std::string value = FieldText(fields, s.placeholder);
    name += value.empty() ? Braced(s.placeholder) : value;
  }
  if (!extension.empty()) name += "." + std::string(extension);
  return name;
}

Result<NameFields> NamingTemplate::ParseName(std::string_view file_name) const {
  const std::string field(kNameField);
  auto mismatch = [&](std::string detail) {
    return InvalidArgument(std::move(detail), field, "naming_convention");
  };
  const size_t dot = file_name.rfind('.');
  const std::string_view stem = file_name.substr(0, dot);
  auto found_at = [&](size_t at, size_t length) {
    return at < stem.size() ? "found " + Quote(stem.substr(at, length))
                            : std::string("found the end of the name");
  };
  NameFields fields;
  size_t at = 0;
  for (const Segment& s : segments_) {
    if (!s.literal.empty()) {
      if (stem.substr(at, s.literal.size()) != s.literal) {
        return mismatch(Quote(s.literal) + " expected at " + Position(at) + ", " +
                        found_at(at, s.literal.size()));
      }
      at += s.literal.size();
      continue;
    }
    size_t end = at;
    const size_t limit = s.placeholder == Placeholder::kDate ? at + 8 : stem.size();
    while (end < stem.size() && end < limit && InAlphabet(s.placeholder, stem[end])) ++end;
    if (end == at) {
      return mismatch(Braced(s.placeholder) + " expected at " + Position(at) + ", " +
                      found_at(at, 1));
    }
    const std::string_view value = stem.substr(at, end - at);
    if (const std::string problem = ValueProblem(s.placeholder, value); !problem.empty()) {
      return mismatch(Braced(s.placeholder) + " " + Quote(value) + " at " + Position(at) + " " +
                      problem);
    }
    SetField(fields, s.placeholder, value);
    at = end;
  }
  if (at != stem.size()) {
    return mismatch(Quote(stem.substr(at)) + " at " + Position(at) +
                    " follows the end of the template");
  }
  return fields;
}

Result<NameFields> CheckFileName(const NamingTemplate& naming, std::string_view file_name,
                                 MediaFormat format, const NameFields& known) {
  const std::string field(kNameField);
  if (file_name.empty() || file_name.size() > kMaxNameLength) {
    return InvalidArgument(
        "a file name has 1 to 255 bytes, this one " + std::to_string(file_name.size()), field,
        "invalid_name");
  }
  const bool bad_char = std::any_of(file_name.begin(), file_name.end(), [](char c) {
    return c == '/' || c == '\\' || static_cast<uint8_t>(c) < 0x20 || c == 0x7f;
  });
  if (bad_char) {
    return InvalidArgument(
        "file name " + Quote(file_name) + " holds a path separator or a control character", field,
        "invalid_name");
  }
  TUTTI_ASSIGN_OR_RETURN(NameFields normalized, NormalizeNameFields(known));

  const size_t dot = file_name.rfind('.');
  std::string extension;
  if (dot != std::string_view::npos) {
    for (char c : file_name.substr(dot + 1)) extension += ToLower(c);
  }
  const std::span<const std::string_view> allowed = FileExtensions(format);
  if (std::find(allowed.begin(), allowed.end(), extension) == allowed.end()) {
    std::string expected;
    for (std::string_view e : allowed)
      expected += (expected.empty() ? "." : " or .") + std::string(e);
    const std::string ends =
        dot == std::string_view::npos ? "has no extension" : "ends in ." + extension;
    return InvalidArgument("file name " + Quote(file_name) + " " + ends +
                               ", but the file's header says " + std::string(MimeType(format)) +
                               "; expected " + expected,
                           field, "extension_mismatch");
  }
  auto mismatch = [&](const std::string& detail) {
    return InvalidArgument("expected name like " + naming.ExpectedName(normalized, extension) +
                               ", got " + Quote(file_name) + " (" + detail + ")",
                           field, "naming_convention");
  };
  Result<NameFields> parsed = naming.ParseName(file_name);
  if (!parsed.ok()) return mismatch(parsed.status().message());
  NameFields result = normalized;
  for (size_t i = 0; i < kPlaceholderNames.size(); ++i) {
    const auto p = static_cast<Placeholder>(i);
    if (!naming.Uses(p)) continue;
    const std::string in_name = FieldText(*parsed, p);
    const std::string expected = FieldText(normalized, p);
    if (!expected.empty() && in_name != expected) {
      return mismatch(Braced(p) + " is " + Quote(in_name) + ", but this upload's " +
                      std::string(FieldKey(p)) + " is " + Quote(expected));
    }
    if (p == Placeholder::kDate) {
      result.date = parsed->date;
    } else if (p == Placeholder::kVersion) {
      result.version = parsed->version;
    } else {
      result.*TextMember(p) = in_name;
    }
  }
  return result;
}

}  // namespace tutti::assets
