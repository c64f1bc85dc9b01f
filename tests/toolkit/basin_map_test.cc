// classify_basins against trajectories made by hand: where each start ends, when it arrived for
// good, and what counts as none or diverged.
#include "toolkit/core/basin_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace trajtool {
namespace {

// A sweep of `paths` (one list of points per start, all of the same length).
Trajectory sweep_of(const std::vector<std::vector<std::array<double, 2>>>& paths) {
  Trajectory t;
  t.batch = static_cast<int64_t>(paths.size());
  t.rows = static_cast<int64_t>(paths[0].size());
  for (const auto& path : paths) {
    for (const auto& p : path) {
      t.params.push_back(p[0]);
      t.params.push_back(p[1]);
      t.loss.push_back(0);
    }
    t.diverged_at_each.push_back(-1);
  }
  return t;
}

const std::vector<std::array<double, 2>> kMinima = {{0, 0}, {4, 0}};

TEST(BasinMap, EachStartGoesToTheMinimumItEndsNear) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Trajectory t = sweep_of({
      {{1, 1}, {0.5, 0.5}, {0.05, 0}, {0.01, 0}},  // to (0, 0), within 0.1 from row 2
      {{3, 3}, {3.5, 1}, {4, 0.2}, {4, 0.05}},     // to (4, 0), within 0.1 only at row 3
      {{2, 2}, {2, 1}, {2, 0.5}, {2, 0.1}},        // ends far from both: none
      {{0, 0}, {0, 0}, {3, 0}, {0, 0.02}},         // leaves (0, 0) and comes back: arrives at 3
      {{1, 0}, {9, 9}, {nan, nan}, {nan, nan}},    // diverged at row 2
      {{0, 0}, {0, 0}, {0, 0}, {0, 0}},            // there from the start: arrives at 0
  });
  t.diverged_at_each[4] = 2;
  const BasinMap map = classify_basins(t, kMinima, 0.1);
  EXPECT_EQ(map.starts, 6);
  EXPECT_EQ(map.steps, 3);
  EXPECT_EQ(map.basin, (std::vector<int>{0, 1, kNoBasin, 0, kDivergedBasin, 0}));
  EXPECT_EQ(map.arrival_step, (std::vector<int64_t>{2, 3, -1, 3, -1, 0}));
  EXPECT_EQ(map.count, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(map.none, 1);
  EXPECT_EQ(map.diverged, 1);
}

TEST(BasinMap, TheNearestOfTwoMinimaWithinTheToleranceWins) {
  const Trajectory t = sweep_of({{{2.5, 0}, {2.2, 0}}, {{1.5, 0}, {1.8, 0}}});
  const BasinMap map = classify_basins(t, kMinima, 3.0);
  EXPECT_EQ(map.basin, (std::vector<int>{1, 0}));
  // Both were within 3 of their minimum from the start.
  EXPECT_EQ(map.arrival_step, (std::vector<int64_t>{0, 0}));
}

TEST(BasinMap, AnInfiniteLastPointIsDivergedEvenWhenNotMarked) {
  const double inf = std::numeric_limits<double>::infinity();
  const BasinMap map = classify_basins(sweep_of({{{0, 0}, {inf, 0}}}), kMinima, 0.1);
  EXPECT_EQ(map.basin[0], kDivergedBasin);
}

TEST(BasinMap, RejectsWhatIsNotASweepOrATolerance) {
  Trajectory single = sweep_of({{{0, 0}, {0, 0}}});
  single.batch = 0;
  EXPECT_THROW(classify_basins(single, kMinima, 0.1), std::invalid_argument);
  EXPECT_THROW(classify_basins(sweep_of({{{0, 0}}}), kMinima, 0), std::invalid_argument);
}

}  // namespace
}  // namespace trajtool
