#pragma once
// Every one-dimensional series a cached run records, by name, against its step: what
// `cache export-csv` writes and what a scene's `{experiment: E, run: R, value: NAME}` reads.
//   optimizer run: loss (steps 0..n), grad_norm (1..n, the gradient step t used), x and y (0..n,
//                  the parameters; y for 2D objectives)
//   trained model: train/loss and lr (per step), eval/train_loss, eval/test_loss,
//                  eval/train_accuracy, eval/test_accuracy (at the evaluation steps)
// A new kind of record adds its series here, once, and both readers follow.
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

struct NamedSeries {
  std::string name;           // "loss", "grad_norm", "x", ...
  std::vector<double> step;   // increasing
  std::vector<double> value;  // one per step (NaN after a divergence, as recorded)
};

// A single run's series; an empty list for a sweep (start grid), which has no single curve.
std::vector<NamedSeries> trajectory_series(const Trajectory& t);
std::vector<NamedSeries> training_series(const TrainingRecord& r);

// "loss, grad_norm, x, y": the names, for messages.
std::string series_names(const std::vector<NamedSeries>& series);

}  // namespace trajtool
