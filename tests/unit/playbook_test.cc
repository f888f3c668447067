// Playbooks keep what transfers between campaigns and drop budget, partners and people.
#include "tutti/core/playbook.h"

#include <gtest/gtest.h>

#include <vector>

#include "tutti/core/brief.h"

namespace tutti::core {
namespace {

Json SourceDocument() {
  Json doc = EmptyActivationDocument();
  doc["name"] = "Summer Splash 2026";
  doc["objective"] = "lead_generation";
  doc["status"] = "live";
  doc["description"] = "One launch hour across three markets";
  doc["audiences"] = Json::array({Json{{"name", "Parents"}, {"description", ""}}});
  doc["markets"] = Json::array({Json{{"name", "US"}, {"tz", "America/New_York"}}});
  doc["primary_metric"] =
      Json{{"name", "Leads"}, {"unit", "leads"}, {"target", 1000.0}, {"forecast", nullptr}};
  doc["supporting_metrics"] = Json::array();
  doc["budget"] = Json{{"amount_micros", 5'000'000}, {"currency", "EUR"}};
  return doc;
}

TEST(MakePlaybookTemplate, KeepsTheBriefWithoutBudgetNameOrStatus) {
  Json tpl = MakePlaybookTemplate(SourceDocument(), {}, Json::object());
  const Json& brief = tpl["brief"];
  EXPECT_FALSE(brief.contains("budget"));
  EXPECT_FALSE(brief.contains("name"));
  EXPECT_FALSE(brief.contains("status"));
  EXPECT_EQ(brief["objective"], "lead_generation");
  EXPECT_EQ(brief["markets"], SourceDocument()["markets"]);
  EXPECT_EQ(brief["primary_metric"]["target"], 1000.0);
}

TEST(MakePlaybookTemplate, KeepsWorkstreamStructureButNotPeople) {
  std::vector<Json> streams = {
      Json{{"kind", "creative"},
           {"name", "Hero film"},
           {"primary_owner_id", "usr_someone"},
           {"raci", Json::array({Json{{"user_id", "usr_someone"}, {"responsibility", "A"}}})}},
      Json{{"kind", "legal"}, {"name", "Disclosures"}, {"primary_owner_id", "usr_other"}}};
  Json tpl = MakePlaybookTemplate(SourceDocument(), streams, Json::object());
  EXPECT_EQ(tpl["workstreams"], Json::array({Json{{"kind", "creative"}, {"name", "Hero film"}},
                                             Json{{"kind", "legal"}, {"name", "Disclosures"}}}));
  EXPECT_EQ(tpl.dump().find("usr_"), std::string::npos) << "no person may survive in a template";
}

TEST(MakePlaybookTemplate, KeepsAgreementTermsByPartnerRole) {
  Json agreements{{"media", Json{{"approval_turnaround_hours", 48}}}};
  Json tpl = MakePlaybookTemplate(SourceDocument(), {}, agreements);
  EXPECT_EQ(tpl["agreements_by_role"], agreements);
}

TEST(ActivationDocumentFromTemplate, StartsADraftWithTheNewNameAndNoBudget) {
  Json tpl = MakePlaybookTemplate(SourceDocument(), {}, Json::object());
  Json doc = ActivationDocumentFromTemplate(tpl, "Winter Splash 2026");
  EXPECT_EQ(doc["name"], "Winter Splash 2026");
  EXPECT_EQ(doc["status"], "draft");
  EXPECT_TRUE(doc["budget"].is_null());
  EXPECT_EQ(doc["objective"], "lead_generation");
  EXPECT_EQ(doc["description"], "One launch hour across three markets");
  EXPECT_EQ(doc["markets"], SourceDocument()["markets"]);
  Result<Json> valid = ValidateActivationPatch(doc, true);
  EXPECT_TRUE(valid.ok()) << "the instance must itself be a valid brief: "
                          << valid.status().ToString();
}

}  // namespace
}  // namespace tutti::core
