#include "optimizers/optimizer_spec.h"

#include "optimizers/catalog.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

const HyperValue& find_value(const OptimizerSpec& spec, const std::string& key) {
  auto it = spec.hyper.find(key);
  if (it == spec.hyper.end()) {
    throw InputError("optimizer " + spec.name + ": missing hyperparameter '" + key + "'");
  }
  return it->second;
}

[[noreturn]] void wrong_type(const OptimizerSpec& spec, const std::string& key, const char* what) {
  throw InputError("optimizer " + spec.name + ": '" + key + "' must be " + what);
}

bool flag_or(const OptimizerSpec& spec, const std::string& key, bool fallback) {
  auto it = spec.hyper.find(key);
  if (it == spec.hyper.end()) return fallback;
  const bool* v = std::get_if<bool>(&it->second);
  return v == nullptr ? fallback : *v;
}

double number_or(const OptimizerSpec& spec, const std::string& key, double fallback) {
  auto it = spec.hyper.find(key);
  if (it == spec.hyper.end()) return fallback;
  const double* v = std::get_if<double>(&it->second);
  return v == nullptr ? fallback : *v;
}

}  // namespace

std::string check_optimizer_spec(const OptimizerSpec& spec) {
  const OptimizerInfo& info = optimizer_info(spec.name);
  for (const auto& [key, value] : spec.hyper) {
    std::string reason = check_hyper_value(info, key, value);
    if (!reason.empty()) return key + ": " + reason;
  }
  for (const HyperParam& param : info.hyper) {
    if (param.required && spec.hyper.count(param.name) == 0) {
      return param.name + ": is required for " + info.name + " (torch.optim has no default)";
    }
  }
  if (info.name == "sgd" && flag_or(spec, "nesterov", false) &&
      (number_or(spec, "momentum", 0) <= 0 || number_or(spec, "dampening", 0) != 0)) {
    return "nesterov: Nesterov momentum requires a momentum > 0 and zero dampening";
  }
  return "";
}

std::vector<std::string> recorded_state_names(const OptimizerSpec& spec) {
  const OptimizerInfo& info = optimizer_info(spec.name);
  std::vector<std::string> names;
  for (const std::string& name : info.state_names) {
    if (name == "momentum_buffer" && number_or(spec, "momentum", 0) <= 0) continue;
    if (name == "max_exp_avg_sq" && !flag_or(spec, "amsgrad", false)) continue;
    if (name == "grad_avg" && !flag_or(spec, "centered", false)) continue;
    names.push_back(name);
  }
  return names;
}

double hyper_number(const OptimizerSpec& spec, const std::string& key) {
  const double* v = std::get_if<double>(&find_value(spec, key));
  if (v == nullptr) wrong_type(spec, key, "a number");
  return *v;
}

bool hyper_bool(const OptimizerSpec& spec, const std::string& key) {
  const bool* v = std::get_if<bool>(&find_value(spec, key));
  if (v == nullptr) wrong_type(spec, key, "true or false");
  return *v;
}

std::pair<double, double> hyper_pair(const OptimizerSpec& spec, const std::string& key) {
  const auto* v = std::get_if<std::vector<double>>(&find_value(spec, key));
  if (v == nullptr || v->size() != 2) wrong_type(spec, key, "a pair of numbers");
  return {(*v)[0], (*v)[1]};
}

std::string hyper_string(const OptimizerSpec& spec, const std::string& key) {
  const auto* v = std::get_if<std::string>(&find_value(spec, key));
  if (v == nullptr) wrong_type(spec, key, "a string");
  return *v;
}

}  // namespace trajtool
