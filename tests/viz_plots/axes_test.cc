// Axes: nice 1-2-5 ticks that cover the range, exact data <-> scene round trips, equal aspect.
#include "viz/axes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// Is `step` 1, 2 or 5 times a power of ten?
bool is_nice(double step) {
  const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-12));
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

TEST(Axes, TicksAreNiceAndCoverTheRange) {
  const double ranges[][2] = {{0, 1},     {-2, 2},      {-1.3, 2.7},         {0.001, 0.0093},
                              {-500, 73}, {1e3, 4.7e4}, {-3.14159, 3.14159}, {2.5, 2.6}};
  for (const auto& r : ranges) {
    for (int target : {3, 5, 8}) {
      const auto ticks = nice_ticks(r[0], r[1], target);
      ASSERT_GE(ticks.size(), 2u) << r[0] << ".." << r[1];
      EXPECT_LE(static_cast<int>(ticks.size()), 2 * target + 1);
      EXPECT_GE(static_cast<int>(ticks.size()), std::max(2, target / 2));
      const double step = ticks[1] - ticks[0];
      EXPECT_TRUE(is_nice(step)) << step;
      for (size_t k = 1; k < ticks.size(); ++k) {
        EXPECT_NEAR(ticks[k] - ticks[k - 1], step, 1e-9 * step);
      }
      for (double t : ticks) {
        EXPECT_GE(t, r[0] - 1e-9 * step);
        EXPECT_LE(t, r[1] + 1e-9 * step);
        EXPECT_NEAR(t / step, std::round(t / step), 1e-6);  // multiples of the step
      }
      EXPECT_LT(ticks.front() - r[0], step);
      EXPECT_LT(r[1] - ticks.back(), step);
    }
  }
  const auto unit = nice_ticks(0, 1, 5);
  ASSERT_EQ(unit.size(), 6u);
  EXPECT_DOUBLE_EQ(unit[1], 0.2);
  const auto sym = nice_ticks(-2, 2, 5);
  ASSERT_EQ(sym.size(), 5u);
  EXPECT_EQ(sym[2], 0.0);
  EXPECT_FALSE(std::signbit(sym[2]));
}

TEST(Axes, LabelsAndLogTicks) {
  EXPECT_EQ(format_tick(-0.5, 0.5), "−0.5");
  EXPECT_EQ(format_tick(2, 1), "2");
  EXPECT_EQ(format_tick(0.25, 0.05), "0.25");
  EXPECT_EQ(format_tick(1500, 500), "1500");
  EXPECT_EQ(format_power_of_ten(0.01), "10⁻²");
  EXPECT_EQ(format_power_of_ten(1), "1");
  EXPECT_EQ(format_power_of_ten(1e3), "10³");
  EXPECT_EQ(format_power_of_ten(2), "2");  // 1-2-5 ticks of a short log axis are numbers
  EXPECT_EQ(format_power_of_ten(50), "50");
  EXPECT_EQ(format_power_of_ten(0.05), "0.05");
  // An axis's labels are all powers or all numbers, never a mix.
  EXPECT_EQ(log_tick_labels({0.01, 0.1, 1}), (std::vector<std::string>{"10⁻²", "10⁻¹", "1"}));
  EXPECT_EQ(log_tick_labels({0.05, 0.1, 0.2, 0.5}),
            (std::vector<std::string>{"0.05", "0.1", "0.2", "0.5"}));
  EXPECT_EQ(log_tick_labels(log_ticks(0.06, 0.7)), (std::vector<std::string>{"0.1", "0.2", "0.5"}));
  const auto decades = log_ticks(3e-4, 20);
  ASSERT_EQ(decades.size(), 5u);
  EXPECT_NEAR(decades.front(), 1e-3, 1e-18);
  EXPECT_NEAR(decades.back(), 10, 1e-12);
  const auto narrow = log_ticks(1.5, 30);  // one decade inside: 2, 5, 10, 20
  ASSERT_EQ(narrow.size(), 4u);
  EXPECT_DOUBLE_EQ(narrow[0], 2);
  EXPECT_EQ(log_ticks(12, 45), (std::vector<double>{20, 30, 40}));  // 1-2-5 gives only 20
  const auto thinned = every_nth_decade(log_ticks(1e-6, 1e3), 3);
  ASSERT_EQ(thinned.size(), 4u);  // 10⁻⁶, 10⁻³, 1, 10³
  EXPECT_NEAR(thinned[1], 1e-3, 1e-18);
}

// A log axis with many decades in little height keeps only as many labels as fit: neighbouring
// ticks at least 1.4 label heights apart; a tall one keeps every decade.
TEST(Axes, ShortLogAxesThinTheirDecades) {
  AxesStyle style;
  style.log_y = true;
  style.tick_points = 18;
  const Axes short_axes({0, 1, 1e-6, 1e2}, {0, 0, 4, 1.2}, style);
  const auto& ticks = short_axes.y_tick_values();
  ASSERT_GE(ticks.size(), 2u);
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    const double gap =
        short_axes.data_to_scene(0, ticks[i]).y - short_axes.data_to_scene(0, ticks[i - 1]).y;
    EXPECT_GE(gap, 1.4 * 18 / 90.0);
  }
  const Axes tall({0, 1, 1e-6, 1e2}, {0, 0, 4, 6}, style);
  EXPECT_EQ(tall.y_tick_values().size(), 9u);
  // Within about one decade the ticks are 1-2-5 values, and all of them stay.
  const Axes narrow({0, 1, 1.5, 40}, {0, 0, 4, 1.6}, style);
  EXPECT_EQ(narrow.y_tick_values(), (std::vector<double>{2, 5, 10, 20}));
}

TEST(Axes, MappingRoundTripsAndFillsTheBox) {
  AxesStyle style;
  const Axes axes({-2, 2, -1, 3}, {-4, -3, 2, 3}, style);
  const Vec2 bl = axes.data_to_scene(-2, -1);
  const Vec2 tr = axes.data_to_scene(2, 3);
  EXPECT_DOUBLE_EQ(bl.x, -4);
  EXPECT_DOUBLE_EQ(bl.y, -3);
  EXPECT_DOUBLE_EQ(tr.x, 2);
  EXPECT_DOUBLE_EQ(tr.y, 3);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> ux(-2, 2), uy(-1, 3);
  for (int k = 0; k < 100; ++k) {
    const double x = ux(rng), y = uy(rng);
    const Vec2 d = axes.scene_to_data(axes.data_to_scene(x, y));
    EXPECT_NEAR(d.x, x, 1e-12);
    EXPECT_NEAR(d.y, y, 1e-12);
  }
}

TEST(Axes, EqualAspectShrinksTheBoxAroundItsCentre) {
  AxesStyle style;
  style.equal_aspect = true;
  const Axes axes({0, 4, 0, 2}, {-3, -3, 3, 3}, style);  // data 2:1 in a square box
  const Box2& b = axes.plot_box();
  EXPECT_NEAR(b.width(), 6, 1e-12);
  EXPECT_NEAR(b.height(), 3, 1e-12);
  EXPECT_NEAR(b.center().y, 0, 1e-12);
  const Vec2 a = axes.data_to_scene(0, 0), c = axes.data_to_scene(1, 1);
  EXPECT_NEAR(c.x - a.x, c.y - a.y, 1e-12);  // one unit is as long on both axes
}

TEST(Axes, LogYMapsDecadesEvenly) {
  AxesStyle style;
  style.log_y = true;
  const Axes axes({0, 10, 1e-3, 10}, {0, 0, 4, 4}, style);
  EXPECT_NEAR(axes.data_to_scene(0, 1e-3).y, 0, 1e-12);
  EXPECT_NEAR(axes.data_to_scene(0, 1e-1).y, 2, 1e-12);
  EXPECT_NEAR(axes.scene_to_data({0, 3}).y, 1, 1e-12);
  EXPECT_EQ(axes.y_tick_values().size(), 5u);
  style.log_y = true;
  EXPECT_THROW(Axes({0, 1, 0, 1}, {0, 0, 1, 1}, style), InputError);
  EXPECT_THROW(Axes({0, 0, 0, 1}, {0, 0, 1, 1}, AxesStyle{}), InputError);
}

TEST(Axes, BoundsIncludeTheLabels) {
  AxesStyle style;
  style.x_label = "θ₁";
  style.y_label = "θ₂";
  const Axes axes({-2, 2, -1, 3}, {-3, -3, 3, 3}, style);
  const Box2 b = axes.bounds(FrameGeometry{});
  EXPECT_LT(b.left, -3.3);    // y tick labels and θ₂ on the left
  EXPECT_LT(b.bottom, -3.3);  // x tick labels and θ₁ below
  EXPECT_NEAR(b.top, 3, 0.3);
}

}  // namespace
}  // namespace trajtool
