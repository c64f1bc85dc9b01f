#pragma once
// A colour bar: the colour map as a vertical gradient from the levels' low (bottom) to high (top),
// a tick at every contour level, and labels (decades for log-spaced levels, "10⁻¹ 1 10 10²").
#include <memory>
#include <string>
#include <vector>

#include "viz/colormap.h"
#include "viz/levels.h"
#include "viz/mobject.h"

namespace trajtool {

class Text;

struct ColorbarStyle {
  Colormap colormap;                // as used by the contours it explains
  Rgba color{0.85, 0.85, 0.85, 1};  // outline, ticks and labels
  double stroke_px = 1.5;           // outline and tick width in px at 720p
  double tick_points = 16;          // label size
  std::string title;                // above the bar, e.g. "loss"; empty = none
  double title_points = 20;         // title size
};

// A loss value as a short label: 3 significant digits, real minus sign ("2.5", "1.2e+03").
std::string format_level(double value);

class Colorbar : public Mobject {
 public:
  // `bar` is the gradient's rectangle in scene units; labels go to its right, the title above.
  Colorbar(ContourLevels levels, Box2 bar, ColorbarStyle style);

  // Reveal fades the bar in.
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // The values that carry a label, in increasing order.
  const std::vector<double>& labelled_values() const { return labelled_; }
  // The scene y of a loss value on the bar.
  double value_to_y(double value) const;

 private:
  ContourLevels levels_;
  Box2 bar_;
  ColorbarStyle style_;
  std::vector<double> labelled_;
  std::vector<std::shared_ptr<Text>> texts_;
};

}  // namespace trajtool
