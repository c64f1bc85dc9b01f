#pragma once
// Thinning a long series for drawing without losing what the eye would see: per pixel column the
// first, lowest, highest and last point, in their order (the M4 scheme: a line through them
// rasterises like the line through every point, so a single-sample spike always survives).
#include <cstddef>
#include <vector>

namespace trajtool {

// A point of a series in drawing coordinates (pixels or scene units along x).
struct SeriesPoint {
  double x = 0;  // increasing
  double y = 0;  // NaN (or any non-finite value) breaks the line here
};

// At most four points per column of width `column_width` starting at `x_origin` (plus one break
// per run of non-finite values, kept as a point with y = NaN). A series with at most four points
// per column comes back with every point.
std::vector<SeriesPoint> decimate_min_max(const std::vector<SeriesPoint>& points, double x_origin,
                                          double column_width);

}  // namespace trajtool
