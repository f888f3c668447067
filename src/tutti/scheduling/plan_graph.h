// The dependency graph of a plan: milestone ids indexed, finish-to-start edges in compressed
// adjacency arrays in both directions, and a topological order (Kahn's algorithm). Built once per
// plan and shared by the passes of plan.cc; public so that benchmarks can time it alone. Pure;
// O(milestones + dependencies); a built graph is immutable and safe to read from many threads.
#pragma once

#include <cstdint>
#include <vector>

#include "tutti/base/status.h"
#include "tutti/scheduling/plan.h"

namespace tutti::scheduling {

// Most finish-to-start dependencies in one plan (indices are 32-bit).
inline constexpr size_t kMaxPlanDependencies = 10'000'000;

// Edge e is the e-th `after` entry of the plan, counted in plan order: the entries of milestone
// i are edges pred_begin[i] .. pred_begin[i + 1] - 1, and pred[e] is the milestone it waits for.
// The mirror image: the milestones waiting for i are succ[succ_begin[i] .. succ_begin[i + 1] - 1],
// through edges succ_edge[…] (same slots).
struct PlanGraph {
  std::vector<int32_t> pred_begin;  // milestones + 1
  std::vector<int32_t> pred;        // per edge
  std::vector<int32_t> succ_begin;  // milestones + 1
  std::vector<int32_t> succ;        // per successor slot
  std::vector<int32_t> succ_edge;   // per successor slot
  // Every milestone after all that it waits for; ties in plan order, breadth first.
  std::vector<int32_t> topological_order;

  size_t size() const { return topological_order.size(); }
  // Edge numbers of milestone i's `after` entries: [PredBegin(i), PredEnd(i)).
  size_t PredBegin(size_t i) const { return static_cast<size_t>(pred_begin[i]); }
  size_t PredEnd(size_t i) const { return static_cast<size_t>(pred_begin[i + 1]); }
  // Successor slots of milestone i: [SuccBegin(i), SuccEnd(i)).
  size_t SuccBegin(size_t i) const { return static_cast<size_t>(succ_begin[i]); }
  size_t SuccEnd(size_t i) const { return static_cast<size_t>(succ_begin[i + 1]); }
  bool IsSink(int32_t i) const {
    return succ_begin[static_cast<size_t>(i)] == succ_begin[static_cast<size_t>(i) + 1];
  }
};

// Errors (kInvalidArgument): reason "duplicate_id" at "milestones[j].id" naming the first
// occurrence; "unknown_dependency" at "milestones[i].after[k]" naming both ids; "cycle" at the
// `after` entry that closes it, the message listing one cycle's ids in order
// ("qa -> legal -> qa", each after the next); "too_many_items" above kMaxPlanDependencies.
Result<PlanGraph> BuildPlanGraph(const std::vector<Milestone>& milestones);

}  // namespace tutti::scheduling
