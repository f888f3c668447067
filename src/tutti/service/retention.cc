#include "tutti/service/retention.h"

#include <filesystem>

namespace tutti::service {
namespace {

const storage::Actor kRetentionActor{"system", ""};

// 03:00 UTC: after the night's traffic in Europe and the Americas' evening.
constexpr std::chrono::hours kSweepHourUtc{3};

}  // namespace

Result<RetentionRunReport> RunRetention(storage::Store& store, const storage::BlobStore* blobs,
                                        bool dry_run, const storage::Actor& actor) {
  RetentionRunReport report;
  TUTTI_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.ListActivationIds());
  for (const std::string& id : ids) {
    TUTTI_ASSIGN_OR_RETURN(storage::RetentionSweepRecord sweep,
                           store.SweepRetention(id, dry_run, actor));
    for (const auto& [kind, counts] : sweep.by_kind) {
      storage::RetentionCounts& total = report.totals[kind];
      total.keep += counts.keep;
      total.remove += counts.remove;
      total.hold += counts.hold;
    }
    if (sweep.on_legal_hold) ++report.activations_on_hold;
    if (!dry_run && blobs != nullptr) {
      for (const std::string& digest : sweep.unreferenced_blobs) {
        // An upload of the same bytes may have recorded a new version since the sweep committed.
        TUTTI_ASSIGN_OR_RETURN(bool referenced, store.IsBlobReferenced(digest));
        if (referenced) continue;
        std::error_code error;
        if (std::filesystem::remove(blobs->PathOf(digest), error)) ++report.files_removed;
      }
    }
    report.activations.push_back(std::move(sweep));
  }
  return report;
}

std::string RetentionSweepKey(Instant at) {
  return std::string(kRetentionSweepJob) + ":" + FormatInstant(at).substr(0, 10);
}

Result<storage::JobRecord> ScheduleRetentionSweep(storage::Store& store, Instant at) {
  return store.ScheduleJob(kRetentionSweepJob, RetentionSweepKey(at), Json::object(), at);
}

Status RunRetentionJob(storage::Store& store, const storage::BlobStore* blobs,
                       const storage::JobRecord& job, const storage::JobLease& lease) {
  TUTTI_RETURN_IF_ERROR(RunRetention(store, blobs, false, kRetentionActor).status());
  using namespace std::chrono;
  const sys_days today = floor<days>(std::max(job.run_at, store.clock().Now()));
  TUTTI_RETURN_IF_ERROR(
      ScheduleRetentionSweep(store, Instant(today + days(1)) + kSweepHourUtc).status());
  return store.CompleteJob(lease);
}

Status HandleRetentionJobs(JobRunner& runner, storage::Store& store, const std::string& data_dir) {
  auto blobs = std::make_shared<storage::BlobStore>(std::filesystem::path(data_dir) / "blobs");
  runner.Handle(kRetentionSweepJob,
                [&store, blobs](const storage::JobRecord& job, const storage::JobLease& lease) {
                  return RunRetentionJob(store, blobs.get(), job, lease);
                });
  return ScheduleRetentionSweep(store, store.clock().Now()).status();
}

}  // namespace tutti::service
