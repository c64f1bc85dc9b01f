#include "viz/cell_image.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "viz/contours.h"

namespace trajtool {

CellImage::CellImage(const Axes& axes, Domain area, CellColors cells, bool smooth, bool sweep)
    : axes_(axes), area_(area), cells_(std::move(cells)), smooth_(smooth), sweep_(sweep) {
  if (cells_.nx < 1 || cells_.ny < 1 ||
      cells_.colors.size() != static_cast<std::size_t>(cells_.nx * cells_.ny)) {
    throw std::logic_error("CellImage: colours must be nx * ny");
  }
}

Domain cells_around_samples(Domain samples, int64_t nx, int64_t ny) {
  const double dx = nx > 1 ? (samples.x_max - samples.x_min) / static_cast<double>(nx - 1) : 1;
  const double dy = ny > 1 ? (samples.y_max - samples.y_min) / static_cast<double>(ny - 1) : 1;
  return {samples.x_min - dx / 2, samples.x_max + dx / 2, samples.y_min - dy / 2,
          samples.y_max + dy / 2};
}

void CellImage::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double reveal = std::clamp(state.reveal, 0.0, 1.0);
  const double alpha = state.opacity * (sweep_ ? 1.0 : reveal);
  if (alpha <= 0 || (sweep_ && reveal <= 0)) return;
  const int nx = static_cast<int>(cells_.nx), ny = static_cast<int>(cells_.ny);
  // Made per draw: frames may be drawn on several threads, and this is a few thousand pixels.
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, nx, ny);
  unsigned char* data = cairo_image_surface_get_data(image);
  const int stride = cairo_image_surface_get_stride(image);
  auto byte = [](double v) {
    return static_cast<uint32_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
  };
  for (int j = 0; j < ny; ++j) {
    // Image row 0 is the top: the cells' last row.
    auto* row = reinterpret_cast<uint32_t*>(data + (ny - 1 - j) * stride);
    for (int i = 0; i < nx; ++i) {
      const Rgba& c = cells_.colors[static_cast<std::size_t>(j * nx + i)];
      const double a = c.a;  // premultiplied, as Cairo stores it
      row[i] = byte(a) << 24 | byte(c.r * a) << 16 | byte(c.g * a) << 8 | byte(c.b * a);
    }
  }
  cairo_surface_mark_dirty(image);
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  clip_to_plot_box(cr, geo, axes_);
  const Vec2 low = axes_.data_to_scene(area_.x_min, area_.y_min);
  const Vec2 high = axes_.data_to_scene(area_.x_max, area_.y_max);
  const double left = geo.to_px_x(low.x), top = geo.to_px_y(high.y);
  const double width = geo.to_px_x(high.x) - left, height = geo.to_px_y(low.y) - top;
  cairo_translate(cr, left, top);
  cairo_scale(cr, width / nx, height / ny);
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr),
                           smooth_ ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  cairo_rectangle(cr, 0, 0, sweep_ ? nx * reveal : nx, ny);
  cairo_clip(cr);
  cairo_paint_with_alpha(cr, alpha);
  cairo_restore(cr);
  cairo_surface_destroy(image);
}

Box2 CellImage::bounds(const FrameGeometry&) const {
  const Vec2 low = axes_.data_to_scene(area_.x_min, area_.y_min);
  const Vec2 high = axes_.data_to_scene(area_.x_max, area_.y_max);
  const Box2& plot = axes_.plot_box();
  return {std::max(low.x, plot.left), std::max(low.y, plot.bottom), std::min(high.x, plot.right),
          std::min(high.y, plot.top)};
}

}  // namespace trajtool
