#include "toolkit/core/basin_map.h"

#include <cmath>
#include <stdexcept>

namespace trajtool {

BasinMap classify_basins(const Trajectory& sweep, const std::vector<std::array<double, 2>>& minima,
                         double tolerance) {
  if (sweep.batch <= 0 || sweep.dim != 2 || sweep.rows < 1) {
    throw std::invalid_argument("classify_basins: not a 2D start-grid sweep");
  }
  if (!(tolerance > 0)) throw std::invalid_argument("classify_basins: tolerance must be > 0");
  BasinMap map;
  map.starts = sweep.batch;
  map.steps = sweep.rows - 1;
  map.basin.assign(static_cast<std::size_t>(sweep.batch), kNoBasin);
  map.arrival_step.assign(static_cast<std::size_t>(sweep.batch), -1);
  map.count.assign(minima.size(), 0);
  const auto at = [&](int64_t start, int64_t row) {
    return &sweep.params[static_cast<std::size_t>((start * sweep.rows + row) * 2)];
  };
  const auto distance = [](const double* p, const std::array<double, 2>& m) {
    return std::hypot(p[0] - m[0], p[1] - m[1]);
  };
  for (int64_t k = 0; k < sweep.batch; ++k) {
    const auto slot = static_cast<std::size_t>(k);
    const double* last = at(k, sweep.rows - 1);
    const bool diverged = (!sweep.diverged_at_each.empty() && sweep.diverged_at_each[slot] >= 0) ||
                          !std::isfinite(last[0]) || !std::isfinite(last[1]);
    if (diverged) {
      map.basin[slot] = kDivergedBasin;
      ++map.diverged;
      continue;
    }
    int nearest = kNoBasin;
    double best = tolerance;
    for (std::size_t m = 0; m < minima.size(); ++m) {
      const double d = distance(last, minima[m]);
      if (d <= best) {
        best = d;
        nearest = static_cast<int>(m);
      }
    }
    map.basin[slot] = nearest;
    if (nearest == kNoBasin) {
      ++map.none;
      continue;
    }
    ++map.count[static_cast<std::size_t>(nearest)];
    // Back from the end while the points stay within the tolerance.
    int64_t row = sweep.rows - 1;
    while (row > 0 &&
           distance(at(k, row - 1), minima[static_cast<std::size_t>(nearest)]) <= tolerance) {
      --row;
    }
    map.arrival_step[slot] = row;
  }
  return map;
}

}  // namespace trajtool
