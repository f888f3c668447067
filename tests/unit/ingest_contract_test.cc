// Data contracts and record validation (issue 4, C5): what a contract accepts, how each record is
// checked field by field (all errors of a record, not the first), how raw identifiers become
// keyed hashes before anything is kept, and what is kept at all.
#include <gtest/gtest.h>

#include "tutti/base/crypto.h"
#include "tutti/ingest/contract.h"

namespace tutti::ingest {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef-test-secret";

Json StreamcoContract() {
  return Json::parse(R"({"feed": "streamco-events", "cadence": "24h", "max_delay": "6h",
    "fields": [
      {"name": "id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
      {"name": "email", "type": "string", "privacy": "raw_identifier", "identifier": "email",
       "role": "user_key"},
      {"name": "at", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
      {"name": "kind", "type": "enum", "values": ["view", "tap", "purchase"], "privacy": "aggregate",
       "role": "event_type", "event_types": {"view": "impression", "tap": "click", "purchase": "conversion"}},
      {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"},
      {"name": "revenue", "type": "number", "privacy": "aggregate", "role": "value"},
      {"name": "opted_in", "type": "boolean", "privacy": "aggregate", "role": "consent"},
      {"name": "campaign", "type": "string", "privacy": "aggregate", "required": true},
      {"name": "comment", "type": "string", "privacy": "free_text"},
      {"name": "phone", "type": "string", "privacy": "raw_identifier", "identifier": "phone"}]})");
}

DataContract Contract() {
  Result<DataContract> c = ParseContract(StreamcoContract());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return *c;
}

RawRecord Csv(std::initializer_list<std::pair<const char*, const char*>> fields) {
  RawRecord r;
  r.from_text = true;
  for (const auto& [k, v] : fields) r.fields[k] = v;
  return r;
}

TEST(ParseContract, ReadsFieldsRolesAndCadence) {
  DataContract c = Contract();
  EXPECT_EQ(c.feed, "streamco-events");
  EXPECT_EQ(c.fields.size(), 10u);
  EXPECT_EQ(c.cadence, std::chrono::hours(24));
  EXPECT_EQ(c.max_delay, std::chrono::hours(6));
  EXPECT_TRUE(c.FieldWithRole(FieldRole::kUserKey)->required) << "roles imply required";
  EXPECT_EQ(c.FieldWithRole(FieldRole::kValue)->metric, "revenue");
  Result<DataContract> again = ParseContract(ContractToJson(c));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ContractToJson(*again), ContractToJson(c)) << "the written form reads back the same";
}

TEST(ParseContract, RefusesNamingThePathAndReason) {
  struct Case {
    const char* what;
    std::function<void(Json&)> edit;
    const char* field;
    const char* reason;
  };
  const Case cases[] = {
      {"unknown key", [](Json& j) { j["fieldz"] = 1; }, "fieldz", "unknown_field"},
      {"bad feed name", [](Json& j) { j["feed"] = "Stream Co"; }, "feed", "invalid_name"},
      {"bad type", [](Json& j) { j["fields"][2]["type"] = "date"; }, "fields[2].type",
       "invalid_enum"},
      {"duplicate name", [](Json& j) { j["fields"][4]["name"] = "at"; }, "fields[4].name",
       "duplicate_name"},
      {"duplicate role", [](Json& j) { j["fields"][7]["role"] = "channel"; }, "fields[7].role",
       "duplicate_role"},
      {"missing role", [](Json& j) { j["fields"][0].erase("role"); }, "fields", "missing_role"},
      {"raw identifier as channel", [](Json& j) { j["fields"][4]["privacy"] = "raw_identifier"; },
       "fields[4].role", "invalid_role"},
      {"free text as a role", [](Json& j) { j["fields"][4]["privacy"] = "free_text"; },
       "fields[4].role", "invalid_role"},
      {"timestamp not a timestamp", [](Json& j) { j["fields"][2]["type"] = "string"; },
       "fields[2].role", "invalid_role"},
      {"enum without values", [](Json& j) { j["fields"][3].erase("values"); }, "fields[3].values",
       "required"},
      {"event type outside the dictionary",
       [](Json& j) { j["fields"][3]["event_types"]["view"] = "glance"; },
       "fields[3].event_types.view", "invalid_enum"},
      {"bad cadence", [](Json& j) { j["cadence"] = "daily"; }, "cadence", "invalid_duration"},
      {"pseudonymous user key from free text",
       [](Json& j) {
         j["fields"][1]["privacy"] = "aggregate";
         j["fields"][1].erase("identifier");
       },
       "fields[1].role", "invalid_role"},
  };
  for (const Case& c : cases) {
    Json doc = StreamcoContract();
    c.edit(doc);
    Result<DataContract> parsed = ParseContract(doc);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.status().field(), c.field) << c.what << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed.status().reason(), c.reason) << c.what << ": " << parsed.status().ToString();
  }
}

TEST(ValidateRecord, NormalisesAGoodRecordAndHashesRawIdentifiers) {
  auto result = ValidateRecord(Contract(),
                               Csv({{"id", "e-1"},
                                    {"email", "  Ana.Silva@Example.COM "},
                                    {"at", "2026-06-01T15:00:00+02:00"},
                                    {"kind", "purchase"},
                                    {"channel", "youtube"},
                                    {"revenue", "49.90"},
                                    {"opted_in", "true"},
                                    {"campaign", "summer"},
                                    {"comment", "call me on +44 20 7946 0000"},
                                    {"phone", "+44 20 7946 0000"}}),
                               kSecret);
  ASSERT_TRUE(std::holds_alternative<ValidEvent>(result));
  const ValidEvent& e = std::get<ValidEvent>(result);
  EXPECT_EQ(e.event_id, "e-1");
  EXPECT_EQ(e.user_key,
            PseudonymizeIdentifier(IdentifierKind::kEmail, "ana.silva@example.com", kSecret))
      << "e-mails are trimmed and lower-cased before hashing";
  EXPECT_EQ(e.user_key, HexEncode(HmacSha256(kSecret, "email:ana.silva@example.com")));
  EXPECT_EQ(e.user_key.size(), 64u);
  EXPECT_EQ(FormatInstant(e.ts), "2026-06-01T13:00:00.000Z");
  EXPECT_EQ(e.event_type, "conversion") << "mapped through event_types";
  EXPECT_EQ(e.channel, "youtube");
  EXPECT_DOUBLE_EQ(e.value, 49.90);
  EXPECT_EQ(e.consent, true);
  EXPECT_EQ(e.attributes, Json({{"campaign", "summer"}}))
      << "free text and raw identifiers are never kept";
  const std::string kept = e.attributes.dump() + e.user_key + e.event_id;
  EXPECT_EQ(kept.find("Silva"), std::string::npos);
  EXPECT_EQ(kept.find("7946"), std::string::npos);
}

TEST(ValidateRecord, ReportsEveryErrorOfARecord) {
  auto result = ValidateRecord(Contract(),
                               Csv({{"id", "e-2"},
                                    {"at", "yesterday"},
                                    {"kind", "swipe"},
                                    {"revenue", "12,50"},
                                    {"opted_in", "maybe"},
                                    {"colour", "red"}}),
                               kSecret);
  ASSERT_TRUE(std::holds_alternative<std::vector<FieldError>>(result));
  std::map<std::string, std::string> reasons;
  for (const FieldError& e : std::get<std::vector<FieldError>>(result)) reasons[e.field] = e.reason;
  EXPECT_EQ(reasons["at"], "invalid_instant");
  EXPECT_EQ(reasons["kind"], "invalid_enum");
  EXPECT_EQ(reasons["revenue"], "invalid_type");
  EXPECT_EQ(reasons["opted_in"], "invalid_type");
  EXPECT_EQ(reasons["colour"], "unknown_field");
  EXPECT_EQ(reasons["email"], "required");
  EXPECT_EQ(reasons["campaign"], "required");
  EXPECT_EQ(reasons.size(), 7u);
}

TEST(ValidateRecord, JsonValuesMustHaveTheirTypeWhileCsvTextIsParsed) {
  DataContract c = Contract();
  RawRecord json;
  json.fields = Json::parse(R"({"id": "e-3", "email": "a@b.example", "at": "2026-06-01T13:00:00Z",
      "kind": "purchase", "campaign": "summer", "revenue": "49.90"})");
  auto refused = ValidateRecord(c, json, kSecret);
  ASSERT_TRUE(std::holds_alternative<std::vector<FieldError>>(refused));
  EXPECT_EQ(std::get<std::vector<FieldError>>(refused)[0].field, "revenue");
  json.fields["revenue"] = 49.9;
  json.fields["opted_in"] = false;
  auto accepted = ValidateRecord(c, json, kSecret);
  ASSERT_TRUE(std::holds_alternative<ValidEvent>(accepted));
  EXPECT_EQ(std::get<ValidEvent>(accepted).event_type, "conversion");
  EXPECT_EQ(std::get<ValidEvent>(accepted).consent, false);
}

TEST(ValidateRecord, ReadsRevenueOnConversionsAndSpendOnTouchpoints) {
  Json document = StreamcoContract();
  document["fields"].push_back(Json::parse(
      R"({"name": "cost", "type": "number", "privacy": "aggregate", "role": "value",
          "metric": "spend"})"));
  Result<DataContract> c = ParseContract(document);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto record = [&](const char* kind, const char* revenue, const char* cost) {
    RawRecord r = Csv({{"id", "e-9"},
                       {"email", "a@b.example"},
                       {"at", "2026-06-01T13:00:00Z"},
                       {"kind", kind},
                       {"campaign", "summer"}});
    if (revenue != nullptr) r.fields["revenue"] = revenue;
    if (cost != nullptr) r.fields["cost"] = cost;
    return ValidateRecord(*c, r, kSecret);
  };
  auto value_of = [](const auto& result) {
    EXPECT_TRUE(std::holds_alternative<ValidEvent>(result));
    return std::holds_alternative<ValidEvent>(result) ? std::get<ValidEvent>(result).value : -1.0;
  };
  EXPECT_DOUBLE_EQ(value_of(record("view", nullptr, "0.004")), 0.004) << "an impression's cost";
  EXPECT_DOUBLE_EQ(value_of(record("purchase", "49.90", "0")), 49.90) << "a conversion's revenue";
  EXPECT_DOUBLE_EQ(value_of(record("tap", "0", "0.35")), 0.35) << "a zero revenue is no revenue";

  auto reason_of = [](const auto& result) {
    EXPECT_TRUE(std::holds_alternative<std::vector<FieldError>>(result));
    if (!std::holds_alternative<std::vector<FieldError>>(result)) return std::string();
    const FieldError& e = std::get<std::vector<FieldError>>(result).at(0);
    return e.field + ":" + e.reason;
  };
  EXPECT_EQ(reason_of(record("view", "12", nullptr)), "revenue:metric_mismatch")
      << "revenue on an impression would be counted as nothing, so it is refused";
  EXPECT_EQ(reason_of(record("purchase", "12", "3")), "cost:metric_mismatch");

  document["fields"].push_back(Json::parse(
      R"({"name": "cost2", "type": "number", "privacy": "aggregate", "role": "value",
          "metric": "spend"})"));
  Result<DataContract> twice = ParseContract(document);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field(), "fields[11].metric");
  EXPECT_EQ(twice.status().reason(), "duplicate_role");
}

TEST(ValidateRecord, RefusesInvalidUtf8AndOverlongValues) {
  DataContract c = Contract();
  RawRecord r = Csv({{"id", "e-4"},
                     {"email", "a@b.example"},
                     {"at", "2026-06-01T13:00:00Z"},
                     {"kind", "tap"},
                     {"campaign", "summer"}});
  r.fields["channel"] = std::string("you\xfftube");
  auto bad = ValidateRecord(c, r, kSecret);
  ASSERT_TRUE(std::holds_alternative<std::vector<FieldError>>(bad));
  EXPECT_EQ(std::get<std::vector<FieldError>>(bad)[0].reason, "invalid_utf8");
  // An overlong '/' and a lone surrogate: not UTF-8, and not storable as JSON.
  for (const char* not_utf8 : {"a\xc0\xaf", "a\xed\xa0\x80"}) {
    r.fields["channel"] = std::string(not_utf8);
    auto refused = ValidateRecord(c, r, kSecret);
    ASSERT_TRUE(std::holds_alternative<std::vector<FieldError>>(refused));
    EXPECT_EQ(std::get<std::vector<FieldError>>(refused)[0].reason, "invalid_utf8");
  }
  r.fields["channel"] = std::string(2000, 'x');
  auto long_value = ValidateRecord(c, r, kSecret);
  ASSERT_TRUE(std::holds_alternative<std::vector<FieldError>>(long_value));
  EXPECT_EQ(std::get<std::vector<FieldError>>(long_value)[0].reason, "too_long");
}

TEST(PseudonymizeIdentifier, NormalisesPerKindAndDependsOnTheSecret) {
  EXPECT_EQ(PseudonymizeIdentifier(IdentifierKind::kPhone, "+44 (20) 7946-0000", kSecret),
            PseudonymizeIdentifier(IdentifierKind::kPhone, "+442079460000", kSecret));
  EXPECT_NE(PseudonymizeIdentifier(IdentifierKind::kEmail, "x", kSecret),
            PseudonymizeIdentifier(IdentifierKind::kDeviceId, "x", kSecret))
      << "the kind is part of the hashed message";
  EXPECT_NE(PseudonymizeIdentifier(IdentifierKind::kEmail, "a@b.example", kSecret),
            PseudonymizeIdentifier(IdentifierKind::kEmail, "a@b.example", "another-secret"));
}

}  // namespace
}  // namespace tutti::ingest
