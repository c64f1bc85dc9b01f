#pragma once
// Many points drawn at once on an axes (a dataset's samples): each a filled disc or a ring in its
// own colour, clipped to the plot box. Reveal fades them in. For thousands of points wrap it in a
// CachedRaster.
#include <vector>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

struct ScatterPoint {
  Vec2 at;            // data coordinates
  Rgba color;         // fill (disc) or stroke (ring)
  bool ring = false;  // a ring (hollow) instead of a disc
};

struct ScatterStyle {
  double radius = 0.05;                 // scene units
  double ring_px = 1.5;                 // a ring's stroke, px at 720p
  Rgba outline{0.05, 0.05, 0.07, 0.9};  // thin dark edge around discs (0 alpha = none)
  double outline_px = 0.8;              // px at 720p
};

class ScatterPoints : public Mobject {
 public:
  ScatterPoints(const Axes& axes, std::vector<ScatterPoint> points, ScatterStyle style = {});
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Axes axes_;
  std::vector<ScatterPoint> points_;
  ScatterStyle style_;
};

}  // namespace trajtool
