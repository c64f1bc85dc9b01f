#pragma once
// A grid of coloured cells laid over an axes' data rectangle, drawn as one image: decision regions
// (a class colour per grid sample, smoothed between samples) and heat maps of layers x steps
// (sharp cells). Clipped to the axes' plot box. Reveal fades it in, or with `sweep` uncovers it
// from the left edge of `area` (a heat map over steps drawn as time goes by).
#include <cstdint>
#include <vector>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

struct CellColors {
  int64_t nx = 0;            // cells along x
  int64_t ny = 0;            // cells along y
  std::vector<Rgba> colors;  // [ny][nx], row 0 at the bottom (smallest y)
};

class CellImage : public Mobject {
 public:
  // `area` is the data rectangle the cells tile: cell (i, j) spans
  // [x_min + i w, x_min + (i + 1) w] x [y_min + j h, y_min + (j + 1) h]. `smooth` interpolates
  // between cell centres (decision regions); otherwise each cell is one flat colour (heat maps).
  CellImage(const Axes& axes, Domain area, CellColors cells, bool smooth, bool sweep = false);

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Axes axes_;
  Domain area_;
  CellColors cells_;
  bool smooth_;
  bool sweep_;
};

// The data rectangle whose cells are centred on a grid's samples: samples at x_min + i dx
// (i = 0 .. nx - 1) give cells from x_min - dx / 2 to x_max + dx / 2 (and likewise along y).
Domain cells_around_samples(Domain samples, int64_t nx, int64_t ny);

}  // namespace trajtool
