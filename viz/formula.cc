#include "viz/formula.h"

#include <algorithm>
#include <cmath>

#include "viz/cached_raster.h"
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
                          double font_px, Rgba color, double reveal, int64_t first_piece) {
  const int64_t n = f.piece_count();
  if (reveal <= 0 || n == 0) return;
  const double progress = reveal >= 1 ? static_cast<double>(n) : reveal * static_cast<double>(n);
  const double scale = font_px / kTexFontBp;
  cairo_save(cr);
  cairo_translate(cr, x_px, y_px);
  cairo_scale(cr, scale, scale);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  auto colour_of = [&](int64_t i) {
    const double* rgba = &f.piece_rgba[static_cast<size_t>(4 * i)];
    return rgba[3] < 0 ? color : Rgba{rgba[0], rgba[1], rgba[2], color.a};
  };
  // Whole pieces of one colour are filled together: one fill per run of glyphs, not per glyph
  // (filling costs mostly per call).
  size_t point = 0;  // the first point of piece `first_piece`
  for (size_t k = 0;
       first_piece > 0 &&
       k < static_cast<size_t>(f.piece_start[static_cast<size_t>(std::min(first_piece, n - 1))]);
       ++k) {
    const auto op = static_cast<OutlineOp>(f.ops[k]);
    point += op == OutlineOp::kCurve ? 6 : op == OutlineOp::kClose ? 0 : 2;
  }
  cairo_new_path(cr);
  bool open_run = false;
  Rgba run_colour;
  auto fill_run = [&] {
    if (!open_run) return;
    cairo_set_source_rgba(cr, run_colour.r, run_colour.g, run_colour.b, run_colour.a);
    cairo_fill(cr);
    open_run = false;
  };
  for (int64_t i = first_piece; i < n; ++i) {
    const double done = std::min(1.0, progress - static_cast<double>(i));
    if (done <= 0) break;
    const Rgba c = colour_of(i);
    if (done >= 1) {
      if (open_run && (c.r != run_colour.r || c.g != run_colour.g || c.b != run_colour.b))
        fill_run();
      run_colour = c;
      open_run = true;
      piece_path(cr, f, i, point);
      continue;
    }
    fill_run();
    // The piece being written: its outline, and its fill fading in.
    piece_path(cr, f, i, point);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * done);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    cairo_set_line_width(cr, 0.3);
    cairo_stroke(cr);
  }
  fill_run();
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

namespace {

// The formula's glyphs as paths, placed in the scene: what Formula draws while it is written, and
// what its cached raster holds at rest.
class FormulaPaths : public Mobject {
 public:
  FormulaPaths(std::shared_ptr<const FormulaOutline> outline, double points, Rgba color,
               Vec2 position, Anchor anchor)
      : outline_(std::move(outline)),
        points_(points),
        color_(color),
        position_(position),
        anchor_(anchor) {
    const FormulaOutline& f = *outline_;
    size_t point = 0;
    for (int64_t i = 0; i < f.piece_count(); ++i) {
      const auto first = static_cast<size_t>(f.piece_start[static_cast<size_t>(i)]);
      const size_t last = i + 1 < f.piece_count()
                              ? static_cast<size_t>(f.piece_start[static_cast<size_t>(i + 1)])
                              : f.ops.size();
      FormulaOutline piece;
      for (size_t k = first; k < last; ++k) {
        const auto op = static_cast<OutlineOp>(f.ops[k]);
        const size_t count = op == OutlineOp::kCurve ? 6 : op == OutlineOp::kClose ? 0 : 2;
        piece.points.insert(piece.points.end(), f.points.begin() + static_cast<long>(point),
                            f.points.begin() + static_cast<long>(point + count));
        point += count;
      }
      piece_ink_.push_back(outline_ink(piece));
    }
  }

  Box2 bounds(const FrameGeometry& geo) const override {
    // Points scale with the frame height as the frame's units do: bounds do not depend on pixels.
    const double units_per_bp = geo.font_px(points_) / kTexFontBp / geo.px_per_unit();
    return place_box(outline_->width * units_per_bp,
                     (outline_->height + outline_->depth) * units_per_bp, position_, anchor_);
  }

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override {
    draw_from(cr, geo, state, 0);
  }

  // Adds to the path the pixel boxes of the first `count` pieces at rest, a pixel wider each way.
  void add_piece_boxes(cairo_t* cr, const FrameGeometry& geo, int64_t count) const {
    const Box2 box = bounds(geo);
    const double scale = geo.font_px(points_) / kTexFontBp;
    const double left_px = geo.to_px_x(box.left);
    const double baseline_px = geo.to_px_y(box.top) + outline_->height * scale;
    for (int64_t i = 0; i < count && i < static_cast<int64_t>(piece_ink_.size()); ++i) {
      const OutlineInk& ink = piece_ink_[static_cast<size_t>(i)];
      cairo_rectangle(cr, left_px + ink.left * scale - 1, baseline_px + ink.top * scale - 1,
                      (ink.right - ink.left) * scale + 2, (ink.bottom - ink.top) * scale + 2);
    }
  }

  // Draws pieces from `first_piece` on, as far as state.reveal goes.
  void draw_from(cairo_t* cr, const FrameGeometry& geo, const DrawState& state,
                 int64_t first_piece) const {
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
                         with_alpha(color_, state.opacity), state.reveal, first_piece);
    cairo_restore(cr);
  }

 private:
  std::shared_ptr<const FormulaOutline> outline_;
  double points_;
  Rgba color_;
  Vec2 position_;
  Anchor anchor_;
  std::vector<OutlineInk> piece_ink_;  // each piece's ink box, bp
};

}  // namespace

Formula::Formula(std::string tex, double points, Rgba color, Vec2 position, Anchor anchor)
    : tex_(std::move(tex)),
      outline_(formula_outline(tex_)),
      paths_(std::make_shared<FormulaPaths>(outline_, points, color, position, anchor)),
      at_rest_(std::make_shared<CachedRaster>(paths_)) {}

Box2 Formula::bounds(const FrameGeometry& geo) const { return paths_->bounds(geo); }

void Formula::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  // Whole: one blit of the glyphs drawn once. Being written, on a raster: the whole pieces so far
  // as that blit clipped to their boxes, the piece in progress as paths. Filling TeX's outlines
  // costs ~10x what Pango's cached glyphs did per frame (bench/ and the report have the figures),
  // so they are filled once per geometry. SVG and PDF stills get the paths.
  const auto& paths = static_cast<const FormulaPaths&>(*paths_);
  if (state.reveal >= 1) {
    at_rest_->draw(cr, geo, state);
    return;
  }
  const bool raster = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
  if (!raster || state.scale != 1 || state.shift.x != 0 || state.shift.y != 0) {
    paths.draw(cr, geo, state);
    return;
  }
  const int64_t n = outline_->piece_count();
  const auto whole = static_cast<int64_t>(std::floor(state.reveal * static_cast<double>(n)));
  if (whole > 0) {
    cairo_save(cr);
    cairo_new_path(cr);
    paths.add_piece_boxes(cr, geo, whole);
    cairo_clip(cr);
    DrawState rest = state;
    rest.reveal = 1;
    at_rest_->draw(cr, geo, rest);
    cairo_restore(cr);
  }
  paths.draw_from(cr, geo, state, whole);
}

}  // namespace trajtool
