// The LibTorch evaluation: values equal the double registry's, and autograd gradients (float64)
// equal central finite differences of the double registry, for every objective and a few formulas.
#include "objectives/torch_objective.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "objectives/objective.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

double f(const ObjectiveSpec& spec, double x, double y) {
  double out = 0;
  evaluate_objective(spec, &x, &y, &out, 1);
  return out;
}

// Points as fractions of the domain, away from the centre (Ackley's kink at the origin) and from
// the grid lines of the simple objectives.
const std::vector<std::pair<double, double>> kFractions = {
    {0.13, 0.71}, {0.62, 0.27}, {0.81, 0.93}, {0.35, 0.44}, {0.58, 0.61}};

void expect_torch_matches_double(const ObjectiveSpec& spec_in) {
  ObjectiveSpec spec = spec_in;
  apply_objective_defaults(spec);
  const ObjectiveInfo info = objective_info(spec);
  const Domain& d = spec.domain;
  std::vector<double> xs, ys;
  for (const auto& [fx, fy] : kFractions) {
    xs.push_back(d.x_min + fx * (d.x_max - d.x_min));
    ys.push_back(d.y_min + fy * (d.y_max - d.y_min));
  }
  const auto n = static_cast<int64_t>(xs.size());
  const auto options = at::TensorOptions().dtype(at::kDouble);
  at::Tensor x = at::from_blob(xs.data(), {n}, options).clone().requires_grad_(true);
  at::Tensor y = at::from_blob(ys.data(), {n}, options).clone().requires_grad_(true);
  at::Tensor value = evaluate_objective_torch(spec, x, y);
  ASSERT_EQ(value.sizes(), x.sizes()) << spec.name;
  ASSERT_EQ(value.scalar_type(), at::kDouble) << spec.name;
  value.sum().backward();
  ASSERT_TRUE(x.grad().defined()) << spec.name;
  const at::Tensor v = value.detach();
  for (int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const std::string where = spec.name + " " + spec.expr + " at (" + std::to_string(xs[k]) + ", " +
                              std::to_string(ys[k]) + ")";
    const double expected = f(spec, xs[k], ys[k]);
    EXPECT_NEAR(v[i].item<double>(), expected, 1e-13 * (1 + std::abs(expected))) << where;
    // Central differences with a step relative to the coordinate: truncation error ~ h^2.
    const double hx = 1e-5 * std::max(1.0, std::abs(xs[k]));
    const double hy = 1e-5 * std::max(1.0, std::abs(ys[k]));
    const double gx = (f(spec, xs[k] + hx, ys[k]) - f(spec, xs[k] - hx, ys[k])) / (2 * hx);
    const double autograd_x = x.grad()[i].item<double>();
    EXPECT_NEAR(autograd_x, gx, 1e-5 * (1 + std::abs(gx))) << where;
    if (info.dim == 2) {
      ASSERT_TRUE(y.grad().defined()) << spec.name;
      const double gy = (f(spec, xs[k], ys[k] + hy) - f(spec, xs[k], ys[k] - hy)) / (2 * hy);
      EXPECT_NEAR(y.grad()[i].item<double>(), gy, 1e-5 * (1 + std::abs(gy))) << where;
    }
  }
}

TEST(TorchObjective, EveryObjectiveMatchesDoubleValuesAndFiniteDifferences) {
  int checked = 0;
  for (const std::string& name : objective_names()) {
    if (name == "expr") continue;
    ObjectiveSpec spec;
    spec.name = name;
    expect_torch_matches_double(spec);
    ++checked;
  }
  EXPECT_EQ(checked, 17);
}

TEST(TorchObjective, ParametersReachTheTensorFormula) {
  ObjectiveSpec spec;
  spec.name = "rotated_quadratic";
  spec.params = {{"a", 3}, {"b", 0.25}, {"theta", -0.4}};
  expect_torch_matches_double(spec);
  spec.name = "bumpy_bowl";
  spec.params = {{"scale", 2}, {"freq", 1.5}};
  expect_torch_matches_double(spec);
  spec.name = "rosenbrock";
  spec.params = {{"a", 2}, {"b", 10}};
  expect_torch_matches_double(spec);
}

TEST(TorchObjective, FormulasMatchDoubleValuesAndFiniteDifferences) {
  for (const char* text :
       {"(1-x)^2 + 100*(y-x^2)^2", "sin(x)*cos(y) + exp(-x^2) - log(1 + y^2) + sqrt(abs(x) + 1)",
        "tanh(y) + tan(x/4) + 2^x + x^y/(1 + y^2)", "-x^2/3 + pi*e*y", "0.5*x^2 - 2"}) {
    ObjectiveSpec spec;
    spec.name = "expr";
    spec.expr = text;
    spec.domain = {0.5, 1.5, 0.2, 1.8};  // positive, for x^y
    expect_torch_matches_double(spec);
  }
}

TEST(TorchObjective, ConstantFormulaBroadcastsWithZeroGradient) {
  ObjectiveSpec spec;
  spec.name = "expr";
  spec.expr = "2*pi";
  at::Tensor x = at::ones({3}, at::kDouble).requires_grad_(true);
  at::Tensor y = at::zeros({3}, at::kDouble);
  at::Tensor v = evaluate_objective_torch(spec, x, y);
  ASSERT_EQ(v.sizes(), x.sizes());
  EXPECT_DOUBLE_EQ(v[2].item<double>(), 2 * M_PI);
  v.sum().backward();
  EXPECT_EQ(x.grad()[0].item<double>(), 0);
}

TEST(TorchObjective, Float32StaysFloat32) {
  ObjectiveSpec spec;
  spec.name = "goldstein_price";
  at::Tensor x = at::full({2}, 0.5, at::kFloat);
  at::Tensor y = at::full({2}, -0.5, at::kFloat);
  at::Tensor v = evaluate_objective_torch(spec, x, y);
  EXPECT_EQ(v.scalar_type(), at::kFloat);
  EXPECT_FLOAT_EQ(v[0].item<float>(), 193.75f);  // hand-computed (see registry_test.cc)
  spec.name = "expr";
  spec.expr = "1 - x + 2^x";
  EXPECT_EQ(evaluate_objective_torch(spec, x, y).scalar_type(), at::kFloat);
}

TEST(TorchObjective, UnknownObjectiveThrows) {
  ObjectiveSpec spec;
  spec.name = "nope";
  const at::Tensor x = at::zeros({1}, at::kDouble);
  EXPECT_THROW(evaluate_objective_torch(spec, x, x), InputError);
  spec.name = "booth";
  spec.params = {{"q", 1}};
  EXPECT_THROW(evaluate_objective_torch(spec, x, x), InputError);
}

}  // namespace
}  // namespace trajtool
