#include "viz/decimate.h"

#include <cmath>

namespace trajtool {

std::vector<SeriesPoint> decimate_min_max(const std::vector<SeriesPoint>& points, double x_origin,
                                          double column_width) {
  std::vector<SeriesPoint> out;
  if (points.empty() || !(column_width > 0)) return points;
  out.reserve(std::min<std::size_t>(points.size(), 4096));
  // The column being gathered: indices of its first, lowest, highest and last finite points.
  bool open = false;
  double column = 0;
  std::size_t first = 0, low = 0, high = 0, last = 0;
  auto flush = [&] {
    if (!open) return;
    // In x order, each index once.
    std::size_t picks[4] = {first, low, high, last};
    if (picks[1] > picks[2]) std::swap(picks[1], picks[2]);
    std::size_t previous = points.size();
    for (std::size_t index : picks) {
      if (index != previous) out.push_back(points[index]);
      previous = index;
    }
    open = false;
  };
  bool broken = false;  // the last point emitted is a break
  for (std::size_t i = 0; i < points.size(); ++i) {
    const SeriesPoint& p = points[i];
    if (!std::isfinite(p.y)) {
      flush();
      if (!broken && !out.empty()) out.push_back({p.x, NAN});
      broken = true;
      continue;
    }
    broken = false;
    const double c = std::floor((p.x - x_origin) / column_width);
    if (!open || c != column) {
      flush();
      open = true;
      column = c;
      first = low = high = last = i;
      continue;
    }
    if (p.y < points[low].y) low = i;
    if (p.y > points[high].y) high = i;
    last = i;
  }
  flush();
  return out;
}

}  // namespace trajtool
