#pragma once
// One optimizer run (a single start, or a start grid as one batch) recorded step by step.
#include "objectives/torch_objective.h"
#include "toolkit/core/compute_backend.h"
#include "toolkit/core/run_spec.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// Runs spec.optimizer on `objective` from spec.start for spec.steps steps (spec.objective is not
// read: the caller bound it into `objective`). Records params, loss, the gradient each step used
// (after the optional seeded noise) and the optimizer state under torch's names after each step.
// A grid start runs all points as one [N, 2] parameter whose loss is the sum of the rows; that
// needs an element-wise optimizer, else InputError. See compute_backend.h for divergence.
Trajectory run_trajectory_with(const RunSpec& spec, const TorchObjectiveFn& objective,
                               const ProgressFn& progress);

}  // namespace trajtool
