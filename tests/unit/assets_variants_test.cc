// Localization variants (issue 5, C3): translation and review transitions, what each state
// forbids, and a new master version marking the variants of older ones stale.
#include <gtest/gtest.h>

#include <vector>

#include "tutti/assets/variants.h"

namespace tutti::assets {
namespace {

VariantState Ok(const Result<VariantState>& r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : VariantState{};
}

void ExpectRefused(const Result<VariantState>& r, const std::string& message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().field(), "variant");
  EXPECT_EQ(r.status().reason(), "invalid_transition");
  EXPECT_EQ(r.status().message(), message);
}

TEST(Variants, GoFromPendingToPublishable) {
  const VariantState fresh = NewVariant(2);
  EXPECT_EQ(fresh.master_version, 2u);
  EXPECT_EQ(fresh.translation, TranslationState::kPending);
  EXPECT_EQ(fresh.review, ReviewState::kPending);
  EXPECT_FALSE(fresh.stale);
  EXPECT_FALSE(IsPublishable(fresh));

  const VariantState started = Ok(StartTranslation(fresh));
  EXPECT_EQ(started.translation, TranslationState::kInProgress);
  const VariantState done = Ok(SubmitTranslation(started, 2));
  EXPECT_EQ(done.translation, TranslationState::kDone);
  EXPECT_EQ(done.review, ReviewState::kPending);
  EXPECT_FALSE(IsPublishable(done));
  const VariantState approved = Ok(Approve(done));
  EXPECT_EQ(approved.review, ReviewState::kApproved);
  EXPECT_TRUE(IsPublishable(approved));
}

TEST(Variants, GoRoundAgainAfterChangesAreRequested) {
  const VariantState done = Ok(SubmitTranslation(NewVariant(1), 1));
  const VariantState changes = Ok(RequestChanges(done));
  EXPECT_EQ(changes.review, ReviewState::kChangesRequested);
  ExpectRefused(Approve(changes),
                "cannot approve a variant with translation done, review changes_requested; "
                "approval needs a finished translation of the current master awaiting review");
  const VariantState again = Ok(StartTranslation(changes));
  EXPECT_EQ(again.translation, TranslationState::kInProgress);
  EXPECT_EQ(again.review, ReviewState::kPending);
  EXPECT_TRUE(IsPublishable(Ok(Approve(Ok(SubmitTranslation(again, 1))))));
}

TEST(Variants, RefuseTransitionsTheStateForbids) {
  const VariantState started = Ok(StartTranslation(NewVariant(1)));
  ExpectRefused(Approve(started),
                "cannot approve a variant with translation in_progress, review pending; approval "
                "needs a finished translation of the current master awaiting review");
  ExpectRefused(StartTranslation(started),
                "cannot start translating a variant with translation in_progress, review "
                "pending; translation starts when pending, after changes are requested or when "
                "the master has changed");
  const VariantState done = Ok(SubmitTranslation(started, 1));
  ExpectRefused(SubmitTranslation(done, 1),
                "cannot submit a translation for a variant with translation done, review "
                "pending; start translating again first (after changes are requested)");
  const VariantState approved = Ok(Approve(done));
  ExpectRefused(Approve(approved),
                "cannot approve a variant with translation done, review approved; approval needs "
                "a finished translation of the current master awaiting review");
  // A reviewer may still withdraw an approval.
  EXPECT_EQ(Ok(RequestChanges(approved)).review, ReviewState::kChangesRequested);
}

TEST(Variants, BecomeStaleWhenTheMasterHasANewVersion) {
  std::vector<VariantState> variants = {
      Ok(Approve(Ok(SubmitTranslation(NewVariant(2), 2)))),  // de-de, approved
      Ok(StartTranslation(NewVariant(2))),                   // fr-fr, in progress
      NewVariant(3),                                         // es-es, made from the new master
  };
  EXPECT_EQ(MarkStaleOnNewMaster(variants, 3), 2u);
  EXPECT_TRUE(variants[0].stale);
  EXPECT_TRUE(variants[1].stale);
  EXPECT_FALSE(variants[2].stale);
  EXPECT_EQ(variants[0].review, ReviewState::kApproved) << "kept for the record";
  EXPECT_FALSE(IsPublishable(variants[0]));
  EXPECT_EQ(MarkStaleOnNewMaster(variants, 3), 0u) << "already stale";

  ExpectRefused(Approve(variants[1]),
                "cannot approve a variant with translation in_progress, review pending, stale "
                "(made from master v2); approval needs a finished translation of the current "
                "master awaiting review");
  ExpectRefused(RequestChanges(variants[0]),
                "cannot request changes to a variant with translation done, review approved, "
                "stale (made from master v2); changes are requested on a finished translation of "
                "the current master");
}

TEST(Variants, ComeBackFromStaleByTranslatingTheNewMaster) {
  std::vector<VariantState> variants = {Ok(Approve(Ok(SubmitTranslation(NewVariant(2), 2))))};
  MarkStaleOnNewMaster(variants, 3);
  const VariantState restarted = Ok(StartTranslation(variants[0]));
  EXPECT_TRUE(restarted.stale) << "still made from v2 until the new translation arrives";
  const VariantState redone = Ok(SubmitTranslation(restarted, 3));
  EXPECT_EQ(redone.master_version, 3u);
  EXPECT_FALSE(redone.stale);
  EXPECT_EQ(redone.review, ReviewState::kPending);
  EXPECT_TRUE(IsPublishable(Ok(Approve(redone))));
  // A stale but finished translation may also be resubmitted directly against the new master.
  EXPECT_FALSE(Ok(SubmitTranslation(variants[0], 3)).stale);
}

TEST(Variants, RefuseATranslationOfAnOlderMaster) {
  const Result<VariantState> r = SubmitTranslation(NewVariant(3), 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "master_version");
  EXPECT_EQ(r.status().message(),
            "the translation is of master v2, older than v3 the variant is already made from");
}

}  // namespace
}  // namespace tutti::assets
