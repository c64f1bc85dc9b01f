// The scenes of trained models drawn from hand-made records, checked pixel by pixel against
// geometry: a decision region has the colour of the class the recorded boundary grid gives there,
// a heat-map cell the colour map's colour of the recorded norm, a training curve ends at the last
// evaluation; and the blocks' mistakes are errors naming the file, the line and the key.
#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "tests/support/still_frame.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/axes.h"
#include "viz/colormap.h"
#include "viz/line_plot.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_player.h"
#include "viz/scenes/training_kit.h"

namespace trajtool {
namespace {

using testing::close_to;
using testing::color_distance;
using testing::StillFrame;

namespace fs = std::filesystem;

constexpr int64_t kSteps = 100;
constexpr int64_t kGrid = 24;

// Class 1's probability at (x, y) at checkpoint `step`: split by y > 0 (unsure) at step 0, by
// x > 0 (sure away from it) at the end.
double p1(int64_t step, double x, double y) {
  if (step == 0) return y > 0 ? 0.55 : 0.45;
  return 1 / (1 + std::exp(-4 * x));
}

// A tiny 2D two-class dataset: a cluster of each class, tight enough to leave most of the plane
// free for looking at regions.
std::shared_ptr<DatasetRecord> two_clusters() {
  auto d = std::make_shared<DatasetRecord>();
  d->sample_shape = {2};
  d->features = 2;
  d->classes = 2;
  for (int i = 0; i < 12; ++i) {
    const double jitter = 0.04 * (i % 4) - 0.06;
    const int k = i % 2;
    const bool test = i >= 10;
    auto& x = test ? d->x_test : d->x_train;
    auto& y = test ? d->y_test : d->y_train;
    x.push_back(k == 0 ? -1.2 + jitter : 1.2 + jitter);
    x.push_back(k == 0 ? 0.9 - jitter : 0.9 + jitter);
    y.push_back(k);
  }
  d->train_count = 10;
  d->test_count = 2;
  d->has_grid = true;
  d->grid = {-2, 2, -1.5, 1.5};
  return d;
}

// A run of a 2-8-8-2 relu MLP: evaluations at 0, 50 and 100 ending in 0.0312 / 0.0451, boundaries
// at steps 0 and 100, gradient norms 10^(-layer - t / 100) for weight tensors.
TrainingData run_on(std::shared_ptr<DatasetRecord> d, const std::string& label,
                    const std::string& color) {
  TrainingData run;
  run.spec.label = label;
  run.spec.color = color;
  run.spec.dataset.name = "moons";
  run.spec.dataset.samples = 12;
  run.spec.dataset.noise = 0.1;
  run.spec.model.layers = {2, 8, 8, 2};
  run.spec.model.activations = {"relu", "relu"};
  run.spec.steps = kSteps;
  run.spec.batch_size = 4;
  run.spec.full_batch = false;
  run.dataset = d;
  TrainingRecord& r = run.record;
  r.steps = r.rows = kSteps;
  for (int64_t t = 0; t < kSteps; ++t)
    r.train_loss.push_back(0.7 * std::exp(-0.03 * static_cast<double>(t)));
  r.eval.step = {0, 50, 100};
  r.eval.train_loss = {0.69, 0.2, 0.0312};
  r.eval.test_loss = {0.7, 0.25, 0.0451};
  r.eval.train_accuracy = {0.5, 0.9, 1.0};
  r.eval.test_accuracy = {0.5, 0.5, 1.0};
  for (int layer = 1; layer <= 3; ++layer) {
    for (const char* kind : {".weight", ".bias"}) {
      ParameterSteps p;
      p.name = std::to_string(2 * (layer - 1)) + kind;
      for (int64_t t = 0; t < kSteps; ++t) {
        p.grad_norm.push_back(std::pow(10.0, -layer - static_cast<double>(t) / 100));
        p.weight_norm.push_back(1.0);
        p.update_ratio.push_back(1e-3);
      }
      r.parameters.push_back(p);
    }
  }
  r.layer_names = {"0", "1", "2", "3", "4"};
  r.layer_kinds = {"Linear", "ReLU", "Linear", "ReLU", "Linear"};
  r.boundary_grid = d->grid;
  r.boundary_nx = r.boundary_ny = kGrid;
  r.boundary_classes = 2;
  for (int64_t step : {int64_t{0}, kSteps}) {
    Checkpoint cp;
    cp.step = step;
    for (int64_t j = 0; j < kGrid; ++j) {
      for (int64_t i = 0; i < kGrid; ++i) {
        const double x = -2 + 4.0 * static_cast<double>(i) / (kGrid - 1);
        const double y = -1.5 + 3.0 * static_cast<double>(j) / (kGrid - 1);
        cp.boundary.push_back(1 - p1(step, x, y));
        cp.boundary.push_back(p1(step, x, y));
      }
    }
    for (const char* module : {"1", "3"}) {
      NamedTensor a;
      a.name = module;
      a.shape = {8, 8};
      for (int k = 0; k < 64; ++k)
        a.values.push_back(static_cast<double>(k % 8) * (static_cast<double>(step) + 1.0));
      cp.activations.push_back(a);
    }
    r.checkpoints.push_back(cp);
  }
  return run;
}

SceneData training_data(int runs = 1) {
  auto d = two_clusters();
  ExperimentData e;
  e.name = "clusters";
  e.source_path = "clusters.yaml";
  const char* colors[] = {"#ff2020", "#20ff20", "#2020ff", "#ffff20"};
  const char* labels[] = {"SGD", "Momentum", "Adam", "AdamW"};
  for (int i = 0; i < runs; ++i) e.trainings.push_back(run_on(d, labels[i], colors[i]));
  SceneData data;
  data.experiments.push_back(e);
  return data;
}

// Fashion-MNIST-like: 30 images of 28x28 (a bright square at a place depending on the class),
// 10 classes, two runs without decision boundaries.
SceneData image_data() {
  auto d = std::make_shared<DatasetRecord>();
  d->sample_shape = {1, 28, 28};
  d->features = 784;
  d->classes = 10;
  d->train_count = 30;
  d->test_count = 10;
  for (int k = 0; k < 40; ++k) {
    auto& x = k < 30 ? d->x_train : d->x_test;
    for (int p = 0; p < 784; ++p) x.push_back((p / 28) / 3 == k % 9 ? 1.0 : 0.0);
    (k < 30 ? d->y_train : d->y_test).push_back(k % 10);
  }
  SceneData data = training_data(2);
  ExperimentData& e = data.experiments[0];
  for (TrainingData& run : e.trainings) {
    run.dataset = d;
    run.spec.dataset = DatasetSpec{};
    run.spec.dataset.name = "fashion_mnist";
    run.record.boundary_nx = run.record.boundary_ny = 0;
  }
  e.trainings[1].spec.model.kind = "cnn";
  e.trainings[1].spec.model.channels = {8, 16};
  e.trainings[1].spec.model.hidden = {64};
  return data;
}

std::string one_section(const std::string& blocks) {
  return "experiments: {main: clusters.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
}

Timeline play_text(const std::string& blocks, const SceneData& data, const FrameGeometry& geo) {
  return play_scene(parse_scene_script(one_section(blocks), "scenes/T.yaml"), data, geo);
}

// The InputError message of reading and playing `blocks` on `data`, "" if none.
std::string error_of(const std::string& blocks, const SceneData& data = training_data()) {
  try {
    play_text(blocks, data, FrameGeometry{});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Grid nodes away from every sample (and from the panel's corner label), where only the regions
// show.
std::vector<std::pair<int64_t, int64_t>> free_nodes(const DatasetRecord& d) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int64_t j = 5; j < kGrid - 1; j += 3) {
    for (int64_t i = 1; i < kGrid - 1; i += 2) {
      const double x = -2 + 4.0 * static_cast<double>(i) / (kGrid - 1);
      const double y = -1.5 + 3.0 * static_cast<double>(j) / (kGrid - 1);
      bool near = false;
      for (std::size_t k = 0; k + 1 < d.x_train.size(); k += 2) {
        near |= std::hypot(d.x_train[k] - x, d.x_train[k + 1] - y) < 0.35;
      }
      for (std::size_t k = 0; k + 1 < d.x_test.size(); k += 2) {
        near |= std::hypot(d.x_test[k] - x, d.x_test[k + 1] - y) < 0.35;
      }
      if (!near && std::fabs(x) > 0.4) out.push_back({i, j});
    }
  }
  return out;
}

TEST(TrainingScenes, DecisionRegionsHaveTheColourOfTheRecordedClass) {
  SceneData data = training_data();
  FrameGeometry geo;
  Timeline timeline = play_text(
      "      - decision_boundary: {experiment: main, run_time: 4}\n"
      "      - wait: 2\n",
      data, geo);
  const TrainingRecord& r = data.experiments[0].trainings[0].record;
  AxesStyle style;
  style.equal_aspect = true;
  Axes axes(r.boundary_grid, decision_region_box(0, 1, true), style);
  const auto nodes = free_nodes(*data.experiments[0].trainings[0].dataset);
  ASSERT_GE(nodes.size(), 20u);
  // Step 0 (the axes, the points, then the first regions: 0.8 + 0.8 + 1.0 s), then the end.
  const struct {
    double t;
    std::size_t checkpoint;
  } moments[] = {{2.62, 0}, {timeline.duration() - 1.6, 1}};
  for (const auto& moment : moments) {
    StillFrame still(timeline, moment.t, geo);
    const Checkpoint& cp = r.checkpoints[moment.checkpoint];
    int right = 0;
    for (const auto& [i, j] : nodes) {
      const double x = -2 + 4.0 * static_cast<double>(i) / (kGrid - 1);
      const double y = -1.5 + 3.0 * static_cast<double>(j) / (kGrid - 1);
      const double* probs = &cp.boundary[static_cast<std::size_t>(2 * (j * kGrid + i))];
      const Rgba seen = still.at_scene(geo, axes.data_to_scene(x, y));
      const Rgba expected = region_color(probs, 2);
      // The recorded class's colour, and not the other class's.
      const double other[2] = {probs[1], probs[0]};
      if (color_distance(seen, expected) < 0.06 &&
          color_distance(seen, region_color(other, 2)) > 0.06) {
        ++right;
      } else {
        ADD_FAILURE() << "checkpoint " << cp.step << " at (" << x << ", " << y << "): pixel "
                      << seen.r << " " << seen.g << " " << seen.b << ", expected " << expected.r
                      << " " << expected.g << " " << expected.b;
      }
    }
    EXPECT_EQ(right, static_cast<int>(nodes.size())) << "checkpoint " << cp.step;
  }
}

TEST(TrainingScenes, HeatMapCellsHaveTheColourMapColourOfTheRecordedNorm) {
  SceneData data = training_data(2);
  FrameGeometry geo;
  Timeline timeline = play_text(
      "      - layer_norms: {experiment: main, mode: heatmap, colormap: magma}\n"
      "      - wait: 2\n",
      data, geo);
  StillFrame still(timeline, timeline.duration() - 1.6, geo);
  // The scale an independent reader of the record finds: every weight tensor's grad norms.
  double low = INFINITY, high = 0;
  for (const TrainingData& run : data.experiments[0].trainings) {
    for (const ParameterSteps& p : run.record.parameters) {
      if (p.name.find(".weight") == std::string::npos) continue;
      for (double v : p.grad_norm) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  const ContourLevels scale = log_color_scale(low, high);
  Colormap magma;
  magma.name = ColormapName::kMagma;
  for (std::size_t panel = 0; panel < 2; ++panel) {
    const TrainingRecord& r = data.experiments[0].trainings[panel].record;
    Axes axes(Domain{0, static_cast<double>(kSteps), 0.5, 3.5}, layer_heatmap_box(panel, 2),
              AxesStyle{});
    for (int layer = 1; layer <= 3; ++layer) {
      const ParameterSteps& weights = r.parameters[static_cast<std::size_t>(2 * (layer - 1))];
      for (int64_t t : {5, 37, 80, 96}) {
        const double norm = weights.grad_norm[static_cast<std::size_t>(t)];
        const Rgba expected = magma.sample(scale.fraction(norm));
        const Rgba seen =
            still.at_scene(geo, axes.data_to_scene(static_cast<double>(t) + 0.5, layer));
        EXPECT_LT(color_distance(seen, expected), 0.03)
            << "panel " << panel << " layer " << layer << " step " << t << ": " << seen.r << " "
            << seen.g << " " << seen.b << " vs " << expected.r << " " << expected.g << " "
            << expected.b;
      }
    }
  }
}

// Module "1" (ReLU) outputs k % 8 for 64 values; at step 0 all are 0..7 (the column's range is
// 0..707, shared with step 100's 0..707): every nonzero value falls in the first of 24 bins, so
// one bar of full height there and nothing further right; at step 100 the values 101..707 fill
// seven bars spread over the range. Zeros after a ReLU are counted apart ("12% at 0").
TEST(TrainingScenes, ActivationHistogramBarsStandWhereTheRecordedValuesFall) {
  SceneData data = training_data();
  FrameGeometry geo;
  Timeline timeline =
      play_text("      - activation_histograms: {experiment: main, bins: 24}\n", data, geo);
  StillFrame still(timeline, timeline.duration() - 1.0, geo);
  const Rgba red{1, 0x20 / 255.0, 0x20 / 255.0, 1};
  const Box2 init = activation_histogram_box(0, 2, 0), end = activation_histogram_box(0, 2, 1);
  const double bin = init.width() / 24;
  auto at = [&](const Box2& box, double bin_index, double height) {
    return still.at_scene(geo,
                          {box.left + (bin_index + 0.5) * bin, box.bottom + height * box.height()});
  };
  // Step 0: the first bin full (its top at 1 / 1.05 of the box), the rest empty.
  EXPECT_LT(color_distance(at(init, 0, 0.9), red), 0.25);
  EXPECT_GT(color_distance(at(init, 0, 0.99), red), 0.5);  // above the peak
  for (int k : {3, 6, 12, 20}) EXPECT_GT(color_distance(at(init, k, 0.1), red), 0.5) << k;
  // Step 100: values 101 * j (j = 1..7) land in bins floor(24 * j / 7) (the last in bin 23).
  for (int j = 1; j <= 7; ++j) {
    const int k = std::min(23, 24 * j / 7);
    EXPECT_LT(color_distance(at(end, k, 0.5), red), 0.25) << "value " << 101 * j << " in bin " << k;
  }
  EXPECT_GT(color_distance(at(end, 1, 0.5), red), 0.5);  // between 0 and 101: nothing
}

TEST(TrainingScenes, TrainingCurvesEndAtTheLastEvaluationAndTheLegendSaysIt) {
  SceneData data = training_data();
  const TrainingData& run = data.experiments[0].trainings[0];
  // The legend's numbers are the last evaluation row's.
  EXPECT_EQ(final_values_label(run, false), "SGD:  0.0312 / 0.0451");
  EXPECT_EQ(final_values_label(run, true), "SGD:  100.0% / 100.0%");
  FrameGeometry geo;
  Timeline timeline = play_text(
      "      - training_curves: {experiment: main, metric: loss, log_y: \"false\"}\n"
      "      - wait: 2\n",
      data, geo);
  StillFrame still(timeline, timeline.duration() - 1.6, geo);
  // The projection the block promises: its box, x over [0, steps], y fitted with a 5% margin.
  LineSeries train, test;
  train.x = test.x = {0, 50, 100};
  train.y = run.record.eval.train_loss;
  test.y = run.record.eval.test_loss;
  Domain domain = fit_domain({train, test}, false, 0.05);
  domain.x_min = 0;
  domain.x_max = kSteps;
  const SceneRect box = TrainingCurvesBlock{}.box;
  AxesStyle style;
  style.frame = false;
  Axes axes(domain, Box2{box.left, box.bottom, box.right, box.top}, style);
  const Rgba red{1, 0x20 / 255.0, 0x20 / 255.0, 1};
  // The solid training line through its evaluations, up to the last one (sampled 1% inside the
  // plot's edges, where the clip cuts the stroke).
  for (double x : {1.0, 50.0, 99.0}) {
    const std::size_t k = x < 50 ? 0 : 1;
    const double f = (x - train.x[k]) / 50;
    const double y = train.y[k] + f * (train.y[k + 1] - train.y[k]);
    const Rgba seen = still.at_scene(geo, axes.data_to_scene(x, y));
    EXPECT_LT(color_distance(seen, red), 0.15) << "train line at step " << x;
  }
  // The test line is dashed: along its last piece some pixels are the run's colour, some are not.
  int on = 0, off = 0;
  for (int s = 1; s < 40; ++s) {
    const double f = s / 40.0;
    const Vec2 p = axes.data_to_scene(50 + 50 * f, test.y[1] + f * (test.y[2] - test.y[1]));
    (color_distance(still.at_scene(geo, p), red) < 0.2 ? on : off) += 1;
  }
  EXPECT_GT(on, 8);
  EXPECT_GT(off, 5);
}

TEST(TrainingScenes, ShippedScenesPlayInsideTheFrame) {
  for (const char* scene : {"TrainingComparison", "DecisionBoundary", "GradientFlow"}) {
    for (int runs : {1, 2, 4, 0}) {  // 0: images (not for DecisionBoundary)
      if (runs == 0 && std::string(scene) == "DecisionBoundary") continue;
      SceneData data = runs > 0 ? training_data(runs) : image_data();
      std::vector<std::string> warnings;
      Timeline timeline = play_scene(load_scene_script(std::string(TRAJTOOL_SOURCE_DIR) +
                                                       "/experiments/scenes/" + scene + ".yaml"),
                                     data, FrameGeometry{}, &warnings);
      EXPECT_GT(timeline.duration(), 5) << scene;
      EXPECT_TRUE(warnings.empty()) << scene << ": " << warnings.front();
      // TRAJTOOL_SCENE_STILLS=DIR keeps a still of each section's end there, to look at.
      if (const char* dir = std::getenv("TRAJTOOL_SCENE_STILLS")) {
        for (const Section& section : timeline.sections()) {
          render_still(timeline, std::max(section.start, section.end - 0.7),
                       std::string(dir) + "/" + scene + "_" + std::to_string(runs) + "_" +
                           section.name + ".png",
                       StillFormat::png, FrameGeometry{});
        }
      }
    }
  }
}

TEST(TrainingScenes, ModelComparisonDrawsTheRunsOfBothExperiments) {
  SceneData data = image_data();
  SceneData second = training_data(1);
  second.experiments[0].trainings[0].dataset = data.experiments[0].trainings[0].dataset;
  second.experiments[0].trainings[0].spec.label = "CNN";
  data.experiments.push_back(second.experiments[0]);
  std::vector<std::string> warnings;
  Timeline timeline = play_scene(load_scene_script(std::string(TRAJTOOL_SOURCE_DIR) +
                                                   "/experiments/scenes/ModelComparison.yaml"),
                                 data, FrameGeometry{}, &warnings);
  EXPECT_GT(timeline.duration(), 5);
  EXPECT_TRUE(warnings.empty());
  // A run of the second experiment is found by its label, one of neither is an error listing both.
  SceneData two = data;
  const std::string scene =
      "experiments: {a: a.yaml, b: b.yaml}\nsections:\n  - name: one\n    blocks:\n"
      "      - training_curves: {experiment: a, also: [b], runs: [CNN, SGD]}\n"
      "      - training_curves: {experiment: a, also: [b], runs: [RNN]}\n";
  std::string message;
  try {
    play_scene(parse_scene_script(scene, "scenes/M.yaml"), two, FrameGeometry{});
  } catch (const InputError& e) {
    message = e.what();
  }
  EXPECT_NE(
      message.find(":6: sections[0].blocks[1].training_curves: no run 'RNN' in clusters.yaml, "
                   "clusters.yaml (its runs: SGD, Momentum, CNN)"),
      std::string::npos)
      << message;
  try {
    parse_scene_script(
        "experiments: {a: a.yaml}\nsections:\n  - name: one\n    blocks:\n"
        "      - training_curves: {experiment: a, also: [c]}\n",
        "scenes/M.yaml");
    message.clear();
  } catch (const InputError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("scenes/M.yaml:5: sections[0].blocks[0].training_curves.also[0]: no "
                         "experiment 'c' in this scene (it reads: a)"),
            std::string::npos)
      << message;
}

TEST(TrainingScenes, BadBlocksNameTheFileLineAndKey) {
  auto has = [](const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
  };
  std::string e =
      error_of("      - decision_boundary: {experiment: main, runs: [a, b, c, d, e]}\n");
  EXPECT_TRUE(has(e,
                  "scenes/T.yaml:5: sections[0].blocks[0].decision_boundary.runs: at most 4 "
                  "runs (got 5)"))
      << e;
  e = error_of("      - training_curves: {experiment: main, metric: losses}\n");
  EXPECT_TRUE(has(e,
                  ":5: sections[0].blocks[0].training_curves.metric: 'losses' is not one of: "
                  "accuracy, loss"))
      << e;
  e = error_of("      - layer_norms: {experiment: main, colour: magma}\n");
  EXPECT_TRUE(has(e, ":5: sections[0].blocks[0].layer_norms.colour: unknown key")) << e;
  e = error_of("      - activation_histograms: {experiment: main, steps: [100, 0]}\n");
  EXPECT_TRUE(has(e, "activation_histograms.steps: the first step must come before the second"))
      << e;
  e = error_of("      - dataset: {experiment: other}\n");
  EXPECT_TRUE(has(e, ":5: sections[0].blocks[0].dataset.experiment: no experiment 'other'")) << e;
  // Data the experiment does not hold.
  e = error_of("      - wait: 1\n      - decision_boundary: {experiment: main, runs: [Adam]}\n");
  EXPECT_TRUE(has(e,
                  ":6: sections[0].blocks[1].decision_boundary: no run 'Adam' in "
                  "clusters.yaml (its runs: SGD)"))
      << e;
  e = error_of("      - activation_histograms: {experiment: main, steps: [0, 50]}\n");
  EXPECT_TRUE(has(e, "run 'SGD' has no checkpoint at step 50 (its checkpoints: 0, 100)")) << e;
  SceneData no_training = training_data();
  no_training.experiments[0].trainings.clear();
  e = error_of("      - training_curves: main\n", no_training);
  EXPECT_TRUE(has(e,
                  ":5: sections[0].blocks[0].training_curves: experiment 'main' "
                  "(clusters.yaml) has no trained-model runs"))
      << e;
  SceneData images = training_data();
  auto flat = std::make_shared<DatasetRecord>(*images.experiments[0].trainings[0].dataset);
  flat->features = 784;
  images.experiments[0].trainings[0].dataset = flat;
  e = error_of("      - decision_boundary: main\n", images);
  EXPECT_TRUE(has(e, "decision_boundary: run 'SGD' has no recorded decision boundary")) << e;
}

}  // namespace
}  // namespace trajtool
