// The compute library's one exported symbol: the table the trajtool executable calls through.
#include <torch/version.h>

#include "objectives/torch_objective.h"
#include "optimizers/run_model.h"
#include "optimizers/run_trajectory.h"
#include "toolkit/compute_backend.h"

namespace trajtool {
namespace {

Trajectory run_trajectory(const RunSpec& spec, const ProgressFn& progress) {
  const ObjectiveSpec& objective = spec.objective;
  return run_trajectory_with(
      spec,
      [&objective](const at::Tensor& x, const at::Tensor& y) {
        return evaluate_objective_torch(objective, x, y);
      },
      progress);
}

}  // namespace
}  // namespace trajtool

extern "C" __attribute__((visibility("default"))) const trajtool::ComputeBackend*
trajtool_compute_backend() {
  static const trajtool::ComputeBackend backend{&trajtool::run_trajectory, &trajtool::run_model,
                                                TORCH_VERSION};
  return &backend;
}
