// `tutti serve`: the HTTP server. Registers the Api's routes on cpp-httplib, authenticates,
// enforces CSRF for cookie sessions, reads each body only then (whole and bounded, or streamed
// to routes that stream it), maps every failure to the error envelope, and serves the web UI.
// Start() binds and serves on a thread pool until Stop() (SIGTERM in main); every acknowledged
// write was committed before its response was sent. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tutti/http/api.h"
#include "tutti/http/auth.h"
#include "tutti/storage/store.h"

namespace tutti::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (tests)
  std::string web_root;             // empty: the build's default (web/dist of the source tree)
  size_t max_body_bytes = 1 << 20;  // JSON request bodies
  bool secure_cookies = false;      // set behind HTTPS so the session cookie carries Secure
  // cpp-httplib holds one worker per open keep-alive connection, so this bounds the concurrent
  // connections served without queueing.
  int threads = 64;
  // The most of one upload held in memory: an event upload (POST /api/v1/feeds/{feed}/events)
  // this size or smaller is read whole before its batch's transaction starts; a larger one
  // streams through a buffer this size. Also the bound of buffered bodies that are not JSON.
  size_t max_upload_bytes = 64 << 20;
  // The largest body of a route that streams it (event uploads; after transport decoding, before
  // gzip inflating by the record reader): 413 beyond. 0: no bound.
  uint64_t max_ingest_bytes = uint64_t{16} << 30;
  // The deployment's HMAC key for raw identifiers (service::LoadOrCreateIdentifierSecret).
  std::string identifier_secret = {};
  // k of k-anonymity: a shared aggregate cell backed by fewer distinct users is suppressed (C6).
  size_t min_aggregate_users = 50;
  // Where uploaded asset files are kept, content-addressed under DATA_DIR/blobs (`--data-dir`).
  std::string data_dir = "tutti-data";
  // The largest asset upload (after transport decoding): 413 beyond (`--max-asset-bytes`).
  uint64_t max_asset_bytes = uint64_t{2} << 30;
};

class Server {
 public:
  Server(storage::Store& store, AuthService& auth, ServerConfig config);
  ~Server();
  // Binds; returns the bound port (useful with port 0). kUnavailable when the address is taken.
  Result<int> Bind();
  // Serves until Stop(); returns when the listener has closed.
  Status Serve();
  void Stop();
  // The routes served (for the OpenAPI consistency test).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<Route> routes_;
};

std::string DefaultWebRoot();

}  // namespace tutti::http
