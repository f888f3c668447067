// The dependency graph of a plan (plan_graph.h): an open-addressing id index, compressed
// adjacency in both directions, Kahn's algorithm, and the report of one cycle when it stalls.
// Pure; thread-safe.
#include "tutti/scheduling/plan_graph.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "tutti/base/json.h"

namespace tutti::scheduling {
namespace {

std::string Quoted(std::string_view id) { return "\"" + std::string(id) + "\""; }

// Milestone ids to indices: open addressing with linear probing over a power-of-two table at
// most half full, each slot holding part of the id's hash beside the index, and the ids copied
// into one contiguous arena. A lookup thus touches a 2 MB table and a 2 MB arena rather than the
// scattered Milestone objects; std::unordered_map spent two thirds of the graph's time in its
// node chains and string compares (perf, 100 000 milestones).
class IdIndex {
 public:
  explicit IdIndex(size_t n) {
    size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    slots_.assign(capacity, Slot{0, kEmpty});
    mask_ = capacity - 1;
    offsets_.reserve(n + 1);
    offsets_.push_back(0);
  }

  // Adds the id of the next milestone (indices are given in order 0, 1, …). Returns the index
  // of an earlier milestone with the same id, or kEmpty.
  int32_t Add(std::string_view id) {
    const auto index = static_cast<int32_t>(offsets_.size() - 1);
    arena_.append(id);
    offsets_.push_back(arena_.size());
    const uint64_t hash = Hash(id);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      Slot& s = slots_[slot];
      if (s.index == kEmpty) {
        s = Slot{static_cast<uint32_t>(hash >> 32), index};
        return kEmpty;
      }
      if (s.tag == static_cast<uint32_t>(hash >> 32) && IdAt(s.index) == id) return s.index;
    }
  }

  // The index of `id`, or kEmpty.
  int32_t Find(std::string_view id) const {
    const uint64_t hash = Hash(id);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& s = slots_[slot];
      if (s.index == kEmpty) return kEmpty;
      if (s.tag == static_cast<uint32_t>(hash >> 32) && IdAt(s.index) == id) return s.index;
    }
  }

  static constexpr int32_t kEmpty = -1;

 private:
  struct Slot {
    uint32_t tag;  // the hash's upper half
    int32_t index;
  };

  // Multiply-xorshift over 8-byte words: ids are short, and this needs to spread, not to resist
  // an adversary (the plan's author gains nothing from slowing their own plan).
  static uint64_t Hash(std::string_view id) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ id.size();
    size_t i = 0;
    for (; i + 8 <= id.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, id.data() + i, 8);
      h = (h ^ word) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, id.data() + i, id.size() - i);
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 32);
  }

  std::string_view IdAt(int32_t index) const {
    const auto i = static_cast<size_t>(index);
    return std::string_view(arena_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::string arena_;
  std::vector<size_t> offsets_;
};

std::string AfterPath(int32_t milestone, int32_t entry) {
  return JoinPath(JoinPath("milestones", static_cast<size_t>(milestone)),
                  JoinPath("after", static_cast<size_t>(entry)));
}

// Called when Kahn's algorithm stalls: every milestone left has a predecessor that is also left,
// so walking predecessors from any of them must revisit one. Reports that loop, starting from its
// member earliest in the plan so that the message does not depend on the walk.
Status CycleError(const std::vector<Milestone>& milestones, const PlanGraph& graph,
                  const std::vector<int32_t>& waiting) {
  const auto n = static_cast<int32_t>(milestones.size());
  int32_t start = 0;
  while (waiting[static_cast<size_t>(start)] == 0) ++start;
  std::vector<int32_t> position(static_cast<size_t>(n), -1);
  std::vector<int32_t> walk;       // milestones visited
  std::vector<int32_t> walk_edge;  // edge taken from walk[k] to walk[k + 1]
  int32_t current = start;
  while (position[static_cast<size_t>(current)] < 0) {
    position[static_cast<size_t>(current)] = static_cast<int32_t>(walk.size());
    walk.push_back(current);
    int32_t edge = graph.pred_begin[static_cast<size_t>(current)];
    while (waiting[static_cast<size_t>(graph.pred[static_cast<size_t>(edge)])] == 0) ++edge;
    walk_edge.push_back(edge);
    current = graph.pred[static_cast<size_t>(edge)];
  }
  std::vector<int32_t> cycle(walk.begin() + position[static_cast<size_t>(current)], walk.end());
  std::vector<int32_t> cycle_edge(walk_edge.begin() + position[static_cast<size_t>(current)],
                                  walk_edge.end());
  const auto first = std::min_element(cycle.begin(), cycle.end()) - cycle.begin();
  std::rotate(cycle.begin(), cycle.begin() + first, cycle.end());
  std::rotate(cycle_edge.begin(), cycle_edge.begin() + first, cycle_edge.end());

  std::string ids;
  for (int32_t m : cycle) ids += milestones[static_cast<size_t>(m)].id + " -> ";
  ids += milestones[static_cast<size_t>(cycle.front())].id;
  const int32_t head = cycle.front();
  return InvalidArgument(
      "dependency cycle " + ids + " (each milestone is after the next)",
      AfterPath(head, cycle_edge.front() - graph.pred_begin[static_cast<size_t>(head)]), "cycle");
}

}  // namespace

Result<PlanGraph> BuildPlanGraph(const std::vector<Milestone>& milestones) {
  const size_t n = milestones.size();
  PlanGraph graph;
  size_t edges = 0;
  for (const Milestone& m : milestones) edges += m.after.size();
  if (n > static_cast<size_t>(INT32_MAX) || edges > kMaxPlanDependencies) {
    return InvalidArgument(
        "a plan has at most " + std::to_string(kMaxPlanDependencies) + " dependencies",
        "milestones", "too_many_items");
  }

  IdIndex index(n);
  for (size_t i = 0; i < n; ++i) {
    const int32_t first = index.Add(milestones[i].id);
    if (first != IdIndex::kEmpty) {
      return InvalidArgument("duplicate milestone id " + Quoted(milestones[i].id) +
                                 " (first used by milestones[" + std::to_string(first) + "])",
                             JoinPath(JoinPath("milestones", i), "id"), "duplicate_id");
    }
  }

  graph.pred_begin.assign(n + 1, 0);
  graph.pred.assign(edges, 0);
  graph.succ_begin.assign(n + 1, 0);
  size_t edge = 0;
  for (size_t i = 0; i < n; ++i) {
    graph.pred_begin[i] = static_cast<int32_t>(edge);
    const auto& after = milestones[i].after;
    for (size_t k = 0; k < after.size(); ++k, ++edge) {
      const int32_t p = index.Find(after[k].id);
      if (p == IdIndex::kEmpty) {
        return InvalidArgument("milestone " + Quoted(milestones[i].id) +
                                   " is after unknown milestone " + Quoted(after[k].id),
                               AfterPath(static_cast<int32_t>(i), static_cast<int32_t>(k)),
                               "unknown_dependency");
      }
      graph.pred[edge] = p;
      ++graph.succ_begin[static_cast<size_t>(p) + 1];
    }
  }
  graph.pred_begin[n] = static_cast<int32_t>(edge);
  for (size_t i = 0; i < n; ++i) graph.succ_begin[i + 1] += graph.succ_begin[i];

  graph.succ.assign(edges, 0);
  graph.succ_edge.assign(edges, 0);
  {
    std::vector<int32_t> fill(graph.succ_begin.begin(), graph.succ_begin.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      for (size_t e = graph.PredBegin(i); e < graph.PredEnd(i); ++e) {
        const auto slot = static_cast<size_t>(fill[static_cast<size_t>(graph.pred[e])]++);
        graph.succ[slot] = static_cast<int32_t>(i);
        graph.succ_edge[slot] = static_cast<int32_t>(e);
      }
    }
  }

  // Kahn: `waiting[i]` counts the predecessors of i not yet placed in the order.
  std::vector<int32_t> waiting(n);
  auto& order = graph.topological_order;
  order.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = graph.pred_begin[i + 1] - graph.pred_begin[i];
    if (waiting[i] == 0) order.push_back(static_cast<int32_t>(i));
  }
  for (size_t head = 0; head < order.size(); ++head) {
    const auto v = static_cast<size_t>(order[head]);
    for (size_t slot = graph.SuccBegin(v); slot < graph.SuccEnd(v); ++slot) {
      const int32_t s = graph.succ[slot];
      if (--waiting[static_cast<size_t>(s)] == 0) order.push_back(s);
    }
  }
  if (order.size() < n) return CycleError(milestones, graph, waiting);
  return graph;
}

}  // namespace tutti::scheduling
