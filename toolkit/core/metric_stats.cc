#include "toolkit/core/metric_stats.h"

#include <cmath>

namespace trajtool {

MetricStats metric_stats(const std::vector<double>& step, const std::vector<double>& value) {
  MetricStats s;
  double sum = 0, compensation = 0;  // a compensated sum: a million values keep their mean exact
  for (std::size_t i = 0; i < value.size(); ++i) {
    const double v = value[i];
    if (!std::isfinite(v)) {
      ++s.non_finite;
      continue;
    }
    if (s.count == 0 || v > s.max) {
      s.max = v;
      s.max_step = step[i];
    }
    if (s.count == 0 || v < s.min) {
      s.min = v;
      s.min_step = step[i];
    }
    const double y = v - compensation;
    const double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
    ++s.count;
    s.final = v;
    s.final_step = step[i];
  }
  if (s.count > 0) s.mean = sum / static_cast<double>(s.count);
  return s;
}

}  // namespace trajtool
