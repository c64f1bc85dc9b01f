#pragma once
// Test-local objectives, the same formulas with the same operations as make_golden.py, so that
// golden comparisons do not depend on the objectives module.
#include <ATen/ATen.h>

#include <cmath>
#include <string>

#include "optimizers/run_trajectory.h"

namespace trajtool::testing {

// (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1).
inline at::Tensor rosenbrock(const at::Tensor& x, const at::Tensor& y) {
  return (1 - x).pow(2) + 100 * (y - x.pow(2)).pow(2);
}

// 0.5 (a u^2 + b v^2) in coordinates rotated by theta: a = 6, b = 1, theta = 0.9.
inline at::Tensor rotated_quadratic(const at::Tensor& x, const at::Tensor& y) {
  const double c = std::cos(0.9);
  const double s = std::sin(0.9);
  at::Tensor u = c * x + s * y;
  at::Tensor v = -s * x + c * y;
  return 0.5 * (6.0 * u.pow(2) + 1.0 * v.pow(2));
}

inline TorchObjectiveFn objective_named(const std::string& name) {
  if (name == "rosenbrock") return rosenbrock;
  return rotated_quadratic;
}

}  // namespace trajtool::testing
