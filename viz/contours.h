#pragma once
// Contour lines of a loss grid on a set of axes: one iso-line set per level, coloured by the
// colour map at the level's position in the levels' range. Drawn as vector paths, clipped to the
// axes' plot box.
#include <vector>

#include "toolkit/core/trajectory.h"
#include "viz/axes.h"
#include "viz/colormap.h"
#include "viz/levels.h"
#include "viz/marching_squares.h"
#include "viz/mobject.h"

namespace trajtool {

struct ContourStyle {
  Colormap colormap;                // level colours (ignored with use_single_color)
  bool use_single_color = false;    // true: every line in single_color (over filled bands)
  Rgba single_color{1, 1, 1, 0.6};  // the colour then
  double stroke_px = 2;             // line width in px at 720p
};

class ContourLines : public Mobject {
 public:
  // Traces every level of `levels` on `grid` (marching squares) once, here.
  ContourLines(const Axes& axes, const LossGrid& grid, const ContourLevels& levels,
               ContourStyle style);

  // Reveal draws the levels one after another from the lowest (each fades in over its share).
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // The colour of level `index`.
  Rgba level_color(size_t index) const;

 private:
  Axes axes_;
  ContourLevels levels_;
  ContourStyle style_;
  std::vector<std::vector<IsoLine>> lines_;  // per level
};

// Restricts drawing to the axes' plot box (in pixels); pair with cairo_save/cairo_restore.
void clip_to_plot_box(cairo_t* cr, const FrameGeometry& geo, const Axes& axes);

}  // namespace trajtool
