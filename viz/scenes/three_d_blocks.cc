// 3D sections: the camera and its moves, a loss surface with its marks, 3D axes, the runs traced
// on the surface, and a run's three series as a path. Everything 3D is one World3D mobject; the
// legend, counter and formula are 2D mobjects, fixed on screen.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "viz/axes.h"
#include "viz/colorbar.h"
#include "viz/legend.h"
#include "viz/scenes/path_3d_data.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/stage_3d.h"
#include "viz/three_d/axes_3d.h"
#include "viz/three_d/surface_3d.h"

namespace trajtool {
namespace {

RateFn rate_named(const std::string& name) {
  if (name == "linear") return RateFn::linear;
  if (name == "ease_in_out") return RateFn::ease_in_out;
  if (name == "there_and_back") return RateFn::there_and_back;
  if (name == "rush_into") return RateFn::rush_into;
  if (name == "rush_from") return RateFn::rush_from;
  return RateFn::smooth;
}

template <class Body>
Element<Body>& add_element(std::vector<Element<Body>>& list, Body body, double t0, double t1) {
  Element<Body> e;
  e.body = std::move(body);
  animate_track(e.opacity, t0, t1, 1.0);
  list.push_back(std::move(e));
  return list.back();
}

// A label flat on screen at a world point.
Label3D mark_label(Vec3 at, const std::string& text, Rgba color) {
  TextStyle style;
  style.points = kNotePoints;
  style.color = color;
  Label3D l;
  l.at = at;
  l.text = std::make_shared<Text>(text, style, Vec2{0, 0}, Anchor::kBottom);
  l.outward = {0, 0, 1};
  l.gap = 0.16;
  return l;
}

// How far above the surface paths and marks float, world units.
double lift_of(const Space3D& space) { return 0.012 * space.z_length + 0.02; }

std::vector<const RunData*> chosen_runs(SceneContext& c, const Trajectories3DBlock& b,
                                        const Stage3D& st) {
  std::vector<const RunData*> runs;
  auto usable = [&st](const RunData& run) { return is_point_run(run) && run.grid == st.grid; };
  if (b.runs.empty()) {
    for (const RunData& run : st.experiment->runs) {
      if (usable(run)) runs.push_back(&run);
    }
    return runs;
  }
  for (const std::string& label : b.runs) {
    const RunData* found = nullptr;
    std::string known;
    for (const RunData& run : st.experiment->runs) {
      if (run.spec.label == label && usable(run)) found = &run;
      known += (known.empty() ? "" : ", ") + run.spec.label;
    }
    if (!found) {
      c.fail("no run '" + label + "' from a start point on the surface's objective in " +
             st.experiment->source_path + " (its runs: " + known + ")");
    }
    runs.push_back(found);
  }
  return runs;
}

// A value as the readout shows it: 4 significant digits.
std::string readout_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  std::string text = buffer;
  if (!text.empty() && text[0] == '-') text = "−" + text.substr(1);
  return text;
}

// The path's head, as text fixed on screen: "step k" and the three values there. Its reveal r
// stands for step first + r * (last - first), as the path's own reveal runs linearly with it.
class PathReadout : public Mobject {
 public:
  PathReadout(Path3DData data, std::vector<std::string> names, Vec2 top_left, double points)
      : data_(std::move(data)), names_(std::move(names)), top_left_(top_left), points_(points) {}

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override {
    if (state.opacity <= 0 || data_.step.empty()) return;
    const double r = std::clamp(state.reveal, 0.0, 1.0);
    const double shown = data_.step.front() + r * (data_.step.back() - data_.step.front());
    // The last joined row at or before the head.
    std::size_t row = 0;
    while (row + 1 < data_.step.size() && data_.step[row + 1] <= shown + 1e-9) ++row;
    double y = top_left_.y;
    for (int i = 0; i < 4; ++i) {
      const std::string line = i == 0 ? "step " + readout_number(data_.step[row])
                                      : names_[static_cast<std::size_t>(i - 1)] + " = " +
                                            readout_number(i == 1   ? data_.x[row]
                                                           : i == 2 ? data_.y[row]
                                                                    : data_.z[row]);
      TextStyle style;
      style.points = points_;
      style.color = i == 0 ? kAccentColor : kTextColor;
      Text text(line, style, {top_left_.x, y}, Anchor::kTopLeft);
      DrawState s = state;
      s.reveal = 1;
      text.draw(cr, geo, s);
      y -= line_height(geo);
    }
  }
  Box2 bounds(const FrameGeometry& geo) const override {
    return {top_left_.x, top_left_.y - 4 * line_height(geo), top_left_.x + 3.8, top_left_.y};
  }

 private:
  double line_height(const FrameGeometry& geo) const {
    TextStyle style;
    style.points = points_;
    return Text("step 0 = ₁", style, top_left_, Anchor::kTopLeft).bounds(geo).height() + 0.08;
  }
  Path3DData data_;
  std::vector<std::string> names_;
  Vec2 top_left_;
  double points_;
};

}  // namespace

Stage3D& require_stage_3d(SceneContext& c, const char* block) {
  if (!c.stage3d) c.fail(std::string(block) + " needs a `camera` block before it in its section");
  return *c.stage3d;
}

double advance_world(SceneContext& c, Stage3D& st, double seconds,
                     std::vector<Animation> animations) {
  const double start = st.clock;
  double span = seconds;
  for (const PendingMove& move : st.pending) {
    move.apply(*st.world, start);
    span = std::max(span, move.run_time);
  }
  st.pending.clear();
  for (Animation& a : animations) {
    if (a.run_time < 0) a.run_time = seconds;
  }
  if (span > 0) {
    animations.push_back(
        with_run_time(with_rate(reveal_to(st.world, start + span), RateFn::linear), span));
  }
  if (!animations.empty()) c.builder.play(animations, span);
  st.clock = start + span;
  return start;
}

void play_block(SceneContext& c, const CameraBlock& b) {
  if (c.stage3d) c.fail("the section has a camera already (move it with move_camera)");
  CameraLens lens;
  lens.perspective = b.perspective;
  lens.screen_center = to_vec(b.center);
  auto st = std::make_shared<Stage3D>();
  st->world = std::make_shared<World3D>(CameraPose{b.phi, b.theta, b.zoom}, lens, b.supersample);
  c.builder.add(st->world);
  c.stage3d = st;
}

void play_block(SceneContext& c, const SurfaceBlock& b) {
  Stage3D& st = require_stage_3d(c, "surface");
  if (st.space) c.fail("the section has a surface or path_3d already (one space per section)");
  const ExperimentData& e = c.experiment(b.experiment);
  const RunData* first = landscape_run(e);  // the same run a landscape would draw
  if (!first) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no 2D run from a start point to draw a surface for");
  }
  st.experiment = &e;
  st.grid = first->grid;
  st.info = objective_info(first->spec.objective);
  const LossGrid& grid = *first->grid;
  const Space3D space = fitted_space_for_grid(grid, b.log_z, b.size, b.height);
  st.space = space;
  st.x_label = "θ₁";
  st.y_label = "θ₂";
  st.z_label = b.log_z ? "loss (log)" : "loss";
  SurfaceLook look;
  look.colormap = parse_colormap_name(b.colormap);
  look.bands = b.bands;
  look.log_z = b.log_z;
  look.resolution = b.resolution;
  look.opacity = b.opacity;
  look.wireframe = b.wireframe;
  World3D& w = *st.world;
  const double t0 = st.clock, t1 = st.clock + b.run_time;
  const SurfaceMesh3D& mesh = add_element(w.surfaces, surface_mesh(grid, space, look), t0, t1).body;
  st.surface = static_cast<int>(w.surfaces.size()) - 1;
  std::vector<Animation> column;
  if (b.formula) {
    auto formula = wrapped_formula(st.info.formula, {st.column_left, st.column_y},
                                   st.column_right - st.column_left, 38, kTextColor, c.geo);
    st.column_y = formula->bounds(c.geo).bottom - 0.35;
    column.push_back(fade_in(formula));
  }
  advance_world(c, st, b.run_time, column);
  if (!b.marks) return;
  // Start points and global minima, on the surface (marks fade in after it).
  const double lift = lift_of(space);
  auto on_surface = [&](double x, double y) {
    const double value = shown_value(space, grid_value(grid, x, y));
    const Vec3 p = space.to_world(x, y, value);
    return Vec3{p.x, p.y, std::max(p.z, mesh_height(mesh, space, x, y)) + lift};
  };
  auto inside = [&grid](double x, double y) {
    return x >= grid.x_min && x <= grid.x_max && y >= grid.y_min && y <= grid.y_max;
  };
  const double m0 = st.clock, m1 = st.clock + 0.8;
  std::vector<std::pair<double, double>> starts;
  for (const RunData& run : e.runs) {
    if (!is_point_run(run) || run.grid != first->grid) continue;
    const std::pair<double, double> p{run.trajectory.params[0], run.trajectory.params[1]};
    if (std::find(starts.begin(), starts.end(), p) != starts.end() || !inside(p.first, p.second))
      continue;
    starts.push_back(p);
    const Vec3 at = on_surface(p.first, p.second);
    Dot3D dot;
    dot.at = at;
    dot.radius = 0.09;
    dot.fill = kTextColor;
    add_element(w.dots, dot, m0, m1);
    add_element(w.labels, mark_label(at, "start", kTextColor), m0, m1);
  }
  for (const KnownMinimum& m : st.info.minima) {
    if (!m.global || !inside(m.x, m.y)) continue;
    const Vec3 at = on_surface(m.x, m.y);
    Dot3D dot;
    dot.at = at;
    dot.radius = 0.1;
    dot.fill = kAccentColor;
    add_element(w.dots, dot, m0, m1);
    add_element(w.labels, mark_label(at, point_text(m.x, m.y), kAccentColor), m0, m1);
  }
  advance_world(c, st, 0.8);
}

void play_block(SceneContext& c, const Axes3DBlock& b) {
  Stage3D& st = require_stage_3d(c, "axes_3d");
  if (!st.space) c.fail("axes_3d needs a surface or path_3d before it (they set the space)");
  Axes3DStyle style;
  style.x_label = b.x_label.empty() ? st.x_label : b.x_label;
  style.y_label = b.y_label.empty() ? st.y_label : b.y_label;
  style.z_label = b.z_label.empty() ? st.z_label : b.z_label;
  World3D& w = *st.world;
  const double t0 = st.clock, t1 = st.clock + b.run_time;
  add_element(w.rigs, axes_rig(*st.space, style), t0, t1);
  advance_world(c, st, b.run_time);
}

void play_block(SceneContext& c, const Trajectories3DBlock& b) {
  Stage3D& st = require_stage_3d(c, "trajectories_3d");
  if (st.surface < 0) c.fail("trajectories_3d needs a surface before it");
  const std::vector<const RunData*> runs = chosen_runs(c, b, st);
  if (runs.empty()) c.fail("the surface's experiment has no run from a start point to trace");
  if (!b.colors.empty() && b.colors.size() != runs.size()) {
    c.fail("colors: " + std::to_string(b.colors.size()) + " given for " +
           std::to_string(runs.size()) + " runs (one per run drawn, in order)");
  }
  World3D& w = *st.world;
  const SurfaceMesh3D& mesh = w.surfaces[static_cast<std::size_t>(st.surface)].body;
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
      const std::string lr = lr_text(run.spec);
      if (label.find("lr") == std::string::npos && !lr.empty()) label += " (" + lr.substr(2) + ")";
      if (diverged) label += " ✕";
    }
    const Rgba color =
        i < b.colors.size() ? parse_hex_color(b.colors[i]) : run_color(run.spec.color, i);
    entries.push_back({label, color, 4, false, true});
    max_steps = std::max(max_steps, run.spec.steps);
  }
  std::string title = b.legend_title;
  replace_all(title, "{steps}", std::to_string(max_steps));
  title = c.fill(title, "");
  LegendStyle legend_style;
  legend_style.title = title;
  legend_style.points = 18;
  const std::shared_ptr<Legend> legend =
      legend_fitting(entries, legend_style, Vec2{st.column_left, st.column_y}, Anchor::kTopLeft,
                     st.column_right, c.geo);
  st.column_y = legend->bounds(c.geo).bottom - 0.3;
  c.builder.play({fade_in(legend)}, 0.8);

  const double lift = lift_of(*st.space);
  std::vector<std::size_t> paths;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Element<Path3D> e;
    e.body = path_on_surface(runs[i]->trajectory.params, runs[i]->trajectory.loss, mesh, *st.space,
                             entries[i].color, lift);
    e.opacity.initial = 1;
    w.paths.push_back(std::move(e));
    paths.push_back(w.paths.size() - 1);
  }
  if (b.mode == TrajectoryMode::all_at_once) {
    const double run_time =
        b.run_time > 0 ? b.run_time : std::clamp(static_cast<double>(max_steps) / 40.0, 4.0, 10.0);
    std::vector<Animation> race;
    if (b.counter) {
      auto counter = std::make_shared<StepCounter>(max_steps, Vec2{st.column_left, st.column_y},
                                                   Anchor::kTopLeft, kNotePoints);
      st.column_y = counter->bounds(c.geo).bottom - 0.3;
      race.push_back(with_run_time(with_rate(create(counter), RateFn::linear), run_time));
    }
    const double t0 = st.clock;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      // By step, in step with the counter: a run with fewer steps finishes early.
      const double steps = static_cast<double>(runs[i]->trajectory.rows - 1);
      animate_track(w.paths[paths[i]].reveal, t0,
                    t0 + run_time * steps / static_cast<double>(max_steps), steps, RateFn::linear);
    }
    advance_world(c, st, run_time, race);
    return;
  }
  const double run_time = b.run_time > 0 ? b.run_time : 3.0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const double t0 = st.clock;
    const double steps = static_cast<double>(runs[i]->trajectory.rows - 1);
    // Hidden (head dot too) until its turn.
    if (i > 0) w.paths[paths[i]].opacity.initial = 0;
    animate_track(w.paths[paths[i]].opacity, t0, t0, 1.0);
    animate_track(w.paths[paths[i]].reveal, t0, t0 + run_time, steps, RateFn::linear);
    for (std::size_t k = 0; k < i; ++k) {
      animate_track(w.paths[paths[k]].opacity, t0, t0 + 0.6, b.fade_earlier_to);
    }
    advance_world(c, st, run_time);
  }
  if (runs.size() > 1) {
    for (std::size_t k = 0; k < runs.size(); ++k) {
      animate_track(w.paths[paths[k]].opacity, st.clock, st.clock + 0.6, 1.0);
    }
    advance_world(c, st, 0.6);
  }
}

void play_block(SceneContext& c, const Path3DBlock& b) {
  Stage3D& st = require_stage_3d(c, "path_3d");
  if (st.space) c.fail("the section has a surface or path_3d already (one space per section)");
  const Path3DData joined = path_3d_data(c, b);
  const std::size_t rows = joined.step.size();
  Space3D space;
  auto range = [&](const std::vector<double>& values, double& lo, double& hi, bool log) {
    lo = *std::min_element(values.begin(), values.end());
    hi = *std::max_element(values.begin(), values.end());
    if (hi == lo) hi = log ? lo * 10 : lo + 1;
  };
  range(joined.x, space.x_min, space.x_max, false);
  range(joined.y, space.y_min, space.y_max, false);
  range(joined.z, space.z_min, space.z_max, b.log_z);
  space.log_z = b.log_z;
  space.x_length = space.y_length = b.size;
  space.z_length = b.height;
  st.space = space;
  st.x_label = joined.x_name;
  st.y_label = joined.y_name;
  st.z_label = joined.z_name + (b.log_z ? " (log)" : "");
  const Rgba color = joined.color;
  Colormap progress;
  if (!b.progress.empty()) progress.name = parse_colormap_name(b.progress);
  const double first = joined.step.front(), last = joined.step.back();
  auto progress_color = [&](double step) {
    return b.progress.empty() ? color : progress.sample((step - first) / (last - first));
  };
  Element<Path3D> element;
  for (std::size_t k = 0; k < rows; ++k) {
    element.body.points.push_back(space.to_world(joined.x[k], joined.y[k], joined.z[k]));
    element.body.step.push_back(joined.step[k]);
    element.body.colors.push_back(progress_color(joined.step[k]));
  }
  element.opacity.initial = 1;
  element.reveal.initial = first;
  animate_track(element.reveal, st.clock, st.clock + b.run_time, last, RateFn::linear);
  World3D& w = *st.world;
  w.paths.push_back(std::move(element));

  // Markers: a dot with "step k" where the path reaches each chosen step (the nearest logged one).
  std::vector<double> marks = b.markers;
  if (b.marker_count > 0) {  // the first step and round steps after it
    marks.push_back(first);
    for (double m : nice_ticks(first, last, b.marker_count - 1)) {
      if (m > first && m <= last) marks.push_back(m);
    }
  }
  const std::size_t first_marker = w.dots.size();
  for (double m : marks) {
    if (m < first || m > last) {
      c.fail("markers: step " + readout_number(m) + " is outside the path's steps " +
             readout_number(first) + " .. " + readout_number(last));
    }
    std::size_t k = 0;
    for (std::size_t i = 1; i < rows; ++i) {
      if (std::fabs(joined.step[i] - m) < std::fabs(joined.step[k] - m)) k = i;
    }
    // One that would stand on an earlier one (a converged run's late steps) is left out.
    const Vec3 point = space.to_world(joined.x[k], joined.y[k], joined.z[k]);
    if (std::any_of(w.dots.begin() + static_cast<std::ptrdiff_t>(first_marker), w.dots.end(),
                    [&point](const Element<Dot3D>& d) {
                      const Vec3 gap = d.body.at - point;
                      return dot(gap, gap) < 0.35 * 0.35;
                    })) {
      continue;
    }
    // It appears as the head reaches it (fully there when the head is; the last one too).
    const double at =
        std::max(st.clock, st.clock + b.run_time * (joined.step[k] - first) / (last - first) - 0.3);
    Dot3D dot;
    dot.at = space.to_world(joined.x[k], joined.y[k], joined.z[k]);
    dot.radius = 0.065;
    dot.fill = progress_color(joined.step[k]);
    dot.ring = kTextColor;
    add_element(w.dots, dot, at, at + 0.3);
    Label3D label = mark_label(dot.at, "step " + readout_number(joined.step[k]), kTextColor);
    label.outward = {0, 0, 0};
    label.gap = 0.14;
    label.occludable = false;
    add_element(w.labels, label, at, at + 0.3);
  }

  if (b.axes) {
    Axes3DStyle style;
    style.x_label = st.x_label;
    style.y_label = st.y_label;
    style.z_label = st.z_label;
    add_element(w.rigs, axes_rig(space, style), st.clock, st.clock + 0.6);
  }
  // The column: the colour bar of progress, then the live readout.
  std::vector<Animation> column;
  if (!b.progress.empty()) {
    ContourLevels levels;
    levels.low = first;
    levels.high = last;
    levels.values = nice_ticks(first, last, 4);
    ColorbarStyle bar;
    bar.colormap = progress;
    bar.title = "step: early (bottom) to late (top)";
    bar.tick_points = 18;
    bar.title_points = 18;
    const double top = st.column_y - 0.45;
    auto colorbar = std::make_shared<Colorbar>(
        levels, Box2{st.column_left + 0.05, top - 1.8, st.column_left + 0.35, top}, bar);
    st.column_y = colorbar->bounds(c.geo).bottom - 0.35;
    column.push_back(with_run_time(fade_in(colorbar), 0.6));
  }
  if (b.readout) {
    auto readout = std::make_shared<PathReadout>(
        joined, std::vector<std::string>{joined.x_name, joined.y_name, joined.z_name},
        Vec2{st.column_left, st.column_y}, 20);
    st.column_y = readout->bounds(c.geo).bottom - 0.3;
    column.push_back(with_run_time(with_rate(create(readout), RateFn::linear), b.run_time));
  }
  advance_world(c, st, b.run_time, column);
}

void play_block(SceneContext& c, const RotateBlock& b) {
  Stage3D& st = require_stage_3d(c, "rotate");
  const double degrees = b.degrees;
  const RateFn rate = rate_named(b.rate);
  const double run_time = b.run_time;
  PendingMove move{run_time, [degrees, rate, run_time](World3D& w, double start) {
                     animate_track(w.theta, start, start + run_time,
                                   w.theta.value_at(start) + degrees, rate);
                   }};
  st.pending.push_back(move);
  if (!b.with_next) advance_world(c, st, 0);
}

void play_block(SceneContext& c, const MoveCameraBlock& b) {
  Stage3D& st = require_stage_3d(c, "move_camera");
  const RateFn rate = rate_named(b.rate);
  const double run_time = b.run_time;
  const double phi = b.phi, theta = b.theta, zoom = b.zoom;
  PendingMove move{run_time, [=](World3D& w, double start) {
                     if (phi >= 0) animate_track(w.phi, start, start + run_time, phi, rate);
                     if (theta < 1e8) animate_track(w.theta, start, start + run_time, theta, rate);
                     if (zoom > 0) animate_track(w.zoom, start, start + run_time, zoom, rate);
                   }};
  st.pending.push_back(move);
  if (!b.with_next) advance_world(c, st, 0);
}

void play_block(SceneContext& c, const Text3DBlock& b) {
  Stage3D& st = require_stage_3d(c, "text_3d");
  if (!st.space)
    c.fail("text_3d needs a surface or path_3d before it (its point is in their space)");
  const Space3D& space = *st.space;
  if (space.log_z && !(b.z > 0)) c.fail("at: z must be > 0 on the space's log z axis");
  const Vec3 at = space.to_world(b.x, b.y, b.z);
  const Rgba color = color_or(b.color, kTextColor);
  World3D& w = *st.world;
  const double t0 = st.clock, t1 = st.clock + b.run_time;
  if (b.dot) {
    Dot3D dot;
    dot.at = at;
    dot.fill = color;
    add_element(w.dots, dot, t0, t1);
  }
  TextStyle style;
  style.points = b.points;
  style.color = color;
  Label3D l;
  l.at = at;
  l.text = std::make_shared<Text>(c.fill(b.text, ""), style, Vec2{0, 0}, to_anchor(b.anchor));
  l.outward = {0, 0, 0};  // the gap is on screen, whatever the camera does
  l.gap = b.gap;
  // Away from the point towards the text: a text anchored at its bottom sits above the point.
  const Box2 box = l.text->bounds(c.geo);
  const Vec2 towards_text{(box.left + box.right) / 2, (box.bottom + box.top) / 2};
  const double n = std::hypot(towards_text.x, towards_text.y);
  l.screen_dir = n > 1e-9 ? towards_text * (1 / n) : Vec2{0, 0};
  l.occludable = b.occlude;
  add_element(w.labels, std::move(l), t0, t1);
  advance_world(c, st, b.run_time);
}

}  // namespace trajtool
