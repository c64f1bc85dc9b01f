#pragma once
// Points and rectangles of scene files, in Manim's scene units: the frame is 14.22 x 8 units for
// 16:9, origin at the centre, y up.

namespace trajtool {

// A point in scene units.
struct ScenePoint {
  double x = 0;  // right of the centre
  double y = 0;  // above the centre
};

// A rectangle in scene units.
struct SceneRect {
  double left = 0;    // x of the left edge
  double bottom = 0;  // y of the bottom edge
  double right = 0;   // x of the right edge
  double top = 0;     // y of the top edge
};

}  // namespace trajtool
