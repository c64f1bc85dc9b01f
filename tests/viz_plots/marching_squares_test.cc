// Marching squares against geometry: circles, rotated ellipses, saddles, undefined cells.
#include "viz/marching_squares.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace trajtool {
namespace {

LossGrid sample(const std::function<double(double, double)>& f, double lo, double hi, int n) {
  LossGrid g;
  g.x_min = g.y_min = lo;
  g.x_max = g.y_max = hi;
  g.nx = g.ny = n;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      g.values.push_back(f(lo + (hi - lo) * i / (n - 1), lo + (hi - lo) * j / (n - 1)));
    }
  }
  return g;
}

double shoelace_area(const IsoLine& line) {
  double a = 0;
  const size_t n = line.points.size();
  for (size_t i = 0; i < n; ++i) {
    const Vec2& p = line.points[i];
    const Vec2& q = line.points[(i + 1) % n];
    a += p.x * q.y - q.x * p.y;
  }
  return std::abs(a) / 2;
}

// Do segments ab and cd cross properly (not merely touch at an end)?
bool cross(Vec2 a, Vec2 b, Vec2 c, Vec2 d) {
  auto orient = [](Vec2 p, Vec2 q, Vec2 r) {
    return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  };
  const double o1 = orient(a, b, c), o2 = orient(a, b, d);
  const double o3 = orient(c, d, a), o4 = orient(c, d, b);
  return o1 * o2 < -1e-18 && o3 * o4 < -1e-18;
}

std::vector<std::pair<Vec2, Vec2>> segments_of(const std::vector<IsoLine>& lines) {
  std::vector<std::pair<Vec2, Vec2>> s;
  for (const IsoLine& l : lines) {
    for (size_t i = 0; i + 1 < l.points.size(); ++i) s.push_back({l.points[i], l.points[i + 1]});
    if (l.closed && l.points.size() > 2) s.push_back({l.points.back(), l.points.front()});
  }
  return s;
}

TEST(MarchingSquares, CircleIsOneClosedLoopOnTheCircle) {
  const LossGrid g = sample([](double x, double y) { return x * x + y * y; }, -2, 2, 81);
  const double r = 1.3;
  const auto lines = iso_lines(g, r * r);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].closed);
  // dx = 0.05: linear interpolation of a quadratic along an edge errs by well under dx^2 / r.
  for (const Vec2& p : lines[0].points) EXPECT_NEAR(std::hypot(p.x, p.y), r, 0.003);
  EXPECT_GT(lines[0].points.size(), 100u);
  EXPECT_NEAR(shoelace_area(lines[0]), M_PI * r * r, 0.01 * M_PI * r * r);
  // No point repeats: each grid edge is crossed once.
  for (size_t i = 0; i + 1 < lines[0].points.size(); ++i) {
    const Vec2 a = lines[0].points[i], b = lines[0].points[i + 1];
    EXPECT_GT(std::hypot(a.x - b.x, a.y - b.y), 0);
  }
}

TEST(MarchingSquares, CircleCutByTheBorderIsOpenAndEndsOnIt) {
  const LossGrid g = sample([](double x, double y) { return x * x + y * y; }, 0, 2, 41);
  const auto lines = iso_lines(g, 1.0);  // a quarter circle from (1, 0) to (0, 1)
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].closed);
  const Vec2 a = lines[0].points.front(), b = lines[0].points.back();
  EXPECT_NEAR(std::min(std::abs(a.x), std::abs(a.y)), 0, 1e-12);
  EXPECT_NEAR(std::min(std::abs(b.x), std::abs(b.y)), 0, 1e-12);
  EXPECT_NEAR(std::hypot(a.x - b.x, a.y - b.y), std::sqrt(2.0), 1e-3);
}

TEST(MarchingSquares, RotatedQuadraticGivesTheEllipse) {
  // f = 4 u^2 + v^2 with (u, v) the point rotated by 30 degrees; f = 1 is an ellipse with
  // semi-axes 1/2 (along u) and 1 (along v).
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  auto f = [&](double x, double y) {
    const double u = c * x + s * y, v = -s * x + c * y;
    return 4 * u * u + v * v;
  };
  const LossGrid g = sample(f, -1.5, 1.5, 121);
  const auto lines = iso_lines(g, 1.0);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_TRUE(lines[0].closed);
  double r_min = 1e9, r_max = 0;
  Vec2 far;
  for (const Vec2& p : lines[0].points) {
    EXPECT_NEAR(f(p.x, p.y), 1.0, 0.01);
    const double r = std::hypot(p.x, p.y);
    r_min = std::min(r_min, r);
    if (r > r_max) {
      r_max = r;
      far = p;
    }
  }
  EXPECT_NEAR(r_min, 0.5, 0.01);
  EXPECT_NEAR(r_max, 1.0, 0.01);
  // The long axis points along v = (-sin 30, cos 30) (or its opposite).
  EXPECT_NEAR(std::abs(-s * far.x + c * far.y) / r_max, 1.0, 0.01);
  EXPECT_NEAR(shoelace_area(lines[0]), M_PI * 0.5 * 1.0, 0.01 * M_PI * 0.5);
}

TEST(MarchingSquares, SaddleCellIsResolvedByItsCentre) {
  LossGrid g;
  g.x_max = g.y_max = 1;
  g.nx = g.ny = 2;
  // Corners (0,0) and (1,1) high, centre average 0.5 >= level: the high corners connect, so the
  // two lines cut off the low corners (1,0) and (0,1).
  g.values = {2, -1, -1, 2};
  auto lines = iso_lines(g, 0.25);
  ASSERT_EQ(lines.size(), 2u);
  for (const IsoLine& l : lines) {
    ASSERT_EQ(l.points.size(), 2u);
    const Vec2 mid = (l.points[0] + l.points[1]) * 0.5;
    const bool near_low_corner =
        std::hypot(mid.x - 1, mid.y) < 0.5 || std::hypot(mid.x, mid.y - 1) < 0.5;
    EXPECT_TRUE(near_low_corner) << mid.x << "," << mid.y;
  }
  // Centre average -0.5 < level: the low corners connect; the lines cut off the high ones.
  g.values = {1, -2, -2, 1};
  lines = iso_lines(g, -0.25);
  ASSERT_EQ(lines.size(), 2u);
  for (const IsoLine& l : lines) {
    const Vec2 mid = (l.points[0] + l.points[1]) * 0.5;
    const bool near_high_corner =
        std::hypot(mid.x, mid.y) < 0.5 || std::hypot(mid.x - 1, mid.y - 1) < 0.5;
    EXPECT_TRUE(near_high_corner) << mid.x << "," << mid.y;
  }
}

TEST(MarchingSquares, SaddleLinesDoNotCross) {
  // A saddle at the origin, which on an even grid is the centre of a cell: level 0 passes through
  // it (two crossing lines in the continuum, which the cell must separate); other levels are two
  // hyperbola branches. No two segments may cross.
  const LossGrid g =
      sample([](double x, double y) { return x * x - y * y + 0.3 * x * y; }, -1, 1, 20);
  for (double level : {0.05, -0.05, 0.0, 0.3}) {
    const auto lines = iso_lines(g, level);
    const auto segs = segments_of(lines);
    ASSERT_FALSE(segs.empty());
    for (size_t i = 0; i < segs.size(); ++i) {
      for (size_t k = i + 1; k < segs.size(); ++k) {
        EXPECT_FALSE(cross(segs[i].first, segs[i].second, segs[k].first, segs[k].second))
            << "level " << level;
      }
    }
    if (level != 0.0) {
      EXPECT_EQ(lines.size(), 2u) << "level " << level;
      for (const IsoLine& l : lines) EXPECT_FALSE(l.closed);
    }
  }
}

TEST(MarchingSquares, UndefinedCellsGiveNoSegments) {
  auto f = [](double x, double y) {
    return x < -0.25 ? std::numeric_limits<double>::infinity() : x * x + y * y;
  };
  const LossGrid g = sample(f, -2, 2, 81);
  const auto lines = iso_lines(g, 1.0);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].closed);  // the circle is cut where the loss is undefined
  for (const Vec2& p : lines[0].points) {
    EXPECT_GE(p.x, -0.25 - 1e-9);
    EXPECT_NEAR(std::hypot(p.x, p.y), 1.0, 0.003);
  }
  // NaN in a checkerboard: every cell has an undefined corner.
  LossGrid h = sample([](double x, double y) { return x * x + y * y; }, -2, 2, 21);
  for (int64_t j = 0; j < h.ny; ++j) {
    for (int64_t i = 0; i < h.nx; ++i) {
      if ((i + j) % 2 == 0) h.values[j * h.nx + i] = std::nan("");
    }
  }
  EXPECT_TRUE(iso_lines(h, 1.0).empty());
  EXPECT_TRUE(iso_lines(g, std::nan("")).empty());
}

}  // namespace
}  // namespace trajtool
