// Phase gates in storage (Store "phase gates", store_gates.cc) and the decision path of
// service/gates.h, on SQLite and PostgreSQL: criteria versions guarded against stale writes,
// checklist ticks and sign-offs recorded once with who and when, decisions numbered and moving
// the phase, refused callbacks writing nothing, and event totals that leave out exactly the
// people ForEachEvent leaves out. Every change is checked against the audit trail.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <map>
#include <tuple>

#include "support/fresh_database.h"
#include "tutti/base/clock.h"
#include "tutti/base/crypto.h"
#include "tutti/core/brief.h"
#include "tutti/service/gates.h"
#include "tutti/storage/database.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using governance::AuditEntry;
using tutti::testing::Backend;

using tutti::testing::Must;

Status Allow(const ActivationRecord&, const GateBoardRecord&) { return OkStatus(); }
Status Deny(const ActivationRecord&, const GateBoardRecord&) {
  return PermissionDenied("not in this test");
}

const Json kPilotCriteria = Json::parse(R"({"phase": "pilot",
    "checklist": [{"id": "legal_ok", "label": "Legal signed off"}],
    "metrics": [{"metric": "ctr", "op": ">=", "value": 0.25}]})");

StoredEvent Event(const std::string& id, const std::string& user_key, const std::string& type,
                  const std::string& channel, int64_t value_micros) {
  StoredEvent e;
  e.event_id = id;
  e.user_key = user_key;
  e.ts_ms = 1'780'000'000'000;
  e.event_type = type;
  e.channel = channel;
  e.value_micros = value_micros;
  return e;
}

class GateStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);

    host_ = Must(store_->CreateOrg("Acme Beverages", "host", cli_), "CreateOrg host");
    partner_ = Must(store_->CreateOrg("StreamCo", "partner", cli_), "CreateOrg partner");
    owner_ = Must(store_->CreateUser(host_.id, "olivia@acme.example", "Olivia", "owner",
                                     "$argon2id$not-a-real-hash", cli_),
                  "CreateUser");
    as_owner_ = Actor{owner_.id, host_.id};
    activation_ = tutti::testing::NewActivation(*store_, host_.id, as_owner_);
    Must(store_->AddParticipant(activation_.id, partner_.id, "media", std::nullopt, as_owner_,
                                [](const ActivationRecord&) { return OkStatus(); }),
         "AddParticipant");
    activation_ = Must(store_->GetActivation(activation_.id), "GetActivation");
  }

  std::vector<AuditEntry> AllAudit() {
    std::vector<AuditEntry> entries;
    EXPECT_TRUE(store_->ForEachAuditEntry([&](const AuditEntry& e) { entries.push_back(e); }).ok());
    return entries;
  }
  int64_t AuditCount() { return static_cast<int64_t>(AllAudit().size()); }

  // Stores `events` in the feed `feed` of `org` whose contract is `document`.
  void Ingest(const OrgRecord& org, const std::string& feed, const Json& document,
              const std::vector<StoredEvent>& events) {
    DataContractRecord contract =
        Must(store_->PutDataContract(activation_.id, org.id, feed, document, as_owner_,
                                     [](const ActivationRecord&) { return OkStatus(); }),
             "PutDataContract");
    Must(store_->IngestBatch(
             contract, std::nullopt, []() -> Result<std::string> { return std::string("h"); },
             as_owner_,
             [&](EventSink& sink) -> Result<Json> {
               for (const StoredEvent& e : events) TUTTI_RETURN_IF_ERROR(sink.Put(e));
               TUTTI_RETURN_IF_ERROR(sink.Flush().status());
               return Json::object();
             }),
         "IngestBatch");
  }

  // The partner's media feed (spend on touchpoints) and the host's shop (revenue on orders):
  // k3 converts after a tiktok click and an engagement.
  void IngestScenario() {
    Json media = Json::parse(R"({"feed": "media", "fields": [
        {"name": "cost", "type": "number", "privacy": "aggregate", "role": "value",
         "metric": "spend"}]})");
    Ingest(partner_, "media", media,
           {Event("e1", "k1", "impression", "instagram", 1'000'000),
            Event("e2", "k1", "click", "instagram", 2'000'000),
            Event("e3", "k2", "impression", "instagram", 1'000'000),
            Event("e4", "k2", "impression", "tiktok", 500'000),
            Event("e5", "k3", "click", "tiktok", 2'500'000),
            Event("e6", "k3", "engagement", "tiktok", 0)});
    Ingest(host_, "shop", Json{{"feed", "shop"}},
           {Event("o1", "k1", "conversion", "", 50'000'000),
            Event("o2", "k3", "conversion", "", 30'000'000)});
  }

  ManualClock clock_{*ParseInstant("2026-06-01T12:00:00Z")};
  const Actor cli_{"cli", ""};
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;
  OrgRecord host_, partner_;
  UserRecord owner_;
  Actor as_owner_;
  ActivationRecord activation_;
};

TEST_P(GateStore, AnActivationStartsInIdeationWithNothingStored) {
  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  EXPECT_EQ(board.current_phase, "ideation");
  EXPECT_EQ(board.phase_since, "");
  EXPECT_TRUE(board.criteria.empty());
  EXPECT_TRUE(board.checklist.empty());
  EXPECT_TRUE(board.sign_offs.empty());
  EXPECT_TRUE(board.decisions.empty());
  EXPECT_EQ(store_->GetGateBoard("act_aaaaaaaaaaaaaaaaaaaa").status().code(),
            StatusCode::kNotFound);
}

TEST_P(GateStore, CriteriaAreVersionedAuditedAndGuardedAgainstStaleWrites) {
  GateCriteriaRecord first = Must(
      store_->PutGateCriteria(activation_.id, "pilot", kPilotCriteria, 0, as_owner_, Allow), "v1");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.updated_by, owner_.id);
  AuditEntry created = AllAudit().back();
  EXPECT_EQ(created.entity_type, "gate");
  EXPECT_EQ(created.entity_id, activation_.id + ":pilot");
  EXPECT_EQ(created.action, "created");
  EXPECT_EQ(created.activation_id, activation_.id);
  EXPECT_FALSE(created.before.has_value());

  Json second_document = kPilotCriteria;
  second_document["metrics"][0]["value"] = 0.5;
  clock_.Advance(std::chrono::minutes(5));
  GateCriteriaRecord second = Must(
      store_->PutGateCriteria(activation_.id, "pilot", second_document, 1, as_owner_, Allow), "v2");
  EXPECT_EQ(second.version, 2);
  AuditEntry updated = AllAudit().back();
  EXPECT_EQ(updated.action, "updated");
  EXPECT_EQ(Json::parse(*updated.before), kPilotCriteria);
  EXPECT_EQ(Json::parse(*updated.after), second_document);

  const int64_t entries = AuditCount();
  Result<GateCriteriaRecord> stale =
      store_->PutGateCriteria(activation_.id, "pilot", kPilotCriteria, 1, as_owner_, Allow);
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted) << stale.status().ToString();
  EXPECT_EQ(stale.status().field(), "version");
  EXPECT_EQ(AuditCount(), entries);

  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  ASSERT_EQ(board.criteria.size(), 1u);
  EXPECT_EQ(board.criteria[0].version, 2);
  EXPECT_EQ(board.criteria[0].document, second_document);
  EXPECT_EQ(board.criteria[0].updated_at, FormatInstant(clock_.Now()));
}

TEST_P(GateStore, ChecklistTicksRecordWhoAndWhenAndOnlyChangesAreAudited) {
  const int64_t before = AuditCount();
  GateChecklistMark untouched = Must(
      store_->MarkGateChecklistItem(activation_.id, "pilot", "legal_ok", false, as_owner_, Allow),
      "untick an untouched item");
  EXPECT_FALSE(untouched.checked);
  EXPECT_EQ(AuditCount(), before) << "an item never ticked is unticked already";

  GateChecklistMark ticked = Must(
      store_->MarkGateChecklistItem(activation_.id, "pilot", "legal_ok", true, as_owner_, Allow),
      "tick");
  EXPECT_TRUE(ticked.checked);
  EXPECT_EQ(ticked.changed_by, owner_.id);
  EXPECT_EQ(ticked.changed_at, FormatInstant(clock_.Now()));
  EXPECT_EQ(AuditCount(), before + 1);
  EXPECT_EQ(AllAudit().back().entity_id, activation_.id + ":pilot:legal_ok");
  EXPECT_EQ(AllAudit().back().action, "checked");

  clock_.Advance(std::chrono::hours(1));
  Must(store_->MarkGateChecklistItem(activation_.id, "pilot", "legal_ok", true, cli_, Allow),
       "tick again");
  EXPECT_EQ(AuditCount(), before + 1) << "ticking a ticked item changes nothing";
  Must(store_->MarkGateChecklistItem(activation_.id, "pilot", "legal_ok", false, cli_, Allow),
       "untick");
  EXPECT_EQ(AllAudit().back().action, "unchecked");

  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  ASSERT_EQ(board.checklist.size(), 1u);
  EXPECT_FALSE(board.checklist[0].checked);
  EXPECT_EQ(board.checklist[0].changed_by, "cli");
  EXPECT_EQ(board.checklist[0].changed_at, FormatInstant(clock_.Now()));
}

TEST_P(GateStore, AUserSignsAGateOnce) {
  GateSignOffRecord sign_off{"pilot", owner_.id, "owner", "host", "Looks good.", ""};
  GateSignOffRecord first =
      Must(store_->SignOffGate(activation_.id, sign_off, as_owner_, Allow), "sign");
  EXPECT_EQ(first.signed_at, FormatInstant(clock_.Now()));
  EXPECT_EQ(AllAudit().back().entity_type, "gate_sign_off");
  const int64_t entries = AuditCount();

  clock_.Advance(std::chrono::hours(2));
  sign_off.comment = "Signing twice.";
  GateSignOffRecord again =
      Must(store_->SignOffGate(activation_.id, sign_off, as_owner_, Allow), "sign again");
  EXPECT_EQ(again.signed_at, first.signed_at);
  EXPECT_EQ(again.comment, "Looks good.");
  EXPECT_EQ(AuditCount(), entries);

  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  ASSERT_EQ(board.sign_offs.size(), 1u);
  EXPECT_EQ(board.sign_offs[0].role, "owner");
  EXPECT_EQ(board.sign_offs[0].party, "host");
}

TEST_P(GateStore, RefusedCallbacksWriteNothing) {
  const int64_t entries = AuditCount();
  EXPECT_EQ(store_->PutGateCriteria(activation_.id, "pilot", kPilotCriteria, 0, as_owner_, Deny)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      store_->MarkGateChecklistItem(activation_.id, "pilot", "legal_ok", true, as_owner_, Deny)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(store_
                ->SignOffGate(activation_.id, {"pilot", owner_.id, "owner", "host", "", ""},
                              as_owner_, Deny)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(store_
                ->RecordGateDecision(activation_.id, "ideation", {}, as_owner_,
                                     [](const ActivationRecord&, const GateBoardRecord&,
                                        const MeasuredEvents&) -> Result<GateDecisionDraft> {
                                       return PermissionDenied("not in this test");
                                     })
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditCount(), entries);
  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  EXPECT_TRUE(board.criteria.empty());
  EXPECT_TRUE(board.checklist.empty());
  EXPECT_TRUE(board.sign_offs.empty());
  EXPECT_TRUE(board.decisions.empty());
}

TEST_P(GateStore, DecisionsAreNumberedAuditedAndAGoMovesThePhase) {
  auto draft = [](std::string verdict, std::string next) {
    return [verdict, next](const ActivationRecord&, const GateBoardRecord&,
                           const MeasuredEvents&) -> Result<GateDecisionDraft> {
      GateDecisionDraft d;
      d.verdict = verdict;
      d.reason = "because " + verdict;
      d.evaluation =
          Json{{"criteria",
                Json::array({Json{{"id", "ctr"}, {"outcome", "fail"}, {"measured", 0.004}}})}};
      d.overrides = Json::array({Json{{"criterion", "ctr"}, {"reason", "seasonal dip"}}});
      d.next_phase = next;
      return d;
    };
  };
  GateDecisionRecord no_go = Must(
      store_->RecordGateDecision(activation_.id, "ideation", {}, as_owner_, draft("no_go", "")),
      "no-go");
  EXPECT_EQ(no_go.seq, 1);
  EXPECT_EQ(Must(store_->GetGateBoard(activation_.id), "board").current_phase, "ideation");

  clock_.Advance(std::chrono::days(1));
  GateDecisionRecord go = Must(store_->RecordGateDecision(activation_.id, "ideation", {}, as_owner_,
                                                          draft("go", "proof_of_concept")),
                               "go");
  EXPECT_EQ(go.seq, 2);
  AuditEntry entry = AllAudit().back();
  EXPECT_EQ(entry.entity_type, "gate_decision");
  EXPECT_EQ(entry.entity_id, go.id);
  EXPECT_EQ(entry.action, "go");
  EXPECT_EQ(entry.actor_id, owner_.id);
  Json after = Json::parse(*entry.after);
  EXPECT_EQ(after["reason"], "because go");
  EXPECT_EQ(after["overrides"][0]["reason"], "seasonal dip");
  EXPECT_EQ(after["next_phase"], "proof_of_concept");
  EXPECT_EQ(after["criteria"], Json::array({Json{{"id", "ctr"}, {"outcome", "fail"}}}))
      << "the trail keeps outcomes, not measured values";

  GateBoardRecord board = Must(store_->GetGateBoard(activation_.id), "GetGateBoard");
  EXPECT_EQ(board.current_phase, "proof_of_concept");
  EXPECT_EQ(board.phase_since, FormatInstant(clock_.Now()));
  ASSERT_EQ(board.decisions.size(), 2u);
  EXPECT_EQ(board.decisions[0].verdict, "no_go");
  EXPECT_EQ(board.decisions[1].verdict, "go");
  EXPECT_EQ(board.decisions[1].evaluation["criteria"][0]["measured"], 0.004);
  EXPECT_EQ(board.decisions[1].decided_at, FormatInstant(clock_.Now()));
}

TEST_P(GateStore, MeasureEventsTotalsEachOrganisationChannelAndFeed) {
  IngestScenario();
  MeasuredEvents measured =
      Must(store_->MeasureEvents(activation_.id, service::GateExcludedPurposes()), "Measure");
  std::map<std::pair<std::string, std::string>, EventTotals> by_key;
  for (const EventTotals& t : measured.totals) by_key[{t.org_name, t.channel}] = t;
  ASSERT_EQ(by_key.size(), 3u);
  const EventTotals& instagram = by_key.at({"StreamCo", "instagram"});
  EXPECT_EQ(instagram.impressions, 2);
  EXPECT_EQ(instagram.clicks, 1);
  EXPECT_EQ(instagram.spend_micros, 4'000'000);
  EXPECT_EQ(instagram.revenue_micros, 0);
  const EventTotals& tiktok = by_key.at({"StreamCo", "tiktok"});
  EXPECT_EQ(std::tie(tiktok.impressions, tiktok.clicks, tiktok.engagements, tiktok.conversions),
            std::make_tuple(1, 1, 1, 0));
  EXPECT_EQ(tiktok.spend_micros, 3'000'000);
  const EventTotals& shop = by_key.at({"Acme Beverages", ""});
  EXPECT_EQ(shop.conversions, 2);
  EXPECT_EQ(shop.revenue_micros, 80'000'000);
  EXPECT_EQ(shop.spend_micros, 0);
  EXPECT_EQ(shop.org_id, host_.id);
  EXPECT_EQ(measured.contract_documents.size(), 2u);
}

TEST_P(GateStore, MeasureEventsLeavesOutExactlyWhomForEachEventLeavesOut) {
  IngestScenario();
  // k3 opted out of sharing in one region: out of every cross-partner computation.
  ASSERT_TRUE(store_->PutConsent({"k3", "sharing", "GB", false, "api", ""}, cli_).ok());
  for (const std::vector<std::string>& excluded :
       {std::vector<std::string>{}, service::GateExcludedPurposes()}) {
    std::map<std::string, std::array<int64_t, 6>> expected;  // channel -> counts and values
    ASSERT_TRUE(store_
                    ->ForEachEvent(activation_.id, excluded,
                                   [&](const EventRow& e) {
                                     auto& sums = expected[e.channel];
                                     sums[0] += e.event_type == "impression";
                                     sums[1] += e.event_type == "click";
                                     sums[2] += e.event_type == "engagement";
                                     sums[3] += e.event_type == "conversion";
                                     sums[e.event_type == "conversion" ? 5 : 4] += e.value_micros;
                                   })
                    .ok());
    MeasuredEvents measured = Must(store_->MeasureEvents(activation_.id, excluded), "Measure");
    std::map<std::string, std::array<int64_t, 6>> got;
    for (const EventTotals& t : measured.totals) {
      got[t.channel] = {t.impressions, t.clicks,       t.engagements,
                        t.conversions, t.spend_micros, t.revenue_micros};
    }
    EXPECT_EQ(got, expected) << excluded.size() << " purposes excluded";
  }
  MeasuredEvents without_k3 =
      Must(store_->MeasureEvents(activation_.id, service::GateExcludedPurposes()), "Measure");
  for (const EventTotals& t : without_k3.totals) {
    if (t.channel == "tiktok") {
      EXPECT_EQ(std::tie(t.impressions, t.clicks, t.engagements, t.spend_micros),
                std::make_tuple(1, 0, 0, 500'000));
    }
    if (t.channel.empty()) {
      EXPECT_EQ(t.revenue_micros, 50'000'000);
    }
  }
}

TEST_P(GateStore, AGoIsDecidedOnTheEventsAsOfItsOwnTransaction) {
  Must(store_->PutGateCriteria(activation_.id, "ideation",
                               Json::parse(R"({"phase": "ideation", "metrics": [
                                   {"metric": "ctr", "op": ">=", "value": 0.25,
                                    "scope": "instagram"}]})"),
                               0, as_owner_, Allow),
       "criteria");
  auto owner = [this](const ActivationRecord& a) -> Result<governance::Actor> {
    return service::GateActor(owner_.id, host_.id, core::Role::kOwner, a);
  };
  const service::GateDecisionInput go{governance::GateVerdict::kGo, "CTR is there", {}};
  Result<GateDecisionRecord> early = service::RecordGateDecision(
      *store_, activation_.id, governance::Phase::kIdeation, go, as_owner_, owner);
  EXPECT_EQ(early.status().reason(), "criteria_not_met") << "no events yet: CTR unknown";

  IngestScenario();  // instagram: 1 click over 2 impressions
  GateDecisionRecord decided =
      Must(service::RecordGateDecision(*store_, activation_.id, governance::Phase::kIdeation, go,
                                       as_owner_, owner),
           "go");
  EXPECT_EQ(decided.next_phase, "proof_of_concept");
  EXPECT_EQ(decided.criteria_version, 1);
  EXPECT_EQ(decided.evaluation["criteria"][0]["measured"], 0.5);
  EXPECT_EQ(decided.evaluation["criteria"][0]["outcome"], "pass");

  Result<GateDecisionRecord> again = service::RecordGateDecision(
      *store_, activation_.id, governance::Phase::kIdeation, go, as_owner_, owner);
  EXPECT_EQ(again.status().reason(), "phase_closed");
  Result<GateDecisionRecord> ahead = service::RecordGateDecision(
      *store_, activation_.id, governance::Phase::kPilot, go, as_owner_, owner);
  EXPECT_EQ(ahead.status().reason(), "phase_not_current");
}

INSTANTIATE_TEST_SUITE_P(Backends, GateStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage
