#pragma once
// The inputs of one optimizer run, after defaults are applied. Everything here except `label` and
// `color` changes the numbers, and so is part of the cache key (see cache_key.h).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/core/agent_spec.h"
#include "toolkit/core/landscape_spec.h"
#include "toolkit/core/metric_spec.h"
#include "toolkit/core/spec_values.h"
#include "toolkit/core/training_spec.h"
#include "toolkit/core/walk_spec.h"

namespace trajtool {

// Which objective, with every parameter explicit (defaults filled in by the registry).
struct ObjectiveSpec {
  std::string name;                      // registry name ("rosenbrock") or "expr"
  std::map<std::string, double> params;  // e.g. {a: 6, b: 1, theta: 0.9}; complete after defaults
  std::string expr;                      // the formula text when name == "expr", else empty
  Domain domain;                         // plotting and grid domain (registry default or config)
};

// Where a run starts: one point, or a grid of points run as one batch (a sweep).
struct StartSpec {
  std::vector<double> point;  // 1 or 2 coordinates; empty for a grid
  Domain grid;                // grid extent when `point` is empty
  int64_t grid_nx = 0;        // grid columns (x); 0 for a single point
  int64_t grid_ny = 0;        // grid rows (y); 0 for a single point
  bool is_grid() const { return point.empty(); }
};

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
  std::string name;                            // `name:` of the file
  std::string source_path;                     // the YAML file it was read from
  std::vector<RunSpec> runs;                   // `runs:`
  std::vector<EmaSpec> emas;                   // `emas:`
  std::vector<TrainingRunSpec> training_runs;  // `runs:` of a file with a `dataset:` (trained
                                               // models), in file order
  std::vector<MetricSourceSpec> metrics;       // `metrics:` training logs to import
  std::vector<AgentRunSpec> agent_runs;        // `runs:` of a file with an `env:` (agents)
  int64_t grid_samples = 512;                  // `grid_n:` loss-grid samples per side for contours
  std::optional<LandscapeSpec> landscape;      // `landscape:` of a model experiment
  std::optional<InterpolationSpec> interpolation;  // `interpolation:` of a model experiment
  std::optional<WalkSpec> walk;                    // `walk:` of a model experiment
};

}  // namespace trajtool
