#include "viz/metric_curve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "viz/shapes.h"
#include "viz/text.h"

namespace trajtool {
namespace {

// Pixel points of (step, value) on the axes; values a log axis cannot show become breaks.
std::vector<SeriesPoint> to_pixels(const Axes& axes, const FrameGeometry& geo, bool log_y,
                                   const std::vector<double>& step,
                                   const std::vector<double>& value) {
  std::vector<SeriesPoint> out(step.size());
  const Domain& d = axes.domain();
  for (std::size_t i = 0; i < step.size(); ++i) {
    const double y = value[i];
    const bool shown = std::isfinite(y) && (!log_y || y > 0);
    const Vec2 p = axes.data_to_scene(step[i], shown ? y : (log_y ? d.y_max : d.y_min));
    out[i] = {geo.to_px_x(p.x), shown ? geo.to_px_y(p.y) : NAN};
  }
  return out;
}

// Per pixel column the lowest of `low` and the highest of `high` (a band's outline), breaks kept.
void band_columns(const std::vector<SeriesPoint>& low, const std::vector<SeriesPoint>& high,
                  std::vector<SeriesPoint>* out_low, std::vector<SeriesPoint>* out_high) {
  bool open = false;
  double column = 0;
  SeriesPoint lo, hi;
  auto flush = [&] {
    if (open) {
      out_low->push_back(lo);
      out_high->push_back(hi);
    }
    open = false;
  };
  for (std::size_t i = 0; i < low.size(); ++i) {
    // Pixel y grows downwards: the band's low edge has the larger pixel y.
    if (!std::isfinite(low[i].y) || !std::isfinite(high[i].y)) {
      flush();
      if (!out_low->empty() && std::isfinite(out_low->back().y)) {
        out_low->push_back({low[i].x, NAN});
        out_high->push_back({low[i].x, NAN});
      }
      continue;
    }
    const double c = std::floor(low[i].x);
    if (!open || c != column) {
      flush();
      open = true;
      column = c;
      lo = low[i];
      hi = high[i];
      continue;
    }
    lo.y = std::max(lo.y, low[i].y);
    hi.y = std::min(hi.y, high[i].y);
    lo.x = hi.x = low[i].x;
  }
  flush();
}

// Strokes `points` up to pixel x `upto` (the last piece interpolated), breaking at NaN.
void trace(cairo_t* cr, const std::vector<SeriesPoint>& points, double upto) {
  bool drawing = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const SeriesPoint& p = points[i];
    if (p.x > upto) {
      if (drawing && std::isfinite(p.y) && i > 0) {
        const SeriesPoint& a = points[i - 1];
        const double t = (upto - a.x) / (p.x - a.x);
        cairo_line_to(cr, upto, a.y + (p.y - a.y) * t);
      }
      break;
    }
    if (!std::isfinite(p.y)) {
      drawing = false;
      continue;
    }
    if (drawing) {
      cairo_line_to(cr, p.x, p.y);
    } else {
      cairo_move_to(cr, p.x, p.y);
      // A lone point between breaks still shows (as a round dot of the line's width).
      cairo_line_to(cr, p.x, p.y);
      drawing = true;
    }
  }
}

// A dense line (more points than pixel columns) as one filled bar per pixel column, spanning its
// points and the previous column's last point, widened by half the line width all round: it
// looks like the stroked line and fills in a fraction of the time Cairo takes to stroke thousands
// of one-pixel zig-zags.
void fill_columns(cairo_t* cr, const std::vector<SeriesPoint>& points, double upto, double width) {
  const double half = width / 2;
  bool open = false;
  double column = 0, low = 0, high = 0, last = NAN;
  auto flush = [&] {
    if (open) cairo_rectangle(cr, column - half, low - half, 1 + width, high - low + width);
    open = false;
  };
  for (const SeriesPoint& p : points) {
    if (p.x > upto) break;
    if (!std::isfinite(p.y)) {
      flush();
      last = NAN;
      continue;
    }
    const double c = std::floor(p.x);
    if (!open || c != column) {
      flush();
      open = true;
      column = c;
      low = high = p.y;
      if (std::isfinite(last)) {
        low = std::min(low, last);
        high = std::max(high, last);
      }
    }
    low = std::min(low, p.y);
    high = std::max(high, p.y);
    last = p.y;
  }
  flush();
  cairo_fill(cr);
}

// Fills the band's pieces (between breaks) up to pixel x `upto`.
void fill_band(cairo_t* cr, const std::vector<SeriesPoint>& low,
               const std::vector<SeriesPoint>& high, double upto) {
  std::size_t start = 0;
  while (start < low.size()) {
    std::size_t end = start;
    while (end < low.size() && std::isfinite(low[end].y) && low[end].x <= upto) ++end;
    if (end > start) {
      cairo_move_to(cr, low[start].x, low[start].y);
      for (std::size_t i = start + 1; i < end; ++i) cairo_line_to(cr, low[i].x, low[i].y);
      for (std::size_t i = end; i-- > start;) cairo_line_to(cr, high[i].x, high[i].y);
      cairo_close_path(cr);
    }
    if (end < low.size() && low[end].x > upto) break;
    start = end + 1;
  }
  cairo_fill(cr);
}

}  // namespace

std::string metric_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  std::string text = buffer;
  if (!text.empty() && text[0] == '-') text = "−" + text.substr(1);
  return text;
}

MetricCurve::MetricCurve(const Axes& axes, CurveData data, CurveStyle style)
    : plot_box_(axes.plot_box()),
      domain_(axes.domain()),
      axes_(axes),
      data_(std::move(data)),
      style_(style) {
  log_y_ = style_.log_y;
}

Box2 MetricCurve::bounds(const FrameGeometry&) const { return plot_box_; }

double MetricCurve::step_at(double reveal) const {
  return domain_.x_min + std::clamp(reveal, 0.0, 1.0) * (domain_.x_max - domain_.x_min);
}

std::shared_ptr<const MetricCurve::Thinned> MetricCurve::thinned(const FrameGeometry& geo) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thinned_ && thinned_geo_ == geo) return thinned_;
  auto t = std::make_shared<Thinned>();
  const double origin = geo.to_px_x(plot_box_.left);
  t->line = decimate_min_max(to_pixels(axes_, geo, log_y_, data_.step, data_.line), origin, 1);
  if (!data_.raw.empty()) {
    t->raw = decimate_min_max(to_pixels(axes_, geo, log_y_, data_.step, data_.raw), origin, 1);
  }
  if (!data_.band_low.empty()) {
    band_columns(to_pixels(axes_, geo, log_y_, data_.step, data_.band_low),
                 to_pixels(axes_, geo, log_y_, data_.step, data_.band_high), &t->band_low,
                 &t->band_high);
  }
  thinned_ = t;
  thinned_geo_ = geo;
  return t;
}

void MetricCurve::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0 || state.reveal <= 0 || data_.step.empty()) return;
  const std::shared_ptr<const Thinned> t = thinned(geo);
  const double upto = geo.to_px_x(axes_.data_to_scene(step_at(state.reveal), domain_.y_min).x);
  const Rgba c = style_.color;
  cairo_save(cr);
  const double left = geo.to_px_x(plot_box_.left), right = geo.to_px_x(plot_box_.right);
  const double top = geo.to_px_y(plot_box_.top), bottom = geo.to_px_y(plot_box_.bottom);
  // Marks of non-finite values sit on the plot's edges: clip a little outside it.
  const double mark = stroke_px(geo, 6);
  cairo_rectangle(cr, left - mark, top - 2 * mark, right - left + 2 * mark,
                  bottom - top + 4 * mark);
  cairo_clip(cr);
  // A thinned line zig-zags through every pixel column: bevel joins cost a fraction of round ones
  // (Cairo strokes each join) and look the same at one pixel per segment.
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_tolerance(cr, 0.5);
  if (!t->band_low.empty()) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * style_.band_opacity * state.opacity);
    fill_band(cr, t->band_low, t->band_high, upto);
  }
  if (!t->raw.empty()) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * style_.raw_opacity * state.opacity);
    const double raw_width = stroke_px(geo, std::max(1.0, style_.stroke_px * 0.5));
    if (static_cast<double>(t->raw.size()) > 1.5 * (right - left)) {
      fill_columns(cr, t->raw, upto, raw_width);
    } else {
      cairo_set_line_width(cr, raw_width);
      trace(cr, t->raw, upto);
      cairo_stroke(cr);
    }
  }
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * state.opacity);
  const double plot_columns = right - left;
  if (static_cast<double>(t->line.size()) > 1.5 * plot_columns) {
    fill_columns(cr, t->line, upto, stroke_px(geo, style_.stroke_px));
  } else {
    cairo_set_line_width(cr, stroke_px(geo, style_.stroke_px));
    trace(cr, t->line, upto);
    cairo_stroke(cr);
  }
  // NaN: a ring on the bottom edge; +inf / -inf: a triangle on the top / bottom edge, pointing out.
  const std::vector<double>& marked = data_.raw.empty() ? data_.line : data_.raw;
  for (std::size_t i = 0; i < marked.size(); ++i) {
    const double v = marked[i];
    if (std::isfinite(v) && (!log_y_ || v > 0)) continue;
    const double x = geo.to_px_x(axes_.data_to_scene(data_.step[i], domain_.y_min).x);
    if (x > upto) break;
    cairo_new_path(cr);
    if (std::isnan(v) || (std::isfinite(v) && v <= 0)) {
      cairo_arc(cr, x, bottom - mark * 0.9, mark * 0.6, 0, 2 * M_PI);
      cairo_set_line_width(cr, stroke_px(geo, 1.5));
      cairo_stroke(cr);
    } else {
      const double edge = v > 0 ? top : bottom;
      const double tip = v > 0 ? -mark : mark;
      cairo_move_to(cr, x - mark * 0.6, edge);
      cairo_line_to(cr, x + mark * 0.6, edge);
      cairo_line_to(cr, x, edge + tip);
      cairo_close_path(cr);
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
}

MetricReadouts::MetricReadouts(const Axes& axes, std::vector<ReadoutSeries> series, double points)
    : axes_(axes), points_(points) {
  for (ReadoutSeries& s : series) {
    ReadoutSeries kept;
    kept.color = s.color;
    for (std::size_t i = 0; i < s.step.size(); ++i) {
      if (!std::isfinite(s.value[i])) continue;
      kept.step.push_back(s.step[i]);
      kept.value.push_back(s.value[i]);
    }
    series_.push_back(std::move(kept));
  }
}

Box2 MetricReadouts::bounds(const FrameGeometry&) const { return axes_.plot_box(); }

long MetricReadouts::index_at(std::size_t k, double reveal) const {
  const Domain& d = axes_.domain();
  const double upto = d.x_min + std::clamp(reveal, 0.0, 1.0) * (d.x_max - d.x_min);
  const std::vector<double>& step = series_[k].step;
  const auto it = std::upper_bound(step.begin(), step.end(), upto + 1e-9 * (d.x_max - d.x_min));
  return static_cast<long>(it - step.begin()) - 1;
}

std::string MetricReadouts::value_text(std::size_t k, long index) const {
  return metric_number(series_[k].value[static_cast<std::size_t>(index)]);
}

Vec2 MetricReadouts::dot_at(std::size_t k, long index) const {
  const auto i = static_cast<std::size_t>(index);
  const Box2 box = axes_.plot_box();
  Vec2 at = axes_.data_to_scene(series_[k].step[i], series_[k].value[i]);
  at.y = std::clamp(at.y, box.bottom, box.top);
  return at;
}

void MetricReadouts::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0 || state.reveal <= 0) return;
  const Box2 box = axes_.plot_box();
  TextStyle style;
  style.points = points_;
  style.family = "DejaVu Sans Mono";
  struct Shown {
    std::size_t k;
    Vec2 dot;
    std::string text;
    Box2 size;
    double y;  // the label's centre
  };
  std::vector<Shown> shown;
  for (std::size_t k = 0; k < series_.size(); ++k) {
    const long index = index_at(k, state.reveal);
    if (index < 0) continue;
    Shown s{k, dot_at(k, index), value_text(k, index), {}, 0};
    s.size = measure_text(s.text, style, geo);
    s.y = s.dot.y + 0.14 + s.size.height() / 2;
    shown.push_back(s);
  }
  // Labels in order of height, each at least a label's height above the one below it, all inside
  // the plot (pushed down from the top if need be).
  std::sort(shown.begin(), shown.end(), [](const Shown& a, const Shown& b) { return a.y < b.y; });
  const double pad = 0.05;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const double h = shown[i].size.height() + 2 * pad + 0.02;
    shown[i].y = std::max(shown[i].y, box.bottom + h / 2);
    if (i > 0) shown[i].y = std::max(shown[i].y, shown[i - 1].y + h);
  }
  for (std::size_t i = shown.size(); i-- > 0;) {
    const double h = shown[i].size.height() + 2 * pad + 0.02;
    shown[i].y = std::min(shown[i].y, box.top - h / 2);
    if (i + 1 < shown.size()) shown[i].y = std::min(shown[i].y, shown[i + 1].y - h);
  }
  DrawState rest = state;
  rest.reveal = 1;
  for (const Shown& s : shown) {
    const Rgba color = series_[s.k].color;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_arc(cr, geo.to_px_x(s.dot.x), geo.to_px_y(s.dot.y), stroke_px(geo, 7), 0, 2 * M_PI);
    cairo_set_source_rgba(cr, color.r, color.g, color.b, color.a * state.opacity);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9 * state.opacity);
    cairo_set_line_width(cr, stroke_px(geo, 1.5));
    cairo_stroke(cr);
    cairo_restore(cr);
    // Right of the dot, or left of it near the plot's right edge.
    double left = s.dot.x + 0.16;
    if (left + s.size.width() > box.right) left = s.dot.x - 0.16 - s.size.width();
    const double bottom = s.y - s.size.height() / 2;
    RoundedBox back(
        {left - pad, bottom - pad, left + s.size.width() + pad, bottom + s.size.height() + pad},
        Rgba{0.06, 0.06, 0.08, 0.75}, Rgba{0, 0, 0, 0}, 0, 0.05);
    back.draw(cr, geo, rest);
    style.color = color;
    Text(s.text, style, {left, bottom}, Anchor::kBottomLeft).draw(cr, geo, rest);
  }
}

MetricStepCounter::MetricStepCounter(const Axes& axes, std::vector<double> steps, Vec2 position,
                                     Anchor anchor, double points)
    : domain_(axes.domain()), steps_(std::move(steps)), points_(points) {
  std::sort(steps_.begin(), steps_.end());
  steps_.erase(std::unique(steps_.begin(), steps_.end()), steps_.end());
  TextStyle style;
  style.points = points_;
  style.family = "DejaVu Sans Mono";
  const Box2 widest = measure_text(text_at(1), style, FrameGeometry{});
  box_ = place_box(widest.width(), widest.height(), position, anchor);
}

std::string MetricStepCounter::text_at(double reveal) const {
  const double upto =
      domain_.x_min + std::clamp(reveal, 0.0, 1.0) * (domain_.x_max - domain_.x_min);
  const auto it =
      std::upper_bound(steps_.begin(), steps_.end(), upto + 1e-9 * (domain_.x_max - domain_.x_min));
  char buffer[96];
  const double last = steps_.empty() ? 0 : steps_.back();
  const double now = it == steps_.begin() ? domain_.x_min : *(it - 1);
  // Pad to the last step's width so the text keeps its place as digits are added.
  char last_text[48];
  std::snprintf(last_text, sizeof last_text, "%.10g", last);
  std::snprintf(buffer, sizeof buffer, "step %*.10g / %s", static_cast<int>(std::strlen(last_text)),
                now, last_text);
  return buffer;
}

Box2 MetricStepCounter::bounds(const FrameGeometry&) const { return box_; }

void MetricStepCounter::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  TextStyle style;
  style.points = points_;
  style.color = {0.93, 0.93, 0.93, 1};
  style.family = "DejaVu Sans Mono";
  DrawState shown = state;
  shown.reveal = 1;
  Text(text_at(state.reveal), style, {box_.left, box_.top}, Anchor::kTopLeft).draw(cr, geo, shown);
}

}  // namespace trajtool
