// What every group of API routes shares: response shapes, the caller, the request body, id and
// visibility checks and optimistic-concurrency versions. Internal to tutti_http.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tutti/governance/access.h"
#include "tutti/http/api.h"

namespace tutti::http {

ApiResponse Ok(Json body, int status = 200);
ApiResponse NoContent();

const governance::Principal& Caller(const ApiRequest& r);
storage::Actor ActorOf(const ApiRequest& r);

// The request body as a JSON object (malformed_json when empty or not an object).
Result<Json> Body(const ApiRequest& r);

// Deny by default: an object the caller may not see does not exist for them.
Status NotVisible(const std::string& what);
Status Forbidden(const std::string& why);

// 404 for a path id that cannot be one of ours (`prefix` "act", "org", …).
Status CheckId(const std::string& id, const char* prefix, const char* what);

// The activation named by the path's {activation_id}, or 404 when the caller may not see it.
Result<storage::ActivationRecord> VisibleActivation(storage::Store& store, const ApiRequest& r);

// Inside a mutation's transaction: invisible → 404, visible but not allowed → 403.
storage::Authorize Require(const governance::Principal& p,
                           bool (*rule)(const governance::Principal&,
                                        const governance::ActivationAccess&),
                           std::string why);

// The version the client last saw, from "version" in `body` (removed from it) or If-Match.
// `min_version` is 0 for objects that may not exist yet (version 0: "none stored").
Result<std::optional<int64_t>> ExpectedVersion(const ApiRequest& r, Json& body,
                                               int64_t min_version = 1);

// The routes of each area, appended to Api::Routes().
std::vector<Route> ScheduleRoutes(storage::Store& store);
std::vector<Route> FeedRoutes(storage::Store& store);
// `min_aggregate_users`: k of k-anonymity for the cells other organisations see (C6).
std::vector<Route> AttributionRoutes(storage::Store& store, size_t min_aggregate_users);
std::vector<Route> MeasurementRoutes(storage::Store& store, const std::string& identifier_secret);
std::vector<Route> GateRoutes(storage::Store& store);
std::vector<Route> ApprovalRoutes(storage::Store& store);
// Uploads are kept under config.data_dir/blobs and bounded by config.max_asset_bytes.
std::vector<Route> AssetRoutes(storage::Store& store, const AssetLibraryConfig& config);
// Crisis templates, incident roster, retention, legal holds, export (files from config.data_dir).
std::vector<Route> ArchiveRoutes(storage::Store& store, const AssetLibraryConfig& config);
std::vector<Route> PublishingRoutes(storage::Store& store);
// GET …/posts: marks each post a freeze holds with "frozen": {"freeze_id", "reason", "since"}
// (storage::FreezeHolding); the rest of the response is left as it is.
Result<Json> MarkFrozenPosts(storage::Store& store, const storage::ActivationRecord& activation,
                             Json posts_response);

}  // namespace tutti::http
