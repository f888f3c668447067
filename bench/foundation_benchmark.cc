// Micro benchmarks of the foundation's pure engines, each next to the baseline it is judged
// against in the same run: audit hashing vs bare SHA-256 of the same bytes, brief validation vs
// bare JSON parsing, and the access check (which runs on every request).
#include <benchmark/benchmark.h>

#include "tutti/base/crypto.h"
#include "tutti/core/brief.h"
#include "tutti/governance/access.h"
#include "tutti/governance/audit_chain.h"

namespace {

using tutti::governance::AuditEntry;

AuditEntry SampleEntry(int64_t seq) {
  AuditEntry e;
  e.seq = seq;
  e.at = "2026-06-01T13:00:00.000Z";
  e.actor_id = "usr_abcdefghijkmnpqrstuv";
  e.actor_org_id = "org_abcdefghijkmnpqrstuv";
  e.entity_type = "activation";
  e.entity_id = "act_abcdefghijkmnpqrstuv";
  e.action = "updated";
  e.activation_id = e.entity_id;
  e.before = R"({"name":"Summer Splash 2026","status":"draft","description":"A launch"})";
  e.after = R"({"name":"Summer Splash 2026","status":"planning","description":"A launch"})";
  e.prev_hash = tutti::governance::kGenesisHash;
  return e;
}

void BM_Sha256OfCanonicalBytes_Baseline(benchmark::State& state) {
  std::string bytes = std::string(tutti::governance::kGenesisHash) +
                      tutti::governance::CanonicalAuditEntry(SampleEntry(1));
  for (auto _ : state) benchmark::DoNotOptimize(tutti::Sha256(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256OfCanonicalBytes_Baseline);

void BM_AuditEntryHash(benchmark::State& state) {
  AuditEntry e = SampleEntry(1);
  for (auto _ : state) benchmark::DoNotOptimize(tutti::governance::ComputeAuditHash(e));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditEntryHash);

void BM_AuditChainVerify(benchmark::State& state) {
  std::vector<AuditEntry> chain;
  std::string prev = tutti::governance::kGenesisHash;
  for (int64_t i = 1; i <= state.range(0); ++i) {
    AuditEntry e = SampleEntry(i);
    e.prev_hash = prev;
    e.hash = tutti::governance::ComputeAuditHash(e);
    prev = e.hash;
    chain.push_back(std::move(e));
  }
  for (auto _ : state) {
    tutti::governance::AuditChainVerifier verifier;
    for (const AuditEntry& e : chain) verifier.Add(e);
    if (!verifier.Finish().ok()) state.SkipWithError("chain did not verify");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AuditChainVerify)->Arg(10000);

constexpr char kBrief[] = R"json({
  "name": "Summer Splash 2026", "objective": "lead_generation", "status": "planning",
  "description": "A synchronized summer launch across three markets.",
  "audiences": [{"name": "Active urban 18-34", "description": "Sport and streaming fans"}],
  "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "GB", "tz": "Europe/London"},
              {"name": "JP", "tz": "Asia/Tokyo"}],
  "primary_metric": {"name": "Qualified leads", "unit": "leads", "target": 120000, "forecast": 96000},
  "supporting_metrics": [{"name": "CTR", "unit": "%", "target": 0.8, "forecast": 0.72}],
  "budget": {"amount_micros": 2500000000000, "currency": "EUR"}})json";

void BM_ParseBriefJson_Baseline(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(tutti::ParseJsonObject(kBrief));
}
BENCHMARK(BM_ParseBriefJson_Baseline);

void BM_ParseAndValidateBrief(benchmark::State& state) {
  for (auto _ : state) {
    auto parsed = tutti::ParseJsonObject(kBrief);
    benchmark::DoNotOptimize(tutti::core::ValidateActivationPatch(*parsed, true));
  }
}
BENCHMARK(BM_ParseAndValidateBrief);

void BM_CanViewPartnerPrivate(benchmark::State& state) {
  tutti::governance::Principal p;
  p.user_id = "usr_a";
  p.org_id = "org_partner_7";
  p.role = tutti::core::Role::kPartnerAdmin;
  tutti::governance::ActivationAccess a{"act_x", "org_host", {}};
  for (int i = 0; i < 10; ++i)
    a.participants.push_back({"org_partner_" + std::to_string(i), false});
  for (auto _ : state) {
    benchmark::DoNotOptimize(tutti::governance::CanViewPartnerPrivate(p, a, "org_partner_7"));
  }
}
BENCHMARK(BM_CanViewPartnerPrivate);

void BM_HashPassword_Argon2id_19MiB_t2(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(tutti::HashPassword("correct horse battery", {}));
  }
}
BENCHMARK(BM_HashPassword_Argon2id_19MiB_t2)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (!tutti::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
