// `tutti serve`: the HTTP server. Registers the Api's routes on cpp-httplib, authenticates,
// enforces CSRF for cookie sessions, bounds bodies, maps every failure to the error envelope,
// and serves the web UI. Start() binds and serves on a thread pool until Stop() (SIGTERM in
// main); every acknowledged write was committed before its response was sent. Thread-safe.
#pragma once

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
  // Event uploads (POST /api/v1/feeds/{feed}/events), read as a stream of records.
  size_t max_upload_bytes = 64 << 20;
  // The deployment's HMAC key for raw identifiers (service::LoadOrCreateIdentifierSecret).
  std::string identifier_secret = {};
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
