// Shapes against their geometry: the star's points and inner corners lie where its radius puts
// them (pixel centres inside and outside checked against the outline worked out here).
#include "viz/shapes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace trajtool {
namespace {

TEST(Shapes, AStarHasFivePointsOneUp) {
  FrameGeometry geo;  // 1280 x 720: 90 pixels per unit, origin at (640, 360)
  cairo_surface_t* image =
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, geo.width_px, geo.height_px);
  cairo_t* cr = cairo_create(image);
  const Star star({0, 0}, 1.0, Rgba{1, 0, 0, 1});
  star.draw(cr, geo, DrawState{});
  cairo_destroy(cr);
  cairo_surface_flush(image);
  auto alpha_at = [&](double x, double y) {  // scene units
    const int px = static_cast<int>(geo.to_px_x(x)), py = static_cast<int>(geo.to_px_y(y));
    const unsigned char* row =
        cairo_image_surface_get_data(image) + py * cairo_image_surface_get_stride(image);
    return static_cast<int>(reinterpret_cast<const uint32_t*>(row)[px] >> 24);
  };
  constexpr double kPi = 3.14159265358979323846;
  EXPECT_EQ(alpha_at(0, 0), 255);
  for (int k = 0; k < 5; ++k) {
    const double point = kPi / 2 + k * 2 * kPi / 5;  // towards a point
    const double corner = point + kPi / 5;           // towards an inner corner
    EXPECT_EQ(alpha_at(0.85 * std::cos(point), 0.85 * std::sin(point)), 255) << k;
    EXPECT_EQ(alpha_at(0.4 * std::cos(corner), 0.4 * std::sin(corner)), 255) << k;
    EXPECT_EQ(alpha_at(0.6 * std::cos(corner), 0.6 * std::sin(corner)), 0) << k;
    EXPECT_EQ(alpha_at(1.1 * std::cos(point), 1.1 * std::sin(point)), 0) << k;
  }
  const Box2 box = star.bounds(geo);
  EXPECT_DOUBLE_EQ(box.left, -1);
  EXPECT_DOUBLE_EQ(box.top, 1);
  cairo_surface_destroy(image);
}

}  // namespace
}  // namespace trajtool
