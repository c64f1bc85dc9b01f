#pragma once
// torch.optim 1.13 optimizers that LibTorch 1.13's C++ API lacks, written in LibTorch's own style
// (options + per-parameter state + Optimizer subclass) and following the Python single-tensor
// algorithms operation by operation, so float64 runs agree with Python to rounding.
#include <torch/arg.h>
#include <torch/optim/optimizer.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace trajtool {

// The key of `p`'s per-parameter state in Optimizer::state(): LibTorch 1.13 keys it by the
// address of the tensor's implementation (what its own optimizers use).
std::string state_key(const at::Tensor& p);

// NAdam (Dozat 2016) with torch's momentum decay schedule mu_t = beta1 (1 - 0.5 * 0.96^(t psi)).
struct NAdamOptions : public torch::optim::OptimizerCloneableOptions<NAdamOptions> {
  NAdamOptions(double lr = 2e-3) : lr_(lr) {}
  TORCH_ARG(double, lr) = 2e-3;
  using betas_t = std::tuple<double, double>;
  TORCH_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TORCH_ARG(double, eps) = 1e-8;
  TORCH_ARG(double, weight_decay) = 0;
  TORCH_ARG(double, momentum_decay) = 4e-3;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(const double lr) override { this->lr(lr); }
};

struct NAdamParamState : public torch::optim::OptimizerCloneableParamState<NAdamParamState> {
  TORCH_ARG(int64_t, step) = 0;
  // Python keeps mu_product as a float32 0-dim tensor whatever the parameter dtype; so do we.
  TORCH_ARG(at::Tensor, mu_product);
  TORCH_ARG(at::Tensor, exp_avg);
  TORCH_ARG(at::Tensor, exp_avg_sq);
};

class NAdam : public torch::optim::Optimizer {
 public:
  explicit NAdam(std::vector<at::Tensor> params, NAdamOptions defaults = {});
  at::Tensor step(LossClosure closure = nullptr) override;
};

// RAdam (Liu et al. 2019): Adam with the variance rectification term once rho_t > 5.
struct RAdamOptions : public torch::optim::OptimizerCloneableOptions<RAdamOptions> {
  RAdamOptions(double lr = 1e-3) : lr_(lr) {}
  TORCH_ARG(double, lr) = 1e-3;
  using betas_t = std::tuple<double, double>;
  TORCH_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TORCH_ARG(double, eps) = 1e-8;
  TORCH_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(const double lr) override { this->lr(lr); }
};

struct RAdamParamState : public torch::optim::OptimizerCloneableParamState<RAdamParamState> {
  TORCH_ARG(int64_t, step) = 0;
  TORCH_ARG(at::Tensor, exp_avg);
  TORCH_ARG(at::Tensor, exp_avg_sq);
};

class RAdam : public torch::optim::Optimizer {
 public:
  explicit RAdam(std::vector<at::Tensor> params, RAdamOptions defaults = {});
  at::Tensor step(LossClosure closure = nullptr) override;
};

// Adamax (Kingma & Ba 2015, section 7): Adam with an infinity-norm second moment.
struct AdamaxOptions : public torch::optim::OptimizerCloneableOptions<AdamaxOptions> {
  AdamaxOptions(double lr = 2e-3) : lr_(lr) {}
  TORCH_ARG(double, lr) = 2e-3;
  using betas_t = std::tuple<double, double>;
  TORCH_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TORCH_ARG(double, eps) = 1e-8;
  TORCH_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(const double lr) override { this->lr(lr); }
};

struct AdamaxParamState : public torch::optim::OptimizerCloneableParamState<AdamaxParamState> {
  TORCH_ARG(int64_t, step) = 0;
  TORCH_ARG(at::Tensor, exp_avg);
  TORCH_ARG(at::Tensor, exp_inf);
};

class Adamax : public torch::optim::Optimizer {
 public:
  explicit Adamax(std::vector<at::Tensor> params, AdamaxOptions defaults = {});
  at::Tensor step(LossClosure closure = nullptr) override;
};

// Adadelta (Zeiler 2012).
struct AdadeltaOptions : public torch::optim::OptimizerCloneableOptions<AdadeltaOptions> {
  AdadeltaOptions(double lr = 1.0) : lr_(lr) {}
  TORCH_ARG(double, lr) = 1.0;
  TORCH_ARG(double, rho) = 0.9;
  TORCH_ARG(double, eps) = 1e-6;
  TORCH_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(const double lr) override { this->lr(lr); }
};

struct AdadeltaParamState : public torch::optim::OptimizerCloneableParamState<AdadeltaParamState> {
  TORCH_ARG(int64_t, step) = 0;
  TORCH_ARG(at::Tensor, square_avg);
  TORCH_ARG(at::Tensor, acc_delta);
};

class Adadelta : public torch::optim::Optimizer {
 public:
  explicit Adadelta(std::vector<at::Tensor> params, AdadeltaOptions defaults = {});
  at::Tensor step(LossClosure closure = nullptr) override;
};

// Rprop (Riedmiller & Braun 1993), torch's variant: a sign change zeroes that coordinate's step.
struct RpropOptions : public torch::optim::OptimizerCloneableOptions<RpropOptions> {
  RpropOptions(double lr = 1e-2) : lr_(lr) {}
  TORCH_ARG(double, lr) = 1e-2;
  using pair_t = std::tuple<double, double>;
  TORCH_ARG(pair_t, etas) = std::make_tuple(0.5, 1.2);
  TORCH_ARG(pair_t, step_sizes) = std::make_tuple(1e-6, 50.0);

 public:
  double get_lr() const override { return lr(); }
  void set_lr(const double lr) override { this->lr(lr); }
};

struct RpropParamState : public torch::optim::OptimizerCloneableParamState<RpropParamState> {
  TORCH_ARG(int64_t, step) = 0;
  TORCH_ARG(at::Tensor, prev);
  TORCH_ARG(at::Tensor, step_size);
};

class Rprop : public torch::optim::Optimizer {
 public:
  explicit Rprop(std::vector<at::Tensor> params, RpropOptions defaults = {});
  at::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace trajtool
