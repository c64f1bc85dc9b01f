#include "viz/histogram_bars.h"

#include <algorithm>
#include <cmath>

#include "viz/contours.h"

namespace trajtool {

std::vector<double> histogram_counts(const std::vector<double>& values, double low, double high,
                                     int bins) {
  std::vector<double> counts(static_cast<std::size_t>(std::max(bins, 1)), 0.0);
  const double width = (high - low) / static_cast<double>(counts.size());
  for (double v : values) {
    if (!(v >= low && v <= high) || !(width > 0)) continue;
    auto k = static_cast<std::size_t>((v - low) / width);
    counts[std::min(k, counts.size() - 1)] += 1;  // the top edge belongs to the last bin
  }
  return counts;
}

HistogramBars::HistogramBars(const Axes& axes, double low, double high, std::vector<double> heights,
                             Rgba fill)
    : axes_(axes), low_(low), high_(high), heights_(std::move(heights)), fill_(fill) {}

void HistogramBars::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0 || heights_.empty()) return;
  const double grow = std::clamp(state.reveal, 0.0, 1.0);
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  clip_to_plot_box(cr, geo, axes_);
  const double width = (high_ - low_) / static_cast<double>(heights_.size());
  const double base = std::max(axes_.domain().y_min, 0.0);
  for (std::size_t k = 0; k < heights_.size(); ++k) {
    if (!(heights_[k] > 0)) continue;
    const double x0 = low_ + static_cast<double>(k) * width;
    const Vec2 a = axes_.data_to_scene(x0, base);
    const Vec2 b = axes_.data_to_scene(x0 + width, base + grow * (heights_[k] - base));
    const double left = geo.to_px_x(a.x), right = geo.to_px_x(b.x);
    const double top = geo.to_px_y(b.y), bottom = geo.to_px_y(a.y);
    cairo_rectangle(cr, left, top, right - left, bottom - top);
  }
  cairo_set_source_rgba(cr, fill_.r, fill_.g, fill_.b, fill_.a * state.opacity);
  cairo_fill(cr);
  cairo_restore(cr);
}

Box2 HistogramBars::bounds(const FrameGeometry&) const { return axes_.plot_box(); }

}  // namespace trajtool
