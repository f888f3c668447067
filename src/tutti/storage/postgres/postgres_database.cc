// PostgreSQL backend of storage::Database, over libpq. Durability profile: every session runs with
// synchronous_commit=on (a transaction acknowledged by Transact is flushed to the server's WAL),
// a lock timeout so waiting writers surface as kUnavailable instead of hanging, and UTF-8 text.
// Connections are pooled and opened lazily up to kPoolSize; each is used by one thread at a time
// (libpq's rule), handed out under a mutex. A connection found broken is reset before reuse.
#include "tutti/storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tutti/storage/database.h"

namespace tutti::storage {
namespace postgres_internal {

NumberedSql NumberPlaceholders(std::string_view sql) {
  NumberedSql out;
  out.text.reserve(sql.size() + 8);
  size_t i = 0;
  // Copies sql[i..] up to and including `terminator` (or to the end when it never appears).
  auto copy_through = [&](std::string_view terminator) {
    size_t end = sql.find(terminator, i);
    end = end == std::string_view::npos ? sql.size() : end + terminator.size();
    out.text.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '?') {
      out.text += '$';
      out.text += std::to_string(++out.placeholder_count);
      ++i;
    } else if (c == '\'' || c == '"') {
      // A doubled quote inside a literal ends one run and starts the next, so no special case.
      out.text += c;
      ++i;
      copy_through(c == '\'' ? "'" : "\"");
    } else if (sql.substr(i, 2) == "--") {
      copy_through("\n");
    } else if (sql.substr(i, 2) == "/*") {
      out.text.append("/*");
      i += 2;
      copy_through("*/");
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

namespace {

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr ==
            text.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string RedactUri(std::string_view uri, size_t scheme_length) {
  std::string out(uri.substr(0, scheme_length));
  std::string_view rest = uri.substr(scheme_length);
  // libpq takes everything before the first '@' as user-info unless a '/' comes first.
  size_t at = rest.find_first_of("@/");
  if (at != std::string_view::npos && rest[at] == '@') {
    std::string_view user_info = rest.substr(0, at);
    out.append(user_info.substr(0, user_info.find(':')));
    rest.remove_prefix(at);
  }
  size_t query_start = rest.find('?');
  out.append(rest.substr(0, query_start));
  if (query_start == std::string_view::npos) return out;
  std::string_view query = rest.substr(query_start + 1);
  char separator = '?';
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (PercentDecode(pair.substr(0, pair.find('='))) == "password") continue;
    out += separator;
    out.append(pair);
    separator = '&';
  }
  return out;
}

// Keyword/value form: `host=/tmp user=tutti password='a b'`.
std::string RedactKeywordValue(std::string_view conninfo) {
  std::string out;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i]))) ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= conninfo.size()) break;
    size_t pair_start = i;
    while (i < conninfo.size() && conninfo[i] != '=' &&
           !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
      ++i;
    }
    std::string_view key = conninfo.substr(pair_start, i - pair_start);
    skip_spaces();
    if (i < conninfo.size() && conninfo[i] == '=') ++i;
    skip_spaces();
    bool quoted = i < conninfo.size() && conninfo[i] == '\'';
    if (quoted) ++i;
    while (i < conninfo.size()) {
      char c = conninfo[i];
      if (c == '\\' && i + 1 < conninfo.size()) {
        i += 2;
        continue;
      }
      if (quoted ? c == '\'' : std::isspace(static_cast<unsigned char>(c)) != 0) break;
      ++i;
    }
    if (quoted && i < conninfo.size()) ++i;
    if (key == "password") continue;
    if (!out.empty()) out += ' ';
    out.append(conninfo.substr(pair_start, i - pair_start));
  }
  return out;
}

}  // namespace

std::string RedactConnectionString(std::string_view conninfo) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (conninfo.starts_with(scheme)) return RedactUri(conninfo, scheme.size());
  }
  return RedactKeywordValue(conninfo);
}

}  // namespace postgres_internal

namespace {

using postgres_internal::NumberedSql;
using postgres_internal::NumberPlaceholders;
using postgres_internal::RedactConnectionString;

constexpr int kPoolSize = 8;

// Run on every new or reset connection, overriding anything the URL's `options` set:
//   synchronous_commit=on   an acknowledged COMMIT is flushed to the WAL (never trade durability);
//   lock_timeout            as the SQLite backend's busy timeout: a writer queued this long for a
//                           row lock gives up with kUnavailable instead of hanging;
//   client_encoding         text parameters and results are UTF-8 bytes, as on SQLite;
//   client_min_messages     keeps NOTICEs ("table does not exist, skipping") off stderr;
//   standard_conforming_strings  '' is the only escape in literals, as NumberPlaceholders assumes.
constexpr std::string_view kSessionSetup =
    "SET synchronous_commit = on;"
    "SET lock_timeout = '10s';"
    "SET client_encoding = 'UTF8';"
    "SET client_min_messages = warning;"
    "SET standard_conforming_strings = on;";

// Type OIDs from the server's pg_type catalogue (stable since PostgreSQL 7).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string TrimTrailingNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Maps a failed command to a canonical Status by SQLSTATE. The message carries the server's
// primary message but not its DETAIL, which can echo row values (e-mail addresses, tokens).
Status PostgresError(PGconn* conn, const PGresult* result, std::string_view context) {
  const char* sqlstate_field =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = sqlstate_field != nullptr ? sqlstate_field : "";
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = std::string(context) + ": ";
  if (primary != nullptr) {
    message += primary;
  } else if (result != nullptr && *PQresultErrorMessage(result) != '\0') {
    message += TrimTrailingNewlines(PQresultErrorMessage(result));
  } else {
    message += TrimTrailingNewlines(PQerrorMessage(conn));
  }
  if (!sqlstate.empty()) message += " (SQLSTATE " + std::string(sqlstate) + ")";

  if (sqlstate == "23505") return AlreadyExists(message);
  if (sqlstate.starts_with("23")) {
    return Status(StatusCode::kFailedPrecondition, message, {}, "constraint_violation");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") return Conflict(message);
  // Lost connections, server shutdown, too many connections, lock timeout.
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate.starts_with("53") ||
      sqlstate == "55P03") {
    return Unavailable(message);
  }
  // libpq reports a dropped connection without a SQLSTATE.
  if (PQstatus(conn) != CONNECTION_OK) return Unavailable(message);
  return Internal(message);
}

SqlValue ParseCell(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  auto length = static_cast<size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t value = 0;
      std::from_chars(text, text + length, value);
      return value;
    }
    case kBoolOid:
      // Portable SQL treats booleans as 0/1, which is what SQLite returns for a comparison.
      return int64_t{length > 0 && text[0] == 't' ? 1 : 0};
    default:
      return std::string(text, length);
  }
}

class PostgresSession final : public SqlSession {
 public:
  explicit PostgresSession(PGconn* conn) : conn_(conn) {}
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    TUTTI_ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    std::string_view tuples = PQcmdTuples(result.get());
    int64_t changed = 0;
    // Empty for commands without a row count (DDL, SET).
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), changed);
    return changed;
  }

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override {
    TUTTI_ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    int row_count = PQntuples(result.get());
    int column_count = PQnfields(result.get());
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(row_count));
    for (int r = 0; r < row_count; ++r) {
      std::vector<SqlValue> values;
      values.reserve(static_cast<size_t>(column_count));
      for (int c = 0; c < column_count; ++c) values.push_back(ParseCell(result.get(), r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string owned(sql);
    ResultPtr result(PQexec(conn_, owned.c_str()), &PQclear);
    return CheckResult(result.get(), "script");
  }

  // Runs a parameterless command (BEGIN, COMMIT, ROLLBACK, SET) and returns its command tag.
  Result<std::string> Command(const char* sql) {
    ResultPtr result(PQexec(conn_, sql), &PQclear);
    TUTTI_RETURN_IF_ERROR(CheckResult(result.get(), sql));
    return std::string(PQcmdStatus(result.get()));
  }

 private:
  Status CheckResult(const PGresult* result, std::string_view context) {
    switch (PQresultStatus(result)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        return OkStatus();
      default:
        return PostgresError(conn_, result, context);
    }
  }

  Result<ResultPtr> Run(std::string_view sql, const std::vector<SqlValue>& params) {
    NumberedSql numbered = NumberPlaceholders(sql);
    if (numbered.placeholder_count != params.size()) {
      return Internal("statement has " + std::to_string(numbered.placeholder_count) +
                      " placeholders but " + std::to_string(params.size()) +
                      " parameters were given: " + std::string(sql.substr(0, 200)));
    }
    // Text format for every parameter; the server infers each type from its use.
    std::vector<std::string> integer_texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        integer_texts[i] = std::to_string(*n);
        values[i] = integer_texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    ResultPtr result(PQexecParams(conn_, numbered.text.c_str(), static_cast<int>(params.size()),
                                  /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                                  /*paramFormats=*/nullptr, /*resultFormat=*/0),
                     &PQclear);
    TUTTI_RETURN_IF_ERROR(CheckResult(result.get(), "statement"));
    return result;
  }

  PGconn* conn_;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::string conninfo)
      : conninfo_(std::move(conninfo)), display_url_(RedactConnectionString(conninfo_)) {}
  ~PostgresDatabase() override {
    for (PGconn* conn : idle_) PQfinish(conn);
  }

  // Opens the first connection now so that an unreachable server is reported by Open.
  Status Open() {
    TUTTI_ASSIGN_OR_RETURN(PGconn * conn, Connect());
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
    open_count_ = 1;
    return OkStatus();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string DisplayUrl() const override { return display_url_; }

  Status Transact(TransactionMode mode, const std::function<Status(SqlSession&)>& body) override {
    TUTTI_ASSIGN_OR_RETURN(PGconn * conn, Acquire());
    // Returns the connection (rolled back if a transaction is still open) even if body throws.
    auto release = [this](PGconn* c) { Release(c); };
    std::unique_ptr<PGconn, decltype(release)> lease(conn, release);
    PostgresSession session(conn);
    const char* begin = mode == TransactionMode::kWrite
                            ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    Status began = session.Command(begin).status();
    // An idle pooled connection can die unnoticed (server restart); nothing has run yet, so
    // reconnecting and beginning again is safe.
    if (!began.ok() && PQstatus(conn) != CONNECTION_OK) {
      TUTTI_RETURN_IF_ERROR(Reset(conn));
      began = session.Command(begin).status();
    }
    TUTTI_RETURN_IF_ERROR(began);

    Status status = body(session);
    if (!status.ok()) return status;  // the lease rolls back
    TUTTI_ASSIGN_OR_RETURN(std::string tag, session.Command("COMMIT"));
    // COMMIT of a transaction in which a statement failed succeeds with tag ROLLBACK; the body
    // ignored that failure, but its writes are gone and Transact must not report them durable.
    if (tag != "COMMIT") {
      return Status(StatusCode::kAborted,
                    "transaction was rolled back because a statement in it failed", {},
                    "transaction_aborted");
    }
    return OkStatus();
  }

 private:
  Result<PGconn*> Connect() {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (conn == nullptr) return Unavailable("cannot allocate a PostgreSQL connection");
    if (PQstatus(conn) != CONNECTION_OK) {
      Status status = Unavailable("cannot connect to PostgreSQL at " + display_url_ + ": " +
                                  TrimTrailingNewlines(PQerrorMessage(conn)));
      PQfinish(conn);
      return status;
    }
    Status setup = PostgresSession(conn).ExecuteScript(kSessionSetup);
    if (!setup.ok()) {
      PQfinish(conn);
      return setup;
    }
    return conn;
  }

  Status Reset(PGconn* conn) {
    PQreset(conn);
    if (PQstatus(conn) != CONNECTION_OK) {
      return Unavailable("cannot reconnect to PostgreSQL at " + display_url_ + ": " +
                         TrimTrailingNewlines(PQerrorMessage(conn)));
    }
    // Session settings do not survive a reset.
    return PostgresSession(conn).ExecuteScript(kSessionSetup);
  }

  Result<PGconn*> Acquire() {
    PGconn* conn = nullptr;
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [&] { return !idle_.empty() || open_count_ < kPoolSize; });
      if (!idle_.empty()) {
        conn = idle_.back();
        idle_.pop_back();
      } else {
        ++open_count_;  // reserve the slot; connecting happens outside the lock
      }
    }
    if (conn == nullptr) {
      Result<PGconn*> connected = Connect();
      if (!connected.ok()) Discard(nullptr);
      return connected;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
      Status reset = Reset(conn);
      if (!reset.ok()) {
        Discard(conn);
        return reset;
      }
    }
    return conn;
  }

  void Release(PGconn* conn) {
    if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE) {
      ResultPtr rollback(PQexec(conn, "ROLLBACK"), &PQclear);
    }
    // A connection still mid-transaction (or mid-command) after that cannot be trusted.
    PGTransactionStatusType state = PQtransactionStatus(conn);
    if (PQstatus(conn) == CONNECTION_OK && state != PQTRANS_IDLE) {
      Discard(conn);
      return;
    }
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(conn);
    }
    available_.notify_one();
  }

  // Closes `conn` (if any) and frees its pool slot.
  void Discard(PGconn* conn) {
    if (conn != nullptr) PQfinish(conn);
    {
      std::lock_guard lock(mutex_);
      --open_count_;
    }
    available_.notify_one();
  }

  const std::string conninfo_;
  const std::string display_url_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PGconn*> idle_;  // guarded by mutex_
  int open_count_ = 0;         // idle plus lent out; guarded by mutex_
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresDatabase(std::string_view url) {
  std::string conninfo(url);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    std::string reason =
        parse_error != nullptr ? TrimTrailingNewlines(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return InvalidArgument("invalid PostgreSQL URL " + RedactConnectionString(url) + ": " + reason,
                           "db", "invalid_db_url");
  }
  PQconninfoFree(options);
  auto db = std::make_unique<PostgresDatabase>(std::move(conninfo));
  TUTTI_RETURN_IF_ERROR(db->Open());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace tutti::storage
