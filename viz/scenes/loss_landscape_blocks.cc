// Loss-landscape blocks (toolkit/config/landscape_scene_blocks.h): a trained model's 2D slice as
// filled contours with the runs' projected paths and the 1D interpolation beside it, and the same
// slice as a 3D surface. They read the experiment's landscape and interpolation entries only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "viz/colorbar.h"
#include "viz/colormap.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/stage_3d.h"
#include "viz/shapes.h"
#include "viz/three_d/surface_3d.h"

namespace trajtool {
namespace {

// The landscape plot's area: smaller than kLandscapeBox so that the note fits under it.
constexpr Box2 kSliceBox{-5.4, -2.05, 0.1, 2.4};

const LandscapeRecord& landscape_of(SceneContext& c, const std::string& name) {
  const ExperimentData& e = c.experiment(name);
  if (!e.landscape) {
    c.fail("experiment '" + name + "' (" + e.source_path +
           ") has no `landscape:` (add one to the model experiment and generate it)");
  }
  return *e.landscape;
}

// The projected runs to draw, with their colours (the run's own unless `colors` is given).
struct DrawnRun {
  const ProjectedRun* run = nullptr;
  Rgba color;
};

// The legend of both landscape scenes: each run's true loss at its last checkpoint, then the
// plane's loss at that checkpoint's projection ("SGD  0.0782 · 0.117"); the title says which is
// which, so the entries stay short enough for the column at the legend's full size.
std::vector<LegendEntry> end_loss_entries(const std::vector<DrawnRun>& runs) {
  std::vector<LegendEntry> entries;
  for (const DrawnRun& d : runs) {
    entries.push_back({d.run->label + "  " + short_number(d.run->checkpoint_loss.back()) + " · " +
                           short_number(d.run->projected_loss.back()),
                       d.color, 4, false, true});
  }
  return entries;
}

LegendStyle end_loss_legend_style() {
  LegendStyle style;
  style.title = "end loss · on the plane";
  style.points = 18;
  return style;
}

std::vector<DrawnRun> drawn_runs(SceneContext& c, const ExperimentData& e, const LandscapeRecord& r,
                                 const std::vector<std::string>& labels,
                                 const std::vector<std::string>& colors) {
  std::vector<const ProjectedRun*> chosen;
  if (labels.empty()) {
    for (const ProjectedRun& p : r.projected) chosen.push_back(&p);
  } else {
    for (const std::string& label : labels) {
      const ProjectedRun* found = nullptr;
      std::string known;
      for (const ProjectedRun& p : r.projected) {
        if (p.label == label) found = &p;
        known += (known.empty() ? "" : ", ") + p.label;
      }
      if (!found)
        c.fail("no projected run '" + label + "' in the landscape (its runs: " + known + ")");
      chosen.push_back(found);
    }
  }
  if (!colors.empty() && colors.size() != chosen.size()) {
    c.fail("colors: " + std::to_string(colors.size()) + " given for " +
           std::to_string(chosen.size()) + " runs (one per run drawn, in order)");
  }
  std::vector<DrawnRun> out;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    std::string configured;
    std::size_t index = i;
    for (std::size_t k = 0; k < e.trainings.size(); ++k) {
      if (e.trainings[k].spec.label == chosen[i]->label) {
        configured = e.trainings[k].spec.color;
        index = k;
      }
    }
    out.push_back(
        {chosen[i], i < colors.size() ? parse_hex_color(colors[i]) : run_color(configured, index)});
  }
  return out;
}

// "PC1, 91%" or "d₁ (random)"; `stacked` puts the two parts on two lines (a y axis's label
// stands beside the axis).
std::string axis_name(const LandscapeRecord& r, int axis, bool stacked = false) {
  const std::string gap = stacked ? "\n" : ", ";
  if (r.directions == "pca" && r.explained_variance.size() == 2) {
    char share[32];
    const double percent = 100 * r.explained_variance[static_cast<std::size_t>(axis)];
    std::snprintf(share, sizeof share, percent < 10 ? "%.1f%%" : "%.0f%%", percent);
    return "PC" + std::to_string(axis + 1) + gap + share;
  }
  return std::string(axis == 0 ? "d₁" : "d₂") + (stacked ? "\n" : " ") + "(random)";
}

std::vector<Vec2> path_points(const ProjectedRun& p) {
  std::vector<Vec2> points;
  for (std::size_t k = 0; k < p.step.size(); ++k) {
    const double x = p.xy[2 * k], y = p.xy[2 * k + 1];
    if (std::isfinite(x) && std::isfinite(y)) points.push_back({x, y});
  }
  return points;
}

// The largest share of a checkpoint's distance from the center that lies off the plane.
double largest_residual(const std::vector<DrawnRun>& runs) {
  double worst = 0;
  for (const DrawnRun& d : runs) {
    for (double v : d.run->residual) {
      if (std::isfinite(v)) worst = std::max(worst, v);
    }
  }
  return worst;
}

// What the slice is: which weights, which data, what the paths are.
std::string slice_note(const LandscapeRecord& r, const std::vector<DrawnRun>& runs) {
  std::string what = r.center_run + "'s " + (r.center_at == "final" ? "final" : "initial") +
                     " weights + x·" + (r.directions == "pca" ? "PC1" : "d₁") + " + y·" +
                     (r.directions == "pca" ? "PC2" : "d₂");
  if (r.directions == "pca") {
    what += " (PCA of the runs' checkpoints)";
  } else {
    what += " (filter-normalized Gaussian directions)";
  }
  bool biases_fixed = true;
  for (std::size_t i = 0; i < r.center.size(); ++i) {
    if (r.center[i].shape.size() > 1) continue;
    for (double v : r.direction_x[i].values) biases_fixed = biases_fixed && v == 0;
  }
  std::string note = "Slice: " + what + (biases_fixed ? ", biases fixed" : "") +
                     ". Loss: mean over the " + std::to_string(r.samples) + " " +
                     (r.data == "test" ? "test" : "training") + " samples.";
  if (!runs.empty()) {
    char text[160];
    std::snprintf(text, sizeof text,
                  " Paths: checkpoints projected by least squares, up to %.0f%% of their distance "
                  "off the plane.",
                  100 * largest_residual(runs));
    note += text;
  }
  return note;
}

// The interpolation's loss against alpha, with init and final marked, in `box`.
std::vector<Animation> interpolation_plot(SceneContext& c, const InterpolationRecord& ip, Box2 box,
                                          std::vector<MobjectPtr>& marks) {
  LineSeries series;
  series.x = ip.alpha;
  series.y = ip.loss;
  series.color = kAccentColor;
  series.stroke_px = 3;
  LinePlotStyle style;
  style.axes.x_label = "α";
  style.axes.y_label = "loss";
  style.axes.tick_points = 16;
  style.axes.label_points = 18;
  style.axes.frame = false;
  style.axes.x_ticks = 4;
  style.axes.y_ticks = 4;
  double top = 0;
  for (double v : ip.loss) {
    if (std::isfinite(v)) top = std::max(top, v);
  }
  Domain domain{ip.alpha.front(), ip.alpha.back(), 0, top * 1.08};
  auto plot = std::make_shared<LinePlot>(std::vector<LineSeries>{series}, box, style, domain);
  const std::string heading = "1D: (1−α)·" + ip.from + " + α·" + ip.to + " of " + ip.run;
  auto title = text_at(heading, 18, kTextColor, {box.left - 0.7, box.top + 0.55}, Anchor::kTopLeft,
                       false, box.right - box.left + 0.7);
  std::vector<Animation> shown = {fade_in(title), with_rate(create(plot), RateFn::linear)};
  // The two ends: alpha = 0 and alpha = 1, on the curve.
  for (double end : {0.0, 1.0}) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < ip.alpha.size(); ++i) {
      if (std::fabs(ip.alpha[i] - end) < std::fabs(ip.alpha[best] - end)) best = i;
    }
    if (!std::isfinite(ip.loss[best])) continue;
    const Vec2 at = plot->axes().data_to_scene(ip.alpha[best], ip.loss[best]);
    marks.push_back(std::make_shared<Dot>(at, 0.07, kTextColor, Rgba{0, 0, 0, 1}, 1.5));
    const std::string name = end == 0 ? ip.from : ip.to;
    marks.push_back(boxed_label(name + " " + short_number(ip.loss[best]), 16, kTextColor,
                                {at.x, at.y + 0.16}, Anchor::kBottom, c.geo));
  }
  return shown;
}

}  // namespace

void play_block(SceneContext& c, const LossLandscapeBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  const LandscapeRecord& r = landscape_of(c, b.experiment);
  const std::vector<DrawnRun> runs = drawn_runs(c, e, r, b.runs, b.colors);
  auto grid = std::make_shared<LossGrid>(r.loss);
  LandscapeLook look;
  look.colormap = parse_colormap_name(b.colormap);
  Landscape land =
      make_landscape(grid, kSliceBox, b.log_levels ? LevelSpacing::kLog : LevelSpacing::kLinear,
                     axis_name(r, 0), axis_name(r, 1, true), look);
  const Box2 plot = land.axes->plot_box();
  ColorbarStyle bar_style;
  bar_style.title = "loss";
  bar_style.colormap.name = look.colormap;
  bar_style.tick_points = 16;
  auto bar = std::make_shared<Colorbar>(
      land.levels, Box2{plot.right + 0.25, plot.bottom, plot.right + 0.5, plot.top - 0.5},
      bar_style);
  c.builder.play({fade_in(land.axes), fade_in(land.fill), fade_in(bar)}, 1.2);
  if (land.lines) c.builder.play({create(land.lines)}, 1.2);

  const double column_left = plot.right + 1.85, column_right = c.geo.frame_width() / 2 - 0.5;
  // Legend: each run's true loss at its last checkpoint beside the plane's at its projection.
  const std::vector<LegendEntry> entries = end_loss_entries(runs);
  std::shared_ptr<Legend> legend;
  double column_y = 2.45;
  if (!entries.empty()) {
    legend = legend_fitting(entries, end_loss_legend_style(), Vec2{column_left, column_y},
                            Anchor::kTopLeft, column_right, c.geo);
    column_y = legend->bounds(c.geo).bottom - 0.3;
    c.builder.play({fade_in(legend)}, 0.6);
  }

  // Start marks (each distinct start once), then the paths all at once, then the end marks.
  const Axes& axes = *land.axes;
  std::vector<Animation> marks;
  std::vector<Vec2> starts;
  for (const DrawnRun& d : runs) {
    const std::vector<Vec2> points = path_points(*d.run);
    if (points.empty()) continue;
    const Vec2 p = points.front();
    bool seen = false;
    for (const Vec2& s : starts)
      seen = seen || (std::fabs(s.x - p.x) < 1e-9 && std::fabs(s.y - p.y) < 1e-9);
    if (seen) continue;
    starts.push_back(p);
    const Vec2 at = axes.data_to_scene(p.x, p.y);
    marks.push_back(fade_in(std::make_shared<Dot>(at, 0.07, kTextColor, Rgba{0, 0, 0, 1}, 1.5)));
    // The label goes opposite to where the paths leave this start (their mean first step on
    // screen), so that it covers none of them; inside the plot box.
    Vec2 away{0, 0};
    for (const DrawnRun& other : runs) {
      const std::vector<Vec2> q = path_points(*other.run);
      if (q.size() < 2 || std::fabs(q[0].x - p.x) > 1e-9 || std::fabs(q[0].y - p.y) > 1e-9)
        continue;
      const Vec2 next = axes.data_to_scene(q[q.size() / 4 + 1].x, q[q.size() / 4 + 1].y);
      away = {away.x - (next.x - at.x), away.y - (next.y - at.y)};
    }
    const double length = std::hypot(away.x, away.y);
    away = length > 1e-9 ? Vec2{away.x / length, away.y / length} : Vec2{0, 1};
    const Anchor anchor = std::fabs(away.x) > std::fabs(away.y)
                              ? (away.x > 0 ? Anchor::kLeft : Anchor::kRight)
                              : (away.y > 0 ? Anchor::kBottom : Anchor::kTop);
    Vec2 spot{at.x + 0.2 * away.x, at.y + 0.2 * away.y};
    auto label = boxed_label("init", kNotePoints, kTextColor, spot, anchor, c.geo);
    const Box2 box = label->bounds(c.geo);
    Vec2 shift{0, 0};
    if (box.left < plot.left) shift.x = plot.left - box.left;
    if (box.right > plot.right) shift.x = plot.right - box.right;
    if (box.bottom < plot.bottom) shift.y = plot.bottom - box.bottom;
    if (box.top > plot.top) shift.y = plot.top - box.top;
    if (shift.x != 0 || shift.y != 0) {
      label = boxed_label("init", kNotePoints, kTextColor, {spot.x + shift.x, spot.y + shift.y},
                          anchor, c.geo);
    }
    marks.push_back(fade_in(label));
  }
  for (const Animation& m : marks) c.builder.add(m.target, kMarksZ);
  if (!marks.empty()) c.builder.play(marks, 0.6);
  std::vector<Animation> race;
  for (const DrawnRun& d : runs) {
    auto path = std::make_shared<TrajectoryPath>(axes, path_points(*d.run), d.color, false, 4);
    race.push_back(with_rate(create(path), RateFn::linear));
  }
  if (!race.empty()) c.builder.play(race, b.run_time);
  std::vector<Animation> ends;
  for (const DrawnRun& d : runs) {
    const std::vector<Vec2> points = path_points(*d.run);
    if (points.empty()) continue;
    const Vec2 at = axes.data_to_scene(points.back().x, points.back().y);
    auto square = std::make_shared<Rectangle>(
        Box2{at.x - 0.06, at.y - 0.06, at.x + 0.06, at.y + 0.06}, d.color, Rgba{0, 0, 0, 1}, 1.5);
    c.builder.add(square, kMarksZ);
    ends.push_back(fade_in(square));
  }
  if (!ends.empty()) c.builder.play(ends, 0.5);

  // The 1D interpolation beside it.
  if (b.interpolation && e.interpolation) {
    std::vector<MobjectPtr> ends_1d;
    const Box2 box{column_left + 0.75, std::max(-2.0, column_y - 3.0), column_right - 0.1,
                   column_y - 0.85};
    if (box.top - box.bottom >= 1.2) {
      std::vector<Animation> shown = interpolation_plot(c, *e.interpolation, box, ends_1d);
      c.builder.play(shown, 1.5);
      std::vector<Animation> shown_marks;
      for (const MobjectPtr& m : ends_1d) shown_marks.push_back(fade_in(m));
      c.builder.play(shown_marks, 0.5);
    } else {
      c.warn("interpolation left out: the legend leaves no room for it in the column");
    }
  }
  if (b.note) {
    auto note = text_at(slice_note(r, runs), 18, kMutedColor, {0, -3.5}, Anchor::kBottom, false,
                        c.geo.frame_width() - 1.2);
    c.builder.play({fade_in(note)}, 0.8);
  }
}

void play_block(SceneContext& c, const LossSurface3DBlock& b) {
  Stage3D& st = require_stage_3d(c, "loss_surface_3d");
  if (st.space) c.fail("the section has a surface or path_3d already (one space per section)");
  const ExperimentData& e = c.experiment(b.experiment);
  const LandscapeRecord& r = landscape_of(c, b.experiment);
  const std::vector<DrawnRun> runs = drawn_runs(c, e, r, b.runs, b.colors);
  auto grid = std::make_shared<LossGrid>(r.loss);
  st.experiment = &e;
  st.grid = grid;
  const Space3D space = fitted_space_for_grid(*grid, b.log_z, b.size, b.height);
  st.space = space;
  st.x_label = axis_name(r, 0);
  st.y_label = axis_name(r, 1);
  st.z_label = b.log_z ? "loss (log)" : "loss";
  SurfaceLook look;
  look.colormap = parse_colormap_name(b.colormap);
  look.bands = b.bands;
  look.log_z = b.log_z;
  look.resolution = b.resolution;
  World3D& w = *st.world;
  Element<SurfaceMesh3D> surface;
  surface.body = surface_mesh(*grid, space, look);
  animate_track(surface.opacity, st.clock, st.clock + 1.5, 1.0);
  w.surfaces.push_back(std::move(surface));
  st.surface = static_cast<int>(w.surfaces.size()) - 1;
  const SurfaceMesh3D& mesh = w.surfaces.back().body;

  const std::vector<LegendEntry> entries = end_loss_entries(runs);
  std::vector<Animation> column;
  if (!entries.empty()) {
    const std::shared_ptr<Legend> legend =
        legend_fitting(entries, end_loss_legend_style(), Vec2{st.column_left, st.column_y},
                       Anchor::kTopLeft, st.column_right, c.geo);
    st.column_y = legend->bounds(c.geo).bottom - 0.3;
    column.push_back(fade_in(legend));
  }
  advance_world(c, st, 1.5, column);

  // The paths at the plane's loss of their projections: on the surface, as the slice shows them.
  const double lift = 0.012 * space.z_length + 0.02;
  std::vector<std::size_t> paths;
  int64_t longest = 1;
  for (const DrawnRun& d : runs) {
    std::vector<double> xy, loss;
    for (std::size_t k = 0; k < d.run->step.size(); ++k) {
      xy.push_back(d.run->xy[2 * k]);
      xy.push_back(d.run->xy[2 * k + 1]);
      loss.push_back(d.run->projected_loss[k]);
    }
    Element<Path3D> el;
    el.body = path_on_surface(xy, loss, mesh, space, d.color, lift);
    el.opacity.initial = 1;
    w.paths.push_back(std::move(el));
    paths.push_back(w.paths.size() - 1);
    longest = std::max<int64_t>(longest, static_cast<int64_t>(d.run->step.size()) - 1);
  }
  const double t0 = st.clock;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const double rows = static_cast<double>(runs[i].run->step.size() - 1);
    animate_track(w.paths[paths[i]].reveal, t0,
                  t0 + b.run_time * rows / static_cast<double>(longest), rows, RateFn::linear);
  }
  advance_world(c, st, b.run_time);
}

}  // namespace trajtool
