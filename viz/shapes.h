#pragma once
// Basic mobjects: dots, polylines, lines, arrows, rectangles and groups. Positions and radii are
// scene units; stroke widths are "pixels at 720p" and scale with the frame height, so a video looks
// the same at any resolution. Each honours the whole DrawState: opacity, reveal (paths are traced
// by arc length), shift, and scale about its centre (arrows scale from their start).
#include <vector>

#include "viz/mobject.h"

namespace trajtool {

// A stroke width given in pixels at 720p, in pixels at this frame's height.
inline double stroke_px(const FrameGeometry& geo, double px_at_720) {
  return px_at_720 * geo.height_px / 720.0;
}

// The colour white, the default for strokes.
constexpr Rgba kWhite{1, 1, 1, 1};

// A filled disc. Reveal fades it in (a dot has no path to trace).
class Dot : public Mobject {
 public:
  // `outline_px` > 0 draws a ring of colour `outline` around the disc.
  explicit Dot(Vec2 center, double radius = 0.08, Rgba color = kWhite, Rgba outline = {},
               double outline_px = 0);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 protected:
  // Fills the current path in the colour and rings it with the outline, at `opacity`.
  void fill_and_ring(cairo_t* cr, const FrameGeometry& geo, double opacity) const;

  Vec2 center_;        // scene units
  double radius_;      // scene units
  Rgba color_;         // the fill
  Rgba outline_;       // the ring
  double outline_px_;  // the ring's width at 720p; 0 = none
};

// A five-pointed star, one point up: the mark of a known minimum (a dot there would read as a run's
// head). `radius` is its points' distance from the centre; the inner corners lie at 0.45 of it.
class Star : public Dot {
 public:
  explicit Star(Vec2 center, double radius = 0.15, Rgba color = kWhite, Rgba outline = {},
                double outline_px = 0)
      : Dot(center, radius, color, outline, outline_px) {}
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
};

// An open (or closed) path of straight segments with round joins. reveal = r draws the first
// fraction r of its length, ending exactly on the interpolated point of the last segment.
class Polyline : public Mobject {
 public:
  Polyline(std::vector<Vec2> points, Rgba color = kWhite, double width_px = 4, bool closed = false);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;
  // Total length in scene units (closing segment included when closed).
  double length() const { return cumulative_.empty() ? 0 : cumulative_.back(); }

 private:
  std::vector<Vec2> points_;        // vertices, the first repeated at the end when closed
  std::vector<double> cumulative_;  // length from the start to each vertex
  Rgba color_;
  double width_px_;
  Box2 box_;
};

// A straight segment.
class Line : public Polyline {
 public:
  Line(Vec2 start, Vec2 end, Rgba color = kWhite, double width_px = 4);
};

// A segment with a filled triangular tip at `end`. grow/scale and reveal extend it from `start`.
class Arrow : public Mobject {
 public:
  // `tip_length` in scene units; the tip never exceeds a quarter of the arrow's length.
  Arrow(Vec2 start, Vec2 end, Rgba color = kWhite, double width_px = 4, double tip_length = 0.3);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Vec2 start_, end_;
  Rgba color_;
  double width_px_;
  double tip_length_;
};

// A rectangle, optionally with rounded corners, filled and/or stroked (alpha 0 = none). Reveal
// traces the outline and fades the fill in.
class Rectangle : public Mobject {
 public:
  Rectangle(Box2 box, Rgba fill, Rgba stroke = kWhite, double stroke_width_px = 4,
            double corner_radius = 0);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Box2 box_;
  Rgba fill_;
  Rgba stroke_;
  double stroke_width_px_;
  double corner_radius_;  // scene units
};

// A rectangle with rounded corners (a label's background, a panel).
class RoundedBox : public Rectangle {
 public:
  RoundedBox(Box2 box, Rgba fill, Rgba stroke = kWhite, double stroke_width_px = 2,
             double corner_radius = 0.15)
      : Rectangle(box, fill, stroke, stroke_width_px, corner_radius) {}
};

// Children drawn together in order, animated as one: shift moves all, scale is about the group's
// centre, opacity and reveal pass to each child.
class Group : public Mobject {
 public:
  Group() = default;
  explicit Group(std::vector<MobjectPtr> children) : children_(std::move(children)) {}
  void add(MobjectPtr child) { children_.push_back(std::move(child)); }
  const std::vector<MobjectPtr>& children() const { return children_; }
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  std::vector<MobjectPtr> children_;
};

}  // namespace trajtool
