#include "viz/scatter_points.h"

#include <algorithm>
#include <cmath>

#include "viz/contours.h"

namespace trajtool {

ScatterPoints::ScatterPoints(const Axes& axes, std::vector<ScatterPoint> points, ScatterStyle style)
    : axes_(axes), points_(std::move(points)), style_(style) {}

void ScatterPoints::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double alpha = state.opacity * std::clamp(state.reveal, 0.0, 1.0);
  if (alpha <= 0) return;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  clip_to_plot_box(cr, geo, axes_);
  const double r = style_.radius * geo.px_per_unit();
  const double scale = geo.height_px / 720.0;
  for (const ScatterPoint& p : points_) {
    const Vec2 s = axes_.data_to_scene(p.at.x, p.at.y);
    const double x = geo.to_px_x(s.x), y = geo.to_px_y(s.y);
    cairo_new_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    const Rgba& c = p.color;
    if (p.ring) {
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha);
      cairo_set_line_width(cr, style_.ring_px * scale);
      cairo_stroke(cr);
      continue;
    }
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha);
    if (style_.outline.a > 0) {
      cairo_fill_preserve(cr);
      const Rgba& o = style_.outline;
      cairo_set_source_rgba(cr, o.r, o.g, o.b, o.a * alpha);
      cairo_set_line_width(cr, style_.outline_px * scale);
      cairo_stroke(cr);
    } else {
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
}

Box2 ScatterPoints::bounds(const FrameGeometry&) const { return axes_.plot_box(); }

}  // namespace trajtool
