#include "optimizers/run_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/optimizer.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "optimizers/optimizer_factory.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

void check_spec(const ModelRunSpec& spec) {
  if (spec.layers.size() < 2 || spec.layers.front() != 2 || spec.layers.back() != 1) {
    throw InputError(
        "model layers must start with 2 inputs and end with 1 output, e.g. [2, 8, 8, 1]");
  }
  for (int64_t width : spec.layers) {
    if (width < 1) throw InputError("model layer widths must be >= 1");
  }
  if (spec.steps < 1) throw InputError("model steps must be >= 1");
  if (spec.samples < 1) throw InputError("model samples must be >= 1");
}

}  // namespace

ModelRecord run_model(const ModelRunSpec& spec) {
  const auto started = std::chrono::steady_clock::now();
  check_spec(spec);
  const at::ScalarType dtype = spec.dtype == DType::kFloat64 ? at::kDouble : at::kFloat;
  const at::TensorOptions options = at::TensorOptions().dtype(dtype);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(spec.seed);

  // Weights w[l] of shape [out, in] and biases b[l] of shape [out], as torch.nn.Linear.
  std::vector<at::Tensor> params;
  for (size_t l = 0; l + 1 < spec.layers.size(); ++l) {
    const int64_t in = spec.layers[l];
    const int64_t out = spec.layers[l + 1];
    const double bound = 1.0 / std::sqrt(static_cast<double>(in));
    params.push_back(at::empty({out, in}, options).uniform_(-bound, bound, generator));
    params.push_back(at::empty({out}, options).uniform_(-bound, bound, generator));
  }
  for (at::Tensor& p : params) p.requires_grad_(true);
  const at::Tensor inputs = at::empty({spec.samples, 2}, options).uniform_(-2.0, 2.0, generator);
  const at::Tensor targets =
      (at::sin(inputs.select(1, 0)) * at::cos(inputs.select(1, 1))).unsqueeze(1);

  const auto mse = [&]() {
    at::Tensor h = inputs;
    for (size_t l = 0; l < params.size(); l += 2) {
      h = at::addmm(params[l + 1], h, params[l].t());
      if (l + 2 < params.size()) h = at::tanh(h);
    }
    return (h - targets).pow(2).mean();
  };

  ModelRecord record;
  for (const at::Tensor& p : params) {
    record.param_count += p.numel();
    record.param_bytes += static_cast<int64_t>(p.nbytes());
  }
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(spec.optimizer, params);
  bool first_eval = true;
  const auto closure = [&]() {
    at::AutoGradMode enable_grad(true);
    optimizer->zero_grad();
    at::Tensor loss = mse();
    loss.backward();
    if (first_eval) {
      record.loss.push_back(loss.item<double>());
      first_eval = false;
    }
    return loss;
  };
  for (int64_t t = 0; t < spec.steps; ++t) {
    first_eval = true;
    optimizer->step(closure);
    if (t == 0) {
      // Bytes of every tensor buffer of the optimizer state after the first step. 0-dim scalars
      // (step counters, NAdam's mu_product, L-BFGS's H_diag) are left out: they are bookkeeping,
      // not memory that grows with the model.
      for (const auto& [name, tensor] : state_tensors(*optimizer, spec.optimizer.name)) {
        record.state_bytes += static_cast<int64_t>(tensor.nbytes());
        bool seen = false;
        for (const std::string& known : record.state_names) seen = seen || known == name;
        if (!seen) record.state_names.push_back(name);
      }
    }
  }
  {
    at::NoGradGuard no_grad;
    record.loss.push_back(mse().item<double>());
  }
  record.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return record;
}

}  // namespace trajtool
