#include "viz/contours.h"

#include <algorithm>

namespace trajtool {

void clip_to_plot_box(cairo_t* cr, const FrameGeometry& geo, const Axes& axes) {
  const Box2& b = axes.plot_box();
  const double left = geo.to_px_x(b.left);
  const double top = geo.to_px_y(b.top);
  cairo_rectangle(cr, left, top, geo.to_px_x(b.right) - left, geo.to_px_y(b.bottom) - top);
  cairo_clip(cr);
}

ContourLines::ContourLines(const Axes& axes, const LossGrid& grid, const ContourLevels& levels,
                           ContourStyle style)
    : axes_(axes), levels_(levels), style_(style) {
  lines_.reserve(levels_.values.size());
  for (double level : levels_.values) lines_.push_back(iso_lines(grid, level));
}

Rgba ContourLines::level_color(size_t index) const {
  if (style_.use_single_color) return style_.single_color;
  return style_.colormap.sample(levels_.fraction(levels_.values[index]));
}

void ContourLines::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0 || state.reveal <= 0 || lines_.empty()) return;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  clip_to_plot_box(cr, geo, axes_);
  cairo_set_line_width(cr, style_.stroke_px * geo.height_px / 720.0);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  const double shown = state.reveal * static_cast<double>(lines_.size());
  for (size_t k = 0; k < lines_.size(); ++k) {
    const double alpha = std::clamp(shown - static_cast<double>(k), 0.0, 1.0);
    if (alpha <= 0) break;
    const Rgba c = level_color(k);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha * state.opacity);
    for (const IsoLine& line : lines_[k]) {
      if (line.points.size() < 2) continue;
      for (size_t i = 0; i < line.points.size(); ++i) {
        const Vec2 p = axes_.data_to_scene(line.points[i].x, line.points[i].y);
        if (i == 0) {
          cairo_move_to(cr, geo.to_px_x(p.x), geo.to_px_y(p.y));
        } else {
          cairo_line_to(cr, geo.to_px_x(p.x), geo.to_px_y(p.y));
        }
      }
      if (line.closed) cairo_close_path(cr);
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

Box2 ContourLines::bounds(const FrameGeometry&) const { return axes_.plot_box(); }

}  // namespace trajtool
