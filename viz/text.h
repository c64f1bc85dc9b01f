#pragma once
// Text as a Mobject, laid out by Pango (like Manim's Text / MarkupText), plus small placement
// helpers. Sizes are points on Manim's font_size scale; FrameGeometry::font_px gives pixels.
#include <pango/pangocairo.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

// Which point of an object's bounds sits on its position (Manim's next_to / to_edge usage).
enum class Anchor {
  kCenter,
  kLeft,
  kRight,
  kTop,
  kBottom,
  kTopLeft,
  kTopRight,
  kBottomLeft,
  kBottomRight
};

// How the lines of a multi-line text line up.
enum class TextAlign { kLeft, kCenter, kRight };

struct TextStyle {
  double points = 36;                  // font size on Manim's font_size scale
  std::string family = "DejaVu Sans";  // fontconfig family name
  bool bold = false;                   // bold weight
  bool italic = false;                 // italic style
  Rgba color{1, 1, 1, 1};              // fill colour (markup <span> colours override it)
  TextAlign align = TextAlign::kLeft;  // line alignment for multi-line text
  double max_width_units = 0;          // wrap at this width in scene units; 0 = no wrapping
};

// A PangoLayout owned by reference count (g_object_unref on release).
using PangoLayoutPtr = std::shared_ptr<PangoLayout>;

// The process-wide lock around Pango: its font map and caches are not thread-safe. Everything in
// text.cc takes it while creating or drawing layouts.
std::mutex& pango_mutex();

// A new layout on the shared unhinted context (metrics scale linearly with the font size, so
// extents are resolution independent). The caller must hold pango_mutex().
PangoLayoutPtr new_pango_layout();

// The position that puts the `anchor` point of a box of this size on `position`: returns the box.
Box2 place_box(double width, double height, Vec2 position, Anchor anchor);

// The point of `box` named by `anchor`.
Vec2 anchor_point(const Box2& box, Anchor anchor);

// Translation that moves `box` to the frame's top/bottom/left/right edge with `buff` units of
// margin (Manim's to_edge(UP, buff)).
Vec2 to_edge_top(const Box2& box, const FrameGeometry& geo, double buff = 0.5);
Vec2 to_edge_bottom(const Box2& box, const FrameGeometry& geo, double buff = 0.5);

// Translation that puts `box` below `target` (Manim's next_to(target, DOWN, buff)), centred.
Vec2 next_to_below(const Box2& box, const Box2& target, double buff = 0.25);

// Size of `text` in scene units: the Box2 spans [0, width] x [0, height] (Pango's logical
// extents). Throws InputError if `markup` is true and the markup does not parse.
Box2 measure_text(const std::string& text, const TextStyle& style, const FrameGeometry& geo,
                  bool markup = false);

// A text label. Plain text by default; with `markup` Pango markup (<sub>, <sup>, <b>, <i>,
// <span foreground="#ff0000">) is allowed. Unicode (Greek, subscript digits) works.
class Text : public Mobject {
 public:
  // Throws InputError when `markup` is true and the markup does not parse.
  Text(std::string text, TextStyle style, Vec2 position, Anchor anchor = Anchor::kCenter,
       bool markup = false);

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // Glyph clusters with ink, in reading order: what reveal counts (spaces are not counted).
  int cluster_count(const FrameGeometry& geo) const;
  // Characters the fonts could not show (drawn as missing-glyph boxes); 0 when all is well.
  int unknown_glyphs(const FrameGeometry& geo) const;

  // Moves the text; the layout cache stays valid.
  void set_position(Vec2 position, Anchor anchor);

 private:
  struct Cache;
  // The layout for `geo`, built on first use and kept until the geometry changes.
  std::shared_ptr<const Cache> cache_for(const FrameGeometry& geo) const;
  // Where the text of `cache` (laid out for `geo`) stands, scene units.
  Box2 placed(const Cache& cache, const FrameGeometry& geo) const;

  std::string text_;
  TextStyle style_;
  Vec2 position_;
  Anchor anchor_;
  bool markup_;
  mutable std::mutex cache_mutex_;
  mutable std::shared_ptr<const Cache> cache_;
};

}  // namespace trajtool
