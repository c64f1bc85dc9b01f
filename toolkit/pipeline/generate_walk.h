#pragma once
// The walk entry of a model experiment (its `walk:` key), made after its run is trained: loaded
// when cached and valid, else computed from the run's checkpoints (torch-free) and written
// atomically.
#include <functional>

#include "toolkit/pipeline/generate.h"

namespace trajtool {

// Calls `finish` once when the experiment has a walk. The run's entry and its data set must be in
// `store` already (generate_experiment trains it first).
void generate_walk(const Experiment& experiment, const CacheStore& store,
                   const GenerateOptions& options,
                   const std::function<void(GenerateOutcome)>& finish);

}  // namespace trajtool
