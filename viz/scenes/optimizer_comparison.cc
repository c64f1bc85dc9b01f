// OptimizerComparison: the optimizer seminar as one story (the seeds' Manim scene, data first).
//   1 title  2 optimizer state and memory  3 exponential moving average  4 Adam
//   5 trajectories on the rotated quadratic  6 momentum on the bumpy bowl
// Reads three experiments: optimizer_moments (tiny MLP state sizes, EMA demo, 1D runs with noisy
// gradients), rotated_quadratic and bumpy_bowl. Every number shown comes from the cache.
#include <algorithm>
#include <cmath>

#include "objectives/objective.h"
#include "toolkit/error.h"
#include "viz/formula.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/scene_registry.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

const ExperimentData& experiment_at(const SceneData& data, std::size_t index, const char* what) {
  if (index >= data.experiments.size()) {
    throw InputError(std::string("OptimizerComparison needs three experiments (moments, rotated "
                                 "quadratic, bumpy bowl); missing the ") +
                     what + " one");
  }
  return data.experiments[index];
}

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

// The state series `name` of a 1D run as (step, value) with step = 1..rows-1.
std::vector<double> state_series(const RunData& run, const std::string& name) {
  for (const auto& s : run.trajectory.state) {
    if (s.name != name) continue;
    std::vector<double> values;
    const auto per_step = static_cast<std::size_t>(run.trajectory.dim);
    for (std::size_t i = 0; i + per_step <= s.values.size(); i += per_step) {
      values.push_back(s.values[i]);
    }
    return values;
  }
  throw InputError("run '" + run.spec.label + "' recorded no '" + name + "' state");
}

std::vector<double> grad_series(const RunData& run) {
  std::vector<double> g;
  const auto dim = static_cast<std::size_t>(run.trajectory.dim);
  for (std::size_t i = 0; i < run.trajectory.grad.size(); i += dim)
    g.push_back(run.trajectory.grad[i]);
  return g;
}

std::vector<double> steps_axis(std::size_t n, double first) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = first + static_cast<double>(i);
  return x;
}

void title_section(SceneBuilder& s, const FrameGeometry&) {
  s.section("title");
  auto title = text_at("PyTorch Optimizers: SGD, Momentum, Adam", 48, kTextColor, {0, 0.45},
                       Anchor::kCenter, true);
  auto subtitle = text_at("What each optimizer remembers, and how that shapes its path", 28,
                          kMutedColor, {0, -0.45}, Anchor::kCenter);
  s.play({write(title)}, 1.5);
  s.play({fade_in(subtitle, {0, -0.3})}, 1.0);
  s.wait(1.5);
}

void memory_section(SceneBuilder& s, const FrameGeometry& geo, const ExperimentData& moments) {
  if (moments.models.size() < 3) {
    throw InputError(moments.source_path +
                     ": OptimizerComparison needs three `models` "
                     "(SGD, SGD + momentum, Adam) for the memory diagram");
  }
  s.section("memory");
  auto title = section_title("Optimizer state and memory", geo);
  s.play({write(title)}, 1.0);

  const ModelData& first = moments.models[0];
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
  s.play({fade_in(model_rect), fade_in(model_label), fade_in(model_size)}, 1.0);

  const double xs[3] = {-4.4, 0, 4.4};
  const double box_w = 3.5, box_h = 0.7, buffer_h = 0.5, gap = 0.14;
  std::vector<Animation> arrows, boxes;
  std::vector<std::vector<MobjectPtr>> buffers(3);
  std::vector<MobjectPtr> totals;
  for (std::size_t i = 0; i < 3; ++i) {
    const ModelData& m = moments.models[i];
    const Rgba color = palette_color(i == 0 ? 0 : (i == 1 ? 1 : 3));
    const double top = 0.5;
    arrows.push_back(grow(std::make_shared<Arrow>(Vec2{xs[i] * 0.45, model_box.bottom - 0.05},
                                                  Vec2{xs[i], top + 0.08}, box_stroke, 3, 0.22)));
    auto rect =
        std::make_shared<RoundedBox>(Box2{xs[i] - box_w / 2, top - box_h, xs[i] + box_w / 2, top},
                                     Rgba{color.r * 0.3, color.g * 0.3, color.b * 0.3, 1}, color);
    auto name = text_at(m.spec.label, kBodyPoints, kTextColor, {xs[i], top - box_h / 2},
                        Anchor::kCenter, true);
    boxes.push_back(fade_in(rect));
    boxes.push_back(fade_in(name));
    double y = top - box_h - 0.25;
    for (const std::string& state_name : m.record.state_names) {
      auto buffer = std::make_shared<Rectangle>(
          Box2{xs[i] - box_w / 2 + 0.2, y - buffer_h, xs[i] + box_w / 2 - 0.2, y},
          Rgba{color.r * 0.22, color.g * 0.22, color.b * 0.22, 1}, color, 2);
      auto label = text_at(state_name, 18, kTextColor, {xs[i], y - buffer_h / 2}, Anchor::kCenter);
      buffers[i].push_back(buffer);
      buffers[i].push_back(label);
      y -= buffer_h + gap;
    }
    const double ratio = static_cast<double>(m.record.param_bytes + m.record.state_bytes) /
                         static_cast<double>(m.record.param_bytes);
    std::string extra = m.record.state_names.empty()
                            ? "no extra state"
                            : "+" + bytes_text(m.record.state_bytes) + " state";
    totals.push_back(text_at(short_number(ratio) + "x total", 26, kAccentColor, {xs[i], -2.25},
                             Anchor::kCenter, true));
    totals.push_back(text_at(extra, 18, kMutedColor, {xs[i], -2.7}, Anchor::kCenter));
  }
  s.play(arrows, 1.0);
  s.play(boxes, 0.8);
  for (std::size_t i = 0; i < 3; ++i) {
    if (buffers[i].empty()) continue;
    std::vector<Animation> show;
    for (const auto& b : buffers[i]) show.push_back(fade_in(b, {0, 0.25}));
    s.play(show, 0.8);
  }
  std::vector<Animation> write_totals;
  for (const auto& t : totals) write_totals.push_back(fade_in(t));
  s.play(write_totals, 1.0);
  s.play({fade_in(bottom_note("Optimizer state is kept per parameter: Adam stores two more "
                              "copies of the model (exp_avg, exp_avg_sq).",
                              geo))},
         0.8);
  s.wait(2.5);
}

void ema_section(SceneBuilder& s, const FrameGeometry& geo, const ExperimentData& moments) {
  if (moments.emas.empty()) {
    throw InputError(moments.source_path + ": OptimizerComparison needs an `emas` entry");
  }
  const EmaData& ema = moments.emas[0];
  s.section("ema");
  auto title = section_title("Exponential moving average", geo);
  s.play({write(title)}, 1.0);
  auto formula =
      std::make_shared<Formula>("m_t = \\beta\\, m_{t-1} + (1 - \\beta)\\, x_t, \\qquad m_0 = 0",
                                kFormulaPoints, kTextColor, Vec2{0, 2.15}, Anchor::kCenter);
  s.play({write(formula)}, 1.5);
  s.wait(1.0);

  const std::vector<double> t = steps_axis(ema.record.signal.size(), 1);
  LineSeries signal{t, ema.record.signal, {0.6, 0.62, 0.66, 0.8}, 1.5, ""};
  std::vector<LineSeries> all = {signal};
  for (const auto& e : ema.record.ema) all.push_back({t, e, kTextColor, 3, ""});
  LinePlotStyle style;
  style.axes.x_label = "t";
  style.axes.frame = false;
  const Box2 plot_box{-6.0, -2.65, 2.2, 1.2};
  auto plot = std::make_shared<LinePlot>(std::vector<LineSeries>{signal}, plot_box, style,
                                         fit_domain(all, false, 0.05));
  s.play({create(plot)}, 2.0);

  std::vector<LegendEntry> entries = {{"noisy signal xₜ", signal.color, 1.5, false, false}};
  for (std::size_t k = 0; k < ema.record.betas.size(); ++k) {
    entries.push_back({"EMA, β = " + short_number(ema.record.betas[k]),
                       palette_color(k == 0   ? 0
                                     : k == 1 ? 1
                                              : 3),
                       3, false, false});
  }
  LegendStyle legend_style;
  legend_style.points = 20;
  const Vec2 legend_at{2.9, 1.2};
  // The whole legend's box first, then each entry appears with its curve.
  Legend full(entries, legend_style, legend_at, Anchor::kTopLeft);
  legend_style.background = {0, 0, 0, 0};
  legend_style.border = {0, 0, 0, 0};
  auto frame = std::make_shared<RoundedBox>(full.bounds(geo), Rgba{0.08, 0.08, 0.1, 0.78},
                                            Rgba{0.55, 0.55, 0.6, 0.9}, 1.5, 0.1);
  auto entry_legend = [&](std::size_t k) {
    return std::make_shared<Legend>(
        std::vector<LegendEntry>{entries[k]}, legend_style,
        Vec2{full.sample_start(k).x - legend_style.padding, full.sample_start(k).y}, Anchor::kLeft);
  };
  s.play({fade_in(frame), fade_in(entry_legend(0))}, 0.6);
  const Axes& axes = plot->axes();
  for (std::size_t k = 0; k < ema.record.ema.size(); ++k) {
    std::vector<Vec2> points;
    for (std::size_t i = 0; i < t.size(); ++i)
      points.push_back(axes.data_to_scene(t[i], ema.record.ema[k][i]));
    auto curve = std::make_shared<Polyline>(points, entries[k + 1].color, 3);
    s.play({with_rate(create(curve), RateFn::linear), fade_in(entry_legend(k + 1))}, 2.0);
  }
  s.play({fade_in(bottom_note("Larger β: smoother, but slower to follow the signal, and biased "
                              "towards 0 at the start because m₀ = 0.",
                              geo))},
         0.8);
  s.wait(2.5);
}

void adam_section(SceneBuilder& s, const FrameGeometry& geo, const ExperimentData& moments) {
  const RunData* momentum = nullptr;
  const RunData* adam = nullptr;
  for (const RunData& run : moments.runs) {
    if (run.spec.optimizer.name == "sgd" && !momentum) momentum = &run;
    if (run.spec.optimizer.name == "adam" && !adam) adam = &run;
  }
  if (!momentum || !adam) {
    throw InputError(moments.source_path +
                     ": OptimizerComparison needs a 1D SGD + momentum run "
                     "and a 1D Adam run");
  }
  s.section("adam");
  auto title = section_title("Adam: two moving averages, bias-corrected", geo);
  s.play({write(title)}, 1.0);
  struct Row {
    const char* tex;
    const char* intuition;
  };
  const Row rows[] = {
      {"m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t", "first moment: the average direction"},
      {"v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2",
       "second moment: the gradient's scale, per parameter"},
      {"\\hat{m}_t = \\frac{m_t}{1 - \\beta_1^t}, \\quad \\hat{v}_t = \\frac{v_t}{1 - \\beta_2^t}",
       "bias correction: m and v start at 0"},
      {"\\theta_t = \\theta_{t-1} - \\eta\\, \\frac{\\hat{m}_t}{\\sqrt{\\hat{v}_t} + \\epsilon}",
       "step ≈ η · mean / RMS: about η, whatever the gradient's size"},
  };
  const double ys[] = {2.05, 0.95, -0.35, -1.85};
  for (std::size_t i = 0; i < 4; ++i) {
    auto formula =
        std::make_shared<Formula>(rows[i].tex, 38, kTextColor, Vec2{-6.4, ys[i]}, Anchor::kLeft);
    auto note =
        text_at(rows[i].intuition, 22, kMutedColor, Vec2{0.9, ys[i]}, Anchor::kLeft, false, 5.7);
    s.play({write(formula)}, 1.2);
    s.play({fade_in(note, {-0.3, 0})}, 0.6);
  }
  s.wait(2.0);
  s.clear(0.6);

  // Real runs: what the state holds after each step, on f(x) = x²/2 with noisy gradients.
  auto panel = [&](Box2 box, const std::string& heading, std::vector<LineSeries> series) {
    LinePlotStyle style;
    style.axes.x_label = "step t";
    style.axes.frame = false;
    style.axes.tick_points = 18;
    style.axes.label_points = 20;
    auto head =
        text_at(heading, 24, kTextColor, {box.center().x, box.top + 0.35}, Anchor::kCenter, true);
    std::vector<LegendEntry> entries;
    for (auto& ser : series) {
      entries.push_back({ser.label, ser.color, ser.stroke_px, false, false});
      ser.label.clear();  // the legend names the lines
    }
    auto plot = std::make_shared<LinePlot>(series, box, style);
    LegendStyle legend_style;
    legend_style.layout = LegendLayout::kHorizontal;
    legend_style.points = 18;
    auto legend = std::make_shared<Legend>(entries, legend_style,
                                           Vec2{box.center().x, box.bottom - 0.95}, Anchor::kTop);
    return std::vector<MobjectPtr>{head, plot, legend};
  };
  const std::vector<double> g_m = grad_series(*momentum);
  const std::vector<double> buf = state_series(*momentum, "momentum_buffer");
  const std::vector<double> g_a = grad_series(*adam);
  const std::vector<double> m_a = state_series(*adam, "exp_avg");
  std::vector<double> rms_a = state_series(*adam, "exp_avg_sq");
  for (double& v : rms_a) v = std::sqrt(v);
  const Rgba grey{0.6, 0.62, 0.66, 0.9};
  auto heading = section_title("What the state holds: 1D runs with noisy gradients", geo);
  s.play({fade_in(heading)}, 0.6);
  auto left = panel(Box2{-6.0, -1.75, -0.8, 1.75}, momentum->spec.label,
                    {{steps_axis(g_m.size(), 1), g_m, grey, 1.5, "gₜ (noisy gradient)"},
                     {steps_axis(buf.size(), 1), buf, palette_color(1), 3, "momentum_buffer"}});
  auto right =
      panel(Box2{1.2, -1.75, 6.4, 1.75}, adam->spec.label,
            {{steps_axis(g_a.size(), 1), g_a, grey, 1.5, "gₜ"},
             {steps_axis(m_a.size(), 1), m_a, palette_color(3), 3, "mₜ exp_avg"},
             {steps_axis(rms_a.size(), 1), rms_a, palette_color(2), 3, "√vₜ √exp_avg_sq"}});
  s.play({fade_in(left[0]), fade_in(right[0])}, 0.6);
  s.play({with_rate(create(left[1]), RateFn::linear), fade_in(left[2])}, 3.0);
  s.play({with_rate(create(right[1]), RateFn::linear), fade_in(right[2])}, 3.0);
  s.play({fade_in(bottom_note("SGD's momentum buffer sums gradients (≈ g / (1 − β)); Adam's mₜ "
                              "averages them and √vₜ sets the step size.",
                              geo))},
         0.8);
  s.wait(2.5);
}

// One landscape with its runs drawn one after another (earlier ones fade), legend, notes.
void landscape_section(SceneBuilder& s, const FrameGeometry& geo, const ExperimentData& e,
                       const std::string& section_name, const std::string& heading,
                       bool note_minimum) {
  if (e.runs.empty() || !e.runs[0].grid) {
    throw InputError(e.source_path + ": " + section_name + " needs 2D runs with a loss grid");
  }
  s.section(section_name);
  auto title = section_title(heading, geo);
  s.play({write(title)}, 1.0);
  const RunData& first = e.runs[0];
  Landscape land = make_landscape(first.grid, kLandscapeBox, LevelSpacing::kLinear, "θ₁", "θ₂");
  const double column_left = land.axes->plot_box().right + 0.9;
  const double column_width = geo.frame_width() / 2 - 0.5 - column_left;
  ObjectiveInfo info = objective_info(first.spec.objective);
  // Formula at the right, in lines that fit the column.
  auto formula =
      wrapped_formula(info.formula, {column_left, 2.45}, column_width, 38, kTextColor, geo);
  s.play({fade_in(land.axes), fade_in(land.fill), fade_in(formula)}, 1.2);
  s.play({create(land.lines)}, 1.5);

  // Start and minimum, labelled.
  const Axes& axes = *land.axes;
  std::vector<Animation> marks;
  const Vec2 start = axes.data_to_scene(first.trajectory.params[0], first.trajectory.params[1]);
  auto start_dot = std::make_shared<Dot>(start, 0.09, kTextColor, Rgba{0, 0, 0, 1}, 1.5);
  auto start_label =
      boxed_label("start (" + short_number(first.trajectory.params[0]) + ", " +
                      short_number(first.trajectory.params[1]) + ")",
                  kNotePoints, kTextColor, start + Vec2{0, 0.22}, Anchor::kBottom, geo);
  marks.push_back(fade_in(start_dot));
  marks.push_back(fade_in(start_label));
  for (const KnownMinimum& m : info.minima) {
    if (!m.global) continue;
    const Vec2 at = axes.data_to_scene(m.x, m.y);
    marks.push_back(fade_in(std::make_shared<Dot>(at, 0.1, kAccentColor, Rgba{0, 0, 0, 1}, 1.5)));
    marks.push_back(fade_in(
        boxed_label("minimum (" + short_number(m.x) + ", " + short_number(m.y) + ")", kNotePoints,
                    kAccentColor, at + Vec2{0.18, -0.2}, Anchor::kTopLeft, geo)));
  }
  for (const Animation& mark : marks) s.add(mark.target, kMarksZ);  // above the paths drawn later
  s.play(marks, 1.0);

  // Legend entries on the right, each appearing with its path.
  LegendStyle legend_style;
  legend_style.points = 18;
  legend_style.background = {0, 0, 0, 0};
  legend_style.border = {0, 0, 0, 0};
  std::vector<LegendEntry> entries;
  for (std::size_t i = 0; i < e.runs.size(); ++i) {
    const RunData& run = e.runs[i];
    std::string final_loss = run.trajectory.diverged_at >= 0
                                 ? "diverged"
                                 : "loss " + short_number(run.trajectory.loss.back());
    entries.push_back(
        {run.spec.label + "   " + final_loss, run_color(run.spec.color, i), 4, false, true});
  }
  LegendStyle boxed = legend_style;
  boxed.background = {0.08, 0.08, 0.1, 0.78};
  boxed.border = {0.55, 0.55, 0.6, 0.9};
  boxed.title = "after " + std::to_string(first.trajectory.rows - 1) + " steps";
  Legend full(entries, boxed, Vec2{column_left, formula->bounds(geo).bottom - 0.35},
              Anchor::kTopLeft);
  auto frame =
      std::make_shared<RoundedBox>(full.bounds(geo), boxed.background, boxed.border, 1.5, 0.1);
  auto legend_title =
      text_at(boxed.title, 20, kTextColor,
              Vec2{full.bounds(geo).left + boxed.padding, full.bounds(geo).top - boxed.padding},
              Anchor::kTopLeft, true);
  s.play({fade_in(frame), fade_in(legend_title)}, 0.5);

  std::vector<MobjectPtr> paths;
  for (std::size_t i = 0; i < e.runs.size(); ++i) {
    const RunData& run = e.runs[i];
    auto path = std::make_shared<TrajectoryPath>(axes, trajectory_points(run.trajectory),
                                                 entries[i].color, run.trajectory.diverged_at >= 0);
    auto entry = std::make_shared<Legend>(
        std::vector<LegendEntry>{entries[i]}, legend_style,
        Vec2{full.sample_start(i).x - legend_style.padding, full.sample_start(i).y}, Anchor::kLeft);
    std::vector<Animation> anims = {with_rate(create(path), RateFn::linear), fade_in(entry)};
    for (const auto& earlier : paths)
      anims.push_back(with_run_time(opacity_to(earlier, 0.35), 0.6));
    s.play(anims, 3.0);
    paths.push_back(path);
  }
  std::vector<Animation> restore;
  for (const auto& p : paths) restore.push_back(opacity_to(p, 1.0));
  s.play(restore, 0.6);

  std::string note;
  if (note_minimum && !info.minima.empty()) {
    // Which runs ended near the global minimum: read from the data, not assumed.
    const KnownMinimum& m = info.minima[0];
    std::string reached, not_reached;
    for (const RunData& run : e.runs) {
      const auto& p = run.trajectory.params;
      double dx = p[p.size() - 2] - m.x, dy = p[p.size() - 1] - m.y;
      bool near = run.trajectory.diverged_at < 0 && std::hypot(dx, dy) < 0.1;
      std::string& list = near ? reached : not_reached;
      list += (list.empty() ? "" : ", ") + run.spec.label;
    }
    note = "Within 0.1 of the minimum after " + std::to_string(first.trajectory.rows - 1) +
           " steps: " + (reached.empty() ? "none" : reached) + ".";
    if (!not_reached.empty()) note += "  Not yet: " + not_reached + ".";
  } else {
    note = "Same start, same number of steps: only the update rule differs.";
  }
  // The note goes in the right column under the legend (the bottom edge holds the axis labels).
  auto closing =
      text_at(note, kNotePoints, kAccentColor, Vec2{column_left, full.bounds(geo).bottom - 0.35},
              Anchor::kTopLeft, false, column_width);
  s.play({fade_in(closing)}, 0.8);
  s.wait(3.0);
}

}  // namespace

Timeline build_optimizer_comparison(const SceneData& data, const FrameGeometry& geo) {
  const ExperimentData& moments = experiment_at(data, 0, "moments");
  const ExperimentData& rotated = experiment_at(data, 1, "rotated quadratic");
  const ExperimentData& bumpy = experiment_at(data, 2, "bumpy bowl");
  SceneBuilder s(0.6);
  title_section(s, geo);
  memory_section(s, geo, moments);
  ema_section(s, geo, moments);
  adam_section(s, geo, moments);
  landscape_section(s, geo, rotated, "trajectories", "Trajectories on a rotated quadratic", false);
  landscape_section(s, geo, bumpy, "bumpy_bowl", "Momentum on a bowl with bumps", true);
  s.clear(1.0);
  return s.build();
}

}  // namespace trajtool
