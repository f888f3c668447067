// Markov removal effects (docs/attribution.md, "Markov removal effect"): the absorbing chain
// built from journeys as ChannelAttribution builds it, solved exactly. AttributeMarkov
// (models.h) shares conversions in proportion to these effects; this header exposes the effects
// themselves and the choice of solver so that tests can check both solvers against each other
// and against hand-worked chains. Thread-safe: re-entrant; one call may use several threads.
#pragma once

#include <cstddef>
#include <vector>

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

// How the absorption probabilities are solved. Both are exact in the sense that they solve the
// linear system of the chain (no simulation); they differ in how they scale.
enum class ChainSolver {
  // Direct up to kDenseInverseStateLimit transient states, iterative above.
  kAutomatic,
  // Dense LU of (I − Q) with subtraction-free (GTH) pivots, then the inverse N; every removal
  // effect follows from N without another factorisation. O(m³) time, O(m²) memory.
  kDenseInverse,
  // Gauss–Seidel in depth-first post-order, run from below (0) and from above (a supersolution)
  // at once, until the two bracket P(conversion) within kGaussSeidelTolerance (relative) or stop
  // moving; one solve per key, in parallel. O(sweeps × transitions) per key, O(m) memory.
  kGaussSeidel,
};

inline constexpr size_t kDenseInverseStateLimit = 512;
inline constexpr double kGaussSeidelTolerance = 1e-15;
inline constexpr int kGaussSeidelSweepLimit = 50'000;

struct RemovalEffects {
  // Absorption probability in conversion from the start state. With the chain's transition
  // probabilities estimated from the journeys this equals Σ conversions / Σ (conversions +
  // nulls); it is solved, not assumed.
  double conversion_probability = 0;
  // Per key id of journeys.keys: RE(c) = 1 − P(conversion | c removed) / P(conversion), where
  // removing c sends every transition into a state whose tuple holds c to null. 0 for keys on
  // no weighted path, and for every key when P(conversion) is 0.
  std::vector<double> removal_effect;
  // Transient states of the chain, the start state included.
  size_t states = 0;
  // The solver that ran (kDenseInverse or kGaussSeidel), and for kGaussSeidel the most sweeps one
  // solve took.
  ChainSolver solver = ChainSolver::kAutomatic;
  int sweeps = 0;
};

// The chain of order `order` (1..4): a state is the tuple of the last `order` keys of the path
// after consecutive repeats collapse (shorter tuples at the start of a path). Each journey weighs
// conversions + nulls: start → first state, each state → the next, last state → conversion with
// `conversions` and → null with `nulls`. `threads` 0 means hardware concurrency.
// kInvalidArgument: order outside 1..4 (field "order"), negative threads, conversions or nulls
// negative or not finite, a journey with weight but no touches, a touch key outside
// journeys.keys, journeys whose columns disagree in length, more than 65 535 keys with order
// 2 or more. kResourceExhausted: Gauss–Seidel did not converge within
// kGaussSeidelSweepLimit sweeps (a chain that almost never absorbs; a lower order helps).
Result<RemovalEffects> ComputeRemovalEffects(const Journeys& journeys, int order, int threads,
                                             ChainSolver solver = ChainSolver::kAutomatic);

}  // namespace tutti::attribution
