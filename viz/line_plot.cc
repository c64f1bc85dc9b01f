#include "viz/line_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "toolkit/core/error.h"
#include "viz/contours.h"
#include "viz/text.h"

namespace trajtool {
namespace {

bool usable(double x, double y, bool log_y) {
  return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0);
}

}  // namespace

Domain fit_domain(const std::vector<LineSeries>& series, bool log_y, double y_margin) {
  double x0 = std::numeric_limits<double>::infinity();
  double x1 = -x0;
  double y0 = x0;
  double y1 = -x0;
  for (const LineSeries& s : series) {
    const size_t n = std::min(s.x.size(), s.y.size());
    for (size_t i = 0; i < n; ++i) {
      if (!usable(s.x[i], s.y[i], log_y)) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  }
  if (!(x1 >= x0)) throw InputError("line plot: no finite points to plot");
  if (x1 == x0) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  if (log_y) {
    if (y1 == y0) {
      y0 /= 2;
      y1 *= 2;
    }
    const double f = std::pow(y1 / y0, y_margin);
    return {x0, x1, y0 / f, y1 * f};
  }
  if (y1 == y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const double m = (y1 - y0) * y_margin;
  return {x0, x1, y0 - m, y1 + m};
}

LinePlot::LinePlot(std::vector<LineSeries> series, Box2 box, LinePlotStyle style)
    : LinePlot(series, box, style, fit_domain(series, style.axes.log_y, style.y_margin)) {}

LinePlot::LinePlot(std::vector<LineSeries> series, Box2 box, LinePlotStyle style, Domain domain)
    : series_(std::move(series)), style_(std::move(style)), axes_(domain, box, style_.axes) {}

void LinePlot::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0) return;
  DrawState whole = state;
  whole.reveal = 1;
  axes_.draw(cr, geo, whole);
  const double reveal = std::clamp(state.reveal, 0.0, 1.0);
  if (reveal <= 0) return;
  const Domain& d = axes_.domain();
  const double x_end = d.x_min + reveal * (d.x_max - d.x_min);
  const bool log_y = style_.axes.log_y;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  auto to_px = [&](double x, double y) {
    const Vec2 p = axes_.data_to_scene(x, y);
    return Vec2{geo.to_px_x(p.x), geo.to_px_y(p.y)};
  };
  for (const LineSeries& s : series_) {
    cairo_save(cr);
    clip_to_plot_box(cr, geo, axes_);
    const Rgba& c = s.color;
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * state.opacity);
    cairo_set_line_width(cr, s.stroke_px * geo.height_px / 720.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    const size_t n = std::min(s.x.size(), s.y.size());
    bool pen_down = false;
    bool have_end = false;
    Vec2 end;  // data coordinates of the last drawn point
    for (size_t i = 0; i < n; ++i) {
      if (!usable(s.x[i], s.y[i], log_y)) {
        pen_down = false;
        continue;
      }
      double x = s.x[i];
      double y = s.y[i];
      bool last = false;
      if (x > x_end) {
        if (!pen_down || !have_end) break;
        // Interpolate the piece that crosses the reveal front (in the drawn y scale).
        const double t = (x_end - end.x) / (x - end.x);
        if (log_y) {
          y = std::pow(10.0, std::log10(end.y) + t * (std::log10(y) - std::log10(end.y)));
        } else {
          y = end.y + t * (y - end.y);
        }
        x = x_end;
        last = true;
      }
      const Vec2 p = to_px(x, y);
      if (pen_down) {
        cairo_line_to(cr, p.x, p.y);
      } else {
        cairo_move_to(cr, p.x, p.y);
      }
      pen_down = true;
      have_end = true;
      end = {x, y};
      if (last) break;
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    if (have_end && !s.label.empty()) {
      TextStyle ts;
      ts.points = style_.label_points;
      ts.color = s.color;
      const Vec2 p = axes_.data_to_scene(end.x, end.y);
      Text label(s.label, ts, Vec2{p.x + 0.1, p.y}, Anchor::kLeft);
      DrawState text_state;
      text_state.opacity = state.opacity;
      label.draw(cr, geo, text_state);
    }
  }
  cairo_restore(cr);
}

Box2 LinePlot::bounds(const FrameGeometry& geo) const {
  Box2 box = axes_.bounds(geo);
  // End labels may stick out on the right.
  TextStyle ts;
  ts.points = style_.label_points;
  double widest = 0;
  for (const LineSeries& s : series_) {
    if (!s.label.empty()) widest = std::max(widest, measure_text(s.label, ts, geo).width());
  }
  if (widest > 0) box.right = std::max(box.right, axes_.plot_box().right + 0.1 + widest);
  return box;
}

}  // namespace trajtool
