#include "viz/formula.h"

#include <algorithm>
#include <cmath>

#include "viz/tex/formula_store.h"

namespace trajtool {
namespace {

// Adds piece `i` of `f` to the current path (coordinates already scaled by the caller's matrix).
void piece_path(cairo_t* cr, const FormulaOutline& f, int64_t i, size_t& point) {
  const auto first = static_cast<size_t>(f.piece_start[static_cast<size_t>(i)]);
  const size_t last = i + 1 < f.piece_count()
                          ? static_cast<size_t>(f.piece_start[static_cast<size_t>(i + 1)])
                          : f.ops.size();
  const double* p = f.points.data();
  for (size_t k = first; k < last; ++k) {
    switch (static_cast<OutlineOp>(f.ops[k])) {
      case OutlineOp::kMove:
        cairo_move_to(cr, p[point], p[point + 1]);
        point += 2;
        break;
      case OutlineOp::kLine:
        cairo_line_to(cr, p[point], p[point + 1]);
        point += 2;
        break;
      case OutlineOp::kCurve:
        cairo_curve_to(cr, p[point], p[point + 1], p[point + 2], p[point + 3], p[point + 4],
                       p[point + 5]);
        point += 6;
        break;
      case OutlineOp::kClose:
        cairo_close_path(cr);
        break;
    }
  }
}

}  // namespace

void draw_formula_outline(cairo_t* cr, const FormulaOutline& f, double x_px, double y_px,
                          double font_px, Rgba color, double reveal) {
  const int64_t n = f.piece_count();
  if (reveal <= 0 || n == 0) return;
  const double progress = reveal >= 1 ? static_cast<double>(n) : reveal * static_cast<double>(n);
  const double scale = font_px / kTexFontBp;
  cairo_save(cr);
  cairo_translate(cr, x_px, y_px);
  cairo_scale(cr, scale, scale);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  size_t point = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double done = std::min(1.0, progress - static_cast<double>(i));
    if (done <= 0) break;
    const double* rgba = &f.piece_rgba[static_cast<size_t>(4 * i)];
    const Rgba c = rgba[3] < 0 ? color : Rgba{rgba[0], rgba[1], rgba[2], color.a};
    cairo_new_path(cr);
    piece_path(cr, f, i, point);
    if (done >= 1) {
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
      cairo_fill(cr);
      continue;
    }
    // The piece being written: its outline, and its fill fading in.
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * done);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    cairo_set_line_width(cr, 0.3);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

OutlineInk outline_ink(const FormulaOutline& f) {
  OutlineInk ink;
  if (f.points.empty()) return ink;
  ink.left = ink.right = f.points[0];
  ink.top = ink.bottom = f.points[1];
  for (size_t k = 0; k + 1 < f.points.size(); k += 2) {
    ink.left = std::min(ink.left, f.points[k]);
    ink.right = std::max(ink.right, f.points[k]);
    ink.top = std::min(ink.top, f.points[k + 1]);
    ink.bottom = std::max(ink.bottom, f.points[k + 1]);
  }
  return ink;
}

Formula::Formula(std::string tex, double points, Rgba color, Vec2 position, Anchor anchor)
    : tex_(std::move(tex)),
      points_(points),
      color_(color),
      position_(position),
      anchor_(anchor),
      outline_(formula_outline(tex_)) {}

Box2 Formula::bounds(const FrameGeometry& geo) const {
  // Points scale with the frame height as the frame's units do: bounds do not depend on pixels.
  const double units_per_bp = geo.font_px(points_) / kTexFontBp / geo.px_per_unit();
  return place_box(outline_->width * units_per_bp,
                   (outline_->height + outline_->depth) * units_per_bp, position_, anchor_);
}

void Formula::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.reveal <= 0 || state.opacity <= 0 || state.scale == 0) return;
  const Box2 box = bounds(geo);
  const double ppu = geo.px_per_unit();
  const double left_px = geo.to_px_x(box.left + state.shift.x);
  const double top_px = geo.to_px_y(box.top + state.shift.y);
  const double font_px = geo.font_px(points_);
  const double scale = font_px / kTexFontBp;
  const double cx = left_px + box.width() * ppu / 2;
  const double cy = top_px + box.height() * ppu / 2;
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_scale(cr, state.scale, state.scale);
  cairo_translate(cr, -cx, -cy);
  draw_formula_outline(cr, *outline_, left_px, top_px + outline_->height * scale, font_px,
                       with_alpha(color_, state.opacity), state.reveal);
  cairo_restore(cr);
}

}  // namespace trajtool
