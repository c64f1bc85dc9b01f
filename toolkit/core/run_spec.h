#pragma once
// The inputs of one optimizer run, after defaults are applied. Everything here except `label` and
// `color` changes the numbers, and so is part of the cache key (see cache_key.h).
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "toolkit/core/metric_spec.h"

namespace trajtool {

// A rectangle of the plane: x in [x_min, x_max], y in [y_min, y_max].
struct Domain {
  double x_min = 0;  // left edge
  double x_max = 0;  // right edge
  double y_min = 0;  // bottom edge
  double y_max = 0;  // top edge
};

// Which objective, with every parameter explicit (defaults filled in by the registry).
struct ObjectiveSpec {
  std::string name;                      // registry name ("rosenbrock") or "expr"
  std::map<std::string, double> params;  // e.g. {a: 6, b: 1, theta: 0.9}; complete after defaults
  std::string expr;                      // the formula text when name == "expr", else empty
  Domain domain;                         // plotting and grid domain (registry default or config)
};

// A hyperparameter value: torch.optim uses bools, numbers, tuples of numbers and a few strings.
using HyperValue = std::variant<bool, double, std::vector<double>, std::string>;

// Which optimizer, with every torch.optim hyperparameter explicit (defaults filled in).
struct OptimizerSpec {
  std::string name;                         // "sgd", "adam", "adamw", "rmsprop", "lbfgs", ...
  std::map<std::string, HyperValue> hyper;  // torch.optim names: lr, betas, momentum, ...
};

// Where a run starts: one point, or a grid of points run as one batch (a sweep).
struct StartSpec {
  std::vector<double> point;  // 1 or 2 coordinates; empty for a grid
  Domain grid;                // grid extent when `point` is empty
  int64_t grid_nx = 0;        // grid columns (x); 0 for a single point
  int64_t grid_ny = 0;        // grid rows (y); 0 for a single point
  bool is_grid() const { return point.empty(); }
};

enum class DType { kFloat32, kFloat64 };

// One run of one optimizer on one objective.
struct RunSpec {
  std::string label;              // legend text; not hashed
  std::string color;              // "#rrggbb" or empty for the palette; not hashed
  ObjectiveSpec objective;        // what is minimised
  OptimizerSpec optimizer;        // how
  StartSpec start;                // from where
  int64_t steps = 0;              // optimizer steps (> 0)
  uint64_t seed = 0;              // seeds gradient noise and anything random
  DType dtype = DType::kFloat32;  // tensor dtype of the run
  double grad_noise_std = 0;      // std of Gaussian noise added to each gradient; 0 = none
};

// A tiny model trained on seeded synthetic data (for memory and loss-curve figures).
struct ModelRunSpec {
  std::string label;              // legend text; not hashed
  std::vector<int64_t> layers;    // widths, input first: {2, 8, 8, 1}
  OptimizerSpec optimizer;        // as for RunSpec
  int64_t steps = 0;              // training steps (>= 1)
  int64_t samples = 0;            // synthetic data set size
  uint64_t seed = 0;              // seeds weights and data
  DType dtype = DType::kFloat32;  // tensor dtype
};

// A seeded noisy signal and its exponential moving averages (pure, no training).
struct EmaSpec {
  std::string label;          // not hashed
  int64_t length = 0;         // samples in the signal
  double noise_std = 0;       // std of the Gaussian noise on the clean signal
  std::vector<double> betas;  // one EMA per beta, each in [0, 1)
  uint64_t seed = 0;          // seeds the noise
};

// An experiment file: a name and its runs, in file order.
struct Experiment {
  std::string name;                       // `name:` of the file
  std::string source_path;                // the YAML file it was read from
  std::vector<RunSpec> runs;              // `runs:`
  std::vector<ModelRunSpec> model_runs;   // `models:`
  std::vector<EmaSpec> emas;              // `emas:`
  std::vector<MetricSourceSpec> metrics;  // `metrics:` training logs to import
  int64_t grid_samples = 512;             // `grid_n:` loss-grid samples per side for contours
};

const char* dtype_name(DType dtype);  // "float32" / "float64"

}  // namespace trajtool
