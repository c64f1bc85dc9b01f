#pragma once
// Pieces every optimizer scene uses, built from the engine's mobjects: section titles and notes
// placed by the seeds' layout rules (titles 36 pt at buff 0.6, annotations 20 pt, nothing closer
// than 0.5 to an edge), the landscape of a cached loss grid, traced optimizer paths with a head
// dot, and a step counter.
#include <memory>
#include <string>
#include <vector>

#include "toolkit/core/trajectory.h"
#include "viz/axes.h"
#include "viz/contours.h"
#include "viz/heatmap.h"
#include "viz/levels.h"
#include "viz/mobject.h"
#include "viz/shapes.h"
#include "viz/text.h"

namespace trajtool {

// Font sizes of the seeds' rules (Manim font_size scale).
constexpr double kTitlePoints = 36;
constexpr double kBodyPoints = 24;
constexpr double kNotePoints = 20;
// Distance kept from the frame's edges, scene units.
constexpr double kEdgeBuff = 0.6;
// Drawing order for labelled points (start, minima): above everything added later. The timeline's
// default z is the order of first appearance, so this must exceed any scene's object count.
constexpr double kMarksZ = 1e6;
// Where a landscape's plot goes in a 16:9 frame: below a section title, with room for tick and
// axis labels inside the 0.5 margin, leaving the right half for formula, legend and notes.
constexpr Box2 kLandscapeBox{-5.6, -2.75, -0.2, 2.45};

// The palette runs take in order when their config gives no colour (Manim's blue, green, yellow,
// red, purple, teal, orange, pink, then grey, brown, deep blue, pale green); it repeats after 12.
Rgba palette_color(std::size_t index);
// The run's configured colour, or the palette's.
Rgba run_color(const std::string& configured, std::size_t index);
constexpr Rgba kTextColor{0.93, 0.93, 0.93, 1};
constexpr Rgba kMutedColor{0.62, 0.64, 0.68, 1};
constexpr Rgba kAccentColor{0.97, 0.84, 0.43, 1};

// A section title at the top edge (36 pt, bold, buff 0.6).
std::shared_ptr<Text> section_title(const std::string& text, const FrameGeometry& geo);
// A closing note centred at the bottom edge (20 pt, buff 0.5), wrapped to the frame's width.
std::shared_ptr<Text> bottom_note(const std::string& text, const FrameGeometry& geo);

// Whether every finite value in `values` is > 0 and together they span more than `decades`
// powers of ten: the rule by which a plot with an automatic y scale takes a log axis.
bool spans_decades(const std::vector<const std::vector<double>*>& values, double decades);

// The axes of one of several small square maps side by side (decision regions, basin maps): equal
// aspect, three ticks a side, 18 pt ticks and 20 pt labels; only the first panel (`first`) names
// its y axis, the others share it.
AxesStyle panel_axes_style(const std::string& x_label, const std::string& y_label, bool first);

// The loss landscape of a cached grid: filled bands, contour lines over them, axes.
struct Landscape {
  std::shared_ptr<Axes> axes;  // the mapping data -> scene units, and the drawn frame
  MobjectPtr fill;             // filled contour bands (cached raster)
  MobjectPtr lines;            // contour lines
  ContourLevels levels;        // the levels both use
};
// How the loss is painted under the contour lines.
struct LandscapeLook {
  FillMode fill = FillMode::kBands;                // filled bands, or a continuous heat map
  ColormapName colormap = ColormapName::kViridis;  // colours of both (and of a colour bar)
  bool contour_lines = true;                       // draw the contour lines (else `lines` is null)
};
Landscape make_landscape(std::shared_ptr<const LossGrid> grid, Box2 box, LevelSpacing spacing,
                         const std::string& x_label, const std::string& y_label,
                         const LandscapeLook& look = {});

// An optimizer's path in data coordinates drawn on `axes`: a polyline with partial reveal (by
// step, not by length: reveal r shows steps 0 .. r * steps) and a head dot at the current point.
// The path is clipped to the axes' plot box. A path that diverged ends with a cross where it
// stopped (or where it left the plot box for good).
class TrajectoryPath : public Mobject {
 public:
  TrajectoryPath(const Axes& axes, std::vector<Vec2> data_points, Rgba color, bool diverged,
                 double width_px = 4, bool head = true);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Box2 plot_box_;             // clip rectangle, scene units
  std::vector<Vec2> points_;  // scene units, one per stored row
  Vec2 cross_at_;             // where a diverged run's cross goes: its last point, or where it
                              // left the plot box for good
  Rgba color_;
  bool diverged_;
  double width_px_;
  bool head_;
};

// "step k / n" where k follows the reveal (k = round(reveal * n)): animate with reveal_to.
class StepCounter : public Mobject {
 public:
  StepCounter(int64_t steps, Vec2 position, Anchor anchor, double points = kNotePoints);
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  int64_t steps_;  // n
  double points_;  // font size
  Box2 box_;       // where the widest text stands, scene units
};

// The start point (row 0) and every stored row of a single run's params as data points.
std::vector<Vec2> trajectory_points(const Trajectory& t);

// A display formula broken into lines that fit `max_width` (scene units): breaks go at top-level
// commas and before top-level + and -, continuation lines indented; the size shrinks from
// `points` (not below 20) only when one piece alone is too wide. Lines are left-aligned from
// `top_left` downwards; the Group's bounds give the bottom.
std::shared_ptr<Group> wrapped_formula(const std::string& tex, Vec2 top_left, double max_width,
                                       double points, Rgba color, const FrameGeometry& geo);
// Every line wrapped_formula(tex, ...) may draw, whatever the width: for the render's pre-pass,
// which typesets them all in one TeX run before the layout is known.
std::vector<std::string> wrapped_formula_lines(const std::string& tex);

// A label with a dark, translucent box behind it so it stays readable over contours and paths.
std::shared_ptr<Group> boxed_label(const std::string& text, double points, Rgba color, Vec2 at,
                                   Anchor anchor, const FrameGeometry& geo);

// A short number for labels: 3 significant digits ("0.0123", "1.2e-05", "512"), whole numbers
// from 1000 to a million as they are ("1500", "250000").
std::string short_number(double value);
// A point of the plane as a label shows it: "(3, 2)".
std::string point_text(double x, double y);

}  // namespace trajtool
