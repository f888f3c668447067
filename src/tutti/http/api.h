// The JSON API under /api/v1 as a table of routes. Each route names its method and OpenAPI path
// template, so the table is what the server registers *and* what the OpenAPI consistency test
// compares against the published document. Handlers are thin: parse and validate with core,
// decide with governance, persist with the Store, shape the response here (only the properties
// the caller may see: no generic to-JSON of private objects). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/json.h"
#include "tutti/http/auth.h"
#include "tutti/storage/store.h"

namespace tutti::http {

// The body of a request to a route that streams it (Route::streams_body), read as it arrives
// instead of being held whole, so that memory stays bounded whatever the body's size. Used by
// the handler's thread, during the handler only. Nothing is read from the connection before
// the first Read or ReadAhead, so a handler that refuses the caller first reads no body.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Copies the next bytes of the body, at most `capacity`, into `buffer` and returns how many;
  // 0 at the end of the body. Errors, final once returned: kPayloadTooLarge (reason
  // "payload_too_large") once the body passes the route's bound; kMalformed (reason
  // "incomplete_body") when the connection fails, times out or breaks its framing before the
  // body's end; kUnsupportedMediaType for a Content-Encoding the server cannot decode.
  virtual Result<size_t> Read(char* buffer, size_t capacity) = 0;
  // Waits until the rest of the body, or as much of it as the server reads ahead
  // (ServerConfig::max_upload_bytes), waits in memory, so that work that should not wait on the
  // network (a write transaction) starts with its data at hand. Returns Read's error if the
  // body already failed.
  virtual Status ReadAhead() = 0;
};

struct ApiRequest {
  std::string method;
  std::map<std::string, std::string> path_params;  // from the {name} segments
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;  // empty for a route that streams its body: read body_reader instead
  BodyReader* body_reader = nullptr;  // set for routes that stream their body, and only them
  std::string remote_address;
  std::optional<Authenticated> auth;  // set for routes that require it
  std::string Query(const std::string& name) const;
  std::string PathParam(const std::string& name) const { return path_params.at(name); }
};

// A response body sent in pieces as the client takes them, for files too large to hold in
// memory (asset downloads): the server asks for at most one buffer's worth at a time.
struct StreamedBody {
  uint64_t size = 0;
  // Copies up to `capacity` bytes from `offset` into `buffer` and returns how many; more than 0
  // until `size` is reached. An error or a short read ends the response (the connection closes,
  // so the client sees a truncated body rather than a wrong one).
  std::function<Result<size_t>(uint64_t offset, char* buffer, size_t capacity)> read;
};

struct ApiResponse {
  int status = 200;
  Json body;  // null: no body (204)
  // A body in another format (an iCalendar feed) is sent as is, with this type, instead of body.
  std::optional<std::string> raw_body;
  // Or a body in another format streamed from elsewhere (content_type applies too).
  std::optional<StreamedBody> streamed_body;
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
  // The handler reads the body through ApiRequest::body_reader as it arrives, up to
  // ServerConfig::max_ingest_bytes, rather than receiving it whole in ApiRequest::body.
  bool streams_body = false;
};

// Where the asset routes keep uploaded files and how large one may be (ServerConfig).
struct AssetLibraryConfig {
  std::string data_dir = "tutti-data";  // files under DATA_DIR/blobs
  uint64_t max_asset_bytes = uint64_t{2} << 30;
};

class Api {
 public:
  Api(storage::Store& store, AuthService& auth, std::string identifier_secret = {},
      size_t min_aggregate_users = 50, AssetLibraryConfig assets = {})
      : store_(store),
        auth_(auth),
        identifier_secret_(std::move(identifier_secret)),
        min_aggregate_users_(min_aggregate_users),
        assets_(std::move(assets)) {}
  std::vector<Route> Routes();

 private:
  storage::Store& store_;
  AuthService& auth_;
  std::string identifier_secret_;
  size_t min_aggregate_users_;
  AssetLibraryConfig assets_;
};

}  // namespace tutti::http

namespace tutti::http {
// The published OpenAPI 3.1 document (http/openapi.json, compiled in).
const Json& OpenApiDocument();
}  // namespace tutti::http
