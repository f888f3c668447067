// The joint brief of an activation: validation of create/patch requests and the canonical
// document they produce. The document is what storage keeps and the API returns:
//   {"name","objective","status","description","audiences":[{"name","description"}],
//    "markets":[{"name","tz"}],"primary_metric":Metric|null,"supporting_metrics":[Metric],
//    "budget":Money|null}
// Metric = {"name","unit","target","forecast"}; Money = {"amount_micros","currency"} (integer
// micros and an ISO-4217 code, never a float). Pure; thread-safe.
#pragma once

#include "tutti/base/json.h"

namespace tutti::core {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxTextLength = 10000;

// The document of a fresh activation, before any patch.
Json EmptyActivationDocument();

// Validates a patch of the brief (any subset of the document's keys). When `creating`, name and
// objective are required. Returns the patch in canonical form (defaults filled inside items).
// Errors name the field: "markets[1].tz: unknown time zone 'Mars/Olympus'".
Result<Json> ValidateActivationPatch(const Json& patch, bool creating);

// Overlays a validated patch on a document.
Json ApplyActivationPatch(Json document, const Json& patch);

Result<Json> ValidateMoney(const Json& value, const std::string& path);
// Markets are a list of {"name","tz"} with unique names and IANA zones.
Result<Json> ValidateMarkets(const Json& value, const std::string& path);

}  // namespace tutti::core
