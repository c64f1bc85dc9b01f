// Training-log blocks: curves with a live readout, small multiples, a statistics card. Every number
// they show is computed here from the cached log or run (viz/scene_data.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "toolkit/core/metric_stats.h"
#include "toolkit/core/run_series.h"
#include "viz/legend.h"
#include "viz/metric_curve.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

// One series as a metric block shows it: scaled, labelled, coloured.
struct ShownSeries {
  std::string label;      // legend text, "× 100" added for a scaled series
  std::string name;       // the label without the scale (panel titles add it themselves)
  double scale = 1;       // the factor the values were multiplied by
  Rgba color;             // line colour
  bool smoothed = false;  // `line` is a smoothed version of `raw`
  CurveData data;         // the numbers, scaled; data.raw is filled even when not drawn
};

std::string scale_text(double scale) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", scale);
  return std::string("× ") + buffer;
}

// Every series the selection names, in order: the experiment's logs, then the runs' series.
std::vector<ShownSeries> resolve(SceneContext& c, const MetricSelection& selection) {
  std::vector<ShownSeries> out;
  if (!selection.experiment.empty()) {
    const ExperimentData& e = c.experiment(selection.experiment);
    if (e.metrics.empty()) {
      c.fail("experiment '" + selection.experiment + "' (" + e.source_path +
             ") has no `metrics:` logs; name runs' series with `runs:` instead");
    }
    for (const MetricData& m : e.metrics) {
      for (const MetricSeries& series : m.log.series) {
        const MetricSeriesSpec& item = m.spec.series[static_cast<std::size_t>(series.item)];
        ShownSeries s;
        // A glob's columns are named by their column; several logs' series by their log too.
        s.name = item.label.empty() || !item.pattern.empty() ? series.column : item.label;
        if (!m.spec.label.empty() && e.metrics.size() > 1) s.name = m.spec.label + ": " + s.name;
        s.scale = item.scale;
        s.label = s.name + (s.scale != 1 ? " " + scale_text(s.scale) : "");
        s.smoothed = m.spec.smoothing.kind != MetricSmoothing::Kind::kNone;
        s.data.step = series.step;
        auto scaled = [&](const std::vector<double>& values) {
          std::vector<double> v = values;
          for (double& x : v) x *= s.scale;
          return v;
        };
        s.data.raw = scaled(series.value);
        s.data.line = scaled(series.smoothed);
        s.data.band_low = scaled(series.band_low);
        s.data.band_high = scaled(series.band_high);
        out.push_back(std::move(s));
      }
    }
  }
  for (const MetricRunRef& ref : selection.runs) {
    const ExperimentData& e = c.experiment(ref.experiment);
    std::vector<NamedSeries> recorded;
    std::string known;
    bool found = false;
    for (const RunData& run : e.runs) {
      known += (known.empty() ? "" : ", ") + run.spec.label;
      if (run.spec.label == ref.run && !found) {
        if (run.trajectory.batch > 0) c.fail("run '" + ref.run + "' is a sweep: it has no curve");
        recorded = trajectory_series(run.trajectory);
        found = true;
      }
    }
    for (const TrainingData& training : e.trainings) {
      known += (known.empty() ? "" : ", ") + training.spec.label;
      if (training.spec.label == ref.run && !found) {
        recorded = training_series(training.record);
        found = true;
      }
    }
    if (!found) {
      c.fail("no run '" + ref.run + "' in " + e.source_path +
             " (its runs: " + (known.empty() ? "none" : known) + ")");
    }
    const auto it = std::find_if(recorded.begin(), recorded.end(),
                                 [&](const NamedSeries& s) { return s.name == ref.value; });
    if (it == recorded.end()) {
      c.fail("run '" + ref.run + "' records no series '" + ref.value +
             "' (it has: " + series_names(recorded) + ")");
    }
    ShownSeries s;
    s.name = s.label = ref.label.empty() ? ref.run + " " + ref.value : ref.label;
    s.data.step = it->step;
    s.data.line = it->value;
    s.data.raw = it->value;
    out.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].color =
        i < selection.colors.size() ? parse_hex_color(selection.colors[i]) : palette_color(i);
  }
  return out;
}

// What a curve draws of a series: the line, the raw values when smoothed and asked for, the band.
CurveData drawn(const ShownSeries& s, bool raw, bool band) {
  CurveData d = s.data;
  if (!raw || !s.smoothed) d.raw.clear();
  if (!band) {
    d.band_low.clear();
    d.band_high.clear();
  }
  return d;
}

// The domain holding every finite value drawn (positive ones on a log axis), x from the first to
// the last step, y widened by 5% (a factor on a log axis) so no curve touches the frame.
Domain fit(SceneContext& c, const std::vector<CurveData>& curves, bool log_y) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const CurveData& d : curves) {
    if (d.step.empty()) continue;
    x0 = std::min(x0, d.step.front());
    x1 = std::max(x1, d.step.back());
    for (const std::vector<double>* values : {&d.line, &d.raw, &d.band_low, &d.band_high}) {
      for (double y : *values) {
        if (!std::isfinite(y) || (log_y && y <= 0)) continue;
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
    }
  }
  if (!std::isfinite(y0)) {
    c.fail(log_y ? "no value > 0 to draw on a log axis" : "no finite value to draw");
  }
  if (!(x1 > x0)) x1 = x0 + 1;
  if (log_y) {
    if (!(y1 > y0)) y1 = y0 * 10;
    const double pad = std::pow(y1 / y0, 0.05);
    return {x0, x1, y0 / pad, y1 * pad};
  }
  if (!(y1 > y0)) {
    const double half = y0 == 0 ? 1 : std::fabs(y0) * 0.1;
    y0 -= half;
    y1 += half;
  }
  const double pad = (y1 - y0) * 0.05;
  return {x0, x1, y0 - pad, y1 + pad};
}

// `log_y: auto`: whether every finite value drawn is > 0 and they span two decades.
bool log_suits(const std::vector<ShownSeries>& series) {
  std::vector<const std::vector<double>*> values;
  for (const ShownSeries& s : series) values.push_back(&s.data.line);
  return spans_decades(values, 2.0);
}

void check_log(SceneContext& c, const std::vector<ShownSeries>& series, bool log_y) {
  if (!log_y) return;
  for (const ShownSeries& s : series) {
    for (double y : s.data.line) {
      if (std::isfinite(y) && y <= 0) {
        c.fail("series '" + s.label + "' has values <= 0, which a log axis (log_y) cannot show");
      }
    }
  }
}

// The last finite value of `values` and its index, or -1.
long last_finite(const std::vector<double>& values) {
  for (std::size_t i = values.size(); i-- > 0;) {
    if (std::isfinite(values[i])) return static_cast<long>(i);
  }
  return -1;
}

// Labels at the right end of lines: each at its line's final height, pushed apart so none
// overlaps the next, kept within [bottom, top].
std::vector<double> spread(std::vector<double> ys, double gap, double bottom, double top) {
  std::vector<std::size_t> order(ys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ys[a] > ys[b]; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    double& y = ys[order[k]];
    y = std::min(y, top);
    if (k > 0) y = std::min(y, ys[order[k - 1]] - gap);
  }
  for (std::size_t k = order.size(); k-- > 0;) {
    double& y = ys[order[k]];
    y = std::max(y, bottom);
    if (k + 1 < order.size()) y = std::max(y, ys[order[k + 1]] + gap);
  }
  return ys;
}

// A legend under a plot: entries side by side, in as many rows as the width needs, centred under
// `top_centre`, one box around all rows.
std::vector<MobjectPtr> legend_rows(const std::vector<LegendEntry>& entries, Vec2 top_centre,
                                    double max_width) {
  LegendStyle style;
  style.layout = LegendLayout::kHorizontal;
  style.background = {0, 0, 0, 0};
  style.border = {0, 0, 0, 0};
  std::vector<std::vector<LegendEntry>> rows(1);
  for (const LegendEntry& entry : entries) {
    std::vector<LegendEntry> wider = rows.back();
    wider.push_back(entry);
    const double width = Legend(wider, style, {0, 0}, Anchor::kTop).bounds(FrameGeometry{}).width();
    if (width > max_width && !rows.back().empty()) rows.emplace_back();
    rows.back().push_back(entry);
  }
  std::vector<MobjectPtr> out;
  Box2 all{0, 0, 0, 0};
  double y = top_centre.y;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto row = std::make_shared<Legend>(rows[i], style, Vec2{top_centre.x, y}, Anchor::kTop);
    const Box2 box = row->bounds(FrameGeometry{});
    all = i == 0 ? box : united(all, box);
    y = box.bottom + style.padding;  // rows overlap by their padding
    out.push_back(row);
  }
  out.insert(out.begin(), std::make_shared<RoundedBox>(all, Rgba{0.08, 0.08, 0.1, 0.78},
                                                       Rgba{0.55, 0.55, 0.6, 0.9}, 2, 0.1));
  return out;
}

// Bold text no wider than `width`: smaller (down to 14 pt) when too wide, then cut with "…".
std::shared_ptr<Text> fitted_text(const std::string& text, double points, double width, Rgba color,
                                  Vec2 at, Anchor anchor) {
  TextStyle style;
  style.points = points;
  style.bold = true;
  const double measured = measure_text(text, style, FrameGeometry{}).width();
  if (measured > width) style.points = std::max(14.0, points * width / measured);
  std::string shown = text;
  std::string kept = text;
  while (measure_text(shown, style, FrameGeometry{}).width() > width && kept.size() > 1) {
    while (kept.size() > 1 && (static_cast<unsigned char>(kept.back()) & 0xC0) == 0x80) {
      kept.pop_back();
    }
    kept.pop_back();
    shown = kept + "…";
  }
  return text_at(shown, style.points, color, at, anchor, true);
}

AxesStyle plot_style(const std::string& x_label, const std::string& y_label, bool log_y) {
  AxesStyle style;
  style.x_label = x_label;
  style.y_label = y_label;
  style.log_y = log_y;
  style.frame = false;
  style.tick_points = 18;
  style.label_points = 20;
  style.grid_color = {1, 1, 1, 0.08};
  return style;
}

// Where the plot of metric_curves goes: under a section title, room on the left for tick and axis
// labels, on the right for the final values, below for the legend.
// (The bottom follows the legend.)
Box2 curves_box(const std::string& y_label) {
  return {y_label.empty() ? -5.6 : -4.6, -1.9, 4.9, 2.55};
}

}  // namespace

void play_block(SceneContext& c, const MetricCurvesBlock& given) {
  const std::vector<ShownSeries> series = resolve(c, given.series);
  MetricCurvesBlock b = given;
  if (b.log_y_auto) b.log_y = log_suits(series);
  check_log(c, series, b.log_y);
  std::vector<CurveData> curves;
  for (const ShownSeries& s : series) curves.push_back(drawn(s, b.raw, b.band));
  // A scale every series shares goes into the axis label.
  std::string y_label = b.y_label;
  const bool shared_scale = std::all_of(series.begin(), series.end(), [&](const ShownSeries& s) {
    return s.scale == series[0].scale;
  });
  if (shared_scale && series[0].scale != 1 && !y_label.empty()) {
    y_label += " (" + scale_text(series[0].scale) + ")";
  }
  std::vector<LegendEntry> entries;
  for (const ShownSeries& s : series) {
    entries.push_back(
        {shared_scale && !y_label.empty() ? s.name : s.label, s.color, 3, false, false});
  }
  // The legend's rows stand on the bottom margin; the plot starts above them with room for the
  // step axis' numbers and label.
  const double legend_width = c.geo.frame_width() - 1.2;
  const double legend_height =
      legend_rows(entries, {0, 0}, legend_width)[0]->bounds(c.geo).height();
  const double legend_top = -c.geo.frame_height / 2 + 0.3 + legend_height;
  Box2 box = curves_box(y_label);
  box.bottom = legend_top + 1.15;
  if (box.height() < 2)
    c.fail(std::to_string(series.size()) + " series leave no room for the plot");
  auto axes =
      std::make_shared<Axes>(fit(c, curves, b.log_y), box, plot_style(b.x_label, y_label, b.log_y));
  std::vector<Animation> draw_axes = {create(axes)};
  for (const MobjectPtr& row : legend_rows(entries, {0, legend_top}, legend_width)) {
    draw_axes.push_back(fade_in(row));
  }
  c.builder.play(draw_axes, 1.0);

  std::vector<Animation> trace;
  std::vector<double> all_steps;
  std::vector<ReadoutSeries> readout_series;
  for (std::size_t i = 0; i < series.size(); ++i) {
    CurveStyle style;
    style.color = series[i].color;
    style.log_y = b.log_y;
    auto curve = std::make_shared<MetricCurve>(*axes, curves[i], style);
    trace.push_back(with_rate(create(curve), RateFn::linear));
    readout_series.push_back({curves[i].step, curves[i].line, series[i].color});
    all_steps.insert(all_steps.end(), curves[i].step.begin(), curves[i].step.end());
  }
  auto readouts = std::make_shared<MetricReadouts>(*axes, readout_series);
  trace.push_back(with_rate(create(readouts), RateFn::linear));
  auto counter = std::make_shared<MetricStepCounter>(
      *axes, all_steps, Vec2{box.right, box.top + 0.1}, Anchor::kBottomRight);
  trace.push_back(with_rate(create(counter), RateFn::linear));
  c.builder.play(trace, b.run_time);

  // The readouts give way to each line's final value at its end.
  std::vector<Animation> finals;
  std::vector<double> ys;
  std::vector<long> last;
  for (const CurveData& d : curves) {
    last.push_back(last_finite(d.line));
    ys.push_back(last.back() < 0
                     ? box.bottom
                     : std::clamp(axes->data_to_scene(d.step[static_cast<std::size_t>(last.back())],
                                                      d.line[static_cast<std::size_t>(last.back())])
                                      .y,
                                  box.bottom, box.top));
  }
  ys = spread(ys, 0.34, box.bottom, box.top);
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (last[i] < 0) continue;
    const double value = curves[i].line[static_cast<std::size_t>(last[i])];
    finals.push_back(fade_in(text_at(metric_number(value), 20, series[i].color,
                                     {box.right + 0.15, ys[i]}, Anchor::kLeft, true)));
  }
  finals.push_back(fade_out(readouts));
  c.builder.play(finals, 0.6);
}

void play_block(SceneContext& c, const MetricPanelsBlock& given) {
  const std::vector<ShownSeries> series = resolve(c, given.series);
  MetricPanelsBlock b = given;
  if (b.log_y_auto) b.log_y = log_suits(series);
  check_log(c, series, b.log_y);
  const auto n = static_cast<int>(series.size());
  if (n > 12) c.fail(std::to_string(n) + " series: panels draw at most 12 (select fewer)");
  // The region under a section title; each cell holds a title, tick labels and the plot.
  const double frame_half_w = c.geo.frame_width() / 2;
  const Box2 region{-frame_half_w + 0.5, -3.45, frame_half_w - 0.4, 2.7};
  // Inside a cell: the title on top, tick labels left of and under the plot, gaps between cells;
  // the bottom row also has the step axis' label.
  const double title_h = 0.42, tick_w = 1.05, tick_h = 0.4, gap = 0.25, x_label_h = 0.4;
  auto plot_size = [&](int cols) {
    const int rows = (n + cols - 1) / cols;
    const double w = region.width() / cols - tick_w - gap;
    const double h = region.height() / rows - title_h - tick_h - gap - x_label_h / rows;
    return Vec2{w, h};
  };
  int columns = b.columns;
  if (columns <= 0) {
    double best = -1;
    for (int cols = 1; cols <= n; ++cols) {
      const Vec2 size = plot_size(cols);
      const double score = std::min(size.x / 1.7, size.y);  // plots about 1.7 times as wide as high
      if (score > best + 1e-9) {
        best = score;
        columns = cols;
      }
    }
  }
  columns = std::min(columns, n);
  const int rows = (n + columns - 1) / columns;
  const double cell_w = region.width() / columns;
  // Rows share the height left after the bottom row's step-axis label.
  const double cell_h = (region.height() - x_label_h) / rows;
  std::vector<CurveData> curves;
  for (const ShownSeries& s : series) curves.push_back(drawn(s, b.raw, b.band));
  // One step axis: every panel spans the steps of all series.
  Domain shared = fit(c, curves, b.log_y);
  std::vector<Animation> show, trace;
  for (int i = 0; i < n; ++i) {
    const int row = i / columns, col = i % columns;
    const double left = region.left + col * cell_w, top = region.top - row * cell_h;
    const bool bottom_row = row == rows - 1 || i + columns >= n;
    const Box2 plot{left + tick_w, top - cell_h + tick_h + gap, left + cell_w - gap, top - title_h};
    if (plot.width() < 1 || plot.height() < 0.6) {
      c.fail(std::to_string(n) + " panels do not fit the frame; select fewer series or set " +
             "`columns`");
    }
    Domain domain = fit(c, {curves[static_cast<std::size_t>(i)]}, b.log_y);
    domain.x_min = shared.x_min;
    domain.x_max = shared.x_max;
    AxesStyle style = plot_style(bottom_row ? b.x_label : "", "", b.log_y);
    style.tick_points = 16;
    style.label_points = 18;
    style.y_ticks = plot.height() < 1.4 ? 3 : 4;
    style.x_ticks = plot.width() < 3 ? 3 : 5;
    auto axes = std::make_shared<Axes>(domain, plot, style);
    const ShownSeries& s = series[static_cast<std::size_t>(i)];
    auto title = fitted_text(s.label, 20, plot.right - plot.left + tick_w * 0.8, s.color,
                             {plot.left - tick_w * 0.8, top - 0.02}, Anchor::kTopLeft);
    show.push_back(create(axes));
    show.push_back(fade_in(title));
    CurveStyle curve_style;
    curve_style.color = s.color;
    curve_style.log_y = b.log_y;
    trace.push_back(with_rate(create(std::make_shared<MetricCurve>(
                                  *axes, curves[static_cast<std::size_t>(i)], curve_style)),
                              RateFn::linear));
    trace.push_back(
        with_rate(create(std::make_shared<MetricReadouts>(
                      *axes,
                      std::vector<ReadoutSeries>{
                          {s.data.step, curves[static_cast<std::size_t>(i)].line, s.color}},
                      16)),
                  RateFn::linear));
  }
  c.builder.play(show, 1.0);
  c.builder.play(trace, b.run_time);
}

void play_block(SceneContext& c, const MetricStatsBlock& b) {
  const std::vector<ShownSeries> series = resolve(c, b.series);
  // Columns: series, final, mean, max (at step), min: computed from the logged values.
  const std::vector<std::string> heads = {"", "final", "mean", "max (step)", "min"};
  std::vector<std::vector<std::string>> cells;
  int non_finite = 0;
  for (const ShownSeries& s : series) {
    const MetricStats st = metric_stats(s.data.step, s.data.raw);
    non_finite += static_cast<int>(st.non_finite);
    if (st.count == 0) {
      cells.push_back({s.label, "—", "—", "—", "—"});
      continue;
    }
    char step[32];
    std::snprintf(step, sizeof step, " (%.10g)", st.max_step);
    cells.push_back({s.label, metric_number(st.final), metric_number(st.mean),
                     metric_number(st.max) + step, metric_number(st.min)});
  }
  // Column widths from the measured texts; the card is centred.
  const double points = series.size() > 6 ? 20 : 24, row_h = points / 90.0 * 1.5, pad = 0.3;
  TextStyle style;
  style.points = points;
  std::vector<double> widths(heads.size(), 0);
  for (std::size_t k = 0; k < heads.size(); ++k) {
    style.bold = true;
    widths[k] = measure_text(heads[k], style, FrameGeometry{}).width();
    style.bold = false;
    for (const auto& row : cells) {
      widths[k] = std::max(widths[k], measure_text(row[k], style, FrameGeometry{}).width());
    }
  }
  const double sample = 0.5, column_gap = 0.55;
  double width = sample + 0.15 + 2 * pad;
  for (double w : widths) width += w;
  width += column_gap * static_cast<double>(widths.size() - 1);
  const double height = row_h * static_cast<double>(cells.size() + 1) + 2 * pad;
  const double top = std::min(2.6, height / 2 + 0.1);
  const double left = -width / 2;
  std::vector<Animation> show;
  show.push_back(fade_in(std::make_shared<RoundedBox>(Box2{left, top - height, left + width, top},
                                                      Rgba{0.1, 0.1, 0.13, 0.9},
                                                      Rgba{0.55, 0.55, 0.6, 0.9}, 2)));
  for (std::size_t r = 0; r <= cells.size(); ++r) {
    const double y = top - pad - row_h * (static_cast<double>(r) + 0.5);
    double x = left + pad;
    if (r > 0) {
      const Rgba color = series[r - 1].color;
      show.push_back(fade_in(std::make_shared<Line>(Vec2{x, y}, Vec2{x + sample, y}, color, 4)));
    }
    x += sample + 0.15;
    for (std::size_t k = 0; k < heads.size(); ++k) {
      const std::string& text = r == 0 ? heads[k] : cells[r - 1][k];
      const bool first = k == 0;
      // Names left-aligned, numbers right-aligned under their heading.
      show.push_back(fade_in(text_at(text, points, r == 0 ? kMutedColor : kTextColor,
                                     {first ? x : x + widths[k], y},
                                     first ? Anchor::kLeft : Anchor::kRight, r == 0)));
      x += widths[k] + column_gap;
    }
  }
  if (non_finite > 0) {
    show.push_back(fade_in(text_at(std::to_string(non_finite) +
                                       " non-finite values (NaN, ±inf) are left out of the "
                                       "statistics",
                                   18, kMutedColor, {0, top - height - 0.3}, Anchor::kTop)));
  }
  c.builder.play(show, b.run_time);
}

}  // namespace trajtool
