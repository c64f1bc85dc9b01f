#pragma once
// Data coordinates -> world units of a 3D scene: a data box (x, y and the value z, linear or
// logarithmic) mapped onto a box of world units centred on the origin.
#include "viz/three_d/camera.h"

namespace trajtool {

struct Space3D {
  double x_min = -1, x_max = 1;  // data x shown
  double y_min = -1, y_max = 1;  // data y shown
  double z_min = 0, z_max = 1;   // data value shown (log: both > 0)
  bool log_z = false;            // z axis in decades
  double x_length = 6;           // world units the x range spans
  double y_length = 6;           // world units the y range spans
  double z_length = 3;           // world units the z range spans

  // The value's height as a fraction of the z range, 0 at z_min, 1 at z_max (not clamped; log:
  // values <= 0 map to -inf, clamp them first).
  double z_fraction(double value) const;
  // Data -> world; the box's centre is the origin.
  Vec3 to_world(double x, double y, double value) const;
};

}  // namespace trajtool
