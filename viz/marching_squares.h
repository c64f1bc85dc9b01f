#pragma once
// Iso-lines of a loss grid by marching squares: the curve where the (bilinearly sampled) loss
// equals a level, as polylines in data coordinates.
#include <vector>

#include "toolkit/core/trajectory.h"
#include "viz/mobject.h"

namespace trajtool {

// One connected piece of an iso-line, in data coordinates (x, y of the objective).
struct IsoLine {
  std::vector<Vec2> points;  // in order along the curve
  bool closed = false;       // true: the last point joins the first (not repeated)
};

// The iso-lines of `grid` at `level`. A cell is a square of four neighbouring samples; a corner
// counts as above when its value is >= level. Crossings are placed on cell edges by linear
// interpolation; a saddle cell (diagonal corners above) is resolved by the average of its four
// corners, the cell centre. Cells with a non-finite corner give nothing. The segments of all
// cells are joined into maximal polylines: closed loops, or open curves that end on the grid's
// border or next to an undefined cell.
std::vector<IsoLine> iso_lines(const LossGrid& grid, double level);

}  // namespace trajtool
