#include "viz/scenes/scene_player.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "objectives/objective.h"
#include "optimizers/catalog.h"
#include "toolkit/error.h"
#include "viz/colorbar.h"
#include "viz/formula.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

Anchor to_anchor(TextAnchor anchor) {
  switch (anchor) {
    case TextAnchor::left:
      return Anchor::kLeft;
    case TextAnchor::right:
      return Anchor::kRight;
    case TextAnchor::top:
      return Anchor::kTop;
    case TextAnchor::bottom:
      return Anchor::kBottom;
    case TextAnchor::top_left:
      return Anchor::kTopLeft;
    case TextAnchor::top_right:
      return Anchor::kTopRight;
    case TextAnchor::bottom_left:
      return Anchor::kBottomLeft;
    case TextAnchor::bottom_right:
      return Anchor::kBottomRight;
    case TextAnchor::center:
      break;
  }
  return Anchor::kCenter;
}

Vec2 to_vec(ScenePoint p) { return {p.x, p.y}; }
Rgba dark_shade(Rgba c, double factor) { return {c.r * factor, c.g * factor, c.b * factor, 1}; }

std::shared_ptr<Text> text_at(const std::string& s, double points, Rgba color, Vec2 at,
                              Anchor anchor, bool bold = false, double wrap = 0) {
  TextStyle style;
  style.points = points;
  style.color = color;
  style.bold = bold;
  style.max_width_units = wrap;
  return std::make_shared<Text>(s, style, at, anchor);
}

std::string bytes_text(int64_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " B";
  return short_number(static_cast<double>(bytes) / 1024.0) + " KiB";
}

std::string lr_text(const RunSpec& run) {
  auto it = run.optimizer.hyper.find("lr");
  if (it == run.optimizer.hyper.end() || !std::holds_alternative<double>(it->second)) return "";
  return ", lr=" + short_number(std::get<double>(it->second));
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool is_point_run(const RunData& run) { return !run.spec.start.is_grid(); }

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

// What a section's landscape block leaves for the blocks after it.
struct Stage {
  const ExperimentData* experiment = nullptr;  // the landscape's experiment
  std::shared_ptr<const LossGrid> grid;        // its loss grid
  std::shared_ptr<Axes> axes;                  // data -> scene units
  ObjectiveInfo info;                          // formula, minima
  double column_left = 0;                      // the right-hand column's left edge
  double column_right = 0;                     // and right edge
  double column_y = 0;                         // where the column's next item's top goes
  std::vector<const RunData*> drawn;           // runs traced by a trajectories block
};

class Player {
 public:
  Player(const SceneScript& script, const SceneData& data, const FrameGeometry& geo)
      : script_(script), data_(data), geo_(geo), s_(script.section_clear_time) {
    if (data.experiments.size() != script.header.experiments.size()) {
      throw InputError(script.header.path + ": the scene reads " +
                       std::to_string(script.header.experiments.size()) + " experiment(s), " +
                       std::to_string(data.experiments.size()) + " loaded");
    }
  }

  Timeline play() {
    for (const SceneSection& section : script_.sections) {
      if (section.when != SectionCondition::always) {
        const ExperimentData& e = experiment(section.when_experiment);
        bool any = false;
        for (const RunData& run : e.runs) {
          any |= is_point_run(run) == (section.when == SectionCondition::point_runs);
        }
        if (!any) continue;
      }
      s_.section(section.name);
      stage_.reset();
      for (const SceneBlock& block : section.blocks) {
        block_ = &block;
        std::visit([this](const auto& body) { play_block(body); }, block.body);
      }
    }
    s_.clear(script_.section_clear_time);
    return s_.build();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(block_->origin + ": " + what);
  }

  const ExperimentData& experiment(const std::string& name) const {
    const auto& refs = script_.header.experiments;
    for (std::size_t i = 0; i < refs.size(); ++i) {
      if (refs[i].name == name) return data_.experiments[i];
    }
    fail("no experiment '" + name + "'");  // the reader checked names: not reached
  }

  Stage& stage(const char* block_name) {
    if (!stage_) fail(std::string(block_name) + " needs a landscape block earlier in its section");
    return *stage_;
  }

  // {experiment}, {objective} and {steps} of the named experiment (or the landscape's).
  std::string fill(std::string text, const std::string& experiment_name) const {
    const ExperimentData* e = nullptr;
    if (!experiment_name.empty()) {
      e = &experiment(experiment_name);
    } else if (stage_) {
      e = stage_->experiment;
    }
    if (!e) return text;
    replace_all(text, "{experiment}", e->name);
    if (!e->runs.empty()) {
      const RunData& first = e->runs[0];
      replace_all(text, "{objective}", objective_info(first.spec.objective).title);
      replace_all(text, "{steps}", std::to_string(first.spec.steps));
    }
    return text;
  }

  Rgba color_or(const std::string& hex, Rgba fallback) const {
    return hex.empty() ? fallback : parse_hex_color(hex);
  }

  void play_block(const TitleCardBlock& b) {
    // The title shrinks from 48 pt (not below 36) to fit between the edges, then wraps, centred.
    const double room = geo_.frame_width() - 2 * kEdgeBuff;
    TextStyle style;
    style.points = 48;
    style.bold = true;
    style.color = kTextColor;
    style.align = TextAlign::kCenter;
    const double width = measure_text(b.title, style, geo_).width();
    if (width > room) style.points = std::max(36.0, 48 * room / width);
    style.max_width_units = room;
    auto title = std::make_shared<Text>(b.title, style, Vec2{0, 0}, Anchor::kBottom);
    const double gap = b.subtitle.empty() ? -title->bounds(geo_).height() / 2 : 0.2;
    title = std::make_shared<Text>(b.title, style, Vec2{0, gap}, Anchor::kBottom);
    s_.play({write(title)}, 1.5);
    if (!b.subtitle.empty()) {
      TextStyle sub;
      sub.points = 28;
      sub.color = kMutedColor;
      sub.align = TextAlign::kCenter;
      sub.max_width_units = room;
      s_.play({fade_in(std::make_shared<Text>(b.subtitle, sub, Vec2{0, -0.25}, Anchor::kTop),
                       {0, -0.3})},
              1.0);
    }
  }

  void play_block(const SectionTitleBlock& b) {
    s_.play({write(section_title(fill(b.text, b.experiment), geo_))}, 1.0);
  }

  void play_block(const TextBlock& b) {
    auto text = text_at(fill(b.text, b.experiment), b.points, color_or(b.color, kTextColor),
                        to_vec(b.at), to_anchor(b.anchor), b.bold, b.width);
    if (b.write) {
      s_.play({write(text)}, b.run_time);
    } else {
      s_.play({fade_in(text, to_vec(b.shift))}, b.run_time);
    }
  }

  void play_block(const FormulaBlock& b) {
    auto formula = std::make_shared<Formula>(b.tex, b.points, color_or(b.color, kTextColor),
                                             to_vec(b.at), to_anchor(b.anchor));
    s_.play({write(formula)}, b.run_time);
  }

  void play_block(const NoteBlock& b) {
    const std::string text = fill(b.text, b.experiment);
    if (!b.in_column) {
      s_.play({fade_in(bottom_note(text, geo_))}, b.run_time);
      return;
    }
    column_note(stage("a note with `place: column`"), text, b.run_time);
  }

  void column_note(Stage& st, const std::string& text, double run_time) {
    auto note = text_at(text, kNotePoints, kAccentColor, {st.column_left, st.column_y},
                        Anchor::kTopLeft, false, st.column_right - st.column_left);
    st.column_y = note->bounds(geo_).bottom - 0.35;
    s_.play({fade_in(note)}, run_time);
  }

  void play_block(const LandscapeBlock& b) {
    const ExperimentData& e = experiment(b.experiment);
    const RunData* first = nullptr;
    for (const RunData& run : e.runs) {
      if (is_point_run(run) && run.grid) {
        first = &run;
        break;
      }
    }
    if (!first) {
      fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no 2D run from a start point to draw a landscape for");
    }
    Stage st;
    st.experiment = &e;
    st.grid = first->grid;
    st.info = objective_info(first->spec.objective);
    LandscapeLook look;
    look.fill = b.heatmap ? FillMode::kContinuous : FillMode::kBands;
    look.colormap = parse_colormap_name(b.colormap);
    look.contour_lines = b.contour_lines;
    Landscape land = make_landscape(first->grid, kLandscapeBox,
                                    b.log_levels ? LevelSpacing::kLog : LevelSpacing::kLinear,
                                    b.x_label, b.y_label, look);
    st.axes = land.axes;
    const Box2 plot = land.axes->plot_box();
    st.column_left = plot.right + (b.colorbar ? 1.75 : 0.9);
    st.column_right = geo_.frame_width() / 2 - 0.5;
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
    if (b.formula) {
      auto formula = wrapped_formula(st.info.formula, {st.column_left, st.column_y},
                                     st.column_right - st.column_left, 38, kTextColor, geo_);
      st.column_y = formula->bounds(geo_).bottom - 0.35;
      first_show.push_back(fade_in(formula));
    }
    s_.play(first_show, b.run_time);
    if (land.lines) s_.play({create(land.lines)}, b.run_time * 1.25);

    // Start points (each once, inside the domain) and minima, above the paths drawn later.
    const Axes& axes = *land.axes;
    const LossGrid& grid = *first->grid;
    auto inside = [&grid](double x, double y) {
      return x >= grid.x_min && x <= grid.x_max && y >= grid.y_min && y <= grid.y_max;
    };
    std::vector<Animation> marks;
    std::vector<std::pair<double, double>> starts;
    for (const RunData& run : e.runs) {
      if (!is_point_run(run) || run.grid != first->grid) continue;
      std::pair<double, double> p{run.trajectory.params[0], run.trajectory.params[1]};
      if (std::find(starts.begin(), starts.end(), p) != starts.end() || !inside(p.first, p.second))
        continue;
      starts.push_back(p);
      const Vec2 at = axes.data_to_scene(p.first, p.second);
      marks.push_back(fade_in(std::make_shared<Dot>(at, 0.09, kTextColor, Rgba{0, 0, 0, 1}, 1.5)));
      if (b.labels == MarkLabels::none) continue;
      const std::string label =
          b.labels == MarkLabels::coordinates
              ? "start (" + short_number(p.first) + ", " + short_number(p.second) + ")"
              : "start";
      marks.push_back(fade_in(
          boxed_label(label, kNotePoints, kTextColor, at + Vec2{0, 0.22}, Anchor::kBottom, geo_)));
    }
    for (const KnownMinimum& m : st.info.minima) {
      if ((!m.global && !b.all_minima) || !inside(m.x, m.y)) continue;
      const Vec2 at = axes.data_to_scene(m.x, m.y);
      marks.push_back(fade_in(
          std::make_shared<Dot>(at, m.global ? 0.1 : 0.065, kAccentColor, Rgba{0, 0, 0, 1}, 1.5)));
      if (!m.global || b.labels == MarkLabels::none) continue;
      const std::string label =
          b.labels == MarkLabels::coordinates
              ? "minimum (" + short_number(m.x) + ", " + short_number(m.y) + ")"
              : "min " + short_number(m.value);
      marks.push_back(fade_in(boxed_label(label, kNotePoints, kAccentColor, at + Vec2{0.18, -0.2},
                                          Anchor::kTopLeft, geo_)));
    }
    for (const Animation& mark : marks) s_.add(mark.target, kMarksZ);
    if (!marks.empty()) s_.play(marks, 0.8 * b.run_time / 1.2 + 0.2);
    stage_ = std::move(st);
  }

  std::vector<const RunData*> chosen_runs(const TrajectoriesBlock& b, const Stage& st) const {
    std::vector<const RunData*> runs;
    auto check = [&](const RunData& run) {
      if (!run.grid) fail("run '" + run.spec.label + "' is 1D: it has no landscape");
      if (run.grid != st.grid) {
        fail("run '" + run.spec.label + "' has another objective or domain than the landscape's " +
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
        fail("no run '" + label + "' from a start point in " + st.experiment->source_path +
             " (its runs: " + known + ")");
      }
      check(*found);
      runs.push_back(found);
    }
    return runs;
  }

  void play_block(const TrajectoriesBlock& b) {
    Stage& st = stage("trajectories");
    const std::vector<const RunData*> runs = chosen_runs(b, st);
    if (runs.empty()) fail("experiment has no run from a start point to trace");
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
        label += " (" + optimizer_info(run.spec.optimizer.name).title + lr_text(run.spec) + ")";
        if (diverged) label += " ✕";
      }
      entries.push_back({label, run_color(run.spec.color, i), 4, false, true});
      max_steps = std::max(max_steps, run.spec.steps);
    }
    std::string legend_title = b.legend_title;
    replace_all(legend_title, "{steps}", std::to_string(max_steps));
    legend_title = fill(legend_title, "");
    if (b.mode == TrajectoryMode::one_at_a_time) {
      one_at_a_time(b, st, runs, entries, legend_title);
    } else {
      all_at_once(b, st, runs, entries, legend_title, max_steps);
    }
    st.drawn = runs;
  }

  // A legend that shrinks (from annotation size, down to 12 pt) until it fits the column.
  // `style.points` is left at the size used.
  std::shared_ptr<Legend> column_legend(const std::vector<LegendEntry>& entries, LegendStyle& style,
                                        const Stage& st) const {
    std::shared_ptr<Legend> legend;
    for (style.points = 18;; style.points -= 1) {
      legend = std::make_shared<Legend>(entries, style, Vec2{st.column_left, st.column_y},
                                        Anchor::kTopLeft);
      if (legend->bounds(geo_).right <= st.column_right || style.points <= 12) break;
    }
    return legend;
  }

  void one_at_a_time(const TrajectoriesBlock& b, Stage& st, const std::vector<const RunData*>& runs,
                     const std::vector<LegendEntry>& entries, const std::string& title) {
    // The boxed legend's frame and title first; each entry appears with its path.
    LegendStyle boxed;
    boxed.title = title;
    auto full = column_legend(entries, boxed, st);
    LegendStyle bare = boxed;
    bare.background = {0, 0, 0, 0};
    bare.border = {0, 0, 0, 0};
    bare.title.clear();
    const Box2 box = full->bounds(geo_);
    std::vector<Animation> frame = {
        fade_in(std::make_shared<RoundedBox>(box, boxed.background, boxed.border, 1.5, 0.1))};
    if (!title.empty()) {
      frame.push_back(fade_in(text_at(title, boxed.title_points, kTextColor,
                                      Vec2{box.left + boxed.padding, box.top - boxed.padding},
                                      Anchor::kTopLeft, true)));
    }
    s_.play(frame, 0.5);
    st.column_y = box.bottom - 0.35;
    const double run_time = b.run_time > 0 ? b.run_time : 3.0;
    std::vector<MobjectPtr> paths;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunData& run = *runs[i];
      auto path =
          std::make_shared<TrajectoryPath>(*st.axes, trajectory_points(run.trajectory),
                                           entries[i].color, run.trajectory.diverged_at >= 0);
      auto entry = std::make_shared<Legend>(
          std::vector<LegendEntry>{entries[i]}, bare,
          Vec2{full->sample_start(i).x - bare.padding, full->sample_start(i).y}, Anchor::kLeft);
      std::vector<Animation> anims = {with_rate(create(path), RateFn::linear), fade_in(entry)};
      for (const auto& earlier : paths) {
        anims.push_back(with_run_time(opacity_to(earlier, b.fade_earlier_to), 0.6));
      }
      s_.play(anims, run_time);
      paths.push_back(path);
    }
    if (paths.size() > 1) {
      std::vector<Animation> restore;
      for (const auto& p : paths) restore.push_back(opacity_to(p, 1.0));
      s_.play(restore, 0.6);
    }
  }

  void all_at_once(const TrajectoriesBlock& b, Stage& st, const std::vector<const RunData*>& runs,
                   const std::vector<LegendEntry>& entries, const std::string& title,
                   int64_t max_steps) {
    LegendStyle legend_style;
    legend_style.title = title;
    auto legend = column_legend(entries, legend_style, st);
    st.column_y = legend->bounds(geo_).bottom - 0.35;
    std::shared_ptr<LinePlot> inset;
    if (b.loss_inset) inset = loss_inset(st, runs, entries, max_steps);
    const Box2 plot = st.axes->plot_box();
    auto counter = std::make_shared<StepCounter>(max_steps, Vec2{plot.left + 0.15, plot.top - 0.12},
                                                 Anchor::kTopLeft, 18);
    s_.play({fade_in(legend)}, 0.8);
    // Every path and the inset advance by step, in step with the counter.
    const double run_time =
        b.run_time > 0 ? b.run_time : std::clamp(static_cast<double>(max_steps) / 40.0, 4.0, 10.0);
    std::vector<Animation> race = {with_rate(create(counter), RateFn::linear)};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunData& run = *runs[i];
      auto path =
          std::make_shared<TrajectoryPath>(*st.axes, trajectory_points(run.trajectory),
                                           entries[i].color, run.trajectory.diverged_at >= 0);
      // A run with fewer stored rows (diverged, or fewer steps) finishes early.
      double share = static_cast<double>(run.trajectory.rows - 1) / static_cast<double>(max_steps);
      race.push_back(
          with_run_time(with_rate(create(path), RateFn::linear), std::max(0.05, run_time * share)));
    }
    if (inset) race.push_back(with_rate(create(inset), RateFn::linear));
    s_.play(race, run_time);
  }

  // Loss against step under the legend; null when the column has no room left.
  std::shared_ptr<LinePlot> loss_inset(Stage& st, const std::vector<const RunData*>& runs,
                                       const std::vector<LegendEntry>& entries,
                                       int64_t max_steps) const {
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

  void play_block(const MinimumReportBlock& b) {
    Stage& st = stage("minimum_report");
    if (st.drawn.empty()) fail("minimum_report needs a trajectories block before it");
    const KnownMinimum* global = nullptr;
    for (const KnownMinimum& m : st.info.minima) {
      if (m.global && !global) global = &m;
    }
    if (!global) fail(st.info.title + " has no known global minimum to report on");
    std::string reached, not_reached;
    int64_t steps = 0;
    for (const RunData* run : st.drawn) {
      const auto& p = run->trajectory.params;
      const double dx = p[p.size() - 2] - global->x, dy = p[p.size() - 1] - global->y;
      const bool near = run->trajectory.diverged_at < 0 && std::hypot(dx, dy) < b.radius;
      std::string& list = near ? reached : not_reached;
      list += (list.empty() ? "" : ", ") + run->spec.label;
      steps = std::max(steps, run->spec.steps);
    }
    std::string note = "Within " + short_number(b.radius) + " of the minimum after " +
                       std::to_string(steps) + " steps: " + (reached.empty() ? "none" : reached) +
                       ".";
    if (!not_reached.empty()) note += "  Not yet: " + not_reached + ".";
    column_note(st, note, 0.8);
  }

  // The values and default label of one series reference.
  LineSeries resolve(const SeriesRef& ref, std::size_t index) const {
    const ExperimentData& e = experiment(ref.experiment);
    LineSeries out;
    out.stroke_px = ref.width;
    out.color = color_or(ref.color, palette_color(index));
    const auto colon = ref.value.find(':');
    const std::string kind = ref.value.substr(0, colon);
    const std::string arg = colon == std::string::npos ? "" : ref.value.substr(colon + 1);
    std::string label;
    auto steps_from = [&out](std::size_t n, double first) {
      for (std::size_t i = 0; i < n; ++i) out.x.push_back(first + static_cast<double>(i));
    };
    if (!ref.run.empty()) {
      const RunData* run = nullptr;
      std::string known;
      for (const RunData& r : e.runs) {
        if (r.spec.label == ref.run && !run) run = &r;
        known += (known.empty() ? "" : ", ") + r.spec.label;
      }
      if (!run) fail("no run '" + ref.run + "' in " + e.source_path + " (its runs: " + known + ")");
      const Trajectory& t = run->trajectory;
      if (t.batch > 0) fail("run '" + ref.run + "' is a sweep; plot a run from one start point");
      const auto dim = static_cast<std::size_t>(t.dim);
      auto first_coordinate = [&](const std::vector<double>& values, std::size_t per_row) {
        for (std::size_t i = 0; i + per_row <= values.size(); i += per_row)
          out.y.push_back(values[i]);
      };
      if (kind == "loss") {
        out.y = t.loss;
        steps_from(out.y.size(), 0);
        label = "loss";
      } else if (kind == "param") {
        first_coordinate(t.params, dim);
        steps_from(out.y.size(), 0);
        label = "θ";
      } else if (kind == "grad") {
        first_coordinate(t.grad, dim);
        steps_from(out.y.size(), 1);
        label = "gₜ";
      } else {
        const StateSeries* state = nullptr;
        std::string names;
        for (const StateSeries& s : t.state) {
          if (s.name == arg) state = &s;
          names += (names.empty() ? "" : ", ") + s.name;
        }
        if (!state) {
          fail("run '" + ref.run + "' recorded no state '" + arg +
               "' (it has: " + (names.empty() ? "none" : names) + ")");
        }
        std::size_t per_step = 1;
        for (int64_t extent : state->step_shape) per_step *= static_cast<std::size_t>(extent);
        first_coordinate(state->values, per_step);
        if (kind == "sqrt_state") {
          for (double& v : out.y) v = std::sqrt(v);
        }
        steps_from(out.y.size(), 1);
        label = kind == "sqrt_state" ? "√" + arg : arg;
      }
    } else {
      const EmaData* ema = nullptr;
      std::string known;
      for (const EmaData& candidate : e.emas) {
        if (candidate.spec.label == ref.ema && !ema) ema = &candidate;
        known += (known.empty() ? "" : ", ") + candidate.spec.label;
      }
      if (!ema) {
        fail("no EMA demo '" + ref.ema + "' in " + e.source_path +
             " (its emas: " + (known.empty() ? "none" : known) + ")");
      }
      if (kind == "signal") {
        out.y = ema->record.signal;
        label = "signal xₜ";
      } else {
        const std::size_t k = std::stoul(arg);
        if (k >= ema->record.ema.size()) {
          fail("ema:" + arg + ": EMA demo '" + ref.ema + "' has " +
               std::to_string(ema->record.ema.size()) +
               " betas (ema:0 .. ema:" + std::to_string(ema->record.ema.size() - 1) + ")");
        }
        out.y = ema->record.ema[k];
        label = "EMA, β = " + short_number(ema->record.betas[k]);
        std::string custom = ref.label;
        replace_all(custom, "{beta}", short_number(ema->record.betas[k]));
        if (!custom.empty()) label = custom;
      }
      steps_from(out.y.size(), 1);
    }
    out.label = ref.label.empty() || kind == "ema" ? label : ref.label;
    if (out.y.empty()) fail("series '" + ref.value + "' of '" + ref.run + ref.ema + "' is empty");
    return out;
  }

  void play_block(const LinePlotBlock& b) {
    std::vector<LineSeries> series;
    std::size_t next_palette = 0;
    for (const SeriesRef& ref : b.series) {
      series.push_back(resolve(ref, ref.color.empty() ? next_palette++ : 0));
    }
    std::vector<LegendEntry> entries;
    for (auto& line : series) {
      entries.push_back({line.label, line.color, line.stroke_px, false, false});
      line.label.clear();  // the legend names the lines
    }
    const Box2 box{b.box.left, b.box.bottom, b.box.right, b.box.top};
    LinePlotStyle style;
    style.axes.x_label = b.x_label;
    style.axes.y_label = b.y_label;
    style.axes.log_y = b.log_y;
    style.axes.frame = false;
    style.axes.tick_points = 18;
    style.axes.label_points = 20;
    const Domain domain = fit_domain(series, b.log_y, 0.05);
    auto plot = std::make_shared<LinePlot>(
        b.one_by_one ? std::vector<LineSeries>{series[0]} : series, box, style, domain);
    if (!b.heading.empty()) {
      s_.play({fade_in(text_at(b.heading, 24, kTextColor, {box.center().x, box.top + 0.35},
                               Anchor::kCenter, true))},
              0.6);
    }
    LegendStyle legend_style;
    legend_style.points = b.legend == PlotLegend::below ? 18 : 20;
    if (b.legend == PlotLegend::below) legend_style.layout = LegendLayout::kHorizontal;
    const Vec2 below{box.center().x, box.bottom - 0.95};
    Legend full(entries, legend_style, b.legend == PlotLegend::below ? below : to_vec(b.legend_at),
                b.legend == PlotLegend::below ? Anchor::kTop : Anchor::kTopLeft);
    // One legend entry at its place in the full legend, without a box of its own.
    LegendStyle bare = legend_style;
    bare.background = {0, 0, 0, 0};
    bare.border = {0, 0, 0, 0};
    auto entry = [&](std::size_t k) {
      return std::make_shared<Legend>(
          std::vector<LegendEntry>{entries[k]}, bare,
          Vec2{full.sample_start(k).x - bare.padding, full.sample_start(k).y}, Anchor::kLeft);
    };
    if (!b.one_by_one) {
      std::vector<Animation> show = {with_rate(create(plot), RateFn::linear)};
      if (b.legend != PlotLegend::none) {
        show.push_back(fade_in(std::make_shared<Legend>(
            entries, legend_style, b.legend == PlotLegend::below ? below : to_vec(b.legend_at),
            b.legend == PlotLegend::below ? Anchor::kTop : Anchor::kTopLeft)));
      }
      s_.play(show, b.run_time);
      return;
    }
    // One by one: the axes with the first series, then each further series with its entry.
    s_.play({create(plot)}, b.run_time);
    if (b.legend != PlotLegend::none) {
      s_.play({fade_in(std::make_shared<RoundedBox>(full.bounds(geo_), legend_style.background,
                                                    legend_style.border, 1.5, 0.1)),
               fade_in(entry(0))},
              0.6);
    }
    const Axes& axes = plot->axes();
    for (std::size_t k = 1; k < series.size(); ++k) {
      std::vector<Vec2> points;
      for (std::size_t i = 0; i < series[k].x.size(); ++i) {
        const double y = std::clamp(series[k].y[i], domain.y_min, domain.y_max);
        points.push_back(axes.data_to_scene(series[k].x[i], y));
      }
      std::vector<Animation> show = {with_rate(
          create(std::make_shared<Polyline>(points, series[k].color, series[k].stroke_px)),
          RateFn::linear)};
      if (b.legend != PlotLegend::none) show.push_back(fade_in(entry(k)));
      s_.play(show, b.run_time);
    }
  }

  void play_block(const MemoryDiagramBlock& b) {
    const ExperimentData& e = experiment(b.experiment);
    const std::size_t n = e.models.size();
    if (n < 1 || n > 4) {
      fail("experiment '" + b.experiment + "' (" + e.source_path + ") has " + std::to_string(n) +
           " models; the memory diagram draws 1 to 4");
    }
    const ModelData& first = e.models[0];
    const Rgba box_stroke{0.85, 0.85, 0.9, 1};
    const Box2 model_box{-2.6, 1.3, 2.6, 2.35};
    auto model_rect = std::make_shared<RoundedBox>(model_box, Rgba{0.16, 0.2, 0.28, 1}, box_stroke);
    auto model_label =
        text_at("Model parameters", kBodyPoints, kTextColor, {0, 2.02}, Anchor::kCenter, true);
    std::string layers;
    for (int64_t w : first.spec.layers) layers += (layers.empty() ? "" : "-") + std::to_string(w);
    auto model_size = text_at("MLP " + layers + ":  " + std::to_string(first.record.param_count) +
                                  " numbers, " + bytes_text(first.record.param_bytes),
                              18, kMutedColor, {0, 1.6}, Anchor::kCenter);
    s_.play({fade_in(model_rect), fade_in(model_label), fade_in(model_size)}, 1.0);

    const double slot = std::min(4.4, 13.2 / static_cast<double>(n));
    const double box_w = std::min(3.5, slot - 0.3), box_h = 0.7, buffer_h = 0.5, gap = 0.14;
    std::vector<Animation> arrows, boxes, totals;
    std::vector<std::vector<MobjectPtr>> buffers(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ModelData& m = e.models[i];
      const double x = (static_cast<double>(i) - static_cast<double>(n - 1) / 2) * slot;
      static const std::size_t kDefaultColors[] = {0, 1, 3, 2};
      const Rgba color =
          i < b.colors.size() ? parse_hex_color(b.colors[i]) : palette_color(kDefaultColors[i]);
      const double top = 0.5;
      arrows.push_back(grow(std::make_shared<Arrow>(Vec2{x * 0.45, model_box.bottom - 0.05},
                                                    Vec2{x, top + 0.08}, box_stroke, 3, 0.22)));
      boxes.push_back(fade_in(std::make_shared<RoundedBox>(
          Box2{x - box_w / 2, top - box_h, x + box_w / 2, top}, dark_shade(color, 0.3), color)));
      boxes.push_back(fade_in(text_at(m.spec.label, kBodyPoints, kTextColor, {x, top - box_h / 2},
                                      Anchor::kCenter, true, box_w - 0.2)));
      double y = top - box_h - 0.25;
      for (const std::string& state_name : m.record.state_names) {
        buffers[i].push_back(std::make_shared<Rectangle>(
            Box2{x - box_w / 2 + 0.2, y - buffer_h, x + box_w / 2 - 0.2, y},
            dark_shade(color, 0.22), color, 2));
        buffers[i].push_back(
            text_at(state_name, 18, kTextColor, {x, y - buffer_h / 2}, Anchor::kCenter));
        y -= buffer_h + gap;
      }
      const double ratio = static_cast<double>(m.record.param_bytes + m.record.state_bytes) /
                           static_cast<double>(std::max<int64_t>(1, m.record.param_bytes));
      totals.push_back(fade_in(text_at(short_number(ratio) + "x total", 26, kAccentColor,
                                       {x, -2.25}, Anchor::kCenter, true)));
      totals.push_back(fade_in(text_at(m.record.state_names.empty()
                                           ? "no extra state"
                                           : "+" + bytes_text(m.record.state_bytes) + " state",
                                       18, kMutedColor, {x, -2.7}, Anchor::kCenter)));
    }
    s_.play(arrows, 1.0);
    s_.play(boxes, 0.8);
    for (const auto& column : buffers) {
      if (column.empty()) continue;
      std::vector<Animation> show;
      for (const auto& item : column) show.push_back(fade_in(item, {0, 0.25}));
      s_.play(show, 0.8);
    }
    s_.play(totals, 1.0);
  }

  void play_block(const DiagramBlock& b) {
    std::vector<Animation> boxes, arrows;
    std::vector<Box2> placed;
    for (const DiagramBox& d : b.boxes) {
      const Rgba color = color_or(d.color, palette_color(placed.size()));
      const Box2 box{d.at.x - d.width / 2, d.at.y - d.height / 2, d.at.x + d.width / 2,
                     d.at.y + d.height / 2};
      placed.push_back(box);
      boxes.push_back(fade_in(std::make_shared<RoundedBox>(box, dark_shade(color, 0.3), color)));
      const double text_y = d.subtext.empty() ? d.at.y : d.at.y + 0.17;
      boxes.push_back(fade_in(text_at(d.text, kBodyPoints, kTextColor, {d.at.x, text_y},
                                      Anchor::kCenter, true, d.width - 0.2)));
      if (!d.subtext.empty()) {
        boxes.push_back(fade_in(text_at(d.subtext, 18, kMutedColor, {d.at.x, d.at.y - 0.22},
                                        Anchor::kCenter, false, d.width - 0.2)));
      }
    }
    auto index_of = [&b](const std::string& id) {
      std::size_t i = 0;
      while (b.boxes[i].id != id) ++i;
      return i;
    };
    // Where the ray from a box's centre towards `target` leaves the box, plus a small gap.
    auto edge = [](const Box2& box, Vec2 target) {
      const Vec2 c = box.center();
      const double dx = target.x - c.x, dy = target.y - c.y;
      const double tx = dx != 0 ? (box.width() / 2) / std::fabs(dx) : INFINITY;
      const double ty = dy != 0 ? (box.height() / 2) / std::fabs(dy) : INFINITY;
      const double t = std::min(tx, ty);
      const double length = std::hypot(dx, dy);
      const double gap = length > 0 ? 0.08 / length : 0;
      return Vec2{c.x + dx * (t + gap), c.y + dy * (t + gap)};
    };
    for (const DiagramArrow& a : b.arrows) {
      const Box2& from = placed[index_of(a.from)];
      const Box2& to = placed[index_of(a.to)];
      const Vec2 start = edge(from, to.center()), end = edge(to, from.center());
      arrows.push_back(
          grow(std::make_shared<Arrow>(start, end, Rgba{0.85, 0.85, 0.9, 1}, 3, 0.22)));
      if (!a.label.empty()) {
        const Vec2 mid{(start.x + end.x) / 2, (start.y + end.y) / 2};
        arrows.push_back(fade_in(
            boxed_label(a.label, 18, kMutedColor, mid + Vec2{0.12, 0}, Anchor::kLeft, geo_)));
      }
    }
    s_.play(boxes, b.run_time);
    if (!arrows.empty()) s_.play(arrows, b.run_time);
  }

  void play_block(const LegendBlock& b) {
    std::vector<LegendEntry> entries;
    for (const LegendItem& item : b.items) {
      entries.push_back({item.label, parse_hex_color(item.color), item.width, false, false});
    }
    LegendStyle style;
    style.title = b.title;
    s_.play({fade_in(std::make_shared<Legend>(entries, style, to_vec(b.at), to_anchor(b.anchor)))},
            b.run_time);
  }

  void play_block(const WaitBlock& b) { s_.wait(b.seconds); }
  void play_block(const ClearBlock& b) {
    s_.clear(b.run_time);
    stage_.reset();
  }

  void play_block(const ConvergenceMapsBlock& b) {
    const ExperimentData& e = experiment(b.experiment);
    for (const RunData& run : e.runs) {
      if (!is_point_run(run)) convergence_map(run);
    }
    stage_.reset();
  }

  void convergence_map(const RunData& run) {
    s_.section("convergence map: " + run.spec.label);
    s_.play({write(section_title("Convergence map: " + run.spec.label + lr_text(run.spec), geo_))},
            1.0);
    if (run.spec.start.grid_nx < 2 || run.spec.start.grid_ny < 2) {
      s_.play({fade_in(bottom_note("A start grid needs at least 2 x 2 points for a map.", geo_))},
              0.5);
      s_.wait(1.5);
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
    s_.play({fade_in(land.axes), fade_in(land.fill), fade_in(bar)}, 1.5);
    auto note = text_at(
        "Final loss from each start point (θ₁, θ₂): " + std::to_string(run.trajectory.batch) +
            " starts, " + std::to_string(run.trajectory.rows - 1) + " steps each. " +
            std::to_string(diverged) + " diverged (shown transparent).",
        kNotePoints, kAccentColor, Vec2{plot.right + 2.6, 1.6}, Anchor::kTopLeft, false,
        geo_.frame_width() / 2 - 0.5 - (plot.right + 2.6));
    s_.play({fade_in(note)}, 0.8);
    s_.wait(3.0);
  }

  const SceneScript& script_;
  const SceneData& data_;
  const FrameGeometry& geo_;
  SceneBuilder s_;
  std::optional<Stage> stage_;         // the current section's landscape, if any
  const SceneBlock* block_ = nullptr;  // the block being played (for messages)
};

}  // namespace

Timeline play_scene(const SceneScript& script, const SceneData& data, const FrameGeometry& geo) {
  return Player(script, data, geo).play();
}

}  // namespace trajtool
