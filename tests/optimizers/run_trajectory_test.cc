// The runner's contract beyond the golden trajectories: reproducibility, seeded gradient noise,
// divergence, sweeps as batches.
#include "optimizers/run_trajectory.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/optimizers/test_objectives.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

using testing::rosenbrock;
using testing::rotated_quadratic;

RunSpec single(const std::string& optimizer, std::map<std::string, HyperValue> hyper,
               std::vector<double> start, int64_t steps, DType dtype = DType::kFloat64) {
  RunSpec spec;
  spec.optimizer = {optimizer, std::move(hyper)};
  spec.start.point = std::move(start);
  spec.steps = steps;
  spec.dtype = dtype;
  return spec;
}

RunSpec grid(const std::string& optimizer, std::map<std::string, HyperValue> hyper, Domain domain,
             int64_t nx, int64_t ny, int64_t steps, DType dtype = DType::kFloat64) {
  RunSpec spec;
  spec.optimizer = {optimizer, std::move(hyper)};
  spec.start.grid = domain;
  spec.start.grid_nx = nx;
  spec.start.grid_ny = ny;
  spec.steps = steps;
  spec.dtype = dtype;
  return spec;
}

// Point k's slice of a sweep array laid out [batch][rows][width].
std::vector<double> slice(const std::vector<double>& values, int64_t batch, int64_t k) {
  const size_t per = values.size() / static_cast<size_t>(batch);
  return {values.begin() + static_cast<long>(per * k),
          values.begin() + static_cast<long>(per * (k + 1))};
}

void expect_near_all(const std::vector<double>& a, const std::vector<double>& b, double rel,
                     const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    ASSERT_LE(std::abs(a[i] - b[i]), rel * std::max(std::abs(a[i]), std::abs(b[i])) + 1e-15)
        << what << "[" << i << "]: " << a[i] << " vs " << b[i];
  }
}

TEST(RunTrajectory, Float32RunsAreBitIdentical) {
  for (const char* name : {"adam", "nadam", "rprop"}) {
    RunSpec spec = single(name, {{"lr", 0.01}}, {-1.5, 2.0}, 200, DType::kFloat32);
    spec.grad_noise_std = 0.3;
    Trajectory a = run_trajectory_with(spec, rosenbrock, nullptr);
    Trajectory b = run_trajectory_with(spec, rosenbrock, nullptr);
    EXPECT_EQ(a.params, b.params) << name;
    EXPECT_EQ(a.loss, b.loss) << name;
    EXPECT_EQ(a.grad, b.grad) << name;
    ASSERT_EQ(a.state.size(), b.state.size());
    for (size_t s = 0; s < a.state.size(); ++s) EXPECT_EQ(a.state[s].values, b.state[s].values);
    // float32 values are exactly representable after the round trip through double.
    for (double v : a.params) EXPECT_EQ(static_cast<double>(static_cast<float>(v)), v);
  }
}

TEST(RunTrajectory, GradientNoiseIsSeededAndHasTheRequestedSpread) {
  // On the rotated quadratic the true gradient is A p with A = R^T diag(6, 1) R, so the noise
  // the runner added is (recorded grad) - A p.
  const double std_dev = 0.5;
  RunSpec spec = single("sgd", {{"lr", 0.01}}, {2.5, 1.5}, 2000);
  spec.grad_noise_std = std_dev;
  spec.seed = 7;
  Trajectory a = run_trajectory_with(spec, rotated_quadratic, nullptr);
  Trajectory again = run_trajectory_with(spec, rotated_quadratic, nullptr);
  EXPECT_EQ(a.grad, again.grad);
  spec.seed = 8;
  Trajectory other = run_trajectory_with(spec, rotated_quadratic, nullptr);
  EXPECT_NE(a.grad, other.grad);

  const double c = std::cos(0.9), s = std::sin(0.9);
  const double a11 = 6 * c * c + s * s, a12 = 6 * c * s - s * c, a22 = 6 * s * s + c * c;
  double sum = 0, sum_sq = 0;
  const int64_t n = a.rows - 1;
  for (int64_t t = 0; t < n; ++t) {
    const double x = a.params[2 * t], y = a.params[2 * t + 1];
    const double nx = a.grad[2 * t] - (a11 * x + a12 * y);
    const double ny = a.grad[2 * t + 1] - (a12 * x + a22 * y);
    sum += nx + ny;
    sum_sq += nx * nx + ny * ny;
  }
  const double count = 2.0 * static_cast<double>(n);
  const double mean = sum / count;
  const double sd = std::sqrt(sum_sq / count - mean * mean);
  EXPECT_NEAR(mean, 0.0, 4 * std_dev / std::sqrt(count));
  EXPECT_NEAR(sd, std_dev, 0.05 * std_dev);
  // The noise enters the update: SGD's step is exactly -lr * recorded grad.
  for (int64_t t = 0; t < 10; ++t) {
    EXPECT_NEAR(a.params[2 * (t + 1)], a.params[2 * t] - 0.01 * a.grad[2 * t], 1e-12);
  }
}

TEST(RunTrajectory, DivergingRunStopsWithFiniteRows) {
  RunSpec spec = single("sgd", {{"lr", 1.0}}, {-1.5, 2.0}, 100);
  Trajectory traj = run_trajectory_with(spec, rosenbrock, nullptr);
  ASSERT_GT(traj.diverged_at, 0);
  EXPECT_LT(traj.diverged_at, 100);
  EXPECT_EQ(traj.rows, traj.diverged_at);
  EXPECT_EQ(traj.params.size(), static_cast<size_t>(traj.rows * 2));
  EXPECT_EQ(traj.loss.size(), static_cast<size_t>(traj.rows));
  EXPECT_EQ(traj.grad.size(), static_cast<size_t>((traj.rows - 1) * 2));
  for (double v : traj.params) EXPECT_TRUE(std::isfinite(v));
  for (double v : traj.loss) EXPECT_TRUE(std::isfinite(v));
  for (double v : traj.grad) EXPECT_TRUE(std::isfinite(v));
  // Independently, in double: from the last kept row, the gradient or the next point or its loss
  // is not finite (SGD with lr 1: next = p - grad).
  const double x = traj.params[2 * (traj.rows - 1)], y = traj.params[2 * (traj.rows - 1) + 1];
  const double gx = -2 * (1 - x) - 400 * x * (y - x * x), gy = 200 * (y - x * x);
  const double nx = x - gx, ny = y - gy;
  const double next_loss = (1 - nx) * (1 - nx) + 100 * (ny - nx * nx) * (ny - nx * nx);
  EXPECT_FALSE(std::isfinite(gx) && std::isfinite(gy) && std::isfinite(next_loss));
}

TEST(RunTrajectory, SweepEqualsIndividualRuns) {
  const Domain domain{-1.5, 1.5, -0.5, 2.0};
  const std::vector<std::pair<std::string, std::map<std::string, HyperValue>>> optimizers = {
      {"adam", {{"lr", 0.05}, {"amsgrad", true}}},
      {"sgd", {{"lr", 2e-4}, {"momentum", 0.9}, {"nesterov", true}}},
      {"rmsprop", {{"lr", 0.01}, {"momentum", 0.5}, {"centered", true}}},
      {"adagrad", {{"lr", 0.3}, {"lr_decay", 0.01}}},
      {"nadam", {{"lr", 0.05}}},
      {"radam", {{"lr", 2e-3}}},
      {"adamax", {{"lr", 0.05}}},
      {"adadelta", {}},
      {"rprop", {}},
      {"adamw", {{"lr", 0.05}}}};
  for (const auto& [name, hyper] : optimizers) {
    SCOPED_TRACE(name);
    RunSpec sweep = grid(name, hyper, domain, 3, 2, 30);
    Trajectory all = run_trajectory_with(sweep, rosenbrock, nullptr);
    ASSERT_EQ(all.batch, 6);
    ASSERT_EQ(all.rows, 31);
    for (int64_t j = 0; j < 2; ++j) {
      for (int64_t i = 0; i < 3; ++i) {
        const int64_t k = j * 3 + i;
        const double x = -1.5 + 1.5 * static_cast<double>(i),
                     y = -0.5 + 2.5 * static_cast<double>(j);
        Trajectory one = run_trajectory_with(single(name, hyper, {x, y}, 30), rosenbrock, nullptr);
        EXPECT_EQ(all.diverged_at_each[k], -1);
        EXPECT_EQ(slice(all.params, 6, k)[0], x);
        EXPECT_EQ(slice(all.params, 6, k)[1], y);
        // Batched element-wise kernels may round differently from the 2-element ones only in
        // the last bit; 1e-13 relative leaves room for that over 30 steps.
        expect_near_all(slice(all.params, 6, k), one.params, 1e-13, "params");
        expect_near_all(slice(all.loss, 6, k), one.loss, 1e-13, "loss");
        expect_near_all(slice(all.grad, 6, k), one.grad, 1e-13, "grad");
        ASSERT_EQ(all.state.size(), one.state.size());
        for (size_t s = 0; s < one.state.size(); ++s) {
          EXPECT_EQ(all.state[s].step_shape, one.state[s].step_shape);
          expect_near_all(slice(all.state[s].values, 6, k), one.state[s].values, 1e-13,
                          one.state[s].name);
        }
      }
    }
  }
}

TEST(RunTrajectory, SweepMarksDivergedPointsAndKeepsTheOthers) {
  const Domain domain{-3, 1, -1, 3};
  RunSpec sweep = grid("sgd", {{"lr", 2e-3}}, domain, 3, 3, 60);
  Trajectory all = run_trajectory_with(sweep, rosenbrock, nullptr);
  ASSERT_EQ(all.batch, 9);
  int diverged = 0;
  for (int64_t k = 0; k < 9; ++k) {
    const double x = -3 + 2.0 * static_cast<double>(k % 3),
                 y = -1 + 2.0 * static_cast<double>(k / 3);
    Trajectory one =
        run_trajectory_with(single("sgd", {{"lr", 2e-3}}, {x, y}, 60), rosenbrock, nullptr);
    EXPECT_EQ(all.diverged_at_each[k], one.diverged_at) << k;
    std::vector<double> params = slice(all.params, 9, k);
    std::vector<double> loss = slice(all.loss, 9, k);
    if (one.diverged_at >= 0) {
      ++diverged;
      for (size_t r = static_cast<size_t>(one.diverged_at); r < 61; ++r) {
        EXPECT_TRUE(std::isnan(loss[r]));
        EXPECT_TRUE(std::isnan(params[2 * r]));
      }
      params.resize(one.params.size());
      loss.resize(one.loss.size());
    }
    expect_near_all(params, one.params, 1e-13, "params");
    expect_near_all(loss, one.loss, 1e-13, "loss");
  }
  EXPECT_GT(diverged, 0);
  EXPECT_LT(diverged, 9);
}

TEST(RunTrajectory, RejectsWhatItCannotRun) {
  EXPECT_THROW(run_trajectory_with(grid("lbfgs", {}, {-1, 1, -1, 1}, 2, 2, 5), rosenbrock, nullptr),
               InputError);
  EXPECT_THROW(run_trajectory_with(single("adam", {}, {0, 0}, 0), rosenbrock, nullptr), InputError);
  EXPECT_THROW(run_trajectory_with(single("adam", {}, {0, 0, 0}, 5), rosenbrock, nullptr),
               InputError);
  EXPECT_THROW(run_trajectory_with(single("adam", {{"lr", -1.0}}, {0, 0}, 5), rosenbrock, nullptr),
               InputError);
  EXPECT_THROW(run_trajectory_with(single("nope", {}, {0, 0}, 5), rosenbrock, nullptr), InputError);
}

TEST(RunTrajectory, OneDimensionalStartAndProgress) {
  // f(x) = (x - 3)^2 with SGD lr 0.25: x_{t+1} = x_t - 0.5 (x_t - 3), so x_t - 3 halves.
  const auto parabola = [](const at::Tensor& x, const at::Tensor&) { return (x - 3).pow(2); };
  std::vector<int64_t> seen;
  Trajectory traj = run_trajectory_with(single("sgd", {{"lr", 0.25}}, {7.0}, 5), parabola,
                                        [&](int64_t done, int64_t total) {
                                          EXPECT_EQ(total, 5);
                                          seen.push_back(done);
                                        });
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(traj.dim, 1);
  ASSERT_EQ(traj.params.size(), 6u);
  for (int t = 0; t <= 5; ++t) EXPECT_DOUBLE_EQ(traj.params[t], 3 + 4 * std::pow(0.5, t));
  EXPECT_DOUBLE_EQ(traj.loss[5], std::pow(4 * std::pow(0.5, 5), 2));
}

}  // namespace
}  // namespace trajtool
