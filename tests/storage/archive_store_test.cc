// The archive in storage (store_archive.cc) and the retention sweep (service/retention.h), on
// SQLite and PostgreSQL with a controlled clock: nothing is deleted at 23 months, everything past
// 24 months is, a legal hold keeps it all until released, a longer policy per kind keeps that
// kind, the audit entry carries counts and never content, and asset files nobody names any more
// leave the blob store. Also crisis templates (a revision voids the pre-approval), the incident
// roster's membership rule and legal-hold release.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fresh_database.h"
#include "tutti/service/retention.h"
#include "tutti/storage/blob_store.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using governance::DecisionKind;
using std::chrono::days;
using tutti::testing::Backend;
using tutti::testing::Must;

Status Allow(const ActivationRecord&) { return OkStatus(); }

// 24 calendar months from 2024-01-15T10:00:00Z is 2026-01-15T10:00:00Z.
constexpr char kCreatedAt[] = "2024-01-15T10:00:00Z";
constexpr char kTwentyThreeMonths[] = "2025-12-15T10:00:00Z";
constexpr char kTwentyFourMonths[] = "2026-01-15T10:00:00Z";

class ArchiveStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);
    blobs_ = std::make_unique<BlobStore>(fresh_.temp_dir() / "blobs");
    host_ = Must(store_->CreateOrg("Acme", "host", cli_), "CreateOrg");
    streamco_ = Must(store_->CreateOrg("StreamCo", "partner", cli_), "CreateOrg");
    orbit_ = Must(store_->CreateOrg("Orbit", "partner", cli_), "CreateOrg");
    olga_ = User(host_, "olga@acme.example", "owner");
    sam_ = User(streamco_, "sam@streamco.example", "partner_admin");
    una_ = User(orbit_, "una@orbit.example", "partner_admin");
    olga_actor_ = Actor{olga_.id, host_.id};
    activation_ = tutti::testing::NewActivation(*store_, host_.id, olga_actor_);
    ASSERT_TRUE(store_
                    ->AddParticipant(activation_.id, streamco_.id, "media", std::nullopt,
                                     olga_actor_, Allow)
                    .ok());
  }

  UserRecord User(const OrgRecord& org, const std::string& email, const std::string& role) {
    return Must(store_->CreateUser(org.id, email, email.substr(0, email.find('@')), role,
                                   "not-a-real-hash", cli_),
                "CreateUser");
  }

  // One item of each kind the sweep reads, all created now: an asset version whose file is in
  // the blob store, an approval decision, a resubmission comment and a gate decision.
  void CreateItems() {
    blob_sha_ = WriteBlob("old poster bytes");
    NewAssetVersion upload;
    upload.org_id = host_.id;
    upload.name_stem = "poster";
    upload.version.sha256 = blob_sha_;
    upload.version.bytes = 16;
    upload.version.file_name = "poster.png";
    upload.version.media = Json::object();
    upload.version.spec_check = nullptr;
    Must(store_->AddAssetVersion(activation_.id, upload, olga_actor_,
                                 [](const ActivationRecord&, const AssetRecord*,
                                    const AssetRecord*) { return OkStatus(); }),
         "AddAssetVersion");
    ApprovalRecord approval =
        Must(store_->CreateApproval(activation_.id,
                                    NewApprovalRequest{streamco_.id, "post", "p-1", "Teaser", {}},
                                    Actor{sam_.id, streamco_.id}, Allow),
             "CreateApproval");
    const governance::Actor olga{olga_.id, core::Role::kOwner, governance::Party::kHost};
    Must(store_->DecideApproval(
             activation_.id, approval.id,
             {"host review", DecisionKind::kRequestChanges, "Confidential: recall rumour"},
             std::nullopt, olga_actor_,
             [&olga](const ActivationRecord&, const ApprovalRecord&) {
               return Result<governance::Actor>(olga);
             }),
         "DecideApproval");
    Must(store_->ResubmitApproval(
             activation_.id, approval.id, "Cut the rumour line", std::nullopt,
             Actor{sam_.id, streamco_.id},
             [](const ActivationRecord&, const ApprovalRecord&) { return OkStatus(); }),
         "ResubmitApproval");
    Must(store_->RecordGateDecision(activation_.id, "ideation", {}, olga_actor_,
                                    [](const ActivationRecord&, const GateBoardRecord&,
                                       const MeasuredEvents&) -> Result<GateDecisionDraft> {
                                      GateDecisionDraft draft;
                                      draft.verdict = "no_go";
                                      draft.reason = "not yet";
                                      draft.evaluation = Json::object();
                                      return draft;
                                    }),
         "RecordGateDecision");
  }

  std::string WriteBlob(const std::string& content) {
    const std::string sha = HexEncode(Sha256(content));
    const std::filesystem::path path = blobs_->PathOf(sha);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return sha;
  }

  void SetClock(Instant at) { clock_.Advance(at - clock_.Now()); }

  RetentionSweepRecord Sweep(bool dry_run = false) {
    return Must(store_->SweepRetention(activation_.id, dry_run, Actor{"system", ""}), "Sweep");
  }

  std::vector<governance::AuditEntry> AuditOf(const std::string& type) {
    AuditQuery q;
    q.activation_id = activation_.id;
    q.limit = 10'000;
    std::vector<governance::AuditEntry> out;
    for (auto& e : Must(store_->ListAudit(q), "ListAudit")) {
      if (e.entity_type == type) out.push_back(e);
    }
    return out;
  }

  ManualClock clock_{*ParseInstant(kCreatedAt)};
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<BlobStore> blobs_;
  Actor cli_{"cli", ""};
  Actor olga_actor_;
  OrgRecord host_, streamco_, orbit_;
  UserRecord olga_, sam_, una_;
  ActivationRecord activation_;
  std::string blob_sha_;
};

TEST_P(ArchiveStore, KeepsEverythingAtTwentyThreeMonths) {
  CreateItems();
  SetClock(*ParseInstant(kTwentyThreeMonths));
  const size_t entries_before = AuditOf("retention").size();
  RetentionSweepRecord sweep = Sweep();
  EXPECT_EQ(sweep.by_kind["version"].keep, 1);
  EXPECT_EQ(sweep.by_kind["decision"].keep, 1);
  EXPECT_EQ(sweep.by_kind["comment"].keep, 1);
  EXPECT_EQ(sweep.by_kind["gate_decision"].keep, 1);
  for (const auto& [kind, counts] : sweep.by_kind) EXPECT_EQ(counts.remove, 0) << kind;
  EXPECT_EQ(AuditOf("retention").size(), entries_before) << "nothing deleted, nothing recorded";
  EXPECT_EQ(Must(store_->GetAsset(activation_.id,
                                  Must(store_->ListAssets(activation_.id, {}), "list")[0].id),
                 "asset")
                .versions.size(),
            1u);
}

TEST_P(ArchiveStore, DeletesWhatIsTwentyFourMonthsOldAndRecordsOnlyCounts) {
  CreateItems();
  SetClock(*ParseInstant(kTwentyFourMonths));
  RetentionSweepRecord sweep = Sweep();
  EXPECT_FALSE(sweep.on_legal_hold);
  EXPECT_EQ(sweep.by_kind["version"].remove, 1);
  EXPECT_EQ(sweep.by_kind["decision"].remove, 1);
  EXPECT_EQ(sweep.by_kind["comment"].remove, 1);
  EXPECT_EQ(sweep.by_kind["gate_decision"].remove, 1);
  EXPECT_EQ(sweep.unreferenced_blobs, std::vector<std::string>{blob_sha_});

  ApprovalRecord approval = Must(store_->ListApprovals(activation_.id), "list")[0];
  EXPECT_TRUE(approval.decisions.empty());
  ASSERT_EQ(approval.rounds.size(), 2u) << "rounds stay; their words go";
  EXPECT_EQ(approval.rounds[1].comment, "");
  EXPECT_TRUE(Must(store_->GetGateBoard(activation_.id), "board").decisions.empty());
  EXPECT_TRUE(Must(store_->ListAssets(activation_.id, {}), "assets")[0].versions.empty());

  auto entries = AuditOf("retention");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "swept");
  Json after = Json::parse(*entries[0].after);
  EXPECT_EQ(after["deleted"]["decision"], 1);
  EXPECT_EQ(entries[0].after->find("rumour"), std::string::npos) << "counts, never content";

  RetentionSweepRecord again = Sweep();
  for (const auto& [kind, counts] : again.by_kind) EXPECT_EQ(counts.remove, 0) << kind;
  EXPECT_EQ(AuditOf("retention").size(), 1u) << "a sweep with nothing to delete appends nothing";
}

TEST_P(ArchiveStore, ALegalHoldKeepsEverythingUntilReleased) {
  CreateItems();
  LegalHoldRecord hold =
      Must(store_->PlaceLegalHold(activation_.id, "Litigation: Doe v. Acme", olga_actor_, Allow),
           "hold");
  SetClock(*ParseInstant(kTwentyFourMonths) + days(30));
  RetentionSweepRecord held = Sweep();
  EXPECT_TRUE(held.on_legal_hold);
  EXPECT_EQ(held.by_kind["version"].hold, 1);
  EXPECT_EQ(held.by_kind["decision"].hold, 1);
  for (const auto& [kind, counts] : held.by_kind) EXPECT_EQ(counts.remove, 0) << kind;
  EXPECT_EQ(Must(store_->ListApprovals(activation_.id), "list")[0].decisions.size(), 1u);

  Must(store_->ReleaseLegalHold(activation_.id, hold.id, "Settled", olga_actor_, Allow), "release");
  RetentionSweepRecord released = Sweep();
  EXPECT_FALSE(released.on_legal_hold);
  EXPECT_EQ(released.by_kind["version"].remove, 1);
  EXPECT_EQ(released.by_kind["decision"].remove, 1);
  EXPECT_TRUE(Must(store_->ListApprovals(activation_.id), "list")[0].decisions.empty());
}

TEST_P(ArchiveStore, ALongerPolicyForOneKindKeepsThatKind) {
  CreateItems();
  Must(store_->PutRetentionPolicy(activation_.id, Json{{"by_kind", {{"version", 36}}}},
                                  std::optional<int64_t>(0), olga_actor_, Allow),
       "policy");
  SetClock(*ParseInstant(kTwentyFourMonths));
  RetentionSweepRecord sweep = Sweep();
  EXPECT_EQ(sweep.by_kind["version"].keep, 1);
  EXPECT_EQ(sweep.by_kind["decision"].remove, 1);
  EXPECT_TRUE(sweep.unreferenced_blobs.empty());
}

TEST_P(ArchiveStore, ADryRunCountsAndChangesNothing) {
  CreateItems();
  SetClock(*ParseInstant(kTwentyFourMonths));
  RetentionSweepRecord dry = Sweep(/*dry_run=*/true);
  EXPECT_EQ(dry.by_kind["decision"].remove, 1);
  EXPECT_EQ(Must(store_->ListApprovals(activation_.id), "list")[0].decisions.size(), 1u);
  EXPECT_TRUE(AuditOf("retention").empty());
}

TEST_P(ArchiveStore, TheRetentionRunRemovesFilesNoVersionNamesAndKeepsSharedOnes) {
  CreateItems();
  // A second activation's asset names the same bytes, created a year later.
  clock_.Advance(days(365));
  ActivationRecord other = tutti::testing::NewActivation(*store_, host_.id, olga_actor_, "Later");
  NewAssetVersion upload;
  upload.org_id = host_.id;
  upload.name_stem = "poster";
  upload.version.sha256 = blob_sha_;
  upload.version.bytes = 16;
  upload.version.file_name = "poster.png";
  upload.version.media = Json::object();
  Must(store_->AddAssetVersion(other.id, upload, olga_actor_,
                               [](const ActivationRecord&, const AssetRecord*, const AssetRecord*) {
                                 return OkStatus();
                               }),
       "AddAssetVersion");
  SetClock(*ParseInstant(kTwentyFourMonths));
  auto report =
      Must(service::RunRetention(*store_, blobs_.get(), false, Actor{"system", ""}), "run");
  EXPECT_EQ(report.totals["version"].remove, 1);
  EXPECT_EQ(report.files_removed, 0);
  EXPECT_TRUE(blobs_->Contains(blob_sha_)) << "the later activation still names it";

  clock_.Advance(days(366));
  report = Must(service::RunRetention(*store_, blobs_.get(), false, Actor{"system", ""}), "run");
  EXPECT_EQ(report.totals["version"].remove, 1);
  EXPECT_EQ(report.files_removed, 1);
  EXPECT_FALSE(blobs_->Contains(blob_sha_));
}

TEST_P(ArchiveStore, TheSweepJobReschedulesItselfForTheNextDay) {
  service::JobRunner runner(*store_, {.owner = "test"});
  ASSERT_TRUE(service::HandleRetentionJobs(runner, *store_, fresh_.temp_dir().string()).ok());
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 1);
  auto queued = Must(store_->ListJobs("queued", 10), "jobs");
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].dedupe_key, "retention_sweep:2024-01-16");
  EXPECT_EQ(FormatInstant(queued[0].run_at), "2024-01-16T03:00:00.000Z");
  ASSERT_TRUE(service::ScheduleRetentionSweep(*store_, clock_.Now()).ok());
  EXPECT_EQ(Must(runner.RunDue(), "RunDue"), 0) << "today's sweep ran already";
}

TEST_P(ArchiveStore, ARevisionVoidsThePreApproval) {
  CrisisTemplateContent recall{"Product recall", "product recall", "We are recalling…", {"x"}};
  CrisisTemplateRecord t =
      Must(store_->CreateCrisisTemplate(activation_.id, recall, olga_actor_, Allow), "create");
  EXPECT_FALSE(t.PreApproved());
  t = Must(store_->ApproveCrisisTemplate(activation_.id, t.id, 1, olga_actor_, Allow), "approve");
  EXPECT_TRUE(t.PreApproved());
  EXPECT_EQ(t.Latest().approved_by, olga_.id);
  recall.body = "We are voluntarily recalling…";
  t = Must(store_->ReviseCrisisTemplate(activation_.id, t.id, recall, 1, olga_actor_, Allow),
           "revise");
  EXPECT_EQ(t.latest_version, 2);
  EXPECT_FALSE(t.PreApproved());
  EXPECT_EQ(t.versions[0].approved_by, olga_.id) << "version 1 keeps its approval";
  EXPECT_EQ(
      store_->ApproveCrisisTemplate(activation_.id, t.id, 1, olga_actor_, Allow).status().code(),
      StatusCode::kAborted)
      << "approving what one read is approving version 1, which is no longer the template";
  EXPECT_EQ(store_->ReviseCrisisTemplate(activation_.id, t.id, recall, 1, olga_actor_, Allow)
                .status()
                .field(),
            "version");
}

TEST_P(ArchiveStore, TheRosterNamesOnlyMembersOfTheActivation) {
  std::vector<IncidentRosterEntry> entries{{"incident lead", olga_.id, sam_.id, "+44 20", 1},
                                           {"legal", una_.id, "", "", 2}};
  Result<IncidentRosterRecord> refused =
      store_->PutIncidentRoster(activation_.id, entries, 0, olga_actor_, Allow);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "entries[1].user_id");
  entries[1].user_id = sam_.id;
  entries[1].order = 0;
  IncidentRosterRecord stored =
      Must(store_->PutIncidentRoster(activation_.id, entries, 0, olga_actor_, Allow), "put");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.entries[0].duty, "legal") << "ordered by order";
  EXPECT_EQ(
      store_->PutIncidentRoster(activation_.id, entries, 0, olga_actor_, Allow).status().code(),
      StatusCode::kAborted);
}

TEST_P(ArchiveStore, AReleasedHoldCannotBeReleasedAgain) {
  LegalHoldRecord hold =
      Must(store_->PlaceLegalHold(activation_.id, "Audit", olga_actor_, Allow), "hold");
  Must(store_->ReleaseLegalHold(activation_.id, hold.id, "Done", olga_actor_, Allow), "release");
  Status again =
      store_->ReleaseLegalHold(activation_.id, hold.id, "Again", olga_actor_, Allow).status();
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.reason(), "already_released");
  auto entries = AuditOf("legal_hold");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].visible_org_id, host_.id) << "holds are the host's to know";
}

INSTANTIATE_TEST_SUITE_P(Backends, ArchiveStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage
