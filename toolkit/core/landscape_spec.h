#pragma once
// The inputs of a loss landscape of a trained model (Li et al. 2018) and of a 1D interpolation
// between two sets of weights (Goodfellow et al. 2015), after defaults are applied: the
// `landscape:` and `interpolation:` keys of a model experiment (docs/experiments.md, "Loss
// landscapes"). Torch-free. Everything here changes the numbers and is part of the cache key,
// with the keys of the runs whose checkpoints it reads.
#include <cstdint>
#include <string>

#include "toolkit/core/spec_values.h"

namespace trajtool {

// Which weights a landscape or interpolation end point is.
enum class WeightsAt { kInit, kFinal };
const char* weights_at_name(WeightsAt at);  // "init", "final"

// How the two directions of the plane are chosen.
enum class DirectionKind { kRandom, kPca };
const char* direction_kind_name(DirectionKind kind);  // "random", "pca"

// A 2D slice of weight space: loss(center + x * dx + y * dy) on an nx-by-ny grid.
struct LandscapeSpec {
  WeightsAt center = WeightsAt::kFinal;  // the center: the run's final or initial weights
  std::string run;                       // the run's label (default: the first run)
  int64_t run_index = 0;                 // its index in the experiment's runs
  DirectionKind directions = DirectionKind::kRandom;  // random: filter-normalized Gaussian
                                                      // directions; pca: top two principal
                                                      // directions of the checkpoints - center
  bool ignore_biasbn = true;                          // `ignore: biasbn`: 1-D tensors get zero
                                                      // direction (`ignore: none`: they move too)
  Domain range{-1, 1, -1, 1};                         // grid extent in units of the directions
  bool range_auto = false;  // `range: auto` (pca's default): the extent of
                            // every projected checkpoint, 25% margin added
  int64_t nx = 51;          // samples along x
  int64_t ny = 51;          // samples along y
  bool on_test = false;     // the loss over the test set (else train)
  uint64_t seed = 123;      // draws the random directions
};

// loss((1 - alpha) * from + alpha * to) for n values of alpha in [alpha_min, alpha_max].
struct InterpolationSpec {
  WeightsAt from = WeightsAt::kInit;  // the start weights of the run
  WeightsAt to = WeightsAt::kFinal;   // the end weights of the run
  std::string run;                    // the run's label (default: the first run)
  int64_t run_index = 0;              // its index in the experiment's runs
  int64_t n = 101;                    // samples of alpha
  double alpha_min = -0.5;            // the range of alpha
  double alpha_max = 1.5;
  bool on_test = false;  // the loss over the test set (else train)
};

}  // namespace trajtool
