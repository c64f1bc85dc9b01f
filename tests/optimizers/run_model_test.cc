// run_model: sizes for the memory figure, and the loss curve against Python torch (golden).
#include "optimizers/run_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

ModelRunSpec model(const std::string& optimizer, std::map<std::string, HyperValue> hyper,
                   DType dtype = DType::kFloat32) {
  ModelRunSpec spec;
  spec.layers = {2, 8, 8, 1};
  spec.optimizer = {optimizer, std::move(hyper)};
  spec.steps = 20;
  spec.samples = 64;
  spec.seed = 3;
  spec.dtype = dtype;
  return spec;
}

TEST(RunModel, StateMemoryIsAMultipleOfTheParameters) {
  // {2, 8, 8, 1}: (2*8 + 8) + (8*8 + 8) + (8*1 + 1) = 105 parameters.
  ModelRecord sgd = run_model(model("sgd", {{"lr", 0.1}}));
  EXPECT_EQ(sgd.param_count, 105);
  EXPECT_EQ(sgd.param_bytes, 105 * 4);
  EXPECT_EQ(sgd.state_bytes, 0);
  EXPECT_TRUE(sgd.state_names.empty());
  ModelRecord momentum = run_model(model("sgd", {{"lr", 0.1}, {"momentum", 0.9}}));
  EXPECT_EQ(momentum.state_bytes, momentum.param_bytes);
  EXPECT_EQ(momentum.state_names, std::vector<std::string>{"momentum_buffer"});
  ModelRecord adam = run_model(model("adam", {}, DType::kFloat64));
  EXPECT_EQ(adam.param_bytes, 105 * 8);
  EXPECT_EQ(adam.state_bytes, 2 * adam.param_bytes);
  EXPECT_EQ(adam.state_names, (std::vector<std::string>{"exp_avg", "exp_avg_sq"}));
  ModelRecord amsgrad = run_model(model("adam", {{"amsgrad", true}}));
  EXPECT_EQ(amsgrad.state_bytes, 3 * amsgrad.param_bytes);
  ModelRecord rmsprop = run_model(model("rmsprop", {{"momentum", 0.9}, {"centered", true}}));
  EXPECT_EQ(rmsprop.state_bytes, 3 * rmsprop.param_bytes);
  ModelRecord nadam = run_model(model("nadam", {}));
  EXPECT_EQ(nadam.state_bytes, 2 * nadam.param_bytes);  // mu_product is a 0-dim scalar
  ModelRecord lbfgs = run_model(model("lbfgs", {{"max_iter", 5.0}}));
  EXPECT_GE(lbfgs.state_bytes, 2 * lbfgs.param_bytes);  // d and prev_flat_grad at least
}

TEST(RunModel, AdamLossCurveMatchesPythonTorch) {
  std::ifstream file(std::string(TRAJTOOL_OPTIMIZERS_GOLDEN_DIR) + "/model_adam.txt");
  ASSERT_TRUE(file.good());
  std::vector<double> expected;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key != "loss") continue;
    size_t count = 0;
    in >> count;
    expected.resize(count);
    for (double& v : expected) in >> v;
  }
  ModelRecord record = run_model(model("adam", {{"lr", 0.01}}, DType::kFloat64));
  ASSERT_EQ(record.loss.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(record.loss[i], expected[i], 1e-10 * expected[i]) << i;
  }
}

TEST(RunModel, SeededAndValidated) {
  ModelRecord a = run_model(model("adam", {{"lr", 0.01}}));
  ModelRecord b = run_model(model("adam", {{"lr", 0.01}}));
  EXPECT_EQ(a.loss, b.loss);
  ModelRunSpec other = model("adam", {{"lr", 0.01}});
  other.seed = 4;
  EXPECT_NE(run_model(other).loss, a.loss);
  ModelRunSpec bad = model("adam", {});
  bad.layers = {3, 4, 1};
  EXPECT_THROW(run_model(bad), InputError);
  bad = model("adam", {});
  bad.steps = 0;
  EXPECT_THROW(run_model(bad), InputError);
}

}  // namespace
}  // namespace trajtool
