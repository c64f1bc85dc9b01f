// TrajectoryComparison: any experiment on its landscape. Log-spaced contours with a colour bar,
// every run animated at once with a head dot and a step counter, start and minima labelled, a
// legend (label, optimizer, lr) and a loss-vs-step inset. A diverged run stops with a cross. A
// sweep run (start grid) gets its own section: the convergence map of final loss per start.
#include <algorithm>
#include <cmath>
#include <limits>

#include "objectives/objective.h"
#include "optimizers/catalog.h"
#include "toolkit/error.h"
#include "viz/colorbar.h"
#include "viz/formula.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/scene_registry.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

std::string lr_text(const RunSpec& run) {
  auto it = run.optimizer.hyper.find("lr");
  if (it == run.optimizer.hyper.end() || !std::holds_alternative<double>(it->second)) return "";
  return ", lr=" + short_number(std::get<double>(it->second));
}

// The final loss of every start point of a sweep as a grid over the start grid (diverged: +inf).
std::shared_ptr<LossGrid> convergence_grid(const RunData& run) {
  const Trajectory& t = run.trajectory;
  auto grid = std::make_shared<LossGrid>();
  const StartSpec& start = run.spec.start;
  grid->x_min = start.grid.x_min;
  grid->x_max = start.grid.x_max;
  grid->y_min = start.grid.y_min;
  grid->y_max = start.grid.y_max;
  grid->nx = start.grid_nx;
  grid->ny = start.grid_ny;
  grid->values.resize(static_cast<std::size_t>(t.batch));
  for (int64_t k = 0; k < t.batch; ++k) {
    const double last = t.loss[static_cast<std::size_t>((k + 1) * t.rows - 1)];
    const bool diverged =
        !t.diverged_at_each.empty() && t.diverged_at_each[static_cast<std::size_t>(k)] >= 0;
    grid->values[static_cast<std::size_t>(k)] =
        diverged || !std::isfinite(last) ? std::numeric_limits<double>::infinity() : last;
  }
  return grid;
}

void sweep_section(SceneBuilder& s, const FrameGeometry& geo, const RunData& run) {
  s.section("convergence map: " + run.spec.label);
  auto title = section_title("Convergence map: " + run.spec.label + lr_text(run.spec), geo);
  s.play({write(title)}, 1.0);
  if (run.spec.start.grid_nx < 2 || run.spec.start.grid_ny < 2) {
    s.play({fade_in(bottom_note("A start grid needs at least 2 x 2 points for a map.", geo))}, 0.5);
    s.wait(1.5);
    return;
  }
  auto grid = convergence_grid(run);
  Landscape land = make_landscape(grid, kLandscapeBox, LevelSpacing::kLog, "θ₁", "θ₂");
  ColorbarStyle bar_style;
  bar_style.title = "final loss";
  bar_style.tick_points = 18;
  const Box2 plot = land.axes->plot_box();
  auto bar = std::make_shared<Colorbar>(
      land.levels, Box2{plot.right + 0.3, plot.bottom, plot.right + 0.6, plot.top - 0.5},
      bar_style);
  int64_t diverged = 0;
  for (int64_t d : run.trajectory.diverged_at_each) diverged += d >= 0;
  s.play({fade_in(land.axes), fade_in(land.fill), fade_in(bar)}, 1.5);
  TextStyle note_style;
  note_style.points = kNotePoints;
  note_style.color = kAccentColor;
  note_style.max_width_units = geo.frame_width() / 2 - 0.5 - (plot.right + 2.6);
  auto note = std::make_shared<Text>(
      "Final loss from each start point (θ₁, θ₂): " + std::to_string(run.trajectory.batch) +
          " starts, " + std::to_string(run.trajectory.rows - 1) + " steps each. " +
          std::to_string(diverged) + " diverged (shown transparent).",
      note_style, Vec2{plot.right + 2.6, 1.6}, Anchor::kTopLeft);
  s.play({fade_in(note)}, 0.8);
  s.wait(3.0);
}

}  // namespace

Timeline build_trajectory_comparison(const SceneData& data, const FrameGeometry& geo) {
  if (data.experiments.empty()) throw InputError("TrajectoryComparison needs --config F");
  const ExperimentData& e = data.experiments[0];
  std::vector<const RunData*> runs, sweeps;
  for (const RunData& run : e.runs) {
    if (!run.grid) {
      throw InputError(e.source_path + ": TrajectoryComparison draws 2D objectives; run '" +
                       run.spec.label + "' is 1D");
    }
    (run.spec.start.is_grid() ? sweeps : runs).push_back(&run);
  }
  for (const RunData* run : runs) {
    if (run->grid != runs[0]->grid) {
      throw InputError(e.source_path + ": TrajectoryComparison draws one landscape; run '" +
                       run->spec.label + "' has another objective or domain than '" +
                       runs[0]->spec.label + "' (put it in its own experiment file)");
    }
  }
  SceneBuilder s(0.6);
  if (!runs.empty()) {
    const RunData& first = *runs[0];
    ObjectiveInfo info = objective_info(first.spec.objective);
    s.section("landscape");
    auto title = section_title(e.name + ": " + info.title, geo);
    s.play({write(title)}, 1.0);
    Landscape land = make_landscape(first.grid, kLandscapeBox, LevelSpacing::kLog, "θ₁", "θ₂");
    const Box2 plot = land.axes->plot_box();
    ColorbarStyle bar_style;
    bar_style.title = "loss";
    bar_style.tick_points = 18;
    auto bar = std::make_shared<Colorbar>(
        land.levels, Box2{plot.right + 0.25, plot.bottom, plot.right + 0.5, plot.top - 0.5},
        bar_style);
    s.play({fade_in(land.axes), fade_in(land.fill), fade_in(bar)}, 1.2);
    s.play({create(land.lines)}, 1.2);

    const Axes& axes = *land.axes;
    std::vector<Animation> marks;
    std::vector<std::pair<double, double>> starts;
    for (const RunData* run : runs) {
      std::pair<double, double> p{run->trajectory.params[0], run->trajectory.params[1]};
      if (std::find(starts.begin(), starts.end(), p) != starts.end()) continue;
      if (p.first < first.grid->x_min || p.first > first.grid->x_max ||
          p.second < first.grid->y_min || p.second > first.grid->y_max) {
        continue;  // outside the plotted domain: the path enters from the edge
      }
      starts.push_back(p);
      Vec2 at = axes.data_to_scene(p.first, p.second);
      marks.push_back(fade_in(std::make_shared<Dot>(at, 0.085, kTextColor, Rgba{0, 0, 0, 1}, 1.5)));
      marks.push_back(fade_in(
          boxed_label("start", kNotePoints, kTextColor, at + Vec2{0, 0.2}, Anchor::kBottom, geo)));
    }
    for (const KnownMinimum& m : info.minima) {
      if (m.x < first.grid->x_min || m.x > first.grid->x_max || m.y < first.grid->y_min ||
          m.y > first.grid->y_max) {
        continue;
      }
      Vec2 at = axes.data_to_scene(m.x, m.y);
      marks.push_back(fade_in(
          std::make_shared<Dot>(at, m.global ? 0.09 : 0.06, kAccentColor, Rgba{0, 0, 0, 1}, 1.5)));
      if (m.global) {
        marks.push_back(
            fade_in(boxed_label("min " + short_number(m.value), kNotePoints, kAccentColor,
                                at + Vec2{0.15, -0.15}, Anchor::kTopLeft, geo)));
      }
    }
    for (const Animation& mark : marks) s.add(mark.target, kMarksZ);  // above the paths drawn later
    s.play(marks, 0.8);

    // Right column: formula, legend, loss inset, step counter.
    const double column_left = plot.right + 1.75;
    const double column_right = geo.frame_width() / 2 - 0.5;
    auto formula = wrapped_formula(info.formula, {column_left, 2.5}, column_right - column_left, 38,
                                   kTextColor, geo);
    std::vector<LegendEntry> entries;
    std::vector<LineSeries> losses;
    int64_t max_steps = 1;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunData& run = *runs[i];
      Rgba color = run_color(run.spec.color, i);
      std::string label = run.spec.label + " (" + optimizer_info(run.spec.optimizer.name).title +
                          lr_text(run.spec) + ")";
      if (run.trajectory.diverged_at >= 0) label += " ✕";
      entries.push_back({label, color, 4, false, true});
      LineSeries series;
      series.color = color;
      series.stroke_px = 2.5;
      for (int64_t r = 0; r < run.trajectory.rows; ++r) {
        series.x.push_back(static_cast<double>(r));
        series.y.push_back(run.trajectory.loss[static_cast<std::size_t>(r)]);
      }
      losses.push_back(series);
      max_steps = std::max(max_steps, run.spec.steps);
    }
    // The legend shrinks (from annotation size) until it fits the column; many long labels
    // would otherwise run off the frame.
    LegendStyle legend_style;
    std::shared_ptr<Legend> legend;
    for (legend_style.points = 18; legend_style.points >= 12; legend_style.points -= 1) {
      legend = std::make_shared<Legend>(entries, legend_style,
                                        Vec2{column_left, formula->bounds(geo).bottom - 0.3},
                                        Anchor::kTopLeft);
      if (legend->bounds(geo).right <= column_right) break;
    }
    double lowest = INFINITY;
    for (const auto& series : losses) {
      for (double y : series.y) lowest = std::min(lowest, y);
    }
    LinePlotStyle inset_style;
    // A log axis cannot show negative losses (Styblinski-Tang, McCormick, a saddle): linear
    // then. A loss of exactly 0 (a run that reached a zero minimum) stays on the log axis's floor.
    inset_style.axes.log_y = lowest >= 0;
    inset_style.axes.x_label = "step";
    inset_style.axes.y_label = "loss";
    inset_style.axes.tick_points = 18;
    inset_style.axes.label_points = 18;
    inset_style.axes.frame = false;
    const double legend_bottom = legend->bounds(geo).bottom;
    Box2 inset_box{column_left + 0.95, -3.0, column_right - 0.2,
                   std::min(legend_bottom - 0.55, 0.2)};
    std::shared_ptr<LinePlot> inset;
    // The inset spans at most 8 decades below ten times the highest starting loss: a diverging
    // run's 1e38 or a converged run's 1e-13 would squash everything else. Values outside are
    // drawn along the inset's edge.
    Domain loss_domain = fit_domain(losses, inset_style.axes.log_y, 0.1);
    double start_max = 0;
    for (const auto& series : losses) start_max = std::max(start_max, series.y.front());
    loss_domain.x_min = 0;
    loss_domain.x_max = static_cast<double>(max_steps);
    if (inset_style.axes.log_y) {
      if (start_max > 0) loss_domain.y_max = std::min(loss_domain.y_max, 10 * start_max);
      loss_domain.y_min = std::max(loss_domain.y_min, loss_domain.y_max * 1e-8);
    } else {  // a diverging run would flatten the rest: at most twice the start's range above
      const double span = std::fabs(start_max - lowest) + 1e-12;
      loss_domain.y_max = std::min(loss_domain.y_max, start_max + span);
      loss_domain.y_min = lowest - 0.05 * (loss_domain.y_max - lowest);
    }
    for (auto& series : losses) {
      for (double& y : series.y) {
        if (std::isfinite(y)) y = std::clamp(y, loss_domain.y_min, loss_domain.y_max);
      }
    }
    if (inset_box.height() > 1.0) {
      inset = std::make_shared<LinePlot>(losses, inset_box, inset_style, loss_domain);
    }
    auto counter = std::make_shared<StepCounter>(max_steps, Vec2{plot.left + 0.15, plot.top - 0.12},
                                                 Anchor::kTopLeft, 18);
    std::vector<Animation> panel = {fade_in(formula), fade_in(legend)};
    s.play(panel, 0.8);

    // All runs at once: each path and the inset advance by step, in step with the counter.
    const double run_time = std::clamp(static_cast<double>(max_steps) / 40.0, 4.0, 10.0);
    std::vector<Animation> race = {with_rate(create(counter), RateFn::linear)};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunData& run = *runs[i];
      auto path =
          std::make_shared<TrajectoryPath>(axes, trajectory_points(run.trajectory),
                                           entries[i].color, run.trajectory.diverged_at >= 0);
      // A run with fewer stored rows (diverged, or fewer steps) finishes early.
      double share = static_cast<double>(run.trajectory.rows - 1) / static_cast<double>(max_steps);
      race.push_back(
          with_run_time(with_rate(create(path), RateFn::linear), std::max(0.05, run_time * share)));
    }
    if (inset) race.push_back(with_rate(create(inset), RateFn::linear));
    s.play(race, run_time);
    s.wait(3.0);
  }
  for (const RunData* sweep : sweeps) sweep_section(s, geo, *sweep);
  s.clear(0.8);
  return s.build();
}

}  // namespace trajtool
