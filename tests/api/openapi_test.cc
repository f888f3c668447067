// Keeps the published OpenAPI document (src/tutti/http/openapi.json) honest: it must be a
// well-formed OpenAPI 3.1 document whose references resolve, describe exactly the routes the
// server registers (no undocumented route, no documented route without code), declare every
// path parameter, mark exactly the public routes as such, use the code's own vocabularies in
// its enums, and be what the running server serves at /api/v1/openapi.json.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/core/agreement.h"
#include "tutti/core/roles.h"
#include "tutti/http/api.h"
#include "tutti/http/auth.h"
#include "tutti/http/server.h"
#include "tutti/storage/database.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::http {
namespace {

constexpr std::string_view kHttpMethods[] = {"get",   "put",  "post",    "delete",
                                             "patch", "head", "options", "trace"};

bool IsHttpMethod(std::string_view key) {
  for (std::string_view m : kHttpMethods) {
    if (m == key) return true;
  }
  return false;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += "\n  " + item;
  return out;
}

std::set<std::string> Difference(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const std::string& x : a) {
    if (!b.contains(x)) out.insert(x);
  }
  return out;
}

std::set<std::string> NamesOf(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

// The target of a local reference ("#/components/schemas/Error"); nullptr when it does not
// resolve inside `doc`.
const Json* Resolve(const Json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    Json::json_pointer pointer(ref.substr(1));
    return doc.contains(pointer) ? &doc.at(pointer) : nullptr;
  } catch (const Json::exception&) {
    return nullptr;
  }
}

// Follows `$ref` (repeatedly) to the object it names; `value` itself when it has none.
const Json& Deref(const Json& doc, const Json& value) {
  const Json* at = &value;
  for (int hops = 0; hops < 16 && at->is_object() && at->contains("$ref"); ++hops) {
    const Json* next = Resolve(doc, at->at("$ref").get<std::string>());
    if (next == nullptr) break;
    at = next;
  }
  return *at;
}

// `key` escaped as a JSON-pointer token ("/healthz" -> "~1healthz").
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Every `$ref` under `value`, with the JSON pointer of where it occurs.
void CollectRefs(const Json& value, const std::string& where,
                 std::vector<std::pair<std::string, std::string>>* out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (key == "$ref" && child.is_string()) {
        out->emplace_back(where, child.get<std::string>());
      } else {
        CollectRefs(child, where + "/" + PointerToken(key), out);
      }
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      CollectRefs(value[i], where + "/" + std::to_string(i), out);
    }
  }
}

struct Operation {
  std::string method;  // upper case
  std::string path;
  const Json* path_item;
  const Json* operation;
  std::string Key() const { return method + " " + path; }
};

std::vector<Operation> Operations(const Json& doc) {
  std::vector<Operation> out;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (IsHttpMethod(key)) out.push_back(Operation{Upper(key), path, &item, &operation});
    }
  }
  return out;
}

// The enum of a schema named in components/schemas, or of a property of one (following refs
// and allOf/anyOf branches until an enum is found).
std::set<std::string> EnumAt(const Json& doc, const Json& schema) {
  const Json& s = Deref(doc, schema);
  if (s.contains("enum")) return s.at("enum").get<std::set<std::string>>();
  for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
    if (!s.contains(combinator)) continue;
    for (const Json& branch : s.at(combinator)) {
      std::set<std::string> found = EnumAt(doc, branch);
      if (!found.empty()) return found;
    }
  }
  if (s.contains("items")) return EnumAt(doc, s.at("items"));
  return {};
}

const Json& RequestSchema(const Json& doc, const std::string& method, const std::string& path) {
  const Json& operation = doc.at("paths").at(path).at(method);
  return Deref(doc, operation.at("requestBody").at("content").at("application/json").at("schema"));
}

// A Store on a SQLite file in a fresh temporary directory, removed afterwards.
class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tutti-openapi-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    dir_ = pattern;
    Result<std::unique_ptr<storage::Database>> db =
        storage::OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Result<std::vector<int>> migrated = storage::ApplyMigrations(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    store_ = std::make_unique<storage::Store>(*db_, SystemClock::Get());
    auth_ = std::make_unique<AuthService>(*store_, AuthConfig{});
  }

  void TearDown() override {
    auth_.reset();
    store_.reset();
    db_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<Route> ServerRoutes() { return Api(*store_, *auth_).Routes(); }

  const Json& doc_ = OpenApiDocument();
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(OpenApiTest, IsAnOpenApi31DocumentWithUniqueOperationIds) {
  ASSERT_TRUE(doc_.is_object());
  ASSERT_TRUE(doc_.contains("openapi") && doc_.at("openapi").is_string());
  EXPECT_TRUE(doc_.at("openapi").get<std::string>().starts_with("3.1"))
      << "openapi is " << doc_.at("openapi");
  EXPECT_EQ(doc_.value("jsonSchemaDialect", ""), "https://json-schema.org/draft/2020-12/schema");
  ASSERT_TRUE(doc_.contains("info"));
  EXPECT_FALSE(doc_.at("info").value("title", "").empty());
  EXPECT_FALSE(doc_.at("info").value("version", "").empty());
  ASSERT_TRUE(doc_.contains("paths") && doc_.at("paths").is_object());

  std::vector<Operation> operations = Operations(doc_);
  ASSERT_FALSE(operations.empty());
  std::map<std::string, std::string> seen;  // operationId -> operation
  for (const Operation& op : operations) {
    const Json& o = *op.operation;
    ASSERT_TRUE(o.contains("operationId") && o.at("operationId").is_string())
        << op.Key() << " has no operationId";
    std::string id = o.at("operationId").get<std::string>();
    EXPECT_FALSE(id.empty()) << op.Key();
    auto [it, fresh] = seen.emplace(id, op.Key());
    EXPECT_TRUE(fresh) << "operationId " << id << " is used by " << it->second << " and "
                       << op.Key();
    EXPECT_FALSE(o.value("summary", "").empty()) << op.Key() << " has no summary";
    EXPECT_TRUE(o.contains("tags") && o.at("tags").is_array() && !o.at("tags").empty())
        << op.Key() << " has no tags";
    ASSERT_TRUE(o.contains("responses") && o.at("responses").is_object() &&
                !o.at("responses").empty())
        << op.Key() << " has no responses";
    bool has_success = false;
    for (const auto& [status, response] : o.at("responses").items()) {
      has_success = has_success || status.starts_with("2");
      // Every error response uses the shared envelope.
      if (status.starts_with("4") || status.starts_with("5")) {
        const Json& r = Deref(doc_, response);
        ASSERT_TRUE(r.contains("content")) << op.Key() << " " << status;
        EXPECT_EQ(r.at("content").at("application/json").at("schema").value("$ref", ""),
                  "#/components/schemas/Error")
            << op.Key() << " " << status;
      }
    }
    EXPECT_TRUE(has_success) << op.Key() << " documents no 2xx response";
  }
}

TEST_F(OpenApiTest, EveryReferenceResolvesInsideTheDocument) {
  std::vector<std::pair<std::string, std::string>> refs;
  CollectRefs(doc_, "", &refs);
  ASSERT_FALSE(refs.empty());
  std::set<std::string> dangling;
  for (const auto& [where, ref] : refs) {
    if (Resolve(doc_, ref) == nullptr) dangling.insert(where + " -> " + ref);
  }
  EXPECT_TRUE(dangling.empty()) << "references that resolve to nothing:" << Join(dangling);
}

TEST_F(OpenApiTest, DescribesExactlyTheRoutesTheServerRegisters) {
  std::set<std::string> in_code;
  for (const Route& route : ServerRoutes()) {
    bool fresh = in_code.insert(route.method + " " + route.path).second;
    EXPECT_TRUE(fresh) << "route registered twice: " << route.method << " " << route.path;
  }
  std::set<std::string> in_doc;
  for (const Operation& op : Operations(doc_)) in_doc.insert(op.Key());
  ASSERT_FALSE(in_code.empty());

  std::set<std::string> undocumented = Difference(in_code, in_doc);
  std::set<std::string> unimplemented = Difference(in_doc, in_code);
  EXPECT_TRUE(undocumented.empty())
      << "routes served but missing from src/tutti/http/openapi.json:" << Join(undocumented);
  EXPECT_TRUE(unimplemented.empty())
      << "operations documented but not served by Api::Routes():" << Join(unimplemented);
}

TEST_F(OpenApiTest, MarksExactlyThePublicRoutesAsNeedingNoCredential) {
  ASSERT_TRUE(doc_.contains("security") && doc_.at("security").is_array() &&
              !doc_.at("security").empty())
      << "the document needs a global security requirement";
  std::set<std::string> public_in_code;
  std::set<std::string> all_in_code;
  for (const Route& route : ServerRoutes()) {
    all_in_code.insert(route.method + " " + route.path);
    if (!route.requires_auth) public_in_code.insert(route.method + " " + route.path);
  }
  std::set<std::string> public_in_doc;
  for (const Operation& op : Operations(doc_)) {
    const Json& o = *op.operation;
    bool is_public =
        o.contains("security") && o.at("security").is_array() && o.at("security").empty();
    if (is_public) public_in_doc.insert(op.Key());
    // A route that needs a credential says what happens without one.
    if (!is_public && all_in_code.contains(op.Key())) {
      EXPECT_TRUE(o.at("responses").contains("401")) << op.Key() << " does not document 401";
    }
  }
  EXPECT_EQ(public_in_doc, public_in_code)
      << "documented as public but needing auth:" << Join(Difference(public_in_doc, public_in_code))
      << "\nserved without auth but not documented `security: []`:"
      << Join(Difference(public_in_code, public_in_doc));
}

TEST_F(OpenApiTest, DeclaresEveryPathParameterOfEveryTemplate) {
  static const std::regex kParam(R"(\{([^}/]+)\})");
  std::set<std::string> problems;
  for (const Operation& op : Operations(doc_)) {
    std::set<std::string> in_template;
    for (auto it = std::sregex_iterator(op.path.begin(), op.path.end(), kParam);
         it != std::sregex_iterator(); ++it) {
      in_template.insert((*it)[1].str());
    }
    // Operation-level parameters override path-level ones with the same name and location.
    std::map<std::pair<std::string, std::string>, const Json*> declared;
    for (const Json* level : {op.path_item, op.operation}) {
      if (!level->contains("parameters")) continue;
      for (const Json& p : level->at("parameters")) {
        const Json& param = Deref(doc_, p);
        if (!param.contains("name") || !param.contains("in")) {
          problems.insert(op.Key() + ": a parameter lacks name or in");
          continue;
        }
        declared[{param.at("name").get<std::string>(), param.at("in").get<std::string>()}] = &param;
      }
    }
    std::set<std::string> in_parameters;
    for (const auto& [key, param] : declared) {
      if (key.second != "path") continue;
      in_parameters.insert(key.first);
      if (!param->value("required", false)) {
        problems.insert(op.Key() + ": path parameter " + key.first + " is not required: true");
      }
      if (!param->contains("schema")) {
        problems.insert(op.Key() + ": path parameter " + key.first + " has no schema");
      }
    }
    for (const std::string& name : Difference(in_template, in_parameters)) {
      problems.insert(op.Key() + ": {" + name + "} is not declared as a path parameter");
    }
    for (const std::string& name : Difference(in_parameters, in_template)) {
      problems.insert(op.Key() + ": path parameter " + name + " is not in the template");
    }
  }
  EXPECT_TRUE(problems.empty()) << Join(problems);
}

TEST_F(OpenApiTest, RequestBodiesRejectUnknownFieldsLikeTheServer) {
  std::set<std::string> open;
  for (const Operation& op : Operations(doc_)) {
    const Json& o = *op.operation;
    if (!o.contains("requestBody")) continue;
    EXPECT_TRUE(o.at("responses").contains("422")) << op.Key() << " does not document 422";
    EXPECT_TRUE(o.at("responses").contains("400")) << op.Key() << " does not document 400";
    const Json& content = Deref(doc_, o.at("requestBody")).at("content");
    if (!content.contains("application/json")) {
      // Event uploads are CSV or NDJSON files; each record is checked against its data contract.
      // Asset uploads are the file itself, whatever its bytes; the header decides its format.
      EXPECT_TRUE(content.contains("text/csv") || content.contains("application/octet-stream"))
          << op.Key() << " has a body of no known type";
      continue;
    }
    const Json& schema = Deref(doc_, content.at("application/json").at("schema"));
    if (schema.value("additionalProperties", Json(true)) != Json(false)) open.insert(op.Key());
  }
  EXPECT_TRUE(open.empty()) << "request bodies without additionalProperties: false:" << Join(open);
}

TEST_F(OpenApiTest, UsesTheVocabulariesOfTheCode) {
  const Json& schemas = doc_.at("components").at("schemas");
  EXPECT_EQ(EnumAt(doc_, schemas.at("Role")), NamesOf(core::kRoleNames));
  EXPECT_EQ(EnumAt(doc_, schemas.at("OrgKind")), NamesOf(core::kOrgKindNames));
  EXPECT_EQ(EnumAt(doc_, schemas.at("PartnerRole")), NamesOf(core::kPartnerRoleNames));
  EXPECT_EQ(EnumAt(doc_, schemas.at("ApiKeyScope")), NamesOf(core::kApiKeyScopeNames));

  // Through the request bodies, so that a body that stops referencing the shared enum fails too.
  const Json& create = RequestSchema(doc_, "post", "/api/v1/activations");
  EXPECT_EQ(EnumAt(doc_, create.at("properties").at("objective")), NamesOf(core::kObjectiveNames));
  EXPECT_EQ(EnumAt(doc_, create.at("properties").at("status")),
            NamesOf(core::kActivationStatusNames));
  const Json& user = RequestSchema(doc_, "post", "/api/v1/orgs/{org_id}/users");
  EXPECT_EQ(EnumAt(doc_, user.at("properties").at("role")), NamesOf(core::kRoleNames));
  const Json& user_patch = RequestSchema(doc_, "patch", "/api/v1/users/{user_id}");
  EXPECT_EQ(EnumAt(doc_, user_patch.at("properties").at("role")), NamesOf(core::kRoleNames));
  const Json& org = RequestSchema(doc_, "post", "/api/v1/orgs");
  EXPECT_EQ(EnumAt(doc_, org.at("properties").at("kind")), NamesOf(core::kOrgKindNames));
  const Json& workstream =
      RequestSchema(doc_, "post", "/api/v1/activations/{activation_id}/workstreams");
  EXPECT_EQ(EnumAt(doc_, workstream.at("properties").at("kind")),
            NamesOf(core::kWorkstreamKindNames));
  const Json& raci = Deref(doc_, workstream.at("properties").at("raci").at("items"));
  EXPECT_EQ(EnumAt(doc_, raci.at("properties").at("responsibility")), NamesOf(core::kRaciLetters));
  const Json& partner = RequestSchema(doc_, "post", "/api/v1/activations/{activation_id}/partners");
  EXPECT_EQ(EnumAt(doc_, partner.at("properties").at("role")), NamesOf(core::kPartnerRoleNames));
  const Json& partner_patch =
      RequestSchema(doc_, "patch", "/api/v1/activations/{activation_id}/partners/{org_id}");
  EXPECT_EQ(EnumAt(doc_, partner_patch.at("properties").at("role")),
            NamesOf(core::kPartnerRoleNames));
  const Json& key = RequestSchema(doc_, "post", "/api/v1/orgs/{org_id}/api-keys");
  EXPECT_EQ(EnumAt(doc_, key.at("properties").at("scopes")), NamesOf(core::kApiKeyScopeNames));
  EXPECT_EQ(key.at("properties").at("scopes").value("maxItems", size_t{0}),
            core::kApiKeyScopeNames.size());

  const Json& agreement =
      RequestSchema(doc_, "put", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement");
  const Json& terms = agreement.at("properties");
  EXPECT_EQ(EnumAt(doc_, terms.at("content_ownership")), NamesOf(core::kContentOwnershipNames));
  EXPECT_EQ(EnumAt(doc_, terms.at("data_sharing").at("properties").at("cadence")),
            NamesOf(core::kDataSharingCadenceNames));
  EXPECT_EQ(EnumAt(doc_, terms.at("data_sharing").at("properties").at("scope")),
            NamesOf(core::kDataSharingScopeNames));

  // The per-operation API-key requirements name only scopes that exist.
  std::set<std::string> scopes = NamesOf(core::kApiKeyScopeNames);
  for (const Operation& op : Operations(doc_)) {
    const Json& o = *op.operation;
    if (!o.contains("x-tutti-api-key")) continue;
    for (const Json& scope : o.at("x-tutti-api-key").value("scopes", Json::array())) {
      EXPECT_TRUE(scopes.contains(scope.get<std::string>())) << op.Key() << ": " << scope;
    }
  }
}

// Serves on 127.0.0.1 with an OS-chosen port until destroyed.
class RunningServer {
 public:
  static ServerConfig LoopbackAnyPort() {
    ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    return config;
  }
  RunningServer(storage::Store& store, AuthService& auth)
      : server_(store, auth, LoopbackAnyPort()) {}
  ~RunningServer() {
    if (!thread_.joinable()) return;
    // Stop() is a no-op until the accept loop runs, so repeat it until Serve() has returned.
    while (!stopped_) {
      server_.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  Result<int> Start() {
    Result<int> port = server_.Bind();
    if (!port.ok()) return port;
    thread_ = std::thread([this] {
      Status served = server_.Serve();
      if (!served.ok()) ADD_FAILURE() << served.ToString();
      stopped_ = true;
    });
    return port;
  }

 private:
  Server server_;
  std::thread thread_;
  std::atomic<bool> stopped_{false};
};

TEST_F(OpenApiTest, IsServedByTheRunningServer) {
  RunningServer server(*store_, *auth_);
  Result<int> port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status().ToString();

  httplib::Client client("127.0.0.1", *port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(10));
  httplib::Result res = client.Get("/api/v1/openapi.json");  // no credential: a public route
  ASSERT_TRUE(res) << "no response: " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(res->get_header_value("Content-Type").starts_with("application/json"))
      << res->get_header_value("Content-Type");
  Json served = Json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(served.is_discarded()) << "not JSON: " << res->body.substr(0, 200);
  EXPECT_TRUE(served == OpenApiDocument()) << "the served document differs from the compiled one";
}

}  // namespace
}  // namespace tutti::http
