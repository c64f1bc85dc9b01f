// The 3D blocks added for labels, moving axes, metric paths and gradient surfaces, checked against
// geometry and data worked out here: a text_3d stands where the camera projects its point, upright,
// at every camera; the axes stand on the box's edges that face the camera (mplot3d's rule, derived
// by hand for two cameras); path_3d joins logged series on the steps all three have; a gradient
// surface's heights are the log of the recorded norms.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/still_frame.h"
#include "tests/support/straight_run.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_player.h"
#include "viz/three_d/axes_3d.h"
#include "viz/three_d/surface_3d.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {
namespace {

std::string one_section(const std::string& blocks) {
  return "experiments: {main: pixels.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
}

struct Played {
  Timeline timeline;
  const World3D* world = nullptr;
  const MobjectTrack* track = nullptr;
};

Played play(const std::string& blocks, const SceneData& data, const FrameGeometry& geo) {
  Played p{play_scene(parse_scene_script(one_section(blocks), "s.yaml"), data, geo)};
  for (const MobjectTrack& t : p.timeline.tracks()) {
    if (const auto* w = dynamic_cast<const World3D*>(t.mob.get())) {
      p.world = w;
      p.track = &t;
    }
  }
  return p;
}

// A still of the timeline at `t` (tests/support/still_frame.h), with what these tests look for.
struct Still {
  testing::StillFrame frame;
  Still(const Timeline& timeline, double t, const FrameGeometry& geo) : frame(timeline, t, geo) {}
  // The box of pure-red pixels (the test's text colour): left, top, right, bottom in px.
  std::array<int, 4> red_box() const {
    std::array<int, 4> box{1 << 20, 1 << 20, -1, -1};
    const int w = cairo_image_surface_get_width(frame.surface());
    const int h = cairo_image_surface_get_height(frame.surface());
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const Rgba c = frame.at(x, y);
        if (c.r > 0.7 && c.g < 0.27 && c.b < 0.27) {
          box = {std::min(box[0], x), std::min(box[1], y), std::max(box[2], x),
                 std::max(box[3], y)};
        }
      }
    }
    return box;
  }
  // Light grey, as the axes' lines are drawn (0.85 on the dark background), within 2 px.
  bool line_near(double px, double py) const {
    for (int dy = -2; dy <= 2; ++dy) {
      for (int dx = -2; dx <= 2; ++dx) {
        const Rgba c = frame.at(std::floor(px) + dx, std::floor(py) + dy);
        if (c.r > 0.59 && c.g > 0.59 && c.b > 0.59) return true;
      }
    }
    return false;
  }
};

TEST(ThreeDSceneBlocks, Text3DStandsWhereTheCameraProjectsItsPointAndNeverTilts) {
  SceneData data = testing::straight_run_data(48);
  FrameGeometry geo;  // 1280 x 720, 90 px per unit
  // The surface sets the space (x -2..2 -> -3..3 world, see space_for_grid); the text's point is
  // (0.5, 2.5, loss 900). It fades in over 0.5 s, then the camera turns 120 degrees over 4 s.
  const Played p = play(
      "      - camera: {phi: 60, theta: -90, center: [0, 0]}\n"
      "      - surface: {experiment: main, marks: false, formula: false, run_time: 0.5}\n"
      "      - text_3d: {text: \"HHHH\", at: [0.5, 2.5, 900], color: \"#ff0000\", dot: false,"
      " occlude: false, gap: 0.1, run_time: 0.5}\n"
      "      - rotate: {degrees: 120, run_time: 4}\n",
      data, geo);
  ASSERT_NE(p.world, nullptr);
  const LossGrid& grid = *data.experiments[0].runs[0].grid;
  const double wide = std::max(grid.x_max - grid.x_min, grid.y_max - grid.y_min);
  const Space3D space = space_for_grid(grid, false, 6 * (grid.x_max - grid.x_min) / wide,
                                       6 * (grid.y_max - grid.y_min) / wide, 3);
  const Vec3 point = space.to_world(0.5, 2.5, 900);
  const double end = p.timeline.duration() - 0.6;  // before the closing clear
  std::array<int, 4> first_box{};
  for (double t : {end - 4.0 - 0.05, end - 2.0, end - 0.05}) {
    const Still still(p.timeline, t, geo);
    const std::array<int, 4> box = still.red_box();
    ASSERT_GE(box[2], 0) << "no text at t = " << t;
    const Vec2 at = p.world->camera_at(p.track->state_at(t).reveal).project(point).at;
    const double px = geo.to_px_x(at.x), py = geo.to_px_y(at.y);
    // Centred over the point, its ink just above it (the gap, plus the line's descent).
    EXPECT_NEAR((box[0] + box[2]) / 2.0, px, 3) << t;
    EXPECT_LT(box[3], py - 0.1 * 90 + 1) << t;
    EXPECT_GT(box[3], py - 0.1 * 90 - 14) << t;
    // Upright and the same size at every camera: the same box.
    if (t == end - 4.0 - 0.05) {
      first_box = box;
      EXPECT_GT(box[2] - box[0], 2 * (box[3] - box[1]));
    } else {
      EXPECT_NEAR(box[2] - box[0], first_box[2] - first_box[0], 1) << t;
      EXPECT_NEAR(box[3] - box[1], first_box[3] - first_box[1], 1) << t;
    }
  }
  // The turn moved the point on screen: the text followed it.
  const Vec2 a = p.world->camera_at(p.track->state_at(end - 4.05).reveal).project(point).at;
  const Vec2 b = p.world->camera_at(p.track->state_at(end - 0.05).reveal).project(point).at;
  EXPECT_GT(std::hypot(a.x - b.x, a.y - b.y), 1.0);
}

// The box the axes tests put their axes on: x in [-2, 2], y in [-1, 3], z in [0, 10].
Space3D axes_box() {
  Space3D space;
  space.x_min = -2;
  space.x_max = 2;
  space.y_min = -1;
  space.y_max = 3;
  space.z_min = 0;
  space.z_max = 10;
  return space;
}

TEST(ThreeDSceneBlocks, AxesStandOnTheEdgesFacingTheCamera) {
  const Space3D space = axes_box();
  // Looking from +x, -y (theta -60, above): mplot3d's rule puts the x axis on the front edge
  // y = y_min, the y axis on the near side x = x_max, both on the floor, and z up the side corner
  // that is left on screen, (x_min, y_min). From the opposite side (theta 120) everything swaps:
  // x on y = y_max, y on x = x_min, z at (x_max, y_max).
  struct Case {
    double theta;
    double x_axis_y, y_axis_x, z_x, z_y;
  };
  for (const Case& k : {Case{-60, -1, 2, -2, -1}, Case{120, 3, -2, 2, 3}}) {
    const Camera camera({60, k.theta, 1}, CameraLens{});
    const Axes3DPlacement at = axes_placement(space, camera);
    EXPECT_EQ(at.x_axis_y, k.x_axis_y) << k.theta;
    EXPECT_EQ(at.y_axis_x, k.y_axis_x) << k.theta;
    EXPECT_EQ(at.floor_z, 0) << k.theta;
    EXPECT_EQ(at.z_axis_x, k.z_x) << k.theta;
    EXPECT_EQ(at.z_axis_y, k.z_y) << k.theta;

    // Drawn: the lines lie on those edges and not on the opposite ones.
    auto world = std::make_shared<World3D>(CameraPose{60, k.theta, 1}, CameraLens{});
    Element<Rig3D> rig;
    Axes3DStyle style;
    style.x_label = style.y_label = style.z_label = "";
    rig.body = axes_rig(space, style);
    rig.opacity.initial = 1;
    world->rigs.push_back(rig);
    FrameGeometry geo;
    SceneBuilder builder(0);
    builder.add(world);
    builder.wait(1);
    const Timeline timeline = builder.build();
    const Still still(timeline, 0.5, geo);
    auto on_screen = [&](double x, double y, double z) {
      const Vec2 q = camera.project(space.to_world(x, y, z)).at;
      return std::pair<double, double>{geo.to_px_x(q.x), geo.to_px_y(q.y)};
    };
    auto drawn = [&](double x, double y, double z) {
      const auto [px, py] = on_screen(x, y, z);
      return still.line_near(px, py);
    };
    const double far_y = k.x_axis_y == -1 ? 3 : -1, far_x = k.y_axis_x == 2 ? -2 : 2;
    // The middle of each edge (x = 0.3 and y = 1.3 stay off the tick marks).
    EXPECT_TRUE(drawn(0.3, k.x_axis_y, 0)) << k.theta;
    EXPECT_FALSE(drawn(0.3, far_y, 0)) << k.theta;
    EXPECT_TRUE(drawn(k.y_axis_x, 1.3, 0)) << k.theta;
    EXPECT_FALSE(drawn(far_x, 1.3, 0)) << k.theta;
    EXPECT_TRUE(drawn(k.z_x, k.z_y, 5.5)) << k.theta;
    EXPECT_FALSE(drawn(-k.z_x, -k.z_y + 2, 5.5)) << k.theta;  // the opposite corner
  }
  // Straight down from -y (phi 0, theta -90): the x axis at the bottom of the screen (y_min),
  // as in a 2D plot.
  EXPECT_EQ(axes_placement(space, Camera({0, -90, 1}, CameraLens{})).x_axis_y, -1);
  EXPECT_EQ(axes_placement(space, Camera({0, 90, 1}, CameraLens{})).x_axis_y, 3);
  // Seen from below, the floor is the box's top.
  EXPECT_EQ(axes_placement(space, Camera({120, -60, 1}, CameraLens{})).floor_z, 10);
}

TEST(ThreeDSceneBlocks, ALabelBeyondTheFrameIsMovedBackOntoTheCanvas) {
  // Seen from -y (phi 90, theta -90) a point at x = 7.5 projects to scene x 7.5, past the right
  // edge (7.11 at 16:9): its label is drawn inside the frame, its right end at the margin.
  CameraLens lens;
  lens.screen_center = {0, 0};
  auto world = std::make_shared<World3D>(CameraPose{90, -90, 1}, lens);
  Element<Label3D> label;
  TextStyle style;
  style.points = 30;
  style.color = {1, 0, 0, 1};
  label.body.at = {7.5, 0, 0};
  label.body.text = std::make_shared<Text>("EDGE", style, Vec2{0, 0}, Anchor::kCenter);
  label.body.occludable = false;
  label.opacity.initial = 1;
  world->labels.push_back(label);
  FrameGeometry geo;
  SceneBuilder builder(0);
  builder.add(world);
  builder.wait(1);
  const Still still(builder.build(), 0.5, geo);
  const std::array<int, 4> box = still.red_box();
  ASSERT_GE(box[2], 0) << "the label was not drawn";
  EXPECT_LE(box[2], geo.width_px - 1 - static_cast<int>(0.1 * geo.px_per_unit()));
  EXPECT_GT(box[2], geo.width_px - static_cast<int>(0.3 * geo.px_per_unit()));
  EXPECT_NEAR((box[1] + box[3]) / 2.0, geo.height_px / 2.0, 3);
}

// The floor axis's label at the z axis's foot stands under the z labels in an oblique view, so it
// is hidden there; from above the z axis is a point, its labels fade out and this one shows.
TEST(ThreeDSceneBlocks, TheFloorLabelAtTheZFootShowsOnlyFromAbove) {
  const Space3D space = axes_box();
  Axes3DStyle style;
  style.color = {1, 0, 0, 1};  // red labels, to find them in the frame
  auto red_pixels_near = [&](double phi, Vec3 point) {
    CameraLens lens;
    lens.screen_center = {0, 0};
    const Camera camera({phi, -60, 1}, lens);
    const Axes3DParts parts = make_axes_3d(space, style, camera);
    const Label3D* foot = nullptr;
    for (const Label3D& l : parts.labels) {
      const double d = std::hypot(l.at.x - point.x, l.at.y - point.y);
      if (d < 1e-9 && l.at.z == point.z && l.show_axis.z != 0) foot = &l;
    }
    EXPECT_NE(foot, nullptr) << "phi " << phi << ": no label at the z axis's foot";
    if (!foot) return -1;
    auto world = std::make_shared<World3D>(CameraPose{phi, -60, 1}, lens);
    Element<Label3D> e;
    e.body = *foot;
    e.opacity.initial = 1;
    world->labels.push_back(e);
    FrameGeometry geo;
    SceneBuilder builder(0);
    builder.add(world);
    builder.wait(1);
    const Still still(builder.build(), 0.5, geo);
    const std::array<int, 4> box = still.red_box();
    return box[2] >= 0 ? (box[2] - box[0] + 1) * (box[3] - box[1] + 1) : 0;
  };
  // From above (phi 0) and obliquely (phi 60) the z axis stands at the same corner.
  const Camera top({0, -60, 1}, CameraLens{});
  const Axes3DPlacement at = axes_placement(space, top);
  const Vec3 corner = space.to_world(at.z_axis_x, at.z_axis_y, at.floor_z);
  EXPECT_GT(red_pixels_near(0, corner), 20);
  EXPECT_EQ(red_pixels_near(60, corner), 0);
}

// An experiment with a log of three series logged at different steps (W&B style gaps).
SceneData logged_data() {
  ExperimentData e;
  e.name = "logged";
  e.source_path = "logged.yaml";
  MetricData m;
  auto add = [&m](const std::string& column, std::vector<double> steps) {
    MetricSeriesSpec spec;
    spec.column = column;
    m.spec.series.push_back(spec);
    MetricSeries s;
    s.column = column;
    s.item = static_cast<int64_t>(m.spec.series.size()) - 1;
    for (double step : steps) {
      s.step.push_back(step);
      s.value.push_back(column == "lr" ? 0.1 : step * (column == "train" ? 1.0 : 2.0) + 1);
    }
    s.smoothed = s.value;
    m.log.series.push_back(s);
  };
  add("train", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  add("test", {0, 2, 4, 6, 8, 10});
  add("lr", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  e.metrics.push_back(m);
  SceneData data;
  data.experiments.push_back(e);
  return data;
}

TEST(ThreeDSceneBlocks, APathThroughMetricSpaceJoinsTheSeriesOnTheStepsAllThreeHave) {
  const SceneData data = logged_data();
  FrameGeometry geo;
  const Played p = play(
      "      - camera: {}\n"
      "      - path_3d: {experiment: main, x: train, y: test, z: lr, progress: viridis,"
      " markers: [4, 9], readout: true, axes: true, run_time: 2}\n",
      data, geo);
  ASSERT_NE(p.world, nullptr);
  ASSERT_EQ(p.world->paths.size(), 1u);
  const Path3D& path = p.world->paths[0].body;
  // train has every step, test the even ones, lr from step 1: steps 2, 4, 6, 8, 10.
  ASSERT_EQ(path.step, (std::vector<double>{2, 4, 6, 8, 10}));
  // The first is early in the colour map, the last late: viridis runs from purple to yellow.
  EXPECT_GT(path.colors.back().g, path.colors.front().g + 0.5);
  // Markers at steps 4 and (the nearest logged step to) 9: 8 or 10, both 1 away; the first wins.
  ASSERT_EQ(p.world->dots.size(), 2u);
  const Vec3 first_point = path.points[1];  // step 4
  EXPECT_NEAR(p.world->dots[0].body.at.x, first_point.x, 1e-12);
  EXPECT_NEAR(p.world->dots[0].body.at.z, first_point.z, 1e-12);
  EXPECT_EQ(p.world->rigs.size(), 1u);  // the axes came with it

  // Left out, the coordinates are the log's first three series; a wrong name lists the known.
  const Played defaults =
      play("      - camera: {}\n      - path_3d: {experiment: main, x: \"\", y: \"\", z: \"\"}\n",
           data, geo);
  EXPECT_EQ(defaults.world->paths[0].body.step.size(), 5u);
  try {
    play("      - camera: {}\n      - path_3d: {experiment: main, x: trian, y: test, z: lr}\n",
         data, geo);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("s.yaml:6"), std::string::npos) << what;
    EXPECT_NE(what.find("no series 'trian'"), std::string::npos) << what;
    EXPECT_NE(what.find("train, test, lr"), std::string::npos) << what;
  }
}

TEST(ThreeDSceneBlocks, APathOfATrainedModelsRecordJoinsTrainLossWithItsEvaluations) {
  TrainingData run;
  run.spec.label = "SGD";
  TrainingRecord& r = run.record;
  r.rows = r.steps = 6;
  r.train_loss = {2.0, 1.5, 1.2, 1.0, 0.9, 0.8};
  r.lr = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05};
  r.eval.step = {0, 3, 5};
  r.eval.train_loss = {2.1, 1.1, 0.85};
  r.eval.test_loss = {2.2, 1.3, 1.0};
  r.eval.train_accuracy = r.eval.test_accuracy = {0.5, 0.7, 0.8};
  ExperimentData e;
  e.name = "model";
  e.source_path = "model.yaml";
  e.trainings.push_back(run);
  SceneData data;
  data.experiments.push_back(e);
  FrameGeometry geo;
  const Played p = play(
      "      - camera: {}\n"
      "      - path_3d: {experiment: main, run: SGD, x: train/loss, y: eval/test_loss, z: lr}\n",
      data, geo);
  const Path3D& path = p.world->paths[0].body;
  ASSERT_EQ(path.step, (std::vector<double>{0, 3, 5}));
}

TEST(ThreeDSceneBlocks, AGradientSurfaceStandsAtTheLogOfEachLayersNorm) {
  // Two runs of a 3-layer model: norms 1e-4, 1e-2 and 1 by layer in the first, all 1e-2 in the
  // second. One log z range for both: 1e-4 .. 1.
  auto model = [](const std::string& label, std::array<double, 3> norms) {
    TrainingData run;
    run.spec.label = label;
    TrainingRecord& r = run.record;
    r.rows = r.steps = 30;
    for (int l = 0; l < 3; ++l) {
      ParameterSteps p;
      p.name = std::to_string(2 * l) + ".weight";
      p.grad_norm.assign(30, norms[static_cast<std::size_t>(l)]);
      p.weight_norm = p.update_ratio = p.grad_norm;
      r.parameters.push_back(p);
      ParameterSteps bias = p;
      bias.name = std::to_string(2 * l) + ".bias";
      bias.grad_norm.assign(30, 1e-9);  // left out: weights only
      r.parameters.push_back(bias);
    }
    return run;
  };
  ExperimentData e;
  e.name = "layers";
  e.source_path = "layers.yaml";
  e.trainings.push_back(model("sigmoid", {1e-4, 1e-2, 1}));
  e.trainings.push_back(model("relu", {1e-2, 1e-2, 1e-2}));
  SceneData data;
  data.experiments.push_back(e);
  FrameGeometry geo;
  const Played p = play(
      "      - camera: {}\n"
      "      - gradient_surface: {experiment: main, run_time: 2, turn: 30, height: 3,"
      " formula: false}\n",
      data, geo);
  ASSERT_NE(p.world, nullptr);
  ASSERT_EQ(p.world->surfaces.size(), 2u);
  const SurfaceMesh3D& first = p.world->surfaces[0].body;
  ASSERT_EQ(first.ny, 3);
  ASSERT_EQ(first.nx, 30);
  // World z runs from -1.5 (1e-4) to 1.5 (1): 1e-2 is half way, in decades.
  for (int i = 0; i < first.nx; ++i) {
    EXPECT_NEAR(first.points[static_cast<std::size_t>(i)].z, -1.5, 1e-9);
    EXPECT_NEAR(first.points[static_cast<std::size_t>(first.nx + i)].z, 0, 1e-9);
    EXPECT_NEAR(first.points[static_cast<std::size_t>(2 * first.nx + i)].z, 1.5, 1e-9);
  }
  EXPECT_NEAR(p.world->surfaces[1].body.points[0].z, 0, 1e-9);
  // One after the other: the second fades in as the first fades out; the camera swings 30
  // degrees and back.
  const double t_first = p.world->surfaces[1].opacity.keys.front().t0 - 0.01;
  EXPECT_NEAR(p.world->surfaces[0].opacity.value_at(t_first), 1, 1e-9);
  EXPECT_NEAR(p.world->surfaces[1].opacity.value_at(t_first), 0, 1e-9);
  const double t_second = t_first + 1.9;
  EXPECT_NEAR(p.world->surfaces[0].opacity.value_at(t_second), 0, 1e-9);
  EXPECT_NEAR(p.world->surfaces[1].opacity.value_at(t_second), 1, 1e-9);
  const double theta0 = p.world->theta.initial;
  EXPECT_NEAR(p.world->theta.value_at(t_first + 0.01), theta0 + 30, 1e-9);
  EXPECT_NEAR(p.world->theta.value_at(t_first + 2.01), theta0, 1e-9);
}

}  // namespace
}  // namespace trajtool
