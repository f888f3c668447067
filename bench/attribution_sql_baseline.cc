// Last touch computed by SQL: the baseline issue 4 asks for ("the same last-touch computed by SQL
// in SQLite/PostgreSQL, and report the ratio"). For each size, the same generated events as
// tutti_attribution_benchmark (attribution_events.h) are
//   1. attributed by the engine: BuildJourneys + Attribute(last) by channel, on 1 and 2 threads;
//   2. loaded into an in-memory SQLite database (timed, but not part of the ratio) and attributed
//      by one query of window functions with the engine's rules: a user's events ordered by time,
//      then event id (bytes), then row; a conversion's last touch is the latest touchpoint after
//      the user's previous conversion whose age is within the click window (clicks, engagements)
//      or the view window (impressions), inclusive; no such touchpoint means "(direct)";
//   3. the same in PostgreSQL when TUTTI_BENCH_POSTGRES_URL is set (loaded with COPY into a
//      temporary table).
// The credits of every SQL run must equal the engine's (conversions exactly, revenue to 1e-9
// relative), or the driver aborts. It prints each time and the ratio SQL / engine.
//
// Usage: tutti_attribution_sql_baseline [TOUCHES...]   (default: 1000000 10000000)
// Single-threaded driver; SQLite runs in this process, PostgreSQL in its server.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "attribution_events.h"
#include "tutti/attribution/attribution.h"

namespace tutti::attribution {
namespace {

// The engine's default windows.
constexpr std::chrono::seconds kClickLookback = std::chrono::days(30);
constexpr std::chrono::seconds kViewLookback = std::chrono::days(1);
constexpr int64_t kClickLookbackMs = kClickLookback.count() * 1000;
constexpr int64_t kViewLookbackMs = kViewLookback.count() * 1000;

struct ChannelCredit {
  double conversions = 0, revenue = 0;
};
using Credits = std::map<std::string, ChannelCredit>;  // credited channels only

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "attribution_sql_baseline: %s\n", message.c_str());
  std::abort();
}

// Wall time, and the CPU time of this process: the machine is shared, so a single-threaded
// phase is also judged by the CPU it used, which other processes do not inflate.
struct Timing {
  double wall = 0, cpu = 0;
};
class Stopwatch {
 public:
  Timing Elapsed() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count(),
            static_cast<double>(std::clock() - cpu_) / CLOCKS_PER_SEC};
  }

 private:
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  std::clock_t cpu_ = std::clock();
};

const char* TypeName(EventType type) {
  switch (type) {
    case EventType::kImpression:
      return "impression";
    case EventType::kClick:
      return "click";
    case EventType::kEngagement:
      return "engagement";
    case EventType::kConversion:
      return "conversion";
  }
  return "?";
}

// The engine's last-touch credits by channel, the best wall and CPU times of three in *best.
Credits EngineLastTouch(const EventTable& events, int threads, Timing* best) {
  Credits credits;
  *best = {INFINITY, INFINITY};
  for (int run = 0; run < 3; ++run) {
    const Stopwatch stopwatch;
    JourneyOptions journey_options;
    journey_options.click_lookback = kClickLookback;
    journey_options.view_lookback = kViewLookback;
    journey_options.threads = threads;
    Result<Journeys> journeys = BuildJourneys(events, journey_options);
    if (!journeys.ok()) Die(journeys.status().ToString());
    ModelOptions model;
    model.model = Model::kLast;
    model.threads = threads;
    Result<Credit> credit = Attribute(*journeys, model);
    if (!credit.ok()) Die(credit.status().ToString());
    const Timing elapsed = stopwatch.Elapsed();
    best->wall = std::min(best->wall, elapsed.wall);
    best->cpu = std::min(best->cpu, elapsed.cpu);
    credits.clear();
    for (uint32_t k = 0; k < journeys->keys.size(); ++k) {
      if (credit->conversions[k] == 0) continue;
      credits[journeys->keys.Name(k)] = {credit->conversions[k], credit->revenue[k]};
    }
  }
  return credits;
}

// One query of window functions, in the SQL both databases speak; `byte_order` makes event ids
// compare as bytes, as the engine compares them (SQLite's default; PostgreSQL needs the "C"
// collation). No join: a join of the conversions back to their touches found no index in SQLite
// and took 220 s for 110 000 events.
std::string LastTouchQuery(const std::string& byte_order) {
  return R"(
WITH ordered AS (
  SELECT user_key, ts, type, channel, value,
         ROW_NUMBER() OVER (PARTITION BY user_key ORDER BY ts, event_id )" +
         byte_order + R"(, row_no) AS pos
  FROM events),
counted AS (
  -- segment: the conversions before the row, so that a conversion shares the segment of the
  -- touchpoints it closes; clicks, views: the touchpoints of each window so far.
  SELECT *,
         COALESCE(SUM(CASE WHEN type = 'conversion' THEN 1 ELSE 0 END)
                    OVER (u ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS segment,
         SUM(CASE WHEN type IN ('click', 'engagement') THEN 1 ELSE 0 END)
           OVER (u ROWS UNBOUNDED PRECEDING) AS clicks,
         SUM(CASE WHEN type = 'impression' THEN 1 ELSE 0 END)
           OVER (u ROWS UNBOUNDED PRECEDING) AS views
  FROM ordered
  WINDOW u AS (PARTITION BY user_key ORDER BY pos)),
latest AS (
  -- The first row with a given count of clicks is the click that made it: the latest click of
  -- every row after it (likewise impressions).
  SELECT type, ts, value, segment, clicks, views,
         FIRST_VALUE(pos) OVER c AS click_pos, FIRST_VALUE(ts) OVER c AS click_ts,
         FIRST_VALUE(segment) OVER c AS click_segment,
         FIRST_VALUE(channel) OVER c AS click_channel,
         FIRST_VALUE(pos) OVER v AS view_pos, FIRST_VALUE(ts) OVER v AS view_ts,
         FIRST_VALUE(segment) OVER v AS view_segment,
         FIRST_VALUE(channel) OVER v AS view_channel
  FROM counted
  WINDOW c AS (PARTITION BY user_key, clicks ORDER BY pos),
         v AS (PARTITION BY user_key, views ORDER BY pos)),
eligible AS (
  -- Time never decreases along pos, so an older click or impression is older still: only the
  -- latest of each kind since the previous conversion can be the last touch, if in its window.
  SELECT value, click_channel, view_channel,
         CASE WHEN clicks > 0 AND click_segment = segment AND ts - click_ts <= )" +
         std::to_string(kClickLookbackMs) + R"(
              THEN click_pos END AS click_at,
         CASE WHEN views > 0 AND view_segment = segment AND ts - view_ts <= )" +
         std::to_string(kViewLookbackMs) + R"(
              THEN view_pos END AS view_at
  FROM latest
  WHERE type = 'conversion')
SELECT CASE WHEN click_at IS NOT NULL AND (view_at IS NULL OR click_at > view_at)
            THEN click_channel
            WHEN view_at IS NOT NULL THEN view_channel
            ELSE '(direct)' END AS channel,
       COUNT(*) AS conversions, SUM(value) AS revenue
FROM eligible
GROUP BY 1
ORDER BY 1)";
}

void CheckSameCredits(const Credits& engine, const Credits& sql, const char* database) {
  for (const auto& [channel, credit] : engine) {
    const auto it = sql.find(channel);
    if (it == sql.end()) Die(std::string(database) + " credits nothing to " + channel);
    const double tolerance = 1e-9 * std::max(1.0, std::fabs(credit.revenue));
    if (it->second.conversions != credit.conversions ||
        std::fabs(it->second.revenue - credit.revenue) > tolerance) {
      Die(std::string(database) + " credits " + channel + " with " +
          std::to_string(it->second.conversions) + " conversions and " +
          std::to_string(it->second.revenue) + " revenue; the engine " +
          std::to_string(credit.conversions) + " and " + std::to_string(credit.revenue));
    }
  }
  for (const auto& [channel, credit] : sql) {
    if (!engine.contains(channel)) Die(std::string(database) + " credits " + channel + " alone");
  }
}

void SqliteCheck(sqlite3* db, int code, const char* what) {
  if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW) {
    Die(std::string("SQLite ") + what + ": " + sqlite3_errmsg(db));
  }
}

// Loads the events into a fresh in-memory database and runs the query; the times come back in
// *load and *query.
Credits SqliteLastTouch(const EventTable& events, Timing* load, Timing* query) {
  sqlite3* db = nullptr;
  SqliteCheck(db, sqlite3_open(":memory:", &db), "open");
  auto exec = [&](const char* sql) {
    SqliteCheck(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
  };
  exec("PRAGMA temp_store = MEMORY");
  exec("PRAGMA cache_size = -4000000");  // 4 GB of pages: sorts stay in memory
  exec(
      "CREATE TABLE events (row_no INTEGER PRIMARY KEY, event_id TEXT NOT NULL, user_key TEXT "
      "NOT NULL, ts INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, value REAL "
      "NOT NULL)");
  const Stopwatch loading;
  exec("BEGIN");
  sqlite3_stmt* insert = nullptr;
  SqliteCheck(db,
              sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert,
                                 nullptr),
              "prepare insert");
  for (size_t row = 0; row < events.size(); ++row) {
    const std::string_view id = events.EventId(row);
    const std::string& user = events.users.Name(events.user[row]);
    const std::string& channel = events.channels.Name(events.channel[row]);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(row));
    sqlite3_bind_text(insert, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, user.data(), static_cast<int>(user.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 4, events.ts_ms[row]);
    sqlite3_bind_text(insert, 5, channel.data(), static_cast<int>(channel.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 6, TypeName(events.type[row]), -1, SQLITE_STATIC);
    sqlite3_bind_double(insert, 7, events.value[row]);
    SqliteCheck(db, sqlite3_step(insert), "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  exec("COMMIT");
  exec("ANALYZE");
  *load = loading.Elapsed();

  const Stopwatch querying;
  sqlite3_stmt* statement = nullptr;
  SqliteCheck(db, sqlite3_prepare_v2(db, LastTouchQuery("").c_str(), -1, &statement, nullptr),
              "prepare query");
  Credits credits;
  int code;
  while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
    const auto* channel = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    credits[channel] = {sqlite3_column_double(statement, 1), sqlite3_column_double(statement, 2)};
  }
  SqliteCheck(db, code, "query");
  sqlite3_finalize(statement);
  *query = querying.Elapsed();
  sqlite3_close(db);
  return credits;
}

// The same in PostgreSQL: COPY into a temporary table, then the query.
// The server does the work, so only wall times mean anything here.
Credits PostgresLastTouch(const char* url, const EventTable& events, Timing* load, Timing* query,
                          std::string* version) {
  PGconn* conn = PQconnectdb(url);
  if (PQstatus(conn) != CONNECTION_OK) Die(std::string("PostgreSQL: ") + PQerrorMessage(conn));
  auto exec = [&](const std::string& sql, ExecStatusType expected) {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != expected) {
      Die("PostgreSQL: " + sql.substr(0, 60) + ": " + PQerrorMessage(conn));
    }
    return result;
  };
  *version = std::to_string(PQserverVersion(conn) / 10000);
  // Enough memory that its sorts need not spill to disk, as SQLite's stay in memory.
  PQclear(exec("SET work_mem = '2GB'", PGRES_COMMAND_OK));
  PQclear(
      exec("CREATE TEMPORARY TABLE events (row_no BIGINT PRIMARY KEY, event_id TEXT NOT NULL, "
           "user_key TEXT NOT NULL, ts BIGINT NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, "
           "value DOUBLE PRECISION NOT NULL)",
           PGRES_COMMAND_OK));
  const Stopwatch loading;
  PQclear(exec("COPY events FROM STDIN", PGRES_COPY_IN));
  // The generated names hold no tab, newline or backslash, so COPY's text format needs no
  // escaping.
  std::string chunk;
  char number[64];
  for (size_t row = 0; row < events.size(); ++row) {
    chunk += std::to_string(row);
    chunk += '\t';
    chunk += events.EventId(row);
    chunk += '\t';
    chunk += events.users.Name(events.user[row]);
    chunk += '\t';
    chunk += std::to_string(events.ts_ms[row]);
    chunk += '\t';
    chunk += events.channels.Name(events.channel[row]);
    chunk += '\t';
    chunk += TypeName(events.type[row]);
    chunk += '\t';
    std::snprintf(number, sizeof number, "%.17g", events.value[row]);
    chunk += number;
    chunk += '\n';
    if (chunk.size() > (1 << 20) || row + 1 == events.size()) {
      if (PQputCopyData(conn, chunk.data(), static_cast<int>(chunk.size())) != 1) {
        Die(std::string("PostgreSQL COPY: ") + PQerrorMessage(conn));
      }
      chunk.clear();
    }
  }
  if (PQputCopyEnd(conn, nullptr) != 1) Die(std::string("PostgreSQL: ") + PQerrorMessage(conn));
  PGresult* copied = PQgetResult(conn);
  if (PQresultStatus(copied) != PGRES_COMMAND_OK) {
    Die(std::string("PostgreSQL COPY: ") + PQerrorMessage(conn));
  }
  PQclear(copied);
  while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
  PQclear(exec("ANALYZE events", PGRES_COMMAND_OK));
  *load = loading.Elapsed();

  const Stopwatch querying;
  PGresult* result = exec(LastTouchQuery("COLLATE \"C\""), PGRES_TUPLES_OK);
  Credits credits;
  for (int row = 0; row < PQntuples(result); ++row) {
    credits[PQgetvalue(result, row, 0)] = {std::strtod(PQgetvalue(result, row, 1), nullptr),
                                           std::strtod(PQgetvalue(result, row, 2), nullptr)};
  }
  PQclear(result);
  *query = querying.Elapsed();
  PQfinish(conn);
  return credits;
}

void Run(size_t touches) {
  const EventTable events = bench::MakeEvents(touches);
  size_t conversions = 0;
  for (EventType type : events.type) conversions += type == EventType::kConversion;
  std::printf("%zu touchpoints, %zu events, %zu conversions\n", touches, events.size(),
              conversions);
  std::fflush(stdout);

  Timing engine_1, engine_2;
  const Credits engine = EngineLastTouch(events, 1, &engine_1);
  EngineLastTouch(events, 2, &engine_2);
  std::printf(
      "  engine (BuildJourneys + last touch), best of 3: %.3f s (CPU %.3f s) on 1 thread, %.3f s "
      "on 2\n",
      engine_1.wall, engine_1.cpu, engine_2.wall);
  std::fflush(stdout);

  Timing load, query;
  const Credits sqlite = SqliteLastTouch(events, &load, &query);
  CheckSameCredits(engine, sqlite, "SQLite");
  std::printf(
      "  SQLite %s in memory: load %.2f s (not counted); query %.2f s (CPU %.2f s); credits "
      "equal the engine's; SQL / engine on 1 thread: %.0fx wall, %.0fx CPU\n",
      sqlite3_libversion(), load.wall, query.wall, query.cpu, query.wall / engine_1.wall,
      query.cpu / engine_1.cpu);
  std::fflush(stdout);

  if (const char* url = std::getenv("TUTTI_BENCH_POSTGRES_URL"); url != nullptr && *url != 0) {
    std::string version;
    const Credits postgres = PostgresLastTouch(url, events, &load, &query, &version);
    CheckSameCredits(engine, postgres, "PostgreSQL");
    std::printf(
        "  PostgreSQL %s: load (COPY) %.2f s (not counted); query %.2f s; credits equal the "
        "engine's; SQL / engine on 1 thread: %.0fx wall\n",
        version.c_str(), load.wall, query.wall, query.wall / engine_1.wall);
  }
  std::fflush(stdout);
}

}  // namespace
}  // namespace tutti::attribution

int main(int argc, char** argv) {
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) {
    const long long touches = std::atoll(argv[i]);
    if (touches <= 0) {
      std::fprintf(stderr, "usage: %s [TOUCHES...]  (positive counts; default 1000000 10000000)\n",
                   argv[0]);
      return 2;
    }
    sizes.push_back(static_cast<size_t>(touches));
  }
  if (sizes.empty()) sizes = {1'000'000, 10'000'000};
  for (size_t touches : sizes) tutti::attribution::Run(touches);
  return 0;
}
