#include "viz/pixel_target.h"

#include <algorithm>
#include <cmath>

namespace trajtool {

std::optional<PixelTarget> pixel_target(cairo_t* cr) {
  cairo_surface_t* target = cairo_get_group_target(cr);
  if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE ||
      cairo_image_surface_get_format(target) != CAIRO_FORMAT_ARGB32 ||
      cairo_get_operator(cr) != CAIRO_OPERATOR_OVER) {
    return std::nullopt;
  }
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  double ox = 0, oy = 0, sx = 1, sy = 1;
  cairo_surface_get_device_offset(target, &ox, &oy);
  cairo_surface_get_device_scale(target, &sx, &sy);
  if (m.xx != 1 || m.yy != 1 || m.xy != 0 || m.yx != 0 || m.x0 != 0 || m.y0 != 0 || ox != 0 ||
      oy != 0 || sx != 1 || sy != 1) {
    return std::nullopt;
  }
  PixelTarget t;
  t.surface = target;
  t.data = cairo_image_surface_get_data(target);
  t.stride = cairo_image_surface_get_stride(target);
  t.width = cairo_image_surface_get_width(target);
  t.height = cairo_image_surface_get_height(target);
  cairo_rectangle_list_t* rects = cairo_copy_clip_rectangle_list(cr);
  bool ok = rects->status == CAIRO_STATUS_SUCCESS && rects->num_rectangles <= 1;
  if (ok && rects->num_rectangles == 1) {
    const cairo_rectangle_t& r = rects->rectangles[0];
    // Only whole-pixel clips are exact here; anything else goes to Cairo.
    ok = r.x == std::floor(r.x) && r.y == std::floor(r.y) && r.width == std::floor(r.width) &&
         r.height == std::floor(r.height);
    t.clip_x0 = std::max(0, static_cast<int>(r.x));
    t.clip_y0 = std::max(0, static_cast<int>(r.y));
    t.clip_x1 = std::min(t.width, static_cast<int>(r.x + r.width));
    t.clip_y1 = std::min(t.height, static_cast<int>(r.y + r.height));
  }  // no rectangle: everything is clipped away (the clip stays empty)
  cairo_rectangle_list_destroy(rects);
  if (!ok) return std::nullopt;
  return t;
}

}  // namespace trajtool
