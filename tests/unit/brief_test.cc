// Validation of the joint brief: what creation requires, and the exact field path of each error.
#include "tutti/core/brief.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti::core {
namespace {

// Validates `patch` (not creating) and expects it to fail with `reason` at `field`.
void ExpectPatchError(const Json& patch, const std::string& reason, const std::string& field) {
  Result<Json> result = ValidateActivationPatch(patch, /*creating=*/false);
  ASSERT_FALSE(result.ok()) << "accepted " << patch.dump();
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().ToString();
  EXPECT_EQ(result.status().reason(), reason) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

Json Market(const char* name, const char* tz) { return Json{{"name", name}, {"tz", tz}}; }

TEST(ValidateActivationPatch, CreationRequiresNameAndObjectiveOnly) {
  Result<Json> missing_name = ValidateActivationPatch(Json::object(), true);
  ASSERT_FALSE(missing_name.ok());
  EXPECT_EQ(missing_name.status().field(), "name");
  EXPECT_EQ(missing_name.status().reason(), "required");

  Result<Json> missing_objective = ValidateActivationPatch(Json{{"name", "Summer"}}, true);
  ASSERT_FALSE(missing_objective.ok());
  EXPECT_EQ(missing_objective.status().field(), "objective");
  EXPECT_EQ(missing_objective.status().reason(), "required");

  Result<Json> created =
      ValidateActivationPatch(Json{{"name", "Summer"}, {"objective", "retention"}}, true);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*created, (Json{{"name", "Summer"}, {"objective", "retention"}}));
}

TEST(ValidateActivationPatch, APatchMayBeEmptyOrPartial) {
  Result<Json> empty = ValidateActivationPatch(Json::object(), false);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, Json::object());
  Result<Json> status_only = ValidateActivationPatch(Json{{"status", "live"}}, false);
  ASSERT_TRUE(status_only.ok());
  EXPECT_EQ(*status_only, (Json{{"status", "live"}}));
}

TEST(ValidateActivationPatch, UnknownTopLevelFieldIsNamed) {
  ExpectPatchError(Json{{"name", "x"}, {"colour", "red"}}, "unknown_field", "colour");
  ExpectPatchError(Json{{"version", 3}}, "unknown_field", "version");
}

TEST(ValidateActivationPatch, NameErrors) {
  ExpectPatchError(Json{{"name", ""}}, "too_short", "name");
  ExpectPatchError(Json{{"name", std::string(kMaxNameLength + 1, 'n')}}, "too_long", "name");
  ExpectPatchError(Json{{"name", 7}}, "invalid_type", "name");
  ExpectPatchError(Json{{"name", "Summer\x07Splash"}}, "invalid_characters", "name");
  EXPECT_TRUE(
      ValidateActivationPatch(Json{{"name", std::string(kMaxNameLength, 'n')}}, false).ok());
}

TEST(ValidateActivationPatch, ObjectiveAndStatusAreClosedVocabularies) {
  ExpectPatchError(Json{{"objective", "awareness"}}, "invalid_enum", "objective");
  ExpectPatchError(Json{{"objective", nullptr}}, "invalid_type", "objective");
  ExpectPatchError(Json{{"status", "done"}}, "invalid_enum", "status");
  for (const char* objective : {"visibility", "lead_generation", "retention"}) {
    EXPECT_TRUE(ValidateActivationPatch(Json{{"objective", objective}}, false).ok()) << objective;
  }
  for (const char* status : {"draft", "planning", "live", "closed"}) {
    EXPECT_TRUE(ValidateActivationPatch(Json{{"status", status}}, false).ok()) << status;
  }
}

TEST(ValidateActivationPatch, DescriptionIsBounded) {
  ExpectPatchError(Json{{"description", std::string(kMaxTextLength + 1, 'd')}}, "too_long",
                   "description");
  EXPECT_TRUE(ValidateActivationPatch(Json{{"description", ""}}, false).ok());
}

TEST(ValidateActivationPatch, AudienceErrorsNameTheItem) {
  ExpectPatchError(Json{{"audiences", Json::object()}}, "invalid_type", "audiences");
  ExpectPatchError(Json{{"audiences", Json::array({"parents"})}}, "invalid_type", "audiences[0]");
  ExpectPatchError(Json{{"audiences", Json::array({Json{{"name", "a"}}, Json::object()})}},
                   "required", "audiences[1].name");
  ExpectPatchError(Json{{"audiences", Json::array({Json{{"name", "a"}, {"size", 3}}})}},
                   "unknown_field", "audiences[0].size");
  ExpectPatchError(Json{{"audiences", Json::array({Json{{"name", "a"}, {"description", 3}}})}},
                   "invalid_type", "audiences[0].description");
}

TEST(ValidateActivationPatch, AudienceDescriptionDefaultsToEmpty) {
  Result<Json> out =
      ValidateActivationPatch(Json{{"audiences", Json::array({Json{{"name", "Parents"}}})}}, false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["audiences"], Json::array({Json{{"name", "Parents"}, {"description", ""}}}));
}

TEST(ValidateActivationPatch, MarketsNeedKnownIanaZones) {
  Result<Json> out = ValidateActivationPatch(
      Json{
          {"markets", Json::array({Market("US", "America/New_York"), Market("NP", "Asia/Kathmandu"),
                                   Market("LHI", "Australia/Lord_Howe")})}},
      false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["markets"].size(), 3u);

  Result<Json> mars = ValidateActivationPatch(
      Json{{"markets",
            Json::array({Market("US", "America/New_York"), Market("MARS", "Mars/Olympus")})}},
      false);
  ASSERT_FALSE(mars.ok());
  EXPECT_EQ(mars.status().field(), "markets[1].tz");
  EXPECT_EQ(mars.status().reason(), "invalid_time_zone");
  EXPECT_NE(mars.status().message().find("Mars/Olympus"), std::string::npos);

  ExpectPatchError(Json{{"markets", Json::array({Market("X", "../../etc/passwd")})}},
                   "invalid_time_zone", "markets[0].tz");
  ExpectPatchError(Json{{"markets", Json::array({Market("X", "")})}}, "too_short", "markets[0].tz");
}

TEST(ValidateActivationPatch, MarketErrorsNameTheItemAndField) {
  ExpectPatchError(Json{{"markets", Json::array({Json{{"name", "US"}}})}}, "required",
                   "markets[0].tz");
  ExpectPatchError(Json{{"markets", Json::array({Json{{"tz", "Etc/UTC"}}})}}, "required",
                   "markets[0].name");
  ExpectPatchError(
      Json{{"markets", Json::array({Json{{"name", "US"}, {"tz", "Etc/UTC"}, {"lang", "en"}}})}},
      "unknown_field", "markets[0].lang");
  ExpectPatchError(Json{{"markets", Json::array({Market("U\x01S", "Etc/UTC")})}},
                   "invalid_characters", "markets[0].name");
  ExpectPatchError(Json{{"markets", "US"}}, "invalid_type", "markets");
}

TEST(ValidateActivationPatch, DuplicateMarketIsNamedAtTheSecondOccurrence) {
  ExpectPatchError(
      Json{{"markets", Json::array({Market("US", "America/New_York"), Market("GB", "Europe/London"),
                                    Market("US", "America/Chicago")})}},
      "duplicate", "markets[2].name");
}

TEST(ValidateActivationPatch, TooManyMarketsIsRejected) {
  Json markets = Json::array();
  for (int i = 0; i < 201; ++i) markets.push_back(Market(std::to_string(i).c_str(), "Etc/UTC"));
  ExpectPatchError(Json{{"markets", markets}}, "too_many_items", "markets");
}

TEST(ValidateActivationPatch, MetricsFillDefaultsAndNameTheirFields) {
  Result<Json> out = ValidateActivationPatch(
      Json{{"primary_metric", Json{{"name", "Qualified leads"}, {"target", 120000}}},
           {"supporting_metrics",
            Json::array({Json{{"name", "CTR"}, {"unit", "%"}, {"forecast", 0.7}}})}},
      false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(
      (*out)["primary_metric"],
      (Json{
          {"name", "Qualified leads"}, {"unit", ""}, {"target", 120000.0}, {"forecast", nullptr}}));
  EXPECT_EQ((*out)["supporting_metrics"][0],
            (Json{{"name", "CTR"}, {"unit", "%"}, {"target", nullptr}, {"forecast", 0.7}}));

  ExpectPatchError(Json{{"primary_metric", Json{{"unit", "leads"}}}}, "required",
                   "primary_metric.name");
  ExpectPatchError(Json{{"primary_metric", Json{{"name", "Leads"}, {"target", "many"}}}},
                   "invalid_type", "primary_metric.target");
  ExpectPatchError(Json{{"primary_metric", Json{{"name", "Leads"}, {"weight", 1}}}},
                   "unknown_field", "primary_metric.weight");
  ExpectPatchError(Json{{"supporting_metrics", Json::array({Json{{"name", ""}}})}}, "too_short",
                   "supporting_metrics[0].name");
  ExpectPatchError(
      Json{{"supporting_metrics", Json::array({Json{{"name", "CTR"}}, Json{{"unit", "%"}}})}},
      "required", "supporting_metrics[1].name");
  ExpectPatchError(Json{{"supporting_metrics", Json::array({Json{{"name", "CTR"}}, 4})}},
                   "invalid_type", "supporting_metrics[1]");
}

TEST(ValidateActivationPatch, NullClearsPrimaryMetricAndBudget) {
  Result<Json> out =
      ValidateActivationPatch(Json{{"primary_metric", nullptr}, {"budget", nullptr}}, false);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE((*out)["primary_metric"].is_null());
  EXPECT_TRUE((*out)["budget"].is_null());
}

TEST(ValidateActivationPatch, BudgetIsIntegerMicrosAndAnIsoCurrency) {
  Result<Json> out = ValidateActivationPatch(
      Json{{"budget", Json{{"amount_micros", 2'500'000'000'000}, {"currency", "EUR"}}}}, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["budget"], (Json{{"amount_micros", 2'500'000'000'000}, {"currency", "EUR"}}));

  ExpectPatchError(Json{{"budget", Json{{"amount_micros", 1}, {"currency", "eur"}}}},
                   "invalid_currency", "budget.currency");
  ExpectPatchError(Json{{"budget", Json{{"amount_micros", 1}, {"currency", "EURO"}}}}, "too_long",
                   "budget.currency");
  ExpectPatchError(Json{{"budget", Json{{"amount_micros", 1}}}}, "required", "budget.currency");
  ExpectPatchError(Json{{"budget", Json{{"currency", "EUR"}}}}, "required", "budget.amount_micros");
  ExpectPatchError(Json{{"budget", Json{{"amount_micros", 1.5}, {"currency", "EUR"}}}},
                   "invalid_type", "budget.amount_micros");
  ExpectPatchError(Json{{"budget", Json{{"amount_micros", -1}, {"currency", "EUR"}}}},
                   "out_of_range", "budget.amount_micros");
  ExpectPatchError(
      Json{{"budget", Json{{"amount_micros", 9'000'000'000'000'001}, {"currency", "EUR"}}}},
      "out_of_range", "budget.amount_micros");
  ExpectPatchError(Json{{"budget", Json{{"amount_micros", 1}, {"currency", "EUR"}, {"fx", 1}}}},
                   "unknown_field", "budget.fx");
  ExpectPatchError(Json{{"budget", 100}}, "invalid_type", "budget");
}

TEST(EmptyActivationDocument, HasEveryKeyOfTheBrief) {
  Json doc = EmptyActivationDocument();
  for (const char* key : {"name", "objective", "status", "description", "audiences", "markets",
                          "primary_metric", "supporting_metrics", "budget"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["status"], "draft");
  EXPECT_TRUE(doc["budget"].is_null());
}

TEST(ApplyActivationPatch, ReplacesOnlyThePatchedKeys) {
  Json doc = EmptyActivationDocument();
  doc["name"] = "Summer";
  doc["markets"] = Json::array({Market("US", "America/New_York")});
  Json patched = ApplyActivationPatch(doc, Json{{"status", "live"}, {"markets", Json::array()}});
  EXPECT_EQ(patched["name"], "Summer");
  EXPECT_EQ(patched["status"], "live");
  EXPECT_EQ(patched["markets"], Json::array());
}

}  // namespace
}  // namespace tutti::core
