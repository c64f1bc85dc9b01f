#pragma once
// The loss grid as a picture under the axes: filled contour bands (one colour per band between
// neighbouring levels) or a continuous heat map. The grid is sampled bilinearly at every pixel of
// the plot box, so the picture is as sharp as the frame whatever the grid's resolution. That is
// costly: every draw computes it anew, so wrap it in a CachedRaster (cached_raster.h), which
// draws it once per frame geometry and then only blits, as the landscapes do.
#include <cstdint>
#include <memory>
#include <vector>

#include "toolkit/core/trajectory.h"
#include "viz/axes.h"
#include "viz/colormap.h"
#include "viz/levels.h"
#include "viz/mobject.h"

namespace trajtool {

enum class FillMode {
  kBands,       // one flat colour per band between levels (filled contours)
  kContinuous,  // colour of the value itself (heat map)
};

struct FillStyle {
  Colormap colormap;                 // band / value colours
  FillMode mode = FillMode::kBands;  // bands or continuous
  double opacity = 1;                // of the whole picture
  Rgba undefined_color{0, 0, 0, 0};  // where the loss is +inf or NaN (default: see-through)
};

// The loss at data point (x, y) by bilinear interpolation of `grid`: NaN outside the grid, +inf
// where a neighbouring sample with weight > 0 is +inf or NaN (undefined there).
double sample_bilinear(const LossGrid& grid, double x, double y);

class FilledContours : public Mobject {
 public:
  FilledContours(const Axes& axes, std::shared_ptr<const LossGrid> grid, ContourLevels levels,
                 FillStyle style);
  ~FilledContours() override;

  // Reveal fades the picture in; it is clipped to the axes' plot box.
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  struct Raster;
  std::unique_ptr<const Raster> make_raster(const FrameGeometry& geo) const;

  Axes axes_;
  std::shared_ptr<const LossGrid> grid_;
  ContourLevels levels_;
  FillStyle style_;
  std::vector<Rgba> band_colors_;  // band b lies between levels b - 1 and b
};

}  // namespace trajtool
