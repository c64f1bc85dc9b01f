#pragma once
// The data stage of agent runs (an experiment with an `env:`): each run's entry (kind `agent`)
// from the cache, or trained (runs one per core) and written atomically.
#include <functional>

#include "cache/cache_store.h"
#include "toolkit/pipeline/generate.h"

namespace trajtool {

// Calls `finish` once per run, in file order. `final_loss` of an outcome holds the mean
// evaluation return at the last milestone; `steps` the updates done.
void generate_agents(const Experiment& experiment, const CacheStore& store,
                     const GenerateOptions& options,
                     const std::function<void(GenerateOutcome)>& finish);

// The mean of the last milestone's evaluation returns (NaN without milestones).
double final_mean_return(const AgentRecord& record);

}  // namespace trajtool
