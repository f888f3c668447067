// The storage::Database contract, run against every backend: SQLite on a file in a temporary
// directory and PostgreSQL at $TUTTI_TEST_POSTGRES_URL (start one with
// `scripts/pg-test-server start DIR`). Without that variable the PostgreSQL instances fail, unless
// TUTTI_ALLOW_NO_POSTGRES=1 turns them into skips. Each test drops and re-creates its own tables,
// so tests are independent and a shared PostgreSQL database may be reused across runs.
// The tests below the suite unit-test the PostgreSQL backend's pure helpers and need no server.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "support/backends.h"
#include "tutti/storage/database.h"
#include "tutti/storage/postgres/postgres_database.h"

namespace tutti::storage {
namespace {

using tutti::testing::Backend;

// Values of a column across rows, for whole-result comparisons.
std::vector<SqlValue> Column(const std::vector<Row>& rows, size_t column) {
  std::vector<SqlValue> values;
  for (const Row& row : rows) values.push_back(row.Value(column));
  return values;
}

class DatabaseContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "tutti-contract-XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
      temp_dir_ = pattern;
      url_ = "sqlite:" + (temp_dir_ / "contract.db").string();
    } else {
      TUTTI_REQUIRE_POSTGRES();
      const std::string url = tutti::testing::PostgresTestUrl();
      url_ = url;
    }
    auto opened = OpenDatabase(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
  }

  void TearDown() override {
    db_.reset();
    if (!temp_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir_, ignored);
    }
  }

  Status Write(const std::function<Status(SqlSession&)>& body) {
    return db_->Transact(TransactionMode::kWrite, body);
  }

  // Drops `table` if an earlier run left it, then creates it with `columns`.
  void Recreate(const std::string& table, const std::string& columns) {
    Status status = Write([&](SqlSession& s) {
      return s.ExecuteScript("DROP TABLE IF EXISTS " + table + "; CREATE TABLE " + table + " (" +
                             columns + ");");
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Runs one query in its own read transaction; failures are reported and yield no rows.
  std::vector<Row> ReadRows(const std::string& sql, const std::vector<SqlValue>& params = {}) {
    std::vector<Row> rows;
    Status status = db_->Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
      TUTTI_ASSIGN_OR_RETURN(rows, s.Query(sql, params));
      return OkStatus();
    });
    EXPECT_TRUE(status.ok()) << sql << ": " << status.ToString();
    return rows;
  }

  int64_t Count(const std::string& table) {
    std::vector<Row> rows = ReadRows("SELECT COUNT(*) FROM " + table);
    return rows.empty() ? -1 : rows[0].Int(0);
  }

  std::filesystem::path temp_dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseContract, ReportsItsDialect) {
  EXPECT_EQ(db_->dialect(), GetParam() == Backend::kSqlite ? Dialect::kSqlite : Dialect::kPostgres);
}

TEST_P(DatabaseContract, RoundTripsNullIntegersAndText) {
  Recreate("contract_round_trip", "id BIGINT PRIMARY KEY, n BIGINT, t TEXT");
  const std::vector<std::vector<SqlValue>> inserted = {
      {int64_t{1}, Null(), Null()},
      {int64_t{2}, std::numeric_limits<int64_t>::min(), std::string("it's \"quoted\"; -- not")},
      {int64_t{3}, std::numeric_limits<int64_t>::max(), std::string("héllo — 日本語 🎉")},
      {int64_t{4}, int64_t{0}, std::string("what? ?? $1 ?")},
      {int64_t{5}, int64_t{-1}, std::string()},
      {int64_t{6}, Null(), std::string("line\nbreak\ttab\\backslash")},
  };
  Status status = Write([&](SqlSession& s) -> Status {
    for (const auto& params : inserted) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO contract_round_trip (id, n, t) VALUES (?, ?, ?)", params)
              .status());
    }
    return OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();

  std::vector<Row> rows = ReadRows("SELECT id, n, t FROM contract_round_trip ORDER BY id");
  ASSERT_EQ(rows.size(), inserted.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < 3; ++c) {
      EXPECT_EQ(rows[r].Value(c), inserted[r][c]) << "row " << r << " column " << c;
    }
  }
  EXPECT_TRUE(rows[4].Text(2).empty());
  EXPECT_FALSE(rows[4].IsNull(2)) << "the empty string must stay distinct from NULL";
}

TEST_P(DatabaseContract, SelectsParametersAndExpressionsAsTheirTypes) {
  std::vector<Row> rows = ReadRows("SELECT ?, 40 + 2, COUNT(*) FROM (SELECT 1 AS x) AS one",
                                   {std::string("text param")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Value(0), SqlValue(std::string("text param")));
  EXPECT_EQ(rows[0].Value(1), SqlValue(int64_t{42}));
  EXPECT_EQ(rows[0].Value(2), SqlValue(int64_t{1}));
}

TEST_P(DatabaseContract, ExecuteReportsRowsChanged) {
  Recreate("contract_rows_changed", "id BIGINT PRIMARY KEY, n BIGINT NOT NULL");
  Status status = Write([&](SqlSession& s) -> Status {
    for (int64_t id = 1; id <= 3; ++id) {
      TUTTI_ASSIGN_OR_RETURN(
          int64_t inserted,
          s.Execute("INSERT INTO contract_rows_changed (id, n) VALUES (?, ?)", {id, id * 10}));
      EXPECT_EQ(inserted, 1);
    }
    TUTTI_ASSIGN_OR_RETURN(
        int64_t updated,
        s.Execute("UPDATE contract_rows_changed SET n = n + 1 WHERE n > ?", {int64_t{10}}));
    EXPECT_EQ(updated, 2);
    TUTTI_ASSIGN_OR_RETURN(
        int64_t none,
        s.Execute("UPDATE contract_rows_changed SET n = 0 WHERE id = ?", {int64_t{99}}));
    EXPECT_EQ(none, 0);
    TUTTI_ASSIGN_OR_RETURN(int64_t deleted, s.Execute("DELETE FROM contract_rows_changed"));
    EXPECT_EQ(deleted, 3);
    return OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_P(DatabaseContract, CommittedWritesAreVisibleToLaterTransactions) {
  Recreate("contract_commit", "id BIGINT PRIMARY KEY, t TEXT NOT NULL");
  Status status = Write([](SqlSession& s) {
    return s
        .Execute("INSERT INTO contract_commit (id, t) VALUES (?, ?)",
                 {int64_t{7}, std::string("seven")})
        .status();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();

  std::vector<Row> rows = ReadRows("SELECT t FROM contract_commit WHERE id = ?", {int64_t{7}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "seven");
}

TEST_P(DatabaseContract, FailingBodyRollsBackEverythingItWroteAndReturnsItsStatus) {
  Recreate("contract_rollback", "id BIGINT PRIMARY KEY, n BIGINT NOT NULL");
  ASSERT_TRUE(Write([](SqlSession& s) {
                return s.Execute("INSERT INTO contract_rollback (id, n) VALUES (1, 100)").status();
              }).ok());

  Status status = Write([](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO contract_rollback (id, n) VALUES (2, 200)").status());
    TUTTI_RETURN_IF_ERROR(s.Execute("UPDATE contract_rollback SET n = 0").status());
    TUTTI_RETURN_IF_ERROR(s.ExecuteScript("DELETE FROM contract_rollback WHERE id = 1"));
    return Conflict("activation changed since it was read", "version");
  });
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_EQ(status.message(), "activation changed since it was read");
  EXPECT_EQ(status.field(), "version");

  std::vector<Row> rows = ReadRows("SELECT id, n FROM contract_rollback ORDER BY id");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Int(1), 100);
}

TEST_P(DatabaseContract, UniqueViolationIsAlreadyExistsAndRollsBack) {
  Recreate("contract_unique", "id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE");
  ASSERT_TRUE(Write([](SqlSession& s) {
                return s
                    .Execute("INSERT INTO contract_unique (id, email) VALUES (1, ?)",
                             {std::string("a@example.com")})
                    .status();
              }).ok());

  Status statement_status;
  Status status = Write([&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO contract_unique (id, email) VALUES (2, ?)",
                                    {std::string("b@example.com")})
                              .status());
    statement_status = s.Execute("INSERT INTO contract_unique (id, email) VALUES (3, ?)",
                                 {std::string("a@example.com")})
                           .status();
    return statement_status;
  });
  EXPECT_EQ(statement_status.code(), StatusCode::kAlreadyExists) << statement_status.ToString();
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  EXPECT_EQ(Count("contract_unique"), 1) << "the row written before the violation must be gone";
}

TEST_P(DatabaseContract, OtherConstraintViolationIsFailedPrecondition) {
  Recreate("contract_not_null", "id BIGINT PRIMARY KEY, name TEXT NOT NULL");
  Status status = Write([](SqlSession& s) {
    return s.Execute("INSERT INTO contract_not_null (id, name) VALUES (?, ?)", {int64_t{1}, Null()})
        .status();
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_EQ(status.reason(), "constraint_violation");
}

TEST_P(DatabaseContract, QuestionMarkInsideQuotesIsNotAPlaceholder) {
  Recreate("contract_quotes", "\"odd?name\" TEXT NOT NULL, b TEXT NOT NULL");
  Status status = Write([](SqlSession& s) {
    return s
        .Execute("INSERT INTO contract_quotes (\"odd?name\", b) VALUES ('why? it''s ?', ?)",
                 {std::string("x")})
        .status();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();

  std::vector<Row> rows = ReadRows(
      "SELECT \"odd?name\", b, '?' FROM contract_quotes WHERE \"odd?name\" = 'why? it''s ?' "
      "AND b = ?",
      {std::string("x")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "why? it's ?");
  EXPECT_EQ(rows[0].Text(1), "x");
  EXPECT_EQ(rows[0].Text(2), "?");
}

TEST_P(DatabaseContract, ExecuteScriptRunsEveryStatement) {
  Status status = Write([](SqlSession& s) {
    return s.ExecuteScript(
        "DROP TABLE IF EXISTS contract_script;\n"
        "CREATE TABLE contract_script (id BIGINT PRIMARY KEY, t TEXT);\n"
        "INSERT INTO contract_script (id, t) VALUES (1, 'one; still one');\n"
        "-- a comment with a ? and a ;\n"
        "INSERT INTO contract_script (id, t) VALUES (2, 'two?');\n");
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Column(ReadRows("SELECT t FROM contract_script ORDER BY id"), 0),
            (std::vector<SqlValue>{std::string("one; still one"), std::string("two?")}));
}

// Backends differ in what a failed statement does to the rest of its transaction (SQLite undoes
// the statement, PostgreSQL the transaction), but neither may report a write durable that is not.
TEST_P(DatabaseContract, NeverAcknowledgesAWriteItDidNotKeep) {
  Recreate("contract_swallowed", "id BIGINT PRIMARY KEY");
  ASSERT_TRUE(Write([](SqlSession& s) {
                return s.Execute("INSERT INTO contract_swallowed (id) VALUES (1)").status();
              }).ok());

  Status status = Write([](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO contract_swallowed (id) VALUES (2)").status());
    Status duplicate = s.Execute("INSERT INTO contract_swallowed (id) VALUES (1)").status();
    EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists) << duplicate.ToString();
    return OkStatus();  // deliberately ignores the failure
  });
  std::vector<Row> kept = ReadRows("SELECT id FROM contract_swallowed WHERE id = 2");
  if (status.ok()) {
    EXPECT_EQ(kept.size(), 1u) << "Transact returned OK but the write is missing";
  } else {
    EXPECT_TRUE(kept.empty()) << "Transact failed (" << status.ToString() << ") but wrote";
  }
}

TEST_P(DatabaseContract, ConcurrentWriteTransactionsLoseNoIncrement) {
  Recreate("contract_counter", "id BIGINT PRIMARY KEY, value BIGINT NOT NULL");
  ASSERT_TRUE(Write([](SqlSession& s) {
                return s.Execute("INSERT INTO contract_counter (id, value) VALUES (1, 0)").status();
              }).ok());

  constexpr int kThreads = 8;
  constexpr int kIncrementsPerThread = 25;
  std::vector<Status> failures[kThreads];
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        Status status = Write([](SqlSession& s) -> Status {
          // SQLite's kWrite already holds the database write lock; PostgreSQL locks the row.
          std::string select = "SELECT value FROM contract_counter WHERE id = ?";
          if (s.dialect() == Dialect::kPostgres) select += " FOR UPDATE";
          TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(select, {int64_t{1}}));
          if (rows.size() != 1) return Internal("counter row missing");
          return s
              .Execute("UPDATE contract_counter SET value = ? WHERE id = ?",
                       {rows[0].Int(0) + 1, int64_t{1}})
              .status();
        });
        if (!status.ok()) failures[t].push_back(status);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    for (const Status& failure : failures[t])
      ADD_FAILURE() << "thread " << t << ": " << failure.ToString();
  }
  std::vector<Row> rows = ReadRows("SELECT value FROM contract_counter WHERE id = 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), kThreads * kIncrementsPerThread);
}

TEST_P(DatabaseContract, DisplayUrlHidesThePassword) {
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(db_->DisplayUrl(), url_) << "a sqlite: URL carries no credentials to hide";
    return;
  }
  std::string with_password =
      url_ + (url_.find('?') == std::string::npos ? "?" : "&") + "password=hunter2-secret";
  auto opened = OpenDatabase(with_password);
  // A trust-authenticated test server ignores the password; one that checks it refuses it. Either
  // way the password must appear nowhere a log line could pick it up.
  if (opened.ok()) {
    std::string display = (*opened)->DisplayUrl();
    EXPECT_EQ(display.find("hunter2"), std::string::npos) << display;
    EXPECT_NE(display.find("host="), std::string::npos)
        << "the rest of the URL is kept: " << display;
  } else {
    EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
    EXPECT_EQ(opened.status().message().find("hunter2"), std::string::npos)
        << opened.status().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContract,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

TEST(PostgresPlaceholders, NumbersQuestionMarksOutsideQuotesAndComments) {
  postgres_internal::NumberedSql numbered = postgres_internal::NumberPlaceholders(
      "SELECT \"a?\", 'b?''?', ? FROM t -- c?\nWHERE x = ? /* d? */ AND y IN (?, ?)");
  EXPECT_EQ(numbered.text,
            "SELECT \"a?\", 'b?''?', $1 FROM t -- c?\nWHERE x = $2 /* d? */ AND y IN ($3, $4)");
  EXPECT_EQ(numbered.placeholder_count, 4u);
}

TEST(PostgresPlaceholders, CopiesUnterminatedQuotesThroughForTheServerToReject) {
  postgres_internal::NumberedSql numbered =
      postgres_internal::NumberPlaceholders("SELECT ? WHERE a = 'open ?");
  EXPECT_EQ(numbered.text, "SELECT $1 WHERE a = 'open ?");
  EXPECT_EQ(numbered.placeholder_count, 1u);
}

TEST(PostgresConnectionString, RedactsPasswordFromUriUserInfoAndQuery) {
  using postgres_internal::RedactConnectionString;
  EXPECT_EQ(RedactConnectionString("postgresql://tutti:s3cret@db.example.com:5432/tutti"),
            "postgresql://tutti@db.example.com:5432/tutti");
  EXPECT_EQ(RedactConnectionString("postgres://u:p%40ss@h/db?sslmode=require&password=x&a=b"),
            "postgres://u@h/db?sslmode=require&a=b");
  EXPECT_EQ(RedactConnectionString("postgresql://postgres@/tutti_test?pass%77ord=x&host=/tmp/pg"),
            "postgresql://postgres@/tutti_test?host=/tmp/pg");
  EXPECT_EQ(RedactConnectionString("postgresql:///tutti?password=x"), "postgresql:///tutti");
  EXPECT_EQ(RedactConnectionString("postgresql://h/db?host=/tmp/a@b"),
            "postgresql://h/db?host=/tmp/a@b");
}

TEST(PostgresConnectionString, RedactsPasswordFromKeywordValueString) {
  EXPECT_EQ(postgres_internal::RedactConnectionString(
                "host=/tmp/pg  password='it\\'s secret' user=tutti dbname = tutti"),
            "host=/tmp/pg user=tutti dbname = tutti");
}

TEST(PostgresDatabase, UnreachableServerIsUnavailableWithoutLeakingThePassword) {
  auto opened = OpenPostgresDatabase(
      "postgresql://nobody:hunter2-secret@/tutti_test?host=/nonexistent-tutti-socket-dir&"
      "connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
  EXPECT_EQ(opened.status().message().find("hunter2"), std::string::npos)
      << opened.status().message();
}

TEST(PostgresDatabase, MalformedUrlIsInvalidArgument) {
  auto opened = OpenPostgresDatabase("postgresql://host/db?nosuchoption=1");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument) << opened.status().ToString();
}

}  // namespace
}  // namespace tutti::storage
