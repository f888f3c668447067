// Workstreams and their RACI matrix: one primary owner who is the single Accountable, each person
// at most once.
#include "tutti/core/workstream.h"

#include <gtest/gtest.h>

#include <string>

#include "tutti/base/ids.h"

namespace tutti::core {
namespace {

class ValidateWorkstreamPatchTest : public ::testing::Test {
 protected:
  Json Raci(const std::string& user, const char* letter) {
    return Json{{"user_id", user}, {"responsibility", letter}};
  }
  Json Creation(Json raci) {
    Json patch{{"kind", "creative"}, {"name", "Hero film"}, {"primary_owner_id", owner_}};
    if (!raci.is_null()) patch["raci"] = std::move(raci);
    return patch;
  }
  void ExpectError(const Json& patch, bool creating, const std::string& reason,
                   const std::string& field) {
    Result<Json> result = ValidateWorkstreamPatch(patch, creating, owner_);
    ASSERT_FALSE(result.ok()) << "accepted " << patch.dump();
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().reason(), reason) << result.status().ToString();
    EXPECT_EQ(result.status().field(), field) << result.status().ToString();
  }

  const std::string owner_ = NewId("usr");
  const std::string alice_ = NewId("usr");
  const std::string bob_ = NewId("usr");
};

TEST_F(ValidateWorkstreamPatchTest, CreationRequiresKindNameAndOwner) {
  for (const char* key : {"kind", "name", "primary_owner_id"}) {
    Json patch = Creation(nullptr);
    patch.erase(key);
    ExpectError(patch, true, "required", key);
  }
}

TEST_F(ValidateWorkstreamPatchTest, OwnerIsAddedAsAccountableAfterTheRequestsEntries) {
  Result<Json> out = ValidateWorkstreamPatch(
      Creation(Json::array({Raci(alice_, "R"), Raci(bob_, "I")})), true, "");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Appended, so that an error about entry N of the result is about entry N of the request.
  EXPECT_EQ((*out)["raci"], Json::array({Raci(alice_, "R"), Raci(bob_, "I"), Raci(owner_, "A")}));
}

TEST_F(ValidateWorkstreamPatchTest, CreatingWithoutAMatrixMakesTheOwnerAccountable) {
  Result<Json> out = ValidateWorkstreamPatch(Creation(nullptr), true, "");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["raci"], Json::array({Raci(owner_, "A")}))
      << "a new workstream's single Accountable is its primary owner";
}

TEST_F(ValidateWorkstreamPatchTest, OwnerListedWithAnotherLetterBecomesAccountable) {
  Result<Json> out = ValidateWorkstreamPatch(
      Creation(Json::array({Raci(alice_, "C"), Raci(owner_, "R")})), true, "");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["raci"], Json::array({Raci(alice_, "C"), Raci(owner_, "A")}));
}

TEST_F(ValidateWorkstreamPatchTest, ASecondAccountableIsRejected) {
  ExpectError(Creation(Json::array({Raci(owner_, "A"), Raci(alice_, "A")})), true,
              "raci_accountable", "raci[1].responsibility");
  ExpectError(Creation(Json::array({Raci(alice_, "A")})), true, "raci_accountable",
              "raci[0].responsibility");
}

TEST_F(ValidateWorkstreamPatchTest, APersonAppearsOnce) {
  ExpectError(Creation(Json::array({Raci(alice_, "R"), Raci(bob_, "C"), Raci(alice_, "I")})), true,
              "duplicate", "raci[2].user_id");
  ExpectError(Creation(Json::array({Raci(owner_, "A"), Raci(owner_, "A")})), true, "duplicate",
              "raci[1].user_id");
}

TEST_F(ValidateWorkstreamPatchTest, MatrixEntriesAreChecked) {
  ExpectError(Creation(Json::array({Raci("bob", "R")})), true, "invalid_id", "raci[0].user_id");
  ExpectError(Creation(Json::array({Raci(alice_, "X")})), true, "invalid_enum",
              "raci[0].responsibility");
  ExpectError(Creation(Json::array({Json{{"user_id", alice_}}})), true, "required",
              "raci[0].responsibility");
  ExpectError(Creation(Json::array({Json{{"user_id", alice_}, {"responsibility", "R"}, {"x", 1}}})),
              true, "unknown_field", "raci[0].x");
  ExpectError(Creation(Json::array({"R"})), true, "invalid_type", "raci[0]");
  ExpectError(Creation(Json("R")), true, "invalid_type", "raci");
}

TEST_F(ValidateWorkstreamPatchTest, KindNameAndOwnerAreChecked) {
  Json patch = Creation(nullptr);
  patch["kind"] = "finance";
  ExpectError(patch, true, "invalid_enum", "kind");
  patch = Creation(nullptr);
  patch["name"] = "";
  ExpectError(patch, true, "too_short", "name");
  patch = Creation(nullptr);
  patch["primary_owner_id"] = "olivia";
  ExpectError(patch, true, "invalid_id", "primary_owner_id");
  ExpectError(Json{{"owner", owner_}}, false, "unknown_field", "owner");
}

TEST_F(ValidateWorkstreamPatchTest, APatchOfTheMatrixKeepsTheCurrentOwnerAccountable) {
  Result<Json> out =
      ValidateWorkstreamPatch(Json{{"raci", Json::array({Raci(alice_, "R")})}}, false, owner_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["raci"], Json::array({Raci(alice_, "R"), Raci(owner_, "A")}));
  ExpectError(Json{{"raci", Json::array({Raci(alice_, "A")})}}, false, "raci_accountable",
              "raci[0].responsibility");
}

TEST_F(ValidateWorkstreamPatchTest, MovingOwnershipAloneLeavesTheMatrixToTheCaller) {
  Result<Json> out = ValidateWorkstreamPatch(Json{{"primary_owner_id", alice_}}, false, owner_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (Json{{"primary_owner_id", alice_}}));
}

TEST_F(ValidateWorkstreamPatchTest, NewOwnerWithANewMatrixIsTheAccountable) {
  Result<Json> out = ValidateWorkstreamPatch(
      Json{{"primary_owner_id", alice_}, {"raci", Json::array({Raci(owner_, "R")})}}, false,
      owner_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)["raci"], Json::array({Raci(owner_, "R"), Raci(alice_, "A")}));
  ExpectError(Json{{"primary_owner_id", alice_}, {"raci", Json::array({Raci(owner_, "A")})}}, false,
              "raci_accountable", "raci[0].responsibility");
}

TEST(ReassignAccountable, OldOwnerBecomesResponsibleNewOwnerTheOnlyAccountable) {
  std::string old_owner = NewId("usr"), new_owner = NewId("usr"), other = NewId("usr");
  auto entry = [](const std::string& user, const char* letter) {
    return Json{{"user_id", user}, {"responsibility", letter}};
  };
  Json raci = Json::array({entry(old_owner, "A"), entry(other, "C"), entry(new_owner, "I")});
  EXPECT_EQ(ReassignAccountable(raci, old_owner, new_owner),
            Json::array({entry(new_owner, "A"), entry(old_owner, "R"), entry(other, "C")}));
  EXPECT_EQ(ReassignAccountable(Json::array(), old_owner, new_owner),
            Json::array({entry(new_owner, "A")}));
}

}  // namespace
}  // namespace tutti::core
