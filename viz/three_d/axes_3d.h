#pragma once
// Axes of a 3D space that move to the sides of its box facing the camera, as matplotlib's mplot3d
// places them: for each frame's camera, the x axis runs along the floor's edge nearest the camera
// (y at its near side), the y axis along the floor's other near edge (x at its near side), and
// the z axis up whichever of the two side corners (near x and far y, or far x and near y) is
// further left on screen. The floor is the bottom of the box seen from above (its top seen from
// below). Ticks and their labels point outwards from the box, the labels clear of the tick by their
// own extent and thinned to every n-th where the axis is foreshortened so that neighbours would
// touch; titles stand clear of the labels (z's half way up its axis). Labels stay flat on screen
// and an axis's labels fade out while it points at the camera (the z axis in a top-down view).
#include <memory>
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

// Where a camera puts the axes, in data units of the space.
struct Axes3DPlacement {
  double x_axis_y = 0;  // the x axis runs along y = this (y_min or y_max)
  double y_axis_x = 0;  // the y axis runs along x = this
  double floor_z = 0;   // both on the floor, z = this (z_min or z_max; data value)
  double z_axis_x = 0;  // the z axis stands at this corner
  double z_axis_y = 0;
};

Axes3DPlacement axes_placement(const Space3D& space, const Camera& camera);

struct Axes3DParts {
  Lines3D lines;                // axes and ticks
  std::vector<Label3D> labels;  // tick labels and axis titles
};

// The axes as `camera` sees them.
Axes3DParts make_axes_3d(const Space3D& space, const Axes3DStyle& style, const Camera& camera);

// The axes as a rig of a World3D: placed anew for every frame's camera (texts laid out once).
Rig3D axes_rig(const Space3D& space, const Axes3DStyle& style);

}  // namespace trajtool
