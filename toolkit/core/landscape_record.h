#pragma once
// What a landscape entry and an interpolation entry hold, as read back from the cache
// (docs/cache-format.md, "Landscape files", "Interpolation files"). Torch-free: scenes include it.
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// One run's checkpoints projected onto the landscape's plane.
struct ProjectedRun {
  std::string label;                    // the run's label (as in the experiment)
  std::vector<int64_t> step;            // [checkpoints]: the step of each checkpoint
  std::vector<double> xy;               // [checkpoints][2]: least-squares coordinates (x, y)
  std::vector<double> projected_loss;   // [checkpoints]: loss at center + x dx + y dy
  std::vector<double> checkpoint_loss;  // [checkpoints]: loss at the checkpoint's own weights
  std::vector<double> residual;         // [checkpoints]: ||w - projection|| / ||w - center||
                                        // (0 = in the plane; NaN at the center)
};

// A 2D slice of a trained model's loss (one cache entry of kind `landscape`).
struct LandscapeRecord {
  std::vector<double> x;            // [nx]: coordinates along direction x
  std::vector<double> y;            // [ny]: coordinates along direction y
  LossGrid loss;                    // [ny][nx] over x, y: the objective-grid form the landscape
                                    // blocks read (+inf where not finite)
  std::vector<double> accuracy;     // [ny][nx]: share classified right; NaN for regression
  std::vector<NamedTensor> center;  // the center's weights, state_dict() names and order
  std::vector<NamedTensor> direction_x;    // direction x, same names and shapes
  std::vector<NamedTensor> direction_y;    // direction y
  std::vector<double> explained_variance;  // pca: the share of each direction ([2]); else empty
  std::vector<ProjectedRun> projected;     // every run with the center's shapes, in file order
  std::string directions;                  // "random" | "pca"
  std::string center_run;                  // the label of the center's run
  std::string center_at;                   // "init" | "final"
  std::string data;                        // "train" | "test"
  int64_t samples = 0;                     // samples the loss averages over
  double center_loss = 0;                  // the loss at the center itself
  double wall_seconds = 0;                 // time it took (not part of its identity)
};

// The loss along the straight line between two sets of weights (kind `interpolation`).
struct InterpolationRecord {
  std::vector<double> alpha;     // [n]
  std::vector<double> loss;      // [n]: loss((1 - alpha) from + alpha to)
  std::vector<double> accuracy;  // [n]; NaN for regression
  std::string run;               // the run's label
  std::string from;              // "init" | "final"
  std::string to;                // "init" | "final"
  std::string data;              // "train" | "test"
  int64_t samples = 0;           // samples the loss averages over
  double wall_seconds = 0;       // time it took
};

}  // namespace trajtool
