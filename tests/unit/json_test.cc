// Strict JSON field readers: each failure has a stable reason and names the field at fault.
#include "tutti/base/json.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace tutti {
namespace {

// Expects `status` to be an invalid-argument failure with this reason at this field.
void ExpectFieldError(const Status& status, const std::string& reason, const std::string& field) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_EQ(status.reason(), reason) << status.ToString();
  EXPECT_EQ(status.field(), field) << status.ToString();
}

TEST(ParseJsonObject, AcceptsAnObject) {
  Result<Json> parsed = ParseJsonObject(R"({"name":"Summer","n":1})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["name"], "Summer");
}

TEST(ParseJsonObject, MalformedTextIsMalformed) {
  for (const char* text : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1} trailing", "nul"}) {
    Result<Json> parsed = ParseJsonObject(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kMalformed) << text;
    EXPECT_EQ(parsed.status().reason(), "malformed_json") << text;
  }
}

TEST(ParseJsonObject, NonObjectTopLevelIsInvalidType) {
  for (const char* text : {"[1]", "1", "\"s\"", "null", "true"}) {
    Result<Json> parsed = ParseJsonObject(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(parsed.status().reason(), "invalid_type") << text;
  }
}

TEST(JoinPath, BuildsDottedAndIndexedPaths) {
  EXPECT_EQ(JoinPath("", "name"), "name");
  EXPECT_EQ(JoinPath("budget", "currency"), "budget.currency");
  EXPECT_EQ(JoinPath("markets", size_t{1}), "markets[1]");
  EXPECT_EQ(JoinPath(JoinPath("markets", size_t{1}), "tz"), "markets[1].tz");
}

TEST(RejectUnknownFields, NamesTheUnknownKeyUnderItsParent) {
  Json object = {{"amount_micros", 1}, {"currency", "EUR"}, {"colour", "red"}};
  Status status = RejectUnknownFields(object, {"amount_micros", "currency"}, "budget");
  ExpectFieldError(status, "unknown_field", "budget.colour");
  EXPECT_NE(status.message().find("amount_micros, currency"), std::string::npos)
      << status.message();
  EXPECT_TRUE(RejectUnknownFields(object, {"amount_micros", "currency", "colour"}).ok());
  ExpectFieldError(RejectUnknownFields(Json{{"x", 1}}, {"name"}), "unknown_field", "x");
}

TEST(ReadString, ReturnsAValidString) {
  Result<std::string> s = ReadString(Json("Summer\tSplash\n2026"), "name", 1, 100);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, "Summer\tSplash\n2026");
}

TEST(ReadString, WrongTypeIsInvalidType) {
  for (const Json& value : {Json(1), Json(nullptr), Json::array(), Json(true)}) {
    ExpectFieldError(ReadString(value, "markets[0].name", 1, 64).status(), "invalid_type",
                     "markets[0].name");
  }
}

TEST(ReadString, LengthsAreBoundedInBytes) {
  ExpectFieldError(ReadString(Json(std::string(65, 'a')), "name", 1, 64).status(), "too_long",
                   "name");
  EXPECT_TRUE(ReadString(Json(std::string(64, 'a')), "name", 1, 64).ok());
  // Four characters, eight bytes.
  ExpectFieldError(ReadString(Json("日本"), "name", 1, 5).status(), "too_long", "name");
  Status empty = ReadString(Json(""), "name", 1, 64).status();
  ExpectFieldError(empty, "too_short", "name");
  EXPECT_EQ(empty.message(), "must not be empty");
  ExpectFieldError(ReadString(Json("EU"), "budget.currency", 3, 3).status(), "too_short",
                   "budget.currency");
}

TEST(ReadString, ControlCharactersOtherThanTabAndNewlineAreRejected) {
  for (const std::string& text : {std::string("a\x01z"), std::string("a\rz"),
                                  std::string("\x1b[31mred"), std::string("a\0z", 3)}) {
    ExpectFieldError(ReadString(Json(text), "notes", 0, 100).status(), "invalid_characters",
                     "notes");
  }
}

TEST(ReadInteger, AcceptsIntegersInRange) {
  Result<int64_t> n = ReadInteger(Json(48), "approval_turnaround_hours", 1, 720);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 48);
  EXPECT_TRUE(ReadInteger(Json(1), "n", 1, 720).ok());
  EXPECT_TRUE(ReadInteger(Json(720), "n", 1, 720).ok());
}

TEST(ReadInteger, NonIntegersAreInvalidType) {
  for (const Json& value : {Json(1.5), Json("12"), Json(nullptr), Json(true), Json(1.0)}) {
    ExpectFieldError(ReadInteger(value, "budget.amount_micros", 0, 100).status(), "invalid_type",
                     "budget.amount_micros");
  }
}

TEST(ReadInteger, OutsideTheBoundsIsOutOfRange) {
  ExpectFieldError(ReadInteger(Json(0), "hours", 1, 720).status(), "out_of_range", "hours");
  ExpectFieldError(ReadInteger(Json(721), "hours", 1, 720).status(), "out_of_range", "hours");
  ExpectFieldError(ReadInteger(Json(-1), "hours", 0, 720).status(), "out_of_range", "hours");
  ExpectFieldError(
      ReadInteger(Json(std::numeric_limits<uint64_t>::max()), "hours", 0, 720).status(),
      "out_of_range", "hours");
  ExpectFieldError(ReadInteger(Json(std::numeric_limits<uint64_t>::max()), "n", 0,
                               std::numeric_limits<int64_t>::max())
                       .status(),
                   "out_of_range", "n");
}

TEST(ReadNumber, AcceptsIntegersAndFractions) {
  Result<double> fraction = ReadNumber(Json(0.72), "forecast");
  ASSERT_TRUE(fraction.ok());
  EXPECT_DOUBLE_EQ(*fraction, 0.72);
  Result<double> integer = ReadNumber(Json(120000), "target");
  ASSERT_TRUE(integer.ok());
  EXPECT_DOUBLE_EQ(*integer, 120000.0);
}

TEST(ReadNumber, NonNumbersAreInvalidType) {
  ExpectFieldError(ReadNumber(Json("0.8"), "primary_metric.target").status(), "invalid_type",
                   "primary_metric.target");
}

TEST(ReadBool, OnlyTrueOrFalse) {
  EXPECT_TRUE(*ReadBool(Json(true), "allowed"));
  EXPECT_FALSE(*ReadBool(Json(false), "allowed"));
  ExpectFieldError(ReadBool(Json(1), "audit_rights.allowed").status(), "invalid_type",
                   "audit_rights.allowed");
  ExpectFieldError(ReadBool(Json("true"), "audit_rights.allowed").status(), "invalid_type",
                   "audit_rights.allowed");
}

TEST(ReadEnum, AcceptsAListedValueAndListsThemOtherwise) {
  constexpr auto kAllowed = std::to_array<std::string_view>({"host", "partner", "joint"});
  Result<std::string> ok = ReadEnum(Json("joint"), "content_ownership", kAllowed);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "joint");

  Status wrong = ReadEnum(Json("shared"), "content_ownership", kAllowed).status();
  ExpectFieldError(wrong, "invalid_enum", "content_ownership");
  EXPECT_EQ(wrong.message(), "must be one of: host, partner, joint");
  ExpectFieldError(ReadEnum(Json("Host"), "content_ownership", kAllowed).status(), "invalid_enum",
                   "content_ownership");
  ExpectFieldError(ReadEnum(Json(1), "content_ownership", kAllowed).status(), "invalid_type",
                   "content_ownership");
}

TEST(RequireArray, ChecksTypeAndItemCount) {
  EXPECT_TRUE(RequireArray(Json::array({1, 2}), "markets", 2).ok());
  ExpectFieldError(RequireArray(Json::array({1, 2, 3}), "markets", 2), "too_many_items", "markets");
  ExpectFieldError(RequireArray(Json::object(), "markets", 2), "invalid_type", "markets");
  ExpectFieldError(RequireArray(Json("US"), "markets", 2), "invalid_type", "markets");
}

TEST(RequireObject, ChecksType) {
  EXPECT_TRUE(RequireObject(Json::object(), "budget").ok());
  ExpectFieldError(RequireObject(Json::array(), "budget"), "invalid_type", "budget");
  ExpectFieldError(RequireObject(Json(5), "markets[3]"), "invalid_type", "markets[3]");
}

}  // namespace
}  // namespace tutti
