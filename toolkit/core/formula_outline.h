#pragma once
// A formula typeset by TeX, as the vector outlines of its glyphs and rules: what the cache stores
// (cache/cache_store.h, kind "formula") and what viz draws. Coordinates are big points (1/72 in,
// dvisvgm's unit) for TeX's 10 pt font, relative to the left end of the formula's baseline, y down.
#include <cstdint>
#include <vector>

namespace trajtool {

// Path operations, as stored in FormulaOutline::ops.
enum class OutlineOp : int64_t {
  kMove = 0,   // start a subpath at one point
  kLine = 1,   // straight line to one point
  kCurve = 2,  // cubic Bezier through two control points to an end point (three points)
  kClose = 3,  // close the subpath (no point)
};

struct FormulaOutline {
  double width = 0;                  // TeX's box width (\wd), bp
  double height = 0;                 // TeX's box height above the baseline (\ht), bp
  double depth = 0;                  // TeX's box depth below the baseline (\dp), bp
  std::vector<int64_t> ops;          // OutlineOp of every path operation, pieces one after another
  std::vector<double> points;        // x, y of the operations' points, in order (bp)
  std::vector<int64_t> piece_start;  // first op of each piece (glyph or rule), in TeX's order
  std::vector<double> piece_rgba;    // r, g, b, a per piece in [0, 1]; a < 0: the formula's colour

  int64_t piece_count() const { return static_cast<int64_t>(piece_start.size()); }
};

// TeX's 10 pt in big points: a formula drawn at font size S pixels scales its bp by S / this.
inline constexpr double kTexFontBp = 10 * 72 / 72.27;

}  // namespace trajtool
