#pragma once
// Axes of a 3D space: the x axis along the front edge of the floor (y = y_min), the y axis along
// its right edge (x = x_max), the z axis up the front-left corner; ticks with labels that stay
// flat on screen, facing the camera, pushed outwards from the box; the z axis's labels fade out
// when it points at the camera (top-down view).
#include <string>
#include <vector>

#include "viz/three_d/space_3d.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {

struct Axes3DStyle {
  std::string x_label = "θ₁";  // axis titles
  std::string y_label = "θ₂";
  std::string z_label = "loss";
  Rgba color{0.85, 0.85, 0.85, 1};  // lines, ticks and labels
  double tick_points = 18;          // tick label size
  double label_points = 20;         // axis title size
  int ticks = 5;                    // about this many per axis
};

struct Axes3DParts {
  Lines3D lines;                // axes and ticks
  std::vector<Label3D> labels;  // tick labels and axis titles
};

Axes3DParts make_axes_3d(const Space3D& space, const Axes3DStyle& style);

}  // namespace trajtool
