#pragma once
// A small TeX-subset typesetter for formulas on slides (like Manim's MathTex), laid out with
// Pango in Latin Modern Math. Supported: letters (math italic), digits, ^ and _, \frac, \sqrt,
// accents (\hat \bar \tilde \vec \dot), Greek letters, common operators and relations, \sum with
// limits, \left( \right), \text{}, \mathrm{}, function names (\sin \exp \log \min \max ...),
// spacing (\, \: \; \! \quad \qquad) and \color{#rrggbb}{...}. The top level is display style.
#include <cairo.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "viz/color.h"
#include "viz/mobject.h"
#include "viz/text.h"

namespace trajtool {

// One thing to paint, in pixels relative to the formula's left end on its baseline (y down).
struct FormulaItem {
  enum class Kind { kGlyphs, kRule, kStroke };
  Kind kind = Kind::kGlyphs;  // glyph run, filled rectangle or stroked segment
  PangoLayoutPtr layout;      // kGlyphs: the run (one line)
  double baseline = 0;        // kGlyphs: the layout's baseline below its top
  double x = 0;               // kGlyphs: left of the run's baseline; kRule: left; kStroke: start
  double y = 0;               // kGlyphs: baseline; kRule: top; kStroke: start
  double w = 0;               // kRule: width; kStroke: end x
  double h = 0;               // kRule: height; kStroke: end y
  double line_width = 0;      // kStroke: pen width
  bool round_cap = true;      // kStroke: round or butt ends
  double scale_y = 1;         // kGlyphs: vertical stretch (big delimiters) ...
  double scale_center = 0;    // kGlyphs: ... about this y
  bool has_color = false;     // painted in `color` instead of the formula's colour
  Rgba color;                 // own colour (\color)
  double ink_left = 0;        // left of the item's ink, for reveal order
};

// A typeset formula at one pixel size.
struct FormulaLayout {
  double width = 0;                // advance width in px
  double ascent = 0;               // height above the baseline in px
  double descent = 0;              // depth below the baseline in px
  std::vector<FormulaItem> items;  // paint list, in reading (left-to-right ink) order
  int unknown_glyphs = 0;          // characters no font could show (0 when all is well)

  // Paints with the baseline's left end at (x_left_px, y_baseline_px). `reveal` in [0, 1] paints
  // the first ceil(reveal * items) items (Manim's Write).
  void draw(cairo_t* cr, double x_left_px, double y_baseline_px, Rgba color,
            double reveal = 1) const;
};

// Typesets `tex` with a font of `size_px` pixels. Throws InputError naming the column (1-based,
// in characters) of the problem: "formula column 12: unknown command \foo".
FormulaLayout layout_formula(const std::string& tex, double size_px);

// A formula placed in the scene. The layout is computed once per frame geometry.
class Formula : public Mobject {
 public:
  // Throws InputError when `tex` does not parse.
  Formula(std::string tex, double points, Rgba color, Vec2 position,
          Anchor anchor = Anchor::kCenter);

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // The layout used for `geo` (cached).
  std::shared_ptr<const FormulaLayout> layout(const FrameGeometry& geo) const;

 private:
  // Where `f` (laid out for `geo`) stands, scene units.
  Box2 placed(const FormulaLayout& f, const FrameGeometry& geo) const;

  std::string tex_;
  double points_;
  Rgba color_;
  Vec2 position_;
  Anchor anchor_;
  mutable std::mutex cache_mutex_;
  mutable double cached_px_ = -1;
  mutable std::shared_ptr<const FormulaLayout> cache_;
};

}  // namespace trajtool
