#include "viz/scenes/scene_kit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "viz/cached_raster.h"
#include "viz/formula.h"

namespace trajtool {

Rgba palette_color(std::size_t index) {
  static const char* const kPalette[] = {"#58c4dd", "#83c167", "#f4d345", "#fc6255",
                                         "#9a72ac", "#5cd0b3", "#ff862f", "#d147bd",
                                         "#c0c0c0", "#8d6e63", "#1e88e5", "#c5e1a5"};
  return parse_hex_color(kPalette[index % (sizeof kPalette / sizeof kPalette[0])]);
}

Rgba run_color(const std::string& configured, std::size_t index) {
  return configured.empty() ? palette_color(index) : parse_hex_color(configured);
}

std::shared_ptr<Text> section_title(const std::string& text, const FrameGeometry& geo) {
  TextStyle style;
  style.points = kTitlePoints;
  style.bold = true;
  style.color = kTextColor;
  // A long title shrinks to fit on one line (down to annotation size), then is cut with an
  // ellipsis: it never leaves the frame or grows into what stands below it.
  const double room = geo.frame_width() - 2 * kEdgeBuff;
  std::string shown = text;
  Box2 box = measure_text(shown, style, geo);
  if (box.width() > room) style.points = std::max(kNotePoints, style.points * room / box.width());
  const std::string ellipsis = "…";
  std::string kept = text;
  while (measure_text(shown, style, geo).width() > room && kept.size() > 1) {
    // Drop one whole UTF-8 character (continuation bytes are 10xxxxxx), then re-add the ellipsis.
    while (kept.size() > 1 && (static_cast<unsigned char>(kept.back()) & 0xC0) == 0x80) {
      kept.pop_back();
    }
    kept.pop_back();
    shown = kept + ellipsis;
  }
  box = measure_text(shown, style, geo);
  return std::make_shared<Text>(shown, style, to_edge_top(box, geo, kEdgeBuff), Anchor::kCenter);
}

std::shared_ptr<Text> bottom_note(const std::string& text, const FrameGeometry& geo) {
  TextStyle style;
  style.points = kNotePoints;
  style.color = kAccentColor;
  style.align = TextAlign::kCenter;
  style.max_width_units = geo.frame_width() - 2 * 1.0;
  Box2 box = measure_text(text, style, geo);
  return std::make_shared<Text>(text, style, to_edge_bottom(box, geo, 0.5), Anchor::kCenter);
}

Landscape make_landscape(std::shared_ptr<const LossGrid> grid, Box2 box, LevelSpacing spacing,
                         const std::string& x_label, const std::string& y_label,
                         const LandscapeLook& look) {
  Landscape land;
  AxesStyle axes_style;
  axes_style.x_label = x_label;
  axes_style.y_label = y_label;
  axes_style.equal_aspect = true;
  axes_style.tick_points = 18;  // annotations: 18-20
  axes_style.label_points = 24;
  Domain domain{grid->x_min, grid->x_max, grid->y_min, grid->y_max};
  land.axes = std::make_shared<Axes>(domain, box, axes_style);
  LevelOptions options;
  options.count = 14;
  options.spacing = spacing;
  options.high_quantile = spacing == LevelSpacing::kLog ? 0.98 : 0.9;
  land.levels = choose_levels(*grid, options);
  FillStyle fill;
  fill.colormap.name = look.colormap;
  fill.mode = look.fill;
  fill.opacity = 0.85;
  land.fill = std::make_shared<CachedRaster>(
      std::make_shared<FilledContours>(*land.axes, grid, land.levels, fill));
  if (look.contour_lines) {
    ContourStyle lines;
    lines.use_single_color = true;
    lines.single_color = {1, 1, 1, 0.35};
    lines.stroke_px = 1.5;
    land.lines = std::make_shared<CachedRaster>(
        std::make_shared<ContourLines>(*land.axes, *grid, land.levels, lines));
  }
  return land;
}

std::vector<Vec2> trajectory_points(const Trajectory& t) {
  std::vector<Vec2> points;
  for (int64_t r = 0; r < t.rows; ++r) {
    double x = t.params[static_cast<std::size_t>(r * t.dim)];
    double y = t.dim > 1 ? t.params[static_cast<std::size_t>(r * t.dim + 1)] : 0;
    points.push_back({x, y});
  }
  return points;
}

TrajectoryPath::TrajectoryPath(const Axes& axes, std::vector<Vec2> data_points, Rgba color,
                               bool diverged, double width_px, bool head)
    : plot_box_(axes.plot_box()),
      color_(color),
      diverged_(diverged),
      width_px_(width_px),
      head_(head) {
  for (const Vec2& p : data_points) {
    if (std::isfinite(p.x) && std::isfinite(p.y)) points_.push_back(axes.data_to_scene(p.x, p.y));
  }
  cross_at_ = points_.empty() ? Vec2{} : points_.back();
  auto inside = [this](Vec2 p) {
    return p.x >= plot_box_.left && p.x <= plot_box_.right && p.y >= plot_box_.bottom &&
           p.y <= plot_box_.top;
  };
  if (!points_.empty() && !inside(points_.back())) {
    // The last point inside, then where the next segment crosses the box's edge.
    std::size_t i = points_.size() - 1;
    while (i > 0 && !inside(points_[i])) --i;
    if (inside(points_[i]) && i + 1 < points_.size()) {
      const Vec2 a = points_[i], b = points_[i + 1];
      double t = 1;
      auto limit = [&t](double from, double to, double edge) {
        if (to != from && (to - edge) * (from - edge) < 0)
          t = std::min(t, (edge - from) / (to - from));
      };
      limit(a.x, b.x, plot_box_.left);
      limit(a.x, b.x, plot_box_.right);
      limit(a.y, b.y, plot_box_.bottom);
      limit(a.y, b.y, plot_box_.top);
      cross_at_ = a + (b - a) * t;
    }
  }
}

Box2 TrajectoryPath::bounds(const FrameGeometry&) const { return plot_box_; }

void TrajectoryPath::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (points_.empty() || state.opacity <= 0 || state.reveal <= 0) return;
  const double segments = static_cast<double>(points_.size() - 1);
  const double upto = std::clamp(state.reveal, 0.0, 1.0) * segments;
  const auto whole = static_cast<std::size_t>(std::floor(upto));
  const double part = upto - static_cast<double>(whole);
  auto px = [&](Vec2 p) {
    return Vec2{geo.to_px_x(p.x + state.shift.x), geo.to_px_y(p.y + state.shift.y)};
  };
  Vec2 head = points_[whole];
  if (whole + 1 < points_.size() && part > 0) {
    head = points_[whole] + (points_[whole + 1] - points_[whole]) * part;
  }
  cairo_save(cr);
  Vec2 corner = px({plot_box_.left, plot_box_.top});
  Vec2 far = px({plot_box_.right, plot_box_.bottom});
  cairo_rectangle(cr, corner.x, corner.y, far.x - corner.x, far.y - corner.y);
  cairo_clip(cr);
  cairo_set_source_rgba(cr, color_.r, color_.g, color_.b, color_.a * state.opacity);
  cairo_set_line_width(cr, stroke_px(geo, width_px_));
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  Vec2 p0 = px(points_[0]);
  cairo_move_to(cr, p0.x, p0.y);
  for (std::size_t i = 1; i <= whole && i < points_.size(); ++i) {
    Vec2 p = px(points_[i]);
    cairo_line_to(cr, p.x, p.y);
  }
  Vec2 h = px(head);
  cairo_line_to(cr, h.x, h.y);
  cairo_stroke(cr);
  const double radius = stroke_px(geo, 7);
  bool finished = state.reveal >= 1;
  if (diverged_ && finished) {
    // A cross where the run stopped: its last finite row, or where it left the plot on its way
    // out (unclipped, so that it shows whole on the plot's edge).
    cairo_restore(cr);
    cairo_save(cr);
    const Vec2 x = px(cross_at_);
    cairo_set_source_rgba(cr, color_.r, color_.g, color_.b, color_.a * state.opacity);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_width(cr, stroke_px(geo, 3.5));
    cairo_move_to(cr, x.x - radius, x.y - radius);
    cairo_line_to(cr, x.x + radius, x.y + radius);
    cairo_move_to(cr, x.x - radius, x.y + radius);
    cairo_line_to(cr, x.x + radius, x.y - radius);
    cairo_stroke(cr);
  } else if (head_) {
    cairo_arc(cr, h.x, h.y, radius, 0, 2 * M_PI);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9 * state.opacity);
    cairo_set_line_width(cr, stroke_px(geo, 1.5));
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

namespace {
std::string step_text(int64_t k, int64_t n) {
  return "step " + std::to_string(k) + " / " + std::to_string(n);
}
TextStyle counter_style(double points) {
  TextStyle style;
  style.points = points;
  style.color = kTextColor;
  style.family = "DejaVu Sans Mono";
  return style;
}
}  // namespace

// The widest text ("step n / n") fixes the place once, so the counter does not jitter as digits
// change and no frame measures text twice. Text extents in scene units do not depend on the
// resolution (Pango's hinting is off), so the default geometry measures for every output.
StepCounter::StepCounter(int64_t steps, Vec2 position, Anchor anchor, double points)
    : steps_(steps), points_(points) {
  Box2 widest = measure_text(step_text(steps, steps), counter_style(points), FrameGeometry{});
  box_ = place_box(widest.width(), widest.height(), position, anchor);
}

Box2 StepCounter::bounds(const FrameGeometry&) const { return box_; }

void StepCounter::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const auto k = static_cast<int64_t>(
      std::lround(std::clamp(state.reveal, 0.0, 1.0) * static_cast<double>(steps_)));
  Text text(step_text(k, steps_), counter_style(points_), {box_.left, box_.top}, Anchor::kTopLeft);
  DrawState shown = state;
  shown.reveal = 1;
  text.draw(cr, geo, shown);
}

namespace {

// Splits `tex` at top-level `sep` characters (outside braces and parentheses). Commas stay with
// the piece they end; a + or - starts the next piece (and only binary ones, after a space).
std::vector<std::string> split_top_level(const std::string& tex, char sep) {
  std::vector<std::string> pieces;
  std::string current;
  int depth = 0;
  for (std::size_t i = 0; i < tex.size(); ++i) {
    const char c = tex[i];
    if (c == '{' || c == '(' || c == '[') ++depth;
    if (c == '}' || c == ')' || c == ']') --depth;
    const bool sign_break = sep != ',' && depth == 0 && (c == '+' || c == '-') && i > 0 &&
                            tex[i - 1] == ' ' && current.find('=') != std::string::npos;
    if (sign_break && !current.empty()) {
      pieces.push_back(current);
      current.clear();
    }
    current += c;
    const bool thin_space = i > 0 && tex[i - 1] == '\\';  // "\," is a space, not a comma
    if (sep == ',' && depth == 0 && c == ',' && !thin_space) {
      pieces.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) pieces.push_back(current);
  for (auto& piece : pieces) {  // leading blanks and spacing commands go
    for (bool trimmed = true; trimmed;) {
      trimmed = false;
      for (const char* lead : {" ", "\\;", "\\,", "\\quad", "\\qquad"}) {
        const std::string l = lead;
        if (piece.rfind(l, 0) == 0) {
          piece = piece.substr(l.size());
          trimmed = true;
        }
      }
    }
  }
  return pieces;
}

}  // namespace

std::vector<std::string> wrapped_formula_lines(const std::string& tex) {
  std::vector<std::string> lines;
  for (const auto& piece : split_top_level(tex, ',')) {
    lines.push_back(piece);
    bool first = true;
    for (const auto& part : split_top_level(piece, '+')) {
      lines.push_back(first ? part : "\\qquad " + part);
      first = false;
    }
  }
  return lines;
}

std::shared_ptr<Group> wrapped_formula(const std::string& tex, Vec2 top_left, double max_width,
                                       double points, Rgba color, const FrameGeometry& geo) {
  auto width_of = [&](const std::string& t, double pt) {
    return Formula(t, pt, color, {0, 0}, Anchor::kLeft).bounds(geo).width();
  };
  // One definition per line; a line still too wide at 28 pt is broken before its + and -.
  std::vector<std::string> lines;
  for (const auto& piece : split_top_level(tex, ',')) {
    if (width_of(piece, std::min(points, 28.0)) <= max_width) {
      lines.push_back(piece);
      continue;
    }
    bool first = true;
    for (const auto& part : split_top_level(piece, '+')) {
      lines.push_back(first ? part : "\\qquad " + part);
      first = false;
    }
  }
  double widest = 0;
  for (const auto& line : lines) widest = std::max(widest, width_of(line, points));
  if (widest > max_width) points = std::max(20.0, points * max_width / widest);
  auto group = std::make_shared<Group>();
  double y = top_left.y;
  for (const auto& line : lines) {
    auto formula =
        std::make_shared<Formula>(line, points, color, Vec2{top_left.x, y}, Anchor::kTopLeft);
    y = formula->bounds(geo).bottom - 0.1;
    group->add(formula);
  }
  return group;
}

std::shared_ptr<Group> boxed_label(const std::string& text, double points, Rgba color, Vec2 at,
                                   Anchor anchor, const FrameGeometry& geo) {
  TextStyle style;
  style.points = points;
  style.color = color;
  auto label = std::make_shared<Text>(text, style, at, anchor);
  Box2 box = label->bounds(geo);
  const double pad = 0.06;
  auto back = std::make_shared<RoundedBox>(
      Box2{box.left - pad, box.bottom - pad, box.right + pad, box.top + pad},
      Rgba{0.06, 0.06, 0.08, 0.72}, Rgba{0, 0, 0, 0}, 0, 0.06);
  return std::make_shared<Group>(std::vector<MobjectPtr>{back, label});
}

std::string short_number(double value) {
  char buffer[32];
  if (std::fabs(value) >= 1000 && std::fabs(value) < 1e6) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);  // "1500", not "1.5e+03"
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  }
  return buffer;
}

bool spans_decades(const std::vector<const std::vector<double>*>& values, double decades) {
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const std::vector<double>* series : values) {
    for (double y : *series) {
      if (!std::isfinite(y)) continue;
      if (y <= 0) return false;
      low = std::min(low, y);
      high = std::max(high, y);
    }
  }
  return high > 0 && std::log10(high / low) > decades;
}

AxesStyle panel_axes_style(const std::string& x_label, const std::string& y_label, bool first) {
  AxesStyle style;
  style.equal_aspect = true;
  style.tick_points = 18;
  style.label_points = 20;
  style.x_ticks = 3;
  style.y_ticks = 3;
  style.x_label = x_label;
  if (first) style.y_label = y_label;
  return style;
}

std::string point_text(double x, double y) {
  return "(" + short_number(x) + ", " + short_number(y) + ")";
}

}  // namespace trajtool
