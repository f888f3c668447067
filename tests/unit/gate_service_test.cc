// What service/gates.h gathers before the gate engine decides, and the gate rules of
// governance/access.h: which totals a threshold's scope reads (organisations by id or name before
// channels), when spend and revenue count as measured at all, which phases are still open, and
// who may see, change and decide a gate. Pure values: no storage.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tutti/governance/access.h"
#include "tutti/service/gates.h"

namespace tutti::service {
namespace {

using governance::ComputeMetric;
using governance::Metric;
using governance::Phase;

storage::ActivationRecord Activation() {
  storage::ActivationRecord a;
  a.id = "act_1";
  a.host_org_id = "org_host";
  a.host_org_name = "Acme Beverages";
  storage::ParticipationRecord streamco;
  streamco.org_id = "org_sc";
  streamco.org_name = "StreamCo";
  storage::ParticipationRecord nova;
  nova.org_id = "org_nova";
  nova.org_name = "Nova Sports";
  a.participants = {streamco, nova};
  return a;
}

const Json kSpendFeed = Json::parse(R"({"feed": "media", "fields": [
    {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
    {"name": "user", "type": "string", "privacy": "pseudonymous", "role": "user_key"},
    {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
    {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"},
    {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"},
    {"name": "cost", "type": "number", "privacy": "aggregate", "role": "value",
     "metric": "spend"}]})");

const Json kNoValueFeed = Json::parse(R"({"feed": "clicks", "fields": [
    {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
    {"name": "user", "type": "string", "privacy": "pseudonymous", "role": "user_key"},
    {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
    {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"}]})");

storage::EventTotals Row(std::string org_id, std::string org_name, std::string channel,
                         std::string contract, int64_t impressions, int64_t clicks,
                         int64_t conversions, int64_t spend, int64_t revenue) {
  storage::EventTotals t;
  t.org_id = std::move(org_id);
  t.org_name = std::move(org_name);
  t.channel = std::move(channel);
  t.contract_id = std::move(contract);
  t.impressions = impressions;
  t.clicks = clicks;
  t.conversions = conversions;
  t.spend_micros = spend;
  t.revenue_micros = revenue;
  return t;
}

TEST(GateScopes, WholeActivationOrganisationsAndChannelsEachSumTheirOwnEvents) {
  storage::MeasuredEvents measured;
  measured.contract_documents = {{"dc_sc", kSpendFeed}, {"dc_host", kSpendFeed}};
  measured.totals = {
      Row("org_sc", "StreamCo", "instagram", "dc_sc", 1000, 8, 0, 30'000'000, 0),
      Row("org_sc", "StreamCo", "tiktok", "dc_sc", 500, 2, 0, 10'000'000, 0),
      Row("org_host", "Acme Beverages", "instagram", "dc_host", 200, 4, 2, 5'000'000, 0)};
  GateScopes scopes = ScopesFrom(Activation(), measured);

  // CTR of the whole activation: (8 + 2 + 4) / (1000 + 500 + 200).
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCtr, scopes.totals.at("")), 14.0 / 1700.0);
  // StreamCo by name and by id: 10 clicks over 1500 impressions, 40 of spend.
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCtr, scopes.totals.at("StreamCo")), 10.0 / 1500.0);
  EXPECT_EQ(scopes.totals.at("org_sc").spend_micros, 40'000'000);
  // The instagram channel across both organisations: 12 clicks over 1200 impressions.
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCtr, scopes.totals.at("instagram")), 0.01);
  // CPA of the host's instagram: 5 of spend over 2 conversions.
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCpa, scopes.totals.at("Acme Beverages")), 2.5);
  EXPECT_EQ(scopes.org_of_scope.at("StreamCo"), "org_sc");
  EXPECT_EQ(scopes.org_of_scope.at("org_sc"), "org_sc");
  EXPECT_FALSE(scopes.org_of_scope.contains("instagram"));
}

TEST(GateScopes, AnOrganisationWithoutEventsHasNoTotalsSoItsMetricsAreUnknown) {
  storage::MeasuredEvents measured;
  measured.contract_documents = {{"dc_sc", kSpendFeed}};
  measured.totals = {Row("org_sc", "StreamCo", "instagram", "dc_sc", 1000, 8, 0, 0, 0)};
  GateScopes scopes = ScopesFrom(Activation(), measured);
  EXPECT_EQ(scopes.org_of_scope.at("Nova Sports"), "org_nova");
  EXPECT_FALSE(scopes.totals.contains("Nova Sports"));
  EXPECT_FALSE(scopes.totals.contains("org_nova"));

  GateScopes empty = ScopesFrom(Activation(), storage::MeasuredEvents{});
  EXPECT_FALSE(empty.totals.contains("")) << "no events at all: nothing is measured";
}

TEST(GateScopes, AnOrganisationNameIsNeverShadowedByAChannelOfTheSameName) {
  storage::MeasuredEvents measured;
  measured.contract_documents = {{"dc_sc", kSpendFeed}, {"dc_host", kSpendFeed}};
  measured.totals = {Row("org_sc", "StreamCo", "tv", "dc_sc", 100, 1, 0, 0, 0),
                     Row("org_host", "Acme Beverages", "StreamCo", "dc_host", 100, 50, 0, 0, 0)};
  GateScopes scopes = ScopesFrom(Activation(), measured);
  EXPECT_EQ(scopes.totals.at("StreamCo").clicks, 1) << "StreamCo the partner, not the channel";
}

TEST(GateScopes, SpendIsMeasuredOnlyWhereAFeedReportsIt) {
  storage::MeasuredEvents measured;
  measured.contract_documents = {{"dc_sc", kNoValueFeed}};
  measured.totals = {Row("org_sc", "StreamCo", "", "dc_sc", 1000, 20, 4, 0, 0)};
  GateScopes scopes = ScopesFrom(Activation(), measured);
  const governance::MetricTotals& all = scopes.totals.at("");
  EXPECT_FALSE(all.spend_micros.has_value());
  EXPECT_FALSE(all.revenue_micros.has_value());
  EXPECT_FALSE(ComputeMetric(Metric::kCpa, all).has_value())
      << "a feed without cost gives an unknown CPA, not 0";
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kConversionRate, all), 0.2);

  measured.contract_documents = {{"dc_sc", kSpendFeed}};
  GateScopes with_spend = ScopesFrom(Activation(), measured);
  EXPECT_DOUBLE_EQ(*ComputeMetric(Metric::kCpa, with_spend.totals.at("")), 0.0)
      << "a feed that reports cost and spent nothing has a CPA of 0";
}

storage::GateBoardRecord BoardIn(const std::string& phase) {
  storage::GateBoardRecord board;
  board.current_phase = phase;
  return board;
}

TEST(GatePhases, TheCurrentAndLaterGatesAreOpenAndEarlierOnesClosed) {
  storage::GateBoardRecord board = BoardIn("pilot");
  EXPECT_EQ(CheckPhaseOpen(board, Phase::kProofOfConcept).reason(), "phase_closed");
  EXPECT_TRUE(CheckPhaseOpen(board, Phase::kPilot).ok());
  EXPECT_TRUE(CheckPhaseOpen(board, Phase::kRetrospective).ok());

  storage::GateBoardRecord done = BoardIn("retrospective");
  storage::GateDecisionRecord last;
  last.phase = "retrospective";
  last.verdict = "go";
  done.decisions.push_back(last);
  EXPECT_TRUE(LifecycleOf(done)->completed);
  EXPECT_EQ(CheckPhaseOpen(done, Phase::kRetrospective).reason(), "phase_closed");

  EXPECT_EQ(LifecycleOf(BoardIn("launch")).status().code(), StatusCode::kInternal);
}

TEST(GateEvaluation, ChecklistTicksAndSignOffsOfOtherPhasesDoNotCount) {
  storage::GateBoardRecord board = BoardIn("pilot");
  board.criteria.push_back(storage::GateCriteriaRecord{
      "pilot", 1,
      Json::parse(R"({"phase": "pilot", "checklist": [{"id": "legal_ok", "label": "Legal"}],
                      "approvals": [{"role": "host:owner"}]})"),
      "usr_o", ""});
  board.checklist.push_back({"proof_of_concept", "legal_ok", true, "usr_o", ""});
  board.sign_offs.push_back({"proof_of_concept", "usr_o", "owner", "host", "", ""});
  GateStatus before = *EvaluateStoredGate(Phase::kPilot, board, GateScopes{});
  EXPECT_EQ(before.evaluation.failed, 2);

  board.checklist.push_back({"pilot", "legal_ok", true, "usr_o", ""});
  board.sign_offs.push_back({"pilot", "usr_p", "owner", "partner", "", ""});
  GateStatus partner_owner = *EvaluateStoredGate(Phase::kPilot, board, GateScopes{});
  EXPECT_EQ(partner_owner.evaluation.passed, 1) << "a partner's owner is not the host's owner";

  board.sign_offs.push_back({"pilot", "usr_o", "owner", "host", "", ""});
  GateStatus ready = *EvaluateStoredGate(Phase::kPilot, board, GateScopes{});
  EXPECT_TRUE(ready.evaluation.ready);
}

TEST(GateEvaluation, MetricCriteriaNameTheirMetricAndTheOrganisationTheirScopeIs) {
  storage::GateBoardRecord board = BoardIn("pilot");
  board.criteria.push_back(
      storage::GateCriteriaRecord{"pilot", 1, Json::parse(R"({"phase": "pilot", "metrics": [
          {"metric": "cpa", "op": "<=", "value": 40, "scope": "StreamCo"},
          {"metric": "ctr", "op": ">=", "value": 0.008, "scope": "tiktok"}]})"),
                                  "usr_o", ""});
  GateScopes scopes = ScopesFrom(Activation(), storage::MeasuredEvents{});
  GateStatus status = *EvaluateStoredGate(Phase::kPilot, board, scopes);
  const Json& criteria = status.evaluation_json["criteria"];
  EXPECT_EQ(criteria[0]["metric"], "cpa");
  EXPECT_EQ(criteria[0]["scope_org_id"], "org_sc");
  EXPECT_EQ(criteria[1]["scope"], "tiktok");
  EXPECT_FALSE(criteria[1].contains("scope_org_id"));
  EXPECT_EQ(criteria[0]["outcome"], "unknown");
}

}  // namespace
}  // namespace tutti::service

namespace tutti::governance {
namespace {

ActivationAccess Access() {
  return ActivationAccess{"act_1", "org_host", {{"org_p1", false}, {"org_seat", true}}};
}

Principal Person(const std::string& org, core::Role role) {
  Principal p;
  p.user_id = "usr_me";
  p.org_id = org;
  p.org_kind = org == "org_host" ? core::OrgKind::kHost : core::OrgKind::kPartner;
  p.role = role;
  return p;
}

Principal Key(const std::string& org, std::set<std::string> scopes) {
  Principal p;
  p.api_key_id = "key_1";
  p.org_id = org;
  p.org_kind = org == "org_host" ? core::OrgKind::kHost : core::OrgKind::kPartner;
  p.role = ApiKeyRole(scopes);
  p.scopes = std::move(scopes);
  return p;
}

TEST(GateAccess, CriteriaAreTheHostOwnersAndFacilitatorsAlone) {
  EXPECT_TRUE(CanEditGateCriteria(Person("org_host", core::Role::kOwner), Access()));
  EXPECT_TRUE(CanEditGateCriteria(Person("org_host", core::Role::kFacilitator), Access()));
  EXPECT_FALSE(CanEditGateCriteria(Person("org_host", core::Role::kWorkstreamOwner), Access()));
  EXPECT_FALSE(CanEditGateCriteria(Person("org_seat", core::Role::kFacilitator), Access()));
}

TEST(GateAccess, ChecklistTicksAreForTheHostsPeopleButViewers) {
  EXPECT_TRUE(CanTickGateChecklist(Person("org_host", core::Role::kContributor), Access()));
  EXPECT_FALSE(CanTickGateChecklist(Person("org_host", core::Role::kViewer), Access()));
  EXPECT_FALSE(CanTickGateChecklist(Person("org_p1", core::Role::kPartnerAdmin), Access()));
  EXPECT_FALSE(CanTickGateChecklist(Key("org_host", {"activations:read"}), Access()));
}

TEST(GateAccess, SignOffsArePeoplesOfEitherSideButViewersAndOutsiders) {
  EXPECT_TRUE(CanSignOffGate(Person("org_p1", core::Role::kContributor), Access()));
  EXPECT_TRUE(CanSignOffGate(Person("org_host", core::Role::kOwner), Access()));
  EXPECT_FALSE(CanSignOffGate(Person("org_host", core::Role::kViewer), Access()));
  EXPECT_FALSE(CanSignOffGate(Person("org_x", core::Role::kOwner), Access()));
  EXPECT_FALSE(
      CanSignOffGate(Key("org_host", {"activations:read", "activations:write"}), Access()));
}

TEST(GateAccess, DecisionsAreForThoseWhoEditTheBriefInPerson) {
  EXPECT_TRUE(CanDecideGate(Person("org_host", core::Role::kOwner), Access()));
  EXPECT_TRUE(CanDecideGate(Person("org_seat", core::Role::kFacilitator), Access()));
  EXPECT_FALSE(CanDecideGate(Person("org_p1", core::Role::kFacilitator), Access()));
  EXPECT_FALSE(CanDecideGate(Person("org_host", core::Role::kWorkstreamOwner), Access()));
  EXPECT_FALSE(CanDecideGate(Key("org_host", {"activations:read", "activations:write"}), Access()));
}

TEST(GateAccess, PartnersSeeCountsOfEveryoneAndMoneyOfTheirOwnOnly) {
  const Principal host_viewer = Person("org_host", core::Role::kViewer);
  const Principal partner = Person("org_p1", core::Role::kContributor);
  EXPECT_TRUE(CanSeeGateMeasurement(host_viewer, Access(), true, "org_p1"));
  EXPECT_TRUE(CanSeeGateMeasurement(partner, Access(), false, ""));
  EXPECT_FALSE(CanSeeGateMeasurement(partner, Access(), true, ""));
  EXPECT_TRUE(CanSeeGateMeasurement(partner, Access(), true, "org_p1"));
  EXPECT_FALSE(CanSeeGateMeasurement(partner, Access(), false, "org_seat"));
  EXPECT_FALSE(CanSeeGateMeasurement(Person("org_x", core::Role::kOwner), Access(), false, ""));
}

}  // namespace
}  // namespace tutti::governance
