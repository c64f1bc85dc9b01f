// The 3D engine against geometry worked out by hand: with phi = 90 and theta = -90 the camera
// looks along +y, so a world point (x, y, z) lands on screen at centre + zoom * (x, z) and y is its
// depth (larger = farther). Segments in front of a wall are seen, behind it hidden, and a path
// behind a bump disappears there and comes back; turning the camera moves points as the
// rotation says; the same frame drawn twice is the same bytes.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "viz/renderer.h"
#include "viz/three_d/camera.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {
namespace {

constexpr Rgba kRed{1, 0, 0, 1};
constexpr Rgba kSurfaceGrey{0.5, 0.5, 0.5, 1};

// A frame of `world` at world clock `clock`, on the renderer's background.
struct Frame {
  cairo_surface_t* surface;
  FrameGeometry geo;
  // RGB24 frames take the world's image path; ARGB32 ones (the renderer's) are written directly.
  Frame(const World3D& world, double clock, FrameGeometry g = {},
        cairo_format_t format = CAIRO_FORMAT_RGB24)
      : geo(g) {
    surface = cairo_image_surface_create(format, geo.width_px, geo.height_px);
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, kBackground.r, kBackground.g, kBackground.b);
    cairo_paint(cr);
    DrawState state;
    state.reveal = clock;
    world.draw(cr, geo, state);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
  }
  ~Frame() { cairo_surface_destroy(surface); }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;
  // The pixel at a scene point, as 0..255 per channel.
  std::array<int, 3> at(Vec2 p) const {
    const int x = static_cast<int>(geo.to_px_x(p.x)), y = static_cast<int>(geo.to_px_y(p.y));
    const auto* row = cairo_image_surface_get_data(surface) +
                      static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(surface);
    const uint32_t v = reinterpret_cast<const uint32_t*>(row)[x];
    return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff),
            static_cast<int>(v & 0xff)};
  }
  bool reddish(Vec2 p) const {
    const auto c = at(p);
    return c[0] > 200 && c[1] < 60 && c[2] < 60;
  }
  bool background(Vec2 p) const {
    const auto c = at(p);
    return std::abs(c[0] - 15) <= 2 && std::abs(c[1] - 15) <= 2 && std::abs(c[2] - 20) <= 2;
  }
};

// A flat grey grid surface over x in [x0, x1], z from `height(x)`, standing in the plane y = y0
// (a wall seen face-on from -y): points[j][i] = (x_i, y0, z_j), z_j in [0, height(x_i)].
SurfaceMesh3D wall(double x0, double x1, double y0, double (*height)(double), int n = 33) {
  SurfaceMesh3D m;
  m.nx = m.ny = n;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      const double x = x0 + (x1 - x0) * i / (n - 1);
      m.points.push_back({x, y0, height(x) * j / (n - 1)});
      m.t.push_back(0.5f);
    }
  }
  m.table.entries = {kSurfaceGrey};
  return m;
}

Element<Path3D> segment(Vec3 a, Vec3 b, Rgba color) {
  Element<Path3D> e;
  e.body.points = {a, b};
  e.body.step = {0, 1};
  e.body.colors = {color, color};
  e.body.head = false;
  e.body.width_px = 6;
  e.opacity.initial = 1;
  e.reveal.initial = 1;  // all of it
  return e;
}

World3D side_view() {
  CameraLens lens;
  lens.screen_center = {0, 0};
  return World3D(CameraPose{90, -90, 1}, lens, 1);
}

TEST(ThreeDPixels, ASegmentBehindTheSurfaceIsHiddenAndOneInFrontIsSeen) {
  World3D world = side_view();
  Element<SurfaceMesh3D> surface;
  surface.body = wall(-3, 3, 0, [](double) { return 2.0; });
  surface.opacity.initial = 1;
  world.surfaces.push_back(surface);
  world.paths.push_back(segment({-2, 1, 0.5}, {2, 1, 0.5}, kRed));    // behind (y = 1 > 0)
  world.paths.push_back(segment({-2, -1, 1.5}, {2, -1, 1.5}, kRed));  // in front
  Frame f(world, 0);
  // Screen = (x, z): the hidden one would be at height 0.5, the seen one at 1.5.
  for (double x : {-1.5, 0.0, 1.5}) {
    EXPECT_FALSE(f.reddish({x, 0.5})) << "x = " << x << ": a segment behind the wall shows";
    EXPECT_TRUE(f.reddish({x, 1.5})) << "x = " << x << ": a segment in front is hidden";
  }
  // Above the wall (z > 2) the segment behind it would show; there is none there: background.
  EXPECT_TRUE(f.background({0, 2.6}));
}

TEST(ThreeDPixels, APathBehindABumpDisappearsThereAndComesBack) {
  World3D world = side_view();
  Element<SurfaceMesh3D> bump;
  // A bump of height 2 over |x| < 1, nothing elsewhere.
  bump.body = wall(-1, 1, 0, [](double) { return 2.0; });
  bump.opacity.initial = 1;
  world.surfaces.push_back(bump);
  // A path at height 1 behind the bump, from x = -3 to 3, drawn in many pieces as a real one is.
  Element<Path3D> path = segment({-3, 0.5, 1}, {3, 0.5, 1}, kRed);
  path.body.points.clear();
  path.body.step.clear();
  path.body.colors.clear();
  for (int k = 0; k <= 60; ++k) {
    path.body.points.push_back({-3 + 0.1 * k, 0.5, 1});
    path.body.step.push_back(k);
    path.body.colors.push_back(kRed);
  }
  path.reveal.initial = 60;
  world.paths.push_back(path);
  Frame f(world, 0);
  EXPECT_TRUE(f.reddish({-2, 1}));
  EXPECT_FALSE(f.reddish({-0.5, 1}));
  EXPECT_FALSE(f.reddish({0.5, 1}));
  EXPECT_TRUE(f.reddish({2, 1}));
  // The bump itself is there, grey, where the path is hidden.
  const auto grey = f.at({0, 1});
  EXPECT_NEAR(grey[0], grey[2], 12);
  EXPECT_GT(grey[0], 30);
}

TEST(ThreeDPixels, TurningTheCameraMovesAPointAsTheRotationSays) {
  CameraLens lens;
  lens.screen_center = {0, 0};
  World3D world(CameraPose{90, -90, 1}, lens, 1);
  // Over clock 0..1 theta goes from -90 to 0, linearly.
  animate_track(world.theta, 0, 1, 0, RateFn::linear);
  Element<Dot3D> dot;
  dot.body.at = {2, 0, 1};
  dot.body.fill = kRed;
  dot.body.ring = kRed;
  dot.body.radius = 0.12;
  dot.opacity.initial = 1;
  world.dots.push_back(dot);
  // Screen x of (2, 0, 1) is 2 * right.x = -2 sin(theta): 2 at theta = -90, sqrt 2 at -45, 0 at 0;
  // its height stays 1.
  for (const auto& [clock, x] :
       {std::pair<double, double>{0, 2.0}, {0.5, std::sqrt(2.0)}, {1, 0}}) {
    Frame f(world, clock);
    EXPECT_TRUE(f.reddish({x, 1})) << "clock " << clock;
    EXPECT_FALSE(f.reddish({x + 0.4, 1})) << "clock " << clock;
    EXPECT_FALSE(f.reddish({x - 0.4, 1})) << "clock " << clock;
  }
  // Manim's convention: phi = 0 looks straight down with theta = -90 showing x rightwards and y
  // upwards.
  World3D top(CameraPose{0, -90, 1}, lens, 1);
  Element<Dot3D> on_y = dot;
  on_y.body.at = {0, 2, 0};
  top.dots.push_back(on_y);
  Frame f(top, 0);
  EXPECT_TRUE(f.reddish({0, 2}));
}

TEST(ThreeDPixels, PerspectiveShrinksWhatIsFarther) {
  CameraLens lens;
  lens.screen_center = {0, 0};
  lens.perspective = true;
  lens.focal_distance = 10;
  const Camera cam(CameraPose{90, -90, 1}, lens);
  // Scale f / (f - toward): toward = -y for this camera.
  EXPECT_NEAR(cam.project({2, 5, 0}).at.x, 2 * 10.0 / 15.0, 1e-12);
  EXPECT_NEAR(cam.project({2, -5, 0}).at.x, 2 * 10.0 / 5.0, 1e-12);
  EXPECT_NEAR(cam.project({0, 5, 0}).depth, 5, 1e-12);
}

// A banded wavy wall with a red segment through it, the camera tilting from phi 90 to 60.
void add_banded_wall_turning(World3D& world) {
  Element<SurfaceMesh3D> surface;
  surface.body = wall(-3, 3, 0, [](double x) { return 1.5 + std::sin(2 * x); });
  surface.body.table.entries = {{0.2, 0.3, 0.8, 1}, {0.9, 0.8, 0.2, 1}};
  surface.body.table.banded = true;
  surface.opacity.initial = 1;
  world.surfaces.push_back(surface);
  world.paths.push_back(segment({-2, -1, 0.5}, {2, 1, 2.5}, kRed));
  animate_track(world.phi, 0, 1, 60, RateFn::smooth);
}

TEST(ThreeDPixels, TheSameFrameIsTheSameBytes) {
  World3D world = side_view();
  add_banded_wall_turning(world);
  for (double clock : {0.0, 0.37, 1.0}) {
    Frame a(world, clock), b(world, clock);
    const std::size_t bytes = static_cast<std::size_t>(cairo_image_surface_get_stride(a.surface)) *
                              static_cast<std::size_t>(a.geo.height_px);
    EXPECT_EQ(std::memcmp(cairo_image_surface_get_data(a.surface),
                          cairo_image_surface_get_data(b.surface), bytes),
              0)
        << "clock " << clock;
  }
}

// Frames drawn on four threads at once, each with a raster of its own, straight into ARGB32 frames
// (the renderer's path), are the bytes of the same frames drawn one after another.
TEST(ThreeDPixels, FramesDrawnOnSeveralThreadsAreTheSameBytes) {
  World3D world = side_view();
  add_banded_wall_turning(world);
  auto draw = [&](double clock) {
    const Frame frame(world, clock, FrameGeometry{}, CAIRO_FORMAT_ARGB32);
    const unsigned char* data = cairo_image_surface_get_data(frame.surface);
    return std::vector<unsigned char>(
        data, data + cairo_image_surface_get_stride(frame.surface) * frame.geo.height_px);
  };
  const std::vector<double> clocks = {0.0, 0.2, 0.37, 0.6, 0.8, 1.0};
  std::vector<std::vector<unsigned char>> serial;
  for (double clock : clocks) serial.push_back(draw(clock));
  EXPECT_FALSE(serial[0] == serial[5]);  // the camera moves: the frames differ
  std::vector<std::vector<unsigned char>> parallel(clocks.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t k = t; k < clocks.size(); k += 4) parallel[k] = draw(clocks[k]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t k = 0; k < clocks.size(); ++k) {
    EXPECT_TRUE(parallel[k] == serial[k]) << "clock " << clocks[k];
  }
}

TEST(ThreeDPixels, EdgesAreAntiAliased) {
  // The wall's left edge at x = -3 crosses pixel columns: between the grey and the background the
  // frame holds intermediate shades (a jagged edge would have none).
  World3D world = side_view();
  Element<SurfaceMesh3D> surface;
  surface.body = wall(-3, 3, 0, [](double x) { return 1.0 + 0.3 * x; });  // a slanted top edge
  surface.opacity.initial = 1;
  world.surfaces.push_back(surface);
  Frame f(world, 0);
  const int inside = f.at({0, 0.5})[0], outside = f.at({0, 2.5})[0];
  ASSERT_GT(inside, outside + 40);
  int between = 0;
  for (double x = -2.5; x < 2.5; x += 0.05) {
    for (double z = 0; z < 2.5; z += 1.0 / 90) {
      const int r = f.at({x, z})[0];
      between += r > outside + 8 && r < inside - 8;  // neither background nor the wall's grey
    }
  }
  EXPECT_GT(between, 40);
}

}  // namespace
}  // namespace trajtool
