// The JSON API under /api/v1 as a table of routes. Each route names its method and OpenAPI path
// template, so the table is what the server registers *and* what the OpenAPI consistency test
// compares against the published document. Handlers are thin: parse and validate with core,
// decide with governance, persist with the Store, shape the response here (only the properties
// the caller may see: no generic to-JSON of private objects). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/json.h"
#include "tutti/http/auth.h"
#include "tutti/storage/store.h"

namespace tutti::http {

struct ApiRequest {
  std::string method;
  std::map<std::string, std::string> path_params;  // from the {name} segments
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  std::optional<Authenticated> auth;  // set for routes that require it
  std::string Query(const std::string& name) const;
  std::string PathParam(const std::string& name) const { return path_params.at(name); }
};

struct ApiResponse {
  int status = 200;
  Json body;  // null: no body (204)
  // A body in another format (an iCalendar feed) is sent as is, with this type, instead of body.
  std::optional<std::string> raw_body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // OpenAPI template, e.g. /api/v1/activations/{activation_id}
  bool requires_auth = true;
  std::function<Result<ApiResponse>(ApiRequest&)> handler;
  // Media types the body may have (prefixes); empty: application/json only.
  std::vector<std::string> body_types = {};
};

class Api {
 public:
  Api(storage::Store& store, AuthService& auth, std::string identifier_secret = {})
      : store_(store), auth_(auth), identifier_secret_(std::move(identifier_secret)) {}
  std::vector<Route> Routes();

 private:
  storage::Store& store_;
  AuthService& auth_;
  std::string identifier_secret_;
};

}  // namespace tutti::http

namespace tutti::http {
// The published OpenAPI 3.1 document (http/openapi.json, compiled in).
const Json& OpenApiDocument();
}  // namespace tutti::http
