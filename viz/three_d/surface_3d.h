#pragma once
// A cached loss grid as a 3D surface, and optimizer paths laid on it: z = loss, lifted so that no
// part of a path sinks into the (piecewise flat) surface between grid points.
#include <vector>

#include "toolkit/core/trajectory.h"
#include "viz/colormap.h"
#include "viz/three_d/space_3d.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {

struct SurfaceLook {
  ColormapName colormap = ColormapName::kViridis;  // colours by height
  int bands = 0;           // > 0: that many flat colour bands (reads as filled contours from above)
  bool log_z = false;      // heights in decades
  int resolution = 64;     // mesh vertices per side, resampled from the grid (2..512)
  double opacity = 1;      // of the surface
  bool wireframe = false;  // grid lines over it
};

// The grid's value at a data point (bilinear; +inf where a corner is undefined).
double grid_value(const LossGrid& grid, double x, double y);

// The space a surface of `grid` spans: x and y from the grid, z from its finite values (log: from
// the larger of the smallest positive value and max * 1e-6, for a loss whose minimum is 0).
Space3D space_for_grid(const LossGrid& grid, bool log_z, double x_length, double y_length,
                       double z_length);
// The same with the grid's aspect kept: the longer of x and y `size` world units, the other in
// proportion, z `height`.
Space3D fitted_space_for_grid(const LossGrid& grid, bool log_z, double size, double height);

// A value clamped into the space's z range (log: above its floor), as surfaces and paths show it.
double shown_value(const Space3D& space, double value);

SurfaceMesh3D surface_mesh(const LossGrid& grid, const Space3D& space, const SurfaceLook& look);

// The mesh's world height over the data point (x, y), as its triangles interpolate it.
double mesh_height(const SurfaceMesh3D& mesh, const Space3D& space, double x, double y);

// A run's points (x, y, loss per row) as a path on the mesh, `lift` world units above it, every
// segment cut into pieces no longer than a quarter of a mesh cell so that it follows the mesh. The
// path stops where it leaves the domain or its loss stops being finite.
Path3D path_on_surface(const std::vector<double>& xy, const std::vector<double>& loss,
                       const SurfaceMesh3D& mesh, const Space3D& space, Rgba color, double lift);

}  // namespace trajtool
