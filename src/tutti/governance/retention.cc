#include "tutti/governance/retention.h"

#include "tutti/core/roles.h"

namespace tutti::governance {
namespace {

Status CheckMonths(int months, const std::string& path) {
  if (months < kMinimumRetentionMonths) {
    return InvalidArgument("must be at least " + std::to_string(kMinimumRetentionMonths) +
                               " months: every version, decision, comment and post is kept that "
                               "long",
                           path, "below_minimum");
  }
  if (months > kMaximumRetentionMonths) {
    return InvalidArgument("must be at most " + std::to_string(kMaximumRetentionMonths) + " months",
                           path, "out_of_range");
  }
  return OkStatus();
}

std::string KindList() {
  std::string list;
  for (std::string_view kind : kRetainedKindNames) {
    list += (list.empty() ? "" : ", ") + std::string(kind);
  }
  return list;
}

}  // namespace

Status ValidateRetentionPolicy(const RetentionPolicy& policy) {
  TUTTI_RETURN_IF_ERROR(CheckMonths(policy.default_months, "default_months"));
  for (const auto& [kind, months] : policy.months_by_kind) {
    const std::string path = JoinPath("by_kind", kind);
    if (!core::IsOneOf(kind, kRetainedKindNames)) {
      return InvalidArgument("is not a kind the archive holds; kinds are " + KindList(), path,
                             "invalid_enum");
    }
    TUTTI_RETURN_IF_ERROR(CheckMonths(months, path));
  }
  return OkStatus();
}

Result<RetentionPolicy> ParseRetentionPolicy(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(document, {"default_months", "by_kind"}));
  RetentionPolicy policy;
  // Read with a wide range so that a short period gets the precise "below_minimum" refusal.
  if (document.contains("default_months")) {
    TUTTI_ASSIGN_OR_RETURN(int64_t months, ReadInteger(document["default_months"], "default_months",
                                                       0, kMaximumRetentionMonths + 1));
    policy.default_months = static_cast<int>(months);
  }
  if (document.contains("by_kind")) {
    const Json& by_kind = document["by_kind"];
    TUTTI_RETURN_IF_ERROR(RequireObject(by_kind, "by_kind"));
    for (const auto& [kind, value] : by_kind.items()) {
      TUTTI_ASSIGN_OR_RETURN(int64_t months, ReadInteger(value, JoinPath("by_kind", kind), 0,
                                                         kMaximumRetentionMonths + 1));
      policy.months_by_kind[kind] = static_cast<int>(months);
    }
  }
  TUTTI_RETURN_IF_ERROR(ValidateRetentionPolicy(policy));
  return policy;
}

std::optional<int> RetentionMonths(const RetentionPolicy& policy, std::string_view kind) {
  if (!core::IsOneOf(kind, kRetainedKindNames)) return std::nullopt;
  auto it = policy.months_by_kind.find(kind);
  return it == policy.months_by_kind.end() ? policy.default_months : it->second;
}

Instant RetentionExpiry(Instant created_at, int months) {
  using namespace std::chrono;
  const sys_days day = floor<days>(created_at);
  const auto time_of_day = created_at - day;
  year_month_day date = year_month_day(day) + std::chrono::months(months);
  if (!date.ok()) date = year_month_day_last(date.year(), month_day_last(date.month()));
  return Instant(sys_days(date)) + time_of_day;
}

std::string_view RetentionActionName(RetentionAction action) {
  static constexpr std::string_view kNames[] = {"keep", "delete", "hold"};
  return kNames[static_cast<size_t>(action)];
}

Result<std::vector<RetentionVerdict>> ApplyRetention(std::span<const RetainedItem> items,
                                                     const RetentionPolicy& policy, Instant now) {
  TUTTI_RETURN_IF_ERROR(ValidateRetentionPolicy(policy));
  std::vector<RetentionVerdict> verdicts;
  verdicts.reserve(items.size());
  for (const RetainedItem& item : items) {
    RetentionVerdict verdict;
    if (std::optional<int> months = RetentionMonths(policy, item.kind)) {
      verdict.expires_at = RetentionExpiry(item.created_at, *months);
      if (now >= *verdict.expires_at) {
        verdict.action = item.on_legal_hold ? RetentionAction::kHold : RetentionAction::kDelete;
      }
    }
    verdicts.push_back(verdict);
  }
  return verdicts;
}

}  // namespace tutti::governance
