// Fuzz target for content calendars (`PUT …/posts`, docs/scheduling.md "Content calendar and
// conflicts"): strict JSON, ParseContentCalendar, then conflict detection and the JSON writer on
// what parses. Invariants: no crash, no sanitizer report, every rejection names a reason and a
// field, every finding names only posts of the calendar, and the findings are sorted the same
// way whatever the order of the posts (detection is order-independent by contract).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "tutti/base/json.h"
#include "tutti/scheduling/content_calendar.h"

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
  auto calendar = ParseContentCalendar(*document);
  RequireReason(calendar.status());
  if (!calendar.ok()) {
    if (calendar.status().field().empty() && !document->empty()) std::abort();
    return 0;
  }
  auto findings = DetectConflicts(*calendar);
  RequireReason(findings.status());
  if (!findings.ok()) return 0;
  std::set<std::string> ids;
  for (const Post& p : calendar->posts) ids.insert(p.id);
  for (const Finding& f : *findings) {
    for (const std::string& id : f.post_ids) {
      if (!ids.contains(id)) std::abort();
    }
  }
  if (!ConflictsToJson(*findings).is_object()) std::abort();
  ContentCalendar reversed = *calendar;
  std::reverse(reversed.posts.begin(), reversed.posts.end());
  auto again = DetectConflicts(reversed);
  if (!again.ok() || ConflictsToJson(*again) != ConflictsToJson(*findings)) std::abort();
  return 0;
}
