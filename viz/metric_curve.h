#pragma once
// A logged metric drawn on axes in step order: the line (thinned per pixel column so that every
// extreme survives, viz/decimate.h), optionally the raw values faint behind it and a band behind
// both, and marks where the log holds NaN (a ring on the bottom edge) or ±inf (a triangle on the
// top or bottom edge). Reveal r draws the steps up to step_min + r * (step_max - step_min) of the
// axes' x domain, so every curve on one axes stays at the same step. A readout (MetricReadout)
// travels with the pen: a dot on the last logged point, its value and (optionally) its step.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/decimate.h"
#include "viz/mobject.h"
#include "viz/text.h"

namespace trajtool {

// The numbers of one curve, in the units drawn (already scaled).
struct CurveData {
  std::vector<double> step;      // increasing
  std::vector<double> line;      // the line drawn (smoothed, or the raw values)
  std::vector<double> raw;       // the raw values, drawn faint; empty = none
  std::vector<double> band_low;  // band edges; empty = no band (NaN where not logged)
  std::vector<double> band_high;
};

struct CurveStyle {
  Rgba color{1, 1, 1, 1};     // line colour; raw line and band are fainter shades of it
  double stroke_px = 3;       // line width at 720p
  double raw_opacity = 0.3;   // of the raw line
  double band_opacity = 0.2;  // of the band's fill
  bool log_y = false;         // the axes are logarithmic: values <= 0 are marked, not drawn
};

class MetricCurve : public Mobject {
 public:
  MetricCurve(const Axes& axes, CurveData data, CurveStyle style);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // The step the pen is at for a reveal (by the axes' x domain).
  double step_at(double reveal) const;
  // Pixel polylines after thinning, for `geo` (exposed for tests: a spike must survive).
  struct Thinned {
    std::vector<SeriesPoint> line, raw;            // pixels; y = NaN breaks
    std::vector<SeriesPoint> band_low, band_high;  // per pixel column: lowest low, highest high
  };
  std::shared_ptr<const Thinned> thinned(const FrameGeometry& geo) const;

 private:
  Box2 plot_box_;       // scene units; drawing is clipped to it
  Domain domain_;       // the axes' data domain
  bool log_y_ = false;  // style_.log_y
  Axes axes_;           // a copy, for data -> scene
  CurveData data_;
  CurveStyle style_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Thinned> thinned_;  // for thinned_geo_
  mutable FrameGeometry thinned_geo_;
};

// One curve's readout data: its logged points (non-finite ones are left out) and colour.
struct ReadoutSeries {
  std::vector<double> step;   // increasing
  std::vector<double> value;  // as drawn
  Rgba color;                 // the curve's
};

// The live readouts of the curves on one axes: for each, a dot at the last logged point at or
// before the pen and the value there (4 significant digits) in a dark box beside it; the boxes
// are pushed apart vertically so that they never overlap. Reveal as the curves'.
class MetricReadouts : public Mobject {
 public:
  MetricReadouts(const Axes& axes, std::vector<ReadoutSeries> series, double points = 18);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // Which point series `k` shows at `reveal` (-1 before its first): what a test checks against.
  long index_at(std::size_t k, double reveal) const;
  // The text series `k` shows for its point `index`.
  std::string value_text(std::size_t k, long index) const;
  // Where series `k`'s dot is drawn for point `index`, scene units.
  Vec2 dot_at(std::size_t k, long index) const;

 private:
  Axes axes_;
  std::vector<ReadoutSeries> series_;  // finite points only
  double points_;
};

// "step N / LAST": the largest logged step at or before the pen across the given steps. Reveal
// as the curves'.
class MetricStepCounter : public Mobject {
 public:
  MetricStepCounter(const Axes& axes, std::vector<double> steps, Vec2 position, Anchor anchor,
                    double points = 20);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;
  std::string text_at(double reveal) const;

 private:
  Domain domain_;
  std::vector<double> steps_;  // sorted, unique
  double points_;
  Box2 box_;  // where the widest text stands
};

// A value for labels: 4 significant digits, a real minus sign ("−0.0123", "1.235e+04").
std::string metric_number(double value);

}  // namespace trajtool
