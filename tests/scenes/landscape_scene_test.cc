// The loss-landscape scenes drawn from a hand-made landscape entry, checked against geometry: the
// end of each projected path carries its run's colour where the axes put it, the axis labels give
// the explained variance; the shipped scenes play inside the frame; the blocks' mistakes name the
// file, line and key.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "tests/support/still_frame.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/axes.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/scene_player.h"

namespace trajtool {
namespace {

using testing::color_distance;
using testing::StillFrame;

// loss = 0.1 + x^2 + 4 y^2 over [-2, 2] x [-1, 1]; two runs from (1.5, 0.5): A to (0, 0), B to
// (-1, -0.5).
SceneData landscape_data() {
  auto r = std::make_shared<LandscapeRecord>();
  const int n = 41;
  r->loss = {-2, 2, -1, 1, n, n, {}};
  for (int j = 0; j < n; ++j) {
    const double y = -1 + 2.0 * j / (n - 1);
    r->y.push_back(y);
    for (int i = 0; i < n; ++i) {
      const double x = -2 + 4.0 * i / (n - 1);
      if (j == 0) r->x.push_back(x);
      r->loss.values.push_back(0.1 + x * x + 4 * y * y);
      r->accuracy.push_back(0.5);
    }
  }
  r->center = {{"0.weight", {1, 2}, {1, 2}}, {"0.bias", {1}, {0}}};
  r->direction_x = {{"0.weight", {1, 2}, {1, 0}}, {"0.bias", {1}, {0}}};
  r->direction_y = {{"0.weight", {1, 2}, {0, 1}}, {"0.bias", {1}, {0}}};
  r->explained_variance = {0.7, 0.2};
  r->directions = "pca";
  r->center_run = "A";
  r->center_at = "final";
  r->data = "train";
  r->samples = 100;
  r->center_loss = 0.1;
  auto path = [](const std::string& label, double x1, double y1) {
    ProjectedRun p;
    p.label = label;
    for (int k = 0; k <= 4; ++k) {
      const double x = 1.5 + (x1 - 1.5) * k / 4.0, y = 0.5 + (y1 - 0.5) * k / 4.0;
      p.step.push_back(10 * k);
      p.xy.push_back(x);
      p.xy.push_back(y);
      p.projected_loss.push_back(0.1 + x * x + 4 * y * y);
      p.checkpoint_loss.push_back(0.2 + x * x + 4 * y * y);
      p.residual.push_back(k == 4 && label == "A" ? NAN : 0.3);
    }
    return p;
  };
  r->projected = {path("A", 0, 0), path("B", -1, -0.5)};
  auto ip = std::make_shared<InterpolationRecord>();
  for (int k = 0; k <= 20; ++k) {
    const double a = -0.5 + 2.0 * k / 20;
    ip->alpha.push_back(a);
    ip->loss.push_back(0.1 + (a - 1) * (a - 1));
    ip->accuracy.push_back(0.5);
  }
  ip->run = "A";
  ip->from = "init";
  ip->to = "final";
  ip->data = "train";
  SceneData data;
  ExperimentData e;
  e.name = "tiny-landscape";
  e.source_path = "tiny.yaml";
  for (const char* label : {"A", "B"}) {
    TrainingData t;
    t.spec.label = label;
    t.spec.color = std::string(label) == "A" ? "#ff0000" : "#0000ff";
    t.spec.dataset.name = "moons";
    t.spec.steps = 40;
    e.trainings.push_back(t);
  }
  e.landscape = r;
  e.interpolation = ip;
  data.experiments.push_back(e);
  return data;
}

std::string one_section(const std::string& blocks) {
  return "experiments: {main: tiny.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
}

TEST(LandscapeScenes, PathEndsCarryTheirRunsColoursWhereTheAxesPutThem) {
  const SceneData data = landscape_data();
  FrameGeometry geo;
  std::vector<std::string> warnings;
  const Timeline timeline =
      play_scene(parse_scene_script(one_section("      - loss_landscape: {experiment: main}\n"
                                                "      - wait: 2\n"),
                                    "scenes/T.yaml"),
                 data, geo, &warnings);
  EXPECT_TRUE(warnings.empty());
  AxesStyle style;
  style.equal_aspect = true;
  const Axes axes(Domain{-2, 2, -1, 1}, Box2{-5.4, -2.05, 0.1, 2.4}, style);
  StillFrame still(timeline, timeline.duration() - 1.0, geo);
  ASSERT_TRUE(still.ok());
  if (const char* dir = std::getenv("TRAJTOOL_SCENE_STILLS")) {
    render_still(timeline, timeline.duration() - 1.0,
                 std::string(dir) + "/LossLandscape_pixels.png", StillFormat::png, geo);
  }
  const Rgba red{1, 0, 0, 1}, blue{0, 0, 1, 1};
  // The end squares, and a point of each last segment.
  EXPECT_LT(color_distance(still.at_scene(geo, axes.data_to_scene(0, 0)), red), 0.1);
  EXPECT_LT(color_distance(still.at_scene(geo, axes.data_to_scene(-1, -0.5)), blue), 0.1);
  EXPECT_LT(color_distance(still.at_scene(geo, axes.data_to_scene(0.1875, 0.0625)), red), 0.15);
  EXPECT_LT(color_distance(still.at_scene(geo, axes.data_to_scene(-0.6875, -0.375)), blue), 0.15);
  // Away from the paths the contours show (neither run's colour).
  const Rgba off = still.at_scene(geo, axes.data_to_scene(-1.5, 0.8));
  EXPECT_GT(color_distance(off, red), 0.3);
  EXPECT_GT(color_distance(off, blue), 0.3);
}

TEST(LandscapeScenes, ShippedScenesPlayInsideTheFrame) {
  for (const char* scene : {"LossLandscape", "LossLandscape3D"}) {
    std::vector<std::string> warnings;
    const Timeline timeline =
        play_scene(load_scene_script(std::string(TRAJTOOL_SOURCE_DIR) + "/experiments/scenes/" +
                                     scene + ".yaml"),
                   landscape_data(), FrameGeometry{}, &warnings);
    EXPECT_GT(timeline.duration(), 8) << scene;
    EXPECT_TRUE(warnings.empty()) << scene << ": " << warnings.front();
  }
}

TEST(LandscapeScenes, MistakesNameTheBlock) {
  SceneData data = landscape_data();
  auto error_of = [&](const std::string& blocks, const SceneData& d) {
    try {
      play_scene(parse_scene_script(one_section(blocks), "scenes/T.yaml"), d, FrameGeometry{});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("      - loss_landscape: {experiment: main, runs: [C]}\n", data)
                .find("scenes/T.yaml:5: sections[0].blocks[0].loss_landscape: no projected run "
                      "'C' in the landscape (its runs: A, B)"),
            std::string::npos);
  EXPECT_NE(error_of("      - loss_landscape: {experiment: main, levels: cubic}\n", data)
                .find("scenes/T.yaml:5: sections[0].blocks[0].loss_landscape.levels"),
            std::string::npos);
  EXPECT_NE(error_of("      - loss_surface_3d: main\n", data).find("needs a `camera` block"),
            std::string::npos);
  data.experiments[0].landscape.reset();
  EXPECT_NE(error_of("      - loss_landscape: main\n", data).find("has no `landscape:`"),
            std::string::npos);
}

}  // namespace
}  // namespace trajtool
