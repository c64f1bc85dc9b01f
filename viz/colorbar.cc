#include "viz/colorbar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/axes.h"
#include "viz/text.h"

namespace trajtool {
namespace {

constexpr int kGradientStops = 256;
constexpr double kTickLength = 0.08;  // scene units, to the right of the bar
constexpr double kLabelGap = 0.06;

}  // namespace

std::string format_level(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", value);
  std::string text = buf;
  if (text[0] == '-') text = "−" + text.substr(1);
  return text;
}

Colorbar::Colorbar(ContourLevels levels, Box2 bar, ColorbarStyle style)
    : levels_(std::move(levels)), bar_(bar), style_(std::move(style)) {
  // Labelled values: decades for log spacing when at least two fit, else the levels themselves,
  // thinned so that labels do not overlap.
  // With a shift the decades of (value + shift) are not round values: label the levels then.
  if (levels_.spacing == LevelSpacing::kLog && levels_.shift == 0) {
    labelled_ = log_ticks(levels_.low, levels_.high);
  }
  const bool decades = labelled_.size() >= 2;
  if (!decades) {
    labelled_.clear();
    const double label_height = style_.tick_points * 8.0 / 720.0 * 1.3;
    const size_t n = levels_.values.size();
    const double spacing = n > 0 ? bar_.height() / static_cast<double>(n + 1) : bar_.height();
    const size_t every =
        std::max<size_t>(1, static_cast<size_t>(std::ceil(label_height / spacing)));
    for (size_t k = 0; k < n; k += every) labelled_.push_back(levels_.values[k]);
  }
  TextStyle tick_style;
  tick_style.points = style_.tick_points;
  tick_style.color = style_.color;
  // Log ticks read all as powers or all as numbers (log_tick_labels), never a mix.
  const std::vector<std::string> log_labels =
      decades ? log_tick_labels(labelled_) : std::vector<std::string>{};
  for (std::size_t k = 0; k < labelled_.size(); ++k) {
    const double v = labelled_[k];
    const std::string text = decades ? log_labels[k] : format_level(v);
    texts_.push_back(std::make_shared<Text>(
        text, tick_style, Vec2{bar_.right + kTickLength + kLabelGap, value_to_y(v)},
        Anchor::kLeft));
  }
  if (!style_.title.empty()) {
    TextStyle title_style = tick_style;
    title_style.points = style_.title_points;
    // From the bar's left edge rightwards, over the labels: a long title ("final loss") centred
    // on the narrow bar would reach back over the plot on its left.
    texts_.push_back(std::make_shared<Text>(style_.title, title_style,
                                            Vec2{bar_.left, bar_.top + 0.15}, Anchor::kBottomLeft));
  }
}

double Colorbar::value_to_y(double value) const {
  return bar_.bottom + levels_.fraction(value) * bar_.height();
}

void Colorbar::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double alpha = state.opacity * std::clamp(state.reveal, 0.0, 1.0);
  if (alpha <= 0) return;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, bar_.center());
  const double left = geo.to_px_x(bar_.left);
  const double right = geo.to_px_x(bar_.right);
  const double top = geo.to_px_y(bar_.top);
  const double bottom = geo.to_px_y(bar_.bottom);
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, bottom, 0, top);
  for (int k = 0; k < kGradientStops; ++k) {
    const double t = k / (kGradientStops - 1.0);
    const Rgba c = style_.colormap.sample(t);
    cairo_pattern_add_color_stop_rgba(gradient, t, c.r, c.g, c.b, c.a * alpha);
  }
  cairo_rectangle(cr, left, top, right - left, bottom - top);
  cairo_set_source(cr, gradient);
  cairo_fill(cr);
  cairo_pattern_destroy(gradient);

  const Rgba& c = style_.color;
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha);
  cairo_set_line_width(cr, style_.stroke_px * geo.height_px / 720.0);
  cairo_rectangle(cr, left, top, right - left, bottom - top);
  cairo_stroke(cr);
  // A short tick at every level, a longer one at every label.
  const double tick_px = kTickLength * geo.px_per_unit();
  for (double v : levels_.values) {
    const double y = geo.to_px_y(value_to_y(v));
    cairo_move_to(cr, right, y);
    cairo_line_to(cr, right + tick_px * 0.5, y);
  }
  for (double v : labelled_) {
    const double y = geo.to_px_y(value_to_y(v));
    cairo_move_to(cr, right, y);
    cairo_line_to(cr, right + tick_px, y);
  }
  cairo_stroke(cr);
  DrawState text_state;
  text_state.opacity = alpha;
  for (const auto& text : texts_) text->draw(cr, geo, text_state);
  cairo_restore(cr);
}

Box2 Colorbar::bounds(const FrameGeometry& geo) const {
  Box2 box = bar_;
  box.right += kTickLength;
  for (const auto& text : texts_) box = united(box, text->bounds(geo));
  return box;
}

}  // namespace trajtool
