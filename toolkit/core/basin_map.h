#pragma once
// Where the starts of a start-grid sweep went: for every start point, the known minimum its run
// ended near (its basin of attraction under that optimizer), or none, or diverged; and how many
// steps it took to get there for good. Computed from the recorded trajectories alone.
#include <array>
#include <cstdint>
#include <vector>

#include "toolkit/core/trajectory.h"

namespace trajtool {

// basin values that are not a minimum's index.
constexpr int kNoBasin = -1;        // ended farther than the tolerance from every minimum
constexpr int kDivergedBasin = -2;  // the run diverged (a non-finite loss or point)

struct BasinMap {
  int64_t starts = 0;      // start points (the sweep's batch)
  int64_t steps = 0;       // steps each run was given (rows - 1)
  std::vector<int> basin;  // per start: index into the minima, kNoBasin or kDivergedBasin
  std::vector<int64_t> arrival_step;  // per start in a basin: the first step from which every
                                      // later point stays within the tolerance; else -1
  std::vector<int64_t> count;         // per minimum: starts that ended in its basin
  int64_t none = 0;                   // starts that ended near no minimum
  int64_t diverged = 0;               // starts whose run diverged
};

// Classifies each start of `sweep` (batch > 0, dim 2) by the minimum nearest to its last point,
// if that is within `tolerance` (Euclidean, in parameter units) of it. Throws std::invalid_argument
// for a trajectory that is not a 2D sweep or a tolerance that is not positive.
BasinMap classify_basins(const Trajectory& sweep, const std::vector<std::array<double, 2>>& minima,
                         double tolerance);

}  // namespace trajtool
