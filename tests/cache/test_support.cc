#include "tests/cache/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace trajtool::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "trajtool-cache-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {
// splitmix64: a small independent generator for test values.
uint64_t next(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<double> values(size_t n, bool float32_exact, uint64_t* state) {
  std::vector<double> out(n);
  for (double& v : out) {
    const double x = static_cast<double>(next(state) >> 11) / 9007199254740992.0 * 8.0 - 4.0;
    v = float32_exact ? static_cast<double>(static_cast<float>(x)) : x;
  }
  return out;
}
}  // namespace

Trajectory make_trajectory(int64_t batch, int64_t rows, int64_t dim, bool float32_exact,
                           uint64_t seed) {
  const auto n = static_cast<size_t>(batch > 0 ? batch : 1);
  const auto r = static_cast<size_t>(rows);
  const auto d = static_cast<size_t>(dim);
  Trajectory t;
  t.batch = batch;
  t.dim = dim;
  t.rows = rows;
  t.params = values(n * r * d, float32_exact, &seed);
  t.loss = values(n * r, float32_exact, &seed);
  t.grad = values(n * (r - 1) * d, float32_exact, &seed);
  t.state.push_back({"exp_avg", {dim}, values(n * (r - 1) * d, float32_exact, &seed)});
  std::vector<double> steps;
  for (size_t i = 0; i < n; ++i) {
    for (size_t s = 1; s < r; ++s) steps.push_back(static_cast<double>(s));
  }
  t.state.push_back({"step", {}, steps});
  if (batch > 0) t.diverged_at_each.assign(n, -1);
  t.wall_seconds = 0.25;
  return t;
}

EntryMeta make_meta(const std::string& key) {
  EntryMeta meta;
  meta.key = key;
  meta.config_json = R"({"objective":{"name":"rosenbrock"},"steps":10,"théta":"ü"})";
  meta.label = "Adam lr=0.01 — β";
  meta.torch_version = "1.13.1";
  meta.created_utc = "2024-01-02T03:04:05Z";
  meta.wall_seconds = 0.25;
  return meta;
}

bool bit_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same_trajectory(const Trajectory& a, const Trajectory& b) {
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.dim, b.dim);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_TRUE(bit_equal(a.params, b.params));
  EXPECT_TRUE(bit_equal(a.loss, b.loss));
  EXPECT_TRUE(bit_equal(a.grad, b.grad));
  ASSERT_EQ(a.state.size(), b.state.size());
  for (size_t i = 0; i < a.state.size(); ++i) {
    EXPECT_EQ(a.state[i].name, b.state[i].name);
    EXPECT_EQ(a.state[i].step_shape, b.state[i].step_shape);
    EXPECT_TRUE(bit_equal(a.state[i].values, b.state[i].values)) << a.state[i].name;
  }
  EXPECT_EQ(a.diverged_at, b.diverged_at);
  EXPECT_EQ(a.diverged_at_each, b.diverged_at_each);
  EXPECT_EQ(a.wall_seconds, b.wall_seconds);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

int run_command(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_tar_with_python(const std::string& archive,
                           const std::vector<std::pair<std::string, std::string>>& members) {
  // Names and paths travel as files of their own, so no quoting can change them.
  const std::string list = archive + ".members";
  std::string text;
  for (const auto& [name, source] : members) text += name + '\n' + source + '\n';
  write_file(list, text);
  const std::string script =
      "import sys, tarfile\n"
      "lines = open(sys.argv[2]).read().split('\\n')[:-1]\n"
      "with tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT) as t:\n"
      "    for name, source in zip(lines[0::2], lines[1::2]):\n"
      "        info = t.gettarinfo(source)\n"
      "        info.name = name  # gettarinfo would strip a leading '/'\n"
      "        info.uid = info.gid = 0\n"
      "        info.uname = info.gname = ''\n"
      "        with open(source, 'rb') as f:\n"
      "            t.addfile(info, f)\n";
  const std::string script_path = archive + ".py";
  write_file(script_path, script);
  std::string output;
  const int status =
      run_command("python3 " + script_path + " " + archive + " " + list + " 2>&1", &output);
  std::remove(list.c_str());
  std::remove(script_path.c_str());
  if (status != 0) throw std::runtime_error("python3 tarfile failed: " + output);
}

}  // namespace trajtool::testing

namespace trajtool::testing {

TrainingRecord make_training_record(int64_t rows, DType dtype, uint64_t seed) {
  TrainingRecord r;
  r.dtype = dtype;
  r.steps = rows;
  r.rows = rows;
  r.dataset_key = "d" + std::to_string(seed);
  r.param_count = 17;
  r.param_bytes = 17 * (dtype == DType::kFloat64 ? 8 : 4);
  const double s = static_cast<double>(seed);
  for (int64_t t = 0; t < rows; ++t) {
    r.train_loss.push_back(std::ldexp(1.0, -static_cast<int>(t)) + s * 0.25);  // float32-exact
    r.lr.push_back(0.1 * (1 + static_cast<double>(t) / 3.0));
  }
  const std::vector<std::pair<std::string, std::vector<int64_t>>> shapes = {
      {"0.weight", {3, 2}}, {"0.bias", {3}}, {"2.weight", {2, 3}}, {"2.bias", {2}}};
  for (const auto& [name, shape] : shapes) {
    ParameterSteps p;
    p.name = name;
    p.shape = shape;
    for (int64_t t = 0; t < rows; ++t) {
      p.grad_norm.push_back(0.5 + static_cast<double>(t) + s);
      p.weight_norm.push_back(2.0 + 0.125 * static_cast<double>(t));
      p.update_ratio.push_back(t == 1 ? NAN : 0.01 / 3 * static_cast<double>(t));
    }
    r.parameters.push_back(p);
  }
  r.eval.step = {0, rows};
  r.eval.train_loss = {1.0, 0.5};
  r.eval.test_loss = {1.25, 0.625 + s};
  r.eval.train_accuracy = {0.5, 0.875};
  r.eval.test_accuracy = {0.25, NAN};
  r.layer_names = {"0", "1", "2"};
  r.layer_kinds = {"Linear", "ReLU", "Linear"};
  r.activation_samples = {0, 1};
  r.boundary_grid = {-1, 1, -2, 2};
  r.boundary_nx = 4;
  r.boundary_ny = 3;
  r.boundary_classes = 2;
  for (int64_t step : {int64_t{0}, rows}) {
    Checkpoint c;
    c.step = step;
    double v = 0.125 * static_cast<double>(step) + s;
    for (const auto& [name, shape] : shapes) {
      NamedTensor w{name, shape, {}};
      int64_t n = 1;
      for (int64_t d : shape) n *= d;
      for (int64_t i = 0; i < n; ++i) w.values.push_back(v += 0.5);
      c.weights.push_back(w);
    }
    if (step > 0) {
      c.optimizer_state.push_back({0, "0.weight", {"step", {}, {static_cast<double>(step)}}});
      c.optimizer_state.push_back({0, "0.weight", {"exp_avg", {3, 2}, {1, 2, 3, 4, 5, 6}}});
      c.optimizer_state.push_back({3, "2.bias", {"exp_avg", {2}, {0.5, -0.5}}});
    }
    c.activations.push_back({"0", {2, 3}, {1, 2, 3, 4, 5, 6}});
    c.activations.push_back({"1", {2, 3}, {1, 2, 3, 4, 5, 0}});
    c.activations.push_back({"2", {2, 2}, {0.25, 0.75, -1, s}});
    for (int64_t i = 0; i < 12; ++i) {
      c.boundary.push_back(0.0625 * static_cast<double>(i));
      c.boundary.push_back(1 - 0.0625 * static_cast<double>(i));
    }
    r.checkpoints.push_back(c);
  }
  r.wall_seconds = 0.75;
  return r;
}

DatasetRecord make_dataset_record(uint64_t seed) {
  DatasetRecord d;
  d.sample_shape = {2};
  d.features = 2;
  d.classes = 3;
  d.train_count = 5;
  d.test_count = 3;
  const double s = static_cast<double>(seed);
  for (int i = 0; i < 10; ++i) d.x_train.push_back(0.1 * i + s);
  d.y_train = {0, 1, 2, 1, 0};
  for (int i = 0; i < 6; ++i) d.x_test.push_back(-0.3 * i);
  d.y_test = {2, 2, 0};
  d.feature_names = {"x1", "x2"};
  d.feature_mean = {0.5, s};
  d.feature_std = {1.5, 2};
  d.has_grid = true;
  d.grid = {-1.5, 1.5, -2, 2.5};
  return d;
}

}  // namespace trajtool::testing
