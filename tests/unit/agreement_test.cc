// Partner agreements: defaults, and the rules on escalation paths and data sharing.
#include "tutti/core/agreement.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti::core {
namespace {

Json Minimal() { return Json{{"content_ownership", "host"}, {"approval_turnaround_hours", 48}}; }

void ExpectAgreementError(const Json& agreement, const std::string& reason,
                          const std::string& field) {
  Result<Json> result = ValidateAgreement(agreement);
  ASSERT_FALSE(result.ok()) << "accepted " << agreement.dump();
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().reason(), reason) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

TEST(ValidateAgreement, FillsDefaultsForEverythingOptional) {
  Result<Json> out = ValidateAgreement(Minimal());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(
      *out,
      (Json{{"content_ownership", "host"},
            {"content_ownership_notes", ""},
            {"approval_turnaround_hours", 48},
            {"escalation_path", Json::array()},
            {"exit_clause_notice_days", 30},
            {"audit_rights", Json{{"allowed", true}, {"notice_days", 10}}},
            {"data_sharing", Json{{"scope", Json::array({"aggregates"})}, {"cadence", "daily"}}}}));
}

TEST(ValidateAgreement, RequiresOwnershipAndTurnaround) {
  ExpectAgreementError(Json{{"approval_turnaround_hours", 48}}, "required", "content_ownership");
  ExpectAgreementError(Json{{"content_ownership", "joint"}}, "required",
                       "approval_turnaround_hours");
}

TEST(ValidateAgreement, FieldErrorsNameTheField) {
  Json agreement = Minimal();
  agreement["content_ownership"] = "shared";
  ExpectAgreementError(agreement, "invalid_enum", "content_ownership");
  agreement = Minimal();
  agreement["approval_turnaround_hours"] = 0;
  ExpectAgreementError(agreement, "out_of_range", "approval_turnaround_hours");
  agreement["approval_turnaround_hours"] = 721;
  ExpectAgreementError(agreement, "out_of_range", "approval_turnaround_hours");
  agreement = Minimal();
  agreement["penalty"] = 1;
  ExpectAgreementError(agreement, "unknown_field", "penalty");
  agreement = Minimal();
  agreement["audit_rights"] = Json{{"allowed", "yes"}};
  ExpectAgreementError(agreement, "invalid_type", "audit_rights.allowed");
  agreement["audit_rights"] = Json{{"notice_days", 5}, {"scope", "all"}};
  ExpectAgreementError(agreement, "unknown_field", "audit_rights.scope");
  agreement = Minimal();
  agreement["exit_clause_notice_days"] = -1;
  ExpectAgreementError(agreement, "out_of_range", "exit_clause_notice_days");
  ExpectAgreementError(Json::array(), "invalid_type", "");
}

TEST(ValidateAgreement, EscalationLevelsMustComeLaterAndLater) {
  Json agreement = Minimal();
  agreement["escalation_path"] = Json::array({Json{{"after_hours", 24}, {"contact", "Felix"}},
                                              Json{{"after_hours", 48}, {"contact", "Olivia"}}});
  Result<Json> ok = ValidateAgreement(agreement);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)["escalation_path"][0],
            (Json{{"after_hours", 24}, {"contact", "Felix"}, {"role", ""}}));

  agreement["escalation_path"][1]["after_hours"] = 24;
  ExpectAgreementError(agreement, "not_increasing", "escalation_path[1].after_hours");
  agreement["escalation_path"][1]["after_hours"] = 12;
  ExpectAgreementError(agreement, "not_increasing", "escalation_path[1].after_hours");
}

TEST(ValidateAgreement, EscalationLevelErrorsNameTheLevel) {
  Json agreement = Minimal();
  agreement["escalation_path"] = Json::array({Json{{"after_hours", 24}}});
  ExpectAgreementError(agreement, "required", "escalation_path[0].contact");
  agreement["escalation_path"] =
      Json::array({Json{{"after_hours", 24}, {"contact", "F"}}, Json{{"contact", "O"}}});
  ExpectAgreementError(agreement, "required", "escalation_path[1].after_hours");
  agreement["escalation_path"] = Json::array({Json{{"after_hours", 24}, {"contact", ""}}});
  ExpectAgreementError(agreement, "too_short", "escalation_path[0].contact");
  agreement["escalation_path"] =
      Json::array({Json{{"after_hours", 24}, {"contact", "F"}, {"phone", "1"}}});
  ExpectAgreementError(agreement, "unknown_field", "escalation_path[0].phone");
  agreement["escalation_path"] = Json::array({Json{{"after_hours", 0}, {"contact", "F"}}});
  ExpectAgreementError(agreement, "out_of_range", "escalation_path[0].after_hours");
}

TEST(ValidateAgreement, DataSharingScopeIsDeduplicatedAndChecked) {
  Json agreement = Minimal();
  agreement["data_sharing"] =
      Json{{"scope", Json::array({"spend", "conversions", "spend"})}, {"cadence", "weekly"}};
  Result<Json> out = ValidateAgreement(agreement);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["data_sharing"],
            (Json{{"scope", Json::array({"spend", "conversions"})}, {"cadence", "weekly"}}));

  agreement["data_sharing"] = Json{{"scope", Json::array({"spend", "raw_pii"})}};
  ExpectAgreementError(agreement, "invalid_enum", "data_sharing.scope[1]");
  agreement["data_sharing"] = Json{{"cadence", "yearly"}};
  ExpectAgreementError(agreement, "invalid_enum", "data_sharing.cadence");
  agreement["data_sharing"] = Json{{"scope", "spend"}};
  ExpectAgreementError(agreement, "invalid_type", "data_sharing.scope");
}

}  // namespace
}  // namespace tutti::core
