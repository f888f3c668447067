// Generated events for the attribution benchmarks (attribution_benchmark.cc and the SQL baseline
// attribution_sql_baseline.cc), so that every figure is measured on the same data: `touches`
// touchpoints plus one conversion per ten of them, for touches/5 users over 16 channels and 5
// partners in 60 days, logged in time order (users interleaved, as a real log arrives). Seeded:
// every run makes the same events. Header-only; thread-safe (no shared state).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution::bench {

inline constexpr int kChannels = 16;
inline constexpr int kPartners = 5;
inline constexpr int64_t kStartMs = 1780272000000;  // 2026-06-01T00:00:00Z
inline constexpr int64_t kSpanMs = int64_t{60} * 86'400'000;

// "ev" and 10 hexadecimal digits: ids of one length, so that byte order is numeric order.
inline std::string EventId(uint64_t i) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id = "ev";
  for (int shift = 36; shift >= 0; shift -= 4) id += kDigits[(i >> shift) & 15];
  return id;
}

// Half the touches impressions, 35 % clicks, 15 % engagements; channels and partners skewed so
// that some keys are rare (as small partners are).
inline EventTable MakeEvents(size_t touches) {
  EventTable table;
  const size_t conversions = touches / 10, events = touches + conversions;
  const size_t users = std::max<size_t>(touches / 5, 1);
  std::mt19937_64 rng(20260601);
  for (size_t u = 0; u < users; ++u) table.users.Intern("user-" + std::to_string(u * 2654435761u));
  for (int p = 0; p < kPartners; ++p) table.partners.Intern("partner" + std::to_string(p));
  for (int c = 0; c < kChannels; ++c) table.channels.Intern("channel" + std::to_string(c));
  table.user.reserve(events);
  table.partner.reserve(events);
  table.channel.reserve(events);
  table.ts_ms.reserve(events);
  table.type.reserve(events);
  table.value.reserve(events);
  table.event_id_arena.reserve(events * 12);
  table.event_id_offsets.reserve(events + 1);
  std::uniform_int_distribution<size_t> user(0, users - 1);
  std::geometric_distribution<int> skewed(0.25);
  std::uniform_int_distribution<int> percent(0, 99);
  const double step = static_cast<double>(kSpanMs) / static_cast<double>(events);
  for (size_t i = 0; i < events; ++i) {
    const bool conversion = rng() % (touches + conversions) < conversions;
    const int kind = percent(rng);
    table.user.push_back(static_cast<uint32_t>(user(rng)));
    table.partner.push_back(static_cast<uint32_t>(std::min(skewed(rng), kPartners - 1)));
    table.channel.push_back(static_cast<uint32_t>(std::min(skewed(rng), kChannels - 1)));
    table.ts_ms.push_back(kStartMs + static_cast<int64_t>(static_cast<double>(i) * step));
    table.type.push_back(conversion  ? EventType::kConversion
                         : kind < 50 ? EventType::kImpression
                         : kind < 85 ? EventType::kClick
                                     : EventType::kEngagement);
    table.value.push_back(conversion ? static_cast<double>(rng() % 20000) / 100 : 0);
    table.event_id_arena += EventId(i);
    table.event_id_offsets.push_back(table.event_id_arena.size());
  }
  return table;
}

}  // namespace tutti::attribution::bench
