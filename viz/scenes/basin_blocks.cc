// The basin_maps block: where an optimizer goes from every start of a start-grid sweep. One map per
// sweep run, side by side in one section: each start is a cell coloured by the minimum its run
// ended near (toolkit/core/basin_map.h classifies them), darker the more steps it took to get there
// for good, with "none" and "diverged" in colours of their own; the minima are marked in the same
// colours and a key under the maps says what each colour means.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "toolkit/core/basin_map.h"
#include "viz/cell_image.h"
#include "viz/legend.h"
#include "viz/scenes/basin_layout.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

// Basin colours in the minima's order; red is kept for diverged and grey for none.
constexpr Rgba kBasinColors[] = {
    {0.345, 0.769, 0.867, 1},  // blue
    {0.514, 0.757, 0.404, 1},  // green
    {0.604, 0.447, 0.675, 1},  // purple
    {0.941, 0.675, 0.373, 1},  // orange
    {0.361, 0.816, 0.702, 1},  // teal
    {0.820, 0.278, 0.741, 1},  // pink
    {0.600, 0.400, 0.200, 1},  // brown
    {0.110, 0.420, 0.780, 1},  // deep blue
};
constexpr std::size_t kBasinColorCount = sizeof(kBasinColors) / sizeof(kBasinColors[0]);
constexpr Rgba kNoneColor{0.45, 0.46, 0.49, 1};
constexpr Rgba kDivergedColor{0.988, 0.384, 0.333, 1};
// How far the slowest start's colour goes towards black.
constexpr double kSlowShade = 0.72;

// Where `step` of `steps` lies on the shading's log scale: 0 at step 0, 1 at the last step (most
// starts arrive in a few dozen steps; a linear scale would leave them all the same shade).
double arrival_share(int64_t step, int64_t steps) {
  if (steps <= 0 || step <= 0) return 0;
  return std::log1p(static_cast<double>(step)) / std::log1p(static_cast<double>(steps));
}

// The colour of a start: its basin's, darkened by the share of the steps it took to arrive.
Rgba start_color(const BasinMap& map, std::size_t k) {
  const int basin = map.basin[k];
  if (basin == kDivergedBasin) return kDivergedColor;
  if (basin == kNoBasin) return kNoneColor;
  return dark_shade(kBasinColors[static_cast<std::size_t>(basin)],
                    1 - kSlowShade * arrival_share(map.arrival_step[k], map.steps));
}

// The median arrival step of the starts that reached a minimum, or -1 when none did.
int64_t median_arrival(const BasinMap& map) {
  std::vector<int64_t> steps;
  for (int64_t s : map.arrival_step) {
    if (s >= 0) steps.push_back(s);
  }
  if (steps.empty()) return -1;
  std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2),
                   steps.end());
  return steps[steps.size() / 2];
}

}  // namespace

Box2 basin_panel_box(std::size_t i, std::size_t n, const FrameGeometry& geo) {
  const std::size_t per_row = n <= 4 ? n : (n + 1) / 2;
  const std::size_t rows = n <= 4 ? 1 : 2;
  const double left = -geo.frame_width() / 2 + 1.1;
  const double right = geo.frame_width() / 2 - 0.6;
  const double top = 2.35;
  const double bottom = -2.55;
  const double pitch_x = (right - left) / static_cast<double>(per_row);
  const double pitch_y = (top - bottom) / static_cast<double>(rows);
  const auto col = static_cast<double>(i % per_row);
  const auto row = static_cast<double>(i / per_row);
  // Room for the heading above and the tick labels and summary below each map.
  const double side = std::min(pitch_x - 0.55, pitch_y - 1.25);
  const double cx = left + pitch_x * (col + 0.5);
  const double box_top = top - pitch_y * row - 0.45;
  return Box2{cx - side / 2, box_top - side, cx + side / 2, box_top};
}

void play_block(SceneContext& c, const BasinMapsBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  std::vector<const RunData*> sweeps;
  for (const RunData& run : e.runs) {
    if (!is_point_run(run)) sweeps.push_back(&run);
  }
  if (sweeps.empty()) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no sweep run (a start grid) to map; give a run `start: {grid: ..., n: ...}`");
  }
  if (sweeps.size() > 8) {
    c.fail("experiment '" + b.experiment + "' has " + std::to_string(sweeps.size()) +
           " sweep runs; a section holds at most 8 maps (split them into two experiments)");
  }
  std::vector<std::array<double, 2>> minima = b.minima;
  const std::string objective = objective_info(sweeps[0]->spec.objective).title;
  if (minima.empty()) {
    for (const KnownMinimum& m : objective_info(sweeps[0]->spec.objective).minima) {
      minima.push_back({m.x, m.y});
    }
  }
  if (minima.empty()) {
    c.fail("objective " + objective + " of experiment '" + b.experiment +
           "' has no known minima; list them in the block: `minima: [[x, y], ...]`");
  }
  if (minima.size() > kBasinColorCount) {
    c.fail(std::to_string(minima.size()) + " minima; a basin map tells at most " +
           std::to_string(kBasinColorCount) + " apart");
  }
  for (const RunData* run : sweeps) {
    if (run->trajectory.dim != 2) c.fail("run '" + run->spec.label + "' is 1D: it has no plane");
    if (run->spec.start.grid_nx < 2 || run->spec.start.grid_ny < 2) {
      c.fail("run '" + run->spec.label + "': a basin map needs a start grid of at least 2 x 2");
    }
  }
  const Domain grid = sweeps[0]->spec.start.grid;
  const double tolerance =
      b.tolerance > 0 ? b.tolerance
                      : 0.01 * std::hypot(grid.x_max - grid.x_min, grid.y_max - grid.y_min);

  c.builder.section("basin maps: " + e.name);
  c.builder.play({write(section_title("Where each start ends: " + objective, c.geo))}, 1.0);

  std::vector<Animation> frames, maps, marks, texts;
  int64_t steps = 0;
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    const RunData& run = *sweeps[i];
    const StartSpec& start = run.spec.start;
    const BasinMap map = classify_basins(run.trajectory, minima, tolerance);
    steps = std::max(steps, map.steps);
    const AxesStyle style = panel_axes_style("θ₁", "θ₂", i == 0);
    const Box2 box = basin_panel_box(i, sweeps.size(), c.geo);
    const Domain area = cells_around_samples(start.grid, start.grid_nx, start.grid_ny);
    auto axes = std::make_shared<Axes>(area, box, style);
    const Box2 plot = axes->plot_box();
    frames.push_back(fade_in(axes));
    texts.push_back(
        fade_in(text_at(run.spec.label, 22, kTextColor, {plot.center().x, plot.top + 0.15},
                        Anchor::kBottom, true, box.width() + 0.5)));
    CellColors cells{start.grid_nx, start.grid_ny, {}};
    cells.colors.reserve(static_cast<std::size_t>(map.starts));
    for (int64_t k = 0; k < map.starts; ++k) {
      cells.colors.push_back(start_color(map, static_cast<std::size_t>(k)));
    }
    maps.push_back(
        with_rate(create(std::make_shared<CellImage>(*axes, area, std::move(cells), false, true)),
                  RateFn::linear));
    for (std::size_t m = 0; m < minima.size(); ++m) {
      const auto& [mx, my] = minima[m];
      if (mx < area.x_min || mx > area.x_max || my < area.y_min || my > area.y_max) continue;
      // A white disc under one of the basin's colour, so the mark shows on its own basin.
      const Vec2 at = axes->data_to_scene(mx, my);
      marks.push_back(fade_in(std::make_shared<Dot>(at, 0.1, kTextColor, Rgba{0, 0, 0, 1}, 1.5)));
      marks.push_back(fade_in(std::make_shared<Dot>(at, 0.06, kBasinColors[m])));
    }
    // What the map adds up to, under its x label.
    const int64_t reached = map.starts - map.none - map.diverged;
    const int64_t median = median_arrival(map);
    std::string summary = std::to_string(reached * 100 / map.starts) + "% reach a minimum";
    if (median >= 0) summary += ", median " + std::to_string(median) + " steps";
    if (map.diverged > 0) summary += " · " + std::to_string(map.diverged) + " diverged";
    texts.push_back(fade_in(text_at(summary, 18, kMutedColor, {plot.center().x, plot.bottom - 0.75},
                                    Anchor::kTop, false, box.width() + 0.6)));
  }

  // The key: a swatch per minimum, none and diverged; then how the shading reads.
  std::vector<LegendEntry> entries;
  for (std::size_t m = 0; m < minima.size(); ++m) {
    entries.push_back({point_text(minima[m][0], minima[m][1]), kBasinColors[m], 12});
  }
  entries.push_back({"none", kNoneColor, 12});
  entries.push_back({"diverged", kDivergedColor, 12});
  LegendStyle key_style;
  key_style.layout = LegendLayout::kHorizontal;
  key_style.points = 18;
  key_style.sample_length = 0.3;
  key_style.column_gap = 0.25;
  key_style.background = key_style.border = Rgba{0, 0, 0, 0};
  key_style.padding = 0;
  const double left = -c.geo.frame_width() / 2 + kEdgeBuff;
  const double key_y = -3.45;
  auto key = std::make_shared<Legend>(entries, key_style, Vec2{left, key_y}, Anchor::kLeft);
  // The shading: a strip from the first basin's colour at step 0 to its darkest at the last step.
  const double strip_left = key->bounds(c.geo).right + 0.45;
  auto arrival = text_at("steps (log)", 18, kMutedColor, {strip_left, key_y}, Anchor::kLeft);
  const double ramp_left = arrival->bounds(c.geo).right + 0.2;
  auto first = text_at("0", 18, kMutedColor, {ramp_left, key_y}, Anchor::kLeft);
  const Box2 ramp{first->bounds(c.geo).right + 0.12, key_y - 0.09,
                  first->bounds(c.geo).right + 1.12, key_y + 0.09};
  AxesStyle hidden;
  auto ramp_axes = std::make_shared<Axes>(Domain{0, 1, 0, 1}, ramp, hidden);
  CellColors ramp_cells{24, 1, {}};
  for (int k = 0; k < 24; ++k) {
    const auto step = static_cast<int64_t>(std::lround(std::expm1(k / 23.0 * std::log1p(steps))));
    ramp_cells.colors.push_back(
        dark_shade(kBasinColors[0], 1 - kSlowShade * arrival_share(step, steps)));
  }
  auto ramp_image =
      std::make_shared<CellImage>(*ramp_axes, Domain{0, 1, 0, 1}, std::move(ramp_cells), false);
  auto last =
      text_at(std::to_string(steps), 18, kMutedColor, {ramp.right + 0.12, key_y}, Anchor::kLeft);
  for (const auto& piece : std::vector<MobjectPtr>{key, arrival, first, ramp_image, last}) {
    marks.push_back(fade_in(piece));
  }
  const RunData& first_run = *sweeps[0];
  auto explain = text_at(
      "Each cell is one of " + std::to_string(first_run.spec.start.grid_nx) + " × " +
          std::to_string(first_run.spec.start.grid_ny) + " starts, run for " +
          std::to_string(steps) + " steps; its colour is the minimum the run ended within " +
          short_number(tolerance) + " of, darker the later it got there for good.",
      20, kAccentColor, {0, key_y + 0.5}, Anchor::kBottom, false, c.geo.frame_width() - 1.2);
  marks.push_back(fade_in(explain));
  c.builder.play(frames, 0.8);
  c.builder.play(texts, 0.6);
  c.builder.play(maps, b.run_time);
  c.builder.play(marks, 0.6);
  c.builder.wait(3.0);
}

}  // namespace trajtool
