// Journeys written by hand for the attribution model tests: one row per journey, the path as key
// names. Header-only; thread-safe as plain values.
#pragma once

#include <string>
#include <vector>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution::test_support {

struct PathRow {
  std::vector<std::string> path;
  double conversions = 0, value = 0, nulls = 0;
};

// The journeys of `rows` in order, keys interned as they first appear, partner_count 0.
inline Journeys MakeJourneys(const std::vector<PathRow>& rows) {
  Journeys journeys;
  for (const PathRow& row : rows) {
    for (const std::string& key : row.path) journeys.touch_key.push_back(journeys.keys.Intern(key));
    journeys.offsets.push_back(journeys.touch_key.size());
    journeys.conversions.push_back(row.conversions);
    journeys.value.push_back(row.value);
    journeys.nulls.push_back(row.nulls);
    journeys.partner_count.push_back(0);
  }
  return journeys;
}

}  // namespace tutti::attribution::test_support
