// Pixel tests of the plot mobjects, and a demo sheet (PNG in the test's temporary directory).
#include <cairo-svg.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "viz/axes.h"
#include "viz/colorbar.h"
#include "viz/colormap.h"
#include "viz/contours.h"
#include "viz/heatmap.h"
#include "viz/legend.h"
#include "viz/levels.h"
#include "viz/line_plot.h"

namespace trajtool {
namespace {

// An opaque black 1280x720 canvas.
class Canvas {
 public:
  explicit Canvas(FrameGeometry geo = FrameGeometry{}) : geo_(geo) {
    surface_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, geo.width_px, geo.height_px);
    cr_ = cairo_create(surface_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_paint(cr_);
  }
  ~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  cairo_t* cr() { return cr_; }
  const FrameGeometry& geo() const { return geo_; }
  cairo_surface_t* surface() { return surface_; }
  // The colour at a scene point (opaque canvas: premultiplied equals straight).
  Rgba at(Vec2 p) { return at_px(geo_.to_px_x(p.x), geo_.to_px_y(p.y)); }
  Rgba at_px(double x, double y) {
    cairo_surface_flush(surface_);
    const int ix = static_cast<int>(std::floor(x));
    const int iy = static_cast<int>(std::floor(y));
    const unsigned char* data = cairo_image_surface_get_data(surface_);
    const int stride = cairo_image_surface_get_stride(surface_);
    const uint32_t v = *reinterpret_cast<const uint32_t*>(data + iy * stride + 4 * ix);
    return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0,
            ((v >> 24) & 255) / 255.0};
  }

 private:
  FrameGeometry geo_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

double distance255(Rgba a, Rgba b) {
  return 255 * std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

LossGrid sample(double (*f)(double, double), double x0, double x1, double y0, double y1, int nx,
                int ny) {
  LossGrid g;
  g.x_min = x0;
  g.x_max = x1;
  g.y_min = y0;
  g.y_max = y1;
  g.nx = nx;
  g.ny = ny;
  for (int j = 0; j < ny; ++j) {
    for (int i = 0; i < nx; ++i) {
      g.values.push_back(f(x0 + (x1 - x0) * i / (nx - 1), y0 + (y1 - y0) * j / (ny - 1)));
    }
  }
  return g;
}

double bowl(double x, double y) { return x * x + y * y; }

double rosenbrock(double x, double y) {
  return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

TEST(PlotsRender, ContourCirclePixelsHaveTheLevelColour) {
  Canvas canvas;
  const Axes axes({-2, 2, -2, 2}, {-3, -3, 3, 3}, AxesStyle{});
  const LossGrid grid = sample(bowl, -2, 2, -2, 2, 61, 61);
  ContourLevels levels;
  const double r = 1.3;
  levels.values = {r * r};
  levels.low = 0;
  levels.high = 4;
  ContourStyle style;
  style.colormap = {ColormapName::kPlasma, false};
  style.stroke_px = 5;
  const ContourLines lines(axes, grid, levels, style);
  lines.draw(canvas.cr(), canvas.geo(), DrawState{});
  // Independent colour: plasma at (r^2 - 0) / (4 - 0) of the range.
  const Rgba want = Colormap{ColormapName::kPlasma, false}.sample(r * r / 4);
  for (int k = 0; k < 24; ++k) {
    const double a = 2 * M_PI * (k + 0.37) / 24;
    // Data radius r maps to 1.5 * r scene units; the line is 5 px wide (0.055 units).
    const Vec2 on = axes.data_to_scene(r * std::cos(a), r * std::sin(a));
    EXPECT_LT(distance255(canvas.at(on), want), 20) << "angle " << a;
    for (double f : {0.6, 1.4}) {
      const Vec2 off = axes.data_to_scene(f * r * std::cos(a), f * r * std::sin(a));
      EXPECT_LT(distance255(canvas.at(off), {0, 0, 0, 1}), 1) << "angle " << a << " f " << f;
    }
  }
  EXPECT_LT(distance255(canvas.at({5, 0}), {0, 0, 0, 1}), 1);
}

TEST(PlotsRender, ContoursAreClippedToThePlotBox) {
  Canvas canvas;
  // The domain shows only part of the grid: the circle of radius 1.3 leaves the box at x = 1.
  const Axes axes({-1, 1, -2, 2}, {-1, -3, 1, 3}, AxesStyle{});
  const LossGrid grid = sample(bowl, -2, 2, -2, 2, 61, 61);
  ContourLevels levels;
  levels.values = {1.69};
  levels.low = 0;
  levels.high = 4;
  ContourStyle style;
  style.stroke_px = 6;
  ContourLines(axes, grid, levels, style).draw(canvas.cr(), canvas.geo(), DrawState{});
  // (1.3, 0) is on the circle but outside the box.
  const Vec2 outside = axes.data_to_scene(1.3, 0);
  EXPECT_LT(distance255(canvas.at(outside), {0, 0, 0, 1}), 1);
  const Vec2 inside = axes.data_to_scene(0, 1.3);
  EXPECT_GT(distance255(canvas.at(inside), {0, 0, 0, 1}), 50);
}

TEST(PlotsRender, FilledBandsColourEachBandAndLeaveUndefinedClear) {
  Canvas canvas;
  const Axes axes({-2, 2, -2, 2}, {-3, -3, 3, 3}, AxesStyle{});
  auto grid = std::make_shared<LossGrid>(sample(
      [](double x, double y) { return x > 1.5 ? INFINITY : x * x + y * y; }, -2, 2, -2, 2, 41, 41));
  ContourLevels levels;
  levels.values = {1, 2, 3};
  levels.low = 0;
  levels.high = 4;
  FillStyle style;
  style.colormap = {ColormapName::kViridis, false};
  const FilledContours fill(axes, grid, levels, style);
  fill.draw(canvas.cr(), canvas.geo(), DrawState{});
  const Colormap viridis{ColormapName::kViridis, false};
  // Four bands, coloured at their centres: 1/8, 3/8, 5/8, 7/8 of the map.
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(0.3, 0.4)), viridis.sample(1 / 8.0)), 2);
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(1.0, 0.6)), viridis.sample(3 / 8.0)), 2);
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(-1.2, -0.9)), viridis.sample(5 / 8.0)), 2);
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(-1.8, 1.8)), viridis.sample(7 / 8.0)), 2);
  // Undefined (x > 1.5) shows the background.
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(1.8, 0)), {0, 0, 0, 1}), 1);
  // A second draw at the same geometry gives the same picture.
  Canvas again;
  fill.draw(again.cr(), again.geo(), DrawState{});
  EXPECT_LT(distance255(again.at(axes.data_to_scene(0.3, 0.4)), viridis.sample(1 / 8.0)), 2);
}

TEST(PlotsRender, HeatMapFollowsTheValue) {
  Canvas canvas;
  const Axes axes({0, 1, 0, 1}, {-3, -3, 3, 3}, AxesStyle{});
  // f = x: bilinear interpolation is exact, so every pixel shows magma(x).
  auto grid =
      std::make_shared<LossGrid>(sample([](double x, double) { return x; }, 0, 1, 0, 1, 5, 5));
  ContourLevels levels;
  levels.low = 0;
  levels.high = 1;
  FillStyle style;
  style.mode = FillMode::kContinuous;
  style.colormap = {ColormapName::kMagma, false};
  FilledContours(axes, grid, levels, style).draw(canvas.cr(), canvas.geo(), DrawState{});
  for (double x : {0.1, 0.37, 0.5, 0.81}) {
    const Rgba want = Colormap{ColormapName::kMagma, false}.sample(x);
    EXPECT_LT(distance255(canvas.at(axes.data_to_scene(x, 0.5)), want), 4) << x;
  }
}

TEST(PlotsRender, LegendSamplesHaveTheSeriesColours) {
  Canvas canvas;
  const Rgba colors[] = {{0.9, 0.2, 0.2, 1}, {0.2, 0.8, 0.3, 1}, {0.3, 0.5, 1.0, 1}};
  std::vector<LegendEntry> entries = {
      {"SGD", colors[0]}, {"Momentum", colors[1]}, {"Adam", colors[2]}};
  for (LegendLayout layout : {LegendLayout::kVertical, LegendLayout::kHorizontal}) {
    LegendStyle style;
    style.title = "optimizer";
    style.layout = layout;
    const Legend legend(entries, style, {-5, 3}, Anchor::kTopLeft);
    Canvas c;
    legend.draw(c.cr(), c.geo(), DrawState{});
    const Box2 box = legend.bounds(c.geo());
    EXPECT_NEAR(box.left, -5, 1e-12);
    EXPECT_NEAR(box.top, 3, 1e-12);
    for (size_t k = 0; k < 3; ++k) {
      const Vec2 mid = (legend.sample_start(k) + legend.sample_end(k)) * 0.5;
      EXPECT_LT(distance255(c.at(mid), colors[k]), 2) << "entry " << k;
      EXPECT_GT(mid.x, box.left);
      EXPECT_LT(mid.x, box.right);
      EXPECT_GT(mid.y, box.bottom);
      EXPECT_LT(mid.y, box.top);
    }
    if (layout == LegendLayout::kVertical) {
      EXPECT_GT(legend.sample_start(0).y, legend.sample_start(1).y);
    } else {
      EXPECT_LT(legend.sample_end(0).x, legend.sample_start(1).x);
      EXPECT_DOUBLE_EQ(legend.sample_start(0).y, legend.sample_start(2).y);
    }
    // The background box is drawn (not the black canvas) just inside its corner.
    EXPECT_GT(c.at({box.left + 0.1, box.top - 0.1}).b, 0.05);
  }
}

TEST(PlotsRender, ColorbarEndsMatchTheColormapEnds) {
  Canvas canvas;
  LevelOptions opt;
  opt.count = 12;
  opt.spacing = LevelSpacing::kLog;
  const LossGrid grid = sample(rosenbrock, -2, 2, -1, 3, 81, 81);
  const ContourLevels levels = choose_levels(grid, opt);
  ColorbarStyle style;
  style.colormap = {ColormapName::kInferno, false};
  style.title = "loss";
  const Colorbar bar(levels, {4, -3, 4.3, 3}, style);
  bar.draw(canvas.cr(), canvas.geo(), DrawState{});
  const Colormap inferno{ColormapName::kInferno, false};
  const FrameGeometry& geo = canvas.geo();
  const double x = geo.to_px_x(4.15);
  // 2 px inside the outline at both ends: within 2 / 540 of the ends of the map.
  EXPECT_LT(distance255(canvas.at_px(x, geo.to_px_y(-3) - 2), inferno.sample(0)), 5);
  EXPECT_LT(distance255(canvas.at_px(x, geo.to_px_y(3) + 2), inferno.sample(1)), 5);
  EXPECT_LT(distance255(canvas.at_px(x, geo.to_px_y(0)), inferno.sample(0.5)), 6);
  // Log levels over 4 decades: labels at the decades, placed by their log position.
  ASSERT_GE(bar.labelled_values().size(), 3u);
  for (double v : bar.labelled_values()) {
    const double decade = std::log10(v + levels.shift);
    EXPECT_NEAR(decade, std::round(decade), 1e-9);
  }
  EXPECT_NEAR(bar.value_to_y(levels.high), 3, 1e-9);
}

TEST(PlotsRender, LinePlotRevealsFromTheLeft) {
  Canvas canvas;
  LineSeries s;
  for (int t = 0; t <= 100; ++t) {
    s.x.push_back(t);
    s.y.push_back(std::pow(10.0, -t / 25.0));  // a straight line on a log axis
  }
  s.color = {1, 0.5, 0, 1};
  s.stroke_px = 4;
  LinePlotStyle style;
  style.axes.log_y = true;
  const LinePlot plot({s}, {-4, -2, 2, 2}, style);
  DrawState half;
  half.reveal = 0.5;
  plot.draw(canvas.cr(), canvas.geo(), half);
  const Axes& axes = plot.axes();
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(20, std::pow(10.0, -0.8))), s.color), 25);
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(80, std::pow(10.0, -3.2))), {0, 0, 0, 1}), 1);
}

TEST(PlotsRender, ContoursAreVectorPathsInSvg) {
  const std::string path = ::testing::TempDir() + "viz_plots_contours.svg";
  {
    const FrameGeometry geo;
    cairo_surface_t* svg = cairo_svg_surface_create(path.c_str(), geo.width_px, geo.height_px);
    cairo_t* cr = cairo_create(svg);
    const Axes axes({-2, 2, -2, 2}, {-3, -3, 3, 3}, AxesStyle{});
    ContourLevels levels;
    levels.values = {1};
    levels.low = 0;
    levels.high = 4;
    ContourLines(axes, sample(bowl, -2, 2, -2, 2, 41, 41), levels, ContourStyle{})
        .draw(cr, geo, DrawState{});
    cairo_destroy(cr);
    cairo_surface_destroy(svg);
  }
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<path"), std::string::npos);
  EXPECT_EQ(text.find("<image"), std::string::npos);
}

TEST(PlotsRender, DemoSheet) {
  // A Rosenbrock landscape as a lecturer would show it: filled log bands, lines, axes, colour bar,
  // legend, and a loss inset. Written for a person to look at; checked for basic sanity here.
  const FrameGeometry geo{1920, 1080};
  Canvas canvas(geo);
  cairo_set_source_rgb(canvas.cr(), 0.05, 0.05, 0.07);
  cairo_paint(canvas.cr());
  auto grid = std::make_shared<LossGrid>(sample(rosenbrock, -2, 2, -1, 3, 201, 201));
  LevelOptions opt;
  opt.count = 14;
  opt.spacing = LevelSpacing::kLog;
  const ContourLevels levels = choose_levels(*grid, opt);
  AxesStyle axes_style;
  axes_style.x_label = "θ₁";
  axes_style.y_label = "θ₂";
  axes_style.equal_aspect = true;
  const Axes axes({-2, 2, -1, 3}, {-6.2, -3.0, 0.8, 3.3}, axes_style);
  const Colormap map{ColormapName::kViridis, false};
  FillStyle fill_style;
  fill_style.colormap = map;
  const FilledContours fill(axes, grid, levels, fill_style);
  ContourStyle line_style;
  line_style.use_single_color = true;
  line_style.single_color = {1, 1, 1, 0.35};
  line_style.stroke_px = 1.5;
  const ContourLines lines(axes, *grid, levels, line_style);
  ColorbarStyle bar_style;
  bar_style.colormap = map;
  bar_style.title = "f(θ)";
  const Box2 pb = axes.plot_box();
  const Colorbar bar(levels, {pb.right + 0.35, pb.bottom, pb.right + 0.6, pb.top - 0.5}, bar_style);

  // Two made-up paths towards the minimum (1, 1), to show the legend's purpose.
  const Rgba red{0.96, 0.33, 0.3, 1}, blue{0.35, 0.7, 1.0, 1};
  auto draw_path = [&](Rgba c, double phase) {
    cairo_save(canvas.cr());
    cairo_set_source_rgba(canvas.cr(), c.r, c.g, c.b, 1);
    cairo_set_line_width(canvas.cr(), 4 * geo.height_px / 720.0);
    cairo_set_line_join(canvas.cr(), CAIRO_LINE_JOIN_ROUND);
    for (int k = 0; k <= 60; ++k) {
      const double t = k / 60.0;
      const double x = -1.5 + 2.5 * t;
      const double y = x * x + 0.4 * std::sin(phase + 9 * t) * (1 - t) - 0.1 * (1 - t);
      const Vec2 p = axes.data_to_scene(x, y);
      if (k == 0) {
        cairo_move_to(canvas.cr(), geo.to_px_x(p.x), geo.to_px_y(p.y));
      } else {
        cairo_line_to(canvas.cr(), geo.to_px_x(p.x), geo.to_px_y(p.y));
      }
    }
    cairo_stroke(canvas.cr());
    cairo_restore(canvas.cr());
  };
  LegendStyle legend_style;
  legend_style.title = "optimizer";
  const Legend legend(
      {{"SGD, lr = 10⁻³", red, 4, false, true}, {"Adam, lr = 0.05", blue, 4, false, true}},
      legend_style, {pb.left + 0.15, pb.top - 0.15}, Anchor::kTopLeft);

  LineSeries sgd, adam;
  for (int t = 0; t <= 200; ++t) {
    sgd.x.push_back(t);
    adam.x.push_back(t);
    sgd.y.push_back(600 * std::exp(-t / 30.0) + 2 * std::exp(-t / 400.0));
    adam.y.push_back(600 * std::exp(-t / 12.0) + 1e-3);
  }
  sgd.color = red;
  adam.color = blue;
  sgd.label = "SGD";
  adam.label = "Adam";
  LinePlotStyle inset_style;
  inset_style.axes.log_y = true;
  inset_style.axes.x_label = "step";
  inset_style.axes.y_label = "loss";
  inset_style.axes.tick_points = 16;
  inset_style.axes.label_points = 20;
  const LinePlot inset({sgd, adam}, {3.0, -1.6, 5.9, 1.8}, inset_style);

  fill.draw(canvas.cr(), geo, DrawState{});
  // Sanity: the minimum (1, 1) lies in the lowest band, the far corner in the highest.
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(1.0, 1.0)), map.sample(0.5 / 15)), 3);
  EXPECT_LT(distance255(canvas.at(axes.data_to_scene(-1.95, -0.95)), map.sample(14.5 / 15)), 3);
  lines.draw(canvas.cr(), geo, DrawState{});
  draw_path(red, 0);
  draw_path(blue, 2);
  axes.draw(canvas.cr(), geo, DrawState{});
  bar.draw(canvas.cr(), geo, DrawState{});
  legend.draw(canvas.cr(), geo, DrawState{});
  inset.draw(canvas.cr(), geo, DrawState{});

  const std::string path = ::testing::TempDir() + "viz_plots_demo.png";
  ASSERT_EQ(cairo_surface_write_to_png(canvas.surface(), path.c_str()), CAIRO_STATUS_SUCCESS);
  // Nothing overlaps: legend inside the plot box, colour bar and inset to its right.
  EXPECT_GT(inset.bounds(geo).left, bar.bounds(geo).right);
  EXPECT_LT(legend.bounds(geo).right, pb.right);
  EXPECT_LT(inset.bounds(geo).right, geo.frame_width() / 2);
  EXPECT_GT(axes.bounds(geo).left, -geo.frame_width() / 2);
}

}  // namespace
}  // namespace trajtool
