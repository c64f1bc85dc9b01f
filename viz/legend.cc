#include "viz/legend.h"

#include <algorithm>
#include <cmath>

#include "viz/axes.h"
#include "viz/shapes.h"

namespace trajtool {

Legend::Legend(std::vector<LegendEntry> entries, LegendStyle style, Vec2 position, Anchor anchor)
    : style_(std::move(style)) {
  // Text extents are resolution independent, so a reference geometry lays the legend out.
  const FrameGeometry ref;
  TextStyle label_style;
  label_style.points = style_.points;
  label_style.color = style_.text_color;
  TextStyle title_style = label_style;
  title_style.points = style_.title_points;
  title_style.bold = true;

  std::vector<Box2> sizes;
  double row_height = 0;
  for (const LegendEntry& e : entries) {
    sizes.push_back(measure_text(e.label, label_style, ref));
    row_height = std::max(row_height, sizes.back().height());
  }
  const double entry_extra = style_.sample_length + style_.sample_gap;
  double content_w = 0;
  double content_h = 0;
  if (style_.layout == LegendLayout::kVertical) {
    for (const Box2& s : sizes) content_w = std::max(content_w, entry_extra + s.width());
    const double n = static_cast<double>(sizes.size());
    content_h = n * row_height + std::max(0.0, n - 1) * style_.row_gap;
  } else {
    for (size_t i = 0; i < sizes.size(); ++i) {
      content_w += entry_extra + sizes[i].width() + (i > 0 ? style_.column_gap : 0);
    }
    content_h = sizes.empty() ? 0 : row_height;
  }
  Box2 title_size;
  if (!style_.title.empty()) {
    title_size = measure_text(style_.title, title_style, ref);
    content_w = std::max(content_w, title_size.width());
    content_h += title_size.height() + (entries.empty() ? 0 : style_.row_gap);
  }
  box_ =
      place_box(content_w + 2 * style_.padding, content_h + 2 * style_.padding, position, anchor);

  double y = box_.top - style_.padding;  // top of the next line
  const double x = box_.left + style_.padding;
  if (!style_.title.empty()) {
    title_ = std::make_shared<Text>(style_.title, title_style, Vec2{x, y}, Anchor::kTopLeft);
    y -= title_size.height() + style_.row_gap;
  }
  double cx = x;
  for (size_t i = 0; i < entries.size(); ++i) {
    Row row;
    row.entry = entries[i];
    const double mid = y - row_height / 2;
    row.sample_start = {cx, mid};
    row.sample_end = {cx + style_.sample_length, mid};
    row.label = std::make_shared<Text>(entries[i].label, label_style, Vec2{cx + entry_extra, mid},
                                       Anchor::kLeft);
    rows_.push_back(std::move(row));
    if (style_.layout == LegendLayout::kVertical) {
      y -= row_height + style_.row_gap;
    } else {
      cx += entry_extra + sizes[i].width() + style_.column_gap;
    }
  }
}

MobjectPtr Legend::frame() const {
  return std::make_shared<RoundedBox>(box_, style_.background, style_.border, 1.5, 0.08);
}

std::shared_ptr<Legend> Legend::entry_alone(size_t index) const {
  LegendStyle bare = style_;
  bare.background = {0, 0, 0, 0};
  bare.border = {0, 0, 0, 0};
  bare.title.clear();
  const Row& row = rows_[index];
  return std::make_shared<Legend>(std::vector<LegendEntry>{row.entry}, bare,
                                  Vec2{row.sample_start.x - bare.padding, row.sample_start.y},
                                  Anchor::kLeft);
}

void Legend::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double alpha = state.opacity * std::clamp(state.reveal, 0.0, 1.0);
  if (alpha <= 0) return;
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, box_.center());
  const double scale = geo.height_px / 720.0;
  DrawState text_state;
  text_state.opacity = alpha;
  frame()->draw(cr, geo, text_state);

  if (title_) title_->draw(cr, geo, text_state);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  for (const Row& row : rows_) {
    const Rgba& c = row.entry.color;
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha);
    const double width = row.entry.stroke_px * scale;
    cairo_set_line_width(cr, width);
    if (row.entry.dashed) {
      const double dash[] = {2.5 * width, 2 * width};
      cairo_set_dash(cr, dash, 2, 0);
    }
    const double y = geo.to_px_y(row.sample_start.y);
    const double x0 = geo.to_px_x(row.sample_start.x);
    const double x1 = geo.to_px_x(row.sample_end.x);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    if (row.entry.marker) {
      cairo_arc(cr, (x0 + x1) / 2, y, 1.6 * width, 0, 2 * M_PI);
      cairo_fill(cr);
    }
    row.label->draw(cr, geo, text_state);
  }
  cairo_restore(cr);
}

Box2 Legend::bounds(const FrameGeometry&) const { return box_; }

std::shared_ptr<Legend> legend_fitting(const std::vector<LegendEntry>& entries, LegendStyle style,
                                       Vec2 position, Anchor anchor, double right,
                                       const FrameGeometry& geo) {
  for (;; style.points -= 1) {
    auto legend = std::make_shared<Legend>(entries, style, position, anchor);
    if (legend->bounds(geo).right <= right || style.points <= 12) return legend;
  }
}

}  // namespace trajtool
