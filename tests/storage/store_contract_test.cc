// The storage::Store contract, run against every backend on a freshly migrated database: SQLite
// on a file in a temporary directory, and PostgreSQL at $TUTTI_TEST_POSTGRES_URL in a schema of
// its own per test (created in SetUp, selected through the URL's `options=-csearch_path=…`, and
// dropped in TearDown), so tests never see each other's rows. Without that variable the
// PostgreSQL instances fail, unless TUTTI_ALLOW_NO_POSTGRES=1 turns them into skips.
//
// Time comes from a ManualClock, so expiry and ordering are deterministic.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/backends.h"
#include "tutti/base/crypto.h"
#include "tutti/base/ids.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"
#include "tutti/core/workstream.h"
#include "tutti/governance/audit_chain.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using governance::AuditEntry;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using tutti::testing::Backend;

// Unwraps a Result a test cannot continue without; a failure throws, which GoogleTest reports as
// a failure of the test with the status in the message.
template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) {
    throw std::runtime_error(std::string(what) + " failed: " + result.status().ToString());
  }
  return std::move(result).value();
}

Status Allow(const ActivationRecord&) { return OkStatus(); }
Status Deny(const ActivationRecord&) { return PermissionDenied("not allowed in this test"); }

Json Brief(const Json& patch) {
  Result<Json> valid = core::ValidateActivationPatch(patch, /*creating=*/true);
  if (!valid.ok()) throw std::runtime_error("bad test brief: " + valid.status().ToString());
  return core::ApplyActivationPatch(core::EmptyActivationDocument(), *valid);
}

Json Workstream(const Json& patch) {
  Result<Json> valid = core::ValidateWorkstreamPatch(patch, /*creating=*/true, "");
  if (!valid.ok()) throw std::runtime_error("bad test workstream: " + valid.status().ToString());
  return *valid;
}

Json Agreement(int64_t turnaround_hours) {
  Result<Json> valid = core::ValidateAgreement(
      Json{{"content_ownership", "host"}, {"approval_turnaround_hours", turnaround_hours}});
  if (!valid.ok()) throw std::runtime_error("bad test agreement: " + valid.status().ToString());
  return *valid;
}

// A host brand with an owner and a workstream owner, two partners in its activation (p1 with an
// admin), and an unrelated partner organisation with an admin.
struct World {
  OrgRecord host, p1, p2, outsider, other_host;
  UserRecord owner, ws_owner, p1_admin, outsider_admin;
  ActivationRecord activation;
  Actor as_owner;
};

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "tutti-store-XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
      temp_dir_ = pattern;
    } else {
      TUTTI_REQUIRE_POSTGRES();
      const std::string url = tutti::testing::PostgresTestUrl();
      postgres_base_url_ = url;
      auto admin = OpenDatabase(postgres_base_url_);
      ASSERT_TRUE(admin.ok()) << admin.status().ToString();
      admin_ = std::move(admin).value();
    }
    auto opened = OpenFreshDatabase();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    auto applied = ApplyMigrations(*db_);
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    first_applied_ = *applied;
    store_ = std::make_unique<Store>(*db_, clock_);
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
    for (const std::string& schema : schemas_) {
      Status dropped = admin_->Transact(TransactionMode::kWrite, [&](SqlSession& s) {
        return s.ExecuteScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      });
      EXPECT_TRUE(dropped.ok()) << dropped.ToString();
    }
    admin_.reset();
    if (!temp_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir_, ignored);
    }
  }

  // A database nobody has used yet: a new file, or a new PostgreSQL schema.
  Result<std::unique_ptr<Database>> OpenFreshDatabase() {
    ++fresh_count_;
    if (GetParam() == Backend::kSqlite) {
      return OpenDatabase("sqlite:" +
                          (temp_dir_ / ("store-" + std::to_string(fresh_count_) + ".db")).string());
    }
    std::string schema = "t_" + HexEncode(RandomBytes(8));
    TUTTI_RETURN_IF_ERROR(admin_->Transact(TransactionMode::kWrite, [&](SqlSession& s) {
      return s.ExecuteScript("CREATE SCHEMA " + schema);
    }));
    schemas_.push_back(schema);
    std::string url = postgres_base_url_ +
                      (postgres_base_url_.find('?') == std::string::npos ? "?" : "&") +
                      "options=-csearch_path%3D" + schema;
    return OpenDatabase(url);
  }

  // ---- audit helpers ----

  std::vector<AuditEntry> AllAudit() {
    std::vector<AuditEntry> entries;
    Status status = store_->ForEachAuditEntry([&](const AuditEntry& e) { entries.push_back(e); });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return entries;
  }
  int64_t AuditCount() { return static_cast<int64_t>(AllAudit().size()); }
  AuditEntry LastAudit() {
    std::vector<AuditEntry> entries = AllAudit();
    if (entries.empty()) throw std::runtime_error("the audit log is empty");
    return entries.back();
  }
  void ExpectChainVerifies() {
    governance::AuditChainVerifier verifier;
    int64_t visited = 0;
    Status status = store_->ForEachAuditEntry([&](const AuditEntry& e) {
      verifier.Add(e);
      ++visited;
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
    Status verdict = verifier.Finish();
    EXPECT_TRUE(verdict.ok()) << verdict.ToString();
    EXPECT_EQ(verifier.entries(), visited);
  }
  // Expects exactly one entry appended since the log held `count_before` entries.
  void ExpectOneEntry(int64_t count_before, const std::string& entity_type,
                      const std::string& entity_id, const std::string& action) {
    std::vector<AuditEntry> entries = AllAudit();
    ASSERT_EQ(static_cast<int64_t>(entries.size()), count_before + 1)
        << "expected exactly one entry for " << entity_type << " " << action;
    const AuditEntry& e = entries.back();
    EXPECT_EQ(e.entity_type, entity_type);
    EXPECT_EQ(e.entity_id, entity_id);
    EXPECT_EQ(e.action, action);
    EXPECT_EQ(e.at, FormatInstant(clock_.Now()));
  }

  // ---- fixtures of the domain ----

  OrgRecord Org(const std::string& name, const std::string& kind) {
    return Must(store_->CreateOrg(name, kind, cli_), "CreateOrg");
  }
  UserRecord User(const OrgRecord& org, const std::string& email, const std::string& role) {
    return Must(store_->CreateUser(org.id, email, email.substr(0, email.find('@')), role,
                                   "$argon2id$not-a-real-hash", cli_),
                "CreateUser");
  }
  ActivationRecord Activation(const OrgRecord& host, const Actor& actor,
                              const std::string& name = "Summer Splash 2026") {
    return Must(
        store_->CreateActivation(
            host.id,
            Brief(Json{{"name", name},
                       {"objective", "lead_generation"},
                       {"markets", Json::array({Json{{"name", "US"}, {"tz", "America/New_York"}}})},
                       {"budget", Json{{"amount_micros", 5'000'000'000}, {"currency", "EUR"}}}}),
            std::nullopt, actor),
        "CreateActivation");
  }
  World MakeWorld() {
    World w;
    w.host = Org("Acme Beverages", "host");
    w.p1 = Org("StreamCo", "partner");
    w.p2 = Org("Nova Sports", "partner");
    w.outsider = Org("Orbit Media", "partner");
    w.other_host = Org("Globex Foods", "host");
    w.owner = User(w.host, "olivia@acme.example", "owner");
    w.ws_owner = User(w.host, "wanda@acme.example", "workstream_owner");
    w.p1_admin = User(w.p1, "sam@streamco.example", "partner_admin");
    w.outsider_admin = User(w.outsider, "una@orbit.example", "partner_admin");
    w.as_owner = Actor{w.owner.id, w.host.id};
    w.activation = Activation(w.host, w.as_owner);
    Must(store_->AddParticipant(w.activation.id, w.p1.id, "media", std::nullopt, w.as_owner, Allow),
         "AddParticipant p1");
    Must(store_->AddParticipant(w.activation.id, w.p2.id, "co_brand", std::nullopt, w.as_owner,
                                Allow),
         "AddParticipant p2");
    w.activation = Must(store_->GetActivation(w.activation.id), "GetActivation");
    return w;
  }

  ManualClock clock_{Instant(std::chrono::sys_days(std::chrono::year{2026} / 6 / 1)) + hours(9)};
  const Actor cli_{"cli", ""};
  std::filesystem::path temp_dir_;
  std::string postgres_base_url_;
  std::unique_ptr<Database> admin_;  // PostgreSQL only: creates and drops the schemas
  std::vector<std::string> schemas_;
  int fresh_count_ = 0;
  std::unique_ptr<Database> db_;
  std::vector<int> first_applied_;
  std::unique_ptr<Store> store_;
};

// ---- migrations ----

TEST_P(StoreContract, MigrationsApplyOnceAndReportTheLatestVersion) {
  std::vector<int> all;
  for (const Migration& m : AllMigrations()) all.push_back(m.version);
  EXPECT_EQ(first_applied_, all);

  auto again = ApplyMigrations(*db_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->empty()) << "a second run must apply nothing";

  auto version = SchemaVersion(*db_);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, AllMigrations().back().version);
}

TEST_P(StoreContract, SchemaVersionOfAnEmptyDatabaseIsZero) {
  auto fresh = OpenFreshDatabase();
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  auto version = SchemaVersion(**fresh);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, 0);
}

TEST_P(StoreContract, ConcurrentFirstMigrationsAllSucceedAndApplyEachVersionOnce) {
  auto fresh = OpenFreshDatabase();
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  Database& db = **fresh;
  constexpr int kAppliers = 4;
  std::vector<Result<std::vector<int>>> results(kAppliers, Internal("did not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kAppliers; ++i) {
    threads.emplace_back([&, i] { results[static_cast<size_t>(i)] = ApplyMigrations(db); });
  }
  for (std::thread& t : threads) t.join();
  std::vector<int> applied;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    applied.insert(applied.end(), result->begin(), result->end());
  }
  EXPECT_EQ(applied.size(), AllMigrations().size()) << "each version applied by exactly one";
  EXPECT_EQ(Must(SchemaVersion(db), "SchemaVersion"), AllMigrations().back().version);
}

TEST_P(StoreContract, EachTestWorksInADatabaseOfItsOwn) {
  std::vector<Row> rows;
  Status status = db_->Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    if (s.dialect() == Dialect::kPostgres) {
      TUTTI_ASSIGN_OR_RETURN(rows, s.Query("SELECT current_schema()"));
    } else {
      TUTTI_ASSIGN_OR_RETURN(rows, s.Query("SELECT COUNT(*) FROM orgs"));
    }
    return OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(rows.size(), 1u);
  if (GetParam() == Backend::kPostgres) {
    ASSERT_FALSE(schemas_.empty());
    EXPECT_EQ(rows[0].Text(0), schemas_.front());
  } else {
    EXPECT_EQ(rows[0].Int(0), 0);
  }
  EXPECT_EQ(AuditCount(), 0);
}

// ---- organisations and users ----

TEST_P(StoreContract, CreatesFindsAndListsOrganisations) {
  OrgRecord host = Org("Acme Beverages", "host");
  EXPECT_TRUE(LooksLikeId(host.id, "org")) << host.id;
  EXPECT_EQ(host.created_at, FormatInstant(clock_.Now()));
  OrgRecord partner = Org("StreamCo", "partner");

  OrgRecord got = Must(store_->GetOrg(host.id), "GetOrg");
  EXPECT_EQ(got.name, "Acme Beverages");
  EXPECT_EQ(got.kind, "host");
  EXPECT_EQ(Must(store_->FindOrgByName("StreamCo"), "FindOrgByName").id, partner.id);
  EXPECT_EQ(store_->FindOrgByName("streamco").status().code(), StatusCode::kNotFound)
      << "organisation names match exactly";
  EXPECT_EQ(store_->GetOrg(NewId("org")).status().code(), StatusCode::kNotFound);

  std::vector<OrgRecord> all = Must(store_->ListOrgs(), "ListOrgs");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Acme Beverages");
  EXPECT_EQ(all[1].name, "StreamCo");
}

TEST_P(StoreContract, DuplicateOrganisationNameIsAlreadyExistsAndWritesNothing) {
  Org("Acme Beverages", "host");
  int64_t entries = AuditCount();
  Result<OrgRecord> duplicate = store_->CreateOrg("Acme Beverages", "partner", cli_);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().field(), "name");
  EXPECT_EQ(Must(store_->ListOrgs(), "ListOrgs").size(), 1u);
  EXPECT_EQ(AuditCount(), entries);
}

TEST_P(StoreContract, UnknownOrganisationKindIsRefusedByTheSchema) {
  Result<OrgRecord> odd = store_->CreateOrg("Odd", "vendor", cli_);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().code(), StatusCode::kFailedPrecondition) << odd.status().ToString();
  EXPECT_EQ(AuditCount(), 0);
}

TEST_P(StoreContract, NormalisesEmailsAndKeepsThemUnique) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord alice = Must(store_->CreateUser(host.id, "  Alice@Example.COM \n", "Alice", "owner",
                                             "$argon2id$hash", cli_),
                          "CreateUser");
  EXPECT_EQ(alice.email, "alice@example.com");
  EXPECT_TRUE(LooksLikeId(alice.id, "usr")) << alice.id;
  EXPECT_EQ(alice.org_name, "Acme Beverages");
  EXPECT_EQ(alice.org_kind, "host");

  EXPECT_EQ(Must(store_->FindUserByEmail("ALICE@example.com"), "FindUserByEmail").id, alice.id);
  EXPECT_EQ(Must(store_->GetUser(alice.id), "GetUser").password_hash, "$argon2id$hash");
  EXPECT_EQ(store_->FindUserByEmail("bob@example.com").status().code(), StatusCode::kNotFound);

  int64_t entries = AuditCount();
  Result<UserRecord> duplicate =
      store_->CreateUser(host.id, "alice@EXAMPLE.com", "Alice 2", "viewer", "$argon2id$h", cli_);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().field(), "email");
  EXPECT_EQ(AuditCount(), entries);
  EXPECT_EQ(Must(store_->ListUsers(host.id), "ListUsers").size(), 1u);
}

TEST_P(StoreContract, UserJsonNeverCarriesThePasswordHash) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord alice = User(host, "alice@example.com", "owner");
  EXPECT_FALSE(alice.ToJson().contains("password_hash"));
  AuditEntry created = LastAudit();
  EXPECT_EQ(created.after->find("not-a-real-hash"), std::string::npos) << *created.after;
}

TEST_P(StoreContract, CreateUserInAMissingOrganisationIsNotFound) {
  Result<UserRecord> user =
      store_->CreateUser(NewId("org"), "a@example.com", "A", "owner", "$argon2id$h", cli_);
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), 0);
}

TEST_P(StoreContract, UpdateUserAuditsARoleChange) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "contributor");
  int64_t entries = AuditCount();
  UserRecord changed = Must(store_->UpdateUser(felix.id, Json{{"role", "facilitator"}}, cli_,
                                               [](const UserRecord&) { return OkStatus(); }),
                            "UpdateUser");
  EXPECT_EQ(changed.role, "facilitator");
  ExpectOneEntry(entries, "user", felix.id, "role_changed");
  EXPECT_EQ(Json::parse(*LastAudit().before)["role"], "contributor");
  EXPECT_EQ(Json::parse(*LastAudit().after)["role"], "facilitator");

  entries = AuditCount();
  Must(store_->UpdateUser(felix.id, Json{{"name", "Felix H."}}, cli_,
                          [](const UserRecord&) { return OkStatus(); }),
       "UpdateUser");
  ExpectOneEntry(entries, "user", felix.id, "updated");
}

TEST_P(StoreContract, UpdateUserDeniedWritesNothing) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "contributor");
  int64_t entries = AuditCount();
  Result<UserRecord> denied =
      store_->UpdateUser(felix.id, Json{{"role", "owner"}}, cli_,
                         [](const UserRecord&) { return PermissionDenied("no"); });
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Must(store_->GetUser(felix.id), "GetUser").role, "contributor");
  EXPECT_EQ(AuditCount(), entries);
}

TEST_P(StoreContract, DisablingAUserEndsTheirSessions) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "contributor");
  ASSERT_TRUE(store_
                  ->RecordLogin(felix, "digest-1", clock_.Now() + hours(12),
                                clock_.Now() + minutes(30), "127.0.0.1")
                  .ok());
  ASSERT_TRUE(store_->FindSession("digest-1").ok());
  Must(store_->UpdateUser(felix.id, Json{{"disabled", true}}, cli_,
                          [](const UserRecord&) { return OkStatus(); }),
       "UpdateUser");
  EXPECT_EQ(store_->FindSession("digest-1").status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(Must(store_->GetUser(felix.id), "GetUser").disabled);
}

TEST_P(StoreContract, ReplacePasswordHashIsAuditedWithoutTheHash) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "contributor");
  int64_t entries = AuditCount();
  ASSERT_TRUE(store_->ReplacePasswordHash(felix.id, "$argon2id$stronger").ok());
  EXPECT_EQ(Must(store_->GetUser(felix.id), "GetUser").password_hash, "$argon2id$stronger");
  ExpectOneEntry(entries, "user", felix.id, "password_rehashed");
  AuditEntry e = LastAudit();
  EXPECT_EQ(e.actor_id, "system");
  EXPECT_FALSE(e.after.has_value());

  entries = AuditCount();
  EXPECT_EQ(store_->ReplacePasswordHash(NewId("usr"), "$argon2id$x").code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), entries);
}

// ---- activations ----

TEST_P(StoreContract, CreatesAndReadsAnActivation) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord owner = User(host, "olivia@acme.example", "owner");
  Actor as_owner{owner.id, host.id};
  int64_t entries = AuditCount();
  ActivationRecord created = Activation(host, as_owner);
  EXPECT_TRUE(LooksLikeId(created.id, "act")) << created.id;
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.host_org_name, "Acme Beverages");
  EXPECT_EQ(created.created_by, owner.id);
  ExpectOneEntry(entries, "activation", created.id, "created");
  EXPECT_EQ(LastAudit().activation_id, created.id);
  EXPECT_EQ(LastAudit().actor_org_id, host.id);

  ActivationRecord got = Must(store_->GetActivation(created.id), "GetActivation");
  EXPECT_EQ(got.document, created.document);
  EXPECT_EQ(got.document["name"], "Summer Splash 2026");
  EXPECT_EQ(got.document["status"], "draft");
  EXPECT_EQ(got.document["markets"][0]["tz"], "America/New_York");
  EXPECT_EQ(got.document["budget"]["amount_micros"], 5'000'000'000);
  EXPECT_TRUE(got.participants.empty());
  EXPECT_EQ(store_->GetActivation(NewId("act")).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, ActivationsAreVisibleToTheHostAndItsPartnersOnly) {
  World w = MakeWorld();
  auto ids_visible_to = [&](const OrgRecord& org) {
    std::set<std::string> ids;
    for (const auto& a : Must(store_->ListActivationsVisibleTo(org.id), "List")) ids.insert(a.id);
    return ids;
  };
  const std::set<std::string> just_it{w.activation.id};
  EXPECT_EQ(ids_visible_to(w.host), just_it);
  EXPECT_EQ(ids_visible_to(w.p1), just_it);
  EXPECT_EQ(ids_visible_to(w.p2), just_it);
  EXPECT_TRUE(ids_visible_to(w.outsider).empty());
  EXPECT_TRUE(ids_visible_to(w.other_host).empty());

  std::vector<ActivationRecord> listed = Must(store_->ListActivationsVisibleTo(w.p1.id), "List");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].participants.size(), 2u) << "lists carry the participants";
  EXPECT_NE(listed[0].FindParticipant(w.p1.id), nullptr);
}

TEST_P(StoreContract, ListsActivationsNewestFirst) {
  OrgRecord host = Org("Acme Beverages", "host");
  ActivationRecord first = Activation(host, cli_, "First");
  clock_.Advance(seconds(1));
  ActivationRecord second = Activation(host, cli_, "Second");
  clock_.Advance(seconds(1));
  ActivationRecord third = Activation(host, cli_, "Third");
  std::vector<ActivationRecord> listed = Must(store_->ListActivationsVisibleTo(host.id), "List");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].id, third.id);
  EXPECT_EQ(listed[1].id, second.id);
  EXPECT_EQ(listed[2].id, first.id);
}

TEST_P(StoreContract, UpdateActivationBumpsTheVersionAndAuditsBeforeAndAfter) {
  World w = MakeWorld();
  clock_.Advance(minutes(5));
  int64_t entries = AuditCount();
  ActivationRecord updated =
      Must(store_->UpdateActivation(w.activation.id, Json{{"status", "planning"}}, int64_t{1},
                                    w.as_owner, Allow),
           "UpdateActivation");
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.document["status"], "planning");
  EXPECT_EQ(updated.document["name"], "Summer Splash 2026") << "unpatched keys are kept";
  EXPECT_EQ(updated.updated_at, FormatInstant(clock_.Now()));
  ExpectOneEntry(entries, "activation", w.activation.id, "updated");
  AuditEntry e = LastAudit();
  EXPECT_EQ(Json::parse(*e.before)["status"], "draft");
  EXPECT_EQ(Json::parse(*e.after)["status"], "planning");
  EXPECT_EQ(e.actor_id, w.owner.id);

  ActivationRecord unguarded =
      Must(store_->UpdateActivation(w.activation.id, Json{{"name", "Summer Splash"}}, std::nullopt,
                                    w.as_owner, Allow),
           "UpdateActivation without a version");
  EXPECT_EQ(unguarded.version, 3);
  EXPECT_EQ(Must(store_->GetActivation(w.activation.id), "Get").document["name"], "Summer Splash");
}

TEST_P(StoreContract, StaleVersionIsAbortedAndWritesNothing) {
  World w = MakeWorld();
  Must(store_->UpdateActivation(w.activation.id, Json{{"status", "planning"}}, int64_t{1},
                                w.as_owner, Allow),
       "first update");
  int64_t entries = AuditCount();
  ActivationRecord before = Must(store_->GetActivation(w.activation.id), "Get");

  Result<ActivationRecord> stale = store_->UpdateActivation(
      w.activation.id, Json{{"status", "live"}}, int64_t{1}, w.as_owner, Allow);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted) << stale.status().ToString();
  EXPECT_EQ(stale.status().field(), "version");

  ActivationRecord after = Must(store_->GetActivation(w.activation.id), "Get");
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.document, before.document);
  EXPECT_EQ(after.updated_at, before.updated_at);
  EXPECT_EQ(AuditCount(), entries) << "a refused update must leave no audit entry";
}

TEST_P(StoreContract, PlanDocumentsAreVersionedAuditedAndGuardedAgainstStaleWrites) {
  World w = MakeWorld();
  PlanDocuments none = Must(store_->GetPlanDocuments(w.activation.id), "GetPlanDocuments");
  EXPECT_FALSE(none.plan);
  EXPECT_FALSE(none.content_calendar);
  EXPECT_EQ(none.version, 0);
  EXPECT_EQ(store_->GetPlanDocuments(NewId("act")).status().code(), StatusCode::kNotFound);

  const Json plan{{"launch", {{"at", "2026-06-01T13:00:00Z"}}}, {"milestones", Json::array()}};
  const Json calendar{{"posts", Json::array()}};
  clock_.Advance(minutes(5));
  int64_t entries = AuditCount();
  PlanDocuments first =
      Must(store_->PutPlanDocument(w.activation.id, "plan", plan, int64_t{0}, w.as_owner, Allow),
           "first PutPlanDocument");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.plan, plan);
  EXPECT_FALSE(first.content_calendar);
  EXPECT_EQ(first.updated_at, FormatInstant(clock_.Now()));
  ExpectOneEntry(entries, "plan", w.activation.id, "updated");
  AuditEntry created = LastAudit();
  EXPECT_FALSE(created.before);
  EXPECT_EQ(Json::parse(*created.after), plan);
  EXPECT_EQ(created.activation_id, w.activation.id);

  entries = AuditCount();
  PlanDocuments second = Must(store_->PutPlanDocument(w.activation.id, "content_calendar", calendar,
                                                      int64_t{1}, w.as_owner, Allow),
                              "second PutPlanDocument");
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.plan, plan) << "writing one document keeps the other";
  EXPECT_EQ(second.content_calendar, calendar);
  ExpectOneEntry(entries, "content_calendar", w.activation.id, "updated");

  entries = AuditCount();
  Result<PlanDocuments> stale = store_->PutPlanDocument(
      w.activation.id, "plan", Json{{"milestones", Json::array()}}, int64_t{1}, w.as_owner, Allow);
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted) << stale.status().ToString();
  EXPECT_EQ(stale.status().field(), "version");
  Result<PlanDocuments> denied = store_->PutPlanDocument(w.activation.id, "plan", Json::object(),
                                                         std::nullopt, w.as_owner, Deny);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_
                ->PutPlanDocument(w.activation.id, "brief", Json::object(), std::nullopt,
                                  w.as_owner, Allow)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AuditCount(), entries) << "refused writes must leave no audit entry";
  PlanDocuments now = Must(store_->GetPlanDocuments(w.activation.id), "GetPlanDocuments");
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.plan, plan);
  ExpectChainVerifies();
}

TEST_P(StoreContract, UpdateOfAMissingActivationIsNotFound) {
  Result<ActivationRecord> missing =
      store_->UpdateActivation(NewId("act"), Json{{"status", "live"}}, std::nullopt, cli_, Allow);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), 0);
}

TEST_P(StoreContract, DeniedAuthorizationWritesNothing) {
  World w = MakeWorld();
  ActivationRecord before = Must(store_->GetActivation(w.activation.id), "Get");
  int64_t entries = AuditCount();
  const Actor outsider{w.outsider_admin.id, w.outsider.id};

  struct Attempt {
    const char* what;
    std::function<Status()> run;
  };
  const Attempt attempts[] = {
      {"UpdateActivation",
       [&] {
         return store_
             ->UpdateActivation(w.activation.id, Json{{"status", "live"}}, std::nullopt, outsider,
                                Deny)
             .status();
       }},
      {"AddParticipant",
       [&] {
         return store_
             ->AddParticipant(w.activation.id, w.outsider.id, "media", std::nullopt, outsider, Deny)
             .status();
       }},
      {"UpdateParticipant",
       [&] {
         return store_
             ->UpdateParticipant(w.activation.id, w.p1.id, Json{{"facilitator", true}}, outsider,
                                 Deny)
             .status();
       }},
      {"PutAgreement",
       [&] {
         return store_->PutAgreement(w.activation.id, w.p1.id, Agreement(24), outsider, Deny)
             .status();
       }},
      {"CreateWorkstream",
       [&] {
         return store_
             ->CreateWorkstream(
                 w.activation.id,
                 Workstream(Json{
                     {"kind", "media"}, {"name", "Paid media"}, {"primary_owner_id", w.owner.id}}),
                 outsider, Deny)
             .status();
       }},
      {"SavePlaybook",
       [&] { return store_->SavePlaybook(w.activation.id, "Summer", outsider, Deny).status(); }},
  };
  for (const Attempt& attempt : attempts) {
    Status status = attempt.run();
    EXPECT_EQ(status.code(), StatusCode::kPermissionDenied)
        << attempt.what << ": " << status.ToString();
  }

  ActivationRecord after = Must(store_->GetActivation(w.activation.id), "Get");
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.document, before.document);
  ASSERT_EQ(after.participants.size(), 2u);
  for (const ParticipationRecord& p : after.participants) {
    EXPECT_FALSE(p.facilitator) << p.org_name;
    EXPECT_FALSE(p.agreement.has_value()) << p.org_name;
  }
  EXPECT_TRUE(Must(store_->ListWorkstreams(w.activation.id), "ListWorkstreams").empty());
  EXPECT_TRUE(Must(store_->ListPlaybooks(w.host.id), "ListPlaybooks").empty());
  EXPECT_EQ(AuditCount(), entries);
}

TEST_P(StoreContract, AuthorizeSeesTheActivationAsStored) {
  World w = MakeWorld();
  std::string seen_host;
  size_t seen_participants = 0;
  Must(store_->UpdateActivation(w.activation.id, Json{{"status", "live"}}, std::nullopt, w.as_owner,
                                [&](const ActivationRecord& a) {
                                  seen_host = a.host_org_id;
                                  seen_participants = a.participants.size();
                                  return OkStatus();
                                }),
       "UpdateActivation");
  EXPECT_EQ(seen_host, w.host.id);
  EXPECT_EQ(seen_participants, 2u);
}

// ---- participants and agreements ----

TEST_P(StoreContract, AddsAPartnerOnceAndOnlyPartnerOrganisations) {
  World w = MakeWorld();
  int64_t entries = AuditCount();
  ParticipationRecord added =
      Must(store_->AddParticipant(w.activation.id, w.outsider.id, "influencer", std::nullopt,
                                  w.as_owner, Allow),
           "AddParticipant");
  EXPECT_EQ(added.org_name, "Orbit Media");
  EXPECT_EQ(added.role, "influencer");
  EXPECT_FALSE(added.facilitator);
  ExpectOneEntry(entries, "participation", w.activation.id + ":" + w.outsider.id, "partner_added");
  EXPECT_EQ(LastAudit().activation_id, w.activation.id);

  entries = AuditCount();
  auto duplicate = store_->AddParticipant(w.activation.id, w.outsider.id, "media", std::nullopt,
                                          w.as_owner, Allow);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().field(), "org_id");

  auto host_kind = store_->AddParticipant(w.activation.id, w.other_host.id, "co_brand",
                                          std::nullopt, w.as_owner, Allow);
  EXPECT_EQ(host_kind.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(host_kind.status().reason(), "not_a_partner");

  auto itself = store_->AddParticipant(w.activation.id, w.host.id, "co_brand", std::nullopt,
                                       w.as_owner, Allow);
  EXPECT_EQ(itself.status().code(), StatusCode::kInvalidArgument);

  auto unknown = store_->AddParticipant(w.activation.id, NewId("org"), "media", std::nullopt,
                                        w.as_owner, Allow);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().field(), "org_id");

  auto no_activation =
      store_->AddParticipant(NewId("act"), w.outsider.id, "media", std::nullopt, w.as_owner, Allow);
  EXPECT_EQ(no_activation.status().code(), StatusCode::kNotFound);

  EXPECT_EQ(AuditCount(), entries);
  EXPECT_EQ(Must(store_->GetActivation(w.activation.id), "Get").participants.size(), 3u);
}

TEST_P(StoreContract, FacilitatorSeatIsHeldByOnePartnerAtATime) {
  World w = MakeWorld();
  auto seat_holders = [&] {
    std::set<std::string> holders;
    for (const auto& p : Must(store_->GetActivation(w.activation.id), "Get").participants) {
      if (p.facilitator) holders.insert(p.org_id);
    }
    return holders;
  };
  Must(store_->UpdateParticipant(w.activation.id, w.p1.id, Json{{"facilitator", true}}, w.as_owner,
                                 Allow),
       "seat to p1");
  EXPECT_EQ(seat_holders(), std::set<std::string>{w.p1.id});
  Must(store_->UpdateParticipant(w.activation.id, w.p2.id, Json{{"facilitator", true}}, w.as_owner,
                                 Allow),
       "seat to p2");
  EXPECT_EQ(seat_holders(), std::set<std::string>{w.p2.id});
  Must(store_->UpdateParticipant(w.activation.id, w.p2.id, Json{{"facilitator", false}}, w.as_owner,
                                 Allow),
       "seat released");
  EXPECT_TRUE(seat_holders().empty());

  auto access = Must(store_->GetActivation(w.activation.id), "Get").Access();
  EXPECT_EQ(access.host_org_id, w.host.id);
  EXPECT_EQ(access.participants.size(), 2u);
}

TEST_P(StoreContract, ParticipantUpdatesArePrivateToTheHostAndThatPartner) {
  World w = MakeWorld();
  int64_t entries = AuditCount();
  Json money{{"amount_micros", 900'000'000'000}, {"currency", "EUR"}};
  ParticipationRecord updated =
      Must(store_->UpdateParticipant(w.activation.id, w.p1.id,
                                     Json{{"contribution", money}, {"notes", "prime time held"}},
                                     w.as_owner, Allow),
           "UpdateParticipant");
  EXPECT_EQ(updated.contribution, money);
  EXPECT_EQ(updated.notes, "prime time held");
  ExpectOneEntry(entries, "participation", w.activation.id + ":" + w.p1.id, "partner_updated");
  EXPECT_EQ(LastAudit().visible_org_id, w.p1.id);

  ActivationRecord stored = Must(store_->GetActivation(w.activation.id), "Get");
  const ParticipationRecord* p1 = stored.FindParticipant(w.p1.id);
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->contribution, money);
  EXPECT_EQ(p1->notes, "prime time held");

  auto not_in = store_->UpdateParticipant(w.activation.id, w.outsider.id, Json{{"notes", "x"}},
                                          w.as_owner, Allow);
  EXPECT_EQ(not_in.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, AgreementsAreCreatedThenUpdatedPrivately) {
  World w = MakeWorld();
  int64_t entries = AuditCount();
  Json first = Agreement(48);
  ParticipationRecord created =
      Must(store_->PutAgreement(w.activation.id, w.p1.id, first, w.as_owner, Allow), "Put 1");
  EXPECT_EQ(created.agreement, first);
  ExpectOneEntry(entries, "agreement", w.activation.id + ":" + w.p1.id, "agreement_created");
  EXPECT_EQ(LastAudit().visible_org_id, w.p1.id);
  EXPECT_FALSE(LastAudit().before.has_value());

  entries = AuditCount();
  Json second = Agreement(24);
  Must(store_->PutAgreement(w.activation.id, w.p1.id, second, w.as_owner, Allow), "Put 2");
  ExpectOneEntry(entries, "agreement", w.activation.id + ":" + w.p1.id, "agreement_updated");
  EXPECT_EQ(Json::parse(*LastAudit().before), first);
  EXPECT_EQ(Json::parse(*LastAudit().after), second);
  EXPECT_EQ(Must(store_->GetActivation(w.activation.id), "Get").FindParticipant(w.p1.id)->agreement,
            second);

  entries = AuditCount();
  auto not_in = store_->PutAgreement(w.activation.id, w.outsider.id, first, w.as_owner, Allow);
  EXPECT_EQ(not_in.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(), entries);
}

// ---- workstreams ----

TEST_P(StoreContract, WorkstreamPeopleMustBelongToTheActivation) {
  World w = MakeWorld();
  int64_t entries = AuditCount();
  auto raci = [](const std::string& user, const char* letter) {
    return Json{{"user_id", user}, {"responsibility", letter}};
  };

  WorkstreamRecord ws = Must(
      store_->CreateWorkstream(w.activation.id,
                               Workstream(Json{{"kind", "creative"},
                                               {"name", "Hero film"},
                                               {"primary_owner_id", w.ws_owner.id},
                                               {"raci", Json::array({raci(w.p1_admin.id, "R")})}}),
                               w.as_owner, Allow),
      "CreateWorkstream");
  EXPECT_TRUE(LooksLikeId(ws.id, "ws")) << ws.id;
  EXPECT_EQ(ws.raci, Json::array({raci(w.p1_admin.id, "R"), raci(w.ws_owner.id, "A")}));
  ExpectOneEntry(entries, "workstream", ws.id, "created");
  EXPECT_EQ(Must(store_->GetWorkstream(w.activation.id, ws.id), "Get").raci, ws.raci);

  entries = AuditCount();
  auto outsider_owner = store_->CreateWorkstream(
      w.activation.id,
      Workstream(
          Json{{"kind", "media"}, {"name", "Paid"}, {"primary_owner_id", w.outsider_admin.id}}),
      w.as_owner, Allow);
  EXPECT_EQ(outsider_owner.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outsider_owner.status().reason(), "not_a_member");
  EXPECT_EQ(outsider_owner.status().field(), "primary_owner_id");

  auto outsider_in_raci = store_->CreateWorkstream(
      w.activation.id,
      Workstream(
          Json{{"kind", "media"},
               {"name", "Paid"},
               {"primary_owner_id", w.owner.id},
               {"raci", Json::array({raci(w.p1_admin.id, "C"), raci(w.outsider_admin.id, "I")})}}),
      w.as_owner, Allow);
  EXPECT_EQ(outsider_in_raci.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outsider_in_raci.status().field(), "raci[1].user_id")
      << "the error names the outsider's index in the request";

  auto nobody = store_->CreateWorkstream(
      w.activation.id,
      Workstream(Json{{"kind", "media"}, {"name", "Paid"}, {"primary_owner_id", NewId("usr")}}),
      w.as_owner, Allow);
  EXPECT_EQ(nobody.status().code(), StatusCode::kInvalidArgument);

  auto update_to_outsider = store_->UpdateWorkstream(
      w.activation.id, ws.id, Json{{"primary_owner_id", w.outsider_admin.id}}, w.as_owner,
      [](const ActivationRecord&, const WorkstreamRecord&) { return OkStatus(); });
  EXPECT_EQ(update_to_outsider.status().code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(AuditCount(), entries);
  EXPECT_EQ(Must(store_->ListWorkstreams(w.activation.id), "List").size(), 1u);
  EXPECT_EQ(Must(store_->GetWorkstream(w.activation.id, ws.id), "Get").primary_owner_id,
            w.ws_owner.id);
}

TEST_P(StoreContract, WorkstreamNamesAreUniqueWithinAnActivation) {
  World w = MakeWorld();
  Json fields = Workstream(
      Json{{"kind", "legal"}, {"name", "Disclosures"}, {"primary_owner_id", w.owner.id}});
  Must(store_->CreateWorkstream(w.activation.id, fields, w.as_owner, Allow), "first");
  int64_t entries = AuditCount();
  auto again = store_->CreateWorkstream(w.activation.id, fields, w.as_owner, Allow);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "name");
  EXPECT_EQ(AuditCount(), entries);

  ActivationRecord other = Activation(w.host, w.as_owner, "Winter");
  EXPECT_TRUE(store_->CreateWorkstream(other.id, fields, w.as_owner, Allow).ok())
      << "another activation may use the same name";
  EXPECT_EQ(store_->GetWorkstream(other.id, NewId("ws")).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, ReassigningAWorkstreamOwnerMovesTheAccountable) {
  World w = MakeWorld();
  WorkstreamRecord ws =
      Must(store_->CreateWorkstream(
               w.activation.id,
               Workstream(Json{
                   {"kind", "data"}, {"name", "Lead tracking"}, {"primary_owner_id", w.owner.id}}),
               w.as_owner, Allow),
           "CreateWorkstream");
  int64_t entries = AuditCount();
  std::string seen_owner;
  WorkstreamRecord moved =
      Must(store_->UpdateWorkstream(w.activation.id, ws.id,
                                    Json{{"primary_owner_id", w.ws_owner.id}}, w.as_owner,
                                    [&](const ActivationRecord&, const WorkstreamRecord& before) {
                                      seen_owner = before.primary_owner_id;
                                      return OkStatus();
                                    }),
           "UpdateWorkstream");
  EXPECT_EQ(seen_owner, w.owner.id) << "authorize sees the workstream before the change";
  EXPECT_EQ(moved.primary_owner_id, w.ws_owner.id);
  EXPECT_EQ(moved.raci, Json::array({Json{{"user_id", w.ws_owner.id}, {"responsibility", "A"}},
                                     Json{{"user_id", w.owner.id}, {"responsibility", "R"}}}));
  ExpectOneEntry(entries, "workstream", ws.id, "owner_changed");

  entries = AuditCount();
  auto denied = store_->UpdateWorkstream(
      w.activation.id, ws.id, Json{{"name", "Renamed"}}, w.as_owner,
      [](const ActivationRecord&, const WorkstreamRecord&) { return PermissionDenied("no"); });
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Must(store_->GetWorkstream(w.activation.id, ws.id), "Get").name, "Lead tracking");
  EXPECT_EQ(AuditCount(), entries);

  Must(store_->UpdateWorkstream(
           w.activation.id, ws.id, Json{{"name", "Renamed"}}, w.as_owner,
           [](const ActivationRecord&, const WorkstreamRecord&) { return OkStatus(); }),
       "rename");
  ExpectOneEntry(entries, "workstream", ws.id, "updated");
}

// ---- playbooks ----

TEST_P(StoreContract, PlaybookKeepsBriefAndStructureButNotBudgetPartnersOrPeople) {
  World w = MakeWorld();
  Must(store_->CreateWorkstream(
           w.activation.id,
           Workstream(Json{
               {"kind", "creative"}, {"name", "Hero film"}, {"primary_owner_id", w.ws_owner.id}}),
           w.as_owner, Allow),
       "ws 1");
  Must(store_->CreateWorkstream(
           w.activation.id,
           Workstream(
               Json{{"kind", "legal"}, {"name", "Disclosures"}, {"primary_owner_id", w.owner.id}}),
           w.as_owner, Allow),
       "ws 2");
  Must(store_->PutAgreement(w.activation.id, w.p1.id, Agreement(36), w.as_owner, Allow), "Put");

  int64_t entries = AuditCount();
  PlaybookRecord pb =
      Must(store_->SavePlaybook(w.activation.id, "Summer launch", w.as_owner, Allow), "Save");
  EXPECT_TRUE(LooksLikeId(pb.id, "pb")) << pb.id;
  EXPECT_EQ(pb.org_id, w.host.id);
  ExpectOneEntry(entries, "playbook", pb.id, "created");
  EXPECT_EQ(LastAudit().visible_org_id, w.host.id);
  const Json& tpl = pb.template_document;
  EXPECT_FALSE(tpl["brief"].contains("budget"));
  EXPECT_EQ(tpl["brief"]["markets"], w.activation.document["markets"]);
  EXPECT_EQ(tpl["workstreams"].size(), 2u);
  EXPECT_EQ(tpl["agreements_by_role"]["media"], Agreement(36));
  EXPECT_EQ(tpl.dump().find(w.p1.id), std::string::npos) << "no partner in a template";
  EXPECT_EQ(tpl.dump().find(w.owner.id), std::string::npos) << "no person in a template";
  EXPECT_EQ(Must(store_->GetPlaybook(pb.id), "GetPlaybook").template_document, tpl);
  EXPECT_EQ(Must(store_->ListPlaybooks(w.host.id), "ListPlaybooks").size(), 1u);

  entries = AuditCount();
  auto duplicate = store_->SavePlaybook(w.activation.id, "Summer launch", w.as_owner, Allow);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(AuditCount(), entries);

  clock_.Advance(hours(1));
  ActivationRecord copy =
      Must(store_->InstantiatePlaybook(pb, "Winter Splash", w.ws_owner.id, w.as_owner), "Inst");
  EXPECT_NE(copy.id, w.activation.id);
  EXPECT_EQ(copy.host_org_id, w.host.id);
  EXPECT_EQ(copy.playbook_id, pb.id);
  EXPECT_EQ(copy.version, 1);
  EXPECT_EQ(copy.document["name"], "Winter Splash");
  EXPECT_EQ(copy.document["status"], "draft");
  EXPECT_TRUE(copy.document["budget"].is_null());
  EXPECT_EQ(copy.document["markets"], w.activation.document["markets"]);
  EXPECT_TRUE(copy.participants.empty());
  std::vector<WorkstreamRecord> streams = Must(store_->ListWorkstreams(copy.id), "List");
  ASSERT_EQ(streams.size(), 2u);
  for (const WorkstreamRecord& s : streams) {
    EXPECT_EQ(s.primary_owner_id, w.ws_owner.id);
    EXPECT_EQ(s.raci, Json::array({Json{{"user_id", w.ws_owner.id}, {"responsibility", "A"}}}));
  }
  std::vector<AuditEntry> all = AllAudit();
  ASSERT_EQ(static_cast<int64_t>(all.size()), entries + 3) << "the activation and two workstreams";
  EXPECT_EQ(all[static_cast<size_t>(entries)].action, "created_from_playbook");
  EXPECT_EQ(all[static_cast<size_t>(entries)].entity_id, copy.id);
}

TEST_P(StoreContract, PlaybookAgreementTermsApplyToNewPartnersByRole) {
  World w = MakeWorld();
  Must(store_->PutAgreement(w.activation.id, w.p1.id, Agreement(36), w.as_owner, Allow), "Put");
  PlaybookRecord pb =
      Must(store_->SavePlaybook(w.activation.id, "Template", w.as_owner, Allow), "Save");
  ActivationRecord copy =
      Must(store_->InstantiatePlaybook(pb, "Copy", w.owner.id, w.as_owner), "Instantiate");

  ParticipationRecord media =
      Must(store_->AddParticipant(copy.id, w.outsider.id, "media", std::nullopt, w.as_owner, Allow),
           "media partner");
  EXPECT_EQ(media.agreement, Agreement(36)) << "media terms come from the playbook";

  ParticipationRecord co_brand =
      Must(store_->AddParticipant(copy.id, w.p2.id, "co_brand", std::nullopt, w.as_owner, Allow),
           "co-brand partner");
  EXPECT_FALSE(co_brand.agreement.has_value()) << "the template has no co_brand terms";

  ParticipationRecord negotiated =
      Must(store_->AddParticipant(copy.id, w.p1.id, "media", Agreement(12), w.as_owner, Allow),
           "negotiated partner");
  EXPECT_EQ(negotiated.agreement, Agreement(12)) << "explicit terms win over the template";
}

// ---- sessions, log-in failures, API keys ----

TEST_P(StoreContract, SessionsLiveUntilDeletedAndAreAudited) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "facilitator");
  int64_t entries = AuditCount();
  Instant expires = clock_.Now() + hours(12);
  ASSERT_TRUE(
      store_->RecordLogin(felix, "digest-1", expires, clock_.Now() + minutes(30), "192.0.2.7")
          .ok());
  ExpectOneEntry(entries, "user", felix.id, "login");
  EXPECT_EQ(Json::parse(*LastAudit().after)["address"], "192.0.2.7");

  SessionRecord session = Must(store_->FindSession("digest-1"), "FindSession");
  EXPECT_EQ(session.user.id, felix.id);
  EXPECT_EQ(session.expires_at, FormatInstant(expires));
  EXPECT_EQ(store_->FindSession("digest-unknown").status().code(), StatusCode::kUnauthenticated);

  entries = AuditCount();
  Instant idle = clock_.Now() + minutes(45);
  ASSERT_TRUE(store_->TouchSession("digest-1", idle).ok());
  EXPECT_EQ(Must(store_->FindSession("digest-1"), "FindSession").idle_expires_at,
            FormatInstant(idle));
  EXPECT_EQ(AuditCount(), entries) << "touching a session is not a change worth an entry";

  const Actor as_felix{felix.id, host.id};
  ASSERT_TRUE(store_->DeleteSession("digest-1", as_felix).ok());
  ExpectOneEntry(entries, "user", felix.id, "logout");
  EXPECT_EQ(store_->FindSession("digest-1").status().code(), StatusCode::kUnauthenticated);

  entries = AuditCount();
  ASSERT_TRUE(store_->DeleteSession("digest-1", as_felix).ok());
  EXPECT_EQ(AuditCount(), entries) << "logging out twice records one logout";
}

TEST_P(StoreContract, RecordLoginSweepsExpiredSessions) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "facilitator");
  ASSERT_TRUE(
      store_->RecordLogin(felix, "old", clock_.Now() + hours(12), clock_.Now() + minutes(30), "a")
          .ok());
  clock_.Advance(minutes(31));
  ASSERT_TRUE(
      store_->RecordLogin(felix, "new", clock_.Now() + hours(12), clock_.Now() + minutes(30), "a")
          .ok());
  EXPECT_EQ(store_->FindSession("old").status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->FindSession("new").ok());
}

TEST_P(StoreContract, LoginFailuresAreCountedPerSubjectAndAuditedForKnownAccounts) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord felix = User(host, "felix@acme.example", "facilitator");
  Instant start = clock_.Now();
  int64_t entries = AuditCount();

  ASSERT_TRUE(
      store_->RecordLoginFailure({"email:nobody@x", "ip:192.0.2.1"}, std::nullopt, "192.0.2.1")
          .ok());
  EXPECT_EQ(AuditCount(), entries) << "an unknown account has no trail to add to";

  clock_.Advance(minutes(10));
  ASSERT_TRUE(
      store_->RecordLoginFailure({"email:felix@acme.example", "ip:192.0.2.1"}, felix, "192.0.2.1")
          .ok());
  ExpectOneEntry(entries, "user", felix.id, "login_failed");
  EXPECT_EQ(LastAudit().actor_id, "anonymous");

  EXPECT_EQ(Must(store_->LoginFailuresSince("ip:192.0.2.1", start), "since").size(), 2u);
  EXPECT_EQ(Must(store_->LoginFailuresSince("ip:192.0.2.1", start + minutes(5)), "since").size(),
            1u);
  EXPECT_EQ(Must(store_->LoginFailuresSince("email:felix@acme.example", start), "since").size(),
            1u);
  EXPECT_TRUE(Must(store_->LoginFailuresSince("ip:198.51.100.1", start), "since").empty());

  ASSERT_TRUE(store_->ClearLoginFailures("ip:192.0.2.1").ok());
  EXPECT_TRUE(Must(store_->LoginFailuresSince("ip:192.0.2.1", start), "since").empty());
  EXPECT_EQ(Must(store_->LoginFailuresSince("email:felix@acme.example", start), "since").size(),
            1u);
}

TEST_P(StoreContract, ApiKeysWorkUntilRevokedOrExpired) {
  OrgRecord host = Org("Acme Beverages", "host");
  UserRecord owner = User(host, "olivia@acme.example", "owner");
  const Actor as_owner{owner.id, host.id};
  int64_t entries = AuditCount();
  ApiKeyRecord key = Must(store_->CreateApiKey(host.id, "feed", {"activations:read", "audit:read"},
                                               "digest-k1", "tak_abc", std::nullopt, as_owner),
                          "CreateApiKey");
  EXPECT_TRUE(LooksLikeId(key.id, "key")) << key.id;
  EXPECT_EQ(key.scopes, (std::vector<std::string>{"activations:read", "audit:read"}));
  EXPECT_EQ(key.org_kind, "host");
  ExpectOneEntry(entries, "api_key", key.id, "created");
  EXPECT_EQ(LastAudit().after->find("digest-k1"), std::string::npos)
      << "the token digest stays out of the audit trail";

  clock_.Advance(minutes(1));
  ApiKeyRecord used = Must(store_->UseApiKey("digest-k1"), "UseApiKey");
  EXPECT_EQ(used.id, key.id);
  EXPECT_EQ(Must(store_->ListApiKeys(host.id), "List")[0].last_used_at,
            FormatInstant(clock_.Now()));
  EXPECT_EQ(store_->UseApiKey("digest-unknown").status().code(), StatusCode::kUnauthenticated);

  entries = AuditCount();
  ASSERT_TRUE(store_->RevokeApiKey(host.id, key.id, as_owner).ok());
  ExpectOneEntry(entries, "api_key", key.id, "revoked");
  EXPECT_EQ(store_->UseApiKey("digest-k1").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->RevokeApiKey(host.id, key.id, as_owner).code(), StatusCode::kNotFound)
      << "a revoked key cannot be revoked again";

  Must(store_->CreateApiKey(host.id, "short-lived", {"activations:read"}, "digest-k2", "tak_def",
                            clock_.Now() + hours(1), as_owner),
       "CreateApiKey");
  EXPECT_TRUE(store_->UseApiKey("digest-k2").ok());
  clock_.Advance(hours(1));
  EXPECT_EQ(store_->UseApiKey("digest-k2").status().code(), StatusCode::kUnauthenticated)
      << "a key is dead at its expiry instant";
}

TEST_P(StoreContract, RevokingAnotherOrganisationsKeyIsNotFound) {
  OrgRecord host = Org("Acme Beverages", "host");
  OrgRecord partner = Org("StreamCo", "partner");
  ApiKeyRecord key = Must(store_->CreateApiKey(host.id, "feed", {"activations:read"}, "digest-k1",
                                               "tak_abc", std::nullopt, cli_),
                          "CreateApiKey");
  int64_t entries = AuditCount();
  EXPECT_EQ(store_->RevokeApiKey(partner.id, key.id, cli_).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->UseApiKey("digest-k1").ok());
  EXPECT_EQ(AuditCount(), entries);
  EXPECT_TRUE(Must(store_->ListApiKeys(partner.id), "List").empty());
}

// ---- the audit trail ----

TEST_P(StoreContract, EveryMutationAppendsExactlyOneEntryToAVerifyingChain) {
  World w = MakeWorld();  // its own mutations are checked by the chain at the end
  struct Step {
    const char* what;
    std::function<Status()> run;
    std::string entity_type;
    std::function<std::string()> entity_id;
    const char* action;
  };
  std::string ws_id, key_id, playbook_id;
  const std::string participation_p1 = w.activation.id + ":" + w.p1.id;
  auto ok_ws = [](const ActivationRecord&, const WorkstreamRecord&) { return OkStatus(); };
  const std::vector<Step> steps = {
      {"CreateOrg", [&] { return store_->CreateOrg("Lumen Creators", "partner", cli_).status(); },
       "org", [&] { return Must(store_->FindOrgByName("Lumen Creators"), "find").id; }, "created"},
      {"CreateUser",
       [&] {
         return store_
             ->CreateUser(w.p1.id, "sofia@streamco.example", "Sofia", "contributor", "$argon2id$h",
                          cli_)
             .status();
       },
       "user", [&] { return Must(store_->FindUserByEmail("sofia@streamco.example"), "find").id; },
       "created"},
      {"UpdateUser",
       [&] {
         return store_
             ->UpdateUser(w.p1_admin.id, Json{{"role", "owner"}}, cli_,
                          [](const UserRecord&) { return OkStatus(); })
             .status();
       },
       "user", [&] { return w.p1_admin.id; }, "role_changed"},
      {"UpdateActivation",
       [&] {
         return store_
             ->UpdateActivation(w.activation.id, Json{{"status", "planning"}}, std::nullopt,
                                w.as_owner, Allow)
             .status();
       },
       "activation", [&] { return w.activation.id; }, "updated"},
      {"AddParticipant",
       [&] {
         return store_
             ->AddParticipant(w.activation.id, w.outsider.id, "data", std::nullopt, w.as_owner,
                              Allow)
             .status();
       },
       "participation", [&] { return w.activation.id + ":" + w.outsider.id; }, "partner_added"},
      {"UpdateParticipant",
       [&] {
         return store_
             ->UpdateParticipant(w.activation.id, w.p1.id, Json{{"notes", "n"}}, w.as_owner, Allow)
             .status();
       },
       "participation", [&] { return participation_p1; }, "partner_updated"},
      {"PutAgreement",
       [&] {
         return store_->PutAgreement(w.activation.id, w.p1.id, Agreement(48), w.as_owner, Allow)
             .status();
       },
       "agreement", [&] { return participation_p1; }, "agreement_created"},
      {"CreateWorkstream",
       [&] {
         auto ws = store_->CreateWorkstream(
             w.activation.id,
             Workstream(
                 Json{{"kind", "media"}, {"name", "Paid"}, {"primary_owner_id", w.owner.id}}),
             w.as_owner, Allow);
         if (ws.ok()) ws_id = ws->id;
         return ws.status();
       },
       "workstream", [&] { return ws_id; }, "created"},
      {"UpdateWorkstream",
       [&] {
         return store_
             ->UpdateWorkstream(w.activation.id, ws_id, Json{{"name", "Paid media"}}, w.as_owner,
                                ok_ws)
             .status();
       },
       "workstream", [&] { return ws_id; }, "updated"},
      {"SavePlaybook",
       [&] {
         auto pb = store_->SavePlaybook(w.activation.id, "Template", w.as_owner, Allow);
         if (pb.ok()) playbook_id = pb->id;
         return pb.status();
       },
       "playbook", [&] { return playbook_id; }, "created"},
      {"RecordLogin",
       [&] {
         return store_->RecordLogin(w.owner, "d1", clock_.Now() + hours(1),
                                    clock_.Now() + minutes(30), "a");
       },
       "user", [&] { return w.owner.id; }, "login"},
      {"DeleteSession", [&] { return store_->DeleteSession("d1", w.as_owner); }, "user",
       [&] { return w.owner.id; }, "logout"},
      {"RecordLoginFailure",
       [&] { return store_->RecordLoginFailure({"email:olivia@acme.example"}, w.owner, "a"); },
       "user", [&] { return w.owner.id; }, "login_failed"},
      {"ReplacePasswordHash",
       [&] { return store_->ReplacePasswordHash(w.owner.id, "$argon2id$new"); }, "user",
       [&] { return w.owner.id; }, "password_rehashed"},
      {"CreateApiKey",
       [&] {
         auto key = store_->CreateApiKey(w.host.id, "feed", {"activations:read"}, "dk", "tak_x",
                                         std::nullopt, w.as_owner);
         if (key.ok()) key_id = key->id;
         return key.status();
       },
       "api_key", [&] { return key_id; }, "created"},
      {"RevokeApiKey", [&] { return store_->RevokeApiKey(w.host.id, key_id, w.as_owner); },
       "api_key", [&] { return key_id; }, "revoked"},
      {"AppendAudit",
       [&] {
         AuditEntry decision;
         decision.actor_id = "cli";
         decision.entity_type = "activation";
         decision.entity_id = w.activation.id;
         decision.action = "decision_recorded";
         decision.activation_id = w.activation.id;
         decision.after = R"({"note":"go"})";
         return store_->AppendAudit(decision);
       },
       "activation", [&] { return w.activation.id; }, "decision_recorded"},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.what);
    clock_.Advance(seconds(1));
    int64_t entries = AuditCount();
    Status status = step.run();
    ASSERT_TRUE(status.ok()) << status.ToString();
    ExpectOneEntry(entries, step.entity_type, step.entity_id(), step.action);
  }
  ExpectChainVerifies();
  std::vector<AuditEntry> all = AllAudit();
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(all[i].prev_hash, i == 0 ? governance::kGenesisHash : all[i - 1].hash);
  }
}

TEST_P(StoreContract, ListAuditFiltersByEntityAndActivation) {
  World w = MakeWorld();
  Must(store_->UpdateActivation(w.activation.id, Json{{"status", "planning"}}, std::nullopt,
                                w.as_owner, Allow),
       "update");
  ActivationRecord other = Activation(w.host, w.as_owner, "Other");

  AuditQuery by_entity;
  by_entity.entity_type = "activation";
  by_entity.entity_id = w.activation.id;
  std::vector<AuditEntry> entity = Must(store_->ListAudit(by_entity), "ListAudit");
  ASSERT_EQ(entity.size(), 2u);
  EXPECT_EQ(entity[0].action, "created");
  EXPECT_EQ(entity[1].action, "updated");

  AuditQuery by_activation;
  by_activation.activation_id = w.activation.id;
  std::vector<AuditEntry> activation = Must(store_->ListAudit(by_activation), "ListAudit");
  ASSERT_EQ(activation.size(), 4u) << "created, two partners added, updated";
  for (const AuditEntry& e : activation) EXPECT_EQ(e.activation_id, w.activation.id);

  AuditQuery paged = by_activation;
  paged.after_seq = activation[1].seq;
  paged.limit = 1;
  std::vector<AuditEntry> page = Must(store_->ListAudit(paged), "ListAudit");
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].seq, activation[2].seq);

  AuditQuery other_q;
  other_q.activation_id = other.id;
  EXPECT_EQ(Must(store_->ListAudit(other_q), "ListAudit").size(), 1u);
}

TEST_P(StoreContract, ForEachAuditEntryPagesThroughEveryEntryInOrder) {
  for (int i = 0; i < 10; ++i) Org("Org " + std::to_string(i), "partner");
  for (int64_t page : {1, 3, 10, 11, 5000}) {
    std::vector<int64_t> seqs;
    Status status =
        store_->ForEachAuditEntry([&](const AuditEntry& e) { seqs.push_back(e.seq); }, page);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(seqs.size(), 10u) << "page " << page;
    for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i) + 1);
  }
}

// Many writers at once must still produce one gapless chain: on PostgreSQL the advisory lock in
// Store::Append serialises appends across connections; on SQLite the write transaction does.
TEST_P(StoreContract, ConcurrentMutationsLeaveAGaplessVerifyingChain) {
  World w = MakeWorld();
  const int64_t entries_before = AuditCount();
  constexpr int kThreads = 8;
  constexpr int kMutationsPerThread = 25;
  std::vector<std::vector<Status>> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kMutationsPerThread; ++i) {
        Status status;
        std::string tag = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (t % 2 == 0) {
          // Contended: every even thread updates the same activation row.
          status = store_
                       ->UpdateActivation(w.activation.id, Json{{"description", tag}}, std::nullopt,
                                          w.as_owner, Allow)
                       .status();
        } else {
          status = store_->CreateOrg("Org " + tag, "partner", cli_).status();
        }
        if (!status.ok()) failures[static_cast<size_t>(t)].push_back(status);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    for (const Status& failure : failures[static_cast<size_t>(t)]) {
      ADD_FAILURE() << "thread " << t << ": " << failure.ToString();
    }
  }

  std::vector<AuditEntry> all = AllAudit();
  ASSERT_EQ(static_cast<int64_t>(all.size()), entries_before + kThreads * kMutationsPerThread);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].seq, static_cast<int64_t>(i) + 1) << "gap or duplicate at position " << i;
  }
  ExpectChainVerifies();
  EXPECT_EQ(Must(store_->GetActivation(w.activation.id), "Get").version,
            1 + (kThreads / 2) * kMutationsPerThread)
      << "no lost update";
}

// ---- measurement (docs/ingest.md) ----

StoredEvent Event(const std::string& id, const std::string& user_key, int64_t ts_ms,
                  const std::string& type = "click") {
  StoredEvent e;
  e.event_id = id;
  e.user_key = user_key;
  e.ts_ms = ts_ms;
  e.event_type = type;
  e.channel = "search";
  e.value_micros = type == "conversion" ? 49'900'000 : 0;
  return e;
}

const Json kContractDocument = Json{{"feed", "streamco-events"}, {"fields", Json::array()}};

TEST_P(StoreContract, DataContractsAreVersionedPerFeedAndAudited) {
  World w = MakeWorld();
  int64_t before = AuditCount();
  DataContractRecord v1 = Must(store_->PutDataContract(w.activation.id, w.p1.id, "streamco-events",
                                                       kContractDocument, w.as_owner, Allow),
                               "PutDataContract");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.org_name, "StreamCo");
  ExpectOneEntry(before, "data_contract", v1.id, "created");
  Json changed = kContractDocument;
  changed["cadence"] = "12h";
  DataContractRecord v2 = Must(store_->PutDataContract(w.activation.id, w.p1.id, "streamco-events",
                                                       changed, w.as_owner, Allow),
                               "PutDataContract v2");
  EXPECT_EQ(v2.id, v1.id);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(LastAudit().action, "updated");
  EXPECT_EQ(Must(store_->FindDataContract(w.p1.id, "streamco-events"), "Find").document, changed);
  EXPECT_EQ(store_->FindDataContract(w.p2.id, "streamco-events").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Must(store_->ListDataContracts(w.activation.id), "List").size(), 1u);

  int64_t refused_before = AuditCount();
  Result<DataContractRecord> outsider = store_->PutDataContract(
      w.activation.id, w.outsider.id, "orbit", kContractDocument, w.as_owner, Allow);
  EXPECT_EQ(outsider.status().reason(), "unknown_partner");
  EXPECT_EQ(
      store_->PutDataContract(w.activation.id, w.p2.id, "nova", kContractDocument, w.as_owner, Deny)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditCount(), refused_before);
  ExpectChainVerifies();
}

TEST_P(StoreContract, IngestBatchesStoreEachEventOnceCommitWholeAndReplayKeys) {
  World w = MakeWorld();
  DataContractRecord c = Must(store_->PutDataContract(w.activation.id, w.p1.id, "streamco-events",
                                                      kContractDocument, w.as_owner, Allow),
                              "PutDataContract");
  int puts = 0;
  std::vector<IngestCounts> seen;
  auto produce = [&](std::vector<StoredEvent> events) {
    return [&puts, &seen, events](EventSink& sink) -> Result<Json> {
      for (const StoredEvent& e : events) {
        TUTTI_RETURN_IF_ERROR(sink.Put(e));
        ++puts;
      }
      TUTTI_ASSIGN_OR_RETURN(IngestCounts counts, sink.Flush());
      seen.push_back(counts);
      return Json{{"records", events.size()}};
    };
  };
  auto digest = [](std::string hash) { return [hash]() -> Result<std::string> { return hash; }; };
  IngestOutcome first = Must(
      store_->IngestBatch(c, std::string("key-1"), digest("hash-1"), w.as_owner,
                          produce({Event("e1", "k1", 1000), Event("e2", "k1", 2000, "conversion"),
                                   Event("e1", "k1", 1000)})),
      "IngestBatch");
  EXPECT_FALSE(first.replayed);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].stored, 2);
  EXPECT_EQ(seen[0].duplicates, 1) << "e1 twice in one batch is stored once";
  EXPECT_EQ(seen[0].erased, 0);
  EXPECT_EQ(LastAudit().entity_type, "ingest_batch");
  EXPECT_FALSE(
      Must(store_->FindDataContract(w.p1.id, "streamco-events"), "Find").last_delivery_at.empty());

  puts = 0;
  IngestOutcome replay = Must(store_->IngestBatch(c, std::string("key-1"), digest("hash-1"),
                                                  w.as_owner, produce({Event("e3", "k1", 3000)})),
                              "replay");
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.batch_id, first.batch_id);
  EXPECT_EQ(puts, 0) << "a replay reads nothing";
  EXPECT_EQ(store_
                ->IngestBatch(c, std::string("key-1"), digest("hash-2"), w.as_owner,
                              produce({Event("e3", "k1", 3000)}))
                .status()
                .reason(),
            "idempotency_key_reused");

  // A batch that fails half-way leaves nothing: not its first events, not its batch record.
  int64_t audit_before = AuditCount();
  Result<IngestOutcome> failed = store_->IngestBatch(
      c, std::nullopt, digest("hash-3"), w.as_owner, [](EventSink& sink) -> Result<Json> {
        TUTTI_RETURN_IF_ERROR(sink.Put(Event("e4", "k2", 4000)));
        TUTTI_RETURN_IF_ERROR(sink.Flush().status());  // written, and still rolled back
        return InvalidArgument("the stream broke", "body", "corrupt_gzip");
      });
  EXPECT_EQ(failed.status().reason(), "corrupt_gzip");
  EXPECT_EQ(AuditCount(), audit_before);
  std::vector<std::string> ids;
  ASSERT_TRUE(
      store_
          ->ForEachEvent(w.activation.id, {}, [&](const EventRow& e) { ids.push_back(e.event_id); })
          .ok());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"e1", "e2"}));
  ExpectChainVerifies();
}

TEST_P(StoreContract, OptOutsAreExcludedAndErasedKeysAreGoneForGood) {
  World w = MakeWorld();
  DataContractRecord c = Must(store_->PutDataContract(w.activation.id, w.p1.id, "streamco-events",
                                                      kContractDocument, w.as_owner, Allow),
                              "PutDataContract");
  StoredEvent opted = Event("e3", "k3", 3000);
  opted.gpc = true;  // Global Privacy Control: an opt-out of sharing
  auto store_events = [&](std::vector<StoredEvent> events) {
    return Must(store_->IngestBatch(
                    c, std::nullopt, []() -> Result<std::string> { return std::string("h"); },
                    w.as_owner,
                    [events](EventSink& sink) -> Result<Json> {
                      for (const StoredEvent& e : events) TUTTI_RETURN_IF_ERROR(sink.Put(e));
                      TUTTI_ASSIGN_OR_RETURN(IngestCounts counts, sink.Flush());
                      return Json{{"stored", counts.stored}, {"erased", counts.erased}};
                    }),
                "IngestBatch")
        .report;
  };
  store_events({Event("e1", "k1", 1000), Event("e2", "k2", 2000), opted});
  Status consent =
      store_->PutConsent(ConsentRecord{"k1", "measurement", "GB", false, "api", ""}, w.as_owner);
  ASSERT_TRUE(consent.ok()) << consent.ToString();
  EXPECT_EQ(LastAudit().entity_id, HexEncode(Sha256("k1"))) << "consents are audited by digest";
  auto keys = [&](std::vector<std::string> excluded) {
    std::set<std::string> out;
    EXPECT_TRUE(store_
                    ->ForEachEvent(w.activation.id, excluded,
                                   [&](const EventRow& e) { out.insert(e.user_key); })
                    .ok());
    return out;
  };
  EXPECT_EQ(keys({}), (std::set<std::string>{"k1", "k2", "k3"}));
  EXPECT_EQ(keys({"measurement"}), (std::set<std::string>{"k2", "k3"}));
  EXPECT_EQ(keys({"measurement", "sharing"}), (std::set<std::string>{"k2"}))
      << "GPC on k3's request opted it out of sharing";

  EXPECT_EQ(Must(store_->EraseUserKey("k2", w.as_owner), "EraseUserKey"), 1);
  AuditEntry erasure = LastAudit();
  EXPECT_EQ(erasure.entity_type, "erasure");
  EXPECT_EQ(erasure.after.value_or("").find("\"k2\""), std::string::npos);
  EXPECT_EQ(keys({}), (std::set<std::string>{"k1", "k3"}));
  Json again = store_events({Event("e9", "k2", 9000)});
  EXPECT_EQ(again, (Json{{"stored", 0}, {"erased", 1}}));
  EXPECT_EQ(keys({}), (std::set<std::string>{"k1", "k3"})) << "an erased key never comes back";
  EXPECT_TRUE(Must(store_->ListConsents("k2"), "ListConsents").empty());
  ExpectChainVerifies();
}

TEST_P(StoreContract, IngestBatchesLargerThanOneStatementCountEachEventOnce) {
  World w = MakeWorld();
  DataContractRecord c = Must(store_->PutDataContract(w.activation.id, w.p1.id, "streamco-events",
                                                      kContractDocument, w.as_owner, Allow),
                              "PutDataContract");
  auto id = [](int n) { return "e" + std::to_string(n); };
  auto with_consent = [](StoredEvent e, bool granted) {
    e.consent = granted;
    return e;
  };
  auto ingest = [&](const std::function<Status(EventSink&)>& put) {
    return store_->IngestBatch(
        c, std::nullopt, []() -> Result<std::string> { return std::string("h"); }, w.as_owner,
        [&put](EventSink& sink) -> Result<Json> {
          TUTTI_RETURN_IF_ERROR(put(sink));
          TUTTI_ASSIGN_OR_RETURN(IngestCounts counts, sink.Flush());
          return Json{{"stored", counts.stored}, {"duplicates", counts.duplicates}};
        });
  };
  auto stored_ids = [&] {
    std::set<std::string> ids;
    EXPECT_TRUE(
        store_
            ->ForEachEvent(w.activation.id, {}, [&](const EventRow& e) { ids.insert(e.event_id); })
            .ok());
    return ids;
  };

  // 1 000 new ids, then e600 again right away (on PostgreSQL, with 512 rows a statement, a
  // duplicate among rows not yet written), then e0…e299 again (duplicates of rows already
  // written): 1 000 stored, 301 duplicates.
  // k7 consents, then withdraws in the same batch; k8 withdraws, then consents 1 000 events
  // later: the last word holds for each.
  IngestOutcome first = Must(ingest([&](EventSink& sink) -> Status {
                               for (int i = 0; i < 1000; ++i) {
                                 StoredEvent e = Event(id(i), "k" + std::to_string(i % 10), i);
                                 if (i == 7) e = with_consent(e, true);
                                 if (i == 8) e = with_consent(e, false);
                                 if (i == 17) e = with_consent(e, false);
                                 TUTTI_RETURN_IF_ERROR(sink.Put(e));
                               }
                               TUTTI_RETURN_IF_ERROR(sink.Put(Event(id(600), "k0", 600)));
                               for (int i = 0; i < 300; ++i) {
                                 StoredEvent e = Event(id(i), "k" + std::to_string(i % 10), i);
                                 if (i == 298) e = with_consent(e, true);
                                 TUTTI_RETURN_IF_ERROR(sink.Put(e));
                               }
                               return OkStatus();
                             }),
                             "IngestBatch");
  EXPECT_EQ(first.report, (Json{{"stored", 1000}, {"duplicates", 301}}));
  EXPECT_EQ(stored_ids().size(), 1000u);
  auto measurement_consent = [&](const std::string& key) -> std::optional<bool> {
    for (const ConsentRecord& r : Must(store_->ListConsents(key), "ListConsents")) {
      if (r.purpose == "measurement") return r.granted;
    }
    return std::nullopt;
  };
  EXPECT_EQ(measurement_consent("k7"), std::optional<bool>(false));
  EXPECT_EQ(measurement_consent("k8"), std::optional<bool>(true));
  EXPECT_EQ(measurement_consent("k9"), std::nullopt);

  IngestOutcome second = Must(ingest([&](EventSink& sink) -> Status {
                                TUTTI_RETURN_IF_ERROR(sink.Put(Event(id(999), "k9", 999)));
                                return sink.Put(Event(id(1000), "k0", 1000));
                              }),
                              "second IngestBatch");
  EXPECT_EQ(second.report, (Json{{"stored", 1}, {"duplicates", 1}}));

  // A batch that fails after several statements were written leaves none of their rows.
  Result<IngestOutcome> failed = store_->IngestBatch(
      c, std::nullopt, []() -> Result<std::string> { return std::string("h"); }, w.as_owner,
      [&](EventSink& sink) -> Result<Json> {
        for (int i = 2000; i < 3100; ++i) TUTTI_RETURN_IF_ERROR(sink.Put(Event(id(i), "k1", i)));
        return Status(StatusCode::kUnavailable, "the upload was cut off", "body",
                      "incomplete_body");
      });
  EXPECT_EQ(failed.status().reason(), "incomplete_body");
  EXPECT_EQ(stored_ids().size(), 1001u);
  ExpectChainVerifies();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage
