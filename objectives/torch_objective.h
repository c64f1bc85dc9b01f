#pragma once
// LibTorch evaluation of the registered objectives (the same templated formulas as objective.h),
// differentiable by autograd. Only the compute library includes this header.
#include <ATen/core/Tensor.h>

#include "toolkit/run_spec.h"

namespace trajtool {

// f(x, y) element-wise: x and y have the same shape (e.g. [N]); the result has that shape.
// For a 1D objective y is ignored (pass zeros). spec must have had apply_objective_defaults.
at::Tensor evaluate_objective_torch(const ObjectiveSpec& spec, const at::Tensor& x,
                                    const at::Tensor& y);

}  // namespace trajtool
