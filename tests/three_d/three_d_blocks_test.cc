// The 3D blocks of scene files: their errors name the file, line and key; a rotate that starts with
// the next block turns the camera over that block's span; overlays (title, legend) stay still
// while the world turns under them.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "objectives/objective.h"
#include "tests/support/straight_run.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_player.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

// The shared straight run (tests/support/straight_run.h) with a 64x64 loss grid.
SceneData straight_run_data() { return testing::straight_run_data(64); }

// One section of `blocks` on one experiment `main`; the blocks start on line 5.
std::string one_section(const std::string& blocks) {
  return "experiments: {main: pixels.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
}

std::string play_error(const std::string& blocks) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  try {
    play_scene(parse_scene_script(one_section(blocks), "scenes/Bad.yaml"), data, geo);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kTurningScene =
    "      - title: {text: \"Fixed title\"}\n"
    "      - camera: {phi: 60, theta: -90}\n"
    "      - surface: {experiment: main, z: log, run_time: 1}\n"
    "      - axes_3d: {}\n"
    "      - rotate: {degrees: 90, run_time: 4, with_next: true}\n"
    "      - trajectories_3d: {run_time: 4}\n";

TEST(ThreeDBlocks, BadKeysNameTheFileLineAndKey) {
  EXPECT_NE(play_error("      - camera: {phi: 200}\n").find("scenes/Bad.yaml:5"),
            std::string::npos);
  EXPECT_NE(play_error("      - camera: {phi: 200}\n").find("camera.phi: must be from 0 to 180"),
            std::string::npos);
  const std::string unknown =
      play_error("      - camera: {}\n      - surface: {experiment: main, shading: flat}\n");
  EXPECT_NE(unknown.find("scenes/Bad.yaml:6"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("shading"), std::string::npos) << unknown;
  const std::string no_camera = play_error("      - surface: {experiment: main}\n");
  EXPECT_NE(no_camera.find("scenes/Bad.yaml:5"), std::string::npos) << no_camera;
  EXPECT_NE(no_camera.find("needs a `camera` block"), std::string::npos) << no_camera;
  const std::string no_run = play_error(
      "      - camera: {}\n      - surface: {experiment: main}\n"
      "      - trajectories_3d: {runs: [Nope]}\n");
  EXPECT_NE(no_run.find("scenes/Bad.yaml:7"), std::string::npos) << no_run;
  EXPECT_NE(no_run.find("no run 'Nope'"), std::string::npos) << no_run;
  EXPECT_NE(play_error("      - camera: {}\n      - move_camera: {run_time: 2}\n")
                .find("at least one of `phi`, `theta`, `zoom`"),
            std::string::npos);
}

const World3D* world_of(const Timeline& timeline) {
  for (const MobjectTrack& track : timeline.tracks()) {
    if (const auto* world = dynamic_cast<const World3D*>(track.mob.get())) return world;
  }
  return nullptr;
}

TEST(ThreeDBlocks, ARotateWithTheNextBlockTurnsTheCameraOverItsSpan) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  Timeline timeline =
      play_scene(parse_scene_script(one_section(kTurningScene), "s.yaml"), data, geo);
  const World3D* world = world_of(timeline);
  ASSERT_NE(world, nullptr);
  const MobjectTrack* track = nullptr;
  for (const MobjectTrack& t : timeline.tracks()) {
    if (t.mob.get() == world) track = &t;
  }
  // The race is the last 4 s before the closing clear: theta runs linearly from -90 to 0 over it.
  const double end = timeline.duration() - 0.6;
  auto theta_at = [&](double t) { return world->pose_at(track->state_at(t).reveal).theta_deg; };
  EXPECT_NEAR(theta_at(end - 4.0 - 0.01), -90, 1e-9);
  EXPECT_NEAR(theta_at(end - 2.0), -45, 1e-6);
  EXPECT_NEAR(theta_at(end), 0, 1e-9);
  EXPECT_FALSE(timeline.is_static(end - 3, end - 2.9));
}

// The frame at `t` as a PNG still, read back.
struct Still {
  cairo_surface_t* surface;
  Still(const Timeline& timeline, double t, const FrameGeometry& geo) {
    const fs::path png =
        fs::temp_directory_path() /
        ("three_d_still_" + std::to_string(::getpid()) + "_" + std::to_string(t) + ".png");
    render_still(timeline, t, png.string(), StillFormat::png, geo);
    surface = cairo_image_surface_create_from_png(png.c_str());
    fs::remove(png);
  }
  ~Still() { cairo_surface_destroy(surface); }
  Still(const Still&) = delete;
  Still& operator=(const Still&) = delete;
  // Pixels in rows [top, bottom) and columns [left, right) that differ from `other`'s.
  int differing(const Still& other, int left, int top, int right, int bottom) const {
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* a = cairo_image_surface_get_data(surface);
    const unsigned char* b = cairo_image_surface_get_data(other.surface);
    int pixels = 0;
    for (int y = top; y < bottom; ++y) {
      for (int x = left; x < right; ++x) {
        pixels += std::memcmp(a + y * stride + 4 * x, b + y * stride + 4 * x, 4) != 0;
      }
    }
    return pixels;
  }
};

TEST(ThreeDBlocks, OverlaysStayStillWhileTheWorldTurns) {
  SceneData data = straight_run_data();
  FrameGeometry geo;  // 1280 x 720: 90 px per unit
  Timeline timeline =
      play_scene(parse_scene_script(one_section(kTurningScene), "s.yaml"), data, geo);
  const double end = timeline.duration() - 0.6;
  Still a(timeline, end - 3.0, geo), b(timeline, end - 1.0, geo);
  ASSERT_EQ(cairo_surface_status(a.surface), CAIRO_STATUS_SUCCESS);
  // The title: the top 1.3 units of the frame (rows 0 .. 117).
  EXPECT_EQ(a.differing(b, 0, 0, geo.width_px, 117), 0);
  // The legend's box, in the right-hand column (x from 2.75, y from 2.45 down ~0.6 units).
  const int left = static_cast<int>(geo.to_px_x(2.7)), top = static_cast<int>(geo.to_px_y(2.5));
  EXPECT_EQ(a.differing(b, left, top, left + 200, top + 45), 0);
  // The world under them turned: many pixels of the left part changed.
  EXPECT_GT(a.differing(b, 0, 150, static_cast<int>(geo.to_px_x(2.5)), geo.height_px), 5000);
}

TEST(ThreeDBlocks, APath3DOfThreeSeriesLandsWhereItsOwnSpacePutsIt) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  // Seen from above (phi 0, theta -90: x rightwards, y upwards), the space's x and y sides are 6
  // units: x from -1.5 to 1 spans screen x -3..3, y from 1 to 2 spans screen y -3..3, so the
  // straight run from (-1.5, 2) to (1, 1) is the diagonal from (-3, 3) to (3, -3).
  Timeline timeline =
      play_scene(parse_scene_script(
                     one_section("      - camera: {phi: 0, theta: -90, center: [0, 0]}\n"
                                 "      - path_3d: {experiment: main, run: Straight, x: param:0,"
                                 " y: param:1, z: loss, z_scale: log, run_time: 2}\n"
                                 "      - axes_3d: {run_time: 0.5}\n"),
                     "s.yaml"),
                 data, geo);
  const World3D* world = world_of(timeline);
  ASSERT_NE(world, nullptr);
  ASSERT_EQ(world->paths.size(), 1u);
  EXPECT_EQ(world->paths[0].body.points.size(), 51u);
  EXPECT_EQ(world->paths[0].body.step.back(), 50);
  const double done = timeline.duration() - 0.6 - 0.01;
  Still still(timeline, done, geo);
  auto red_at = [&](double x, double y) {
    const int px = static_cast<int>(geo.to_px_x(x)), py = static_cast<int>(geo.to_px_y(y));
    const uint32_t v =
        reinterpret_cast<const uint32_t*>(cairo_image_surface_get_data(still.surface) +
                                          py * cairo_image_surface_get_stride(still.surface))[px];
    return ((v >> 16) & 0xff) > 200 && ((v >> 8) & 0xff) < 80;
  };
  for (double s : {-2.0, -0.5, 1.0, 2.5}) EXPECT_TRUE(red_at(s, -s)) << s;
  EXPECT_FALSE(red_at(1.5, 1.5));
  // Half way through the trace only the first half is drawn.
  Still half(timeline, 1.0, geo);
  auto half_red = [&](double x, double y) {
    const int px = static_cast<int>(geo.to_px_x(x)), py = static_cast<int>(geo.to_px_y(y));
    const uint32_t v =
        reinterpret_cast<const uint32_t*>(cairo_image_surface_get_data(half.surface) +
                                          py * cairo_image_surface_get_stride(half.surface))[px];
    return ((v >> 16) & 0xff) > 200 && ((v >> 8) & 0xff) < 80;
  };
  EXPECT_TRUE(half_red(-2.0, 2.0));
  EXPECT_FALSE(half_red(2.0, -2.0));
}

TEST(ThreeDBlocks, OneAtATimeTracesEachRunInTurnAndFadesTheEarlierOnes) {
  SceneData data = straight_run_data();
  RunData second = data.experiments[0].runs[0];
  second.spec.label = "Second";
  data.experiments[0].runs.push_back(second);
  FrameGeometry geo;
  Timeline timeline = play_scene(
      parse_scene_script(one_section("      - camera: {}\n      - surface: {experiment: main}\n"
                                     "      - trajectories_3d: {mode: one_at_a_time, run_time: 2,"
                                     " fade_earlier_to: 0.25}\n"),
                         "s.yaml"),
      data, geo);
  const World3D* world = world_of(timeline);
  ASSERT_NE(world, nullptr);
  ASSERT_EQ(world->paths.size(), 2u);
  const MobjectTrack* track = nullptr;
  for (const MobjectTrack& t : timeline.tracks()) {
    if (t.mob.get() == world) track = &t;
  }
  // The end: the clear (0.6 s) after the closing 0.6 s restore of the faded paths, after 2 x 2 s.
  const double end = timeline.duration() - 0.6;
  auto clock = [&](double t) { return track->state_at(t).reveal; };
  const double first_half = clock(end - 0.6 - 4 + 1), second_half = clock(end - 0.6 - 2 + 1);
  // Half way through the first run's turn: it is at step 25 of 50, the second not started.
  EXPECT_NEAR(world->paths[0].reveal.value_at(first_half), 25, 1e-6);
  EXPECT_NEAR(world->paths[1].reveal.value_at(first_half), 0, 1e-9);
  EXPECT_EQ(world->paths[1].opacity.value_at(first_half), 0);  // not even its head dot yet
  // During the second's turn the first is whole and faded to 0.25.
  EXPECT_NEAR(world->paths[0].reveal.value_at(second_half), 50, 1e-9);
  EXPECT_NEAR(world->paths[1].reveal.value_at(second_half), 25, 1e-6);
  EXPECT_NEAR(world->paths[0].opacity.value_at(second_half), 0.25, 1e-9);
  // At the end both are whole and opaque again.
  EXPECT_NEAR(world->paths[0].opacity.value_at(clock(end)), 1, 1e-9);
  EXPECT_NEAR(world->paths[1].reveal.value_at(clock(end)), 50, 1e-9);
}

}  // namespace
}  // namespace trajtool
