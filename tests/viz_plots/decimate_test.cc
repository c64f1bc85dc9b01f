// Thinning keeps every extreme: a single-sample spike in a million points survives, and so does a
// single-sample dip; breaks (NaN) stay breaks.
#include "viz/decimate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace trajtool {
namespace {

TEST(Decimate, ASingleSampleSpikeAndDipSurviveAMillionPoints) {
  std::mt19937 random(5);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<SeriesPoint> points(1000000);
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i] = {static_cast<double>(i) * 1280.0 / 1e6, 1 + noise(random)};
  }
  points[654321].y = 40;
  points[123457].y = -30;
  const std::vector<SeriesPoint> thin = decimate_min_max(points, 0, 1);
  EXPECT_LE(thin.size(), 4u * 1280u);
  const auto [low, high] =
      std::minmax_element(thin.begin(), thin.end(),
                          [](const SeriesPoint& a, const SeriesPoint& b) { return a.y < b.y; });
  EXPECT_EQ(high->y, 40);
  EXPECT_EQ(high->x, points[654321].x);
  EXPECT_EQ(low->y, -30);
  // Per column, the extremes of the thinned points are those of the column's points.
  for (int column : {0, 17, 511, 1279}) {
    double lo = INFINITY, hi = -INFINITY, thin_lo = INFINITY, thin_hi = -INFINITY;
    for (const SeriesPoint& p : points) {
      if (std::floor(p.x) == column) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
    }
    for (const SeriesPoint& p : thin) {
      if (std::floor(p.x) == column)
        thin_lo = std::min(thin_lo, p.y), thin_hi = std::max(thin_hi, p.y);
    }
    EXPECT_EQ(lo, thin_lo) << column;
    EXPECT_EQ(hi, thin_hi) << column;
  }
  // x order is kept.
  EXPECT_TRUE(std::is_sorted(thin.begin(), thin.end(),
                             [](const SeriesPoint& a, const SeriesPoint& b) { return a.x < b.x; }));
}

TEST(Decimate, BreaksStayAndShortSeriesKeepEveryPoint) {
  const std::vector<SeriesPoint> points = {{0, 1}, {1, 2}, {2, NAN}, {3, NAN}, {4, 3}, {5, 4}};
  const std::vector<SeriesPoint> thin = decimate_min_max(points, 0, 1);
  ASSERT_EQ(thin.size(), 5u);  // the two NaN become one break
  EXPECT_EQ(thin[1].y, 2);
  EXPECT_TRUE(std::isnan(thin[2].y));
  EXPECT_EQ(thin[3].y, 3);
}

}  // namespace
}  // namespace trajtool
