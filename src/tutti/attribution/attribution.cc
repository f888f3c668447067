#include "tutti/attribution/attribution.h"

#include <algorithm>
#include <array>
#include <functional>

#include "tutti/attribution/models.h"

namespace tutti::attribution {
namespace {

constexpr std::array<std::string_view, 4> kEventTypeNames = {"impression", "click", "engagement",
                                                             "conversion"};
constexpr std::array<const char*, 7> kModelNames = {"first",    "last",   "linear", "time_decay",
                                                    "position", "markov", "shapley"};

}  // namespace

uint32_t Dictionary::Hash(std::string_view name) {
  return static_cast<uint32_t>(std::hash<std::string_view>()(name));
}

size_t Dictionary::SlotOf(std::string_view name, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return i;
    if (static_cast<uint32_t>(slot >> 32) == hash &&
        names_[static_cast<uint32_t>(slot) - 1] == name) {
      return i;
    }
  }
}

void Dictionary::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(std::max<size_t>(16, old.size() * 2), 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    size_t i = static_cast<uint32_t>(slot >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

uint32_t Dictionary::InternHashed(std::string_view name, uint32_t hash) {
  if ((names_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t i = SlotOf(name, hash);
  if (slots_[i] != 0) return static_cast<uint32_t>(slots_[i]) - 1;
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(name);
  slots_[i] = (uint64_t{hash} << 32) | (uint64_t{id} + 1);
  return id;
}

uint32_t Dictionary::Intern(std::string_view name) { return InternHashed(name, Hash(name)); }

void Dictionary::InternMany(std::span<const std::string_view> names, std::span<uint32_t> ids) {
  constexpr size_t kBatch = 32;
  for (size_t start = 0; start < names.size(); start += kBatch) {
    const size_t count = std::min(kBatch, names.size() - start);
    // Room for the whole batch first, so that the slots prefetched below stay where they are.
    while ((names_.size() + count) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    std::array<uint32_t, kBatch> hashes;
    // Three rounds of prefetches, each reaching one step further (slot, name, its bytes), so that
    // the batch waits for memory once per round instead of three times per name.
    for (size_t i = 0; i < count; ++i) {
      hashes[i] = Hash(names[start + i]);
      __builtin_prefetch(&slots_[hashes[i] & mask]);
    }
    for (size_t i = 0; i < count; ++i) {
      const uint64_t slot = slots_[hashes[i] & mask];
      if (slot != 0) __builtin_prefetch(&names_[static_cast<uint32_t>(slot) - 1]);
    }
    for (size_t i = 0; i < count; ++i) {
      const uint64_t slot = slots_[hashes[i] & mask];
      if (slot != 0 && static_cast<uint32_t>(slot >> 32) == hashes[i]) {
        __builtin_prefetch(names_[static_cast<uint32_t>(slot) - 1].data());
      }
    }
    for (size_t i = 0; i < count; ++i) ids[start + i] = InternHashed(names[start + i], hashes[i]);
  }
}

Result<uint32_t> Dictionary::Find(std::string_view name) const {
  if (!slots_.empty()) {
    const size_t i = SlotOf(name, Hash(name));
    if (slots_[i] != 0) return static_cast<uint32_t>(slots_[i]) - 1;
  }
  return NotFound("unknown name \"" + std::string(name) + "\"");
}

Result<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return InvalidArgument("unknown event type \"" + std::string(name) +
                             "\"; expected impression, click, engagement or conversion",
                         "type", "invalid_enum");
}

void EventTable::Add(std::string_view event_id, std::string_view user_key, int64_t ts,
                     std::string_view partner_name, std::string_view channel_name,
                     EventType event_type, double event_value) {
  user.push_back(users.Intern(user_key));
  partner.push_back(partners.Intern(partner_name));
  channel.push_back(channels.Intern(channel_name));
  ts_ms.push_back(ts);
  type.push_back(event_type);
  value.push_back(event_value);
  event_id_arena.append(event_id);
  event_id_offsets.push_back(event_id_arena.size());
}

Result<Model> ParseModel(std::string_view name) {
  for (size_t i = 0; i < kModelNames.size(); ++i) {
    if (name == kModelNames[i]) return static_cast<Model>(i);
  }
  return InvalidArgument("unknown model \"" + std::string(name) +
                             "\"; expected first, last, linear, time_decay, position, markov or "
                             "shapley",
                         "model", "invalid_enum");
}

const char* ModelName(Model model) { return kModelNames[static_cast<size_t>(model)]; }

Result<Credit> Attribute(const Journeys& journeys, const ModelOptions& options) {
  switch (options.model) {
    case Model::kMarkov:
      return AttributeMarkov(journeys, options);
    case Model::kShapley:
      return AttributeShapley(journeys, options);
    default:
      return AttributeHeuristic(journeys, options);
  }
}

}  // namespace tutti::attribution
