#pragma once
// A small plot of series against a common x (loss against step, g_t / m_t / v_t against t): axes,
// one polyline per series revealed from left to right, and an optional label at each line's end.
#include <memory>
#include <string>
#include <vector>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

class Text;

struct LineSeries {
  std::vector<double> x;   // abscissae, increasing (e.g. steps)
  std::vector<double> y;   // same length; non-finite values (or <= 0 on a log axis) break the line
  Rgba color{1, 1, 1, 1};  // line colour
  double stroke_px = 3;    // line width in px at 720p
  std::string label;       // drawn at the line's end; empty = none
  bool dashed = false;     // a dashed line (a test set beside its training set)
};

struct LinePlotStyle {
  AxesStyle axes;            // frame, ticks, labels, log_y
  double label_points = 16;  // end-of-line label size
  double y_margin = 0.05;    // auto domain: fraction of the y range added above and below
};

// The domain that fits every finite point of `series` (positive y only with log_y), y widened by
// `y_margin` (by a factor on a log axis). Throws InputError when there is nothing to fit.
Domain fit_domain(const std::vector<LineSeries>& series, bool log_y, double y_margin);

class LinePlot : public Mobject {
 public:
  // The domain is fitted to the data; the axes fill `box` (the plotting area).
  LinePlot(std::vector<LineSeries> series, Box2 box, LinePlotStyle style);
  // With a domain given.
  LinePlot(std::vector<LineSeries> series, Box2 box, LinePlotStyle style, Domain domain);

  // The axes are drawn whole; reveal shows each series up to x_min + reveal * (x_max - x_min),
  // interpolating the last piece, with its label following the moving end. (Reveal is by x, not
  // by arc length as for shapes.h's Polyline, so that all series stay at the same step.)
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  const Axes& axes() const { return axes_; }

 private:
  std::vector<LineSeries> series_;
  LinePlotStyle style_;
  Axes axes_;
};

}  // namespace trajtool
