// Contour levels: spacing, quantile range, shift for values <= 0, +inf cells ignored.
#include "viz/levels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

LossGrid grid_of(std::vector<double> values) {
  LossGrid g;
  g.nx = static_cast<int64_t>(values.size());
  g.ny = 1;
  g.x_max = 1;
  g.values = std::move(values);
  return g;
}

TEST(Levels, LinearSplitsMinToMaxEvenly) {
  std::vector<double> v;
  for (int i = 0; i <= 100; ++i) v.push_back(2.0 + 0.5 * i);  // 2 .. 52
  LevelOptions opt;
  opt.count = 4;
  const ContourLevels lv = choose_levels(grid_of(v), opt);
  ASSERT_EQ(lv.values.size(), 4u);
  const double want[] = {12, 22, 32, 42};  // 2 + k * 50 / 5
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(lv.values[k], want[k], 1e-12);
  EXPECT_DOUBLE_EQ(lv.fraction(2), 0);
  EXPECT_DOUBLE_EQ(lv.fraction(52), 1);
  EXPECT_NEAR(lv.fraction(22), 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(lv.fraction(1000), 1);
  EXPECT_NEAR(lv.value_at(0.4), 22, 1e-12);
}

TEST(Levels, HighQuantileFollowsNumpyLinearDefinition) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  LevelOptions opt;
  opt.count = 3;
  opt.high_quantile = 0.9;
  // numpy.quantile(arange(1, 101), 0.9) = 90.1
  const ContourLevels lv = choose_levels(grid_of(v), opt);
  EXPECT_NEAR(lv.high, 90.1, 1e-9);
  EXPECT_NEAR(lv.values[1], 1 + (90.1 - 1) / 2, 1e-9);
}

TEST(Levels, InfiniteAndNanCellsAreIgnored) {
  std::vector<double> v = {1, 2, 3, 4, 5};
  std::vector<double> w = v;
  w.push_back(std::numeric_limits<double>::infinity());
  w.push_back(std::nan(""));
  LevelOptions opt;
  opt.count = 3;
  opt.spacing = LevelSpacing::kLog;
  const ContourLevels a = choose_levels(grid_of(v), opt);
  const ContourLevels b = choose_levels(grid_of(w), opt);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (size_t k = 0; k < a.values.size(); ++k) EXPECT_DOUBLE_EQ(a.values[k], b.values[k]);
  EXPECT_TRUE(choose_levels(grid_of({INFINITY, INFINITY}), opt).values.empty());
  EXPECT_TRUE(choose_levels(grid_of({3, 3, 3}), opt).values.empty());
}

TEST(Levels, LogLevelsAreGeometric) {
  // Rosenbrock-like range: 0.01 .. 1000, 5 decades (within max_decades = 6).
  std::vector<double> v;
  for (int i = 0; i <= 50; ++i) v.push_back(std::pow(10.0, -2 + 5.0 * i / 50));
  LevelOptions opt;
  opt.count = 9;
  opt.spacing = LevelSpacing::kLog;
  opt.max_decades = 6;
  const ContourLevels lv = choose_levels(grid_of(v), opt);
  ASSERT_EQ(lv.values.size(), 9u);
  EXPECT_DOUBLE_EQ(lv.shift, 0);
  for (int k = 0; k < 9; ++k) {
    EXPECT_NEAR(std::log10(lv.values[k]), -2 + 5.0 * (k + 1) / 10, 1e-9);
  }
  EXPECT_NEAR(lv.fraction(1), 0.4, 1e-9);  // log10(1) is 2/5 of the way from -2 to 3
}

TEST(Levels, LogRangeIsCappedInDecades) {
  std::vector<double> v = {1e-12, 1e-6, 1, 1e4};
  LevelOptions opt;
  opt.count = 3;
  opt.spacing = LevelSpacing::kLog;
  opt.max_decades = 4;
  const ContourLevels lv = choose_levels(grid_of(v), opt);
  EXPECT_NEAR(lv.low, 1, 1e-9);
  EXPECT_NEAR(lv.values[0], 10, 1e-9);
  EXPECT_NEAR(lv.values[2], 1000, 1e-9);
  EXPECT_DOUBLE_EQ(lv.fraction(1e-12), 0);
}

TEST(Levels, LogKeepsAZeroMinimumUnshifted) {
  // A global minimum of exactly 0 (Rosenbrock at (1, 1)): the cap alone bounds the range.
  LevelOptions opt;
  opt.count = 4;
  opt.spacing = LevelSpacing::kLog;
  opt.max_decades = 4;
  const ContourLevels lv = choose_levels(grid_of({0, 1e-3, 1, 1000}), opt);
  EXPECT_EQ(lv.shift, 0);
  EXPECT_NEAR(lv.low, 0.1, 1e-12);
  EXPECT_NEAR(lv.values[0], std::pow(10.0, -1 + 4.0 / 5), 1e-12);
  EXPECT_DOUBLE_EQ(lv.fraction(0), 0);
}

TEST(Levels, LogShiftsNonPositiveValues) {
  std::vector<double> v;
  for (int i = 0; i <= 20; ++i) v.push_back(-5.0 + i);  // -5 .. 15
  LevelOptions opt;
  opt.count = 4;
  opt.spacing = LevelSpacing::kLog;
  opt.max_decades = 3;
  const ContourLevels lv = choose_levels(grid_of(v), opt);
  ASSERT_EQ(lv.values.size(), 4u);
  EXPECT_NEAR((lv.low + lv.shift) / (lv.high + lv.shift), 1e-3, 1e-12);  // max_decades = 3
  EXPECT_NEAR(lv.low, -5, 1e-12);
  EXPECT_NEAR(lv.high, 15, 1e-12);
  double previous = -5;
  for (double level : lv.values) {
    EXPECT_GT(level, previous);
    previous = level;
  }
  EXPECT_LT(previous, 15);
  // Equal ratios of (level + shift).
  const double r0 = (lv.values[1] + lv.shift) / (lv.values[0] + lv.shift);
  const double r1 = (lv.values[3] + lv.shift) / (lv.values[2] + lv.shift);
  EXPECT_NEAR(r0, r1, 1e-9 * r0);
}

TEST(Levels, RejectsBadOptions) {
  LevelOptions opt;
  opt.count = 0;
  EXPECT_THROW(choose_levels(grid_of({1, 2}), opt), InputError);
  opt.count = 3;
  opt.high_quantile = 1.5;
  EXPECT_THROW(choose_levels(grid_of({1, 2}), opt), InputError);
}

}  // namespace
}  // namespace trajtool
