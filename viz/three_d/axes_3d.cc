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

}  // namespace

Axes3DParts make_axes_3d(const Space3D& s, const Axes3DStyle& style) {
  Axes3DParts parts;
  parts.lines.color = style.color;
  const double z_floor = s.z_min;
  auto world = [&s](double x, double y, double z) { return s.to_world(x, y, z); };
  const Vec3 x0 = world(s.x_min, s.y_min, z_floor), x1 = world(s.x_max, s.y_min, z_floor);
  const Vec3 y0 = world(s.x_max, s.y_min, z_floor), y1 = world(s.x_max, s.y_max, z_floor);
  const Vec3 z0 = world(s.x_min, s.y_min, z_floor), z1 = world(s.x_min, s.y_min, s.z_max);
  parts.lines.segments = {{x0, x1}, {y0, y1}, {z0, z1}};
  const double tick = 0.12;  // world units, outwards
  auto add_label = [&](Vec3 at, const std::string& text, Vec3 outward, double gap, double points,
                       bool bold, Vec3 fade_axis) {
    Label3D l;
    l.at = at;
    l.text = label_text(text, points, style.color, bold);
    l.outward = outward;
    l.gap = gap;
    l.fade_axis = fade_axis;
    l.occludable = false;  // axes stay readable over the surface
    parts.labels.push_back(l);
  };
  const std::vector<double> xt = nice_ticks(s.x_min, s.x_max, style.ticks);
  const double x_step = xt.size() > 1 ? xt[1] - xt[0] : 1;
  for (double v : xt) {
    const Vec3 p = world(v, s.y_min, z_floor);
    parts.lines.segments.push_back({p, p + Vec3{0, -tick, 0}});
    add_label(p, format_tick(v, x_step), {0, -1, 0}, 0.32, style.tick_points, false, {});
  }
  const std::vector<double> yt = nice_ticks(s.y_min, s.y_max, style.ticks);
  const double y_step = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double v : yt) {
    const Vec3 p = world(s.x_max, v, z_floor);
    parts.lines.segments.push_back({p, p + Vec3{tick, 0, 0}});
    add_label(p, format_tick(v, y_step), {1, 0, 0}, 0.32, style.tick_points, false, {});
  }
  std::vector<double> zt = s.log_z ? log_ticks(s.z_min, s.z_max) : nice_ticks(s.z_min, s.z_max, 4);
  if (s.log_z && zt.size() > 5) zt = every_nth_decade(zt, static_cast<int>((zt.size() + 3) / 4));
  const double z_step = zt.size() > 1 ? zt[1] - zt[0] : 1;
  const Vec3 corner_out = normalized(Vec3{-1, -1, 0});
  for (double v : zt) {
    const Vec3 p = world(s.x_min, s.y_min, v);
    parts.lines.segments.push_back({p, p + corner_out * tick});
    add_label(p, s.log_z ? format_power_of_ten(v) : format_tick(v, z_step), corner_out, 0.4,
              style.tick_points, false, {0, 0, 1});
  }
  add_label((x0 + x1) * 0.5, style.x_label, {0, -1, 0}, 0.78, style.label_points, true, {});
  add_label((y0 + y1) * 0.5, style.y_label, {1, 0, 0}, 0.78, style.label_points, true, {});
  add_label(z1, style.z_label, {0, 0, 1}, 0.35, style.label_points, true, {0, 0, 1});
  return parts;
}

}  // namespace trajtool
