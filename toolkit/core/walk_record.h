#pragma once
// What a walk entry (kind `walk`) holds, as read back from the cache: a trained classifier's
// per-layer outputs along a walk through its input space, at several milestones of its training
// (docs/cache-format.md, "Walk files"). Values are doubles in memory whatever the run's dtype.
// Torch-free: scenes include it.
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/spec_values.h"
#include "toolkit/core/training_record.h"

namespace trajtool {

// The walk's points as one checkpoint of the model sees them.
struct WalkFrames {
  int64_t points = 0;                    // points of the walk
  int64_t features = 0;                  // inputs per point (2, 784)
  int64_t classes = 0;                   // probabilities per point (2 for one logit: [1 - p, p])
  std::vector<double> input;             // [points][features]: what the model was given
  std::vector<NamedTensor> activations;  // per Sequential module ("0", "1", ...): [points][width]
  std::vector<double> class_probs;       // [points][classes]: softmax (sigmoid for one logit)
  std::vector<int64_t> predicted;        // [points]: the most likely class (ties: the lower)
  std::vector<int64_t> label;            // images: [points]: the true class; else empty
};

// The model at one milestone.
struct WalkMilestone {
  double fraction = 0;  // of the training, as configured
  int64_t step = 0;     // the step of the checkpoint used (the nearest to fraction x steps)
  WalkFrames walk;      // the walk through it
  std::vector<double> boundary;  // 2D data: the checkpoint's class probabilities over the grid,
                                 // [ny][nx][classes] (copied from the run's entry); else empty
};

struct WalkRecord {
  std::string run;                         // the run's label
  std::string source;                      // "path" | "images"
  std::string data;                        // images: "test" | "train"; path: ""
  DType dtype = DType::kFloat32;           // the run's dtype (the forward pass computed in it)
  std::vector<double> waypoints;           // path: [waypoints][2] the polyline sampled
  std::vector<int64_t> indices;            // images: [points] the sample indices
  std::vector<std::string> layer_names;    // per Sequential module: "0", "1", ...
  std::vector<std::string> layer_kinds;    // Linear, ReLU, Dropout, ...
  std::vector<std::string> class_names;    // one per class ("class 0", "T-shirt/top", ...)
  std::vector<std::string> feature_names;  // 2D data: "x1", "x2"; images: empty
  std::vector<int64_t> sample_shape;       // one input's shape in the data set ({2}, {784})
  Domain boundary_grid;                    // 2D data: the grid the boundary probabilities cover
  int64_t boundary_nx = 0;                 // 0 when there is no boundary
  int64_t boundary_ny = 0;
  std::vector<WalkMilestone> milestones;  // in the configured order
  double wall_seconds = 0;                // time it took (not part of its identity)
};

}  // namespace trajtool
