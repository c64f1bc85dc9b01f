// Trained-model runs against Python's torch 1.13 (golden/training_golden.json, made by
// make_training_golden.py): for every catalog optimizer and every lr schedule, float64, full batch,
// the loss before each step, the lr each step used and the final weights within 1e-9 relative;
// for each activation, the seeded initial weights exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

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
    spec.record.eval_every = spec.steps;
    spec.record.checkpoint_every = spec.steps;
    spec.record.activation_samples = 4;
    if (c.contains("schedule")) {
      spec.schedule = schedule_of(c["schedule"]);
      ASSERT_EQ(check_schedule(spec.schedule, spec.steps, true), "");
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
  for (const std::string& name : optimizer_names()) EXPECT_TRUE(optimizers.count(name)) << name;
  for (const char* name : {"step_lr", "multi_step_lr", "exponential_lr", "cosine_annealing_lr",
                           "linear_lr", "one_cycle_lr", "sequential_lr"}) {
    EXPECT_TRUE(schedules.count(name)) << name;
  }
}

}  // namespace
}  // namespace trajtool
