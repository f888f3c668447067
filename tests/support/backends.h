// Which storage backends a test runs against, and where the PostgreSQL one is. PostgreSQL-backed
// tests read TUTTI_TEST_POSTGRES_URL (scripts/pg-test-server prints one); without it they fail,
// unless TUTTI_ALLOW_NO_POSTGRES=1 turns them into skips. Header-only, shared by every suite.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <ostream>
#include <string>
#include <string_view>

namespace tutti::testing {

enum class Backend { kSqlite, kPostgres };

inline const char* BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}
inline void PrintTo(Backend backend, std::ostream* out) { *out << BackendName(backend); }
// For INSTANTIATE_TEST_SUITE_P: "…/Sqlite", "…/Postgres".
inline std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

inline std::string PostgresTestUrl() {
  const char* url = std::getenv("TUTTI_TEST_POSTGRES_URL");
  return url == nullptr ? std::string() : std::string(url);
}

inline bool AllowNoPostgres() {
  const char* allow = std::getenv("TUTTI_ALLOW_NO_POSTGRES");
  return allow != nullptr && std::string_view(allow) == "1";
}

}  // namespace tutti::testing

// In SetUp or a test body: when no PostgreSQL server is configured, skips (if allowed) or fails
// with what to run; otherwise declares nothing and lets the test go on.
#define TUTTI_REQUIRE_POSTGRES()                                                            \
  do {                                                                                      \
    if (::tutti::testing::PostgresTestUrl().empty()) {                                      \
      if (::tutti::testing::AllowNoPostgres()) {                                            \
        GTEST_SKIP() << "TUTTI_TEST_POSTGRES_URL is unset and TUTTI_ALLOW_NO_POSTGRES=1";   \
      }                                                                                     \
      FAIL() << "TUTTI_TEST_POSTGRES_URL is unset: run `scripts/pg-test-server start DIR` " \
                "and export the URL it prints, or set TUTTI_ALLOW_NO_POSTGRES=1 to skip "   \
                "PostgreSQL";                                                               \
    }                                                                                       \
  } while (false)
