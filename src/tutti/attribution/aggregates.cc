// What the API shows beside the credits (attribution.h): the people behind each key's credit, for
// suppressing small aggregates, and the solo versus co-branded comparison. Thread-safe:
// re-entrant, single-threaded (one pass over the journeys, far cheaper than any model).
#include <limits>

#include "tutti/attribution/attribution.h"
#include "tutti/attribution/models.h"

namespace tutti::attribution {

std::vector<uint64_t> ContributingUsers(const Journeys& journeys, Model model) {
  const size_t keys = journeys.keys.size();
  std::vector<uint64_t> users(keys, 0);
  if (journeys.user.size() != journeys.size()) return users;
  // A user's journeys are adjacent, so "counted for this user already" is one stamp per key.
  constexpr uint32_t kNobody = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> last_user(keys, kNobody);
  auto count = [&](uint32_t key, uint32_t user) {
    if (key >= keys || last_user[key] == user) return;
    last_user[key] = user;
    ++users[key];
  };
  for (size_t j = 0; j < journeys.size(); ++j) {
    const uint64_t begin = journeys.offsets[j], end = journeys.offsets[j + 1];
    if (!(journeys.conversions[j] > 0) || begin >= end) continue;
    const uint32_t user = journeys.user[j];
    switch (model) {
      case Model::kFirst:
        count(journeys.touch_key[begin], user);
        break;
      case Model::kLast:
        count(journeys.touch_key[end - 1], user);
        break;
      default:
        for (uint64_t t = begin; t < end; ++t) count(journeys.touch_key[t], user);
        break;
    }
  }
  return users;
}

Result<PartnerMix> ComparePartnerMix(const Journeys& journeys) {
  if (journeys.user.size() != journeys.size() || journeys.partner_count.size() != journeys.size()) {
    return Status(StatusCode::kFailedPrecondition,
                  "paths without partners (a path file) cannot be split into solo and co-branded",
                  "paths", "no_partners");
  }
  const bool with_spend = journeys.spend.size() == journeys.size();
  PartnerMix mix;
  struct Sums {
    ExactSum conversions, revenue, spend;
    uint32_t last_user = std::numeric_limits<uint32_t>::max();
  } solo, co_branded, direct;
  ExactSum journey_spend;
  for (size_t j = 0; j < journeys.size(); ++j) {
    const uint32_t partners = journeys.partner_count[j];
    const bool converts = journeys.conversions[j] > 0;
    JourneyGroup& group = partners == 0 ? mix.direct : partners == 1 ? mix.solo : mix.co_branded;
    Sums& sums = partners == 0 ? direct : partners == 1 ? solo : co_branded;
    ++group.journeys;
    sums.conversions.Add(journeys.conversions[j]);
    sums.revenue.Add(journeys.value[j]);
    if (with_spend) {
      sums.spend.Add(journeys.spend[j]);
      journey_spend.Add(journeys.spend[j]);
    }
    if (converts && sums.last_user != journeys.user[j]) {
      sums.last_user = journeys.user[j];
      ++group.users;
    }
  }
  for (auto [group, sums] : {std::pair{&mix.solo, &solo}, std::pair{&mix.co_branded, &co_branded},
                             std::pair{&mix.direct, &direct}}) {
    group->conversions = sums->conversions.Value();
    group->revenue = sums->revenue.Value();
    group->spend = sums->spend.Value();
  }
  if (journeys.key_spend.size() == journeys.keys.size()) {
    ExactSum total;
    for (double spend : journeys.key_spend) total.Add(spend);
    mix.unassigned_spend = total.Value() - journey_spend.Value();
  }
  return mix;
}

}  // namespace tutti::attribution
