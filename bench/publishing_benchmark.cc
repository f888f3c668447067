// Publishing and approvals at the scale of issue 5: 10 000 campaign links (half with a query of
// their own, a third with a fragment, a fifth carrying stale utm_* parameters) tagged and then
// validated against a taxonomy with controlled lists and a six-part campaign naming rule;
// 10 000 captions checked for disclosures; and an approvals inbox over 10 000 rounds of a
// three-step workflow (0-4 decisions each) evaluated at one `now`, plus the job runner's pass
// that derives the due escalation events. Baselines in the same run: copying the URLs
// (std::string), finding "#ad" in each caption, and copying each round's decisions. Seeded.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "tutti/governance/approvals.h"
#include "tutti/publishing/disclosure.h"
#include "tutti/publishing/utm.h"

namespace tutti {
namespace {

using governance::Actor;
using governance::ApprovalDecision;
using governance::ApprovalWorkflow;
using governance::DecisionKind;
using governance::Party;
using publishing::UtmField;
using std::chrono::hours;
using std::chrono::minutes;

constexpr int kLinks = 10'000;
constexpr int kRounds = 10'000;

const char* const kSources[] = {"instagram", "tiktok", "youtube", "newsletter", "linkedin"};
const char* const kMediums[] = {"paid_social", "social", "email", "cpc", "affiliate"};
const char* const kPartners[] = {"streamco", "nova", "lumen", "globex"};

publishing::UtmTaxonomy Taxonomy() {
  Json document = Json::parse(R"json({
    "version": "bench",
    "values": {"utm_source": ["instagram", "tiktok", "youtube", "newsletter", "linkedin"],
               "utm_medium": ["paid_social", "social", "email", "cpc", "affiliate"]},
    "campaign_naming": {"separator": "_", "segments": [
        {"name": "brand", "values": ["acme"]},
        {"name": "partner", "values": ["streamco", "nova", "lumen", "globex"]},
        {"name": "platform", "values": ["instagram", "tiktok", "youtube", "newsletter",
                                        "linkedin"]},
        {"name": "locale", "kind": "slug"},
        {"name": "launch", "kind": "date"},
        {"name": "version", "kind": "version"}]},
    "internal_hosts": ["acme.example"]
  })json");
  return *publishing::ParseTaxonomy(document);
}

struct LinkCase {
  std::string url;
  std::vector<UtmField> fields;
};

std::vector<LinkCase> MakeLinks() {
  std::mt19937_64 rng(20260601);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::vector<LinkCase> links;
  links.reserve(kLinks);
  for (int i = 0; i < kLinks; ++i) {
    LinkCase link;
    link.url = "https://shop" + std::to_string(pick(50)) + ".example/collections/summer-" +
               std::to_string(i);
    std::string query;
    if (pick(2) == 0) query = "ref=hero&variant=" + std::to_string(pick(1000));
    if (pick(5) == 0) query += std::string(query.empty() ? "" : "&") + "utm_source=Old&utm_term=x";
    if (!query.empty()) link.url += "?" + query;
    if (pick(3) == 0) link.url += "#section-" + std::to_string(pick(10));
    const std::string source = kSources[pick(5)];
    link.fields = {{"utm_source", pick(4) == 0 ? "Instagram" : source},
                   {"utm_medium", kMediums[pick(5)]},
                   {"utm_campaign", std::string("acme_") + kPartners[pick(4)] + "_" + source +
                                        "_en-gb_202606" + std::to_string(10 + pick(20)) + "_v" +
                                        std::to_string(1 + pick(9))},
                   {"utm_content", "creative-" + std::to_string(pick(100))}};
    links.push_back(std::move(link));
  }
  return links;
}

const std::vector<LinkCase>& Links() {
  static const std::vector<LinkCase> links = MakeLinks();
  return links;
}

const std::vector<std::string>& TaggedUrls() {
  static const std::vector<std::string> urls = [] {
    const publishing::UtmTaxonomy taxonomy = Taxonomy();
    std::vector<std::string> out;
    for (const LinkCase& link : Links()) {
      out.push_back(publishing::TagLink(link.url, taxonomy, link.fields)->url);
    }
    return out;
  }();
  return urls;
}

void BM_CopyUrls_Baseline(benchmark::State& state) {
  const std::vector<LinkCase>& links = Links();
  for (auto _ : state) {
    std::vector<std::string> copies;
    copies.reserve(links.size());
    for (const LinkCase& link : links) copies.push_back(link.url);
    benchmark::DoNotOptimize(copies.data());
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_CopyUrls_Baseline)->Unit(benchmark::kMicrosecond);

void BM_ParseUrl(benchmark::State& state) {
  const std::vector<LinkCase>& links = Links();
  for (auto _ : state) {
    size_t hosts = 0;
    for (const LinkCase& link : links) hosts += publishing::ParseUrl(link.url)->host.size();
    benchmark::DoNotOptimize(hosts);
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_ParseUrl)->Unit(benchmark::kMicrosecond);

void BM_TagLink(benchmark::State& state) {
  const std::vector<LinkCase>& links = Links();
  const publishing::UtmTaxonomy taxonomy = Taxonomy();
  for (auto _ : state) {
    size_t bytes = 0;
    for (const LinkCase& link : links) {
      bytes += publishing::TagLink(link.url, taxonomy, link.fields)->url.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_TagLink)->Unit(benchmark::kMicrosecond);

void BM_ValidateLink(benchmark::State& state) {
  const std::vector<std::string>& urls = TaggedUrls();
  const publishing::UtmTaxonomy taxonomy = Taxonomy();
  for (auto _ : state) {
    size_t violations = 0;
    for (const std::string& url : urls)
      violations += publishing::ValidateLink(url, taxonomy).size();
    if (violations != 0) state.SkipWithError("tagged links should comply");
    benchmark::DoNotOptimize(violations);
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_ValidateLink)->Unit(benchmark::kMicrosecond);

std::vector<std::string> MakeCaptions() {
  std::mt19937_64 rng(42);
  const char* const kWords[] = {"summer", "drop", "new",     "kit",   "launch",
                                "today",  "with", "friends", "beach", "city"};
  std::vector<std::string> captions;
  for (int i = 0; i < kLinks; ++i) {
    std::string caption = i % 2 == 0 ? "#ad " : "";
    for (int w = 0; w < 30; ++w) caption += std::string(kWords[rng() % 10]) + " ";
    caption += "#summer #acme #beach";
    captions.push_back(std::move(caption));
  }
  return captions;
}

void BM_FindAdInCaptions_Baseline(benchmark::State& state) {
  const std::vector<std::string> captions = MakeCaptions();
  for (auto _ : state) {
    size_t found = 0;
    for (const std::string& caption : captions) found += caption.find("#ad") != std::string::npos;
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_FindAdInCaptions_Baseline)->Unit(benchmark::kMicrosecond);

void BM_CheckDisclosure(benchmark::State& state) {
  const std::vector<std::string> captions = MakeCaptions();
  publishing::DisclosurePost post;
  post.is_paid = true;
  for (auto _ : state) {
    size_t ok = 0;
    for (const std::string& caption : captions) {
      post.copy = caption;
      ok += publishing::CheckDisclosure(post).ok();
    }
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations() * kLinks);
}
BENCHMARK(BM_CheckDisclosure)->Unit(benchmark::kMicrosecond);

std::string User(int i) {
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::string id = "usr_";
  for (int k = 0; k < 20; ++k) id.push_back(kAlphabet[(i + k * 7) % 32]);
  return id;
}

ApprovalWorkflow Workflow() {
  Json document{
      {"steps",
       Json::array(
           {Json{{"name", "legal"},
                 {"approvers", {{"users", {User(1)}}}},
                 {"turnaround_hours", 24},
                 {"escalation", Json::array({Json{{"after_hours", 24}, {"contact", "Felix"}},
                                             Json{{"after_hours", 48}, {"contact", "Olivia"}}})}},
            Json{{"name", "brand"},
                 {"approvers", {{"roles", {"host:owner"}}}},
                 {"turnaround_hours", 48}},
            Json{{"name", "partner"},
                 {"approvers", {{"users", {User(2), User(3)}}}},
                 {"quorum", "all"},
                 {"parallel_with_previous", true},
                 {"turnaround_hours", 12}}})}};
  return *governance::ParseWorkflow(document, {});
}

struct Round {
  Instant started_at;
  std::vector<ApprovalDecision> decisions;
};

const Instant kNow = *ParseInstant("2026-06-30T12:00:00Z");

std::vector<Round> MakeRounds() {
  std::mt19937_64 rng(7);
  const Actor legal{User(1), core::Role::kContributor, Party::kHost};
  const Actor owner{User(4), core::Role::kOwner, Party::kHost};
  const Actor b{User(2), core::Role::kContributor, Party::kPartner};
  const Actor c{User(3), core::Role::kContributor, Party::kPartner};
  std::vector<Round> rounds;
  for (int i = 0; i < kRounds; ++i) {
    Round round;
    round.started_at = kNow - hours(1 + static_cast<int>(rng() % 96));
    Instant t = round.started_at;
    auto next = [&] { return t += minutes(1 + static_cast<int>(rng() % 600)); };
    const int progress = static_cast<int>(rng() % 5);  // how far the round got
    if (progress >= 1)
      round.decisions.push_back({"legal", legal, DecisionKind::kApprove, "", next()});
    if (progress >= 2)
      round.decisions.push_back({"partner", b, DecisionKind::kApprove, "", next()});
    if (progress >= 3)
      round.decisions.push_back({"partner", c, DecisionKind::kApprove, "", next()});
    if (progress >= 4)
      round.decisions.push_back({"brand", owner, DecisionKind::kApprove, "", next()});
    while (!round.decisions.empty() && round.decisions.back().at > kNow) round.decisions.pop_back();
    rounds.push_back(std::move(round));
  }
  return rounds;
}

void BM_CopyDecisions_Baseline(benchmark::State& state) {
  const std::vector<Round> rounds = MakeRounds();
  for (auto _ : state) {
    size_t n = 0;
    for (const Round& round : rounds) {
      std::vector<ApprovalDecision> copy = round.decisions;
      n += copy.size();
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * kRounds);
}
BENCHMARK(BM_CopyDecisions_Baseline)->Unit(benchmark::kMicrosecond);

// One user's inbox over every open round: evaluate each at `now`, keep what the user owes.
void BM_ApprovalInbox(benchmark::State& state) {
  const ApprovalWorkflow workflow = Workflow();
  const std::vector<Round> rounds = MakeRounds();
  const Actor owner{User(4), core::Role::kOwner, Party::kHost};
  for (auto _ : state) {
    size_t owed = 0;
    for (const Round& round : rounds) {
      auto evaluation =
          governance::EvaluateApproval(workflow, round.started_at, round.decisions, kNow);
      owed += governance::InboxFor(workflow, *evaluation, owner).size();
    }
    benchmark::DoNotOptimize(owed);
  }
  state.SetItemsProcessed(state.iterations() * kRounds);
}
BENCHMARK(BM_ApprovalInbox)->Unit(benchmark::kMicrosecond);

// The job runner's pass: every event that should exist by now, to insert-if-absent.
void BM_DueEscalations(benchmark::State& state) {
  const ApprovalWorkflow workflow = Workflow();
  const std::vector<Round> rounds = MakeRounds();
  for (auto _ : state) {
    size_t events = 0;
    for (const Round& round : rounds) {
      auto evaluation =
          governance::EvaluateApproval(workflow, round.started_at, round.decisions, kNow);
      events += governance::DueEscalations(workflow, *evaluation).size();
    }
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(state.iterations() * kRounds);
}
BENCHMARK(BM_DueEscalations)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tutti

BENCHMARK_MAIN();
