// Localization variants of an asset (issue 5, C3; docs/assets.md): a variant (the same asset for
// another locale) is made from one master version and carries its own translation and review
// state. These are the transition rules as pure functions over that state; storage keeps the
// state and calls them inside its write transaction. Immutable values; thread-safe.
//
//   event               allowed when                                effect
//   StartTranslation    translation pending; or changes requested;  translation in_progress,
//                       or the variant is stale                     review pending
//   SubmitTranslation   translation pending or in_progress, or      translation done, review
//                       the variant is stale                        pending, based on the current
//                                                                   master, not stale
//   Approve             translation done, review pending, not stale review approved
//   RequestChanges      translation done, review pending or         review changes_requested
//                       approved, not stale
//   new master version  always                                      every variant of an older
//                                                                   master becomes stale
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti::assets {

enum class TranslationState { kPending, kInProgress, kDone };
inline constexpr auto kTranslationStateNames =
    std::to_array<std::string_view>({"pending", "in_progress", "done"});

enum class ReviewState { kPending, kApproved, kChangesRequested };
inline constexpr auto kReviewStateNames =
    std::to_array<std::string_view>({"pending", "approved", "changes_requested"});

struct VariantState {
  uint32_t master_version = 1;  // the master version the variant was made from
  TranslationState translation = TranslationState::kPending;
  ReviewState review = ReviewState::kPending;
  // The master has a newer version than the one this variant translates: it must be translated
  // again before it can be approved or published.
  bool stale = false;

  bool operator==(const VariantState&) const = default;
};

// A variant for a new locale, made from `master_version`.
VariantState NewVariant(uint32_t master_version);

// The transitions of the table above. A transition that is not allowed is kFailedPrecondition
// with field "variant" and reason "invalid_transition", naming the state that forbids it.
Result<VariantState> StartTranslation(const VariantState& variant);
// `current_master_version` is the master's latest version, which the submitted translation is of.
Result<VariantState> SubmitTranslation(const VariantState& variant,
                                       uint32_t current_master_version);
Result<VariantState> Approve(const VariantState& variant);
Result<VariantState> RequestChanges(const VariantState& variant);

// A new master version: every variant made from an older version is marked stale (states are
// otherwise kept, for the record). Returns how many became stale now.
size_t MarkStaleOnNewMaster(std::span<VariantState> variants, uint32_t new_master_version);

// Whether the variant may be published: translated, approved and of the current master.
bool IsPublishable(const VariantState& variant);

}  // namespace tutti::assets
