#include "optimizers/catalog.h"

#include <cmath>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// Rules, in the words check_hyper_value understands (see check_rule below).
const char kNonNegative[] = ">= 0";
const char kClosedUnit[] = "in [0, 1]";
const char kBetas[] = "each in [0, 1)";
const char kPositiveInteger[] = "an integer >= 1";
const char kEtas[] = "0 < etaminus < 1 < etaplus";
const char kStepSizes[] = "0 <= min <= max";
const char kLineSearch[] = "none or \"strong_wolfe\"";
const char kAny[] = "any number";
const char kAnyBool[] = "true or false";

HyperParam number(const std::string& name, double value, const char* rule) {
  return {name, HyperKind::kNumber, value, rule, false};
}
HyperParam flag(const std::string& name, bool value) {
  return {name, HyperKind::kBool, value, kAnyBool, false};
}
HyperParam pair(const std::string& name, double a, double b, const char* rule) {
  return {name, HyperKind::kPair, std::vector<double>{a, b}, rule, false};
}
HyperParam integer(const std::string& name, double value) {
  return {name, HyperKind::kInteger, value, kPositiveInteger, false};
}

// The Adam family shares lr, betas, eps and weight_decay (torch.optim 1.13's defaults).
std::vector<HyperParam> adam_like(double lr, double weight_decay) {
  return {number("lr", lr, kNonNegative), pair("betas", 0.9, 0.999, kBetas),
          number("eps", 1e-8, kNonNegative), number("weight_decay", weight_decay, kNonNegative)};
}

std::vector<OptimizerInfo> build_catalog() {
  std::vector<OptimizerInfo> all;
  HyperParam sgd_lr = number("lr", 0.0, kNonNegative);
  sgd_lr.required = true;  // torch.optim.SGD(lr=required) in 1.13
  all.push_back({"sgd",
                 "SGD",
                 {sgd_lr, number("momentum", 0, kNonNegative), number("dampening", 0, kAny),
                  number("weight_decay", 0, kNonNegative), flag("nesterov", false)},
                 {"momentum_buffer"},
                 true});
  std::vector<HyperParam> adam = adam_like(1e-3, 0);
  adam.push_back(flag("amsgrad", false));
  all.push_back({"adam", "Adam", adam, {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}, true});
  std::vector<HyperParam> adamw = adam_like(1e-3, 1e-2);
  adamw.push_back(flag("amsgrad", false));
  all.push_back(
      {"adamw", "AdamW", adamw, {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}, true});
  all.push_back({"rmsprop",
                 "RMSprop",
                 {number("lr", 1e-2, kNonNegative), number("alpha", 0.99, kNonNegative),
                  number("eps", 1e-8, kNonNegative), number("weight_decay", 0, kNonNegative),
                  number("momentum", 0, kNonNegative), flag("centered", false)},
                 {"step", "square_avg", "momentum_buffer", "grad_avg"},
                 true});
  all.push_back(
      {"adagrad",
       "Adagrad",
       {number("lr", 1e-2, kNonNegative), number("lr_decay", 0, kNonNegative),
        number("weight_decay", 0, kNonNegative),
        number("initial_accumulator_value", 0, kNonNegative), number("eps", 1e-10, kNonNegative)},
       {"step", "sum"},
       true});
  // max_eval: torch's None means max_iter * 5 / 4 (integer division); apply_optimizer_defaults
  // fills that value from the spec's max_iter, so the default shown here is for max_iter = 20.
  all.push_back(
      {"lbfgs",
       "L-BFGS",
       {number("lr", 1, kNonNegative),
        integer("max_iter", 20),
        integer("max_eval", 25),
        number("tolerance_grad", 1e-7, kNonNegative),
        number("tolerance_change", 1e-9, kNonNegative),
        integer("history_size", 100),
        {"line_search_fn", HyperKind::kOptionalString, std::string(), kLineSearch, false}},
       {"func_evals", "n_iter", "t", "d"},
       false});
  std::vector<HyperParam> nadam = adam_like(2e-3, 0);
  nadam.push_back(number("momentum_decay", 4e-3, kNonNegative));
  all.push_back({"nadam", "NAdam", nadam, {"step", "mu_product", "exp_avg", "exp_avg_sq"}, true});
  all.push_back({"radam", "RAdam", adam_like(1e-3, 0), {"step", "exp_avg", "exp_avg_sq"}, true});
  all.push_back({"adamax", "Adamax", adam_like(2e-3, 0), {"step", "exp_avg", "exp_inf"}, true});
  all.push_back({"adadelta",
                 "Adadelta",
                 {number("lr", 1.0, kNonNegative), number("rho", 0.9, kClosedUnit),
                  number("eps", 1e-6, kNonNegative), number("weight_decay", 0, kNonNegative)},
                 {"step", "square_avg", "acc_delta"},
                 true});
  all.push_back({"rprop",
                 "Rprop",
                 {number("lr", 1e-2, kNonNegative), pair("etas", 0.5, 1.2, kEtas),
                  pair("step_sizes", 1e-6, 50, kStepSizes)},
                 {"step", "prev", "step_size"},
                 true});
  return all;
}

const std::vector<OptimizerInfo>& catalog() {
  static const std::vector<OptimizerInfo> all = build_catalog();
  return all;
}

const char* kind_words(HyperKind kind) {
  switch (kind) {
    case HyperKind::kBool:
      return "must be true or false";
    case HyperKind::kNumber:
      return "must be a number";
    case HyperKind::kInteger:
      return "must be an integer";
    case HyperKind::kPair:
      return "must be a pair of numbers [a, b]";
    case HyperKind::kOptionalString:
      return "must be a string or none";
  }
  return "has the wrong type";
}

// Whether `value` has the type `kind` asks for (integers are doubles with no fraction).
bool kind_matches(HyperKind kind, const HyperValue& value) {
  switch (kind) {
    case HyperKind::kBool:
      return std::holds_alternative<bool>(value);
    case HyperKind::kNumber:
      return std::holds_alternative<double>(value);
    case HyperKind::kInteger: {
      const double* v = std::get_if<double>(&value);
      return v != nullptr && std::isfinite(*v) && std::floor(*v) == *v;
    }
    case HyperKind::kPair: {
      const auto* v = std::get_if<std::vector<double>>(&value);
      return v != nullptr && v->size() == 2;
    }
    case HyperKind::kOptionalString:
      return std::holds_alternative<std::string>(value);
  }
  return false;
}

bool in_unit(double v) { return v >= 0.0 && v < 1.0; }

// Checks a value of the right type against the rule; "" if it holds.
std::string check_rule(const std::string& rule, const HyperValue& value) {
  if (rule == kNonNegative) {
    double v = std::get<double>(value);
    return v >= 0.0 ? "" : "must be >= 0";
  }
  if (rule == kClosedUnit) {
    double v = std::get<double>(value);
    return v >= 0.0 && v <= 1.0 ? "" : "must be in [0, 1]";
  }
  if (rule == kBetas) {
    const auto& v = std::get<std::vector<double>>(value);
    return in_unit(v[0]) && in_unit(v[1]) ? "" : "each must be in [0, 1)";
  }
  if (rule == kPositiveInteger) {
    return std::get<double>(value) >= 1.0 ? "" : "must be an integer >= 1";
  }
  if (rule == kEtas) {
    const auto& v = std::get<std::vector<double>>(value);
    return 0.0 < v[0] && v[0] < 1.0 && 1.0 < v[1] ? "" : "must satisfy 0 < etaminus < 1 < etaplus";
  }
  if (rule == kStepSizes) {
    const auto& v = std::get<std::vector<double>>(value);
    return 0.0 <= v[0] && v[0] <= v[1] ? "" : "must satisfy 0 <= min <= max";
  }
  if (rule == kLineSearch) {
    const auto& v = std::get<std::string>(value);
    return v.empty() || v == "strong_wolfe" ? "" : "must be none or \"strong_wolfe\"";
  }
  if (rule == kAny) {
    return std::isfinite(std::get<double>(value)) ? "" : "must be finite";
  }
  return "";
}

}  // namespace

std::vector<std::string> optimizer_names() {
  std::vector<std::string> names;
  for (const OptimizerInfo& info : catalog()) names.push_back(info.name);
  return names;
}

const OptimizerInfo& optimizer_info(const std::string& name) {
  for (const OptimizerInfo& info : catalog()) {
    if (info.name == name) return info;
  }
  std::string known;
  for (const OptimizerInfo& info : catalog()) known += (known.empty() ? "" : ", ") + info.name;
  throw InputError("unknown optimizer '" + name + "' (known: " + known + ")");
}

std::string check_hyper_value(const OptimizerInfo& info, const std::string& key,
                              const HyperValue& value) {
  for (const HyperParam& param : info.hyper) {
    if (param.name != key) continue;
    if (!kind_matches(param.kind, value)) return kind_words(param.kind);
    return check_rule(param.rule, value);
  }
  std::string known;
  for (const HyperParam& param : info.hyper) known += (known.empty() ? "" : ", ") + param.name;
  return "is not an option of " + info.name + " (known: " + known + ")";
}

void apply_optimizer_defaults(OptimizerSpec& spec) {
  const OptimizerInfo& info = optimizer_info(spec.name);
  for (const HyperParam& param : info.hyper) {
    if (param.required || spec.hyper.count(param.name) != 0) continue;
    if (info.name == "lbfgs" && param.name == "max_eval") {
      auto max_iter = spec.hyper.find("max_iter");
      const double* iters =
          max_iter == spec.hyper.end() ? nullptr : std::get_if<double>(&max_iter->second);
      if (iters != nullptr) {
        // torch: max_eval = max_iter * 5 // 4.
        spec.hyper[param.name] = std::floor(*iters * 5.0 / 4.0);
        continue;
      }
    }
    spec.hyper[param.name] = param.default_value;
  }
}

}  // namespace trajtool
