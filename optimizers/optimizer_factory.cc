#include "optimizers/optimizer_factory.h"

#include <torch/optim/adagrad.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/lbfgs.h>
#include <torch/optim/rmsprop.h>
#include <torch/optim/sgd.h>

#include <cmath>
#include <limits>
#include <optional>

#include "optimizers/catalog.h"
#include "optimizers/extra_optimizers.h"
#include "optimizers/optimizer_spec.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

namespace optim = torch::optim;

std::tuple<double, double> tuple_of(const OptimizerSpec& spec, const std::string& key) {
  auto [a, b] = hyper_pair(spec, key);
  return std::make_tuple(a, b);
}

int64_t integer_of(const OptimizerSpec& spec, const std::string& key) {
  return static_cast<int64_t>(hyper_number(spec, key));
}

StateValue scalar(double v) { return {false, {}, v}; }
StateValue tensor(const at::Tensor& t) { return {true, t, 0}; }

template <typename State>
const State* as(const optim::OptimizerParamState* state) {
  return dynamic_cast<const State*>(state);
}

// The value of `name` in a state object; nullopt for a name that state does not hold.
std::optional<StateValue> value_of(const optim::OptimizerParamState& s, const std::string& name) {
  const auto unknown = []() -> std::optional<StateValue> { return std::nullopt; };
  const auto step = [](int64_t v) { return scalar(static_cast<double>(v)); };
  if (const auto* st = as<optim::SGDParamState>(&s)) {
    return name == "momentum_buffer" ? tensor(st->momentum_buffer()) : unknown();
  }
  if (const auto* st = as<optim::AdamParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "exp_avg") return tensor(st->exp_avg());
    if (name == "exp_avg_sq") return tensor(st->exp_avg_sq());
    if (name == "max_exp_avg_sq") return tensor(st->max_exp_avg_sq());
    return unknown();
  }
  if (const auto* st = as<optim::AdamWParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "exp_avg") return tensor(st->exp_avg());
    if (name == "exp_avg_sq") return tensor(st->exp_avg_sq());
    if (name == "max_exp_avg_sq") return tensor(st->max_exp_avg_sq());
    return unknown();
  }
  if (const auto* st = as<optim::RMSpropParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "square_avg") return tensor(st->square_avg());
    if (name == "momentum_buffer") return tensor(st->momentum_buffer());
    if (name == "grad_avg") return tensor(st->grad_avg());
    return unknown();
  }
  if (const auto* st = as<optim::AdagradParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "sum") return tensor(st->sum());
    return unknown();
  }
  if (const auto* st = as<optim::LBFGSParamState>(&s)) {
    if (name == "func_evals") return step(st->func_evals());
    if (name == "n_iter") return step(st->n_iter());
    if (name == "t") return scalar(st->t());
    if (name == "d") return tensor(st->d());
    return unknown();
  }
  if (const auto* st = as<NAdamParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "mu_product") return tensor(st->mu_product());
    if (name == "exp_avg") return tensor(st->exp_avg());
    if (name == "exp_avg_sq") return tensor(st->exp_avg_sq());
    return unknown();
  }
  if (const auto* st = as<RAdamParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "exp_avg") return tensor(st->exp_avg());
    if (name == "exp_avg_sq") return tensor(st->exp_avg_sq());
    return unknown();
  }
  if (const auto* st = as<AdamaxParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "exp_avg") return tensor(st->exp_avg());
    if (name == "exp_inf") return tensor(st->exp_inf());
    return unknown();
  }
  if (const auto* st = as<AdadeltaParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "square_avg") return tensor(st->square_avg());
    if (name == "acc_delta") return tensor(st->acc_delta());
    return unknown();
  }
  if (const auto* st = as<RpropParamState>(&s)) {
    if (name == "step") return step(st->step());
    if (name == "prev") return tensor(st->prev());
    if (name == "step_size") return tensor(st->step_size());
    return unknown();
  }
  return unknown();
}

const optim::OptimizerParamState* find_state(const optim::Optimizer& optimizer,
                                             const at::Tensor& param) {
  const auto& states = optimizer.state();
  auto it = states.find(state_key(param));
  return it == states.end() ? nullptr : it->second.get();
}

void add_tensor(std::vector<std::pair<std::string, at::Tensor>>& out, const std::string& name,
                const at::Tensor& t) {
  if (t.defined() && t.dim() > 0) out.emplace_back(name, t);
}

// group['betas'] = (beta1, *group['betas'][1:]).
template <class Options>
void set_beta1(optim::OptimizerOptions& options, double beta1) {
  auto& o = static_cast<Options&>(options);
  o.betas(std::make_tuple(beta1, std::get<1>(o.betas())));
}

}  // namespace

std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerSpec& spec_in,
                                                 std::vector<at::Tensor> params) {
  OptimizerSpec spec = spec_in;
  apply_optimizer_defaults(spec);
  std::string problem = check_optimizer_spec(spec);
  if (!problem.empty()) throw InputError("optimizer " + spec.name + ": " + problem);
  const std::string& name = spec.name;
  const double lr = hyper_number(spec, "lr");
  if (name == "sgd") {
    return std::make_unique<optim::SGD>(params,
                                        optim::SGDOptions(lr)
                                            .momentum(hyper_number(spec, "momentum"))
                                            .dampening(hyper_number(spec, "dampening"))
                                            .weight_decay(hyper_number(spec, "weight_decay"))
                                            .nesterov(hyper_bool(spec, "nesterov")));
  }
  if (name == "adam") {
    return std::make_unique<optim::Adam>(params,
                                         optim::AdamOptions(lr)
                                             .betas(tuple_of(spec, "betas"))
                                             .eps(hyper_number(spec, "eps"))
                                             .weight_decay(hyper_number(spec, "weight_decay"))
                                             .amsgrad(hyper_bool(spec, "amsgrad")));
  }
  if (name == "adamw") {
    return std::make_unique<optim::AdamW>(params,
                                          optim::AdamWOptions(lr)
                                              .betas(tuple_of(spec, "betas"))
                                              .eps(hyper_number(spec, "eps"))
                                              .weight_decay(hyper_number(spec, "weight_decay"))
                                              .amsgrad(hyper_bool(spec, "amsgrad")));
  }
  if (name == "rmsprop") {
    return std::make_unique<optim::RMSprop>(params,
                                            optim::RMSpropOptions(lr)
                                                .alpha(hyper_number(spec, "alpha"))
                                                .eps(hyper_number(spec, "eps"))
                                                .weight_decay(hyper_number(spec, "weight_decay"))
                                                .momentum(hyper_number(spec, "momentum"))
                                                .centered(hyper_bool(spec, "centered")));
  }
  if (name == "adagrad") {
    return std::make_unique<optim::Adagrad>(
        params, optim::AdagradOptions(lr)
                    .lr_decay(hyper_number(spec, "lr_decay"))
                    .weight_decay(hyper_number(spec, "weight_decay"))
                    .initial_accumulator_value(hyper_number(spec, "initial_accumulator_value"))
                    .eps(hyper_number(spec, "eps")));
  }
  if (name == "lbfgs") {
    optim::LBFGSOptions options(lr);
    options.max_iter(integer_of(spec, "max_iter"))
        .max_eval(integer_of(spec, "max_eval"))
        .tolerance_grad(hyper_number(spec, "tolerance_grad"))
        .tolerance_change(hyper_number(spec, "tolerance_change"))
        .history_size(integer_of(spec, "history_size"));
    std::string line_search = hyper_string(spec, "line_search_fn");
    if (!line_search.empty()) options.line_search_fn(line_search);
    return std::make_unique<optim::LBFGS>(params, options);
  }
  if (name == "nadam") {
    return std::make_unique<NAdam>(params,
                                   NAdamOptions(lr)
                                       .betas(tuple_of(spec, "betas"))
                                       .eps(hyper_number(spec, "eps"))
                                       .weight_decay(hyper_number(spec, "weight_decay"))
                                       .momentum_decay(hyper_number(spec, "momentum_decay")));
  }
  if (name == "radam") {
    return std::make_unique<RAdam>(params, RAdamOptions(lr)
                                               .betas(tuple_of(spec, "betas"))
                                               .eps(hyper_number(spec, "eps"))
                                               .weight_decay(hyper_number(spec, "weight_decay")));
  }
  if (name == "adamax") {
    return std::make_unique<Adamax>(params, AdamaxOptions(lr)
                                                .betas(tuple_of(spec, "betas"))
                                                .eps(hyper_number(spec, "eps"))
                                                .weight_decay(hyper_number(spec, "weight_decay")));
  }
  if (name == "adadelta") {
    return std::make_unique<Adadelta>(params,
                                      AdadeltaOptions(lr)
                                          .rho(hyper_number(spec, "rho"))
                                          .eps(hyper_number(spec, "eps"))
                                          .weight_decay(hyper_number(spec, "weight_decay")));
  }
  if (name == "rprop") {
    return std::make_unique<Rprop>(
        params,
        RpropOptions(lr).etas(tuple_of(spec, "etas")).step_sizes(tuple_of(spec, "step_sizes")));
  }
  throw InputError("optimizer " + name + " is in the catalog but has no LibTorch implementation");
}

void read_state(const optim::Optimizer& optimizer, const std::string& optimizer_name,
                const at::Tensor& param, const std::vector<std::string>& names,
                std::vector<StateValue>& out) {
  out.clear();
  const at::Tensor& key_param =
      optimizer_name == "lbfgs" ? optimizer.param_groups().at(0).params().at(0) : param;
  const optim::OptimizerParamState* state = find_state(optimizer, key_param);
  for (const std::string& name : names) {
    if (state == nullptr) {
      out.push_back(scalar(std::numeric_limits<double>::quiet_NaN()));
    } else {
      std::optional<StateValue> value = value_of(*state, name);
      if (!value)
        throw RuntimeFailure("optimizer " + optimizer_name + " has no state '" + name + "'");
      out.push_back(*value);
    }
  }
}

std::vector<std::pair<std::string, at::Tensor>> state_tensors(const optim::Optimizer& optimizer,
                                                              const std::string& optimizer_name) {
  const std::vector<std::string>& names = optimizer_info(optimizer_name).state_names;
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& group : optimizer.param_groups()) {
    for (const auto& param : group.params()) {
      const optim::OptimizerParamState* s = find_state(optimizer, param);
      if (s == nullptr) continue;
      if (const auto* lbfgs = as<optim::LBFGSParamState>(s)) {
        add_tensor(out, "d", lbfgs->d());
        add_tensor(out, "prev_flat_grad", lbfgs->prev_flat_grad());
        for (const auto& t : lbfgs->old_dirs()) add_tensor(out, "old_dirs", t);
        for (const auto& t : lbfgs->old_stps()) add_tensor(out, "old_stps", t);
        for (const auto& t : lbfgs->ro()) add_tensor(out, "ro", t);
        continue;
      }
      for (const std::string& name : names) {
        std::optional<StateValue> value = value_of(*s, name);
        if (value && value->is_tensor) add_tensor(out, name, value->tensor);
      }
    }
  }
  return out;
}

void set_momentum(optim::Optimizer& optimizer, const std::string& optimizer_name, double momentum) {
  const std::string& n = optimizer_name;
  for (auto& group : optimizer.param_groups()) {
    optim::OptimizerOptions& options = group.options();
    if (n == "sgd") {
      static_cast<optim::SGDOptions&>(options).momentum(momentum);
    } else if (n == "rmsprop") {
      static_cast<optim::RMSpropOptions&>(options).momentum(momentum);
    } else if (n == "adam") {
      set_beta1<optim::AdamOptions>(options, momentum);
    } else if (n == "adamw") {
      set_beta1<optim::AdamWOptions>(options, momentum);
    } else if (n == "nadam") {
      set_beta1<NAdamOptions>(options, momentum);
    } else if (n == "radam") {
      set_beta1<RAdamOptions>(options, momentum);
    } else if (n == "adamax") {
      set_beta1<AdamaxOptions>(options, momentum);
    } else {
      throw RuntimeFailure(n + " has no momentum or betas to cycle");
    }
  }
}

}  // namespace trajtool
