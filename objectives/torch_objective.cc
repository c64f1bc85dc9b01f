// LibTorch evaluation of the registered objectives: the same templated formulas as registry.cc,
// instantiated for at::Tensor so that autograd differentiates them.
//
// Compile time: instead of <ATen/ATen.h> (all of ATen's functions, ~12 s here) this unit includes
// only the per-operator headers the formulas use (~5 s). A formula that calls a new function needs
// its <ATen/ops/NAME.h> here.
#define AT_PER_OPERATOR_HEADERS
#include "objectives/torch_objective.h"

#include <ATen/TensorOperators.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/cos.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/log.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/sin.h>
#include <ATen/ops/sqrt.h>
#include <ATen/ops/tan.h>
#include <ATen/ops/tanh.h>

#include <memory>

#include "objectives/all_objectives.h"
#include "objectives/expression.h"
#include "toolkit/core/error.h"

namespace trajtool {

TorchObjectiveFn bind_objective_torch(const ObjectiveSpec& spec) {
  if (spec.name == "expr") {
    auto formula = std::make_shared<const Expression>(parse_expression(spec.expr));
    return [formula](const at::Tensor& x, const at::Tensor& y) {
      const ExprValue<at::Tensor> v = evaluate_expression_node(formula->root, x, y);
      // A formula without x and y is a constant: broadcast it through x, so that the result
      // stays connected to x for backward() (with gradient zero).
      if (v.is_constant) return x * 0.0 + v.constant;
      return v.value;
    };
  }
  TorchObjectiveFn bound;
  const bool found = AllObjectives::visit(spec.name, [&](auto tag) {
    using O = typename decltype(tag)::type;
    bound = [params = resolve_params<O>(spec.params)](const at::Tensor& x, const at::Tensor& y) {
      return O::value(x, y, params);
    };
  });
  if (!found) throw InputError("unknown objective '" + spec.name + "'");
  return bound;
}

at::Tensor evaluate_objective_torch(const ObjectiveSpec& spec, const at::Tensor& x,
                                    const at::Tensor& y) {
  return bind_objective_torch(spec)(x, y);
}

}  // namespace trajtool
