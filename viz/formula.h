#pragma once
// Formulas on slides (like Manim's MathTex), typeset by LaTeX and drawn as the outlines of TeX's
// glyphs (viz/tex/): any LaTeX math a lecturer writes, in display style, with amsmath, amssymb,
// bm, mathtools, xcolor and the scene's `tex_preamble`. Vector in SVG and PDF stills; `write`
// traces it glyph by glyph in TeX's order.
#include <cairo.h>

#include <memory>
#include <string>

#include "toolkit/core/formula_outline.h"
#include "viz/color.h"
#include "viz/mobject.h"
#include "viz/text.h"

namespace trajtool {

// Paints `outline` with the left end of its baseline at (x_px, y_px) (pixels, y down), its 10 pt
// font scaled to `font_px` pixels. Pieces with their own colour (\color) keep it under `color`'s
// alpha. `reveal` in [0, 1] draws the first reveal * pieces pieces, the one in progress as its
// outline with its fill fading in (Manim's Write). Pieces before `first_piece` are left out.
void draw_formula_outline(cairo_t* cr, const FormulaOutline& outline, double x_px, double y_px,
                          double font_px, Rgba color, double reveal = 1, int64_t first_piece = 0);

// The union of the outline's control points (their hull holds the ink), bp: [left, top, right,
// bottom] relative to the baseline's left end, y down. All zero for an empty formula.
struct OutlineInk {
  double left = 0, top = 0, right = 0, bottom = 0;
};
OutlineInk outline_ink(const FormulaOutline& outline);

// A formula placed in the scene: `points` is the font size (Manim's font_size scale), the box is
// TeX's (width, height + depth) and `anchor` places it as a text's box is placed.
class Formula : public Mobject {
 public:
  // Typesets `tex` now (from the render's pre-pass, the cache, or a TeX run of its own); throws
  // InputError "TeX: ! <TeX's message> -- l.N <context>" when TeX rejects it.
  Formula(std::string tex, double points, Rgba color, Vec2 position,
          Anchor anchor = Anchor::kCenter);

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // TeX's outline of the formula.
  const FormulaOutline& outline() const { return *outline_; }
  // Glyphs and rules: what `write` reveals one by one.
  int64_t piece_count() const { return outline_->piece_count(); }

 private:
  std::string tex_;                                // the formula
  std::shared_ptr<const FormulaOutline> outline_;  // TeX's outline of it
  MobjectPtr paths_;                               // the outline placed, drawn as paths
  MobjectPtr at_rest_;                             // paths_ drawn once and blitted (whole)
};

}  // namespace trajtool
