// SQLite backend of storage::Database. Durability profile: WAL journal with synchronous=FULL (a
// transaction acknowledged by Transact survives power loss), foreign keys on, and a busy timeout
// so writers queue for the single write lock. Connections are pooled; each is used by one thread
// at a time (SQLITE_OPEN_NOMUTEX), handed out under a mutex.
#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "tutti/storage/database.h"

namespace tutti::storage {
namespace {

constexpr int kPoolSize = 8;
constexpr int kBusyTimeoutMs = 10000;
// Statements are prepared once per connection and reused: re-preparing dominated short reads.
// The bound keeps ad-hoc SQL (which Tutti does not build, but a bug might) from growing it.
constexpr size_t kMaxCachedStatements = 512;

// One pooled connection and the statements prepared on it.
struct Connection {
  sqlite3* db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements;
  ~Connection() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
  }
};

Status SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message =
      std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExists(message);
  }
  if (primary == SQLITE_CONSTRAINT) {
    return Status(StatusCode::kFailedPrecondition, message, {}, "constraint_violation");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Unavailable(message);
  return Internal(message);
}

class SqliteSession final : public SqlSession {
 public:
  explicit SqliteSession(Connection& connection) : connection_(connection), db_(connection.db) {}
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    TUTTI_RETURN_IF_ERROR(Run(sql, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override {
    std::vector<Row> rows;
    TUTTI_RETURN_IF_ERROR(Run(sql, params, &rows));
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string owned(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return Internal("sqlite script failed: " + message);
    }
    return OkStatus();
  }

 private:
  Status Run(std::string_view sql, const std::vector<SqlValue>& params, std::vector<Row>* rows) {
    sqlite3_stmt* stmt = nullptr;
    int rc = SQLITE_OK;
    std::string key(sql);
    auto cached = connection_.statements.find(key);
    bool keep = cached != connection_.statements.end();
    if (keep) {
      stmt = cached->second;
    } else {
      keep = connection_.statements.size() < kMaxCachedStatements;
      rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      if (keep) connection_.statements.emplace(std::move(key), stmt);
    }
    // A cached statement is reset for its next use; an uncached one is finalized.
    auto release = [keep](sqlite3_stmt* s) {
      if (keep) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      } else {
        sqlite3_finalize(s);
      }
    };
    std::unique_ptr<sqlite3_stmt, decltype(release)> guard(stmt, release);
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const SqlValue& p = params[i];
      if (const auto* n = std::get_if<int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()),
                               SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (rows == nullptr) continue;
      int columns = sqlite3_column_count(stmt);
      std::vector<SqlValue> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(
                std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      rows->emplace_back(std::move(values));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, sqlite3_extended_errcode(db_), "step");
    return OkStatus();
  }

  Connection& connection_;
  sqlite3* db_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}

  Status Open() {
    for (int i = 0; i < kPoolSize; ++i) {
      auto connection = std::make_unique<Connection>();
      int rc = sqlite3_open_v2(path_.c_str(), &connection->db,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                               nullptr);
      if (rc != SQLITE_OK) {
        return Unavailable("cannot open SQLite database " + path_ + ": " +
                           (connection->db ? sqlite3_errmsg(connection->db) : sqlite3_errstr(rc)));
      }
      sqlite3_busy_timeout(connection->db, kBusyTimeoutMs);
      SqliteSession session(*connection);
      TUTTI_RETURN_IF_ERROR(session.ExecuteScript(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
      idle_.push_back(connection.get());
      connections_.push_back(std::move(connection));
    }
    return OkStatus();
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string DisplayUrl() const override { return "sqlite:" + path_; }

  Status Transact(TransactionMode mode, const std::function<Status(SqlSession&)>& body) override {
    Connection* connection = Acquire();
    Status status = RunTransaction(*connection, mode, body);
    Release(connection);
    return status;
  }

 private:
  static Status RunTransaction(Connection& connection, TransactionMode mode,
                               const std::function<Status(SqlSession&)>& body) {
    SqliteSession session(connection);
    TUTTI_RETURN_IF_ERROR(
        session.Execute(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {})
            .status());
    Status status = body(session);
    if (status.ok()) {
      Status commit = session.Execute("COMMIT", {}).status();
      if (commit.ok()) return commit;
      status = commit;
    }
    if (!sqlite3_get_autocommit(connection.db)) (void)session.Execute("ROLLBACK", {});
    return status;
  }

  Connection* Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty(); });
    Connection* connection = idle_.back();
    idle_.pop_back();
    return connection;
  }
  void Release(Connection* connection) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(connection);
    }
    available_.notify_one();
  }

  std::string path_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(std::string_view path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return InvalidArgument("sqlite URL needs a file path, e.g. sqlite:tutti-data/tutti.db", "db",
                           "invalid_db_url");
  }
  std::filesystem::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return Unavailable("cannot create directory " + file.parent_path().string());
  auto db = std::make_unique<SqliteDatabase>(std::string(path));
  TUTTI_RETURN_IF_ERROR(db->Open());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace tutti::storage
