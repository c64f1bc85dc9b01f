// Landscape blocks: the loss landscape with its marks and formula column, the trajectories traced
// on it (one at a time or all at once, with legend and loss inset), the minimum report, and the
// convergence maps of sweeps.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "optimizers/catalog.h"
#include "viz/colorbar.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

Anchor mirrored_x(Anchor a) {
  switch (a) {
    case Anchor::kLeft:
      return Anchor::kRight;
    case Anchor::kRight:
      return Anchor::kLeft;
    case Anchor::kTopLeft:
      return Anchor::kTopRight;
    case Anchor::kTopRight:
      return Anchor::kTopLeft;
    case Anchor::kBottomLeft:
      return Anchor::kBottomRight;
    case Anchor::kBottomRight:
      return Anchor::kBottomLeft;
    default:
      return a;
  }
}

Anchor mirrored_y(Anchor a) {
  switch (a) {
    case Anchor::kTop:
      return Anchor::kBottom;
    case Anchor::kBottom:
      return Anchor::kTop;
    case Anchor::kTopLeft:
      return Anchor::kBottomLeft;
    case Anchor::kBottomLeft:
      return Anchor::kTopLeft;
    case Anchor::kTopRight:
      return Anchor::kBottomRight;
    case Anchor::kBottomRight:
      return Anchor::kTopRight;
    default:
      return a;
  }
}

// The label of a point (start, minimum) at `offset` from it, kept inside the plot box: where it
// would stick out (over tick labels or a colour bar), the offset is mirrored across the point,
// horizontally, then vertically; failing both it is moved just inside.
std::shared_ptr<Group> mark_label(const std::string& text, Rgba color, Vec2 point, Vec2 offset,
                                  Anchor anchor, const Box2& plot, const FrameGeometry& geo) {
  auto fits = [&plot, &geo](const std::shared_ptr<Group>& label) {
    const Box2 box = label->bounds(geo);
    return box.left >= plot.left && box.right <= plot.right && box.bottom >= plot.bottom &&
           box.top <= plot.top;
  };
  for (int flip = 0; flip < 4; ++flip) {
    const bool fx = flip & 1, fy = flip & 2;
    const Vec2 at{point.x + (fx ? -offset.x : offset.x), point.y + (fy ? -offset.y : offset.y)};
    Anchor a = fx ? mirrored_x(anchor) : anchor;
    if (fy) a = mirrored_y(a);
    auto label = boxed_label(text, kNotePoints, color, at, a, geo);
    if (fits(label)) return label;
  }
  auto label = boxed_label(text, kNotePoints, color, point + offset, anchor, geo);
  const Box2 box = label->bounds(geo);
  Vec2 shift{0, 0};
  if (box.left < plot.left) shift.x = plot.left - box.left;
  if (box.right > plot.right) shift.x = plot.right - box.right;
  if (box.bottom < plot.bottom) shift.y = plot.bottom - box.bottom;
  if (box.top > plot.top) shift.y = plot.top - box.top;
  return boxed_label(text, kNotePoints, color, point + offset + shift, anchor, geo);
}

bool contains_ignoring_case(const std::string& text, const std::string& part) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  };
  return lower(text).find(lower(part)) != std::string::npos;
}

// " (Adam, lr=0.1)" after a run's label, leaving out what the label already says: a label
// "SGD (lr=1e-2)" gets nothing, "Momentum 0.9 (lr=1e-2)" gets " (SGD)".
std::string optimizer_detail(const RunSpec& run) {
  std::string detail;
  const std::string title = optimizer_info(run.optimizer.name).title;
  if (!contains_ignoring_case(run.label, title)) detail = title;
  if (!contains_ignoring_case(run.label, "lr")) {
    const std::string lr = lr_text(run);  // ", lr=0.1" or ""
    detail += detail.empty() && !lr.empty() ? lr.substr(2) : lr;
  }
  return detail.empty() ? "" : " (" + detail + ")";
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

std::vector<const RunData*> chosen_runs(SceneContext& c, const TrajectoriesBlock& b,
                                        const Stage& st) {
  std::vector<const RunData*> runs;
  auto check = [&](const RunData& run) {
    if (!run.grid) c.fail("run '" + run.spec.label + "' is 1D: it has no landscape");
    if (run.grid != st.grid) {
      c.fail("run '" + run.spec.label + "' has another objective or domain than the landscape's " +
             "(put it in its own experiment file)");
    }
  };
  if (b.runs.empty()) {
    for (const RunData& run : st.experiment->runs) {
      if (!is_point_run(run)) continue;
      check(run);
      runs.push_back(&run);
    }
    return runs;
  }
  for (const std::string& label : b.runs) {
    const RunData* found = nullptr;
    std::string known;
    for (const RunData& run : st.experiment->runs) {
      if (run.spec.label == label && is_point_run(run)) found = &run;
      known += (known.empty() ? "" : ", ") + run.spec.label;
    }
    if (!found) {
      c.fail("no run '" + label + "' from a start point in " + st.experiment->source_path +
             " (its runs: " + known + ")");
    }
    check(*found);
    runs.push_back(found);
  }
  return runs;
}

// A legend that shrinks (from annotation size, down to 12 pt) until it fits the column.
// `style.points` is left at the size used.
std::shared_ptr<Legend> column_legend(SceneContext& c, const std::vector<LegendEntry>& entries,
                                      LegendStyle& style, const Stage& st) {
  std::shared_ptr<Legend> legend;
  for (style.points = 18;; style.points -= 1) {
    legend = std::make_shared<Legend>(entries, style, Vec2{st.column_left, st.column_y},
                                      Anchor::kTopLeft);
    if (legend->bounds(c.geo).right <= st.column_right || style.points <= 12) break;
  }
  return legend;
}

void one_at_a_time(SceneContext& c, const TrajectoriesBlock& b, Stage& st,
                   const std::vector<const RunData*>& runs, const std::vector<LegendEntry>& entries,
                   const std::string& title) {
  // The boxed legend's frame and title first; each entry appears with its path.
  LegendStyle boxed;
  boxed.title = title;
  auto full = column_legend(c, entries, boxed, st);
  const Box2 box = full->bounds(c.geo);
  std::vector<Animation> frame = {fade_in(full->frame())};
  if (!title.empty()) {
    frame.push_back(fade_in(text_at(title, boxed.title_points, kTextColor,
                                    Vec2{box.left + boxed.padding, box.top - boxed.padding},
                                    Anchor::kTopLeft, true)));
  }
  c.builder.play(frame, 0.5);
  st.column_y = box.bottom - 0.35;
  const double run_time = b.run_time > 0 ? b.run_time : 3.0;
  std::vector<MobjectPtr> paths;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunData& run = *runs[i];
    auto path = std::make_shared<TrajectoryPath>(*st.axes, trajectory_points(run.trajectory),
                                                 entries[i].color, run.trajectory.diverged_at >= 0);
    std::vector<Animation> anims = {with_rate(create(path), RateFn::linear),
                                    fade_in(full->entry_alone(i))};
    for (const auto& earlier : paths) {
      anims.push_back(with_run_time(opacity_to(earlier, b.fade_earlier_to), 0.6));
    }
    c.builder.play(anims, run_time);
    paths.push_back(path);
  }
  if (paths.size() > 1) {
    std::vector<Animation> restore;
    for (const auto& p : paths) restore.push_back(opacity_to(p, 1.0));
    c.builder.play(restore, 0.6);
  }
}

// Loss against step under the legend; null when the column has no room left.
std::shared_ptr<LinePlot> loss_inset(Stage& st, const std::vector<const RunData*>& runs,
                                     const std::vector<LegendEntry>& entries, int64_t max_steps) {
  std::vector<LineSeries> losses;
  double lowest = INFINITY, start_max = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    LineSeries series;
    series.color = entries[i].color;
    series.stroke_px = 2.5;
    for (int64_t r = 0; r < runs[i]->trajectory.rows; ++r) {
      series.x.push_back(static_cast<double>(r));
      series.y.push_back(runs[i]->trajectory.loss[static_cast<std::size_t>(r)]);
      lowest = std::min(lowest, series.y.back());
    }
    start_max = std::max(start_max, series.y.front());
    losses.push_back(series);
  }
  LinePlotStyle style;
  // A log axis cannot show negative losses (Styblinski-Tang, McCormick, a saddle): linear
  // then. A loss of exactly 0 (a run that reached a zero minimum) stays on the log axis's floor.
  style.axes.log_y = lowest >= 0;
  style.axes.x_label = "step";
  style.axes.y_label = "loss";
  style.axes.tick_points = 18;
  style.axes.label_points = 18;
  style.axes.frame = false;
  const Box2 box{st.column_left + 0.95, -3.0, st.column_right - 0.2,
                 std::min(st.column_y - 0.2, 0.2)};
  if (box.height() <= 1.0) return nullptr;
  // At most 8 decades below ten times the highest starting loss: a diverging run's 1e38 or a
  // converged run's 1e-13 would squash everything else. Values outside run along the edge.
  Domain domain = fit_domain(losses, style.axes.log_y, 0.1);
  domain.x_min = 0;
  domain.x_max = static_cast<double>(max_steps);
  if (style.axes.log_y) {
    if (start_max > 0) domain.y_max = std::min(domain.y_max, 10 * start_max);
    domain.y_min = std::max(domain.y_min, domain.y_max * 1e-8);
  } else {  // a diverging run would flatten the rest: at most twice the start's range above
    const double span = std::fabs(start_max - lowest) + 1e-12;
    domain.y_max = std::min(domain.y_max, start_max + span);
    domain.y_min = lowest - 0.05 * (domain.y_max - lowest);
  }
  for (auto& series : losses) {
    for (double& y : series.y) {
      if (std::isfinite(y)) y = std::clamp(y, domain.y_min, domain.y_max);
    }
  }
  st.column_y = -3.0;
  return std::make_shared<LinePlot>(losses, box, style, domain);
}

void all_at_once(SceneContext& c, const TrajectoriesBlock& b, Stage& st,
                 const std::vector<const RunData*>& runs, const std::vector<LegendEntry>& entries,
                 const std::string& title, int64_t max_steps) {
  LegendStyle legend_style;
  legend_style.title = title;
  auto legend = column_legend(c, entries, legend_style, st);
  st.column_y = legend->bounds(c.geo).bottom - 0.35;
  std::shared_ptr<LinePlot> inset;
  if (b.loss_inset) {
    inset = loss_inset(st, runs, entries, max_steps);
    if (!inset) {
      c.warn("loss_inset left out: the legend of " + std::to_string(runs.size()) +
             " runs leaves no room under it in the column (draw fewer runs with `runs:`)");
    }
  }
  const Box2 plot = st.axes->plot_box();
  auto counter = std::make_shared<StepCounter>(max_steps, Vec2{plot.left + 0.15, plot.top - 0.12},
                                               Anchor::kTopLeft, 18);
  c.builder.play({fade_in(legend)}, 0.8);
  // Every path and the inset advance by step, in step with the counter.
  const double run_time =
      b.run_time > 0 ? b.run_time : std::clamp(static_cast<double>(max_steps) / 40.0, 4.0, 10.0);
  std::vector<Animation> race = {with_rate(create(counter), RateFn::linear)};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunData& run = *runs[i];
    auto path = std::make_shared<TrajectoryPath>(*st.axes, trajectory_points(run.trajectory),
                                                 entries[i].color, run.trajectory.diverged_at >= 0);
    // A run with fewer stored rows (diverged, or fewer steps) finishes early.
    double share = static_cast<double>(run.trajectory.rows - 1) / static_cast<double>(max_steps);
    race.push_back(
        with_run_time(with_rate(create(path), RateFn::linear), std::max(0.05, run_time * share)));
  }
  if (inset) race.push_back(with_rate(create(inset), RateFn::linear));
  c.builder.play(race, run_time);
}

void convergence_map(SceneContext& c, const RunData& run) {
  c.builder.section("convergence map: " + run.spec.label);
  c.builder.play(
      {write(section_title("Convergence map: " + run.spec.label + lr_text(run.spec), c.geo))}, 1.0);
  if (run.spec.start.grid_nx < 2 || run.spec.start.grid_ny < 2) {
    c.builder.play(
        {fade_in(bottom_note("A start grid needs at least 2 x 2 points for a map.", c.geo))}, 0.5);
    c.builder.wait(1.5);
    return;
  }
  Landscape land =
      make_landscape(convergence_grid(run), kLandscapeBox, LevelSpacing::kLog, "θ₁", "θ₂");
  ColorbarStyle bar_style;
  bar_style.title = "final loss";
  bar_style.tick_points = 18;
  const Box2 plot = land.axes->plot_box();
  auto bar = std::make_shared<Colorbar>(
      land.levels, Box2{plot.right + 0.3, plot.bottom, plot.right + 0.6, plot.top - 0.5},
      bar_style);
  int64_t diverged = 0;
  for (int64_t d : run.trajectory.diverged_at_each) diverged += d >= 0;
  c.builder.play({fade_in(land.axes), fade_in(land.fill), fade_in(bar)}, 1.5);
  auto note =
      text_at("Final loss from each start point (θ₁, θ₂): " + std::to_string(run.trajectory.batch) +
                  " starts, " + std::to_string(run.trajectory.rows - 1) + " steps each. " +
                  std::to_string(diverged) + " diverged (shown transparent).",
              kNotePoints, kAccentColor, Vec2{plot.right + 2.6, 1.6}, Anchor::kTopLeft, false,
              c.geo.frame_width() / 2 - 0.5 - (plot.right + 2.6));
  c.builder.play({fade_in(note)}, 0.8);
  c.builder.wait(3.0);
}

}  // namespace

void play_block(SceneContext& c, const LandscapeBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  const RunData* first = landscape_run(e);
  if (!first && !e.landscape) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no 2D run from a start point (or `landscape:`) to draw a landscape for");
  }
  Stage st;
  st.experiment = &e;
  // A model experiment's landscape entry reads like an objective's grid (no formula, no minima).
  st.grid = first ? first->grid : std::make_shared<const LossGrid>(e.landscape->loss);
  if (first) st.info = objective_info(first->spec.objective);
  LandscapeLook look;
  look.fill = b.heatmap ? FillMode::kContinuous : FillMode::kBands;
  look.colormap = parse_colormap_name(b.colormap);
  look.contour_lines = b.contour_lines;
  Landscape land = make_landscape(st.grid, kLandscapeBox,
                                  b.log_levels ? LevelSpacing::kLog : LevelSpacing::kLinear,
                                  b.x_label, b.y_label, look);
  st.axes = land.axes;
  const Box2 plot = land.axes->plot_box();
  st.column_left = plot.right + (b.colorbar ? 1.75 : 0.9);
  st.column_right = c.geo.frame_width() / 2 - 0.5;
  st.column_y = 2.45;
  std::vector<Animation> first_show = {fade_in(land.axes), fade_in(land.fill)};
  if (b.colorbar) {
    ColorbarStyle bar_style;
    bar_style.title = b.colorbar_title;
    bar_style.colormap.name = look.colormap;
    bar_style.tick_points = 18;
    first_show.push_back(fade_in(std::make_shared<Colorbar>(
        land.levels, Box2{plot.right + 0.25, plot.bottom, plot.right + 0.5, plot.top - 0.5},
        bar_style)));
  }
  if (b.formula && !st.info.formula.empty()) {
    auto formula = wrapped_formula(st.info.formula, {st.column_left, st.column_y},
                                   st.column_right - st.column_left, 38, kTextColor, c.geo);
    st.column_y = formula->bounds(c.geo).bottom - 0.35;
    first_show.push_back(fade_in(formula));
  }
  c.builder.play(first_show, b.run_time);
  if (land.lines) c.builder.play({create(land.lines)}, b.run_time * 1.25);

  // Start points (each once, inside the domain) and minima, above the paths drawn later.
  const Axes& axes = *land.axes;
  const LossGrid& grid = *st.grid;
  auto inside = [&grid](double x, double y) {
    return x >= grid.x_min && x <= grid.x_max && y >= grid.y_min && y <= grid.y_max;
  };
  std::vector<Animation> marks;
  std::vector<std::pair<double, double>> starts;
  for (const RunData& run : e.runs) {
    if (!is_point_run(run) || run.grid != st.grid) continue;
    std::pair<double, double> p{run.trajectory.params[0], run.trajectory.params[1]};
    if (std::find(starts.begin(), starts.end(), p) != starts.end() || !inside(p.first, p.second))
      continue;
    starts.push_back(p);
    const Vec2 at = axes.data_to_scene(p.first, p.second);
    marks.push_back(fade_in(std::make_shared<Dot>(at, 0.09, kTextColor, Rgba{0, 0, 0, 1}, 1.5)));
    if (b.labels == MarkLabels::none) continue;
    const std::string label =
        b.labels == MarkLabels::coordinates ? "start " + point_text(p.first, p.second) : "start";
    marks.push_back(fade_in(mark_label(label, kTextColor, at, {0, 0.22}, Anchor::kBottom,
                                       land.axes->plot_box(), c.geo)));
  }
  for (const KnownMinimum& m : st.info.minima) {
    if ((!m.global && !b.all_minima) || !inside(m.x, m.y)) continue;
    const Vec2 at = axes.data_to_scene(m.x, m.y);
    // A star: a dot in the accent colour reads as the head of a yellow run.
    marks.push_back(fade_in(
        std::make_shared<Star>(at, m.global ? 0.17 : 0.11, kAccentColor, Rgba{0, 0, 0, 1}, 1.5)));
    if (!m.global || b.labels == MarkLabels::none) continue;
    // Where the minimum is: its loss is the same at every global minimum ("min 0" four times on
    // Himmelblau told nothing apart).
    const std::string where = point_text(m.x, m.y);
    const std::string label = b.labels == MarkLabels::coordinates ? "minimum " + where : where;
    marks.push_back(fade_in(mark_label(label, kAccentColor, at, {0.18, -0.2}, Anchor::kTopLeft,
                                       land.axes->plot_box(), c.geo)));
  }
  for (const Animation& mark : marks) c.builder.add(mark.target, kMarksZ);
  if (!marks.empty()) c.builder.play(marks, 0.8 * b.run_time / 1.2 + 0.2);
  c.stage = std::move(st);
}

void play_block(SceneContext& c, const TrajectoriesBlock& b) {
  Stage& st = c.require_stage("trajectories");
  const std::vector<const RunData*> runs = chosen_runs(c, b, st);
  if (runs.empty()) c.fail("experiment has no run from a start point to trace");
  if (!b.colors.empty() && b.colors.size() != runs.size()) {
    c.fail("colors: " + std::to_string(b.colors.size()) + " given for " +
           std::to_string(runs.size()) + " runs (one per run drawn, in order)");
  }
  std::vector<LegendEntry> entries;
  int64_t max_steps = 1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunData& run = *runs[i];
    const bool diverged = run.trajectory.diverged_at >= 0;
    std::string label = run.spec.label;
    if (b.detail == LegendDetail::final_loss) {
      label += "   " + (diverged ? std::string("diverged")
                                 : "loss " + short_number(run.trajectory.loss.back()));
    } else {
      label += optimizer_detail(run.spec);
      if (diverged) label += " ✕";
    }
    const Rgba color =
        i < b.colors.size() ? parse_hex_color(b.colors[i]) : run_color(run.spec.color, i);
    entries.push_back({label, color, 4, false, true});
    max_steps = std::max(max_steps, run.spec.steps);
  }
  std::string legend_title = b.legend_title;
  replace_all(legend_title, "{steps}", std::to_string(max_steps));
  legend_title = c.fill(legend_title, "");
  if (b.mode == TrajectoryMode::one_at_a_time) {
    one_at_a_time(c, b, st, runs, entries, legend_title);
  } else {
    all_at_once(c, b, st, runs, entries, legend_title, max_steps);
  }
  st.drawn = runs;
}

void play_block(SceneContext& c, const MinimumReportBlock& b) {
  Stage& st = c.require_stage("minimum_report");
  if (st.drawn.empty()) c.fail("minimum_report needs a trajectories block before it");
  const KnownMinimum* global = nullptr;
  for (const KnownMinimum& m : st.info.minima) {
    if (m.global && !global) global = &m;
  }
  if (!global) c.fail(st.info.title + " has no known global minimum to report on");
  std::string reached, not_reached, diverged;
  int64_t steps = 0;
  for (const RunData* run : st.drawn) {
    const auto& p = run->trajectory.params;
    const double dx = p[p.size() - 2] - global->x, dy = p[p.size() - 1] - global->y;
    std::string& list = run->trajectory.diverged_at >= 0 ? diverged
                        : std::hypot(dx, dy) < b.radius  ? reached
                                                         : not_reached;
    list += (list.empty() ? "" : ", ") + run->spec.label;
    steps = std::max(steps, run->spec.steps);
  }
  std::string note = "Within " + short_number(b.radius) + " of the minimum after " +
                     std::to_string(steps) + " steps: " + (reached.empty() ? "none" : reached) +
                     ".";
  if (!not_reached.empty()) note += "  Not yet: " + not_reached + ".";
  if (!diverged.empty()) note += "  Diverged: " + diverged + ".";
  column_note(c, st, note, 0.8);
}

void play_block(SceneContext& c, const ConvergenceMapsBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  if (std::none_of(e.runs.begin(), e.runs.end(),
                   [](const RunData& run) { return !is_point_run(run); })) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no sweep run (a start grid) to map; guard the section with `when: {experiment: " +
           b.experiment + ", has: sweep_runs}`");
  }
  for (const RunData& run : e.runs) {
    if (!is_point_run(run)) convergence_map(c, run);
  }
  c.stage.reset();
}

}  // namespace trajtool
