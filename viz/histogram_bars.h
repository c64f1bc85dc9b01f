#pragma once
// A histogram's bars on an axes: one filled bar per bin from zero up to its count (or density).
// Reveal grows the bars upwards.
#include <vector>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

// Counts of `values` in `bins` equal bins over [low, high] (values outside are left out; NaN too).
std::vector<double> histogram_counts(const std::vector<double>& values, double low, double high,
                                     int bins);

class HistogramBars : public Mobject {
 public:
  // Bin k spans [low + k w, low + (k + 1) w], w = (high - low) / heights.size().
  HistogramBars(const Axes& axes, double low, double high, std::vector<double> heights, Rgba fill);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Axes axes_;
  double low_, high_;
  std::vector<double> heights_;
  Rgba fill_;
};

}  // namespace trajtool
