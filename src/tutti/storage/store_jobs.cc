// Background jobs in the database (store.h, "Background jobs"): scheduling with a dedupe key,
// leasing with a compare-and-set so that runners in several processes never hold one job at once,
// and completion guarded by the lease so that a job's effect commits at most once. Thread-safe as
// the Store is: every call is one transaction.
#include "tutti/base/ids.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::ParseStored;

constexpr char kJobColumns[] =
    "id, kind, dedupe_key, payload, run_at_ms, state, attempts, lease_owner, lease_until_ms, "
    "last_error, created_at, finished_at";

Instant FromMs(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }
int64_t ToMs(Instant t) { return t.time_since_epoch().count(); }

JobRecord JobFromRow(const Row& r) {
  JobRecord job{r.Text(0),        r.Text(1), r.Text(2),  ParseStored(r.Text(3)),
                FromMs(r.Int(4)), r.Text(5), r.Int(6),   r.Text(7),
                std::nullopt,     r.Text(9), r.Text(10), r.Text(11)};
  if (!r.IsNull(8)) job.lease_until = FromMs(r.Int(8));
  return job;
}

Status LeaseLost(const JobLease& lease) {
  return Status(StatusCode::kAborted,
                "job " + lease.job_id + " is no longer leased to " + lease.owner +
                    " (it finished, or its lease expired and another runner took it)",
                "job", "lease_lost");
}

}  // namespace

namespace detail {

Status InsertJob(SqlSession& s, const std::string& kind, const std::string& dedupe_key,
                 const Json& payload, Instant run_at, const std::string& now) {
  return s
      .Execute(
          "INSERT INTO jobs (id, kind, dedupe_key, payload, run_at_ms, state, attempts, "
          "created_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?) "
          "ON CONFLICT (dedupe_key) DO NOTHING",
          {NewId("job"), kind, dedupe_key, payload.dump(), ToMs(run_at), now})
      .status();
}

Status CompleteLeasedJob(SqlSession& s, const JobLease& lease, const std::string& now) {
  TUTTI_ASSIGN_OR_RETURN(int64_t changed,
                         s.Execute("UPDATE jobs SET state = 'done', lease_owner = NULL, "
                                   "lease_until_ms = NULL, finished_at = ? "
                                   "WHERE id = ? AND state = 'running' AND lease_owner = ?",
                                   {now, lease.job_id, lease.owner}));
  return changed == 1 ? OkStatus() : LeaseLost(lease);
}

}  // namespace detail

Result<JobRecord> Store::ScheduleJob(const std::string& kind, const std::string& dedupe_key,
                                     const Json& payload, Instant run_at) {
  if (kind.empty() || kind.size() > 64) return InvalidArgument("1 to 64 bytes", "kind");
  if (dedupe_key.empty() || dedupe_key.size() > 512) {
    return InvalidArgument("1 to 512 bytes", "dedupe_key");
  }
  JobRecord job;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_RETURN_IF_ERROR(detail::InsertJob(s, kind, dedupe_key, payload, run_at, Now()));
    TUTTI_ASSIGN_OR_RETURN(job, detail::FirstRow(s.Query(std::string("SELECT ") + kJobColumns +
                                                             " FROM jobs WHERE dedupe_key = ?",
                                                         {dedupe_key}),
                                                 &JobFromRow, "job"));
    return OkStatus();
  }));
  return job;
}

Result<std::optional<JobRecord>> Store::LeaseNextJob(const std::string& owner,
                                                     std::chrono::seconds ttl) {
  if (owner.empty()) return InvalidArgument("a runner names itself", "owner");
  std::optional<JobRecord> leased;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    const int64_t now = ToMs(clock_.Now());
    const std::string due =
        "((state = 'queued' AND run_at_ms <= ?) OR (state = 'running' AND lease_until_ms < ?))";
    std::string pick = "SELECT id FROM jobs WHERE " + due + " ORDER BY run_at_ms, id LIMIT 1";
    // Another runner's claim in flight is skipped rather than waited for; SQLite's write
    // transaction already excludes every other writer.
    if (s.dialect() == Dialect::kPostgres) pick += " FOR UPDATE SKIP LOCKED";
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(pick, {now, now}));
    if (rows.empty()) return OkStatus();
    const std::string id = rows.front().Text(0);
    // The compare-and-set: the row must still be due when it is claimed.
    TUTTI_ASSIGN_OR_RETURN(
        int64_t changed,
        s.Execute("UPDATE jobs SET state = 'running', lease_owner = ?, lease_until_ms = ?, "
                  "attempts = attempts + 1 WHERE id = ? AND " +
                      due,
                  {owner, now + ttl.count() * 1000, id, now, now}));
    if (changed != 1) return OkStatus();
    TUTTI_ASSIGN_OR_RETURN(
        leased, detail::FirstRow(
                    s.Query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?", {id}),
                    &JobFromRow, "job"));
    return OkStatus();
  }));
  return leased;
}

Status Store::CompleteJob(const JobLease& lease) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    return detail::CompleteLeasedJob(s, lease, Now());
  });
}

Status Store::FailJob(const JobLease& lease, const std::string& error,
                      std::optional<Instant> retry_at) {
  return db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    const std::string message = error.substr(0, 2000);
    TUTTI_ASSIGN_OR_RETURN(
        int64_t changed,
        retry_at ? s.Execute("UPDATE jobs SET state = 'queued', run_at_ms = ?, lease_owner = NULL, "
                             "lease_until_ms = NULL, last_error = ? "
                             "WHERE id = ? AND state = 'running' AND lease_owner = ?",
                             {ToMs(*retry_at), message, lease.job_id, lease.owner})
                 : s.Execute("UPDATE jobs SET state = 'failed', lease_owner = NULL, "
                             "lease_until_ms = NULL, last_error = ?, finished_at = ? "
                             "WHERE id = ? AND state = 'running' AND lease_owner = ?",
                             {message, Now(), lease.job_id, lease.owner}));
    return changed == 1 ? OkStatus() : LeaseLost(lease);
  });
}

Result<JobRecord> Store::GetJob(const std::string& id) {
  JobRecord job;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(
        job, detail::FirstRow(
                 s.Query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?", {id}),
                 &JobFromRow, "job"));
    return OkStatus();
  }));
  return job;
}

Result<std::vector<JobRecord>> Store::ListJobs(const std::string& state, int64_t limit) {
  std::vector<JobRecord> jobs;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kJobColumns +
                                                  " FROM jobs WHERE (? = '' OR state = ?) "
                                                  "ORDER BY run_at_ms, id LIMIT ?",
                                              {state, state, limit}));
    for (const Row& r : rows) jobs.push_back(JobFromRow(r));
    return OkStatus();
  }));
  return jobs;
}

}  // namespace tutti::storage
