// The compute library's one exported symbol: the table the trajtool executable calls through.
#include <torch/version.h>

#include "objectives/torch_objective.h"
#include "optimizers/run_agent.h"
#include "optimizers/run_training.h"
#include "optimizers/run_trajectory.h"
#include "toolkit/core/compute_backend.h"

namespace trajtool {
namespace {

Trajectory run_trajectory(const RunSpec& spec, const ProgressFn& progress) {
  // Parameters resolved and a formula parsed once, not at every step.
  return run_trajectory_with(spec, bind_objective_torch(spec.objective), progress);
}

}  // namespace
}  // namespace trajtool

extern "C" __attribute__((visibility("default"))) const trajtool::ComputeBackend*
trajtool_compute_backend() {
  static const trajtool::ComputeBackend backend{&trajtool::run_trajectory, TORCH_VERSION,
                                                &trajtool::run_training, &trajtool::run_agent};
  return &backend;
}
