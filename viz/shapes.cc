#include "viz/shapes.h"

#include <algorithm>
#include <cmath>

namespace trajtool {
namespace {

void set_color(cairo_t* cr, const Rgba& c, double opacity) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

// Where scene point `p` of an object centred at `c` goes under `s`, in pixels.
struct Placer {
  const FrameGeometry& geo;
  Vec2 c;
  const DrawState& s;
  double x(Vec2 p) const { return geo.to_px_x(c.x + (p.x - c.x) * s.scale + s.shift.x); }
  double y(Vec2 p) const { return geo.to_px_y(c.y + (p.y - c.y) * s.scale + s.shift.y); }
};

bool invisible(const DrawState& s) { return s.opacity <= 0 || s.reveal <= 0 || s.scale <= 0; }

double distance(Vec2 a, Vec2 b) { return std::hypot(b.x - a.x, b.y - a.y); }

Box2 box_around(Vec2 c, double r) { return {c.x - r, c.y - r, c.x + r, c.y + r}; }

}  // namespace

// ---- Dot ----

Dot::Dot(Vec2 center, double radius, Rgba color, Rgba outline, double outline_px)
    : center_(center), radius_(radius), color_(color), outline_(outline), outline_px_(outline_px) {}

void Dot::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state)) return;
  const double opacity = state.opacity * std::min(1.0, state.reveal);
  const Placer at{geo, center_, state};
  const double r = radius_ * state.scale * geo.px_per_unit();
  cairo_new_path(cr);
  cairo_arc(cr, at.x(center_), at.y(center_), r, 0, 2 * M_PI);
  fill_and_ring(cr, geo, opacity);
}

void Dot::fill_and_ring(cairo_t* cr, const FrameGeometry& geo, double opacity) const {
  set_color(cr, color_, opacity);
  if (outline_px_ > 0 && outline_.a > 0) {
    cairo_fill_preserve(cr);
    set_color(cr, outline_, opacity);
    cairo_set_line_width(cr, stroke_px(geo, outline_px_));
    cairo_stroke(cr);
  } else {
    cairo_fill(cr);
  }
}

Box2 Dot::bounds(const FrameGeometry& geo) const {
  const double ring = outline_px_ > 0 ? stroke_px(geo, outline_px_) / 2 / geo.px_per_unit() : 0;
  return box_around(center_, radius_ + ring);
}

// ---- Star ----

void Star::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state)) return;
  const double opacity = state.opacity * std::min(1.0, state.reveal);
  const Placer at{geo, center_, state};
  const double r = radius_ * state.scale * geo.px_per_unit();
  const double cx = at.x(center_), cy = at.y(center_);
  cairo_new_path(cr);
  for (int k = 0; k < 10; ++k) {  // points and inner corners in turn, from the top
    const double a = M_PI / 2 + k * M_PI / 5, reach = k % 2 == 0 ? r : 0.45 * r;
    const double x = cx + reach * std::cos(a), y = cy - reach * std::sin(a);
    if (k == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  fill_and_ring(cr, geo, opacity);
}

// ---- Polyline ----

Polyline::Polyline(std::vector<Vec2> points, Rgba color, double width_px, bool closed)
    : points_(std::move(points)), color_(color), width_px_(width_px) {
  if (closed && points_.size() > 2) points_.push_back(points_.front());
  double total = 0;
  for (size_t i = 0; i < points_.size(); ++i) {
    if (i > 0) total += distance(points_[i - 1], points_[i]);
    cumulative_.push_back(total);
  }
  if (!points_.empty()) {
    box_ = {points_[0].x, points_[0].y, points_[0].x, points_[0].y};
    for (const Vec2& p : points_) {
      box_.left = std::min(box_.left, p.x);
      box_.right = std::max(box_.right, p.x);
      box_.bottom = std::min(box_.bottom, p.y);
      box_.top = std::max(box_.top, p.y);
    }
  }
}

void Polyline::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state) || points_.size() < 2) return;
  const Placer at{geo, box_.center(), state};
  const double reveal = std::min(1.0, state.reveal);
  const double target = reveal * length();
  cairo_new_path(cr);
  cairo_move_to(cr, at.x(points_[0]), at.y(points_[0]));
  for (size_t i = 1; i < points_.size(); ++i) {
    if (cumulative_[i] <= target) {
      cairo_line_to(cr, at.x(points_[i]), at.y(points_[i]));
      continue;
    }
    const double seg = cumulative_[i] - cumulative_[i - 1];
    const double u = seg > 0 ? (target - cumulative_[i - 1]) / seg : 0;
    const Vec2 end = points_[i - 1] + (points_[i] - points_[i - 1]) * u;
    cairo_line_to(cr, at.x(end), at.y(end));
    break;
  }
  // A fully revealed closed path joins its ends.
  if (reveal >= 1 && points_.size() > 2 && points_.front().x == points_.back().x &&
      points_.front().y == points_.back().y) {
    cairo_close_path(cr);
  }
  set_color(cr, color_, state.opacity);
  cairo_set_line_width(cr, stroke_px(geo, width_px_));
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
}

Box2 Polyline::bounds(const FrameGeometry&) const { return box_; }

Line::Line(Vec2 start, Vec2 end, Rgba color, double width_px)
    : Polyline({start, end}, color, width_px) {}

// ---- Arrow ----

Arrow::Arrow(Vec2 start, Vec2 end, Rgba color, double width_px, double tip_length)
    : start_(start), end_(end), color_(color), width_px_(width_px), tip_length_(tip_length) {}

void Arrow::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state)) return;
  const double full = distance(start_, end_);
  if (full <= 0) return;
  const double f = state.scale * std::min(1.0, state.reveal);
  const Vec2 dir = (end_ - start_) * (1.0 / full);
  const Vec2 normal{-dir.y, dir.x};
  const Vec2 a = start_ + state.shift;
  const Vec2 tip = a + dir * (full * f);
  const double tip_len = std::min(tip_length_, full / 4) * f;
  const Vec2 base = tip - dir * tip_len;
  set_color(cr, color_, state.opacity);
  cairo_new_path(cr);
  cairo_move_to(cr, geo.to_px_x(a.x), geo.to_px_y(a.y));
  cairo_line_to(cr, geo.to_px_x(base.x), geo.to_px_y(base.y));
  cairo_set_line_width(cr, stroke_px(geo, width_px_));
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  cairo_stroke(cr);
  const Vec2 left = base + normal * (tip_len * 0.45);
  const Vec2 right = base - normal * (tip_len * 0.45);
  cairo_move_to(cr, geo.to_px_x(tip.x), geo.to_px_y(tip.y));
  cairo_line_to(cr, geo.to_px_x(left.x), geo.to_px_y(left.y));
  cairo_line_to(cr, geo.to_px_x(right.x), geo.to_px_y(right.y));
  cairo_close_path(cr);
  cairo_fill(cr);
}

Box2 Arrow::bounds(const FrameGeometry&) const {
  const double half_tip = std::min(tip_length_, distance(start_, end_) / 4) * 0.45;
  return {std::min(start_.x, end_.x) - half_tip, std::min(start_.y, end_.y) - half_tip,
          std::max(start_.x, end_.x) + half_tip, std::max(start_.y, end_.y) + half_tip};
}

// ---- Rectangle ----

Rectangle::Rectangle(Box2 box, Rgba fill, Rgba stroke, double stroke_width_px, double corner_radius)
    : box_(box),
      fill_(fill),
      stroke_(stroke),
      stroke_width_px_(stroke_width_px),
      corner_radius_(std::max(0.0, std::min({corner_radius, box.width() / 2, box.height() / 2}))) {}

void Rectangle::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state)) return;
  const Placer at{geo, box_.center(), state};
  const double x0 = at.x({box_.left, box_.top});
  const double y0 = at.y({box_.left, box_.top});
  const double x1 = at.x({box_.right, box_.bottom});
  const double y1 = at.y({box_.right, box_.bottom});
  const double r = corner_radius_ * state.scale * geo.px_per_unit();
  // Clockwise on screen from the top edge after the top-left corner.
  cairo_new_path(cr);
  cairo_move_to(cr, x0 + r, y0);
  cairo_arc(cr, x1 - r, y0 + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x1 - r, y1 - r, r, 0, M_PI / 2);
  cairo_arc(cr, x0 + r, y1 - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  const double reveal = std::min(1.0, state.reveal);
  if (fill_.a > 0) {
    set_color(cr, fill_, state.opacity * reveal);
    cairo_fill_preserve(cr);
  }
  if (stroke_.a > 0 && stroke_width_px_ > 0) {
    const double perimeter = 2 * ((x1 - x0) + (y1 - y0)) - 8 * r + 2 * M_PI * r;
    if (reveal < 1) {
      const double dashes[2] = {reveal * perimeter, perimeter + 1};
      cairo_set_dash(cr, dashes, 2, 0);
    }
    set_color(cr, stroke_, state.opacity);
    cairo_set_line_width(cr, stroke_px(geo, stroke_width_px_));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  cairo_new_path(cr);
}

Box2 Rectangle::bounds(const FrameGeometry&) const { return box_; }

// ---- Group ----

void Group::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (invisible(state) || children_.empty()) return;
  DrawState child_state = state;
  child_state.shift = {};
  child_state.scale = 1;
  const bool moved = state.shift.x != 0 || state.shift.y != 0 || state.scale != 1;
  if (moved) {
    const Vec2 c = bounds(geo).center();
    cairo_save(cr);
    cairo_translate(cr, geo.to_px_x(c.x + state.shift.x), geo.to_px_y(c.y + state.shift.y));
    cairo_scale(cr, state.scale, state.scale);
    cairo_translate(cr, -geo.to_px_x(c.x), -geo.to_px_y(c.y));
  }
  for (const MobjectPtr& child : children_) child->draw(cr, geo, child_state);
  if (moved) cairo_restore(cr);
}

Box2 Group::bounds(const FrameGeometry& geo) const {
  if (children_.empty()) return {};
  Box2 box = children_[0]->bounds(geo);
  for (const MobjectPtr& child : children_) box = united(box, child->bounds(geo));
  return box;
}

}  // namespace trajtool
