#pragma once
// Smoothing of a logged series, as the training dashboards do it.
#include <vector>

#include "toolkit/core/metric_spec.h"

namespace trajtool {

// The debiased exponential moving average of TensorBoard and W&B ("smoothing" a in [0, 1)):
// m_t = a m_{t-1} + (1 - a) x_t with m = 0 before the first value, shown as m_t / (1 - a^n) after
// n finite values (equal to pandas' ewm(alpha = 1 - a, adjust=True).mean()). A non-finite value is
// passed through and does not enter the average.
std::vector<double> debiased_ema(const std::vector<double>& values, double a);

// The mean of the last `window` finite values (the point's own included); a non-finite value is
// passed through and does not enter the mean (pandas' rolling(window, min_periods=1).mean() over
// the finite values).
std::vector<double> trailing_mean(const std::vector<double>& values, int64_t window);

// `values` smoothed as `smoothing` says (a copy when it says none).
std::vector<double> smooth(const std::vector<double>& values, const MetricSmoothing& smoothing);

}  // namespace trajtool
