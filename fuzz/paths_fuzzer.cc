// Fuzz target for ChannelAttribution path files (`tutti attribution --paths`, docs/attribution.md
// "Path files"): ReadPathFile on the input, whole and again in 7-byte blocks on two threads,
// then Markov (orders 1 and 2) and Shapley on what parses. Invariants: no crash, no sanitizer
// report; both reads agree exactly, journeys or refusal; a refusal starts "line N: " and names
// a reason; parsed journeys are consistent (offsets, keys, finite non-negative counts); and the
// models' credits sum to the conversions.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tutti/attribution/markov.h"
#include "tutti/attribution/models.h"
#include "tutti/attribution/paths.h"

namespace {

using tutti::attribution::Credit;
using tutti::attribution::Journeys;

void Require(bool condition) {
  if (!condition) std::abort();
}

void RequireRefusalExplained(const tutti::Status& status) {
  if (status.ok()) return;
  Require(!status.reason().empty());
}

bool SameJourneys(const Journeys& a, const Journeys& b) {
  if (a.keys.size() != b.keys.size()) return false;
  for (uint32_t k = 0; k < a.keys.size(); ++k) {
    if (a.keys.Name(k) != b.keys.Name(k)) return false;
  }
  return a.offsets == b.offsets && a.touch_key == b.touch_key && a.conversions == b.conversions &&
         a.value == b.value && a.nulls == b.nulls && a.partner_count == b.partner_count;
}

void RequireConsistent(const Journeys& journeys) {
  const size_t n = journeys.size();
  Require(journeys.offsets.size() == n + 1 && journeys.offsets.front() == 0);
  Require(journeys.offsets.back() == journeys.touch_key.size());
  Require(journeys.value.size() == n && journeys.nulls.size() == n);
  Require(journeys.partner_count.size() == n && !journeys.has_times);
  for (size_t j = 0; j < n; ++j) {
    Require(journeys.offsets[j] < journeys.offsets[j + 1]);  // no empty path
    Require(std::isfinite(journeys.conversions[j]) && journeys.conversions[j] >= 0);
    Require(std::isfinite(journeys.nulls[j]) && journeys.nulls[j] >= 0);
    Require(std::isfinite(journeys.value[j]));
  }
  for (uint32_t key : journeys.touch_key) Require(key < journeys.keys.size());
}

void RequireEfficient(const Credit& credit, const Journeys& journeys) {
  double conversions = 0, credited = 0;
  for (double c : journeys.conversions) conversions += c;
  for (double c : credit.conversions) {
    Require(c >= 0);
    credited += c;
  }
  Require(std::abs(credited - conversions) <= 1e-9 * (1 + conversions));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tutti::attribution;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream whole(text);
  const tutti::Result<Journeys> journeys = ReadPathFile(whole, {.threads = 1});
  std::istringstream pieces(text);
  const tutti::Result<Journeys> chunked = ReadPathFile(pieces, {.block_bytes = 7, .threads = 2});
  Require(journeys.ok() == chunked.ok());
  if (!journeys.ok()) {
    RequireRefusalExplained(journeys.status());
    Require(journeys.status().message().rfind("line ", 0) == 0);
    Require(journeys.status().message() == chunked.status().message());
    return 0;
  }
  Require(SameJourneys(*journeys, *chunked));
  RequireConsistent(*journeys);

  // Sums past 1e12 may overflow a weight and be refused; below, every model must succeed.
  double weight = 0;
  for (size_t j = 0; j < journeys->size(); ++j) {
    weight += journeys->conversions[j] + journeys->nulls[j];
  }
  const bool moderate = weight < 1e12;
  for (int order : {1, 2}) {
    const tutti::Result<Credit> markov =
        AttributeMarkov(*journeys, {.model = Model::kMarkov, .markov_order = order, .threads = 1});
    RequireRefusalExplained(markov.status());
    if (moderate) {
      Require(markov.ok() || markov.status().code() == tutti::StatusCode::kResourceExhausted);
      if (markov.ok()) RequireEfficient(*markov, *journeys);
    }
  }
  if (journeys->keys.size() <= 12) {
    const tutti::Result<Credit> shapley =
        AttributeShapley(*journeys, {.model = Model::kShapley, .threads = 1});
    RequireRefusalExplained(shapley.status());
    if (moderate) {
      Require(shapley.ok());
      RequireEfficient(*shapley, *journeys);
    }
  }
  return 0;
}
