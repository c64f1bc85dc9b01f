#pragma once
// The engine's drawable objects. Coordinates are scene units as in Manim: the frame is 8 units
// tall and 8 * width / height wide, origin at the centre, y up. Sizes of text are points that
// scale with the resolution (see FrameGeometry::font_px). A Mobject draws itself with Cairo under
// the animated properties of DrawState; it knows nothing of time (animations live in timeline.h).
#include <cairo.h>

#include <memory>

#include "viz/color.h"

namespace trajtool {

// A point or a vector in scene units.
struct Vec2 {
  double x = 0;  // rightwards
  double y = 0;  // upwards
};
inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(Vec2 a, double s) { return {a.x * s, a.y * s}; }

// An axis-aligned rectangle in scene units.
struct Box2 {
  double left = 0;    // smallest x
  double bottom = 0;  // smallest y
  double right = 0;   // largest x
  double top = 0;     // largest y
  double width() const { return right - left; }
  double height() const { return top - bottom; }
  Vec2 center() const { return {(left + right) / 2, (bottom + top) / 2}; }
};

// The smallest box holding both.
inline Box2 united(const Box2& a, const Box2& b) {
  return {a.left < b.left ? a.left : b.left, a.bottom < b.bottom ? a.bottom : b.bottom,
          a.right > b.right ? a.right : b.right, a.top > b.top ? a.top : b.top};
}

// Pixel size and the mapping from scene units to pixels.
struct FrameGeometry {
  int width_px = 1280;    // frame width in pixels
  int height_px = 720;    // frame height in pixels
  double frame_height = 8.0;  // scene units from bottom to top edge
  double frame_width() const { return frame_height * width_px / height_px; }
  double px_per_unit() const { return height_px / frame_height; }
  // A font size in points (Manim's font_size scale: titles 36) as pixels at this resolution.
  double font_px(double points) const { return points * height_px / 720.0; }
  // Scene -> pixel coordinates (pixel y grows downwards).
  double to_px_x(double x) const { return (x + frame_width() / 2) * px_per_unit(); }
  double to_px_y(double y) const { return (frame_height / 2 - y) * px_per_unit(); }
  // Same pixels and scale: what a layout or raster made for one is valid for the other.
  bool operator==(const FrameGeometry& other) const {
    return width_px == other.width_px && height_px == other.height_px &&
           frame_height == other.frame_height;
  }
};

// The animated properties a Mobject is drawn with at one instant.
struct DrawState {
  double opacity = 1;    // multiplies every colour's alpha
  double reveal = 1;     // fraction drawn, for Create/Write/trace (0 = nothing, 1 = all)
  Vec2 shift;            // translation in scene units (FadeIn with shift)
  double scale = 1;      // scale about the object's centre (GrowFromCenter)
};

class Mobject {
 public:
  virtual ~Mobject() = default;
  // Draws onto `cr`, whose user space is pixels (origin top-left); use `geo` to map scene units.
  virtual void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const = 0;
  // The extent in scene units at rest (no shift/scale), for layout and overlap checks.
  virtual Box2 bounds(const FrameGeometry& geo) const = 0;
};

using MobjectPtr = std::shared_ptr<Mobject>;

}  // namespace trajtool
