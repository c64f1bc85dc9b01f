// Scenes drawn from hand-made data, checked pixel by pixel against geometry: where a path's points
// project, the frame has the run's colour; where the start is, the start dot's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "objectives/objective.h"
#include "tests/support/still_frame.h"
#include "tests/support/straight_run.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/axes.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/scene_player.h"
#include "viz/tex/tex_batch.h"

namespace trajtool {
namespace {

using testing::close_to;
using testing::color_distance;
using testing::StillFrame;

namespace fs = std::filesystem;

// The shared straight run (tests/support/straight_run.h) with a 96x96 loss grid.
SceneData straight_run_data() { return testing::straight_run_data(96); }

// The shipped scene file, played on `data`.
Timeline play_shipped(const std::string& name, const SceneData& data, const FrameGeometry& geo) {
  return play_scene(
      load_scene_script(std::string(TRAJTOOL_SOURCE_DIR) + "/experiments/scenes/" + name + ".yaml"),
      data, geo);
}

// The moment the race has finished and nothing fades yet: 1 s before the closing clear
// (TrajectoryComparison waits 3 s after the race, then fades out over 0.6 s).
double race_done(const Timeline& timeline) { return timeline.duration() - 0.6 - 1.0; }

// A scene file of one section ("one") of `blocks` on one experiment, `main`; blocks start on
// line 5.
std::string one_section(const std::string& blocks) {
  return "experiments: {main: pixels.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
}

// The message of the InputError that playing `blocks` (one section of one experiment, `main`,
// holding the straight run) throws, "" if none. The blocks start on the file's line 5.
std::string play_error(const std::string& blocks) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  const std::string scene = one_section(blocks);
  try {
    play_scene(parse_scene_script(scene, "scenes/Bad.yaml"), data, geo);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenePixels, TrajectoryComparisonDrawsThePathAndStartWhereTheGeometrySays) {
  SceneData data = straight_run_data();
  FrameGeometry geo;  // 1280 x 720
  Timeline timeline = play_shipped("TrajectoryComparison", data, geo);
  const double t = race_done(timeline);
  StillFrame image(timeline, t, geo);
  ASSERT_EQ(cairo_surface_status(image.surface()), CAIRO_STATUS_SUCCESS);

  // The same projection the scene promises: the landscape box with equal aspect.
  const LossGrid& grid = *data.experiments[0].runs[0].grid;
  AxesStyle style;
  style.equal_aspect = true;
  Axes axes(Domain{grid.x_min, grid.x_max, grid.y_min, grid.y_max}, kLandscapeBox, style);
  const Rgba red{1, 0x20 / 255.0, 0x20 / 255.0, 1};
  int on_path = 0;
  for (double s : {0.2, 0.35, 0.5, 0.65, 0.8}) {
    Vec2 p = axes.data_to_scene(-1.5 + 2.5 * s, 2.0 - s);
    on_path += close_to(image.at(geo.to_px_x(p.x), geo.to_px_y(p.y)), red, 0.12);
  }
  EXPECT_EQ(on_path, 5);
  // Off the path, in the landscape, the colour is not the run's.
  Vec2 off = axes.data_to_scene(1.5, -0.5);
  EXPECT_FALSE(close_to(image.at(geo.to_px_x(off.x), geo.to_px_y(off.y)), red, 0.3));
  // The start dot (light, outlined) sits under the path's first point: sample just left of the
  // path's direction, inside the dot's radius (0.085 units).
  Vec2 start = axes.data_to_scene(-1.5, 2.0);
  Rgba dot = image.at(geo.to_px_x(start.x - 0.05), geo.to_px_y(start.y - 0.05));
  EXPECT_TRUE(close_to(dot, kTextColor, 0.15) || close_to(dot, red, 0.15))
      << dot.r << " " << dot.g << " " << dot.b;
}

// A scene may recolour runs without touching their experiment file: the path takes the scene's
// colour, and a colour list that does not match the runs drawn is an error naming the block.
TEST(ScenePixels, ASceneRecoloursRunsWithoutTouchingTheirExperiment) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  const std::string scene = one_section(
      "      - landscape: main\n"
      "      - trajectories: {mode: all_at_once, colors: [\"#2020ff\"], run_time: 4}\n"
      "      - wait: 2\n");
  Timeline timeline = play_scene(parse_scene_script(scene, "scenes/C.yaml"), data, geo);
  StillFrame image(timeline, timeline.duration() - 1.0, geo);
  const LossGrid& grid = *data.experiments[0].runs[0].grid;
  AxesStyle style;
  style.equal_aspect = true;
  Axes axes(Domain{grid.x_min, grid.x_max, grid.y_min, grid.y_max}, kLandscapeBox, style);
  const Rgba blue{0x20 / 255.0, 0x20 / 255.0, 1, 1};
  int on_path = 0;
  for (double s : {0.2, 0.5, 0.8}) {
    const Vec2 p = axes.data_to_scene(-1.5 + 2.5 * s, 2.0 - s);
    on_path += close_to(image.at(geo.to_px_x(p.x), geo.to_px_y(p.y)), blue, 0.12);
  }
  EXPECT_EQ(on_path, 3);
  const std::string too_many = play_error(
      "      - landscape: main\n"
      "      - trajectories: {colors: [\"#2020ff\", \"#ffffff\"]}\n");
  EXPECT_NE(too_many.find(":6: sections[0].blocks[1].trajectories: colors: 2 given for 1 runs"),
            std::string::npos)
      << too_many;
}

// A still of the whole layout (landscape, colour bar, formula, legend, inset, counter) against a
// committed golden frame, with a tolerance for antialiasing. The golden was looked at by eye when
// made; remake it with TRAJTOOL_UPDATE_GOLDEN=1 after an intended change of the look.
TEST(ScenePixels, TrajectoryComparisonStillMatchesTheGoldenFrame) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  geo.width_px = 640;
  geo.height_px = 360;
  Timeline timeline = play_shipped("TrajectoryComparison", data, geo);
  const double t = race_done(timeline);
  const std::string golden =
      std::string(TRAJTOOL_SOURCE_DIR) + "/tests/scenes/golden/trajectory_comparison_640x360.png";
  if (std::getenv("TRAJTOOL_UPDATE_GOLDEN")) {
    render_still(timeline, t, golden, StillFormat::png, geo);
    GTEST_SKIP() << "golden frame rewritten: " << golden;
  }
  StillFrame now(timeline, t, geo);
  StillFrame expected(golden);
  ASSERT_EQ(cairo_surface_status(expected.surface()), CAIRO_STATUS_SUCCESS) << golden;
  ASSERT_EQ(cairo_image_surface_get_width(now.surface()), 640);
  ASSERT_EQ(cairo_image_surface_get_height(expected.surface()), 360);
  double total = 0;
  int far = 0;
  for (int y = 0; y < 360; ++y) {
    for (int x = 0; x < 640; ++x) {
      Rgba a = now.at(x, y), b = expected.at(x, y);
      double d = std::max({std::fabs(a.r - b.r), std::fabs(a.g - b.g), std::fabs(a.b - b.b)});
      total += d;
      far += d > 24 / 255.0;
    }
  }
  EXPECT_LT(total / (640 * 360), 1.5 / 255);
  EXPECT_LT(far, 640 * 360 / 200);  // under 0.5% of pixels visibly different
}

// The render's pre-pass finds every formula the scene typesets (the landscape's wrapped objective
// formula included): after typesetting what it found, playing the scene starts no TeX.
TEST(ScenePixels, ThePrePassCollectsEveryFormulaTheSceneTypesets) {
  const SceneData data = straight_run_data();
  const SceneScript script = load_scene_script(std::string(TRAJTOOL_SOURCE_DIR) +
                                               "/experiments/scenes/TrajectoryComparison.yaml");
  set_tex_settings({});
  const std::vector<FormulaRequest> found = scene_formulas(script, data);
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].origin.find("TrajectoryComparison.yaml:"), std::string::npos);
  const int before = tex_process_count();
  typeset_formulas(found);
  EXPECT_EQ(tex_process_count(), before + 1);
  FrameGeometry geo;
  geo.width_px = 640;
  geo.height_px = 360;
  play_scene(script, data, geo);
  EXPECT_EQ(tex_process_count(), before + 1);
}

// Labels' numbers: three significant digits, but whole numbers in the thousands as they are.
TEST(SceneKit, ShortNumbersReadAsNumbers) {
  EXPECT_EQ(short_number(0.012345), "0.0123");
  EXPECT_EQ(short_number(1.2e-5), "1.2e-05");
  EXPECT_EQ(short_number(512), "512");
  EXPECT_EQ(short_number(1500), "1500");
  EXPECT_EQ(short_number(-250000), "-250000");
  EXPECT_EQ(short_number(3.2e7), "3.2e+07");
}

TEST(ScenePlayer, ABlockAskingForDataThatIsNotThereNamesItsFileAndLine) {
  const std::string what = play_error(
      "      - landscape: {experiment: main}\n"
      "      - trajectories: {runs: [Straight, Curved]}\n");
  EXPECT_NE(what.find("scenes/Bad.yaml:6: sections[0].blocks[1].trajectories: no run 'Curved'"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("its runs: Straight"), std::string::npos) << what;
  const std::string state = play_error(
      "      - line_plot: {box: [-5, -2, 5, 2], series: [{experiment: main, run: Straight, "
      "value: \"state:exp_avg\"}]}\n");
  EXPECT_NE(state.find("scenes/Bad.yaml:5: sections[0].blocks[0].line_plot: run 'Straight' "
                       "recorded no state 'exp_avg' (it has: none)"),
            std::string::npos)
      << state;
}

TEST(ScenePlayer, TrajectoriesWithoutALandscapeAreAnError) {
  const std::string what = play_error(
      "      - title: Hello\n"
      "      - trajectories: {mode: all_at_once}\n");
  EXPECT_NE(what.find(":6: sections[0].blocks[1].trajectories: trajectories needs a landscape "
                      "block earlier"),
            std::string::npos)
      << what;
}

// Sections play in order, a section whose condition fails is skipped, and the sections' times
// add up to the scene's: a title (1 s write) and a 2 s wait, a skipped sweep section, a last wait.
TEST(ScenePlayer, SectionsFollowTheFileAndSkipWhenTheirRunsAreMissing) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  const std::string scene =
      "experiments: {main: pixels.yaml}\n"
      "section_clear_time: 0.5\n"
      "sections:\n"
      "  - name: intro\n"
      "    blocks: [{title: Hello}, {wait: 2}]\n"
      "  - name: sweeps\n"
      "    when: {experiment: main, has: sweep_runs}\n"
      "    blocks: [{convergence_maps: main}]\n"
      "  - name: outro\n"
      "    blocks: [{wait: 1.5}]\n";
  Timeline timeline = play_scene(parse_scene_script(scene, "scenes/S.yaml"), data, geo);
  ASSERT_EQ(timeline.sections().size(), 2u);
  EXPECT_EQ(timeline.sections()[0].name, "intro");
  EXPECT_EQ(timeline.sections()[1].name, "outro");
  // outro starts once what intro left has faded (0.5 s); then its wait. The closing clear takes
  // no time: nothing is on screen.
  EXPECT_DOUBLE_EQ(timeline.sections()[1].start, 3.0 + 0.5);
  EXPECT_DOUBLE_EQ(timeline.duration(), 3.0 + 0.5 + 1.5);
}

// A boxes-and-arrows diagram drawn where its numbers say: inside each box its dark fill, on its
// outline its colour, and between the boxes' facing edges the arrow (light grey).
TEST(ScenePlayer, DiagramBoxesAndArrowsLandWhereTheFileSays) {
  SceneData data = straight_run_data();
  FrameGeometry geo;
  const std::string scene = one_section(
      "      - diagram:\n"
      "          boxes:\n"
      "            - {id: a, text: A, at: [-4, 0], size: [2, 1], color: \"#ff0000\"}\n"
      "            - {id: b, text: B, at: [4, 0], size: [2, 1], color: \"#00ff00\"}\n"
      "          arrows: [{from: a, to: b}]\n"
      "      - wait: 1\n");
  Timeline timeline = play_scene(parse_scene_script(scene, "scenes/D.yaml"), data, geo);
  StillFrame image(timeline, 2.5, geo);  // boxes 1 s, arrows 1 s
  auto at = [&](double x, double y) { return image.at(geo.to_px_x(x), geo.to_px_y(y)); };
  // Inside, away from the letter: the fill is 0.3 of the colour.
  EXPECT_TRUE(close_to(at(-4.7, 0.3), Rgba{0.3, 0, 0, 1}, 0.06));
  EXPECT_TRUE(close_to(at(4.7, 0.3), Rgba{0, 0.3, 0, 1}, 0.06));
  // The outlines: the left box's right edge (x = -3), the right box's left edge (x = 3).
  EXPECT_TRUE(close_to(at(-3.0, -0.2), Rgba{1, 0, 0, 1}, 0.2));
  EXPECT_TRUE(close_to(at(3.0, -0.2), Rgba{0, 1, 0, 1}, 0.2));
  // The arrow's shaft between the edges, and nothing above it.
  EXPECT_TRUE(close_to(at(0, 0), Rgba{0.85, 0.85, 0.9, 1}, 0.15));
  EXPECT_TRUE(close_to(at(0, 0.5), kBackground, 0.03));
}

// What a block asks for that cannot be shown well is an error naming the block, never a frame
// with things cut off: text past the frame's edge, text too big for its diagram box, values a log
// axis cannot draw, a map of sweeps that are not there.
TEST(ScenePlayer, WhatCannotBeShownIsAnErrorNotACutOffFrame) {
  const std::pair<std::string, std::string> cases[] = {
      {"      - text: {text: \"a sentence far too long to stand on one line at the frame's right "
       "side\", at: [3, 0], anchor: left}\n",
       "scenes/Bad.yaml:5: sections[0].blocks[0].text: what this block draws comes"},
      {"      - diagram: {boxes: [{id: a, text: \"a box whose text is much longer than the box "
       "can hold\", size: [2, 0.6]}]}\n",
       ".diagram: box 'a': its text needs a height of"},
      {"      - line_plot: {box: [-5, -2, 5, 2], log_y: true, series: [{experiment: main, run: "
       "Straight, value: param}]}\n",
       ".line_plot: series[0] (θ) has values <= 0, which a log axis (log_y) cannot show"},
      {"      - convergence_maps: main\n",
       ".convergence_maps: experiment 'main' (pixels.yaml) has no sweep run"},
  };
  for (const auto& [blocks, expected] : cases) {
    const std::string what = play_error(blocks);
    EXPECT_NE(what.find(expected), std::string::npos) << "got: " << what;
  }
}

// A loss inset that finds no room under a long legend is left out, and the caller hears of it.
TEST(ScenePlayer, ALeftOutLossInsetIsAWarning) {
  SceneData data = straight_run_data();
  ExperimentData& e = data.experiments[0];
  for (int i = 1; i < 12; ++i) {
    e.runs.push_back(e.runs[0]);
    e.runs.back().spec.label = "Straight copy " + std::to_string(i);
  }
  FrameGeometry geo;
  const std::string scene = one_section(
      "      - landscape: main\n"
      "      - trajectories: {mode: all_at_once, loss_inset: true}\n");
  std::vector<std::string> warnings;
  play_scene(parse_scene_script(scene, "scenes/W.yaml"), data, geo, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("scenes/W.yaml:6: sections[0].blocks[1].trajectories: loss_inset left "
                             "out: the legend of 12 runs"),
            std::string::npos)
      << warnings[0];
  e.runs.resize(1);
  warnings.clear();
  play_scene(parse_scene_script(scene, "scenes/W.yaml"), data, geo, &warnings);
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace trajtool
