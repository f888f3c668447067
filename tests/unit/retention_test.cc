// Archive retention: the 24-month floor, per-kind periods, calendar-month arithmetic at month
// ends and leap days, and legal holds that keep an item past its period.
#include "tutti/governance/retention.h"

#include <gtest/gtest.h>

#include <vector>

namespace tutti::governance {
namespace {

Instant At(const char* text) { return *ParseInstant(text); }

TEST(RetentionExpiry, AddsCalendarMonthsAndClampsToTheMonthEnd) {
  EXPECT_EQ(RetentionExpiry(At("2024-06-15T10:30:00Z"), 24), At("2026-06-15T10:30:00Z"));
  // 29 February has no twin two years on: the last day of February instead.
  EXPECT_EQ(RetentionExpiry(At("2024-02-29T08:00:00Z"), 24), At("2026-02-28T08:00:00Z"));
  EXPECT_EQ(RetentionExpiry(At("2024-02-29T08:00:00Z"), 48), At("2028-02-29T08:00:00Z"));
  EXPECT_EQ(RetentionExpiry(At("2024-08-31T23:59:59.999Z"), 30), At("2027-02-28T23:59:59.999Z"));
  EXPECT_EQ(RetentionExpiry(At("2024-01-31T00:00:00Z"), 27), At("2026-04-30T00:00:00Z"));
}

TEST(ParseRetentionPolicy, RefusesAnyPeriodUnderTwentyFourMonths) {
  auto expect_error = [](const Json& document, const std::string& reason,
                         const std::string& field) {
    Result<RetentionPolicy> policy = ParseRetentionPolicy(document);
    ASSERT_FALSE(policy.ok()) << "accepted " << document.dump();
    EXPECT_EQ(policy.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(policy.status().reason(), reason) << policy.status().ToString();
    EXPECT_EQ(policy.status().field(), field) << policy.status().ToString();
  };
  expect_error(Json{{"default_months", 23}}, "below_minimum", "default_months");
  expect_error(Json{{"by_kind", {{"post", 12}}}}, "below_minimum", "by_kind.post");
  expect_error(Json{{"by_kind", {{"tweet", 36}}}}, "invalid_enum", "by_kind.tweet");
  expect_error(Json{{"default_months", 1201}}, "out_of_range", "default_months");
  expect_error(Json{{"keep", true}}, "unknown_field", "keep");

  Result<RetentionPolicy> policy = ParseRetentionPolicy(Json::object());
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->default_months, 24);
  policy = ParseRetentionPolicy(Json{{"default_months", 24}, {"by_kind", {{"post", 36}}}});
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(RetentionMonths(*policy, "post"), 36);
  EXPECT_EQ(RetentionMonths(*policy, "comment"), 24);
  EXPECT_FALSE(RetentionMonths(*policy, "tweet").has_value());
}

TEST(ApplyRetention, DeletesOnlyWhatIsPastPolicyAndNotOnHold) {
  RetentionPolicy policy;
  policy.months_by_kind["post"] = 36;
  const Instant now = At("2026-06-15T12:00:00Z");
  const std::vector<RetainedItem> items{
      {"cmt_old", "comment", At("2024-06-15T12:00:00Z"), false},      // exactly 24 months: goes
      {"cmt_new", "comment", At("2024-06-15T12:00:00.001Z"), false},  // 1 ms short: stays
      {"dec_held", "decision", At("2023-01-01T00:00:00Z"), true},     // past, but on hold
      {"post_30m", "post", At("2023-12-15T12:00:00Z"), false},        // 30 of its 36 months
      {"post_37m", "post", At("2023-05-15T12:00:00Z"), false},        // 37 months
      {"x_unknown", "tweet", At("2001-01-01T00:00:00Z"), false},      // no policy: never deleted
  };
  Result<std::vector<RetentionVerdict>> verdicts = ApplyRetention(items, policy, now);
  ASSERT_TRUE(verdicts.ok()) << verdicts.status().ToString();
  ASSERT_EQ(verdicts->size(), items.size());
  EXPECT_EQ((*verdicts)[0].action, RetentionAction::kDelete);
  EXPECT_EQ((*verdicts)[0].expires_at, At("2026-06-15T12:00:00Z"));
  EXPECT_EQ((*verdicts)[1].action, RetentionAction::kKeep);
  EXPECT_EQ((*verdicts)[2].action, RetentionAction::kHold);
  EXPECT_EQ((*verdicts)[3].action, RetentionAction::kKeep);
  EXPECT_EQ((*verdicts)[3].expires_at, At("2026-12-15T12:00:00Z"));
  EXPECT_EQ((*verdicts)[4].action, RetentionAction::kDelete);
  EXPECT_EQ((*verdicts)[5].action, RetentionAction::kKeep);
  EXPECT_FALSE((*verdicts)[5].expires_at.has_value());
}

TEST(ApplyRetention, DeletesNothingUnderAPolicyBelowTheFloor) {
  RetentionPolicy policy;
  policy.default_months = 6;
  const std::vector<RetainedItem> items{{"cmt_1", "comment", At("2020-01-01T00:00:00Z"), false}};
  Result<std::vector<RetentionVerdict>> verdicts =
      ApplyRetention(items, policy, At("2026-01-01T00:00:00Z"));
  ASSERT_FALSE(verdicts.ok());
  EXPECT_EQ(verdicts.status().reason(), "below_minimum");
}

TEST(ApplyRetention, KeepsAHeldItemWithinItsPeriodAsAnyOther) {
  const std::vector<RetainedItem> items{{"ver_1", "version", At("2026-01-01T00:00:00Z"), true}};
  Result<std::vector<RetentionVerdict>> verdicts =
      ApplyRetention(items, RetentionPolicy{}, At("2026-06-01T00:00:00Z"));
  ASSERT_TRUE(verdicts.ok());
  EXPECT_EQ((*verdicts)[0].action, RetentionAction::kKeep);
  EXPECT_EQ(RetentionActionName((*verdicts)[0].action), "keep");
}

}  // namespace
}  // namespace tutti::governance
