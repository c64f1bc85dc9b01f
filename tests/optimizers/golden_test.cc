// Every optimizer variant of make_golden.py, run through run_trajectory_with in float64, must
// follow Python torch.optim 1.13's trajectory, gradients and state to 1e-8 relative.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "optimizers/catalog.h"
#include "optimizers/optimizer_spec.h"
#include "optimizers/run_trajectory.h"
#include "tests/optimizers/test_objectives.h"
#include "toolkit/core/compute_backend.h"

namespace trajtool {
namespace {

constexpr double kRelative = 1e-8;   // the contract: float64 agrees with Python to 1e-8 relative
constexpr double kAbsolute = 1e-12;  // floor for values that should be ~0 (converged gradients)

struct Golden {
  std::string file;
  std::string objective;
  RunSpec spec;
  std::map<std::string, std::vector<double>> arrays;  // params, loss, grad
  std::map<std::string, std::vector<double>> state;   // torch name -> [steps][...]
};

std::vector<double> read_values(std::istringstream& in) {
  size_t count = 0;
  in >> count;
  std::vector<double> values(count);
  for (double& v : values) {
    std::string word;
    in >> word;
    v = std::stod(word);  // handles "inf" and "nan"
  }
  return values;
}

Golden read_golden(const std::string& path) {
  Golden g;
  g.file = std::filesystem::path(path).filename().string();
  g.spec.dtype = DType::kFloat64;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "optimizer") {
      in >> g.spec.optimizer.name;
    } else if (key == "objective") {
      in >> g.objective;
    } else if (key == "start") {
      double x = 0, y = 0;
      in >> x >> y;
      g.spec.start.point = {x, y};
    } else if (key == "steps") {
      in >> g.spec.steps;
    } else if (key == "hyper") {
      std::string name, kind;
      in >> name >> kind;
      if (kind == "number") {
        double v = 0;
        in >> v;
        g.spec.optimizer.hyper[name] = v;
      } else if (kind == "bool") {
        int v = 0;
        in >> v;
        g.spec.optimizer.hyper[name] = v != 0;
      } else if (kind == "pair") {
        double a = 0, b = 0;
        in >> a >> b;
        g.spec.optimizer.hyper[name] = std::vector<double>{a, b};
      } else {
        std::string v;
        in >> v;
        g.spec.optimizer.hyper[name] = v;
      }
    } else if (key == "state") {
      std::string name;
      in >> name;
      g.state[name] = read_values(in);
    } else if (!key.empty()) {
      g.arrays[key] = read_values(in);
    }
  }
  return g;
}

std::vector<std::string> golden_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(TRAJTOOL_OPTIMIZERS_GOLDEN_DIR)) {
    const std::string name = entry.path().filename().string();
    if (name.find("__") != std::string::npos) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool close(double expected, double actual) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual;
  return std::abs(expected - actual) <=
         kRelative * std::max(std::abs(expected), std::abs(actual)) + kAbsolute;
}

// Every element of `actual` close() to Python's; the first that is not fails the test, naming its
// index, both values and their relative error.
void expect_close(const std::string& what, const std::vector<double>& expected,
                  const std::vector<double>& actual) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!close(expected[i], actual[i])) {
      ADD_FAILURE() << what << "[" << i << "]: python " << expected[i] << " vs " << actual[i]
                    << " (relative error "
                    << std::abs(expected[i] - actual[i]) / std::abs(expected[i]) << ")";
      return;
    }
  }
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesPythonTorchOptim) {
  Golden g = read_golden(GetParam());
  ASSERT_FALSE(g.spec.optimizer.name.empty()) << g.file;
  Trajectory traj = run_trajectory_with(g.spec, testing::objective_named(g.objective), nullptr);
  EXPECT_EQ(traj.diverged_at, -1);
  EXPECT_EQ(traj.rows, g.spec.steps + 1);
  expect_close("params", g.arrays["params"], traj.params);
  expect_close("loss", g.arrays["loss"], traj.loss);
  expect_close("grad", g.arrays["grad"], traj.grad);
  std::vector<std::string> expected_names;
  for (const auto& [name, values] : g.state) expected_names.push_back(name);
  std::vector<std::string> names;
  for (const StateSeries& s : traj.state) {
    names.push_back(s.name);
    auto it = g.state.find(s.name);
    if (it != g.state.end()) expect_close("state " + s.name, it->second, s.values);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, expected_names) << "recorded state names differ from Python's state keys";
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace(name.begin(), name.end(), '-', '_');
  name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
  return name;
}

// Every optimizer the catalog offers has golden cases: one added to the catalog without a
// make_golden.py variant would otherwise be checked against nothing.
TEST(Golden, EveryCatalogOptimizerHasGoldenCases) {
  std::set<std::string> covered;
  for (const std::string& file : golden_files())
    covered.insert(read_golden(file).spec.optimizer.name);
  for (const std::string& name : optimizer_names()) EXPECT_TRUE(covered.count(name)) << name;
}

INSTANTIATE_TEST_SUITE_P(TorchOptim113, GoldenTest, ::testing::ValuesIn(golden_files()), case_name);

#ifdef TRAJTOOL_HAVE_COMPUTE_BACKEND
// The exported table of libtrajtool_compute.so, with the objectives module's own rosenbrock.
TEST(ComputeBackend, RunsRegistryObjectivesLikePython) {
  const ComputeBackend* backend = trajtool_compute_backend();
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(std::string(backend->torch_version).rfind("1.13", 0), 0u) << backend->torch_version;
  for (const char* name : {"adam", "nadam", "lbfgs_strong_wolfe", "rprop"}) {
    Golden g =
        read_golden(std::string(TRAJTOOL_OPTIMIZERS_GOLDEN_DIR) + "/" + name + "__rosenbrock.txt");
    g.spec.objective.name = "rosenbrock";
    g.spec.objective.params = {{"a", 1.0}, {"b", 100.0}};
    int64_t calls = 0;
    Trajectory traj = backend->run_trajectory(g.spec, [&](int64_t, int64_t) { ++calls; });
    EXPECT_EQ(calls, g.spec.steps);
    expect_close(std::string(name) + " params", g.arrays["params"], traj.params);
    expect_close(std::string(name) + " loss", g.arrays["loss"], traj.loss);
  }
}
#endif

}  // namespace
}  // namespace trajtool
