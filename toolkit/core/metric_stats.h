#pragma once
// The statistics a statistics card shows of one logged series, computed from its values.
#include <cstdint>
#include <vector>

namespace trajtool {

struct MetricStats {
  int64_t count = 0;       // finite values
  int64_t non_finite = 0;  // NaN, inf and -inf values (left out of the rest)
  double final = 0;        // the last finite value
  double final_step = 0;   // and its step
  double mean = 0;         // of the finite values
  double max = 0;          // the largest finite value
  double max_step = 0;     // the first step where it was reached
  double min = 0;          // the smallest finite value
  double min_step = 0;     // the first step where it was reached
};

// Statistics of `value` logged at `step`; count == 0 when no value is finite.
MetricStats metric_stats(const std::vector<double>& step, const std::vector<double>& value);

}  // namespace trajtool
