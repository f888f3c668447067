// Archive retention (C4): every version, decision, comment and post is kept at least 24 months,
// and a retention job deletes only what is past its policy and not on legal hold. This engine is
// the rule the job applies: given the items it read, the policy and `now`, which items may go.
// It never reads a clock and never deletes anything itself. Pure; thread-safe.
//
// Retention is counted in calendar months from `created_at` in UTC, clamped to the end of a
// shorter month (2024-02-29 + 24 months = 2026-02-28, same time of day). An item may be deleted
// from that instant on (`now >= expires_at`): by then it has been kept the whole period.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"

namespace tutti::governance {

// The floor the seed sets (and FTC disclosure evidence needs, standards A6): no policy may keep
// anything for less.
inline constexpr int kMinimumRetentionMonths = 24;
inline constexpr int kMaximumRetentionMonths = 1200;

// What the archive holds. Items of any other kind are never deleted (a kind this engine does not
// know has no policy, and deleting is the one mistake that cannot be undone).
inline constexpr auto kRetainedKindNames =
    std::to_array<std::string_view>({"version", "decision", "comment", "post",
                                     "disclosure_evidence", "gate_decision", "escalation"});

struct RetentionPolicy {
  int default_months = kMinimumRetentionMonths;
  std::map<std::string, int, std::less<>> months_by_kind;  // kinds of kRetainedKindNames
};

// kInvalidArgument (reason "below_minimum") for any period under 24 months, naming the field as
// in the JSON form ("by_kind.post"); "out_of_range" above 1200; "invalid_enum" for unknown kinds.
Status ValidateRetentionPolicy(const RetentionPolicy& policy);
// {"default_months": 24, "by_kind": {"post": 36}}; both optional (24 and none), then validated.
Result<RetentionPolicy> ParseRetentionPolicy(const Json& document);

// The months `policy` keeps items of `kind`; nullopt for a kind it does not know.
std::optional<int> RetentionMonths(const RetentionPolicy& policy, std::string_view kind);
// created_at + months, by the calendar rule above.
Instant RetentionExpiry(Instant created_at, int months);

struct RetainedItem {
  std::string id;
  std::string kind;
  Instant created_at;
  bool on_legal_hold = false;
};

enum class RetentionAction {
  kKeep,    // within its period, or of an unknown kind
  kDelete,  // past its period and not on hold
  kHold,    // past its period but on legal hold: kept until the hold is lifted
};
std::string_view RetentionActionName(RetentionAction action);  // "keep", "delete", "hold"

struct RetentionVerdict {
  RetentionAction action = RetentionAction::kKeep;
  std::optional<Instant> expires_at;  // nullopt for an unknown kind
};

// One verdict per item, in input order. Refuses an invalid policy (as ValidateRetentionPolicy),
// so a misconfigured job deletes nothing. An item on legal hold is never kDelete. O(n log k).
Result<std::vector<RetentionVerdict>> ApplyRetention(std::span<const RetainedItem> items,
                                                     const RetentionPolicy& policy, Instant now);

}  // namespace tutti::governance
