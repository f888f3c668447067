// Fuzz target for plan files (`tutti schedule plan`, docs/scheduling.md): strict JSON, ParsePlan,
// then the whole engine on what parses (schedule, a what-if on the first milestone, the
// fallback) and the JSON writer. Invariants: no crash, no sanitizer report, every rejection
// names a reason, and a computed schedule lists every milestone once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tutti/base/json.h"
#include "tutti/scheduling/plan.h"

namespace {

void RequireReason(const tutti::Status& status) {
  if (!status.ok() && status.reason().empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::scheduling;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto document = tutti::ParseJsonObject(text);
  RequireReason(document.status());
  if (!document.ok()) return 0;
  auto plan = ParsePlan(*document);
  RequireReason(plan.status());
  if (!plan.ok()) return 0;
  const tutti::Instant now = *tutti::ParseInstant("2026-05-20T00:00:00Z");
  auto schedule = ComputeSchedule(*plan, now);
  RequireReason(schedule.status());
  if (!schedule.ok()) return 0;
  if (schedule->milestones.size() != plan->milestones.size()) std::abort();
  if (!ScheduleToJson(*schedule).is_object()) std::abort();
  if (!plan->milestones.empty()) {
    auto impact = DelayMilestone(*plan, now, plan->milestones.front().id,
                                 PlanDuration{2, PlanDuration::Unit::kWorkingDays});
    RequireReason(impact.status());
  }
  RequireReason(EvaluateFallback(*plan, now).status());
  return 0;
}
