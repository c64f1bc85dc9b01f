// Trained-model runs against Python's torch 1.13 (golden/training_golden.json, made by
// make_training_golden.py): for every catalog optimizer and every lr schedule, float64, full batch
// (and two runs on minibatches in a seeded DataLoader's order),
// the loss before each step, the lr each step used and the final weights within 1e-9 relative;
// for each activation, the seeded initial weights exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "optimizers/catalog.h"
#include "optimizers/lr_schedule.h"
#include "optimizers/run_training.h"

namespace trajtool {
namespace {

using nlohmann::json;

json golden() {
  std::ifstream in(std::string(TRAJTOOL_OPTIMIZERS_GOLDEN_DIR) + "/training_golden.json");
  return json::parse(in);
}

HyperValue hyper_value(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_array()) return v.get<std::vector<double>>();
  if (v.is_string()) return v.get<std::string>();
  return v.get<double>();
}

ScheduleSpec schedule_of(const json& j) {
  ScheduleSpec s;
  s.name = j["name"];
  for (const auto& [k, v] : j["args"].items()) s.args[k] = hyper_value(v);
  if (j.contains("schedulers")) {
    for (const json& c : j["schedulers"]) s.schedulers.push_back(schedule_of(c));
  }
  return s;
}

void expect_close(const std::string& what, const std::vector<double>& expected,
                  const std::vector<double>& actual, double rel) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double tolerance = rel * std::max(1.0, std::fabs(expected[i]));
    ASSERT_NEAR(actual[i], expected[i], tolerance) << what << " [" << i << "]";
  }
}

TEST(TrainingGolden, EveryOptimizerScheduleAndActivationMatchesPythonTorch) {
  const json g = golden();
  DatasetRecord data;
  data.sample_shape = {2};
  data.features = 2;
  data.classes = 3;
  data.x_train = g["x"].get<std::vector<double>>();
  for (const json& y : g["y"]) data.y_train.push_back(y.get<double>());
  data.train_count = static_cast<int64_t>(data.y_train.size());
  data.x_test = data.x_train;
  data.y_test = data.y_train;
  data.test_count = data.train_count;
  std::set<std::string> optimizers, schedules;
  int dataloader_cases = 0;
  for (const json& c : g["cases"]) {
    const std::string label = c["label"];
    SCOPED_TRACE(label);
    TrainingRunSpec spec;
    spec.model.layers = c["layers"].get<std::vector<int64_t>>();
    spec.model.activations = c["activations"].get<std::vector<std::string>>();
    spec.optimizer.name = c["optimizer"];
    for (const auto& [k, v] : c["hyper"].items()) spec.optimizer.hyper[k] = hyper_value(v);
    apply_optimizer_defaults(spec.optimizer);
    spec.loss = LossKind::kCrossEntropy;
    spec.steps = c["steps"];
    spec.seed = c["seed"];
    spec.dtype = DType::kFloat64;
    spec.batch_size = data.train_count;
    if (c.contains("batch_size")) {  // minibatches drawn as a seeded DataLoader draws them
      spec.batch_size = c["batch_size"];
      spec.full_batch = false;
      ASSERT_EQ(c["shuffle"], "dataloader");
      spec.shuffle = ShuffleKind::kDataLoader;
      ++dataloader_cases;
    }
    spec.record.eval_every = spec.steps;
    spec.record.checkpoint_every = spec.steps;
    spec.record.activation_samples = 4;
    if (c.contains("schedule")) {
      spec.schedule = schedule_of(c["schedule"]);
      ASSERT_EQ(
          check_schedule(spec.schedule, spec.steps, spec.optimizer.hyper.count("momentum") > 0,
                         spec.optimizer.hyper.count("betas") > 0),
          "");
      schedules.insert(spec.schedule.name);
      for (const ScheduleSpec& child : spec.schedule.schedulers) schedules.insert(child.name);
    } else {
      optimizers.insert(spec.optimizer.name);
    }
    const TrainingRecord r = run_training(spec, data, nullptr);
    ASSERT_EQ(r.rows, spec.steps);
    ASSERT_EQ(r.checkpoints.size(), 2u);
    for (const NamedTensor& w : r.checkpoints.front().weights) {
      EXPECT_EQ(w.values, c["initial"][w.name].get<std::vector<double>>()) << w.name;
    }
    expect_close("train_loss", c["train_loss"].get<std::vector<double>>(), r.train_loss, 1e-9);
    expect_close("lr", c["lr"].get<std::vector<double>>(), r.lr, 1e-12);
    for (const NamedTensor& w : r.checkpoints.back().weights) {
      expect_close(w.name, c["final"][w.name].get<std::vector<double>>(), w.values, 1e-9);
    }
  }
  EXPECT_EQ(dataloader_cases, 2);
  for (const std::string& name : optimizer_names()) EXPECT_TRUE(optimizers.count(name)) << name;
  for (const char* name : {"step_lr", "multi_step_lr", "exponential_lr", "cosine_annealing_lr",
                           "linear_lr", "one_cycle_lr", "cyclic_lr", "sequential_lr"}) {
    EXPECT_TRUE(schedules.count(name)) << name;
  }
}

// A seeded 2D data set of two classes (x1 x2 > 0), n train and n / 2 test samples.
DatasetRecord quadrant_data(int64_t n) {
  DatasetRecord d;
  d.sample_shape = {2};
  d.features = 2;
  d.classes = 2;
  d.has_grid = true;
  d.grid = {-1.2, 1.2, -1.2, 1.2};
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0 * 2 - 1;
  };
  for (int64_t i = 0; i < n + n / 2; ++i) {
    const double x = next(), y = next();
    auto& xs = i < n ? d.x_train : d.x_test;
    auto& ys = i < n ? d.y_train : d.y_test;
    xs.push_back(x);
    xs.push_back(y);
    ys.push_back(x * y > 0 ? 1 : 0);
  }
  d.train_count = n;
  d.test_count = n / 2;
  return d;
}

TrainingRunSpec small_run() {
  TrainingRunSpec spec;
  spec.model.layers = {2, 8, 8, 2};
  spec.model.activations = {"relu", "tanh"};
  spec.model.dropout = 0.2;
  spec.optimizer = {"adam", {{"lr", 0.01}}};
  apply_optimizer_defaults(spec.optimizer);
  spec.loss = LossKind::kCrossEntropy;
  spec.steps = 30;
  spec.batch_size = 16;
  spec.full_batch = false;
  spec.seed = 9;
  spec.record.eval_every = 7;
  spec.record.checkpoint_every = 10;
  spec.record.activation_samples = 5;
  spec.record.boundary_n = 9;
  return spec;
}

TEST(Training, MinibatchesDropoutAndRecordsAreBitIdenticalAcrossRuns) {
  const DatasetRecord data = quadrant_data(60);
  const TrainingRunSpec spec = small_run();
  int64_t calls = 0;
  const TrainingRecord a = run_training(spec, data, [&](int64_t, int64_t) { ++calls; });
  const TrainingRecord b = run_training(spec, data, nullptr);
  EXPECT_EQ(calls, 30);
  EXPECT_EQ(a.train_loss, b.train_loss);
  EXPECT_EQ(a.checkpoints.back().weights[0].values, b.checkpoints.back().weights[0].values);
  EXPECT_EQ(a.checkpoints.back().boundary, b.checkpoints.back().boundary);
  // Steps recorded: eval at 0, 7, 14, 21, 28 and the last; checkpoints at 0, 10, 20, 30.
  EXPECT_EQ(a.eval.step, (std::vector<int64_t>{0, 7, 14, 21, 28, 30}));
  ASSERT_EQ(a.checkpoints.size(), 4u);
  EXPECT_EQ(a.checkpoints[2].step, 20);
  EXPECT_TRUE(a.checkpoints[0].optimizer_state.empty());
  // Adam's state per parameter under torch's names, and a module output per layer.
  std::set<std::string> states;
  for (const auto& s : a.checkpoints[1].optimizer_state) states.insert(s.tensor.name);
  EXPECT_EQ(states, (std::set<std::string>{"step", "exp_avg", "exp_avg_sq"}));
  EXPECT_EQ(a.layer_kinds, (std::vector<std::string>{"Linear", "ReLU", "Dropout", "Linear", "Tanh",
                                                     "Dropout", "Linear"}));
  ASSERT_EQ(a.checkpoints[1].activations.size(), 7u);
  EXPECT_EQ(a.checkpoints[1].activations[0].shape, (std::vector<int64_t>{5, 8}));
  // Boundary probabilities sum to one at every grid point.
  const auto& p = a.checkpoints.back().boundary;
  ASSERT_EQ(p.size(), 9u * 9 * 2);
  for (size_t i = 0; i < p.size(); i += 2) EXPECT_NEAR(p[i] + p[i + 1], 1, 1e-6);
  // The update ratio is |w_after - w_before| / |w_before|; the first step's lr is Adam's.
  EXPECT_EQ(a.lr.front(), 0.01);
  for (const auto& series : a.parameters) {
    ASSERT_EQ(series.update_ratio.size(), 30u);
    EXPECT_GT(series.update_ratio[0], 0);
  }
  // Another seed draws other weights, batches and dropout masks.
  TrainingRunSpec other = spec;
  other.seed = 10;
  EXPECT_NE(run_training(other, data, nullptr).train_loss, a.train_loss);
}

TEST(Training, DivergenceStopsTheRunAndKeepsTheRowsBefore) {
  DatasetRecord data = quadrant_data(20);
  data.classes = 0;  // regression on the labels
  TrainingRunSpec spec = small_run();
  spec.model.layers = {2, 8, 8, 1};
  spec.model.dropout = 0;
  spec.loss = LossKind::kMse;
  spec.optimizer = {"sgd", {{"lr", 1e6}}};
  apply_optimizer_defaults(spec.optimizer);
  spec.full_batch = true;
  spec.batch_size = 20;
  const TrainingRecord r = run_training(spec, data, nullptr);
  ASSERT_GE(r.diverged_at, 1);
  EXPECT_LT(r.diverged_at, 30);
  EXPECT_EQ(r.rows, r.diverged_at);
  EXPECT_EQ(static_cast<int64_t>(r.train_loss.size()), r.rows);
  for (double v : r.train_loss) EXPECT_TRUE(std::isfinite(v));
  for (const auto& series : r.parameters)
    EXPECT_EQ(static_cast<int64_t>(series.grad_norm.size()), r.rows);
  EXPECT_TRUE(std::isnan(r.eval.test_accuracy[0]));  // regression: no accuracy
}

TEST(Training, SmallCnnOnImages) {
  DatasetRecord data;
  data.sample_shape = {1, 8, 8};
  data.features = 64;
  data.classes = 3;
  data.train_count = 12;
  data.test_count = 6;
  for (int64_t i = 0; i < 18 * 64; ++i) {
    (i < 12 * 64 ? data.x_train : data.x_test).push_back(static_cast<double>((i * 37) % 11) / 11);
  }
  for (int64_t i = 0; i < 18; ++i)
    (i < 12 ? data.y_train : data.y_test).push_back(static_cast<double>(i % 3));
  TrainingRunSpec spec = small_run();
  spec.model.kind = "cnn";
  spec.model.channels = {4, 6};
  spec.model.hidden = {10};
  spec.model.outputs = 3;
  spec.model.dropout = 0;
  spec.full_batch = true;
  spec.batch_size = 12;
  spec.steps = 3;
  spec.record.checkpoint_every = 3;
  const TrainingRecord r = run_training(spec, data, nullptr);
  EXPECT_EQ(r.layer_kinds,
            (std::vector<std::string>{"Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d",
                                      "Flatten", "Linear", "ReLU", "Linear"}));
  EXPECT_EQ(r.checkpoints.back().weights[0].name, "0.weight");
  EXPECT_EQ(r.checkpoints.back().weights[0].shape, (std::vector<int64_t>{4, 1, 3, 3}));
  EXPECT_EQ(r.checkpoints.back().activations[5].shape, (std::vector<int64_t>{5, 6, 2, 2}));
  EXPECT_EQ(r.boundary_nx, 0);
  EXPECT_EQ(r.rows, 3);
}

}  // namespace
}  // namespace trajtool
