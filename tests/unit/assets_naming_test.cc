// Naming conventions (issue 5, C3): templates and their refusals, the expected name of an upload,
// the check of a file name against the template, the format read from its bytes and the fields
// the upload knows, and reading the fields back out of a name.
#include <gtest/gtest.h>

#include "support/media_samples.h"
#include "tutti/assets/media.h"
#include "tutti/assets/naming.h"

namespace tutti::assets {
namespace {

using std::chrono::June;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::string_view kTemplate =
    "{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}";

NamingTemplate Template(std::string_view text = kTemplate) {
  Result<NamingTemplate> t = NamingTemplate::Parse(text);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return *t;
}

// What an upload to Acme x StreamCo's Instagram activation in British English knows, as typed.
NameFields Known() {
  NameFields f;
  f.brand = "Acme";
  f.partner = "StreamCo";
  f.platform = "Instagram";
  f.locale = "en_GB";
  f.date = year_month_day{year(2026), June, std::chrono::day(1)};
  f.version = 3;
  return f;
}

void ExpectTemplateRefused(std::string_view text, const std::string& reason,
                           const std::string& message) {
  Result<NamingTemplate> t = NamingTemplate::Parse(text);
  ASSERT_FALSE(t.ok()) << text;
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().field(), "naming_template");
  EXPECT_EQ(t.status().reason(), reason) << text;
  EXPECT_EQ(t.status().message(), message) << text;
}

void ExpectNameRefused(std::string_view name, MediaFormat format, const NameFields& known,
                       const std::string& reason, const std::string& message) {
  Result<NameFields> checked = CheckFileName(Template(), name, format, known);
  ASSERT_FALSE(checked.ok()) << name;
  EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(checked.status().field(), "name");
  EXPECT_EQ(checked.status().reason(), reason) << name;
  EXPECT_EQ(checked.status().message(), message) << name;
}

TEST(NamingTemplate, ReadsLiteralsAndPlaceholders) {
  const NamingTemplate t = Template();
  EXPECT_EQ(t.text(), kTemplate);
  for (Placeholder p : {Placeholder::kBrand, Placeholder::kPartner, Placeholder::kPlatform,
                        Placeholder::kLocale, Placeholder::kDate, Placeholder::kVersion}) {
    EXPECT_TRUE(t.Uses(p)) << kPlaceholderNames[static_cast<size_t>(p)];
  }
  EXPECT_FALSE(t.Uses(Placeholder::kMarket));
  EXPECT_FALSE(t.Uses(Placeholder::kContext));
}

TEST(NamingTemplate, RefusesUnknownPlaceholdersWithTheirPosition) {
  ExpectTemplateRefused("{brand}_{campaign}", "unknown_placeholder",
                        "unknown placeholder \"{campaign}\" at character 9 of the naming template; "
                        "known: {brand}, {partner}, {platform}, {locale}, {market}, {context}, "
                        "{yyyymmdd}, {version}");
  ExpectTemplateRefused("{Brand}", "unknown_placeholder",
                        "unknown placeholder \"{Brand}\" at character 1 of the naming template; "
                        "known: {brand}, {partner}, {platform}, {locale}, {market}, {context}, "
                        "{yyyymmdd}, {version}");
}

TEST(NamingTemplate, RefusesBadBracesCharactersAndLengths) {
  ExpectTemplateRefused("x_{brand", "invalid_template",
                        "unclosed { at character 3 of the naming template");
  ExpectTemplateRefused("{bra{nd}", "invalid_template",
                        "unclosed { at character 1 of the naming template");
  ExpectTemplateRefused("brand}", "invalid_template",
                        "} without { at character 6 of the naming template");
  ExpectTemplateRefused("{brand} {partner}", "invalid_template",
                        "\" \" at character 8 of the naming template; between placeholders use "
                        "a-z, 0-9, '_', '-' and '.'");
  ExpectTemplateRefused("Acme_{partner}", "invalid_template",
                        "\"A\" at character 1 of the naming template; between placeholders use "
                        "a-z, 0-9, '_', '-' and '.'");
  ExpectTemplateRefused("", "invalid_template", "a naming template has 1 to 200 characters");
  ExpectTemplateRefused(std::string(201, 'a'), "invalid_template",
                        "a naming template has 1 to 200 characters");
}

TEST(NamingTemplate, RefusesAPlaceholderUsedTwice) {
  ExpectTemplateRefused("{brand}_{locale}_{brand}", "duplicate_placeholder",
                        "{brand} appears twice (again at character 18 of the naming template)");
}

TEST(NamingTemplate, RefusesTemplatesWhoseNamesCouldNotBeReadBack) {
  ExpectTemplateRefused("{brand}{partner}", "ambiguous_template",
                        "{brand} at character 1 is followed directly by {partner}, so a name "
                        "could not be split between them; put a separator such as '_' between "
                        "them");
  // Slugs and locales contain hyphens ("en-gb"), so a hyphen cannot end them.
  ExpectTemplateRefused("{brand}_{locale}-{version}", "ambiguous_template",
                        "{locale} at character 9 is followed by '-', which its values may "
                        "contain; separate it with '_' or '.'");
  ExpectTemplateRefused("v{version}2", "ambiguous_template",
                        "{version} at character 2 is followed by '2', which its values may "
                        "contain; separate it with '_' or '.'");
}

TEST(NamingTemplate, AcceptsAHyphenAfterDigitsOnlyPlaceholders) {
  const NamingTemplate t = Template("{yyyymmdd}-{brand}.{locale}");
  Result<NameFields> fields = t.ParseName("20260601-acme.pt-br.mp4");
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->date, (year_month_day{year(2026), June, std::chrono::day(1)}));
  EXPECT_EQ(fields->brand, "acme");
  EXPECT_EQ(fields->locale, "pt-br");
}

TEST(NormalizeNameFields, LowerCasesSlugsAndLocales) {
  NameFields raw;
  raw.brand = "StreamCo Ltd.";
  raw.partner = "  Big  & Bold ";
  raw.platform = "YouTube";
  raw.market = "GB";
  raw.context = "Summer_Launch";
  raw.locale = "zh_Hant_TW";
  Result<NameFields> fields = NormalizeNameFields(raw);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->brand, "streamco-ltd");
  EXPECT_EQ(fields->partner, "big-bold");
  EXPECT_EQ(fields->platform, "youtube");
  EXPECT_EQ(fields->market, "gb");
  EXPECT_EQ(fields->context, "summer-launch");
  EXPECT_EQ(fields->locale, "zh-hant-tw");
  raw.locale = "es-419";
  EXPECT_EQ(NormalizeNameFields(raw)->locale, "es-419");
}

TEST(NormalizeNameFields, RefusesWhatHasNoNormalForm) {
  struct Case {
    NameFields fields;
    std::string field;
    std::string message;
  };
  NameFields accented;
  accented.brand = "Nestl\xc3\xa9";
  NameFields symbols;
  symbols.partner = "***";
  NameFields language;
  language.locale = "english";
  NameFields leap;
  leap.date = year_month_day{year(2026), std::chrono::February, std::chrono::day(29)};
  NameFields zero;
  zero.version = 0;
  const Case cases[] = {
      {accented, "brand",
       "brand \"Nestl\xc3\xa9\" has non-ASCII characters; give its ASCII form (a-z, 0-9)"},
      {symbols, "partner", "partner \"***\" must have 1 to 64 letters, digits and hyphens"},
      {language, "locale", "locale \"english\" is not a language tag like en-gb or pt-br"},
      {leap, "date", "date is not a calendar date in years 1-9999"},
      {zero, "version", "version must be 1 or more"},
  };
  for (const Case& c : cases) {
    Result<NameFields> fields = NormalizeNameFields(c.fields);
    ASSERT_FALSE(fields.ok()) << c.field;
    EXPECT_EQ(fields.status().field(), c.field);
    EXPECT_EQ(fields.status().message(), c.message);
  }
}

TEST(ExpectedName, FillsTheTemplateWithNormalisedFields) {
  const NameFields fields = *NormalizeNameFields(Known());
  EXPECT_EQ(Template().ExpectedName(fields, "jpg"),
            "acme_streamco_instagram_en-gb_20260601_v3.jpg");
  EXPECT_EQ(Template().ExpectedName(fields, ""), "acme_streamco_instagram_en-gb_20260601_v3");
}

TEST(ExpectedName, KeepsPlaceholdersForUnknownFields) {
  NameFields fields;
  fields.brand = "acme";
  fields.version = 12;
  EXPECT_EQ(Template().ExpectedName(fields, "png"),
            "acme_{partner}_{platform}_{locale}_{yyyymmdd}_v12.png");
}

TEST(CheckFileName, AcceptsTheExpectedNameAndCompletesTheFields) {
  NameFields known;
  known.brand = "Acme";
  known.partner = "streamco";
  Result<NameFields> fields = CheckFileName(
      Template(), "acme_streamco_tiktok_pt-br_20261231_v14.mp4", MediaFormat::kMp4, known);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->brand, "acme");
  EXPECT_EQ(fields->platform, "tiktok");
  EXPECT_EQ(fields->locale, "pt-br");
  EXPECT_EQ(fields->date,
            (year_month_day{year(2026), std::chrono::December, std::chrono::day(31)}));
  EXPECT_EQ(fields->version, 14u);
  EXPECT_TRUE(fields->market.empty()) << "not in the template, not known";
}

TEST(CheckFileName, ComparesTheExtensionWithoutRegardToCase) {
  EXPECT_TRUE(CheckFileName(Template(), "acme_streamco_instagram_en-gb_20260601_v3.JPEG",
                            MediaFormat::kJpeg, Known())
                  .ok());
  EXPECT_TRUE(CheckFileName(Template(), "acme_streamco_instagram_en-gb_20260601_v3.mov",
                            MediaFormat::kMp4, Known())
                  .ok());
}

TEST(CheckFileName, ShowsTheExpectedNameForACameraName) {
  ExpectNameRefused("IMG_0042.jpg", MediaFormat::kJpeg, Known(), "naming_convention",
                    "expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg, got "
                    "\"IMG_0042.jpg\" ({brand} expected at character 1, found \"I\")");
}

TEST(CheckFileName, CatchesAPngRenamedJpgFromItsHeader) {
  const std::string png = media_samples::Png(4, 4);
  Result<MediaInfo> probed = ProbeMedia(media_samples::AsBytes(png));
  ASSERT_TRUE(probed.ok());
  ExpectNameRefused("acme_streamco_instagram_en-gb_20260601_v3.jpg", probed->format, Known(),
                    "extension_mismatch",
                    "file name \"acme_streamco_instagram_en-gb_20260601_v3.jpg\" ends in .jpg, but "
                    "the file's header says image/png; expected .png");
  ExpectNameRefused("acme", MediaFormat::kJpeg, Known(), "extension_mismatch",
                    "file name \"acme\" has no extension, but the file's header says image/jpeg; "
                    "expected .jpg or .jpeg");
}

TEST(CheckFileName, SaysWhereTheNameDepartsFromTheTemplate) {
  const std::string expected = "expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg";
  struct Case {
    std::string name;
    std::string detail;
  };
  // "acme_streamco_instagram_en-gb_" is 30 characters: the date starts at character 31.
  const Case cases[] = {
      {"acme_streamco_instagram_en-gb_20260231_v3.jpg",
       "{yyyymmdd} \"20260231\" at character 31 is not a calendar date as yyyymmdd"},
      {"acme_streamco_instagram_en-gb_20260601_v03.jpg",
       "{version} \"03\" at character 41 is not a version from 1 without leading zeros"},
      {"acme_streamco_instagram_en-gb_20260601_3.jpg",
       "\"_v\" expected at character 39, found \"_3\""},
      {"acme_streamco_instagram_en-gb_20260601_v3_final.jpg",
       "\"_final\" at character 42 follows the end of the template"},
      {"acme_streamco_instagram_english_20260601_v3.jpg",
       "{locale} \"english\" at character 25 is not a language tag like en-gb"},
      {"acme_streamco_instagram_en-gb_2026061_v3.jpg",
       "{yyyymmdd} \"2026061\" at character 31 is not a calendar date as yyyymmdd"},
      {"acme_streamco_instagram_en-gb.jpg",
       "\"_\" expected at character 30, found the end of the name"},
      {"Acme_streamco_instagram_en-gb_20260601_v3.jpg",
       "{brand} expected at character 1, found \"A\""},
  };
  for (const Case& c : cases) {
    ExpectNameRefused(c.name, MediaFormat::kJpeg, Known(), "naming_convention",
                      expected + ", got \"" + c.name + "\" (" + c.detail + ")");
  }
}

TEST(CheckFileName, RefusesANameThatContradictsWhatTheUploadKnows) {
  ExpectNameRefused("acme_streamko_instagram_en-gb_20260601_v3.jpg", MediaFormat::kJpeg, Known(),
                    "naming_convention",
                    "expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg, got "
                    "\"acme_streamko_instagram_en-gb_20260601_v3.jpg\" ({partner} is \"streamko\", "
                    "but this upload's partner is \"streamco\")");
  ExpectNameRefused("acme_streamco_instagram_en-gb_20260601_v4.jpg", MediaFormat::kJpeg, Known(),
                    "naming_convention",
                    "expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg, got "
                    "\"acme_streamco_instagram_en-gb_20260601_v4.jpg\" ({version} is \"4\", but "
                    "this upload's version is \"3\")");
}

TEST(CheckFileName, RefusesPathsControlCharactersAndOverlongNames) {
  ExpectNameRefused("uploads/acme.jpg", MediaFormat::kJpeg, Known(), "invalid_name",
                    "file name \"uploads/acme.jpg\" holds a path separator or a control character");
  ExpectNameRefused(std::string("a\tb.jpg"), MediaFormat::kJpeg, Known(), "invalid_name",
                    "file name \"a\\x09b.jpg\" holds a path separator or a control character");
  ExpectNameRefused(std::string(252, 'a') + ".jpg", MediaFormat::kJpeg, Known(), "invalid_name",
                    "a file name has 1 to 255 bytes, this one 256");
}

TEST(CheckFileName, EscapesBytesThatAreNotUtf8InItsMessage) {
  ExpectNameRefused("\xff\xfe.jpg", MediaFormat::kJpeg, Known(), "naming_convention",
                    "expected name like acme_streamco_instagram_en-gb_20260601_v3.jpg, got "
                    "\"\\xff\\xfe.jpg\" ({brand} expected at character 1, found \"\\xff\")");
}

TEST(CheckFileName, ReportsAnInvalidKnownFieldByItsName) {
  NameFields known = Known();
  known.locale = "british";
  Result<NameFields> checked = CheckFileName(
      Template(), "acme_streamco_instagram_en-gb_20260601_v3.jpg", MediaFormat::kJpeg, known);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().field(), "locale");
}

}  // namespace
}  // namespace tutti::assets
