#include "toolkit/pipeline/metric_smoothing.h"

#include <cmath>

namespace trajtool {

std::vector<double> debiased_ema(const std::vector<double>& values, double a) {
  std::vector<double> out(values.size());
  double average = 0;
  double weight = 1;  // a^n after n finite values
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    if (!std::isfinite(x)) {
      out[i] = x;
      continue;
    }
    average = a * average + (1 - a) * x;
    weight *= a;
    out[i] = average / (1 - weight);
  }
  return out;
}

std::vector<double> trailing_mean(const std::vector<double>& values, int64_t window) {
  std::vector<double> out(values.size());
  std::vector<double> last(static_cast<std::size_t>(window));  // ring of the last finite values
  std::size_t count = 0, next = 0;
  // A running sum would drift over a million points; a compensated (Kahan) sum keeps it exact
  // enough at O(1) per point.
  double sum = 0, compensation = 0;
  auto add = [&](double x) {
    const double y = x - compensation;
    const double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    if (!std::isfinite(x)) {
      out[i] = x;
      continue;
    }
    if (count == last.size()) {
      add(-last[next]);
    } else {
      ++count;
    }
    last[next] = x;
    next = (next + 1) % last.size();
    add(x);
    out[i] = sum / static_cast<double>(count);
  }
  return out;
}

std::vector<double> smooth(const std::vector<double>& values, const MetricSmoothing& smoothing) {
  switch (smoothing.kind) {
    case MetricSmoothing::Kind::kEma:
      return debiased_ema(values, smoothing.ema);
    case MetricSmoothing::Kind::kWindow:
      return trailing_mean(values, smoothing.window);
    case MetricSmoothing::Kind::kNone:
      break;
  }
  return values;
}

}  // namespace trajtool
