// The real `tutti serve` stack on a loopback port, for API tests: a temporary directory, a
// database (a SQLite file there by default; a fresh schema of $TUTTI_TEST_POSTGRES_URL when
// asked), the migrations, the demo seed, AuthService and http::Server bound to 127.0.0.1:0 and
// serving on its own thread, and an HTTP client that speaks to it.
//
// Speed: every log-in and every seeded password costs an Argon2id hash (19 MiB, 2 passes). The
// SQLite fixtures therefore start from a copy of one demo database seeded once per process, in
// which every demo user already holds a session; Token(email) hands out those sessions. Each
// fixture owns its copy, so tests that mutate stay independent of each other and of order.
//
// Time is a ManualClock shared by the Store and the AuthService; advance it to age sessions and
// log-in throttles. Not thread-safe: one test thread drives a TestServer (the server's own worker
// threads are internal).
#pragma once

#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/backends.h"
#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/http/auth.h"
#include "tutti/http/server.h"
#include "tutti/storage/database.h"
#include "tutti/storage/store.h"

namespace tutti::testing {

// Demo log-ins (src/tutti/cli/demo.cc).
namespace demo {
inline constexpr char kOlivia[] = "olivia@acme.example";    // host owner
inline constexpr char kFelix[] = "felix@acme.example";      // host facilitator
inline constexpr char kWanda[] = "wanda@acme.example";      // host workstream_owner
inline constexpr char kVictor[] = "victor@acme.example";    // host viewer
inline constexpr char kSam[] = "sam@streamco.example";      // StreamCo partner_admin
inline constexpr char kSofia[] = "sofia@streamco.example";  // StreamCo contributor
inline constexpr char kNina[] = "nina@novasports.example";  // Nova Sports partner_admin
inline constexpr char kLeo[] = "leo@lumen.example";         // Lumen Creators partner_admin
inline constexpr char kUna[] = "una@orbit.example";         // Orbit Media partner_admin, in nothing
inline constexpr char kOwnerPassword[] = "tutti-demo-owner";
inline constexpr char kHostPassword[] = "tutti-demo-host";
inline constexpr char kPartnerPassword[] = "tutti-demo-partner";
// The password of a demo user; empty for an unknown email.
std::string PasswordFor(const std::string& email);
std::vector<std::string> AllEmails();
}  // namespace demo

// The instant every fixture's ManualClock starts at.
Instant TestEpoch();

// One HTTP response.
struct Reply {
  int status = 0;  // 0: no response at all (the transport failed; see `transport_error`)
  std::string body;
  Json json;  // the parsed body; null when empty or not JSON
  httplib::Headers headers;
  std::string transport_error;

  std::string Header(const std::string& name) const;
  // True when the body is exactly {"error":{"code","message","field"}} with string values.
  bool HasErrorEnvelope() const;
  std::string ErrorCode() const;
  std::string ErrorField() const;
};

// Prints status and body in assertion messages.
std::ostream& operator<<(std::ostream& out, const Reply& reply);

// Blocking HTTP/1.1 client for one server. A fresh connection per request.
class HttpClient {
 public:
  HttpClient(std::string host, int port) : host_(std::move(host)), port_(port) {}

  // `token` empty: no credential; otherwise sent as `Authorization: Bearer TOKEN`. `body` is
  // serialised as application/json when present.
  Reply Send(const std::string& method, const std::string& path, const std::string& token,
             const std::optional<Json>& body = std::nullopt,
             const httplib::Headers& extra_headers = {});
  // Full control: the body is sent verbatim with `content_type` (none when empty).
  Reply SendRaw(const std::string& method, const std::string& path, const httplib::Headers& headers,
                const std::string& body, const std::string& content_type);

  Reply Get(const std::string& path, const std::string& token = {}) {
    return Send("GET", path, token);
  }
  Reply Post(const std::string& path, const std::string& token, const Json& body) {
    return Send("POST", path, token, body);
  }
  Reply Patch(const std::string& path, const std::string& token, const Json& body) {
    return Send("PATCH", path, token, body);
  }
  Reply Put(const std::string& path, const std::string& token, const Json& body) {
    return Send("PUT", path, token, body);
  }
  Reply Delete(const std::string& path, const std::string& token) {
    return Send("DELETE", path, token);
  }
  // POST /api/v1/auth/login.
  Reply LoginReply(const std::string& email, const std::string& password);
  // The session token of a successful log-in; empty (and a test failure) otherwise.
  std::string Login(const std::string& email, const std::string& password);

 private:
  std::string host_;
  int port_;
};

struct TestServerOptions {
  Backend backend = Backend::kSqlite;
  bool seed_demo = true;
  // k-anonymity threshold; 1 shows every cell, so that tests with a handful of users read their
  // credits (the suppression tests raise it).
  size_t min_aggregate_users = 1;
  // Body bounds of the server; the defaults are `tutti serve`'s.
  size_t max_upload_bytes = http::ServerConfig{}.max_upload_bytes;
  uint64_t max_ingest_bytes = http::ServerConfig{}.max_ingest_bytes;
  // Asset uploads; their files go to data_dir() (a "data" folder in the fixture's directory).
  uint64_t max_asset_bytes = http::ServerConfig{}.max_asset_bytes;
};

// Ids of the seeded demo world, read from the store after seeding.
// The HMAC key the test server pseudonymizes raw identifiers with.
inline constexpr std::string_view kIdentifierSecret = "test-identifier-secret-0123456789abcdef";

struct DemoWorld {
  std::string host_org;  // Acme Beverages
  std::string streamco;
  std::string nova;
  std::string lumen;
  std::string orbit;
  std::string activation;                          // "Summer Splash 2026"
  std::map<std::string, std::string> users;        // email -> user id
  std::map<std::string, std::string> workstreams;  // kind -> workstream id
  const std::string& User(const std::string& email) const { return users.at(email); }
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Creates the database, seeds, binds and starts serving; returns when /healthz answers.
  // For kPostgres, fails when $TUTTI_TEST_POSTGRES_URL is unset (callers decide about skipping).
  Status Start();
  // Stops serving and joins the server thread; the database stays open. Idempotent.
  void Stop();
  // Stop(), then closes the server, the Store and the database (as `tutti serve` does on
  // SIGTERM); the files stay until destruction. Only database_url() and demo() remain usable.
  void Close();

  int port() const { return port_; }
  HttpClient& client() { return *client_; }
  storage::Store& store() { return *store_; }
  ManualClock& clock() { return clock_; }
  const std::string& database_url() const { return database_url_; }
  // The server's data directory (asset files under blobs/).
  std::filesystem::path data_dir() const { return dir_ / "data"; }
  const DemoWorld& demo() const { return demo_; }
  const std::vector<http::Route>& routes() const { return server_->routes(); }

  // A live session token for a demo user: the seeded one, or one logged in on first use.
  const std::string& Token(const std::string& email);
  // Entries in the audit chain, read straight from the store.
  int64_t AuditCount();

 private:
  Status StartDatabase();
  Status LoadDemoWorld();

  TestServerOptions options_;
  std::filesystem::path dir_;
  std::string database_url_;
  std::string pg_base_url_;  // PostgreSQL: the URL the schema was created through
  std::string pg_schema_;
  ManualClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<http::AuthService> auth_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  Status serve_status_;  // what Serve() returned; read after the join
  bool serving_ = false;
  int port_ = 0;
  std::unique_ptr<HttpClient> client_;
  DemoWorld demo_;
  std::map<std::string, std::string> tokens_;
};

// Replaces each {name} in an OpenAPI-style path template with params[name].
std::string ExpandPath(const std::string& path_template,
                       const std::map<std::string, std::string>& params);

}  // namespace tutti::testing
