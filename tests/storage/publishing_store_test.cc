// Compliant publishing in storage (Store "compliant publishing", store_publishing.cc) on SQLite
// and PostgreSQL: taxonomy and content versions kept side by side and guarded against stale
// writes, the approvals seam refusing a post without its disclosure (when requested and when
// approved), publications only under an approval that covers the latest content, and freezes
// that stop publications until lifted, with every refusal writing nothing.
#include <gtest/gtest.h>

#include "support/fresh_database.h"
#include "tutti/base/clock.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using std::chrono::minutes;
using tutti::testing::Backend;
using tutti::testing::Must;

const Authorize kAllow = [](const ActivationRecord&) { return OkStatus(); };

class PublishingStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);
    host_ = Must(store_->CreateOrg("Acme Beverages", "host", cli_), "CreateOrg host");
    streamco_ = Must(store_->CreateOrg("StreamCo", "partner", cli_), "CreateOrg streamco");
    nova_ = Must(store_->CreateOrg("Nova Sports", "partner", cli_), "CreateOrg nova");
    as_host_ = Actor{"usr_host", host_.id};
    as_streamco_ = Actor{"usr_sam", streamco_.id};
    activation_ = tutti::testing::NewActivation(*store_, host_.id, as_host_);
    for (const OrgRecord* org : {&streamco_, &nova_}) {
      Must(store_->AddParticipant(activation_.id, org->id, "media", std::nullopt, as_host_, kAllow),
           "AddParticipant");
    }
    Json calendar{{"posts", Json::array({Json{{"id", "sc-1"},
                                              {"partner", streamco_.id},
                                              {"platform", "instagram"},
                                              {"market", "US"},
                                              {"at", "2026-07-01T12:00:00Z"}},
                                         Json{{"id", "nova-1"},
                                              {"partner", nova_.id},
                                              {"platform", "tiktok"},
                                              {"market", "US"},
                                              {"at", "2026-07-01T13:00:00Z"}}})}};
    Must(store_->PutPlanDocument(activation_.id, "content_calendar", calendar, std::nullopt,
                                 as_host_, kAllow),
         "PutPlanDocument");
  }

  int64_t AuditCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_->ForEachAuditEntry([&](const governance::AuditEntry&) { ++n; }).ok());
    return n;
  }

  // A content write whose compose callback returns `copy` as a paid post's content.
  Result<PostContentRecord> WriteCopy(const std::string& post_id, const std::string& copy,
                                      std::optional<int64_t> expected) {
    return store_->AddPostContent(
        activation_.id, post_id, {}, expected, as_streamco_,
        [copy](const ActivationRecord&, const PostContentContext&) -> Result<PostContentDraft> {
          PostContentDraft draft;
          draft.content = Json{{"copy", copy},
                               {"format", "text"},
                               {"paid", true},
                               {"partner", true},
                               {"platform", "instagram"},
                               {"platform_flag", false},
                               {"media_disclosure", "none"},
                               {"asset_ids", Json::array()}};
          draft.disclosure = Json{{"ok", true}};
          return draft;
        });
  }

  Result<ApprovalRecord> RequestApproval(const std::string& post_id) {
    return store_->CreateApproval(
        activation_.id, NewApprovalRequest{streamco_.id, "post", post_id, "Post", std::nullopt},
        as_streamco_, kAllow);
  }

  Result<ApprovalRecord> Approve(const ApprovalRecord& request) {
    const governance::Actor owner{"usr_host", core::Role::kOwner, governance::Party::kHost};
    return store_->DecideApproval(
        activation_.id, request.id, {"host review", governance::DecisionKind::kApprove, "ok"},
        std::nullopt, as_host_, [&owner](const ActivationRecord&, const ApprovalRecord&) {
          return Result<governance::Actor>(owner);
        });
  }

  Result<PublicationRecord> Publish(const std::string& post_id) {
    return store_->RecordPublication(
        activation_.id, NewPublication{post_id, "", "https://instagram.example/p/1", ""},
        as_streamco_, [](const ActivationRecord&, const std::string&) { return OkStatus(); });
  }

  ManualClock clock_{*ParseInstant("2026-06-01T12:00:00Z")};
  Actor cli_{"cli", ""};
  Actor as_host_, as_streamco_;
  OrgRecord host_, streamco_, nova_;
  ActivationRecord activation_;
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;
};

TEST_P(PublishingStore, TaxonomyKeepsEveryVersionAndRefusesAStaleOne) {
  EXPECT_EQ(Must(store_->GetUtmTaxonomy(activation_.id), "get").version, 0);
  const Json first{{"version", "2026-06"}};
  const Json second{{"version", "2026-07"}};
  EXPECT_EQ(Must(store_->PutUtmTaxonomy(activation_.id, first, 0, as_host_, kAllow), "v1").version,
            1);
  EXPECT_EQ(Must(store_->PutUtmTaxonomy(activation_.id, second, 1, as_host_, kAllow), "v2").version,
            2);
  const int64_t before = AuditCount();
  auto stale = store_->PutUtmTaxonomy(activation_.id, first, 1, as_host_, kAllow);
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted);
  EXPECT_EQ(AuditCount(), before);
  UtmTaxonomyRecord latest = Must(store_->GetUtmTaxonomy(activation_.id), "get");
  EXPECT_EQ(latest.version, 2);
  EXPECT_EQ(latest.document, second);
}

TEST_P(PublishingStore, ContentVersionsAreKeptUnchangedSideBySide) {
  Must(WriteCopy("sc-1", "#ad first cut", 0), "v1");
  clock_.Advance(minutes(1));
  PostContentRecord v2 = Must(WriteCopy("sc-1", "#ad second cut", 1), "v2");
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.org_id, streamco_.id);
  auto versions = Must(store_->ListPostContents(activation_.id, "sc-1"), "list");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].content["copy"], "#ad first cut");
  EXPECT_EQ(versions[1].content["copy"], "#ad second cut");
  EXPECT_LT(versions[0].created_at, versions[1].created_at);
}

TEST_P(PublishingStore, ContentRefusesAStaleVersionAndAnUnknownPost) {
  Must(WriteCopy("sc-1", "#ad first cut", 0), "v1");
  const int64_t before = AuditCount();
  EXPECT_EQ(WriteCopy("sc-1", "#ad again", 0).status().code(), StatusCode::kAborted);
  EXPECT_EQ(WriteCopy("no-such-post", "#ad", 0).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), before);
}

TEST_P(PublishingStore, ComposeSeesThePostTheLatestVersionAndTheAssetsAsked) {
  Must(WriteCopy("sc-1", "#ad first cut", 0), "v1");
  auto refused = store_->AddPostContent(
      activation_.id, "sc-1", {"ast_missing"}, std::nullopt, as_streamco_,
      [&](const ActivationRecord&, const PostContentContext& c) -> Result<PostContentDraft> {
        EXPECT_EQ(c.post.value("platform", ""), "instagram");
        EXPECT_EQ(c.post.value("partner", ""), streamco_.id);
        EXPECT_TRUE(c.latest.has_value() && c.latest->version == 1);
        EXPECT_EQ(c.taxonomy.version, 0);
        EXPECT_EQ(c.assets.size(), 1u);
        EXPECT_FALSE(c.assets.empty() || c.assets[0].has_value());
        return InvalidArgument("refused by the test", "asset_ids[0]", "unknown_asset");
      });
  EXPECT_EQ(refused.status().reason(), "unknown_asset");
  EXPECT_EQ(Must(store_->ListPostContents(activation_.id, "sc-1"), "list").size(), 1u);
}

TEST_P(PublishingStore, ApprovalOfAPostWithoutDisclosureIsRefused) {
  Must(WriteCopy("sc-1", "Summer drop is here", 0), "undisclosed");
  const int64_t before = AuditCount();
  auto refused = RequestApproval("sc-1");
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().reason(), "disclosure_required");
  EXPECT_EQ(refused.status().field(), "copy");
  EXPECT_EQ(AuditCount(), before);
  Must(WriteCopy("sc-1", "#ad Summer drop is here", 1), "disclosed");
  EXPECT_TRUE(RequestApproval("sc-1").ok());
}

TEST_P(PublishingStore, AnApproveDecisionChecksTheContentAsItStandsNow) {
  Must(WriteCopy("sc-1", "#ad Summer drop", 0), "disclosed");
  ApprovalRecord request = Must(RequestApproval("sc-1"), "request");
  Must(WriteCopy("sc-1", "Summer drop, now without the marker", 1), "undisclosed");
  auto refused = Approve(request);
  EXPECT_EQ(refused.status().reason(), "disclosure_required");
  EXPECT_EQ(Must(store_->GetApproval(activation_.id, request.id), "get").state, "pending");
}

TEST_P(PublishingStore, PublicationNeedsAnApprovalCoveringTheLatestContent) {
  EXPECT_EQ(Publish("sc-1").status().reason(), "not_approved");  // no content at all
  Must(WriteCopy("sc-1", "#ad Summer drop", 0), "v1");
  ApprovalRecord request = Must(RequestApproval("sc-1"), "request");
  EXPECT_EQ(Publish("sc-1").status().reason(), "not_approved");  // still pending
  Must(Approve(request), "approve");
  PublicationRecord published = Must(Publish("sc-1"), "publish");
  EXPECT_EQ(published.content_version, 1);
  EXPECT_EQ(published.approval_id, request.id);
  EXPECT_EQ(published.platform, "instagram");
  EXPECT_EQ(published.org_id, streamco_.id);
  EXPECT_EQ(published.published_at, "2026-06-01T12:00:00.000Z");
  clock_.Advance(minutes(5));
  Must(WriteCopy("sc-1", "#ad Summer drop, recut", 1), "v2");
  const int64_t before = AuditCount();
  auto refused = Publish("sc-1");
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().reason(), "not_approved");
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(Must(store_->ListPublications(activation_.id, "sc-1"), "list").size(), 1u);
}

TEST_P(PublishingStore, AFreezeStopsItsPostsUntilLifted) {
  Must(WriteCopy("sc-1", "#ad Summer drop", 0), "v1");
  Must(Approve(Must(RequestApproval("sc-1"), "request")), "approve");
  const FreezeAuthorize allow = [](const ActivationRecord&, const FreezeRecord&) {
    return OkStatus();
  };
  FreezeRecord nova_freeze = Must(
      store_->CreateFreeze(activation_.id, "partner", nova_.id, "athlete injury", as_host_, allow),
      "freeze nova");
  EXPECT_TRUE(Publish("sc-1").ok()) << "a freeze of Nova does not hold StreamCo's posts";
  clock_.Advance(minutes(1));
  FreezeRecord all = Must(
      store_->CreateFreeze(activation_.id, "activation", "", "product recall", as_host_, allow),
      "freeze all");
  auto refused = Publish("sc-1");
  EXPECT_EQ(refused.status().reason(), "frozen");
  EXPECT_NE(refused.status().message().find(all.id), std::string::npos);
  clock_.Advance(minutes(1));
  FreezeRecord lifted =
      Must(store_->LiftFreeze(activation_.id, all.id, "recall cleared", as_host_, allow), "lift");
  EXPECT_EQ(lifted.lifted_by, as_host_.id);
  EXPECT_EQ(lifted.lifted_at, "2026-06-01T12:02:00.000Z");
  EXPECT_EQ(store_->LiftFreeze(activation_.id, all.id, "again", as_host_, allow).status().reason(),
            "already_lifted");
  EXPECT_TRUE(Publish("sc-1").ok());
  auto freezes = Must(store_->ListFreezes(activation_.id), "list");
  ASSERT_EQ(freezes.size(), 2u);
  EXPECT_EQ(freezes[0].id, nova_freeze.id);
  EXPECT_TRUE(freezes[0].active());
  EXPECT_EQ(freezes[1].lift_reason, "recall cleared");
}

TEST_P(PublishingStore, APartnerFreezeNamesAnOrganisationOfTheActivation) {
  auto refused =
      store_->CreateFreeze(activation_.id, "partner", "org_elsewhere", "typo", as_host_,
                           [](const ActivationRecord&, const FreezeRecord&) { return OkStatus(); });
  EXPECT_EQ(refused.status().reason(), "unknown_partner");
  EXPECT_TRUE(Must(store_->ListFreezes(activation_.id), "list").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PublishingStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

FreezeRecord Freeze(std::string id, std::string scope, std::string org, std::string at,
                    bool lifted = false) {
  FreezeRecord f;
  f.id = std::move(id);
  f.scope = std::move(scope);
  f.org_id = std::move(org);
  f.created_at = std::move(at);
  if (lifted) f.lifted_at = "2026-06-02T00:00:00.000Z";
  return f;
}

TEST(FreezeHolding, IsTheOldestActiveFreezeCoveringTheOrganisation) {
  const std::vector<FreezeRecord> freezes = {
      Freeze("frz_a", "activation", "", "2026-06-01T09:00:00.000Z", /*lifted=*/true),
      Freeze("frz_b", "partner", "org_nova", "2026-06-01T10:00:00.000Z"),
      Freeze("frz_c", "partner", "org_streamco", "2026-06-01T11:00:00.000Z"),
      Freeze("frz_d", "activation", "", "2026-06-01T12:00:00.000Z")};
  ASSERT_NE(FreezeHolding(freezes, "org_streamco"), nullptr);
  EXPECT_EQ(FreezeHolding(freezes, "org_streamco")->id, "frz_c");
  EXPECT_EQ(FreezeHolding(freezes, "org_nova")->id, "frz_b");
  EXPECT_EQ(FreezeHolding(freezes, "org_host")->id, "frz_d");
  EXPECT_EQ(FreezeHolding({freezes[0], freezes[1]}, "org_host"), nullptr);
}

TEST(ApprovedContentVersion, IsTheLatestVersionWrittenBeforeAnApprovedRoundStarted) {
  auto version = [](int64_t n, std::string at) {
    PostContentRecord v;
    v.version = n;
    v.created_at = std::move(at);
    return v;
  };
  auto request = [](std::string state, std::string round_started_at) {
    ApprovalRecord a;
    a.subject_kind = "post";
    a.state = std::move(state);
    a.round_started_at = std::move(round_started_at);
    return a;
  };
  const std::vector<PostContentRecord> versions = {version(1, "2026-06-01T10:00:00.000Z"),
                                                   version(2, "2026-06-01T11:00:00.000Z"),
                                                   version(3, "2026-06-01T12:00:00.000Z")};
  EXPECT_EQ(ApprovedContentVersion(versions, {}), std::nullopt);
  EXPECT_EQ(ApprovedContentVersion(versions, {request("pending", "2026-06-01T12:30:00.000Z")}),
            std::nullopt);
  EXPECT_EQ(ApprovedContentVersion(versions, {request("approved", "2026-06-01T11:30:00.000Z")}), 2);
  // A round that started in the very millisecond a version was written covers it.
  EXPECT_EQ(ApprovedContentVersion(versions, {request("approved", "2026-06-01T12:00:00.000Z"),
                                              request("approved", "2026-06-01T10:30:00.000Z")}),
            3);
  EXPECT_EQ(ApprovedContentVersion(versions, {request("approved", "2026-06-01T09:00:00.000Z")}),
            std::nullopt);
}

}  // namespace
}  // namespace tutti::storage
