#include "support/test_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ostream>
#include <regex>
#include <sstream>

#include "tutti/base/crypto.h"
#include "tutti/cli/cli.h"
#include "tutti/storage/migrations.h"

namespace tutti::testing {
namespace {

constexpr char kHost[] = "127.0.0.1";
constexpr char kDatabaseFile[] = "tutti.db";

Result<std::filesystem::path> MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return Internal("mkdtemp " + pattern + " failed");
  return std::filesystem::path(pattern);
}

// The demo database seeded once per process, with a session for every demo user, copied by each
// SQLite fixture. Removed when the process exits.
struct DemoTemplate {
  std::filesystem::path dir;
  std::map<std::string, std::string> tokens;  // email -> session token
  Status status;

  ~DemoTemplate() {
    if (!dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
};

Status BuildDemoTemplate(DemoTemplate& out) {
  TUTTI_RETURN_IF_ERROR(InitCrypto());
  TUTTI_ASSIGN_OR_RETURN(out.dir, MakeTempDir("tutti-api-template-"));
  TUTTI_ASSIGN_OR_RETURN(auto db,
                         storage::OpenDatabase("sqlite:" + (out.dir / kDatabaseFile).string()));
  TUTTI_RETURN_IF_ERROR(storage::ApplyMigrations(*db).status());
  ManualClock clock(TestEpoch());
  storage::Store store(*db, clock);
  std::ostringstream ignored;
  TUTTI_RETURN_IF_ERROR(cli::SeedDemo(store, ignored));
  // Sessions are recorded as AuthService::Login records them, minus the Argon2 verification that
  // the log-in tests exercise over HTTP: that halves the cost of each test process.
  const http::AuthConfig config;
  for (const std::string& email : demo::AllEmails()) {
    TUTTI_ASSIGN_OR_RETURN(storage::UserRecord user, store.FindUserByEmail(email));
    std::string token = NewSecretToken("tts_");
    TUTTI_RETURN_IF_ERROR(store.RecordLogin(user, TokenDigest(token),
                                            clock.Now() + config.session_lifetime,
                                            clock.Now() + config.session_idle, kHost));
    out.tokens[email] = token;
  }
  return OkStatus();  // closing the last connection checkpoints the WAL into the file
}

const DemoTemplate& GetDemoTemplate() {
  static DemoTemplate demo_template;
  static const bool built = [] {
    demo_template.status = BuildDemoTemplate(demo_template);
    return true;
  }();
  static_cast<void>(built);
  return demo_template;
}

Status CopyDemoTemplate(const std::filesystem::path& to) {
  const DemoTemplate& source = GetDemoTemplate();
  TUTTI_RETURN_IF_ERROR(source.status);
  for (const char* suffix : {"", "-wal"}) {
    std::filesystem::path from = source.dir / (std::string(kDatabaseFile) + suffix);
    if (!std::filesystem::exists(from)) continue;
    std::error_code error;
    std::filesystem::copy_file(from, to / (std::string(kDatabaseFile) + suffix), error);
    if (error) return Internal("copy " + from.string() + ": " + error.message());
  }
  return OkStatus();
}

std::string RandomSchemaName() { return "api_test_" + HexEncode(RandomBytes(8)); }

}  // namespace

namespace demo {

std::string PasswordFor(const std::string& email) {
  if (email == kOlivia) return kOwnerPassword;
  if (email == kFelix || email == kWanda || email == kVictor) return kHostPassword;
  if (email == kSam || email == kSofia || email == kNina || email == kLeo || email == kUna) {
    return kPartnerPassword;
  }
  return {};
}

std::vector<std::string> AllEmails() {
  return {kOlivia, kFelix, kWanda, kVictor, kSam, kSofia, kNina, kLeo, kUna};
}

}  // namespace demo

Instant TestEpoch() {
  static const Instant epoch = ParseInstant("2026-05-04T09:00:00Z").value();
  return epoch;
}

// ---- Reply ----

std::string Reply::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return {};
}

bool Reply::HasErrorEnvelope() const {
  if (!json.is_object() || json.size() != 1 || !json.contains("error")) return false;
  const Json& error = json["error"];
  if (!error.is_object() || error.size() != 3) return false;
  for (const char* key : {"code", "message", "field"}) {
    if (!error.contains(key) || !error[key].is_string()) return false;
  }
  return !error["code"].get<std::string>().empty() && !error["message"].get<std::string>().empty();
}

std::string Reply::ErrorCode() const {
  if (!HasErrorEnvelope()) return {};
  return json["error"]["code"].get<std::string>();
}

std::string Reply::ErrorField() const {
  if (!HasErrorEnvelope()) return {};
  return json["error"]["field"].get<std::string>();
}

std::ostream& operator<<(std::ostream& out, const Reply& reply) {
  out << "HTTP " << reply.status;
  if (!reply.transport_error.empty()) out << " (transport: " << reply.transport_error << ")";
  constexpr size_t kMaxShown = 600;
  out << " " << reply.body.substr(0, kMaxShown);
  if (reply.body.size() > kMaxShown) out << "…";
  return out;
}

// ---- HttpClient ----

Reply HttpClient::SendRaw(const std::string& method, const std::string& path,
                          const httplib::Headers& headers, const std::string& body,
                          const std::string& content_type) {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  client.set_write_timeout(std::chrono::seconds(30));
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = headers;
  if (!content_type.empty()) request.set_header("Content-Type", content_type);
  request.body = body;
  httplib::Result result = client.send(request);
  Reply reply;
  if (!result) {
    reply.transport_error = httplib::to_string(result.error());
    return reply;
  }
  reply.status = result->status;
  reply.body = result->body;
  reply.headers = result->headers;
  if (!reply.body.empty()) {
    reply.json = Json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (reply.json.is_discarded()) reply.json = nullptr;
  }
  return reply;
}

Reply HttpClient::Send(const std::string& method, const std::string& path, const std::string& token,
                       const std::optional<Json>& body, const httplib::Headers& extra_headers) {
  httplib::Headers headers = extra_headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  if (body) return SendRaw(method, path, headers, body->dump(), "application/json");
  return SendRaw(method, path, headers, {}, {});
}

Reply HttpClient::LoginReply(const std::string& email, const std::string& password) {
  return Post("/api/v1/auth/login", {}, Json{{"email", email}, {"password", password}});
}

std::string HttpClient::Login(const std::string& email, const std::string& password) {
  Reply reply = LoginReply(email, password);
  if (reply.status != 200 || !reply.json.is_object() || !reply.json.contains("token")) {
    ADD_FAILURE() << "log-in of " << email << " failed: " << reply;
    return {};
  }
  return reply.json["token"].get<std::string>();
}

// ---- TestServer ----

TestServer::TestServer(TestServerOptions options) : options_(options), clock_(TestEpoch()) {}

void TestServer::Close() {
  Stop();
  server_.reset();
  auth_.reset();
  store_.reset();
  db_.reset();
}

TestServer::~TestServer() {
  Close();
  if (!pg_schema_.empty()) {
    auto base = storage::OpenDatabase(pg_base_url_);
    if (base.ok()) {
      Status dropped =
          (*base)->Transact(storage::TransactionMode::kWrite, [&](storage::SqlSession& s) {
            return s.ExecuteScript("DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE");
          });
      if (!dropped.ok())
        ADD_FAILURE() << "drop schema " << pg_schema_ << ": " << dropped.ToString();
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Status TestServer::StartDatabase() {
  TUTTI_ASSIGN_OR_RETURN(dir_, MakeTempDir("tutti-api-"));
  bool from_template = false;
  if (options_.backend == Backend::kSqlite) {
    if (options_.seed_demo) {
      TUTTI_RETURN_IF_ERROR(CopyDemoTemplate(dir_));
      tokens_ = GetDemoTemplate().tokens;
      from_template = true;
    }
    database_url_ = "sqlite:" + (dir_ / kDatabaseFile).string();
  } else {
    pg_base_url_ = PostgresTestUrl();
    if (pg_base_url_.empty()) return Unavailable("TUTTI_TEST_POSTGRES_URL is unset");
    std::string schema = RandomSchemaName();
    TUTTI_ASSIGN_OR_RETURN(auto base, storage::OpenDatabase(pg_base_url_));
    TUTTI_RETURN_IF_ERROR(base->Transact(
        storage::TransactionMode::kWrite,
        [&](storage::SqlSession& s) { return s.ExecuteScript("CREATE SCHEMA " + schema); }));
    pg_schema_ = schema;
    // Every pooled connection of this fixture sees only its own schema.
    database_url_ = pg_base_url_ + (pg_base_url_.find('?') == std::string::npos ? "?" : "&") +
                    "options=-csearch_path%3D" + schema;
  }
  TUTTI_ASSIGN_OR_RETURN(db_, storage::OpenDatabase(database_url_));
  TUTTI_RETURN_IF_ERROR(storage::ApplyMigrations(*db_).status());
  store_ = std::make_unique<storage::Store>(*db_, clock_);
  if (options_.seed_demo && !from_template) {
    std::ostringstream ignored;
    TUTTI_RETURN_IF_ERROR(cli::SeedDemo(*store_, ignored));
  }
  return OkStatus();
}

Status TestServer::LoadDemoWorld() {
  struct OrgSlot {
    const char* name;
    std::string* id;
  };
  for (const OrgSlot& slot :
       {OrgSlot{"Acme Beverages", &demo_.host_org}, OrgSlot{"StreamCo", &demo_.streamco},
        OrgSlot{"Nova Sports", &demo_.nova}, OrgSlot{"Lumen Creators", &demo_.lumen},
        OrgSlot{"Orbit Media", &demo_.orbit}}) {
    TUTTI_ASSIGN_OR_RETURN(auto org, store_->FindOrgByName(slot.name));
    *slot.id = org.id;
  }
  for (const std::string& email : demo::AllEmails()) {
    TUTTI_ASSIGN_OR_RETURN(auto user, store_->FindUserByEmail(email));
    demo_.users[email] = user.id;
  }
  TUTTI_ASSIGN_OR_RETURN(auto activations, store_->ListActivationsVisibleTo(demo_.host_org));
  for (const auto& a : activations) {
    if (a.document.value("name", "") == "Summer Splash 2026") demo_.activation = a.id;
  }
  if (demo_.activation.empty()) return NotFound("the demo activation is missing");
  TUTTI_ASSIGN_OR_RETURN(auto workstreams, store_->ListWorkstreams(demo_.activation));
  for (const auto& w : workstreams) demo_.workstreams[w.kind] = w.id;
  return OkStatus();
}

Status TestServer::Start() {
  TUTTI_RETURN_IF_ERROR(InitCrypto());
  TUTTI_RETURN_IF_ERROR(StartDatabase());
  if (options_.seed_demo) TUTTI_RETURN_IF_ERROR(LoadDemoWorld());
  auth_ = std::make_unique<http::AuthService>(*store_, http::AuthConfig{});
  http::ServerConfig config;
  config.host = kHost;
  config.port = 0;
  config.web_root = (dir_ / "web").string();  // no UI needed; keeps the source tree out of it
  config.identifier_secret = std::string(kIdentifierSecret);
  config.min_aggregate_users = options_.min_aggregate_users;
  config.max_upload_bytes = options_.max_upload_bytes;
  config.max_ingest_bytes = options_.max_ingest_bytes;
  config.data_dir = data_dir().string();
  config.max_asset_bytes = options_.max_asset_bytes;
  server_ = std::make_unique<http::Server>(*store_, *auth_, config);
  TUTTI_ASSIGN_OR_RETURN(port_, server_->Bind());
  thread_ = std::thread([this] { serve_status_ = server_->Serve(); });
  serving_ = true;
  client_ = std::make_unique<HttpClient>(kHost, port_);
  // Wait until the listener loop runs, so that Stop() cannot race ahead of it.
  for (int attempt = 0; attempt < 500; ++attempt) {
    if (client_->Get("/healthz").status == 200) return OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Unavailable("the test server did not answer /healthz");
}

void TestServer::Stop() {
  if (!serving_) return;
  server_->Stop();
  thread_.join();
  serving_ = false;
  if (!serve_status_.ok()) ADD_FAILURE() << "Serve() returned " << serve_status_.ToString();
}

const std::string& TestServer::Token(const std::string& email) {
  auto it = tokens_.find(email);
  if (it != tokens_.end()) return it->second;
  return tokens_[email] = client_->Login(email, demo::PasswordFor(email));
}

int64_t TestServer::AuditCount() {
  int64_t count = 0;
  Status walked = store_->ForEachAuditEntry([&](const governance::AuditEntry&) { ++count; });
  if (!walked.ok()) ADD_FAILURE() << "reading the audit chain: " << walked.ToString();
  return count;
}

std::string ExpandPath(const std::string& path_template,
                       const std::map<std::string, std::string>& params) {
  static const std::regex kParam(R"(\{([a-z_]+)\})");
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(path_template.begin(), path_template.end(), kParam);
       it != std::sregex_iterator(); ++it) {
    out += path_template.substr(last, static_cast<size_t>(it->position()) - last);
    auto param = params.find((*it)[1].str());
    out += param == params.end() ? "{" + (*it)[1].str() + "}" : param->second;
    last = static_cast<size_t>(it->position() + it->length());
  }
  return out + path_template.substr(last);
}

}  // namespace tutti::testing
