#pragma once
// The landscape and interpolation entries of a model experiment (its `landscape:` and
// `interpolation:` keys), made after its runs are trained: loaded when cached and valid, else
// computed from the runs' checkpoints (torch-free) and written atomically.
#include <functional>

#include "toolkit/pipeline/generate.h"

namespace trajtool {

// Calls `finish` once per entry (landscape first, then interpolation). The runs' entries and
// their data set must be in `store` already (generate_experiment makes them first).
void generate_landscapes(const Experiment& experiment, const CacheStore& store,
                         const GenerateOptions& options,
                         const std::function<void(GenerateOutcome)>& finish);

}  // namespace trajtool
