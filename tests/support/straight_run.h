#pragma once
// For scene tests: one straight run from (-1.5, 2) to (1, 1) on Rosenbrock, 50 steps, drawn in pure
// red, with its objective's loss grid, as the only run of experiment "pixels". Header-only.
#include <cstdint>
#include <memory>

#include "objectives/objective.h"
#include "viz/scene_data.h"

namespace trajtool::testing {

// `grid_n`: the loss grid's points per side.
inline SceneData straight_run_data(int64_t grid_n) {
  RunData run;
  run.spec.label = "Straight";
  run.spec.color = "#ff2020";
  run.spec.objective.name = "rosenbrock";
  apply_objective_defaults(run.spec.objective);
  run.spec.optimizer.name = "adam";
  run.spec.optimizer.hyper["lr"] = 0.1;
  run.spec.start.point = {-1.5, 2.0};
  run.spec.steps = 50;
  Trajectory& t = run.trajectory;
  t.rows = 51;
  for (int64_t r = 0; r < t.rows; ++r) {
    double s = static_cast<double>(r) / 50.0;
    double x = -1.5 + 2.5 * s, y = 2.0 - s;
    t.params.push_back(x);
    t.params.push_back(y);
    double f = 0;
    evaluate_objective(run.spec.objective, &x, &y, &f, 1);
    t.loss.push_back(f);
  }
  t.grad.assign(100, 0.0);
  run.grid = std::make_shared<LossGrid>(compute_loss_grid(run.spec.objective, grid_n, grid_n));
  ExperimentData e;
  e.name = "pixels";
  e.source_path = "pixels.yaml";
  e.runs.push_back(run);
  SceneData data;
  data.experiments.push_back(e);
  return data;
}

}  // namespace trajtool::testing
