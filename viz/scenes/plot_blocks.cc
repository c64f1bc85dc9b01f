// Plot blocks: line plots of cached series, the optimizer-memory diagram of tiny models, boxes and
// arrows, legends.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

// The values and default label of one series reference.
LineSeries resolve(SceneContext& c, const SeriesRef& ref, std::size_t index) {
  const ExperimentData& e = c.experiment(ref.experiment);
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
    if (!run) c.fail("no run '" + ref.run + "' in " + e.source_path + " (its runs: " + known + ")");
    const Trajectory& t = run->trajectory;
    if (t.batch > 0) c.fail("run '" + ref.run + "' is a sweep; plot a run from one start point");
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
        c.fail("run '" + ref.run + "' recorded no state '" + arg +
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
      c.fail("no EMA demo '" + ref.ema + "' in " + e.source_path +
             " (its emas: " + (known.empty() ? "none" : known) + ")");
    }
    if (kind == "signal") {
      out.y = ema->record.signal;
      label = "signal xₜ";
    } else {
      const std::size_t k = std::stoul(arg);
      if (k >= ema->record.ema.size()) {
        c.fail("ema:" + arg + ": EMA demo '" + ref.ema + "' has " +
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
  if (out.y.empty()) c.fail("series '" + ref.value + "' of '" + ref.run + ref.ema + "' is empty");
  return out;
}

}  // namespace

void play_block(SceneContext& c, const LinePlotBlock& b) {
  std::vector<LineSeries> series;
  std::size_t next_palette = 0;
  std::set<std::string> sources;  // runs and EMA demos the series come from
  for (const SeriesRef& ref : b.series) {
    series.push_back(resolve(c, ref, ref.color.empty() ? next_palette++ : 0));
    sources.insert(ref.experiment + "/" + ref.run + "/" + ref.ema);
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const SeriesRef& ref = b.series[i];
    // A default label ("gₜ") names its run when the plot mixes runs.
    if (ref.label.empty() && sources.size() > 1) {
      series[i].label = (ref.run.empty() ? ref.ema : ref.run) + ": " + series[i].label;
    }
    if (!b.log_y) continue;
    for (double y : series[i].y) {
      if (std::isfinite(y) && y <= 0) {
        c.fail("series[" + std::to_string(i) + "] (" + series[i].label + ") has values <= 0, " +
               "which a log axis (log_y) cannot show");
      }
    }
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
  auto plot = std::make_shared<LinePlot>(b.one_by_one ? std::vector<LineSeries>{series[0]} : series,
                                         box, style, domain);
  if (!b.heading.empty()) {
    c.builder.play({fade_in(text_at(b.heading, 24, kTextColor, {box.center().x, box.top + 0.35},
                                    Anchor::kCenter, true))},
                   0.6);
  }
  LegendStyle legend_style;
  legend_style.points = b.legend == PlotLegend::below ? 18 : 20;
  if (b.legend == PlotLegend::below) legend_style.layout = LegendLayout::kHorizontal;
  const Vec2 below{box.center().x, box.bottom - 0.95};
  auto full = std::make_shared<Legend>(
      entries, legend_style, b.legend == PlotLegend::below ? below : to_vec(b.legend_at),
      b.legend == PlotLegend::below ? Anchor::kTop : Anchor::kTopLeft);
  if (!b.one_by_one) {
    std::vector<Animation> show = {with_rate(create(plot), RateFn::linear)};
    if (b.legend != PlotLegend::none) show.push_back(fade_in(full));
    c.builder.play(show, b.run_time);
    return;
  }
  // One by one: the axes with the first series, then each further series with its entry.
  c.builder.play({create(plot)}, b.run_time);
  if (b.legend != PlotLegend::none) {
    c.builder.play({fade_in(full->frame()), fade_in(full->entry_alone(0))}, 0.6);
  }
  const Axes& axes = plot->axes();
  for (std::size_t k = 1; k < series.size(); ++k) {
    std::vector<Vec2> points;
    for (std::size_t i = 0; i < series[k].x.size(); ++i) {
      const double y = std::clamp(series[k].y[i], domain.y_min, domain.y_max);
      points.push_back(axes.data_to_scene(series[k].x[i], y));
    }
    std::vector<Animation> show = {
        with_rate(create(std::make_shared<Polyline>(points, series[k].color, series[k].stroke_px)),
                  RateFn::linear)};
    if (b.legend != PlotLegend::none) show.push_back(fade_in(full->entry_alone(k)));
    c.builder.play(show, b.run_time);
  }
}

// What a trained run's optimizer keeps, from the state its last checkpoint recorded: the tensor
// buffers by torch name (0-dim scalars such as step counters are bookkeeping, not memory that grows
// with the model, and are left out) and their bytes.
struct OptimizerMemory {
  std::vector<std::string> state_names;  // in the order torch reports them
  int64_t state_bytes = 0;               // bytes of those buffers, all parameters
};

OptimizerMemory optimizer_memory(const TrainingRecord& r) {
  OptimizerMemory m;
  if (r.checkpoints.empty()) return m;
  const int64_t element = r.dtype == DType::kFloat64 ? 8 : 4;
  for (const OptimizerStateTensor& s : r.checkpoints.back().optimizer_state) {
    if (s.tensor.shape.empty()) continue;
    m.state_bytes += static_cast<int64_t>(s.tensor.values.size()) * element;
    if (std::find(m.state_names.begin(), m.state_names.end(), s.tensor.name) ==
        m.state_names.end()) {
      m.state_names.push_back(s.tensor.name);
    }
  }
  return m;
}

void play_block(SceneContext& c, const MemoryDiagramBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  const std::size_t n = e.trainings.size();
  if (n < 1 || n > 4) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path + ") has " + std::to_string(n) +
           " trained runs; the memory diagram draws 1 to 4");
  }
  const TrainingData& first = e.trainings[0];
  const Rgba box_stroke{0.85, 0.85, 0.9, 1};
  const Box2 model_box{-2.6, 1.3, 2.6, 2.35};
  auto model_rect = std::make_shared<RoundedBox>(model_box, Rgba{0.16, 0.2, 0.28, 1}, box_stroke);
  auto model_label =
      text_at("Model parameters", kBodyPoints, kTextColor, {0, 2.02}, Anchor::kCenter, true);
  std::string layers;
  for (int64_t w : first.spec.model.layers)
    layers += (layers.empty() ? "" : "-") + std::to_string(w);
  auto model_size = text_at("MLP " + layers + ":  " + std::to_string(first.record.param_count) +
                                " numbers, " + bytes_text(first.record.param_bytes),
                            18, kMutedColor, {0, 1.6}, Anchor::kCenter);
  c.builder.play({fade_in(model_rect), fade_in(model_label), fade_in(model_size)}, 1.0);

  const double slot = std::min(4.4, 13.2 / static_cast<double>(n));
  const double box_w = std::min(3.5, slot - 0.3), box_h = 0.7, buffer_h = 0.5, gap = 0.14;
  std::vector<Animation> arrows, boxes, totals;
  std::vector<std::vector<MobjectPtr>> buffers(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TrainingData& m = e.trainings[i];
    const OptimizerMemory memory = optimizer_memory(m.record);
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
    for (const std::string& state_name : memory.state_names) {
      buffers[i].push_back(std::make_shared<Rectangle>(
          Box2{x - box_w / 2 + 0.2, y - buffer_h, x + box_w / 2 - 0.2, y}, dark_shade(color, 0.22),
          color, 2));
      buffers[i].push_back(
          text_at(state_name, 18, kTextColor, {x, y - buffer_h / 2}, Anchor::kCenter));
      y -= buffer_h + gap;
    }
    const double ratio = static_cast<double>(m.record.param_bytes + memory.state_bytes) /
                         static_cast<double>(std::max<int64_t>(1, m.record.param_bytes));
    totals.push_back(fade_in(text_at(short_number(ratio) + "x total", 26, kAccentColor, {x, -2.25},
                                     Anchor::kCenter, true)));
    totals.push_back(fade_in(text_at(memory.state_names.empty()
                                         ? "no extra state"
                                         : "+" + bytes_text(memory.state_bytes) + " state",
                                     18, kMutedColor, {x, -2.7}, Anchor::kCenter)));
  }
  c.builder.play(arrows, 1.0);
  c.builder.play(boxes, 0.8);
  for (const auto& column : buffers) {
    if (column.empty()) continue;
    std::vector<Animation> show;
    for (const auto& item : column) show.push_back(fade_in(item, {0, 0.25}));
    c.builder.play(show, 0.8);
  }
  c.builder.play(totals, 1.0);
}

void play_block(SceneContext& c, const DiagramBlock& b) {
  std::vector<Animation> boxes, arrows;
  std::vector<Box2> placed;
  for (const DiagramBox& d : b.boxes) {
    const Rgba color = color_or(d.color, palette_color(placed.size()));
    const Box2 box{d.at.x - d.width / 2, d.at.y - d.height / 2, d.at.x + d.width / 2,
                   d.at.y + d.height / 2};
    placed.push_back(box);
    boxes.push_back(fade_in(std::make_shared<RoundedBox>(box, dark_shade(color, 0.3), color)));
    // The text (wrapped to the box) over the subtext, centred as one; they must fit the box.
    auto title =
        text_at(d.text, kBodyPoints, kTextColor, {d.at.x, 0}, Anchor::kTop, true, d.width - 0.2);
    std::shared_ptr<Text> subtitle;
    const double title_height = title->bounds(c.geo).height();
    double height = title_height;
    if (!d.subtext.empty()) {
      subtitle =
          text_at(d.subtext, 18, kMutedColor, {d.at.x, 0}, Anchor::kTop, false, d.width - 0.2);
      height += 0.06 + subtitle->bounds(c.geo).height();
    }
    if (height > d.height - 0.08) {
      char need[32];
      std::snprintf(need, sizeof need, "%.2f", height + 0.08);
      c.fail("box '" + d.id + "': its text needs a height of " + need +
             " units; make `size` taller or the text shorter");
    }
    const double top = d.at.y + height / 2;
    title->set_position({d.at.x, top}, Anchor::kTop);
    boxes.push_back(fade_in(title));
    if (subtitle) {
      subtitle->set_position({d.at.x, top - title_height - 0.06}, Anchor::kTop);
      boxes.push_back(fade_in(subtitle));
    }
  }
  auto index_of = [&b](const std::string& id) {
    std::size_t i = 0;
    while (b.boxes[i].id != id) ++i;
    return i;
  };
  // Where the ray from a box's centre towards `target` leaves the box, plus a small gap.
  auto edge = [](const Box2& box, Vec2 target) {
    const Vec2 centre = box.center();
    const double dx = target.x - centre.x, dy = target.y - centre.y;
    const double tx = dx != 0 ? (box.width() / 2) / std::fabs(dx) : INFINITY;
    const double ty = dy != 0 ? (box.height() / 2) / std::fabs(dy) : INFINITY;
    const double t = std::min(tx, ty);
    const double length = std::hypot(dx, dy);
    const double gap = length > 0 ? 0.08 / length : 0;
    return Vec2{centre.x + dx * (t + gap), centre.y + dy * (t + gap)};
  };
  for (const DiagramArrow& a : b.arrows) {
    const Box2& from = placed[index_of(a.from)];
    const Box2& to = placed[index_of(a.to)];
    const Vec2 start = edge(from, to.center()), end = edge(to, from.center());
    arrows.push_back(grow(std::make_shared<Arrow>(start, end, Rgba{0.85, 0.85, 0.9, 1}, 3, 0.22)));
    if (!a.label.empty()) {
      // Beside the shaft, not across it: above a flat arrow, right of a steep one.
      const Vec2 mid{(start.x + end.x) / 2, (start.y + end.y) / 2};
      const bool steep = std::fabs(end.y - start.y) > std::fabs(end.x - start.x);
      arrows.push_back(fade_in(boxed_label(a.label, 18, kMutedColor,
                                           mid + (steep ? Vec2{0.15, 0} : Vec2{0, 0.15}),
                                           steep ? Anchor::kLeft : Anchor::kBottom, c.geo)));
    }
  }
  c.builder.play(boxes, b.run_time);
  if (!arrows.empty()) c.builder.play(arrows, b.run_time);
}

void play_block(SceneContext& c, const LegendBlock& b) {
  std::vector<LegendEntry> entries;
  for (const LegendItem& item : b.items) {
    entries.push_back({item.label, parse_hex_color(item.color), item.width, false, false});
  }
  LegendStyle style;
  style.title = b.title;
  c.builder.play(
      {fade_in(std::make_shared<Legend>(entries, style, to_vec(b.at), to_anchor(b.anchor)))},
      b.run_time);
}

}  // namespace trajtool
