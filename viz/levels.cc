#include "viz/levels.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// The q-quantile of sorted values, linearly interpolated (numpy's default method).
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double w = pos - static_cast<double>(lo);
  return (1 - w) * sorted[lo] + w * sorted[hi];
}

}  // namespace

double ContourLevels::fraction(double value) const {
  if (std::isnan(value)) return value;
  double f = 0;
  if (spacing == LevelSpacing::kLog) {
    const double a = std::log10(low + shift);
    const double b = std::log10(high + shift);
    const double v = value + shift;
    if (v <= 0) return 0;
    f = (std::log10(v) - a) / (b - a);
  } else {
    f = (value - low) / (high - low);
  }
  if (std::isnan(f)) return 0;
  return std::clamp(f, 0.0, 1.0);
}

double ContourLevels::value_at(double f) const {
  if (spacing == LevelSpacing::kLog) {
    const double a = std::log10(low + shift);
    const double b = std::log10(high + shift);
    return std::pow(10.0, a + f * (b - a)) - shift;
  }
  return low + f * (high - low);
}

ContourLevels choose_levels(const LossGrid& grid, const LevelOptions& options) {
  if (options.count < 1) {
    throw InputError("contour levels: count must be >= 1, got " + std::to_string(options.count));
  }
  if (!(options.high_quantile > 0 && options.high_quantile <= 1)) {
    throw InputError("contour levels: high quantile must be in (0, 1], got " +
                     std::to_string(options.high_quantile));
  }
  ContourLevels levels;
  levels.spacing = options.spacing;
  std::vector<double> finite;
  finite.reserve(grid.values.size());
  for (double v : grid.values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return levels;
  std::sort(finite.begin(), finite.end());
  const double low = finite.front();
  const double high = quantile_of_sorted(finite, options.high_quantile);
  if (!(high > low)) {
    levels.low = low;
    levels.high = low + 1;
    return levels;
  }
  levels.low = low;
  levels.high = high;
  const int n = options.count;
  if (options.spacing == LevelSpacing::kLinear) {
    for (int k = 1; k <= n; ++k) levels.values.push_back(low + (high - low) * k / (n + 1));
    return levels;
  }
  // Log: a negative minimum is shifted so that low + shift = (high + shift) * r, r = 10^-decades
  // (max_decades, or 3 when uncapped); a minimum of exactly 0 needs no shift when capped.
  const bool capped = options.max_decades > 0;
  if (low < 0 || (low == 0 && !capped)) {
    const double r = std::pow(10.0, capped ? -options.max_decades : -3.0);
    levels.shift = (r * high - low) / (1 - r);
  }
  const double top = std::log10(high + levels.shift);
  double bottom = std::log10(low + levels.shift);  // -inf for a minimum of exactly 0
  if (capped && top - bottom > options.max_decades * (1 + 1e-12)) {
    bottom = top - options.max_decades;
    levels.low = std::pow(10.0, bottom) - levels.shift;
  }
  for (int k = 1; k <= n; ++k) {
    levels.values.push_back(std::pow(10.0, bottom + (top - bottom) * k / (n + 1)) - levels.shift);
  }
  return levels;
}

}  // namespace trajtool
