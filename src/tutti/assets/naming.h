// Naming conventions for uploaded assets (issue 5, C3; docs/assets.md). An activation sets a
// template such as `{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}`; every upload's
// file name must follow it, with the extension of the format its bytes really are
// (assets/media.h). A mismatch names the expected file name. Names can also be read back into
// their fields, so that an upload may take its brand, locale or date from its name.
//
// Normalisation, so that one asset has exactly one correct name:
//   brand, partner, platform, market, context  lower-case ASCII slugs: a-z and 0-9 in runs joined
//       by single hyphens ("StreamCo Ltd." -> "streamco-ltd"); other ASCII characters become
//       hyphens, non-ASCII text is refused (give the ASCII slug);
//   locale     a language tag, lower-case with hyphens: "en_GB" -> "en-gb", "zh-Hant-TW";
//   yyyymmdd   eight digits of a real calendar date (20260229 is refused);
//   version    1 to 4294967295, no leading zeros.
// File names are compared exactly against that lower-case form; only the extension is compared
// without regard to case ("IMG.JPG" has extension jpg). Immutable values; thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/assets/media.h"
#include "tutti/base/status.h"

namespace tutti::assets {

enum class Placeholder { kBrand, kPartner, kPlatform, kLocale, kMarket, kContext, kDate, kVersion };
// As written in templates, between braces.
inline constexpr auto kPlaceholderNames = std::to_array<std::string_view>(
    {"brand", "partner", "platform", "locale", "market", "context", "yyyymmdd", "version"});

// What a name says, or what an upload knows. Empty strings and absent optionals are unknown.
struct NameFields {
  std::string brand;
  std::string partner;
  std::string platform;
  std::string locale;
  std::string market;
  std::string context;
  std::optional<std::chrono::year_month_day> date;
  std::optional<uint32_t> version;

  bool operator==(const NameFields&) const = default;
};

// Normalises every known field as described above. Errors: kInvalidArgument naming the field
// ("locale", "date", ...) with reason "invalid_field".
Result<NameFields> NormalizeNameFields(const NameFields& fields);

class NamingTemplate {
 public:
  // Parses literal text (a-z, 0-9, '_', '-', '.') and placeholders. Errors, kInvalidArgument with
  // field "naming_template" and the 1-based character position in the message:
  //   "unknown_placeholder"    a name between braces that is not in kPlaceholderNames;
  //   "invalid_template"       empty, over 200 characters, an unclosed or stray brace, or a
  //                            character outside the literal set;
  //   "duplicate_placeholder"  a placeholder used twice;
  //   "ambiguous_template"     a placeholder followed directly by another, or by a literal
  //                            starting with a character its values may contain ("{brand}-x"),
  //                            so that a name could not be read back unambiguously.
  static Result<NamingTemplate> Parse(std::string_view text);

  const std::string& text() const { return text_; }
  bool Uses(Placeholder placeholder) const;

  // The name `fields` (normalised) give, with ".extension" appended when it is not empty.
  // Unknown fields stay as their placeholder: "acme_{partner}_x.png".
  std::string ExpectedName(const NameFields& fields, std::string_view extension) const;

  // Reads a file name's fields (the extension, after the last '.', is ignored). Errors:
  // kInvalidArgument, field "name", reason "naming_convention", saying where the name departs
  // from the template.
  Result<NameFields> ParseName(std::string_view file_name) const;

 private:
  struct Segment {
    std::string literal;  // empty for a placeholder
    Placeholder placeholder = Placeholder::kBrand;
    size_t position = 0;  // 0-based offset in the template text
  };
  NamingTemplate() = default;

  std::string text_;
  std::vector<Segment> segments_;
  uint32_t used_ = 0;  // bit per Placeholder
};

// Checks an upload's file name against the template, the format read from its bytes and the
// fields the upload already knows (normalised here). Returns the known fields completed by what
// the name says. Errors, all kInvalidArgument:
//   field "name", reason "invalid_name"       empty, over 255 bytes, or holding '/', '\' or
//                                             control characters;
//   field "name", reason "extension_mismatch" the extension is not one of the format's
//       (FileExtensions): `file name "x.jpg" ends in .jpg, but the file's header says image/png;
//       expected .png`;
//   field "name", reason "naming_convention"  the name departs from the template or contradicts
//       a known field: `expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg, got
//       "IMG_0042.jpg" ({brand} expected at character 1, found "I")`;
//   a known field's own error from NormalizeNameFields.
Result<NameFields> CheckFileName(const NamingTemplate& naming, std::string_view file_name,
                                 MediaFormat format, const NameFields& known);

}  // namespace tutti::assets
