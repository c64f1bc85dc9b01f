// The basin_maps block drawn from a hand-made sweep, checked pixel by pixel: each start's cell has
// the colour of the minimum its run reached (the colour the minimum's mark has), darker when it
// arrived later, and none and diverged differ from every basin.
#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "objectives/objective.h"
#include "tests/support/still_frame.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/axes.h"
#include "viz/cell_image.h"
#include "viz/renderer.h"
#include "viz/scenes/basin_layout.h"
#include "viz/scenes/scene_player.h"

namespace trajtool {
namespace {

using testing::close_to;
using testing::color_distance;
using testing::StillFrame;

namespace fs = std::filesystem;

// A 3 x 3 start grid over [-3, 3]^2 on Himmelblau; the block is given the minima (-3, -3) and
// (3, 3). Starts in row-major order from the bottom left; each run is 20 steps:
//   (-3, -3): on minimum 0 from the start    (0, -3): to minimum 0, arrives at step 10
//   (3, -3): to minimum 1, arrives at step 5 (-3, 0): to minimum 1, arrives at step 20
//   (0, 0): stays: ends near no minimum      (3, 0): diverges at step 3
//   the top row: to minimum 1 at once.
SceneData basin_data() {
  RunData run;
  run.spec.label = "Hand-made";
  run.spec.objective.name = "himmelblau";
  apply_objective_defaults(run.spec.objective);
  run.spec.optimizer.name = "sgd";
  run.spec.optimizer.hyper["lr"] = 0.01;
  run.spec.start.grid = Domain{-3, 3, -3, 3};
  run.spec.start.grid_nx = 3;
  run.spec.start.grid_ny = 3;
  run.spec.steps = 20;
  Trajectory& t = run.trajectory;
  t.batch = 9;
  t.rows = 21;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Path {
    double to_x, to_y;
    int64_t arrive;  // row at which it reaches the target (linear before)
  };
  const Path paths[9] = {{-3, -3, 0}, {-3, -3, 10}, {3, 3, 5}, {3, 3, 20}, {0, 0, 0},
                         {3, 3, 20},  {3, 3, 1},    {3, 3, 1}, {3, 3, 1}};
  for (int64_t k = 0; k < 9; ++k) {
    const double x0 = -3 + 3.0 * static_cast<double>(k % 3);
    const double y0 = -3 + 3.0 * static_cast<double>(k / 3);
    const Path& p = paths[k];
    for (int64_t r = 0; r < t.rows; ++r) {
      const double s =
          p.arrive == 0 ? 1 : std::min(1.0, static_cast<double>(r) / static_cast<double>(p.arrive));
      double x = x0 + (p.to_x - x0) * s, y = y0 + (p.to_y - y0) * s;
      if (k == 5 && r >= 3) x = y = nan;
      t.params.push_back(x);
      t.params.push_back(y);
      t.loss.push_back(0);
    }
    t.diverged_at_each.push_back(k == 5 ? 3 : -1);
  }
  ExperimentData e;
  e.name = "basins";
  e.source_path = "basins.yaml";
  e.runs.push_back(run);
  SceneData data;
  data.experiments.push_back(e);
  return data;
}

const char* kScene =
    "experiments: {main: basins.yaml}\n"
    "sections:\n"
    "  - name: one\n"
    "    blocks:\n"
    "      - basin_maps: {experiment: main, minima: [[-3, -3], [3, 3]], tolerance: 0.1}\n"
    "      - wait: 3\n";

TEST(BasinMaps, CellsHaveTheColourOfTheMinimumTheirStartReached) {
  SceneData data = basin_data();
  FrameGeometry geo;  // 1280 x 720
  Timeline timeline = play_scene(parse_scene_script(kScene, "scenes/B.yaml"), data, geo);
  StillFrame still(timeline, timeline.duration() - 1.0, geo);
  ASSERT_EQ(cairo_surface_status(still.surface()), CAIRO_STATUS_SUCCESS);
  // The map's axes as the block lays them out: the first of one panel, over the starts' cells.
  AxesStyle style;
  style.equal_aspect = true;
  Axes axes(cells_around_samples(Domain{-3, 3, -3, 3}, 3, 3), basin_panel_box(0, 1, geo), style);
  auto at = [&](double x, double y) {
    const Vec2 p = axes.data_to_scene(x, y);
    return still.at(geo.to_px_x(p.x), geo.to_px_y(p.y));
  };
  // A cell's colour, read off its start a little to the side of any mark.
  auto cell = [&](double x, double y) { return at(x + 0.9, y + 0.9); };
  const Rgba basin0 = cell(-3, -3), late0 = cell(0, -3);
  const Rgba basin1 = cell(-3, 3), late1 = cell(-3, 0), mid1 = cell(3, -3);
  const Rgba none = cell(0, 0), diverged = cell(3, 0);
  // Each minimum's mark has the colour of a start that was on it at once.
  EXPECT_LT(color_distance(at(-3, -3), basin0), 0.05);
  EXPECT_LT(color_distance(at(3, 3), cell(3, 3)), 0.05);
  EXPECT_LT(color_distance(basin1, cell(0, 3)), 0.02);  // the same basin, the same arrival
  // The two basins differ, and none and diverged differ from both and from each other.
  EXPECT_GT(color_distance(basin0, basin1), 0.2);
  for (const Rgba& other : {basin0, basin1, diverged}) EXPECT_GT(color_distance(none, other), 0.15);
  EXPECT_GT(color_distance(diverged, basin0), 0.2);
  EXPECT_GT(color_distance(diverged, basin1), 0.2);
  // None is grey.
  EXPECT_LT(std::max({none.r, none.g, none.b}) - std::min({none.r, none.g, none.b}), 0.05);
  // A later arrival is a darker shade of its basin's colour (channels scaled by one factor), and
  // the latest is the darkest.
  auto shade = [](Rgba c, Rgba base) { return (c.r + c.g + c.b) / (base.r + base.g + base.b); };
  const double f0 = shade(late0, basin0), f_mid = shade(mid1, basin1),
               f_late = shade(late1, basin1);
  EXPECT_LT(f0, 0.9);
  EXPECT_LT(f_late, f_mid);
  EXPECT_LT(f_mid, 0.95);
  for (auto [c, base, f] : {std::tuple{late0, basin0, f0}, std::tuple{late1, basin1, f_late}}) {
    EXPECT_NEAR(c.r, base.r * f, 0.03);
    EXPECT_NEAR(c.g, base.g * f, 0.03);
    EXPECT_NEAR(c.b, base.b * f, 0.03);
  }
}

// What a basin map cannot show is an error naming the block.
TEST(BasinMaps, WhatCannotBeMappedIsAnErrorNamingTheBlock) {
  FrameGeometry geo;
  auto error_of = [&](SceneData data, const std::string& block) {
    const std::string scene =
        "experiments: {main: basins.yaml}\nsections:\n  - name: one\n    blocks:\n" + block;
    try {
      play_scene(parse_scene_script(scene, "scenes/Bad.yaml"), data, geo);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  SceneData no_minima = basin_data();
  RunData& run = no_minima.experiments[0].runs[0];
  run.spec.objective = ObjectiveSpec{};
  run.spec.objective.name = "expr";
  run.spec.objective.expr = "x^2 + y^2";
  run.spec.objective.domain = Domain{-3, 3, -3, 3};
  std::string what = error_of(no_minima, "      - basin_maps: main\n");
  EXPECT_NE(what.find("scenes/Bad.yaml:5: sections[0].blocks[0].basin_maps: objective"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("has no known minima; list them in the block: `minima: [[x, y], ...]`"),
            std::string::npos)
      << what;
  SceneData points = basin_data();
  points.experiments[0].runs[0].spec.start = StartSpec{{0.0, 0.0}, {}, 0, 0};
  what = error_of(points, "      - basin_maps: main\n");
  EXPECT_NE(what.find("has no sweep run (a start grid) to map"), std::string::npos) << what;
  what = error_of(basin_data(), "      - basin_maps: {experiment: main, minima: [[1, 2, 3]]}\n");
  EXPECT_NE(what.find("scenes/Bad.yaml:5: sections[0].blocks[0].basin_maps.minima[0]"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace trajtool
