#include "viz/three_d/axes_3d.h"

#include <cmath>
#include <memory>

#include "viz/axes.h"

namespace trajtool {
namespace {

std::shared_ptr<Text> label_text(const std::string& s, double points, Rgba color, bool bold) {
  TextStyle style;
  style.points = points;
  style.color = color;
  style.bold = bold;
  return std::make_shared<Text>(s, style, Vec2{0, 0}, Anchor::kCenter);
}

// A tick value with its label, laid out once.
struct Tick {
  double value;
  std::shared_ptr<Text> text;
  Vec2 size;  // the label's width and height, scene units
};

Vec2 size_of(const Text& text) {
  const Box2 b = text.bounds(FrameGeometry{});  // scene units do not depend on the resolution
  return {b.width(), b.height()};
}

// How far a box of `size` reaches along the screen direction `d` (unit) from its centre.
double half_extent(Vec2 size, Vec2 d) {
  return 0.5 * (std::fabs(d.x) * size.x + std::fabs(d.y) * size.y);
}

// What does not depend on the camera: ticks and texts.
struct AxesModel {
  Space3D space;
  Axes3DStyle style;
  std::vector<Tick> x, y, z;
  std::shared_ptr<Text> x_title, y_title, z_title;
};

std::shared_ptr<const AxesModel> model_of(const Space3D& s, const Axes3DStyle& style) {
  auto m = std::make_shared<AxesModel>();
  m->space = s;
  m->style = style;
  auto ticks = [&](const std::vector<double>& values, bool log) {
    std::vector<Tick> out;
    const double step = values.size() > 1 ? values[1] - values[0] : 1;
    // A log axis's labels all powers or all numbers (log_tick_labels), never a mix.
    const std::vector<std::string> logs =
        log ? log_tick_labels(values) : std::vector<std::string>{};
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto text = label_text(log ? logs[i] : format_tick(values[i], step), style.tick_points,
                             style.color, false);
      out.push_back({values[i], text, size_of(*text)});
    }
    return out;
  };
  m->x = ticks(nice_ticks(s.x_min, s.x_max, style.ticks), false);
  m->y = ticks(nice_ticks(s.y_min, s.y_max, style.ticks), false);
  std::vector<double> zt = s.log_z ? log_ticks(s.z_min, s.z_max) : nice_ticks(s.z_min, s.z_max, 4);
  if (s.log_z && zt.size() > 5) zt = every_nth_decade(zt, static_cast<int>((zt.size() + 3) / 4));
  m->z = ticks(zt, s.log_z);
  m->x_title = label_text(style.x_label, style.label_points, style.color, true);
  m->y_title = label_text(style.y_label, style.label_points, style.color, true);
  m->z_title = label_text(style.z_label, style.label_points, style.color, true);
  return m;
}

Axes3DParts place(const AxesModel& m, const Camera& camera) {
  const Space3D& s = m.space;
  const Axes3DPlacement at = axes_placement(s, camera);
  Axes3DParts parts;
  parts.lines.color = m.style.color;
  auto world = [&s](double x, double y, double z) { return s.to_world(x, y, z); };
  const double tick = 0.12;  // world units, outwards
  auto add_label = [&](Vec3 p, const std::shared_ptr<Text>& text, Vec3 outward, double gap,
                       Vec3 fade_axis) {
    Label3D l;
    l.at = p;
    l.text = text;
    l.outward = outward;
    l.gap = gap;
    l.fade_axis = fade_axis;
    l.occludable = false;  // axes stay readable over the surface
    parts.labels.push_back(l);
  };
  // Outwards from the box: the side the axis stands on.
  const Vec3 x_out{0, at.x_axis_y == s.y_max ? 1.0 : -1.0, 0};
  const Vec3 y_out{at.y_axis_x == s.x_max ? 1.0 : -1.0, 0, 0};
  const Vec3 z_out =
      normalized(Vec3{at.z_axis_x == s.x_max ? 1.0 : -1.0, at.z_axis_y == s.y_max ? 1.0 : -1.0, 0});
  const double z0 = at.floor_z;
  const Vec3 x0 = world(s.x_min, at.x_axis_y, z0), x1 = world(s.x_max, at.x_axis_y, z0);
  const Vec3 y0 = world(at.y_axis_x, s.y_min, z0), y1 = world(at.y_axis_x, s.y_max, z0);
  const Vec3 c0 = world(at.z_axis_x, at.z_axis_y, s.z_min),
             c1 = world(at.z_axis_x, at.z_axis_y, s.z_max);
  parts.lines.segments = {{x0, x1}, {y0, y1}, {c0, c1}};
  // Per axis: its ticks, where each stands, and which way is outwards. Labels sit clear of the
  // tick by their own extent along the projected outward direction, every n-th one only when the
  // axis is foreshortened so much that neighbours would touch, and the title clear of them all.
  auto screen_dir = [&camera](Vec3 p, Vec3 out) {
    const Vec2 a = camera.project(p).at, b = camera.project(p + out * 0.5).at;
    const Vec2 d = b - a;
    const double n = std::hypot(d.x, d.y);
    return n > 1e-3 ? d * (1 / n) : Vec2{0, 1};
  };
  // A floor axis's label at (or on screen next to) the z axis's foot would stand under the z
  // axis's labels and read as one of them: it is shown only as the z axis turns end-on (a top-down
  // view), when the z labels fade out.
  const Vec2 foot = camera.project(c0).at;
  auto at_z_foot = [&camera, foot](Vec3 p) {
    const Vec2 d = camera.project(p).at - foot;
    return std::hypot(d.x, d.y) < 0.4;
  };
  auto axis = [&](const std::vector<Tick>& ticks, auto point_of, Vec3 out, Vec3 along,
                  const std::shared_ptr<Text>& title, Vec3 title_at) {
    if (ticks.empty()) return;
    const Vec3 mid = point_of(ticks[ticks.size() / 2].value);
    const Vec2 d = screen_dir(mid, out);
    // Neighbouring labels' centres on screen, against what they need not to touch.
    std::size_t stride = 1;
    for (; stride < ticks.size(); ++stride) {
      bool clear = true;
      for (std::size_t i = 0; i + stride < ticks.size() && clear; i += stride) {
        const Vec2 a = camera.project(point_of(ticks[i].value)).at;
        const Vec2 b = camera.project(point_of(ticks[i + stride].value)).at;
        const Vec2 gap = b - a;
        const double n = std::hypot(gap.x, gap.y);
        const Vec2 u = n > 1e-9 ? gap * (1 / n) : Vec2{1, 0};
        clear = n > half_extent(ticks[i].size, u) + half_extent(ticks[i + stride].size, u) + 0.12;
      }
      if (clear) break;
    }
    double reach = 0;  // the farthest a label goes outwards
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      const Vec3 p = point_of(ticks[i].value);
      parts.lines.segments.push_back({p, p + out * tick});
      if (i % stride != 0) continue;
      const double gap = 0.2 + half_extent(ticks[i].size, d);
      reach = std::max(reach, gap + half_extent(ticks[i].size, d));
      add_label(p, ticks[i].text, out, gap, along);
      if (along.z == 0 && at_z_foot(p)) parts.labels.back().show_axis = {0, 0, 1};
    }
    if (!title) return;
    const Vec2 title_size = size_of(*title);
    const double gap = reach + 0.15 + half_extent(title_size, d);
    // The z title goes over its axis instead where beside it would leave the frame (16:9).
    const Vec2 centre = camera.project(title_at).at + d * gap;
    const double half_w = FrameGeometry{}.frame_width() / 2 - 0.12;
    if (along.z != 0 && std::fabs(centre.x) + title_size.x / 2 > half_w) {
      const Vec3 top = point_of(m.space.z_max);
      add_label(top, title, {0, 0, 1}, 0.5 + title_size.y / 2, along);
      return;
    }
    add_label(title_at, title, out, gap, along);
  };
  axis(
      m.x, [&](double v) { return world(v, at.x_axis_y, z0); }, x_out, {1, 0, 0}, m.x_title,
      (x0 + x1) * 0.5);
  axis(
      m.y, [&](double v) { return world(at.y_axis_x, v, z0); }, y_out, {0, 1, 0}, m.y_title,
      (y0 + y1) * 0.5);
  // The z title beside its axis half way up, as mplot3d puts it (its top is where data often is).
  const double z_mid = s.log_z ? std::sqrt(s.z_min * s.z_max) : (s.z_min + s.z_max) / 2;
  axis(
      m.z, [&](double v) { return world(at.z_axis_x, at.z_axis_y, v); }, z_out, {0, 0, 1},
      m.z_title, world(at.z_axis_x, at.z_axis_y, z_mid));
  return parts;
}

}  // namespace

Axes3DPlacement axes_placement(const Space3D& s, const Camera& camera) {
  // The side the camera is on, seen from above; looking straight down (or up), the side at the
  // bottom of the screen, which is the same side for any tilt in between.
  Vec3 t = camera.towards();
  if (std::hypot(t.x, t.y) < 1e-9) t = {-camera.up().x, -camera.up().y, t.z};
  Axes3DPlacement at;
  const double x_near = t.x >= 0 ? s.x_max : s.x_min, x_far = t.x >= 0 ? s.x_min : s.x_max;
  const double y_near = t.y >= 0 ? s.y_max : s.y_min, y_far = t.y >= 0 ? s.y_min : s.y_max;
  at.x_axis_y = y_near;
  at.y_axis_x = x_near;
  at.floor_z = t.z >= 0 ? s.z_min : s.z_max;
  // The two side corners lie opposite each other about the box's centre: the one on the left.
  const Vec3 a = s.to_world(x_near, y_far, s.z_min), b = s.to_world(x_far, y_near, s.z_min);
  const bool a_left = dot(a, camera.right()) <= dot(b, camera.right());
  at.z_axis_x = a_left ? x_near : x_far;
  at.z_axis_y = a_left ? y_far : y_near;
  return at;
}

Axes3DParts make_axes_3d(const Space3D& space, const Axes3DStyle& style, const Camera& camera) {
  return place(*model_of(space, style), camera);
}

Rig3D axes_rig(const Space3D& space, const Axes3DStyle& style) {
  std::shared_ptr<const AxesModel> model = model_of(space, style);
  Rig3D rig;
  rig.place = [model](const Camera& camera, Lines3D& lines, std::vector<Label3D>& labels) {
    Axes3DParts parts = place(*model, camera);
    lines = std::move(parts.lines);
    labels = std::move(parts.labels);
  };
  return rig;
}

}  // namespace trajtool
