#pragma once
// Axes for plots: a data domain mapped onto a box of the frame, with nice ticks, tick labels and
// axis labels. Every plot piece (contours, heat maps, trajectories, line plots) places its data
// with Axes::data_to_scene, so they line up exactly.
#include <memory>
#include <string>
#include <vector>

#include "toolkit/core/run_spec.h"  // Domain: a rectangle in data coordinates
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

class Text;

struct AxesStyle {
  Rgba color{0.85, 0.85, 0.85, 1};  // frame, ticks and labels
  double stroke_px = 2;             // frame and tick width in px at 720p
  double tick_length = 0.1;         // scene units, drawn outwards
  double tick_points = 18;          // tick label size
  double label_points = 24;         // axis label size
  std::string x_label;              // e.g. "θ₁" (Unicode)
  std::string y_label;              // e.g. "θ₂"
  int x_ticks = 5;                  // about this many ticks along x
  int y_ticks = 5;                  // about this many ticks along y
  bool equal_aspect = false;        // one data unit is as long along x as along y
  bool log_y = false;               // y is drawn on a log10 scale (y_min must be > 0)
  bool frame = true;                // true: a full box; false: left and bottom spines only
  Rgba grid_color{1, 1, 1, 0};      // grid lines at the ticks; transparent = none
};

// About `target` nice values (1, 2 or 5 times a power of ten apart) inside [lo, hi], spaced
// evenly; the first lies less than one step above lo and the last less than one step below hi.
std::vector<double> nice_ticks(double lo, double hi, int target);

// The step nice_ticks uses: 1, 2 or 5 times a power of ten.
double nice_step(double span, int target);

// Powers of ten inside [lo, hi] (lo > 0); when there are fewer than two, 2x and 5x values too,
// and when still fewer than two, every multiple (20, 30, 40).
std::vector<double> log_ticks(double lo, double hi);

// Every `stride`-th power of ten of `ticks` (those whose exponent is a multiple of `stride`): what
// a short log axis keeps so that its labels do not overlap.
std::vector<double> every_nth_decade(const std::vector<double>& ticks, int stride);

// A tick label: as many decimals as the step needs, with a real minus sign ("−0.5").
std::string format_tick(double value, double step);

// A power of ten as "10⁻²", "1", "10", "10³"; any other value as the number itself ("2", "0.05").
std::string format_power_of_ten(double value);
// The labels of a log axis's ticks: powers ("10⁻²", "1", "10") when every tick is a power of ten,
// else every one as a number ("0.05", "0.1", "0.2"), never a mix of the two.
std::vector<std::string> log_tick_labels(const std::vector<double>& ticks);

// Applies a DrawState's shift and scale (about `centre`, scene units) to `cr`.
void apply_draw_transform(cairo_t* cr, const FrameGeometry& geo, const DrawState& state,
                          Vec2 centre);

class Axes : public Mobject {
 public:
  // `box` is the plotting area in scene units; with equal_aspect it shrinks (centred) to the
  // domain's aspect. Labels go outside it. Throws InputError for an empty domain or a log y axis
  // whose domain is not positive.
  Axes(Domain domain, Box2 box, AxesStyle style);

  // Data -> scene units (log10 on y for a log axis). Exact inverse of scene_to_data.
  Vec2 data_to_scene(double x, double y) const;
  Vec2 scene_to_data(Vec2 p) const;
  // The plotting area actually used (after equal aspect).
  const Box2& plot_box() const { return plot_box_; }
  const Domain& domain() const { return domain_; }
  const std::vector<double>& x_tick_values() const { return x_ticks_; }
  const std::vector<double>& y_tick_values() const { return y_ticks_; }

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  Domain domain_;
  Box2 plot_box_;
  AxesStyle style_;
  std::vector<double> x_ticks_;
  std::vector<double> y_ticks_;
  std::vector<std::shared_ptr<Text>> labels_;  // tick labels and axis labels
};

}  // namespace trajtool
