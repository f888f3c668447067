// The one storage interface: a SQL database reached through transactions. Two backends implement
// it, SQLite (sqlite/) and PostgreSQL (postgres/); everything above (migrations, the Store) is
// written once against it in the portable subset of SQL the two share.
//
// Portable SQL rules for code above this interface:
//   - placeholders are `?`; the PostgreSQL backend rewrites them to `$1, $2, …`;
//   - column types are TEXT and BIGINT only (booleans are 0/1, instants are ISO-8601 text,
//     money is BIGINT micros), so values round-trip identically on both backends;
//   - row locking needs `Dialect()`: PostgreSQL appends FOR UPDATE, SQLite relies on its
//     database-wide write lock taken by a kWrite transaction.
//
// Thread-safety: a Database is shared by all threads; each Transact call borrows one connection
// for its duration. A SqlSession must not escape the callback nor be used from another thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tutti/base/status.h"

namespace tutti::storage {

// NULL, integer or text. Every column Tutti stores is one of these.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

inline SqlValue Null() { return std::monostate{}; }

class Row {
 public:
  explicit Row(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t column) const;
  // Text of the column ("" for NULL). Integers are rendered in decimal.
  std::string Text(size_t column) const;
  // Integer of the column (0 for NULL). Text is parsed, so BIGINT read back as text still works.
  int64_t Int(size_t column) const;
  const SqlValue& Value(size_t column) const { return values_.at(column); }

 private:
  std::vector<SqlValue> values_;
};

enum class Dialect { kSqlite, kPostgres };

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql,
                                  const std::vector<SqlValue>& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<SqlValue>& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
};

enum class TransactionMode {
  kRead,   // a consistent snapshot; writes are not expected
  kWrite,  // takes the write lock up front so that concurrent writers queue instead of deadlock
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // The URL it was opened with, with any password removed (safe to log).
  virtual std::string DisplayUrl() const = 0;
  // Runs `body` in one transaction: commits when it returns OK (and the commit is durable when
  // Transact returns OK), rolls back otherwise and returns body's Status unchanged. Uniqueness
  // violations surface as kAlreadyExists, lock timeouts and lost connections as kUnavailable.
  virtual Status Transact(TransactionMode mode, const std::function<Status(SqlSession&)>& body) = 0;
};

// Opens "sqlite:PATH" (the directory is created if missing; ":memory:" is refused because each
// pooled connection would see its own database) or "postgresql://…" / "postgres://…" (any libpq
// connection URI). Errors: kInvalidArgument for an unknown scheme, kUnavailable when the
// database cannot be reached.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url);

// The scheme-specific openers OpenDatabase dispatches to.
Result<std::unique_ptr<Database>> OpenSqliteDatabase(std::string_view path);
Result<std::unique_ptr<Database>> OpenPostgresDatabase(std::string_view url);

}  // namespace tutti::storage
