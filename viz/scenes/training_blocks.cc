// Blocks of trained tiny models (toolkit/training_scene_blocks.h): the dataset, training curves,
// decision regions through the checkpoints, per-layer norms, activation histograms. Every number
// drawn comes from the cached records (viz/scene_data.h); nothing here trains or evaluates.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "viz/cached_raster.h"
#include "viz/cell_image.h"
#include "viz/colorbar.h"
#include "viz/histogram_bars.h"
#include "viz/legend.h"
#include "viz/line_plot.h"
#include "viz/scatter_points.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/training_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// The usable width of a 16:9 frame: 0.6 from each edge.
constexpr double kLeftEdge = -6.5, kRightEdge = 6.5;

const ExperimentData& training_experiment(SceneContext& c, const std::string& name) {
  const ExperimentData& e = c.experiment(name);
  if (e.trainings.empty()) {
    c.fail("experiment '" + name + "' (" + e.source_path +
           ") has no trained-model runs (a `dataset:` with `runs:`)");
  }
  return e;
}

// The runs named by `labels` (every run when empty, at most `max`), in the order asked.
std::vector<const TrainingData*> pick_runs(SceneContext& c, const ExperimentData& e,
                                           const std::vector<std::string>& labels,
                                           std::size_t max) {
  std::vector<const TrainingData*> out;
  std::string known;
  for (const TrainingData& r : e.trainings) known += (known.empty() ? "" : ", ") + r.spec.label;
  if (labels.empty()) {
    if (e.trainings.size() > max) {
      c.fail("experiment '" + e.name + "' has " + std::to_string(e.trainings.size()) +
             " runs; this block draws at most " + std::to_string(max) +
             ": name them with `runs:` (its runs: " + known + ")");
    }
    for (const TrainingData& r : e.trainings) out.push_back(&r);
    return out;
  }
  for (const std::string& label : labels) {
    const TrainingData* found = nullptr;
    for (const TrainingData& r : e.trainings) {
      if (r.spec.label == label && !found) found = &r;
    }
    if (!found) c.fail("no run '" + label + "' in " + e.source_path + " (its runs: " + known + ")");
    out.push_back(found);
  }
  return out;
}

// The colour of the i-th drawn run: the block's list, else the run's own, else the palette by the
// run's place in its experiment.
Rgba drawn_color(const ExperimentData& e, const TrainingData* run,
                 const std::vector<std::string>& colors, std::size_t i) {
  if (i < colors.size()) return parse_hex_color(colors[i]);
  return run_color(run->spec.color, static_cast<std::size_t>(run - e.trainings.data()));
}

// A histogram's range end, short enough for a narrow column: two decimals (fewer for large
// values, trailing zeros dropped), a real minus.
std::string range_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f",
                std::fabs(v) < 10    ? 2
                : std::fabs(v) < 100 ? 1
                                     : 0,
                v);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  if (text[0] == '-') text = "−" + text.substr(1);
  return text;
}

std::string percent(double share) {  // "96.4%"
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * share);
  return buffer;
}

bool spans_decades(const std::vector<LineSeries>& series, double decades) {
  std::vector<const std::vector<double>*> values;
  for (const LineSeries& s : series) values.push_back(&s.y);
  return trajtool::spans_decades(values, decades);
}

// The dataset, model and training of the drawn runs as one caption; a part that differs between
// runs is left to the legend.
std::string experiment_caption(const std::vector<const TrainingData*>& runs) {
  std::string caption = dataset_caption(*runs[0]);
  std::set<std::string> models, trainings;
  for (const TrainingData* r : runs) {
    models.insert(model_caption(r->spec.model));
    trainings.insert(training_caption(r->spec));
  }
  if (models.size() == 1) caption += "  ·  " + *models.begin();
  if (trainings.size() == 1) caption += "  ·  " + *trainings.begin();
  return caption;
}

// A muted caption centred under a figure, wrapped to the frame's usable width.
std::shared_ptr<Text> caption_text(const std::string& text, double top) {
  return text_at(text, kNotePoints, kMutedColor, {0, top}, Anchor::kTop, false,
                 kRightEdge - kLeftEdge);
}

// Train (solid) and test (dashed) evaluations of one run, as two series.
std::pair<LineSeries, LineSeries> eval_series(const TrainingRecord& r, TrainingMetric metric,
                                              Rgba color, double width) {
  LineSeries train, test;
  train.color = test.color = color;
  train.stroke_px = test.stroke_px = width;
  test.dashed = true;
  const EvalRows& ev = r.eval;
  const bool loss = metric == TrainingMetric::loss;
  for (std::size_t i = 0; i < ev.step.size(); ++i) {
    const double x = static_cast<double>(ev.step[i]);
    train.x.push_back(x);
    test.x.push_back(x);
    train.y.push_back(loss ? ev.train_loss[i] : 100 * ev.train_accuracy[i]);
    test.y.push_back(loss ? ev.test_loss[i] : 100 * ev.test_accuracy[i]);
  }
  return {train, test};
}

std::string loss_axis_label(const TrainingRunSpec& spec) {
  switch (spec.loss) {
    case LossKind::kMse:
      return "loss (mean squared error)";
    case LossKind::kBceWithLogits:
      return "loss (binary cross-entropy, nats)";
    case LossKind::kCrossEntropy:
      break;
  }
  return "loss (cross-entropy, nats)";
}

}  // namespace

void play_block(SceneContext& c, const DatasetBlock& b) {
  const ExperimentData& e = training_experiment(c, b.experiment);
  const TrainingData& run = e.trainings[0];
  if (!run.dataset) c.fail("experiment '" + e.name + "' has no dataset loaded");
  const DatasetRecord& d = *run.dataset;
  const bool images = d.features == 784 && d.feature_names.empty();
  if (images) {
    auto caption = caption_text(dataset_caption(run), -3.0);
    // A grid of the first training images with their class names.
    const int count = static_cast<int>(std::min<int64_t>(b.images, d.train_count));
    const int columns = std::min(count, 8);
    const int rows = (count + columns - 1) / columns;
    const double cell = std::min(1.55, 5.6 / rows);
    const double side = cell * 0.68;
    std::vector<Animation> show;
    for (int k = 0; k < count; ++k) {
      const double cx = (k % columns - (columns - 1) / 2.0) * cell * 1.05;
      const double top = 2.4 - (k / columns) * cell;
      const Box2 box{cx - side / 2, top - side, cx + side / 2, top};
      AxesStyle none;
      none.color = {0, 0, 0, 0};
      none.x_ticks = none.y_ticks = 0;
      Axes axes(Domain{0, 28, 0, 28}, box, none);
      CellColors pixels{28, 28, {}};
      pixels.colors.resize(784);
      double lo = kInf, hi = -kInf;
      for (int p = 0; p < 784; ++p) {
        const double v = d.x_train[static_cast<std::size_t>(k * 784 + p)];
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      for (int j = 0; j < 28; ++j) {
        for (int i = 0; i < 28; ++i) {
          // Cell row 0 is the bottom, the image's last row.
          const double v = d.x_train[static_cast<std::size_t>(k * 784 + (27 - j) * 28 + i)];
          const double g = hi > lo ? (v - lo) / (hi - lo) : 0;
          pixels.colors[static_cast<std::size_t>(j * 28 + i)] = {g, g, g, 1};
        }
      }
      show.push_back(fade_in(
          std::make_shared<CellImage>(axes, Domain{0, 28, 0, 28}, std::move(pixels), false)));
      const auto label = static_cast<int64_t>(d.y_train[static_cast<std::size_t>(k)]);
      show.push_back(fade_in(text_at(class_name(run.spec, label), 18, kTextColor,
                                     {cx, top - side - 0.08}, Anchor::kTop)));
    }
    c.builder.play({fade_in(caption)}, 0.6);
    c.builder.play(show, b.run_time);
    return;
  }
  if (d.features != 2 || !d.has_grid) {
    c.fail("the dataset of '" + e.name + "' has " + std::to_string(d.features) +
           " features: a dataset block draws 2D points or 28x28 images");
  }
  AxesStyle style;
  style.equal_aspect = true;
  style.x_label = b.x_label;
  style.y_label = b.y_label;
  style.tick_points = 18;
  style.label_points = 22;
  auto axes = std::make_shared<Axes>(d.grid, kLandscapeBox, style);
  std::vector<ScatterPoint> points;
  std::vector<int64_t> train_counts(static_cast<std::size_t>(std::max<int64_t>(d.classes, 1)), 0);
  std::vector<int64_t> test_counts = train_counts;
  auto add = [&](const std::vector<double>& x, const std::vector<double>& y, int64_t n, bool ring,
                 std::vector<int64_t>& counts) {
    for (int64_t i = 0; i < n; ++i) {
      const auto k = static_cast<int64_t>(y[static_cast<std::size_t>(i)]);
      if (k >= 0 && k < static_cast<int64_t>(counts.size())) ++counts[static_cast<std::size_t>(k)];
      points.push_back(
          {{x[static_cast<std::size_t>(2 * i)], x[static_cast<std::size_t>(2 * i + 1)]},
           class_color(k),
           ring});
    }
  };
  add(d.x_train, d.y_train, d.train_count, false, train_counts);
  add(d.x_test, d.y_test, d.test_count, true, test_counts);
  auto scatter = std::make_shared<CachedRaster>(std::make_shared<ScatterPoints>(*axes, points));
  // The key: one row per class with its counts, then what a disc and a ring mean.
  const double left = 0.5;
  double y = 2.3;
  std::vector<Animation> key;
  key.push_back(fade_in(text_at("classes", 22, kTextColor, {left, y}, Anchor::kTopLeft, true)));
  y -= 0.55;
  for (std::size_t k = 0; k < train_counts.size(); ++k) {
    key.push_back(fade_in(std::make_shared<Dot>(Vec2{left + 0.12, y - 0.16}, 0.09,
                                                class_color(static_cast<int64_t>(k)))));
    key.push_back(fade_in(text_at(class_name(run.spec, static_cast<int64_t>(k)) + ": " +
                                      std::to_string(train_counts[k]) + " train, " +
                                      std::to_string(test_counts[k]) + " test",
                                  20, kTextColor, {left + 0.35, y}, Anchor::kTopLeft)));
    y -= 0.42;
  }
  y -= 0.2;
  key.push_back(fade_in(std::make_shared<Dot>(Vec2{left + 0.12, y - 0.16}, 0.09, kTextColor)));
  key.push_back(fade_in(
      text_at("training sample (disc)", 20, kTextColor, {left + 0.35, y}, Anchor::kTopLeft)));
  y -= 0.42;
  key.push_back(fade_in(
      std::make_shared<Dot>(Vec2{left + 0.12, y - 0.16}, 0.09, Rgba{0, 0, 0, 0}, kTextColor, 2)));
  key.push_back(fade_in(
      text_at("test sample (ring), held out", 20, kTextColor, {left + 0.35, y}, Anchor::kTopLeft)));
  y -= 0.65;
  // The caption heads the column's foot, under the key.
  auto column_caption = text_at(dataset_caption(run), kNotePoints, kMutedColor, {left, y},
                                Anchor::kTopLeft, false, kRightEdge - left);
  c.builder.play({fade_in(axes), fade_in(column_caption)}, 0.6);
  c.builder.play({fade_in(scatter)}, b.run_time);
  c.builder.play(key, 0.8);
}

void play_block(SceneContext& c, const TrainingCurvesBlock& b) {
  const ExperimentData& first_experiment = training_experiment(c, b.experiment);
  // With `also`, the runs of several experiments as one (colours by place in the pool).
  ExperimentData pooled;
  const ExperimentData* source = &first_experiment;
  if (!b.also.empty()) {
    pooled.name = first_experiment.name;
    pooled.source_path = first_experiment.source_path;
    pooled.trainings = first_experiment.trainings;
    for (const std::string& name : b.also) {
      const ExperimentData& more = training_experiment(c, name);
      pooled.trainings.insert(pooled.trainings.end(), more.trainings.begin(), more.trainings.end());
      pooled.source_path += ", " + more.source_path;
    }
    source = &pooled;
  }
  const ExperimentData& e = *source;
  const auto runs = pick_runs(c, e, b.runs, 12);
  if (!b.colors.empty() && b.colors.size() != runs.size()) {
    c.fail("colors: " + std::to_string(b.colors.size()) + " given for " +
           std::to_string(runs.size()) + " runs");
  }
  std::vector<LineSeries> series;
  std::vector<LegendEntry> entries;
  int64_t max_steps = 1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const TrainingRecord& r = runs[i]->record;
    const Rgba color = drawn_color(e, runs[i], b.colors, i);
    auto [train, test] = eval_series(r, b.metric, color, 3);
    if (train.x.empty()) c.fail("run '" + runs[i]->spec.label + "' recorded no evaluations");
    series.push_back(train);
    series.push_back(test);
    max_steps = std::max(max_steps, r.steps);
    entries.push_back({final_values_label(*runs[i], b.metric == TrainingMetric::accuracy), color, 3,
                       false, false});
  }
  entries.push_back({"train (solid)", kMutedColor, 3, false, false});
  entries.push_back({"test (dashed)", kMutedColor, 3, true, false});
  const bool loss = b.metric == TrainingMetric::loss;
  bool log_y = b.log_y == LogAxis::on ||
               (b.log_y == LogAxis::automatic && loss && spans_decades(series, 1.5));
  if (log_y) {
    for (const LineSeries& s : series) {
      for (double y : s.y) {
        if (std::isfinite(y) && y <= 0)
          c.fail("log_y: a loss of " + short_number(y) + " cannot be shown on a log axis");
      }
    }
  }
  LinePlotStyle style;
  style.axes.x_label = "step (optimizer updates)";
  // The y axis's title stands above it: a long one beside the tick labels would leave the frame.
  auto y_title = text_at(loss ? loss_axis_label(runs[0]->spec) : "accuracy (%)", 20, kTextColor,
                         {b.box.left - 0.5, b.box.top + 0.2}, Anchor::kBottomLeft);
  style.axes.log_y = log_y;
  style.axes.frame = false;
  style.axes.tick_points = 18;
  style.axes.label_points = 20;
  Domain domain = fit_domain(series, log_y, 0.05);
  domain.x_min = 0;
  domain.x_max = static_cast<double>(max_steps);
  if (!loss) domain.y_max = std::min(domain.y_max, 100.5);
  LegendStyle legend_style;
  legend_style.title = loss ? "final loss: train / test" : "final accuracy: train / test";
  legend_style.points = 18;
  // The legend goes right of the plot; long labels take room from the plot, not the margin.
  const double legend_width =
      Legend(entries, legend_style, Vec2{0, 0}, Anchor::kTopLeft).bounds(c.geo).width();
  Box2 box{b.box.left, b.box.bottom, b.box.right, b.box.top};
  box.right = std::min(box.right, kRightEdge + 0.3 - legend_width - 0.55);
  if (box.width() < 3) c.fail("the legend's labels are too long to leave room for the plot");
  auto plot = std::make_shared<LinePlot>(series, box, style, domain);
  auto legend = std::make_shared<Legend>(entries, legend_style, Vec2{box.right + 0.55, box.top},
                                         Anchor::kTopLeft);
  std::vector<Animation> context = {fade_in(y_title)};
  if (b.caption)
    context.push_back(
        fade_in(caption_text(experiment_caption(runs), plot->bounds(c.geo).bottom - 0.3)));
  context.push_back(fade_in(legend->frame()));
  // The legend's title, where the whole legend would draw it (its pieces leave it out).
  const Box2 legend_box = legend->bounds(c.geo);
  context.push_back(fade_in(
      text_at(legend_style.title, legend_style.title_points, legend_style.text_color,
              {legend_box.left + legend_style.padding, legend_box.top - legend_style.padding},
              Anchor::kTopLeft, true)));
  for (std::size_t k = runs.size(); k < entries.size(); ++k) {
    context.push_back(fade_in(legend->entry_alone(k)));
  }
  c.builder.play(context, 0.8);
  std::vector<Animation> draw = {with_rate(create(plot), RateFn::linear)};
  for (std::size_t k = 0; k < runs.size(); ++k) draw.push_back(fade_in(legend->entry_alone(k)));
  c.builder.play(draw, b.run_time);
}

void play_block(SceneContext& c, const DecisionBoundaryBlock& b) {
  const ExperimentData& e = training_experiment(c, b.experiment);
  std::vector<std::string> labels = b.runs;
  if (labels.empty()) {
    for (std::size_t i = 0; i < std::min<std::size_t>(4, e.trainings.size()); ++i) {
      labels.push_back(e.trainings[i].spec.label);
    }
  }
  const auto runs = pick_runs(c, e, labels, 4);
  const TrainingData& first = *runs[0];
  if (!first.dataset) c.fail("experiment '" + e.name + "' has no dataset loaded");
  const DatasetRecord& d = *first.dataset;
  for (const TrainingData* r : runs) {
    if (d.features != 2 || r->record.boundary_nx < 2 || r->record.boundary_ny < 2 ||
        r->record.checkpoints.empty()) {
      c.fail("run '" + r->spec.label + "' has no recorded decision boundary (a decision_boundary " +
             "needs a classifier on 2D inputs; this dataset has " + std::to_string(d.features) +
             " features)");
    }
  }
  const std::size_t n = runs.size();
  int64_t max_steps = 1;
  for (const TrainingData* r : runs) max_steps = std::max(max_steps, r->record.steps);

  struct Panel {
    std::shared_ptr<Axes> axes;
    std::shared_ptr<LinePlot> loss;
    std::vector<std::pair<int64_t, MobjectPtr>> images;  // per checkpoint: step, regions
    std::size_t shown = 0;                               // index of the image on screen
  };
  std::vector<Panel> panels(n);
  std::vector<Animation> frames, marks;
  std::vector<MobjectPtr> scatters;
  // The points go above every region image: regions are added with z just below them.
  const double points_z = static_cast<double>(c.builder.tracks().size()) + 1e5;
  for (std::size_t i = 0; i < n; ++i) {
    const TrainingData& run = *runs[i];
    const TrainingRecord& r = run.record;
    const Rgba color = drawn_color(e, runs[i], b.colors, i);
    const AxesStyle style = panel_axes_style("x₁", "x₂", i == 0);
    Panel& p = panels[i];
    const Box2 region_box = decision_region_box(i, n, b.loss_curve);
    p.axes = std::make_shared<Axes>(d.grid, region_box, style);
    const Box2 plot = p.axes->plot_box();
    frames.push_back(fade_in(p.axes));
    frames.push_back(fade_in(text_at(run.spec.label, 22, color, {plot.center().x, plot.top + 0.12},
                                     Anchor::kBottom, true, region_box.width() + 0.4)));
    // Dense data: smaller dots and translucent training discs, so that the regions show.
    const bool dense = d.train_count + d.test_count > 400;
    std::vector<ScatterPoint> points;
    for (int64_t k = 0; k < d.train_count; ++k) {
      const auto s = static_cast<std::size_t>(k);
      points.push_back(
          {{d.x_train[2 * s], d.x_train[2 * s + 1]},
           with_alpha(class_color(static_cast<int64_t>(d.y_train[s])), dense ? 0.55 : 1.0),
           false});
    }
    for (int64_t k = 0; b.test_points && k < d.test_count; ++k) {
      const auto s = static_cast<std::size_t>(k);
      points.push_back({{d.x_test[2 * s], d.x_test[2 * s + 1]},
                        class_color(static_cast<int64_t>(d.y_test[s])),
                        true});
    }
    ScatterStyle dots;
    dots.radius = (n > 2 ? 0.035 : 0.045) * (dense ? 0.65 : 1.0);
    if (dense) dots.outline = Rgba{0, 0, 0, 0};
    dots.ring_px = dense ? 1.0 : dots.ring_px;
    auto scatter =
        std::make_shared<CachedRaster>(std::make_shared<ScatterPoints>(*p.axes, points, dots));
    scatters.push_back(scatter);
    marks.push_back(fade_in(scatter));
    // One picture of the regions per checkpoint.
    const Domain area = cells_around_samples(r.boundary_grid, r.boundary_nx, r.boundary_ny);
    const auto classes = r.boundary_classes;
    for (const Checkpoint& cp : r.checkpoints) {
      if (cp.boundary.size() != static_cast<std::size_t>(r.boundary_nx * r.boundary_ny * classes)) {
        c.fail("run '" + run.spec.label + "': checkpoint " + std::to_string(cp.step) +
               " has no decision boundary of " + std::to_string(r.boundary_nx) + "x" +
               std::to_string(r.boundary_ny) + " points");
      }
      CellColors cells{r.boundary_nx, r.boundary_ny, {}};
      cells.colors.reserve(static_cast<std::size_t>(r.boundary_nx * r.boundary_ny));
      for (int64_t g = 0; g < r.boundary_nx * r.boundary_ny; ++g) {
        cells.colors.push_back(
            region_color(&cp.boundary[static_cast<std::size_t>(g * classes)], classes));
      }
      p.images.push_back(
          {cp.step, std::make_shared<CellImage>(*p.axes, area, std::move(cells), true)});
    }
    // By step, whatever order the record lists its checkpoints in.
    std::sort(p.images.begin(), p.images.end(),
              [](const auto& a, const auto& z) { return a.first < z.first; });
    if (b.loss_curve) {
      auto [train, test] = eval_series(r, TrainingMetric::loss, color, 2.5);
      std::vector<LineSeries> both = {train, test};
      const bool log_y = spans_decades(both, 1.0);
      LinePlotStyle ls;
      ls.axes.frame = false;
      ls.axes.log_y = log_y;
      ls.axes.tick_points = 18;
      ls.axes.label_points = 18;
      ls.axes.x_ticks = n > 2 ? 2 : 3;
      ls.axes.y_ticks = 3;
      ls.axes.x_label = "step";
      if (i == 0) ls.axes.y_label = "loss";
      Domain domain = fit_domain(both, log_y, 0.08);
      domain.x_min = 0;
      domain.x_max = static_cast<double>(max_steps);
      p.loss = std::make_shared<LinePlot>(both, decision_loss_box(i, n), ls, domain);
    }
  }
  // The key under the panels: what discs, rings and colours mean.
  std::vector<LegendEntry> key_entries;
  for (int64_t k = 0; k < d.classes; ++k) {
    key_entries.push_back({class_name(first.spec, k), class_color(k), 8, false, false});
  }
  key_entries.push_back({"loss: train solid, test dashed", kMutedColor, 2.5, false, false});
  LegendStyle key_style;
  key_style.layout = LegendLayout::kHorizontal;
  key_style.points = 18;
  key_style.background = key_style.border = Rgba{0, 0, 0, 0};
  key_style.padding = 0;
  auto key =
      std::make_shared<Legend>(key_entries, key_style, Vec2{kLeftEdge, -3.6}, Anchor::kBottomLeft);
  auto key_note =
      text_at("discs: train · rings: test", 18, kMutedColor,
              {key->bounds(c.geo).right + 0.35, key->bounds(c.geo).center().y}, Anchor::kLeft);
  auto counter =
      std::make_shared<StepCounter>(max_steps, Vec2{kRightEdge, -3.6}, Anchor::kBottomRight, 20);
  // Context first: the axes and the data, then the regions at step 0 with the loss axes.
  c.builder.play(frames, 0.8);
  for (std::size_t i = 0; i < n; ++i) c.builder.add(scatters[i], points_z + static_cast<double>(i));
  c.builder.play(marks, 0.8);
  std::vector<Animation> start = {fade_in(key), fade_in(key_note), fade_in(counter),
                                  with_run_time(reveal_to(counter, 0), 0)};
  for (std::size_t i = 0; i < n; ++i) {
    Panel& p = panels[i];
    c.builder.add(p.images[0].second, points_z - 1 + 1e-4 * static_cast<double>(i));
    start.push_back(fade_in(p.images[0].second));
    if (p.loss) {
      start.push_back(fade_in(p.loss));
      start.push_back(with_run_time(reveal_to(p.loss, 0), 0));
    }
  }
  c.builder.play(start, 1.0);
  // Every checkpoint step of every panel, thinned to at most 41 stops.
  std::set<int64_t> all_steps;
  for (const Panel& p : panels) {
    for (const auto& [step, image] : p.images) all_steps.insert(step);
  }
  std::vector<int64_t> stops(all_steps.begin(), all_steps.end());
  if (stops.size() > 41) {
    std::vector<int64_t> thinned;
    const double every = static_cast<double>(stops.size() - 1) / 40.0;
    for (int k = 0; k <= 40; ++k)
      thinned.push_back(stops[static_cast<std::size_t>(std::lround(k * every))]);
    stops = thinned;
  }
  const double run_time =
      b.run_time > 0 ? b.run_time : std::clamp(0.35 * static_cast<double>(stops.size()), 4.0, 12.0);
  double layer = 0;
  for (std::size_t s = 1; s < stops.size(); ++s) {
    const double fraction = static_cast<double>(stops[s]) / static_cast<double>(max_steps);
    const double dt =
        run_time * static_cast<double>(stops[s] - stops[s - 1]) / static_cast<double>(max_steps);
    std::vector<Animation> step = {with_rate(reveal_to(counter, fraction), RateFn::linear)};
    std::vector<MobjectPtr> leaving;
    for (std::size_t i = 0; i < n; ++i) {
      Panel& p = panels[i];
      if (p.loss) step.push_back(with_rate(reveal_to(p.loss, fraction), RateFn::linear));
      std::size_t next = p.shown;
      while (next + 1 < p.images.size() && p.images[next + 1].first <= stops[s]) ++next;
      if (next == p.shown) continue;
      layer += 1;
      c.builder.add(p.images[next].second,
                    points_z - 1 + 1e-4 * static_cast<double>(i) + 1e-8 * layer);
      step.push_back(with_rate(fade_in(p.images[next].second), RateFn::linear));
      leaving.push_back(p.images[p.shown].second);
      p.shown = next;
    }
    c.builder.play(step, dt);
    for (const auto& m : leaving) c.builder.remove(m);
  }
  // The end: each run's final test accuracy in its panel.
  std::vector<Animation> results;
  for (std::size_t i = 0; i < n; ++i) {
    const TrainingRecord& r = runs[i]->record;
    if (r.eval.step.empty()) continue;
    const Box2 plot = panels[i].axes->plot_box();
    const std::string text = r.diverged_at >= 0
                                 ? "diverged at step " + std::to_string(r.diverged_at)
                                 : "test accuracy " + percent(r.eval.test_accuracy.back());
    // Under the panel's x axis when that leaves the loss plot below clear, else inside the
    // panel's bottom right corner.
    const double under = panels[i].axes->bounds(c.geo).bottom - 0.1;
    auto label = boxed_label(text, 18, kTextColor, {plot.center().x, under}, Anchor::kTop, c.geo);
    const double floor = b.loss_curve ? decision_loss_box(i, n).top + 0.15 : -3.2;
    if (label->bounds(c.geo).bottom < floor) {
      label = boxed_label(text, 18, kTextColor, {plot.right - 0.08, plot.bottom + 0.08},
                          Anchor::kBottomRight, c.geo);
    }
    c.builder.add(label, points_z + 10 + static_cast<double>(i));  // over the regions
    results.push_back(fade_in(label));
  }
  c.builder.play(results, 0.6);
}

namespace {

const char* value_title(LayerValue v) {
  switch (v) {
    case LayerValue::weight_norm:
      return "weight norm ‖W‖";
    case LayerValue::update_ratio:
      return "update ratio ‖ΔW‖/‖W‖";
    case LayerValue::grad_norm:
      break;
  }
  return "gradient norm ‖∇W‖";
}

const char* value_symbol(LayerValue v) {
  switch (v) {
    case LayerValue::weight_norm:
      return "‖W‖";
    case LayerValue::update_ratio:
      return "‖ΔW‖/‖W‖";
    case LayerValue::grad_norm:
      break;
  }
  return "‖∇W‖";
}

const char* value_key(LayerValue v) {
  switch (v) {
    case LayerValue::weight_norm:
      return "weight_norm";
    case LayerValue::update_ratio:
      return "update_ratio";
    case LayerValue::grad_norm:
      break;
  }
  return "grad_norm";
}

}  // namespace

// Steps per heat-map column: every step up to 400 steps, else equal groups (their geometric mean).
constexpr int64_t kMaxHeatmapColumns = 400;
// Points per line of layer norms: every step up to 300 steps, else equal groups' geometric means.
constexpr int64_t kMaxLinePoints = 300;

void play_block(SceneContext& c, const LayerNormsBlock& b) {
  const ExperimentData& e = training_experiment(c, b.experiment);
  const auto runs = pick_runs(c, e, b.runs, 4);
  const std::size_t n = runs.size();
  Colormap colormap;
  colormap.name = parse_colormap_name(b.colormap);
  // The shared scale: every finite positive value of every drawn layer.
  double low = kInf, high = 0;
  int64_t max_rows = 1;
  std::vector<std::vector<LayerSeries>> layers(n);
  for (std::size_t i = 0; i < n; ++i) {
    layers[i] = layer_series(runs[i]->record, value_key(b.value), b.biases);
    if (layers[i].empty()) c.fail("run '" + runs[i]->spec.label + "' recorded no parameter series");
    max_rows = std::max(max_rows, runs[i]->record.rows);
    for (const LayerSeries& l : layers[i]) {
      for (double v : *l.values) {
        if (std::isfinite(v) && v > 0) {
          low = std::min(low, v);
          high = std::max(high, v);
        }
      }
    }
  }
  if (!(high > 0)) c.fail("no positive " + std::string(value_key(b.value)) + " values to draw");
  low = std::max(low, high * 1e-12);
  const std::string title = value_title(b.value);
  std::vector<Animation> frames, data;
  if (b.mode == LayerNormsMode::heatmap) {
    const ContourLevels scale = log_color_scale(low, high);
    const double top = 2.2, bottom = -2.45;
    for (std::size_t i = 0; i < n; ++i) {
      const TrainingRecord& r = runs[i]->record;
      const int count = static_cast<int>(layers[i].size());
      const Box2 box = layer_heatmap_box(i, n);
      AxesStyle style;
      style.tick_points = 18;
      style.label_points = 20;
      style.y_label = b.biases ? "tensor" : "layer";
      style.x_label = i + 1 == n ? "step (optimizer updates)" : "";
      style.y_ticks = std::min(count, 5);
      const Domain domain{0, static_cast<double>(max_rows), 0.5, count + 0.5};
      auto axes = std::make_shared<Axes>(domain, box, style);
      frames.push_back(fade_in(axes));
      frames.push_back(fade_in(text_at(runs[i]->spec.label, 20, drawn_color(e, runs[i], {}, i),
                                       {box.left, box.top + 0.08}, Anchor::kBottomLeft, true)));
      const int64_t rows = r.rows;
      const int64_t columns = std::min(rows, kMaxHeatmapColumns);
      CellColors cells{columns, count, {}};
      for (int row = 0; row < count; ++row) {
        const std::vector<double>& v = *layers[i][static_cast<std::size_t>(row)].values;
        for (int64_t col = 0; col < columns; ++col) {
          const int64_t s0 = col * rows / columns, s1 = (col + 1) * rows / columns;
          double sum = 0;
          int used = 0;
          bool zero = false;
          for (int64_t s = s0; s < s1 && s < static_cast<int64_t>(v.size()); ++s) {
            const double x = v[static_cast<std::size_t>(s)];
            if (!std::isfinite(x)) continue;
            if (x <= 0) {
              zero = true;
              continue;
            }
            sum += std::log10(x);
            ++used;
          }
          Rgba color{0, 0, 0, 0};  // nothing finite: see-through
          if (used > 0) {
            color = colormap.sample(scale.fraction(std::pow(10.0, sum / used)));
          } else if (zero) {
            color = colormap.sample(0);
          }
          cells.colors.push_back(color);
        }
      }
      const Domain area{0, static_cast<double>(rows), 0.5, count + 0.5};
      data.push_back(
          with_rate(create(std::make_shared<CellImage>(*axes, area, std::move(cells), false, true)),
                    RateFn::linear));
    }
    ColorbarStyle bar;
    bar.colormap = colormap;
    bar.title = value_symbol(b.value);
    bar.tick_points = 18;
    bar.title_points = 20;
    frames.push_back(fade_in(text_at(std::string("colour: ") + title + " of each " +
                                         (b.biases ? "weight and bias tensor" : "layer's weights") +
                                         " (L2, log scale)",
                                     18, kMutedColor, {0, -3.4}, Anchor::kTop)));
    frames.push_back(
        fade_in(std::make_shared<Colorbar>(scale, Box2{4.75, bottom + 0.4, 5.05, top - 0.3}, bar)));
  } else {
    const double gap = 0.8;
    const double left0 = -5.6, right0 = 4.3;
    const double width =
        (right0 - left0 - gap * static_cast<double>(n - 1)) / static_cast<double>(n);
    Domain domain{0, static_cast<double>(max_rows), low / 1.3, high * 1.3};
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<LineSeries> lines;
      const int count = static_cast<int>(layers[i].size());
      for (const LayerSeries& l : layers[i]) {
        LineSeries s;
        s.color =
            colormap.sample(count > 1 ? (l.layer - 1.0) / (layers[i].back().layer - 1.0) : 0.5);
        s.stroke_px = 2;
        // More than kMaxLinePoints steps: the geometric mean of equal groups of steps, drawn at
        // the group's middle (a line per step would be a noise band, and slow to draw).
        const auto rows = static_cast<int64_t>(l.values->size());
        const int64_t points = std::min(rows, kMaxLinePoints);
        for (int64_t g = 0; g < points; ++g) {
          const int64_t s0 = g * rows / points, s1 = (g + 1) * rows / points;
          double sum = 0;
          int used = 0;
          for (int64_t t = s0; t < s1; ++t) {
            const double v = (*l.values)[static_cast<std::size_t>(t)];
            if (std::isfinite(v) && v > 0) {
              sum += std::log10(v);
              ++used;
            }
          }
          s.x.push_back(static_cast<double>(s0 + s1 - 1) / 2);
          s.y.push_back(used > 0 ? std::max(std::pow(10.0, sum / used), domain.y_min) : NAN);
        }
        lines.push_back(std::move(s));
      }
      LinePlotStyle style;
      style.axes.log_y = true;
      style.axes.frame = false;
      style.axes.tick_points = 18;
      style.axes.label_points = 20;
      style.axes.x_label = "step";
      style.axes.x_ticks = n > 2 ? 3 : 5;
      const double left = left0 + static_cast<double>(i) * (width + gap);
      if (i == 0) {
        frames.push_back(fade_in(text_at(std::string(title) + " (L2, log scale)", 20, kTextColor,
                                         {left - 0.5, 2.5}, Anchor::kBottomLeft)));
      }
      auto plot =
          std::make_shared<LinePlot>(lines, Box2{left, -2.6, left + width, 2.0}, style, domain);
      frames.push_back(fade_in(text_at(runs[i]->spec.label, 20, drawn_color(e, runs[i], {}, i),
                                       {left + width / 2, 2.1}, Anchor::kBottom, true, width)));
      data.push_back(with_rate(create(plot), RateFn::linear));
    }
    const int count = layers[0].back().layer;
    ContourLevels depth;
    depth.low = 1;
    depth.high = std::max(2, count);
    for (int k = 1; k <= depth.high; ++k) depth.values.push_back(k);
    ColorbarStyle bar;
    bar.colormap = colormap;
    bar.title = "layer";
    bar.tick_points = 18;
    frames.push_back(fade_in(std::make_shared<Colorbar>(depth, Box2{4.95, -2.2, 5.25, 1.9}, bar)));
  }
  c.builder.play(frames, 0.8);
  c.builder.play(data, b.run_time);
}

namespace {

void activation_histograms(SceneContext& c, const ActivationHistogramsBlock& b,
                           const ExperimentData& e, const TrainingData& run, std::size_t index) {
  const TrainingRecord& r = run.record;
  const std::vector<std::size_t> modules = hidden_activation_modules(r);
  if (modules.empty() || r.checkpoints.empty()) {
    c.fail("run '" + run.spec.label + "' recorded no hidden-layer activations");
  }
  std::vector<const Checkpoint*> picked;
  if (b.steps.empty()) {  // the first and the last by step
    auto by_step = [](const Checkpoint& a, const Checkpoint& z) { return a.step < z.step; };
    picked = {&*std::min_element(r.checkpoints.begin(), r.checkpoints.end(), by_step),
              &*std::max_element(r.checkpoints.begin(), r.checkpoints.end(), by_step)};
  } else {
    std::string known;
    for (const Checkpoint& cp : r.checkpoints)
      known += (known.empty() ? "" : ", ") + std::to_string(cp.step);
    for (int64_t step : b.steps) {
      const Checkpoint* found = nullptr;
      for (const Checkpoint& cp : r.checkpoints) {
        if (cp.step == step) found = &cp;
      }
      if (!found) {
        c.fail("steps: run '" + run.spec.label + "' has no checkpoint at step " +
               std::to_string(step) + " (its checkpoints: " + known + ")");
      }
      picked.push_back(found);
    }
  }
  auto values_of = [&](const Checkpoint& cp, std::size_t module) -> const std::vector<double>& {
    const std::string& name = r.layer_names[module];
    for (const NamedTensor& t : cp.activations) {
      if (t.name == name) return t.values;
    }
    c.fail("run '" + run.spec.label + "': checkpoint " + std::to_string(cp.step) +
           " recorded no activations of layer " + name);
  };
  const std::size_t columns = modules.size();
  const double tops[2] = {activation_histogram_box(0, columns, 0).top,
                          activation_histogram_box(0, columns, 1).top};
  const double height = activation_histogram_box(0, columns, 0).height();
  const Rgba color = drawn_color(e, &run, {}, index);
  std::vector<Animation> frames, bars[2];
  int64_t samples = 0;
  for (std::size_t col = 0; col < columns; ++col) {
    const std::vector<double>& a = values_of(*picked[0], modules[col]);
    const std::vector<double>& z = values_of(*picked[1], modules[col]);
    double lo = kInf, hi = -kInf;
    for (const auto* v : {&a, &z}) {
      for (double x : *v) {
        if (!std::isfinite(x)) continue;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    }
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    for (const NamedTensor& t : picked[0]->activations) {
      if (!t.shape.empty()) samples = t.shape[0];
    }
    const double left = activation_histogram_box(col, columns, 0).left;
    const double right = activation_histogram_box(col, columns, 0).right;
    frames.push_back(fade_in(text_at("layer " + std::to_string(col + 1), 18, kTextColor,
                                     {(left + right) / 2, tops[0] + 0.4}, Anchor::kBottom)));
    for (int row = 0; row < 2; ++row) {
      const std::vector<double>& all = row == 0 ? a : z;
      // After a ReLU, exact zeros (inactive units) would flatten everything else into one bin:
      // they are counted apart and said above the bars.
      const bool relu = r.layer_kinds[modules[col]] == "ReLU";
      std::vector<double> v;
      std::size_t zeros = 0;
      for (double x : all) {
        if (relu && x == 0) {
          ++zeros;
        } else {
          v.push_back(x);
        }
      }
      if (relu) {
        char share[48];
        std::snprintf(share, sizeof share, "%.0f%% at 0",
                      100.0 * static_cast<double>(zeros) /
                          static_cast<double>(std::max<std::size_t>(1, all.size())));
        frames.push_back(fade_in(
            text_at(share, 18, kAccentColor, {right, tops[row] + 0.02}, Anchor::kBottomRight)));
      }
      std::vector<double> counts = histogram_counts(v, lo, hi, b.bins);
      const double peak = *std::max_element(counts.begin(), counts.end());
      for (double& k : counts) k = peak > 0 ? k / peak : 0;
      AxesStyle none;
      none.color = {0, 0, 0, 0};
      Axes axes(Domain{lo, hi, 0, 1.05}, Box2{left, tops[row] - height, right, tops[row]}, none);
      bars[row].push_back(
          create(std::make_shared<HistogramBars>(axes, lo, hi, counts, with_alpha(color, 0.85))));
      frames.push_back(fade_in(std::make_shared<Line>(
          Vec2{left, tops[row] - height}, Vec2{right, tops[row] - height}, kMutedColor, 1.5)));
      if (row == 1) {  // the range once per column, under its last row
        frames.push_back(fade_in(text_at(range_text(lo), 18, kMutedColor,
                                         {left, tops[row] - height - 0.06}, Anchor::kTopLeft)));
        frames.push_back(fade_in(text_at(range_text(hi), 18, kMutedColor,
                                         {right, tops[row] - height - 0.06}, Anchor::kTopRight)));
      }
    }
  }
  for (int row = 0; row < 2; ++row) {
    const int64_t step = picked[static_cast<std::size_t>(row)]->step;
    std::string label = "step " + std::to_string(step);
    if (step == 0) {
      label += "\n(init)";
    } else if (step == r.steps) {
      label += "\n(end)";
    }
    frames.push_back(fade_in(
        text_at(label, 20, kTextColor, {-6.5, tops[row] - height / 2}, Anchor::kLeft, true)));
  }
  frames.push_back(fade_in(
      text_at("outputs of each hidden layer's activation for " + std::to_string(samples) +
                  " fixed test samples; x: activation value (range under each column), bars "
                  "scaled to the peak",
              18, kMutedColor, {0.8, -3.3}, Anchor::kTop, false, 11.4)));
  c.builder.play(frames, 0.8);
  c.builder.play(bars[0], b.run_time);
  c.builder.play(bars[1], b.run_time);
}

}  // namespace

void play_block(SceneContext& c, const ActivationHistogramsBlock& b) {
  const ExperimentData& e = training_experiment(c, b.experiment);
  const auto runs = pick_runs(c, e, b.runs, 4);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    c.builder.section("activations: " + runs[i]->spec.label);
    c.builder.play({write(section_title("Activations per layer: " + runs[i]->spec.label, c.geo))},
                   1.0);
    activation_histograms(c, b, e, *runs[i],
                          static_cast<std::size_t>(runs[i] - e.trainings.data()));
    c.builder.wait(2.0);
  }
}

}  // namespace trajtool
