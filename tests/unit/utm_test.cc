// UTM links: the RFC 3986 parser, tagging (existing query and fragment kept, re-tagging replaces,
// lower-case, percent-encoding, spaces refused, controlled lists, the campaign naming rule,
// internal hosts) and validation of existing links, every violation reported.
#include "tutti/publishing/utm.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tutti::publishing {
namespace {

const char kCampaign[] = "acme_streamco_instagram_en-gb_20260601_v3";

Json TaxonomyDocument() {
  return Json::parse(R"json({
    "version": "2026-06",
    "values": {"utm_source": ["tiktok", "instagram", "newsletter"],
               "utm_medium": ["paid_social", "social", "email"]},
    "campaign_naming": {"separator": "_", "segments": [
        {"name": "brand", "values": ["acme"]},
        {"name": "partner", "values": ["streamco", "nova"]},
        {"name": "platform", "values": ["instagram", "tiktok"]},
        {"name": "locale", "kind": "slug"},
        {"name": "launch", "kind": "date"},
        {"name": "version", "kind": "version"}]},
    "medium_channels": {"paid_social": "Paid Social", "social": "Organic Social",
                        "email": "Email"},
    "internal_hosts": ["acme.example"]
  })json");
}

UtmTaxonomy Taxonomy() {
  Result<UtmTaxonomy> taxonomy = ParseTaxonomy(TaxonomyDocument());
  EXPECT_TRUE(taxonomy.ok()) << taxonomy.status().ToString();
  return *taxonomy;
}

std::vector<UtmField> Fields(const char* source = "Instagram", const char* medium = "paid_social",
                             const char* campaign = kCampaign) {
  return {{"utm_source", source}, {"utm_medium", medium}, {"utm_campaign", campaign}};
}

void ExpectTagError(std::string_view url, const std::vector<UtmField>& fields,
                    const std::string& reason, const std::string& field) {
  Result<TaggedLink> tagged = TagLink(url, Taxonomy(), fields);
  ASSERT_FALSE(tagged.ok()) << "tagged " << url << " as " << tagged->url;
  EXPECT_EQ(tagged.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tagged.status().reason(), reason) << tagged.status().ToString();
  EXPECT_EQ(tagged.status().field(), field) << tagged.status().ToString();
}

std::vector<std::string> Reasons(const std::vector<LinkViolation>& violations) {
  std::vector<std::string> reasons;
  for (const LinkViolation& v : violations) reasons.push_back(v.parameter + ":" + v.reason);
  return reasons;
}

TEST(ParseUrl, SplitsTheComponentsAndLowerCasesSchemeAndHost) {
  Result<Url> url = ParseUrl("HTTPS://Shop.Example:8443/Summer/Sale?Ref=Hero&x=%2F#Buy-Now");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "shop.example");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->path, "/Summer/Sale");
  EXPECT_EQ(url->query, "Ref=Hero&x=%2F");
  EXPECT_EQ(url->fragment, "Buy-Now");
  EXPECT_EQ(FormatUrl(*url), "https://shop.example:8443/Summer/Sale?Ref=Hero&x=%2F#Buy-Now");

  url = ParseUrl("http://[2001:DB8::1]/p");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->host, "[2001:db8::1]");
  url = ParseUrl("https://shop.example");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->path, "");
  EXPECT_FALSE(url->query.has_value());
  url = ParseUrl("https://shop.example/?#");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->query, "");
  EXPECT_EQ(url->fragment, "");
  EXPECT_TRUE(ParseUrl("https://192.168.0.1/").ok());
}

TEST(ParseUrl, RefusesWhatIsNotAStrictHttpUrl) {
  struct Case {
    const char* url;
    const char* reason;
  };
  const Case cases[] = {
      {"shop.example/summer", "invalid_url"},
      {"https:shop.example", "invalid_url"},
      {"https:///path", "invalid_url"},
      {"ftp://shop.example/file", "unsupported_scheme"},
      {"javascript://alert(1)", "unsupported_scheme"},
      {"https://shop.example@evil.example/", "userinfo_not_allowed"},
      {"https://shop.example/summer sale", "invalid_character"},
      {" https://shop.example/", "invalid_character"},
      {"https://shop.example/caf\xC3\xA9", "invalid_character"},
      {"https://shop.example/a|b", "invalid_character"},
      {"https://shop.example/#a#b", "invalid_character"},
      {"https://shop.example/%zz", "invalid_percent_encoding"},
      {"https://shop.example/?q=50%", "invalid_percent_encoding"},
      {"https://shop.example:99999/", "invalid_port"},
      {"https://shop.example:/", "invalid_port"},
      {"https://-shop.example/", "invalid_host"},
      {"https://shop..example/", "invalid_host"},
      {"https://shop_example.com/", "invalid_host"},
      {"https://999.1.1.1/", "invalid_host"},
      {"https://1.2.3/", "invalid_host"},
      {"https://[::1/", "invalid_host"},
  };
  for (const Case& c : cases) {
    Result<Url> url = ParseUrl(c.url);
    ASSERT_FALSE(url.ok()) << "accepted " << c.url;
    EXPECT_EQ(url.status().reason(), c.reason) << c.url << ": " << url.status().ToString();
    EXPECT_EQ(url.status().field(), "url");
  }
  EXPECT_EQ(ParseUrl("https://shop.example/" + std::string(kMaxUrlLength, 'a')).status().reason(),
            "too_long");
}

TEST(PercentCoding, EncodesAllButUnreservedAndDecodesPlusAsSpace) {
  EXPECT_EQ(PercentEncode("spring_sale-2026.v1~x"), "spring_sale-2026.v1~x");
  EXPECT_EQ(PercentEncode("50%_off/hero&more=1"), "50%25_off%2Fhero%26more%3D1");
  EXPECT_EQ(PercentEncode("caf\xC3\xA9"), "caf%C3%A9");
  EXPECT_EQ(PercentDecode("a+b%20c%2f", true), "a b c/");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%4", true).has_value());
  EXPECT_FALSE(PercentDecode("%g0", true).has_value());
}

TEST(TagLink, KeepsTheQueryAndFragmentAndLowerCasesValues) {
  Result<TaggedLink> tagged =
      TagLink("https://shop.example/summer?ref=hero#buy", Taxonomy(), Fields());
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_EQ(tagged->url,
            "https://shop.example/summer?ref=hero&utm_source=instagram&utm_medium=paid_social"
            "&utm_campaign=acme_streamco_instagram_en-gb_20260601_v3#buy");
  ASSERT_EQ(tagged->values.size(), 3u);
  EXPECT_EQ(tagged->values[0].original, "Instagram") << "what the partner typed is kept";
  EXPECT_EQ(tagged->values[0].normalised, "instagram");
  EXPECT_EQ(tagged->channel, "Paid Social");
}

TEST(TagLink, AddsAQueryWhereThereWasNone) {
  Result<TaggedLink> tagged = TagLink("https://shop.example", Taxonomy(), Fields());
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_EQ(tagged->url,
            "https://shop.example?utm_source=instagram&utm_medium=paid_social"
            "&utm_campaign=acme_streamco_instagram_en-gb_20260601_v3");
}

TEST(TagLink, ReplacesExistingUtmParametersAndIsIdempotent) {
  Result<TaggedLink> tagged =
      TagLink("https://shop.example/?UTM_Source=fb&a=1&utm%5Fmedium=x&&b=2&utm_term=old",
              Taxonomy(), Fields("tiktok", "social"));
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_EQ(tagged->url,
            "https://shop.example/?a=1&b=2&utm_source=tiktok&utm_medium=social"
            "&utm_campaign=acme_streamco_instagram_en-gb_20260601_v3");
  Result<TaggedLink> again = TagLink(tagged->url, Taxonomy(), Fields("tiktok", "social"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->url, tagged->url);
}

TEST(TagLink, PercentEncodesValuesAndExtractUtmReadsThemBack) {
  std::vector<UtmField> fields = Fields();
  fields.push_back({"utm_content", "50%_off/hero"});
  fields.push_back({"utm_term", "Caf\xC3\xA9"});
  Result<TaggedLink> tagged = TagLink("https://shop.example/p", Taxonomy(), fields);
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_NE(tagged->url.find("&utm_term=caf%C3%A9&utm_content=50%25_off%2Fhero"), std::string::npos)
      << tagged->url;
  Result<std::vector<UtmField>> back = ExtractUtm(tagged->url);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 5u);
  EXPECT_EQ((*back)[3].parameter, "utm_term");
  EXPECT_EQ((*back)[3].value, "caf\xC3\xA9");
  EXPECT_EQ((*back)[4].value, "50%_off/hero");
  EXPECT_TRUE(ValidateLink(tagged->url, Taxonomy()).empty());
}

TEST(TagLink, RefusesSpacesAndSuggestsTheControlledForm) {
  std::vector<UtmField> fields = Fields();
  fields.push_back({"utm_content", "Hero  Video "});
  Result<TaggedLink> tagged = TagLink("https://shop.example/", Taxonomy(), fields);
  ASSERT_FALSE(tagged.ok());
  EXPECT_EQ(tagged.status().reason(), "whitespace");
  EXPECT_EQ(tagged.status().field(), "values.utm_content");
  EXPECT_NE(tagged.status().message().find("use \"hero_video\""), std::string::npos)
      << tagged.status().message();
  // A no-break space is a space too.
  ExpectTagError("https://shop.example/", Fields("insta\xC2\xA0gram"), "whitespace",
                 "values.utm_source");
}

TEST(TagLink, RefusesValuesOutsideTheControlledLists) {
  ExpectTagError("https://shop.example/", Fields("facebook"), "not_in_list", "values.utm_source");
  ExpectTagError("https://shop.example/", Fields("instagram", "cpc"), "not_in_list",
                 "values.utm_medium");
  ExpectTagError("https://shop.example/", Fields("instagram", ""), "empty_value",
                 "values.utm_medium");
}

TEST(TagLink, RefusesAMissingCampaignAndListsEveryProblem) {
  Result<TaggedLink> tagged =
      TagLink("https://shop.example/", Taxonomy(),
              std::vector<UtmField>{{"utm_source", "facebook"}, {"utm_medium", "social"}});
  ASSERT_FALSE(tagged.ok());
  EXPECT_EQ(tagged.status().reason(), "not_in_list") << "the first problem decides the field";
  EXPECT_NE(tagged.status().message().find("and 1 more: utm_campaign is required"),
            std::string::npos)
      << tagged.status().message();
  ExpectTagError("https://shop.example/", {{"utm_source", "tiktok"}, {"utm_medium", "social"}},
                 "missing_parameter", "values.utm_campaign");
}

TEST(TagLink, ChecksTheCampaignNamingRule) {
  Result<TaggedLink> tagged =
      TagLink("https://shop.example/", Taxonomy(),
              Fields("tiktok", "social", "acme_streamco_instagram_en-gb_20260631_v3"));
  ASSERT_FALSE(tagged.ok());
  EXPECT_EQ(tagged.status().reason(), "campaign_name");
  EXPECT_NE(tagged.status().message().find("\"20260631\" as its launch (part 5)"),
            std::string::npos)
      << tagged.status().message();
  EXPECT_NE(
      tagged.status().message().find("expected a name like acme_nova_instagram_en-gb_20260601_v1"),
      std::string::npos)
      << tagged.status().message();
  ExpectTagError("https://shop.example/", Fields("tiktok", "social", "acme_streamco_v3"),
                 "campaign_name", "values.utm_campaign");
  ExpectTagError("https://shop.example/",
                 Fields("tiktok", "social", "acme_globex_instagram_en-gb_20260601_v3"),
                 "campaign_name", "values.utm_campaign");
  // Upper case is normalised before the rule is applied.
  EXPECT_TRUE(TagLink("https://shop.example/", Taxonomy(),
                      Fields("tiktok", "social", "ACME_Nova_TikTok_fr-fr_20261231_v12"))
                  .ok());
}

TEST(TagLink, NeverTagsInternalLinks) {
  ExpectTagError("https://acme.example/summer", Fields(), "internal_link", "url");
  ExpectTagError("https://shop.ACME.example/summer", Fields(), "internal_link", "url");
  EXPECT_TRUE(TagLink("https://notacme.example/", Taxonomy(), Fields()).ok())
      << "a host that merely ends in the same letters is not a subdomain";
}

TEST(TagLink, RefusesUnknownOrRepeatedParametersAndASecondQuestionMark) {
  std::vector<UtmField> fields = Fields();
  fields.push_back({"utm_channel", "x"});
  ExpectTagError("https://shop.example/", fields, "unknown_parameter", "values.utm_channel");
  fields = Fields();
  fields.push_back({"utm_source", "tiktok"});
  ExpectTagError("https://shop.example/", fields, "duplicate_parameter", "values.utm_source");
  ExpectTagError("https://shop.example/p?a=1?b=2", Fields(), "multiple_question_marks", "url");
}

TEST(TagLink, EnforcesParametersTheTaxonomyAddsToTheRequiredThree) {
  Json document = TaxonomyDocument();
  document["required"] = Json::array({"utm_id"});
  Result<UtmTaxonomy> taxonomy = ParseTaxonomy(document);
  ASSERT_TRUE(taxonomy.ok());
  Result<TaggedLink> tagged = TagLink("https://shop.example/", *taxonomy, Fields());
  ASSERT_FALSE(tagged.ok());
  EXPECT_EQ(tagged.status().field(), "values.utm_id");
  std::vector<UtmField> fields = Fields();
  fields.push_back({"utm_id", "act_summer26_streamco"});
  tagged = TagLink("https://shop.example/", *taxonomy, fields);
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_NE(tagged->url.find("&utm_id=act_summer26_streamco"), std::string::npos);
}

TEST(ValidateLink, ReportsEveryViolationInQueryOrder) {
  const std::string url =
      "https://shop.example/?utm_source=Instagram&UTM_MEDIUM=paid+social&utm_foo=1"
      "&utm_source=tiktok&ref=hero";
  std::vector<LinkViolation> violations = ValidateLink(url, Taxonomy());
  EXPECT_EQ(Reasons(violations),
            (std::vector<std::string>{"utm_source:uppercase_value", "utm_medium:uppercase_name",
                                      "utm_medium:whitespace", "utm_foo:unknown_parameter",
                                      "utm_source:duplicate_parameter",
                                      "utm_campaign:missing_parameter"}));
  EXPECT_NE(violations[2].message.find("use \"paid_social\""), std::string::npos)
      << violations[2].message;
}

TEST(ValidateLink, FlagsUnknownSourcesAndBadCampaigns) {
  std::vector<LinkViolation> violations = ValidateLink(
      "https://shop.example/?utm_source=facebook&utm_medium=social&utm_campaign=summer_sale",
      Taxonomy());
  EXPECT_EQ(Reasons(violations),
            (std::vector<std::string>{"utm_source:not_in_list", "utm_campaign:campaign_name"}));
}

TEST(ValidateLink, RequiresTheMinimumOnAnUntaggedExternalLink) {
  EXPECT_EQ(
      Reasons(ValidateLink("https://shop.example/summer", Taxonomy())),
      (std::vector<std::string>{"utm_source:missing_parameter", "utm_medium:missing_parameter",
                                "utm_campaign:missing_parameter"}));
}

TEST(ValidateLink, WantsInternalLinksUntagged) {
  EXPECT_TRUE(ValidateLink("https://www.acme.example/summer?ref=nav", Taxonomy()).empty());
  EXPECT_EQ(Reasons(ValidateLink("https://www.acme.example/?utm_source=instagram", Taxonomy())),
            (std::vector<std::string>{":internal_link"}));
}

TEST(ValidateLink, ReportsAnUnparseableLinkOnce) {
  std::vector<LinkViolation> violations = ValidateLink("www.shop.example/summer", Taxonomy());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].reason, "invalid_url");
  EXPECT_EQ(
      Reasons(ValidateLink("https://shop.example/p?a=1?utm_source=instagram", Taxonomy())).front(),
      ":multiple_question_marks");
  EXPECT_EQ(Reasons(ValidateLink("https://shop.example/?utm_source=%FF&utm_medium=social"
                                 "&utm_campaign=" +
                                     std::string(kCampaign),
                                 Taxonomy())),
            (std::vector<std::string>{"utm_source:invalid_encoding"}));
}

TEST(ParseTaxonomy, NamesTheFieldOfEveryMistake) {
  auto expect_error = [](const Json& document, const std::string& reason,
                         const std::string& field) {
    Result<UtmTaxonomy> taxonomy = ParseTaxonomy(document);
    ASSERT_FALSE(taxonomy.ok()) << "accepted " << document.dump();
    EXPECT_EQ(taxonomy.status().reason(), reason) << taxonomy.status().ToString();
    EXPECT_EQ(taxonomy.status().field(), field) << taxonomy.status().ToString();
  };
  Json doc = TaxonomyDocument();
  doc["values"]["utm_source"][1] = "Insta Gram";
  expect_error(doc, "not_normalised", "values.utm_source[1]");
  doc = TaxonomyDocument();
  doc["values"]["utm_source"][1] = "tiktok";
  expect_error(doc, "duplicate_value", "values.utm_source");
  doc = TaxonomyDocument();
  doc["values"]["utm_channel"] = Json::array({"x"});
  expect_error(doc, "unknown_parameter", "values.utm_channel");
  doc = TaxonomyDocument();
  doc["medium_channels"].erase("email");
  expect_error(doc, "unmapped_medium", "medium_channels");
  doc = TaxonomyDocument();
  doc["values"]["utm_campaign"] = Json::array({"summer"});
  expect_error(doc, "invalid_field", "campaign_naming");
  doc = TaxonomyDocument();
  doc["campaign_naming"]["segments"][1]["values"][0] = "stream_co";
  expect_error(doc, "contains_separator", "campaign_naming.segments[1].values");
  doc = TaxonomyDocument();
  doc["campaign_naming"]["segments"][4]["kind"] = "weekday";
  expect_error(doc, "invalid_enum", "campaign_naming.segments[4].kind");
  doc = TaxonomyDocument();
  doc["internal_hosts"][0] = "acme example";
  expect_error(doc, "invalid_host", "internal_hosts[0]");
  doc = TaxonomyDocument();
  doc.erase("version");
  expect_error(doc, "required", "version");

  // Source, medium and campaign are required whatever the document says.
  Result<UtmTaxonomy> minimal = ParseTaxonomy(Json{{"version", "1"}});
  ASSERT_TRUE(minimal.ok());
  EXPECT_TRUE(minimal->required[static_cast<size_t>(UtmParameter::kSource)]);
  EXPECT_TRUE(minimal->required[static_cast<size_t>(UtmParameter::kMedium)]);
  EXPECT_TRUE(minimal->required[static_cast<size_t>(UtmParameter::kCampaign)]);
  EXPECT_FALSE(minimal->required[static_cast<size_t>(UtmParameter::kId)]);
}

}  // namespace
}  // namespace tutti::publishing
