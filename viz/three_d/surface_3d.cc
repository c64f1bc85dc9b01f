#include "viz/three_d/surface_3d.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trajtool {

double grid_value(const LossGrid& g, double x, double y) {
  const double fx =
      std::clamp((x - g.x_min) / (g.x_max - g.x_min), 0.0, 1.0) * static_cast<double>(g.nx - 1);
  const double fy =
      std::clamp((y - g.y_min) / (g.y_max - g.y_min), 0.0, 1.0) * static_cast<double>(g.ny - 1);
  const int64_t i = std::min<int64_t>(static_cast<int64_t>(fx), g.nx - 2);
  const int64_t j = std::min<int64_t>(static_cast<int64_t>(fy), g.ny - 2);
  const double u = fx - static_cast<double>(i), v = fy - static_cast<double>(j);
  auto at = [&g](int64_t a, int64_t b) { return g.values[static_cast<std::size_t>(b * g.nx + a)]; };
  return (1 - v) * ((1 - u) * at(i, j) + u * at(i + 1, j)) +
         v * ((1 - u) * at(i, j + 1) + u * at(i + 1, j + 1));
}

Space3D space_for_grid(const LossGrid& grid, bool log_z, double x_length, double y_length,
                       double z_length) {
  Space3D s;
  s.x_min = grid.x_min;
  s.x_max = grid.x_max;
  s.y_min = grid.y_min;
  s.y_max = grid.y_max;
  s.log_z = log_z;
  s.x_length = x_length;
  s.y_length = y_length;
  s.z_length = z_length;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, lowest_positive = lo;
  for (double v : grid.values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v > 0) lowest_positive = std::min(lowest_positive, v);
  }
  if (!(hi > lo)) hi = lo + 1;
  if (log_z) {
    if (!(hi > 0)) hi = 1;
    lo = std::max(std::isfinite(lowest_positive) ? lowest_positive : hi * 1e-6, hi * 1e-6);
    if (!(hi > lo)) hi = lo * 10;
  }
  s.z_min = lo;
  s.z_max = hi;
  return s;
}

Space3D fitted_space_for_grid(const LossGrid& grid, bool log_z, double size, double height) {
  const double wide = std::max(grid.x_max - grid.x_min, grid.y_max - grid.y_min);
  return space_for_grid(grid, log_z, size * (grid.x_max - grid.x_min) / wide,
                        size * (grid.y_max - grid.y_min) / wide, height);
}

double shown_value(const Space3D& space, double value) {
  if (!(value == value)) return space.z_max;
  return std::clamp(value, space.z_min, space.z_max);
}

SurfaceMesh3D surface_mesh(const LossGrid& grid, const Space3D& space, const SurfaceLook& look) {
  SurfaceMesh3D m;
  m.nx = m.ny = std::clamp(look.resolution, 2, 512);
  for (int j = 0; j < m.ny; ++j) {
    const double y = space.y_min + (space.y_max - space.y_min) * j / (m.ny - 1);
    for (int i = 0; i < m.nx; ++i) {
      const double x = space.x_min + (space.x_max - space.x_min) * i / (m.nx - 1);
      const double value = shown_value(space, grid_value(grid, x, y));
      m.points.push_back(space.to_world(x, y, value));
      m.t.push_back(static_cast<float>(std::clamp(space.z_fraction(value), 0.0, 1.0)));
    }
  }
  Colormap map;
  map.name = look.colormap;
  const int entries = look.bands > 0 ? look.bands : 256;
  for (int k = 0; k < entries; ++k) {
    // A band's colour is the map's at its middle.
    const double t = look.bands > 0 ? (k + 0.5) / entries : static_cast<double>(k) / (entries - 1);
    m.table.entries.push_back(map.sample(t));
  }
  m.table.banded = look.bands > 0;
  m.table.opacity = look.opacity;
  if (look.wireframe) m.wire_every = std::max(1, m.nx / 16);
  return m;
}

double mesh_height(const SurfaceMesh3D& m, const Space3D& space, double x, double y) {
  const double fx =
      std::clamp((x - space.x_min) / (space.x_max - space.x_min), 0.0, 1.0) * (m.nx - 1);
  const double fy =
      std::clamp((y - space.y_min) / (space.y_max - space.y_min), 0.0, 1.0) * (m.ny - 1);
  const int i = std::min(static_cast<int>(fx), m.nx - 2);
  const int j = std::min(static_cast<int>(fy), m.ny - 2);
  const double u = fx - i, v = fy - j;
  auto z = [&m](int a, int b) { return m.points[static_cast<std::size_t>(b * m.nx + a)].z; };
  // The cell's two triangles as world_3d.cc draws them: (a, b, d) below the diagonal a-d, (a, d,
  // c) above it, with a = (i, j), b = (i + 1, j), c = (i, j + 1), d = (i + 1, j + 1).
  if (u >= v) return z(i, j) + u * (z(i + 1, j) - z(i, j)) + v * (z(i + 1, j + 1) - z(i + 1, j));
  return z(i, j) + v * (z(i, j + 1) - z(i, j)) + u * (z(i + 1, j + 1) - z(i, j + 1));
}

Path3D path_on_surface(const std::vector<double>& xy, const std::vector<double>& loss,
                       const SurfaceMesh3D& mesh, const Space3D& space, Rgba color, double lift) {
  Path3D path;
  const std::size_t rows = loss.size();
  auto inside = [&space](double x, double y) {
    return x >= space.x_min && x <= space.x_max && y >= space.y_min && y <= space.y_max;
  };
  auto add = [&](double x, double y, double value, double step) {
    const Vec3 p = space.to_world(x, y, shown_value(space, value));
    path.points.push_back({p.x, p.y, std::max(p.z, mesh_height(mesh, space, x, y)) + lift});
    path.step.push_back(step);
    path.colors.push_back(color);
  };
  const double cell = std::min((space.x_max - space.x_min) / (mesh.nx - 1),
                               (space.y_max - space.y_min) / (mesh.ny - 1));
  for (std::size_t r = 0; r < rows; ++r) {
    const double x = xy[2 * r], y = xy[2 * r + 1];
    if (!std::isfinite(loss[r]) || !inside(x, y)) break;
    if (r == 0) {
      add(x, y, loss[r], 0);
      continue;
    }
    const double px = xy[2 * r - 2], py = xy[2 * r - 1];
    const double length = std::hypot(x - px, y - py);
    const int pieces = std::max(1, static_cast<int>(std::ceil(length / (cell / 4))));
    for (int k = 1; k <= pieces; ++k) {
      const double f = static_cast<double>(k) / pieces;
      // Between rows the loss is not known: the path follows the surface, never below the rows'
      // own losses at its ends.
      const double value = k == pieces ? loss[r] : -std::numeric_limits<double>::infinity();
      add(px + (x - px) * f, py + (y - py) * f, value, static_cast<double>(r - 1) + f);
    }
  }
  return path;
}

}  // namespace trajtool
