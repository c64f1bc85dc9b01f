#include "toolkit/core/run_series.h"

#include <cmath>

namespace trajtool {
namespace {

NamedSeries from(const std::string& name, const std::vector<double>& values, double first_step) {
  NamedSeries s;
  s.name = name;
  s.value = values;
  s.step.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) s.step[i] = first_step + static_cast<double>(i);
  return s;
}

}  // namespace

std::vector<NamedSeries> trajectory_series(const Trajectory& t) {
  if (t.batch > 0) return {};
  const auto rows = static_cast<std::size_t>(t.rows);
  const auto dim = static_cast<std::size_t>(t.dim);
  std::vector<NamedSeries> out;
  out.push_back(from("loss", t.loss, 0));
  std::vector<double> norm(rows > 0 ? rows - 1 : 0);
  for (std::size_t r = 0; r < norm.size(); ++r) {
    double sum = 0;
    for (std::size_t d = 0; d < dim; ++d) sum += t.grad[r * dim + d] * t.grad[r * dim + d];
    norm[r] = std::sqrt(sum);
  }
  out.push_back(from("grad_norm", norm, 1));
  const char* names[] = {"x", "y"};
  for (std::size_t d = 0; d < dim && d < 2; ++d) {
    std::vector<double> coordinate(rows);
    for (std::size_t r = 0; r < rows; ++r) coordinate[r] = t.params[r * dim + d];
    out.push_back(from(names[d], coordinate, 0));
  }
  return out;
}

std::vector<NamedSeries> training_series(const TrainingRecord& r) {
  std::vector<NamedSeries> out = {from("train/loss", r.train_loss, 0), from("lr", r.lr, 0)};
  std::vector<double> steps(r.eval.step.begin(), r.eval.step.end());
  const std::pair<const char*, const std::vector<double>*> eval[] = {
      {"eval/train_loss", &r.eval.train_loss},
      {"eval/test_loss", &r.eval.test_loss},
      {"eval/train_accuracy", &r.eval.train_accuracy},
      {"eval/test_accuracy", &r.eval.test_accuracy}};
  for (const auto& [name, values] : eval) {
    if (values->size() == steps.size()) out.push_back({name, steps, *values});
  }
  return out;
}

std::string series_names(const std::vector<NamedSeries>& series) {
  std::string names;
  for (const NamedSeries& s : series) names += (names.empty() ? "" : ", ") + s.name;
  return names.empty() ? "none" : names;
}

}  // namespace trajtool
