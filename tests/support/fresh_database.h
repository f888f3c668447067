// A freshly migrated database for the storage suites that run on both backends: a SQLite file in
// a temporary directory, or a PostgreSQL schema of its own at $TUTTI_TEST_POSTGRES_URL (selected
// through the URL's `options=-csearch_path=…`), dropped again when the FreshDatabase goes. The URL
// lets a test open a second connection pool onto the same database, as a second `tutti serve`
// would. Header-only (tests/support/*.cc belong to the API suite). Not thread-safe: one test owns
// one FreshDatabase; the Database it opens is as thread-safe as any.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "support/backends.h"
#include "tutti/base/crypto.h"
#include "tutti/core/brief.h"
#include "tutti/storage/database.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::testing {

// Unwraps a Result a test cannot continue without; a failure throws, which GoogleTest reports as
// a failure of the test with the status in the message.
template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) {
    throw std::runtime_error(std::string(what) + " failed: " + result.status().ToString());
  }
  return std::move(result).value();
}

class FreshDatabase {
 public:
  FreshDatabase() = default;
  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;
  ~FreshDatabase() {
    db_.reset();
    if (admin_ && !schema_.empty()) {
      Status dropped =
          admin_->Transact(storage::TransactionMode::kWrite, [&](storage::SqlSession& s) {
            return s.ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
          });
      EXPECT_TRUE(dropped.ok()) << dropped.ToString();
    }
    if (!temp_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir_, ignored);
    }
  }

  // Creates the database and applies every migration. The temporary directory exists on both
  // backends (tests keep files there, e.g. blobs). For kPostgres call TUTTI_REQUIRE_POSTGRES()
  // first: without a server this fails.
  Status Create(Backend backend) {
    std::string pattern = (std::filesystem::temp_directory_path() / "tutti-db-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return Internal("mkdtemp " + pattern);
    temp_dir_ = pattern;
    if (backend == Backend::kSqlite) {
      url_ = "sqlite:" + (temp_dir_ / "tutti.db").string();
    } else {
      const std::string base = PostgresTestUrl();
      if (base.empty()) return Unavailable("TUTTI_TEST_POSTGRES_URL is unset");
      TUTTI_ASSIGN_OR_RETURN(admin_, storage::OpenDatabase(base));
      schema_ = "t_" + HexEncode(RandomBytes(8));
      TUTTI_RETURN_IF_ERROR(admin_->Transact(
          storage::TransactionMode::kWrite,
          [&](storage::SqlSession& s) { return s.ExecuteScript("CREATE SCHEMA " + schema_); }));
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema_;
    }
    TUTTI_ASSIGN_OR_RETURN(db_, storage::OpenDatabase(url_));
    return storage::ApplyMigrations(*db_).status();
  }

  storage::Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  const std::filesystem::path& temp_dir() const { return temp_dir_; }
  // Another connection pool onto the same database.
  std::unique_ptr<storage::Database> OpenAnother() const {
    return Must(storage::OpenDatabase(url_), "OpenDatabase");
  }

 private:
  std::filesystem::path temp_dir_;
  std::string url_, schema_;
  std::unique_ptr<storage::Database> admin_, db_;
};

// An activation named `name` hosted by `host_org_id`, created by `actor`.
inline storage::ActivationRecord NewActivation(storage::Store& store,
                                               const std::string& host_org_id,
                                               const storage::Actor& actor,
                                               const std::string& name = "Summer Splash 2026",
                                               const std::string& objective = "lead_generation") {
  Json patch = Must(core::ValidateActivationPatch(Json{{"name", name}, {"objective", objective}},
                                                  /*creating=*/true),
                    "brief");
  return Must(store.CreateActivation(
                  host_org_id, core::ApplyActivationPatch(core::EmptyActivationDocument(), patch),
                  std::nullopt, actor),
              "CreateActivation");
}

}  // namespace tutti::testing
