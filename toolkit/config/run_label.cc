#include "toolkit/config/run_label.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "optimizers/catalog.h"

namespace trajtool {
namespace {

// How one hyperparameter that differs from its default reads in a label.
std::string hyper_text(const std::string& name, const HyperValue& value) {
  if (const bool* on = std::get_if<bool>(&value)) return *on ? name : name + " off";
  if (const double* number = std::get_if<double>(&value)) return name + " " + label_number(*number);
  if (const auto* pair = std::get_if<std::vector<double>>(&value)) {
    std::string text = name + " ";
    for (std::size_t i = 0; i < pair->size(); ++i) {
      text += (i ? "/" : "") + label_number((*pair)[i]);
    }
    return text;
  }
  const std::string& text = std::get<std::string>(value);
  return name + " " + (text.empty() ? "None" : text);
}

// L-BFGS's max_eval left to its default follows max_iter (max_iter * 5 / 4): not worth naming.
bool derived_max_eval(const OptimizerSpec& optimizer, const HyperValue& value) {
  const auto max_iter = optimizer.hyper.find("max_iter");
  if (max_iter == optimizer.hyper.end() || !std::holds_alternative<double>(max_iter->second)) {
    return false;
  }
  const double iterations = std::get<double>(max_iter->second);
  return std::holds_alternative<double>(value) &&
         std::get<double>(value) == std::floor(iterations * 5 / 4);
}

}  // namespace

std::string label_number(double value) {
  // Whole numbers up to 1e15 keep all their digits ("300", not "3e+02").
  const double magnitude = std::fabs(value);
  int digits = magnitude >= 1 && magnitude < 1e15 ? static_cast<int>(std::log10(magnitude)) + 1 : 1;
  char buffer[32];
  for (; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

std::string automatic_label(const OptimizerSpec& optimizer) {
  const OptimizerInfo& info = optimizer_info(optimizer.name);
  std::string label = info.title;
  std::string lr;
  for (const HyperParam& param : info.hyper) {
    const auto it = optimizer.hyper.find(param.name);
    if (it == optimizer.hyper.end()) continue;
    if (param.name == "lr") {
      if (const double* value = std::get_if<double>(&it->second)) lr = label_number(*value);
      continue;
    }
    if (!param.required && it->second == param.default_value) continue;
    if (param.name == "max_eval" && derived_max_eval(optimizer, it->second)) continue;
    label += ", " + hyper_text(param.name, it->second);
  }
  return lr.empty() ? label : label + " (lr=" + lr + ")";
}

}  // namespace trajtool
