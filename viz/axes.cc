#include "viz/axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "toolkit/core/error.h"
#include "viz/text.h"

namespace trajtool {
namespace {

constexpr double kLabelGap = 0.08;  // scene units between a tick and its label

// Scene units per point of font size (resolution independent: font_px / px_per_unit).
double units_per_point() { return FrameGeometry{}.font_px(1) / FrameGeometry{}.px_per_unit(); }

std::string superscript(int n) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out = n < 0 ? "⁻" : "";
  const std::string digits = std::to_string(std::abs(n));
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}

void set_color(cairo_t* cr, Rgba c, double opacity) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

}  // namespace

double nice_step(double span, int target) {
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / magnitude;
  // The 1-2-5 step closest (in ratio) to the raw step.
  double best = 1;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (std::abs(std::log(m / r)) < std::abs(std::log(best / r))) best = m;
  }
  return best * magnitude;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double step = nice_step(hi - lo, target);
  const double eps = step * 1e-9;
  const double first = std::ceil((lo - eps) / step);
  const double last = std::floor((hi + eps) / step);
  for (double k = first; k <= last; k += 1) {
    double v = k * step;
    if (std::abs(v) < eps) v = 0;  // no "-0"
    ticks.push_back(v);
  }
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi > lo)) return ticks;
  const int k0 = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int k1 = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  for (int k = k0; k <= k1; ++k) ticks.push_back(std::pow(10.0, k));
  if (ticks.size() >= 2) return ticks;
  // Less than a decade: 1-2-5 multiples, and if that still gives fewer than two, every multiple.
  for (const std::vector<double>& multiples :
       {std::vector<double>{1, 2, 5}, std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
    ticks.clear();
    for (int k = k0 - 1; k <= k1; ++k) {
      for (double m : multiples) {
        const double v = m * std::pow(10.0, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
      }
    }
    if (ticks.size() >= 2) break;
  }
  return ticks;
}

std::vector<double> every_nth_decade(const std::vector<double>& ticks, int stride) {
  if (stride <= 1) return ticks;
  std::vector<double> kept;
  for (double tick : ticks) {
    const long exponent = std::lround(std::log10(tick));
    if (exponent % stride == 0) kept.push_back(tick);
  }
  return kept;
}

std::string format_tick(double value, double step) {
  int decimals = 0;
  if (step > 0 && step < 1) decimals = static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  decimals = std::clamp(decimals, 0, 12);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string text = buf;
  if (text[0] == '-') {
    // "-0.0" is zero; otherwise use the Unicode minus sign.
    if (text.find_first_not_of("-0.") == std::string::npos) return text.substr(1);
    return "−" + text.substr(1);
  }
  return text;
}

std::string format_power_of_ten(double value) {
  const int k = static_cast<int>(std::lround(std::log10(value)));
  if (std::fabs(std::log10(value) - k) > 1e-9) {
    // A 2x or 5x tick of a short log axis: the number itself ("2", "50", "0.05").
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
  }
  if (k == 0) return "1";
  if (k == 1) return "10";
  return "10" + superscript(k);
}

std::vector<std::string> log_tick_labels(const std::vector<double>& ticks) {
  const bool decades = std::all_of(ticks.begin(), ticks.end(), [](double v) {
    return std::fabs(std::log10(v) - std::round(std::log10(v))) < 1e-9;
  });
  std::vector<std::string> labels;
  for (double v : ticks) {
    if (decades) {
      labels.push_back(format_power_of_ten(v));
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%g", v);
      labels.push_back(buffer);
    }
  }
  return labels;
}

void apply_draw_transform(cairo_t* cr, const FrameGeometry& geo, const DrawState& state,
                          Vec2 centre) {
  const double ppu = geo.px_per_unit();
  cairo_translate(cr, state.shift.x * ppu, -state.shift.y * ppu);
  if (state.scale != 1) {
    const double cx = geo.to_px_x(centre.x);
    const double cy = geo.to_px_y(centre.y);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, state.scale, state.scale);
    cairo_translate(cr, -cx, -cy);
  }
}

Axes::Axes(Domain domain, Box2 box, AxesStyle style)
    : domain_(domain), plot_box_(box), style_(std::move(style)) {
  if (!(domain_.x_max > domain_.x_min) || !(domain_.y_max > domain_.y_min) ||
      !std::isfinite(domain_.x_min) || !std::isfinite(domain_.x_max) ||
      !std::isfinite(domain_.y_min) || !std::isfinite(domain_.y_max)) {
    throw InputError("axes: the domain must be finite and non-empty");
  }
  if (!(box.width() > 0) || !(box.height() > 0)) {
    throw InputError("axes: the plot box must have a positive size");
  }
  if (style_.log_y && !(domain_.y_min > 0)) {
    throw InputError("axes: a log y axis needs y_min > 0");
  }
  if (style_.equal_aspect && !style_.log_y) {
    const double data_aspect = (domain_.x_max - domain_.x_min) / (domain_.y_max - domain_.y_min);
    const Vec2 c = box.center();
    double w = box.width();
    double h = box.height();
    if (w / h > data_aspect) {
      w = h * data_aspect;
    } else {
      h = w / data_aspect;
    }
    plot_box_ = {c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2};
  }

  x_ticks_ = nice_ticks(domain_.x_min, domain_.x_max, style_.x_ticks);
  y_ticks_ = style_.log_y ? log_ticks(domain_.y_min, domain_.y_max)
                          : nice_ticks(domain_.y_min, domain_.y_max, style_.y_ticks);
  const bool decades_only = std::all_of(y_ticks_.begin(), y_ticks_.end(), [](double tick) {
    return std::fabs(std::log10(tick) - std::round(std::log10(tick))) < 1e-9;
  });
  if (style_.log_y && decades_only && y_ticks_.size() > 2) {
    // Decades closer than 1.4 label heights (a label is points / 90 units high: font_px = points
    // * height / 720 of an 8-unit frame) would overlap: keep every n-th.
    const double per_decade =
        plot_box_.height() / (std::log10(domain_.y_max) - std::log10(domain_.y_min));
    const double min_gap = 1.4 * style_.tick_points / 90.0;
    y_ticks_ = every_nth_decade(y_ticks_, static_cast<int>(std::ceil(min_gap / per_decade - 1e-9)));
  }

  TextStyle tick_style;
  tick_style.points = style_.tick_points;
  tick_style.color = style_.color;
  const double out = style_.tick_length + kLabelGap;
  const double x_step = nice_step(domain_.x_max - domain_.x_min, style_.x_ticks);
  const double y_step = nice_step(domain_.y_max - domain_.y_min, style_.y_ticks);
  for (double x : x_ticks_) {
    const Vec2 p = data_to_scene(x, domain_.y_min);
    labels_.push_back(std::make_shared<Text>(format_tick(x, x_step), tick_style,
                                             Vec2{p.x, plot_box_.bottom - out}, Anchor::kTop));
  }
  double y_label_width = 0;
  const std::vector<std::string> log_labels =
      style_.log_y ? log_tick_labels(y_ticks_) : std::vector<std::string>{};
  for (std::size_t k = 0; k < y_ticks_.size(); ++k) {
    const double y = y_ticks_[k];
    const Vec2 p = data_to_scene(domain_.x_min, y);
    const std::string text = style_.log_y ? log_labels[k] : format_tick(y, y_step);
    y_label_width =
        std::max(y_label_width, measure_text(text, tick_style, FrameGeometry{}).width());
    labels_.push_back(
        std::make_shared<Text>(text, tick_style, Vec2{plot_box_.left - out, p.y}, Anchor::kRight));
  }
  TextStyle label_style = tick_style;
  label_style.points = style_.label_points;
  const double tick_text_height = style_.tick_points * units_per_point() * 1.25;
  if (!style_.x_label.empty()) {
    labels_.push_back(std::make_shared<Text>(
        style_.x_label, label_style,
        Vec2{plot_box_.center().x, plot_box_.bottom - out - tick_text_height - kLabelGap},
        Anchor::kTop));
  }
  if (!style_.y_label.empty()) {
    labels_.push_back(std::make_shared<Text>(
        style_.y_label, label_style,
        Vec2{plot_box_.left - out - y_label_width - 2 * kLabelGap, plot_box_.center().y},
        Anchor::kRight));
  }
}

Vec2 Axes::data_to_scene(double x, double y) const {
  const double fx = (x - domain_.x_min) / (domain_.x_max - domain_.x_min);
  double fy = 0;
  if (style_.log_y) {
    fy = (std::log10(y) - std::log10(domain_.y_min)) /
         (std::log10(domain_.y_max) - std::log10(domain_.y_min));
  } else {
    fy = (y - domain_.y_min) / (domain_.y_max - domain_.y_min);
  }
  return {plot_box_.left + fx * plot_box_.width(), plot_box_.bottom + fy * plot_box_.height()};
}

Vec2 Axes::scene_to_data(Vec2 p) const {
  const double fx = (p.x - plot_box_.left) / plot_box_.width();
  const double fy = (p.y - plot_box_.bottom) / plot_box_.height();
  const double x = domain_.x_min + fx * (domain_.x_max - domain_.x_min);
  double y = 0;
  if (style_.log_y) {
    const double a = std::log10(domain_.y_min);
    const double b = std::log10(domain_.y_max);
    y = std::pow(10.0, a + fy * (b - a));
  } else {
    y = domain_.y_min + fy * (domain_.y_max - domain_.y_min);
  }
  return {x, y};
}

void Axes::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0) return;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, plot_box_.center());
  const double scale = geo.height_px / 720.0;
  const double left = geo.to_px_x(plot_box_.left);
  const double right = geo.to_px_x(plot_box_.right);
  const double top = geo.to_px_y(plot_box_.top);
  const double bottom = geo.to_px_y(plot_box_.bottom);

  if (style_.grid_color.a > 0) {
    set_color(cr, style_.grid_color, state.opacity);
    cairo_set_line_width(cr, std::max(1.0, style_.stroke_px * scale / 2));
    for (double x : x_ticks_) {
      const double px = geo.to_px_x(data_to_scene(x, domain_.y_min).x);
      cairo_move_to(cr, px, top);
      cairo_line_to(cr, px, bottom);
    }
    for (double y : y_ticks_) {
      const double py = geo.to_px_y(data_to_scene(domain_.x_min, y).y);
      cairo_move_to(cr, left, py);
      cairo_line_to(cr, right, py);
    }
    cairo_stroke(cr);
  }

  set_color(cr, style_.color, state.opacity);
  cairo_set_line_width(cr, style_.stroke_px * scale);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  if (style_.frame) {
    cairo_rectangle(cr, left, top, right - left, bottom - top);
  } else {
    cairo_move_to(cr, left, top);
    cairo_line_to(cr, left, bottom);
    cairo_line_to(cr, right, bottom);
  }
  cairo_stroke(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  const double tick_px = style_.tick_length * geo.px_per_unit();
  for (double x : x_ticks_) {
    const double px = geo.to_px_x(data_to_scene(x, domain_.y_min).x);
    cairo_move_to(cr, px, bottom);
    cairo_line_to(cr, px, bottom + tick_px);
  }
  for (double y : y_ticks_) {
    const double py = geo.to_px_y(data_to_scene(domain_.x_min, y).y);
    cairo_move_to(cr, left, py);
    cairo_line_to(cr, left - tick_px, py);
  }
  cairo_stroke(cr);

  DrawState text_state;
  text_state.opacity = state.opacity;
  for (const auto& label : labels_) label->draw(cr, geo, text_state);
  cairo_restore(cr);
}

Box2 Axes::bounds(const FrameGeometry& geo) const {
  Box2 box = plot_box_;
  box.bottom -= style_.tick_length;
  box.left -= style_.tick_length;
  for (const auto& label : labels_) box = united(box, label->bounds(geo));
  return box;
}

}  // namespace trajtool
