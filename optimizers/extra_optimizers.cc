#include "optimizers/extra_optimizers.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <c10/util/string_utils.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>

namespace trajtool {

std::string state_key(const at::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

namespace {

using torch::optim::OptimizerParamState;

// The state of `p`, created by `make` on first use.
template <typename State, typename Make>
State& state_of(ska::flat_hash_map<std::string, std::unique_ptr<OptimizerParamState>>& states,
                const at::Tensor& p, Make make) {
  std::string key = state_key(p);
  auto it = states.find(key);
  if (it == states.end()) {
    auto fresh = std::make_unique<State>();
    make(*fresh);
    it = states.emplace(std::move(key), std::move(fresh)).first;
  }
  return static_cast<State&>(*it->second);
}

// Python's optimizers evaluate the closure with grad enabled, then step without it.
at::Tensor evaluate_closure(const torch::optim::Optimizer::LossClosure& closure) {
  if (closure == nullptr) return {};
  at::AutoGradMode enable_grad(true);
  return closure();
}

void check_common(double lr, double eps, double weight_decay) {
  TORCH_CHECK(lr >= 0, "Invalid learning rate: ", lr);
  TORCH_CHECK(eps >= 0, "Invalid epsilon value: ", eps);
  TORCH_CHECK(weight_decay >= 0, "Invalid weight_decay value: ", weight_decay);
}

void check_betas(const std::tuple<double, double>& betas) {
  TORCH_CHECK(0 <= std::get<0>(betas) && std::get<0>(betas) < 1.0,
              "Invalid beta parameter at index 0: ", std::get<0>(betas));
  TORCH_CHECK(0 <= std::get<1>(betas) && std::get<1>(betas) < 1.0,
              "Invalid beta parameter at index 1: ", std::get<1>(betas));
}

}  // namespace

NAdam::NAdam(std::vector<at::Tensor> params, NAdamOptions defaults)
    : Optimizer(std::move(params), std::make_unique<NAdamOptions>(defaults)) {
  check_common(defaults.lr(), defaults.eps(), defaults.weight_decay());
  check_betas(defaults.betas());
  TORCH_CHECK(defaults.momentum_decay() >= 0,
              "Invalid momentum_decay value: ", defaults.momentum_decay());
}

at::Tensor NAdam::step(LossClosure closure) {
  at::Tensor loss = evaluate_closure(closure);
  at::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const NAdamOptions&>(group.options());
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      at::Tensor grad = param.grad();
      auto& state = state_of<NAdamParamState>(state_, param, [&](NAdamParamState& s) {
        s.mu_product(at::ones({}, at::kFloat));
        s.exp_avg(at::zeros_like(param, at::MemoryFormat::Preserve));
        s.exp_avg_sq(at::zeros_like(param, at::MemoryFormat::Preserve));
      });
      state.step(state.step() + 1);
      const double step = static_cast<double>(state.step());
      const double bias_correction2 = 1 - std::pow(beta2, step);
      if (options.weight_decay() != 0) grad = grad.add(param, options.weight_decay());
      const double mu = beta1 * (1. - 0.5 * std::pow(0.96, step * options.momentum_decay()));
      const double mu_next =
          beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * options.momentum_decay()));
      at::Tensor mu_product = state.mu_product();
      mu_product.mul_(mu);
      // mu counted twice on purpose: torch 1.13's nadam.py computes mu_product * mu * mu_next
      // after mu_product *= mu (checked in its source); changing it would part from torch.
      at::Tensor mu_product_next = mu_product * mu * mu_next;
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      state.exp_avg_sq().mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      at::Tensor denom = state.exp_avg_sq().div(bias_correction2).sqrt().add_(options.eps());
      param.addcdiv_(grad, denom, -options.lr() * (1. - mu) / (1. - mu_product.item<double>()));
      param.addcdiv_(state.exp_avg(), denom,
                     -options.lr() * mu_next / (1. - mu_product_next.item<double>()));
    }
  }
  return loss;
}

RAdam::RAdam(std::vector<at::Tensor> params, RAdamOptions defaults)
    : Optimizer(std::move(params), std::make_unique<RAdamOptions>(defaults)) {
  check_common(defaults.lr(), defaults.eps(), defaults.weight_decay());
  check_betas(defaults.betas());
}

at::Tensor RAdam::step(LossClosure closure) {
  at::Tensor loss = evaluate_closure(closure);
  at::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const RAdamOptions&>(group.options());
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    const double lr = options.lr();
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      at::Tensor grad = param.grad();
      auto& state = state_of<RAdamParamState>(state_, param, [&](RAdamParamState& s) {
        s.exp_avg(at::zeros_like(param, at::MemoryFormat::Preserve));
        s.exp_avg_sq(at::zeros_like(param, at::MemoryFormat::Preserve));
      });
      state.step(state.step() + 1);
      const double step = static_cast<double>(state.step());
      const double bias_correction1 = 1 - std::pow(beta1, step);
      const double bias_correction2 = 1 - std::pow(beta2, step);
      if (options.weight_decay() != 0) grad = grad.add(param, options.weight_decay());
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      state.exp_avg_sq().mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      at::Tensor bias_corrected_exp_avg = state.exp_avg() / bias_correction1;
      const double rho_inf = 2 / (1 - beta2) - 1;
      const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
      if (rho_t > 5.) {
        const double rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                      ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        // Python's `float / tensor` is tensor.reciprocal() * float.
        at::Tensor adaptive_lr = state.exp_avg_sq().sqrt().add_(options.eps()).reciprocal() *
                                 std::sqrt(bias_correction2);
        param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, -1.0);
      } else {
        param.add_(bias_corrected_exp_avg * lr, -1.0);
      }
    }
  }
  return loss;
}

Adamax::Adamax(std::vector<at::Tensor> params, AdamaxOptions defaults)
    : Optimizer(std::move(params), std::make_unique<AdamaxOptions>(defaults)) {
  check_common(defaults.lr(), defaults.eps(), defaults.weight_decay());
  check_betas(defaults.betas());
}

at::Tensor Adamax::step(LossClosure closure) {
  at::Tensor loss = evaluate_closure(closure);
  at::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const AdamaxOptions&>(group.options());
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      at::Tensor grad = param.grad();
      auto& state = state_of<AdamaxParamState>(state_, param, [&](AdamaxParamState& s) {
        s.exp_avg(at::zeros_like(param, at::MemoryFormat::Preserve));
        s.exp_inf(at::zeros_like(param, at::MemoryFormat::Preserve));
      });
      state.step(state.step() + 1);
      const double step = static_cast<double>(state.step());
      if (options.weight_decay() != 0) grad = grad.add(param, options.weight_decay());
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      // Python takes amax over the stacked pair; an element-wise maximum is the same value and
      // propagates NaN the same way.
      at::Tensor exp_inf = state.exp_inf();
      exp_inf.mul_(beta2);
      at::maximum_out(exp_inf, exp_inf, grad.abs().add_(options.eps()));
      const double clr = options.lr() / (1 - std::pow(beta1, step));
      param.addcdiv_(state.exp_avg(), exp_inf, -clr);
    }
  }
  return loss;
}

Adadelta::Adadelta(std::vector<at::Tensor> params, AdadeltaOptions defaults)
    : Optimizer(std::move(params), std::make_unique<AdadeltaOptions>(defaults)) {
  check_common(defaults.lr(), defaults.eps(), defaults.weight_decay());
  TORCH_CHECK(0 <= defaults.rho() && defaults.rho() <= 1.0, "Invalid rho value: ", defaults.rho());
}

at::Tensor Adadelta::step(LossClosure closure) {
  at::Tensor loss = evaluate_closure(closure);
  at::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const AdadeltaOptions&>(group.options());
    const double rho = options.rho();
    const double eps = options.eps();
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      at::Tensor grad = param.grad();
      auto& state = state_of<AdadeltaParamState>(state_, param, [&](AdadeltaParamState& s) {
        s.square_avg(at::zeros_like(param, at::MemoryFormat::Preserve));
        s.acc_delta(at::zeros_like(param, at::MemoryFormat::Preserve));
      });
      state.step(state.step() + 1);
      if (options.weight_decay() != 0) grad = grad.add(param, options.weight_decay());
      state.square_avg().mul_(rho).addcmul_(grad, grad, 1 - rho);
      at::Tensor std = state.square_avg().add(eps).sqrt_();
      at::Tensor delta = state.acc_delta().add(eps).sqrt_().div_(std).mul_(grad);
      state.acc_delta().mul_(rho).addcmul_(delta, delta, 1 - rho);
      param.add_(delta, -options.lr());
    }
  }
  return loss;
}

Rprop::Rprop(std::vector<at::Tensor> params, RpropOptions defaults)
    : Optimizer(std::move(params), std::make_unique<RpropOptions>(defaults)) {
  TORCH_CHECK(defaults.lr() >= 0, "Invalid learning rate: ", defaults.lr());
  const double eta_minus = std::get<0>(defaults.etas());
  const double eta_plus = std::get<1>(defaults.etas());
  TORCH_CHECK(0.0 < eta_minus && eta_minus < 1.0 && 1.0 < eta_plus,
              "Invalid eta values: ", eta_minus, ", ", eta_plus);
}

at::Tensor Rprop::step(LossClosure closure) {
  at::Tensor loss = evaluate_closure(closure);
  at::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const RpropOptions&>(group.options());
    const double eta_minus = std::get<0>(options.etas());
    const double eta_plus = std::get<1>(options.etas());
    const double step_size_min = std::get<0>(options.step_sizes());
    const double step_size_max = std::get<1>(options.step_sizes());
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      at::Tensor grad = param.grad();
      auto& state = state_of<RpropParamState>(state_, param, [&](RpropParamState& s) {
        s.prev(at::zeros_like(param, at::MemoryFormat::Preserve));
        s.step_size(at::empty_like(grad).fill_(options.lr()));
      });
      state.step(state.step() + 1);
      at::Tensor sign = grad.mul(state.prev()).sign();
      sign.masked_fill_(sign.gt(0), eta_plus);
      sign.masked_fill_(sign.lt(0), eta_minus);
      sign.masked_fill_(sign.eq(0), 1);
      state.step_size().mul_(sign).clamp_(step_size_min, step_size_max);
      // Where the gradient changed sign, skip this step and forget the gradient.
      grad = grad.clone(at::MemoryFormat::Preserve);
      grad.masked_fill_(sign.eq(eta_minus), 0);
      param.addcmul_(grad.sign(), state.step_size(), -1);
      state.prev().copy_(grad);
    }
  }
  return loss;
}

}  // namespace trajtool
