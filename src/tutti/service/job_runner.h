// The background job runner (issue 5: approval escalations, retention sweeps): leases due jobs
// from the database (storage::Store, "Background jobs") and hands each to the handler of its
// kind. Several runners, in one process or in several `tutti serve` instances on one database,
// share the queue; the lease makes sure no two run one job at once, and a handler that commits
// its effect through the lease (storage::detail::CompleteLeasedJob) makes the effect happen at
// most once even when a lease expires under a slow runner.
//
// Thread-safety: Handle() before Start(); RunDue() from one thread at a time; Start() runs
// RunDue() on a thread of its own every poll interval until Stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "tutti/storage/store.h"

namespace tutti::service {

struct JobRunnerOptions {
  std::string owner;  // names the runner in leases; unique per process (host:pid:n)
  std::chrono::seconds lease = std::chrono::seconds(60);
  std::chrono::milliseconds poll_interval = std::chrono::seconds(5);
  int max_attempts = 5;                                           // then the job fails for good
  std::chrono::seconds retry_backoff = std::chrono::seconds(30);  // doubled per attempt
};

class JobRunner {
 public:
  // Runs the job's effect. Must finish the job through its lease: Store::CompleteJob, or a Store
  // write that takes the JobLease. An error is recorded and retried with backoff; kAborted with
  // reason "lease_lost" means another runner owns the job now and is left alone.
  using Handler =
      std::function<Status(const storage::JobRecord& job, const storage::JobLease& lease)>;

  JobRunner(storage::Store& store, JobRunnerOptions options);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void Handle(const std::string& kind, Handler handler);
  // Leases and runs jobs until none is due; returns how many this runner ran to completion.
  // A job of a kind without a handler fails for good (its error names the kind).
  Result<int> RunDue();
  void Start();
  void Stop();

  // A default owner name: host name, process id and a per-process counter.
  static std::string DefaultOwner();

 private:
  Status RunOne(const storage::JobRecord& job);

  storage::Store& store_;
  JobRunnerOptions options_;
  std::map<std::string, Handler> handlers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tutti::service
