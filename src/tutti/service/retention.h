// The retention sweep as `tutti serve` and `tutti retention run` run it (docs/archive.md): every
// activation in turn, each in its own transaction (Store::SweepRetention: the engine of
// governance/retention.h decides, legal holds keep everything), then the asset files no stored
// version names any more are removed from the blob store. As a background job
// (kRetentionSweepJob) it runs once a day and schedules the next day's run itself.
//
// A sweep is idempotent: running it twice deletes nothing more than running it once, so a job
// whose lease expired under a slow runner may be swept again by another without harm; the job's
// completion is therefore not tied to the sweep's transactions. Thread-safe: no state of its own.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tutti/service/job_runner.h"
#include "tutti/storage/blob_store.h"
#include "tutti/storage/store.h"

namespace tutti::service {

inline constexpr char kRetentionSweepJob[] = "retention_sweep";

struct RetentionRunReport {
  std::vector<storage::RetentionSweepRecord> activations;  // oldest activation first
  std::map<std::string, storage::RetentionCounts> totals;  // by retained kind
  int64_t activations_on_hold = 0;
  int64_t files_removed = 0;  // 0 on a dry run or without a blob store
};

// Sweeps every activation at the store's clock as `actor`. With `blobs`, removes the files the
// sweep left unreferenced (checked again right before each removal). `dry_run` counts what
// would happen and changes nothing. The first failing activation's error ends the run (what
// earlier activations committed stays).
Result<RetentionRunReport> RunRetention(storage::Store& store, const storage::BlobStore* blobs,
                                        bool dry_run, const storage::Actor& actor);

// The dedupe key of the sweep due at `at`: one per UTC day ("retention_sweep:2026-06-01").
std::string RetentionSweepKey(Instant at);
// Queues the day's sweep at `at` unless that day's is queued or done already.
Result<storage::JobRecord> ScheduleRetentionSweep(storage::Store& store, Instant at);

// The handler of kRetentionSweepJob: sweeps, schedules the next run (the next UTC day at 03:00),
// then completes the job under its lease.
Status RunRetentionJob(storage::Store& store, const storage::BlobStore* blobs,
                       const storage::JobRecord& job, const storage::JobLease& lease);

// Registers RunRetentionJob on `runner` (before runner.Start()) with the blob store under
// `data_dir`/blobs, and queues today's sweep now unless one was queued for today.
Status HandleRetentionJobs(JobRunner& runner, storage::Store& store, const std::string& data_dir);

}  // namespace tutti::service
