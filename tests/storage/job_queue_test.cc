// The background job queue (storage::Store "Background jobs", service::JobRunner) on SQLite and
// PostgreSQL: scheduling once per dedupe key, leases that expire, completion guarded by the lease,
// retries with backoff, and two runners on two connections of one database racing over the same
// jobs without running any twice (as two `tutti serve` instances on one PostgreSQL would).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "support/fresh_database.h"
#include "tutti/base/clock.h"
#include "tutti/service/job_runner.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using std::chrono::seconds;
using tutti::testing::Backend;

class JobQueue : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);
  }

  JobRecord Schedule(const std::string& key, Instant run_at) {
    Result<JobRecord> job = store_->ScheduleJob("test_kind", key, Json{{"key", key}}, run_at);
    if (!job.ok()) throw std::runtime_error(job.status().ToString());
    return *job;
  }

  ManualClock clock_{*ParseInstant("2026-06-01T12:00:00Z")};
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;  // after fresh_: goes first
};

TEST_P(JobQueue, SchedulesOncePerDedupeKey) {
  const JobRecord first = Schedule("escalate:apr_1:step_0:level_1", clock_.Now());
  Result<JobRecord> again = store_->ScheduleJob("test_kind", "escalate:apr_1:step_0:level_1",
                                                Json{{"other", true}}, clock_.Now() + seconds(9));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first.id);
  EXPECT_EQ(again->payload, first.payload) << "the first scheduling stands";
  EXPECT_EQ(first.state, "queued");
  EXPECT_EQ(store_->ScheduleJob("", "k", Json::object(), clock_.Now()).status().field(), "kind");
}

TEST_P(JobQueue, LeasesOnlyDueJobsMostOverdueFirst) {
  Schedule("later", clock_.Now() + seconds(60));
  Schedule("due", clock_.Now() - seconds(5));
  Schedule("overdue", clock_.Now() - seconds(50));
  auto first = store_->LeaseNextJob("runner-a", seconds(30));
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->dedupe_key, "overdue");
  EXPECT_EQ((*first)->state, "running");
  EXPECT_EQ((*first)->lease_owner, "runner-a");
  EXPECT_EQ((*first)->attempts, 1);
  auto second = store_->LeaseNextJob("runner-a", seconds(30));
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->dedupe_key, "due");
  auto none = store_->LeaseNextJob("runner-a", seconds(30));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "the later job is not due";
}

TEST_P(JobQueue, AnExpiredLeasePassesToAnotherRunnerAndTheFirstCannotComplete) {
  const JobRecord job = Schedule("slow", clock_.Now());
  auto a = store_->LeaseNextJob("runner-a", seconds(30));
  ASSERT_TRUE(a.ok() && a->has_value());
  auto b = store_->LeaseNextJob("runner-b", seconds(30));
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->has_value()) << "leased to runner-a";

  clock_.Advance(seconds(31));
  b = store_->LeaseNextJob("runner-b", seconds(30));
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->id, job.id);
  EXPECT_EQ((*b)->attempts, 2);

  Status late = store_->CompleteJob(JobLease{job.id, "runner-a"});
  EXPECT_EQ(late.code(), StatusCode::kAborted);
  EXPECT_EQ(late.reason(), "lease_lost");
  EXPECT_TRUE(store_->CompleteJob(JobLease{job.id, "runner-b"}).ok());
  EXPECT_EQ(store_->GetJob(job.id)->state, "done");
  EXPECT_EQ(store_->CompleteJob(JobLease{job.id, "runner-b"}).reason(), "lease_lost")
      << "done once";
}

TEST_P(JobQueue, ARunnerRetriesWithBackoffThenFailsForGood) {
  const JobRecord job = Schedule("flaky", clock_.Now());
  service::JobRunnerOptions options;
  options.owner = "runner-a";
  options.max_attempts = 2;
  options.retry_backoff = seconds(10);
  service::JobRunner runner(*store_, options);
  int calls = 0;
  runner.Handle("test_kind", [&](const JobRecord&, const JobLease&) -> Status {
    ++calls;
    return Unavailable("the partner's endpoint is down");
  });
  ASSERT_TRUE(runner.RunDue().status().code() == StatusCode::kUnavailable);
  EXPECT_EQ(calls, 1);
  JobRecord after = *store_->GetJob(job.id);
  EXPECT_EQ(after.state, "queued");
  EXPECT_EQ(after.run_at, clock_.Now() + seconds(10));
  EXPECT_NE(after.last_error.find("endpoint is down"), std::string::npos);

  ASSERT_EQ(*runner.RunDue(), 0) << "not due again yet";
  clock_.Advance(seconds(10));
  (void)runner.RunDue();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(store_->GetJob(job.id)->state, "failed") << "two attempts were allowed";
}

TEST_P(JobQueue, AJobOfAnUnknownKindFailsNamingTheKind) {
  const JobRecord job = Schedule("orphan", clock_.Now());
  service::JobRunner runner(*store_, {.owner = "runner-a"});
  ASSERT_TRUE(runner.RunDue().ok());
  JobRecord after = *store_->GetJob(job.id);
  EXPECT_EQ(after.state, "failed");
  EXPECT_NE(after.last_error.find("test_kind"), std::string::npos);
}

TEST_P(JobQueue, TwoRunnersOnTwoConnectionsNeverRunAJobTwice) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) Schedule("race-" + std::to_string(i), clock_.Now());
  std::unique_ptr<Database> other_db = fresh_.OpenAnother();
  Store other_store(*other_db, clock_);

  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> runs;  // job id -> runners that ran it
  auto handler = [&](Store& store, const std::string& owner) {
    return [&store, &mutex, &runs, owner](const JobRecord& job, const JobLease& lease) -> Status {
      {
        std::lock_guard lock(mutex);
        runs[job.id].push_back(owner);
      }
      return store.CompleteJob(lease);
    };
  };
  service::JobRunner a(*store_, {.owner = "runner-a"});
  service::JobRunner b(other_store, {.owner = "runner-b"});
  a.Handle("test_kind", handler(*store_, "runner-a"));
  b.Handle("test_kind", handler(other_store, "runner-b"));
  std::atomic<int> done_a{0}, done_b{0};
  auto run = [](service::JobRunner& runner, std::atomic<int>& done) {
    Result<int> ran = runner.RunDue();
    done = ran.ok() ? *ran : -1000;
  };
  std::thread ta([&] { run(a, done_a); });
  std::thread tb([&] { run(b, done_b); });
  ta.join();
  tb.join();

  EXPECT_EQ(done_a + done_b, kJobs);
  ASSERT_EQ(runs.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, runners] : runs) EXPECT_EQ(runners.size(), 1u) << id << " ran twice";
  auto remaining = store_->ListJobs("done", 1000);
  ASSERT_TRUE(remaining.ok());
  EXPECT_EQ(remaining->size(), static_cast<size_t>(kJobs));
}

INSTANTIATE_TEST_SUITE_P(Backends, JobQueue,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage
