#include "tutti/assets/variants.h"

#include <string>

namespace tutti::assets {
namespace {

std::string Describe(const VariantState& v) {
  std::string text = "translation " +
                     std::string(kTranslationStateNames[static_cast<size_t>(v.translation)]) +
                     ", review " + std::string(kReviewStateNames[static_cast<size_t>(v.review)]);
  if (v.stale) text += ", stale (made from master v" + std::to_string(v.master_version) + ")";
  return text;
}

Status Refuse(const char* action, const VariantState& v, const char* needs) {
  return Status(StatusCode::kFailedPrecondition,
                std::string("cannot ") + action + " a variant with " + Describe(v) + "; " + needs,
                "variant", "invalid_transition");
}

}  // namespace

VariantState NewVariant(uint32_t master_version) {
  VariantState v;
  v.master_version = master_version;
  return v;
}

Result<VariantState> StartTranslation(const VariantState& variant) {
  const bool allowed = variant.translation == TranslationState::kPending ||
                       variant.review == ReviewState::kChangesRequested || variant.stale;
  if (!allowed) {
    return Refuse("start translating", variant,
                  "translation starts when pending, after changes are requested or when the "
                  "master has changed");
  }
  VariantState next = variant;
  next.translation = TranslationState::kInProgress;
  next.review = ReviewState::kPending;
  return next;
}

Result<VariantState> SubmitTranslation(const VariantState& variant,
                                       uint32_t current_master_version) {
  if (current_master_version < variant.master_version) {
    return Status(StatusCode::kFailedPrecondition,
                  "the translation is of master v" + std::to_string(current_master_version) +
                      ", older than v" + std::to_string(variant.master_version) +
                      " the variant is already made from",
                  "master_version", "invalid_transition");
  }
  const bool allowed = variant.translation != TranslationState::kDone || variant.stale;
  if (!allowed) {
    return Refuse("submit a translation for", variant,
                  "start translating again first (after changes are requested)");
  }
  VariantState next = variant;
  next.translation = TranslationState::kDone;
  next.review = ReviewState::kPending;
  next.master_version = current_master_version;
  next.stale = false;
  return next;
}

Result<VariantState> Approve(const VariantState& variant) {
  if (variant.stale || variant.translation != TranslationState::kDone ||
      variant.review != ReviewState::kPending) {
    return Refuse("approve", variant,
                  "approval needs a finished translation of the current master awaiting review");
  }
  VariantState next = variant;
  next.review = ReviewState::kApproved;
  return next;
}

Result<VariantState> RequestChanges(const VariantState& variant) {
  if (variant.stale || variant.translation != TranslationState::kDone ||
      variant.review == ReviewState::kChangesRequested) {
    return Refuse("request changes to", variant,
                  "changes are requested on a finished translation of the current master");
  }
  VariantState next = variant;
  next.review = ReviewState::kChangesRequested;
  return next;
}

size_t MarkStaleOnNewMaster(std::span<VariantState> variants, uint32_t new_master_version) {
  size_t marked = 0;
  for (VariantState& v : variants) {
    if (v.master_version < new_master_version && !v.stale) {
      v.stale = true;
      ++marked;
    }
  }
  return marked;
}

bool IsPublishable(const VariantState& variant) {
  return !variant.stale && variant.translation == TranslationState::kDone &&
         variant.review == ReviewState::kApproved;
}

}  // namespace tutti::assets
