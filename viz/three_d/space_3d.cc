#include "viz/three_d/space_3d.h"

#include <cmath>

namespace trajtool {

double Space3D::z_fraction(double value) const {
  if (log_z)
    return (std::log10(value) - std::log10(z_min)) / (std::log10(z_max) - std::log10(z_min));
  return (value - z_min) / (z_max - z_min);
}

Vec3 Space3D::to_world(double x, double y, double value) const {
  return {((x - x_min) / (x_max - x_min) - 0.5) * x_length,
          ((y - y_min) / (y_max - y_min) - 0.5) * y_length, (z_fraction(value) - 0.5) * z_length};
}

}  // namespace trajtool
