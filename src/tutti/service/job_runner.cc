// JobRunner (job_runner.h). Thread-safe as documented there.
#include "tutti/service/job_runner.h"

#include <unistd.h>

#include <atomic>
#include <iostream>

namespace tutti::service {

JobRunner::JobRunner(storage::Store& store, JobRunnerOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.owner.empty()) options_.owner = DefaultOwner();
}

JobRunner::~JobRunner() { Stop(); }

std::string JobRunner::DefaultOwner() {
  static std::atomic<int> counter{0};
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(++counter);
}

void JobRunner::Handle(const std::string& kind, Handler handler) {
  handlers_[kind] = std::move(handler);
}

Status JobRunner::RunOne(const storage::JobRecord& job) {
  const storage::JobLease lease{job.id, options_.owner};
  auto handler = handlers_.find(job.kind);
  if (handler == handlers_.end()) {
    return store_.FailJob(lease, "no handler for job kind \"" + job.kind + "\"", std::nullopt);
  }
  Status status = handler->second(job, lease);
  if (status.ok() || status.reason() == "lease_lost") return status;
  std::optional<Instant> retry_at;
  if (job.attempts < options_.max_attempts) {
    retry_at = store_.clock().Now() + options_.retry_backoff * (int64_t{1} << (job.attempts - 1));
  }
  Status failed = store_.FailJob(lease, status.ToString(), retry_at);
  return failed.ok() ? status : failed;
}

Result<int> JobRunner::RunDue() {
  int completed = 0;
  while (true) {
    TUTTI_ASSIGN_OR_RETURN(std::optional<storage::JobRecord> job,
                           store_.LeaseNextJob(options_.owner, options_.lease));
    if (!job) return completed;
    Status status = RunOne(*job);
    if (status.ok()) {
      ++completed;
    } else if (status.code() == StatusCode::kUnavailable) {
      return status;  // the database is away: try again at the next poll
    }
  }
}

void JobRunner::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Result<int> ran = RunDue();
      if (!ran.ok()) std::cerr << "jobs: " << ran.status().ToString() << "\n";
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
  });
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tutti::service
