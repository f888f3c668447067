// The models behind Attribute (attribution.h), one family per file. Internal to tutti_attribution.
#pragma once

#include "tutti/attribution/attribution.h"

namespace tutti::attribution {

// first, last, linear, time_decay, position (heuristics.cc).
Result<Credit> AttributeHeuristic(const Journeys& journeys, const ModelOptions& options);
// Markov removal effect, solved exactly on the absorbing chain (markov.cc).
Result<Credit> AttributeMarkov(const Journeys& journeys, const ModelOptions& options);
// Exact Shapley value over key coalitions (shapley.cc).
Result<Credit> AttributeShapley(const Journeys& journeys, const ModelOptions& options);

}  // namespace tutti::attribution
