#pragma once
// Contour levels for a loss grid: evenly spaced in value or in log(value), and the normalisation
// that maps a loss value to a colour-map position consistently for lines, bands and colour bars.
#include <vector>

#include "toolkit/core/trajectory.h"

namespace trajtool {

enum class LevelSpacing {
  kLinear,  // equal steps in value
  kLog,     // equal steps in log10(value + shift): for Rosenbrock-like ranges over decades
};

struct LevelOptions {
  int count = 12;                                // levels wanted (>= 1)
  LevelSpacing spacing = LevelSpacing::kLinear;  // value or log spacing
  double high_quantile = 1.0;  // top of the range: this quantile of the finite values, in (0, 1]
  double max_decades = 4.0;    // log spacing: the range spans at most this many decades
};

// Levels and the value range they divide. The range [low, high] is cut into count + 1 equal
// pieces (in value or in log10(value + shift)); the levels are the count inner cut points, so
// the bands below the first and above the last level have the same width as the others.
struct ContourLevels {
  std::vector<double> values;                    // increasing loss values of the contour lines
  LevelSpacing spacing = LevelSpacing::kLinear;  // how they are spaced
  double low = 0;                                // bottom of the colour range (loss value)
  double high = 1;                               // top of the colour range (loss value)
  double shift = 0;  // log spacing: added to a value before log10 so that low + shift > 0

  // The colour-map position of a loss value: 0 at `low`, 1 at `high`, linear in value or in
  // log10(value + shift); clamped to [0, 1]. NaN stays NaN; +inf gives 1.
  double fraction(double value) const;
  // The loss value at a colour-map position (inverse of fraction on [0, 1]).
  double value_at(double fraction) const;
};

// Levels for the finite cells of `grid` (+inf and NaN cells are ignored). Linear: between the
// minimum and the high quantile. Log: the same range in log10(v + shift), the bottom raised so
// that it spans at most max_decades (a minimum of 0, as at a global minimum, is fine). Only a
// negative minimum is shifted, so that the whole range spans exactly max_decades. A grid without
// two distinct finite values gives no levels.
// Throws InputError for count < 1 or a quantile outside (0, 1].
ContourLevels choose_levels(const LossGrid& grid, const LevelOptions& options);

}  // namespace trajtool
