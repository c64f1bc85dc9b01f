#pragma once
// LibTorch evaluation of the registered objectives (the same templated formulas as objective.h),
// differentiable by autograd. Only the compute library includes this header.
#include <ATen/core/Tensor.h>

#include <functional>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// f(x, y) element-wise, differentiable by autograd.
using TorchObjectiveFn = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& y)>;

// The objective of `spec` with its parameters resolved (or its formula parsed) once, for an
// optimizer that evaluates it every step. InputError for an unknown name or a bad formula.
TorchObjectiveFn bind_objective_torch(const ObjectiveSpec& spec);

// f(x, y) element-wise: x and y have the same shape (e.g. [N]); the result has that shape.
// For a 1D objective y is ignored (pass zeros). spec must have had apply_objective_defaults.
// (bind_objective_torch(spec)(x, y), for a single evaluation.)
at::Tensor evaluate_objective_torch(const ObjectiveSpec& spec, const at::Tensor& x,
                                    const at::Tensor& y);

}  // namespace trajtool
