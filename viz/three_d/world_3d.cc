#include "viz/three_d/world_3d.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "viz/pixel_target.h"

namespace trajtool {
namespace {

// Pixel coordinates and depth of a world point.
struct PixelPoint {
  float x, y, depth;
};

PixelPoint to_pixels(const Camera& cam, const FrameGeometry& geo, Vec3 p) {
  const Projected q = cam.project(p);
  return {static_cast<float>(geo.to_px_x(q.at.x)), static_cast<float>(geo.to_px_y(q.at.y)),
          static_cast<float>(q.depth)};
}

Rgba faded(Rgba c, double opacity) { return with_alpha(c, opacity); }

// How much nearer than the surface a line must be to be drawn over it, in world units: enough to
// keep a line lying on the surface (a wireframe, an axis on its edge) from flickering through it.
constexpr float kLineLift = 0.02f;

// How far behind the surface's nearest point a label's point may be and still be seen, world
// units: a mark floats just above a slope whose neighbouring pixels may lie a little nearer.
constexpr float kLabelTolerance = 0.12f;

}  // namespace

void animate_track(Track& track, double t0, double t1, double to, RateFn rate) {
  const double from = track.value_at(t0);
  // Keys are kept in order of their start; a later key replaces what an earlier one would do.
  while (!track.keys.empty() && track.keys.back().t0 >= t0) track.keys.pop_back();
  if (t1 <= t0) {
    track.keys.push_back({t0, t0, to, to, to, RateFn::linear});
    return;
  }
  track.keys.push_back({t0, t1, from, to, from + (to - from) * apply_rate(rate, 1.0), rate});
}

World3D::World3D(CameraPose start, CameraLens lens, int supersample)
    : lens_(lens), supersample_(std::max(1, supersample)) {
  phi.initial = start.phi_deg;
  theta.initial = start.theta_deg;
  zoom.initial = start.zoom;
}

CameraPose World3D::pose_at(double clock) const {
  return {phi.value_at(clock), theta.value_at(clock), zoom.value_at(clock)};
}

Camera World3D::camera_at(double clock) const { return Camera(pose_at(clock), lens_); }

Box2 World3D::bounds(const FrameGeometry&) const {
  const Vec2 c = lens_.screen_center;
  return {c.x, c.y, c.x, c.y};
}

World3D::SlotLease::SlotLease(const World3D& owner) : world(owner) {
  std::lock_guard<std::mutex> lock(world.slots_mutex_);
  if (world.free_slots_.empty()) {
    world.slots_.push_back(std::make_unique<RasterSlot>());
    slot = world.slots_.back().get();
  } else {
    slot = world.free_slots_.back();
    world.free_slots_.pop_back();
  }
}

World3D::SlotLease::~SlotLease() {
  std::lock_guard<std::mutex> lock(world.slots_mutex_);
  world.free_slots_.push_back(slot);
}

void World3D::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.opacity <= 0) return;
  const double clock = state.reveal;
  const Camera cam = camera_at(clock);
  const double line_scale = geo.height_px / 720.0;
  {
    // A raster of its own for this call, so that frames drawn on several threads rasterise at once.
    const SlotLease lease(*this);
    RasterSlot& slot = *lease.slot;
    DepthRaster& raster = slot.raster;
    raster.reset(geo.width_px, geo.height_px, supersample_);

    // Surfaces: shaded by a light that moves with the camera (above, left of and behind the
    // viewer), lit from both sides.
    const Vec3 light = normalized(cam.towards() * 0.75 + cam.up() * 0.55 - cam.right() * 0.35);
    for (const auto& element : surfaces) {
      const double opacity = element.opacity.value_at(clock);
      if (opacity <= 0) continue;
      const SurfaceMesh3D& m = element.body;
      std::vector<RasterVertex> v(m.points.size());
      for (int j = 0; j < m.ny; ++j) {
        for (int i = 0; i < m.nx; ++i) {
          const std::size_t k = static_cast<std::size_t>(j * m.nx + i);
          const Vec3 p = m.points[k];
          // The normal from central differences of the grid.
          const Vec3 dx = m.points[static_cast<std::size_t>(j * m.nx + std::min(i + 1, m.nx - 1))] -
                          m.points[static_cast<std::size_t>(j * m.nx + std::max(i - 1, 0))];
          const Vec3 dy = m.points[static_cast<std::size_t>(std::min(j + 1, m.ny - 1) * m.nx + i)] -
                          m.points[static_cast<std::size_t>(std::max(j - 1, 0) * m.nx + i)];
          const Vec3 n = normalized(cross(dx, dy));
          const double lambert = std::fabs(dot(n, light));
          const PixelPoint q = to_pixels(cam, geo, p);
          v[k] = {q.x, q.y, q.depth, m.t[k], static_cast<float>(0.38 + 0.62 * lambert)};
        }
      }
      ColorTable table = m.table;
      table.opacity *= opacity;
      raster.set_table(table);
      for (int j = 0; j + 1 < m.ny; ++j) {
        for (int i = 0; i + 1 < m.nx; ++i) {
          const std::size_t a = static_cast<std::size_t>(j * m.nx + i);
          const std::size_t b = a + 1, c = a + static_cast<std::size_t>(m.nx), d = c + 1;
          raster.triangle(v[a], v[b], v[d]);
          raster.triangle(v[a], v[d], v[c]);
        }
      }
      // Anti-aliased silhouettes: the edges where the surface turns from facing the camera to
      // facing away (a ridge's outline) and the border, drawn as one-pixel lines in the surface's
      // colour over its jagged edge.
      const int cells_x = m.nx - 1, cells_y = m.ny - 1;
      std::vector<signed char> facing(static_cast<std::size_t>(2 * cells_x * cells_y));
      auto signed_area = [&v](std::size_t p, std::size_t q, std::size_t r) {
        return (v[q].x - v[p].x) * (v[r].y - v[p].y) - (v[q].y - v[p].y) * (v[r].x - v[p].x);
      };
      for (int j = 0; j < cells_y; ++j) {
        for (int i = 0; i < cells_x; ++i) {
          const std::size_t a = static_cast<std::size_t>(j * m.nx + i);
          const std::size_t b = a + 1, c = a + static_cast<std::size_t>(m.nx), d = c + 1;
          const std::size_t cell = static_cast<std::size_t>(j * cells_x + i);
          facing[2 * cell] = signed_area(a, b, d) > 0 ? 1 : -1;
          facing[2 * cell + 1] = signed_area(a, d, c) > 0 ? 1 : -1;
        }
      }
      // 0 = no triangle there (outside the grid).
      auto face = [&](int i, int j, int which) -> int {
        if (i < 0 || j < 0 || i >= cells_x || j >= cells_y) return 0;
        return facing[static_cast<std::size_t>(2 * (j * cells_x + i) + which)];
      };
      const std::size_t entries = table.entries.size();
      auto vertex_color = [&](std::size_t k) {
        const std::size_t e =
            table.banded
                ? std::min(entries - 1,
                           static_cast<std::size_t>(m.t[k] * static_cast<float>(entries)))
                : static_cast<std::size_t>(m.t[k] * static_cast<float>(entries - 1) + 0.5f);
        const Rgba& c = table.entries[e];
        const double k_shade = v[k].shade;
        return Rgba{c.r * k_shade, c.g * k_shade, c.b * k_shade, table.opacity};
      };
      const float outline = 1.0f;
      auto outline_edge = [&](std::size_t p, std::size_t q, int f0, int f1) {
        if (f0 != 0 && f0 == f1) return;
        raster.segment(v[p].x, v[p].y, v[p].depth, vertex_color(p), v[q].x, v[q].y, v[q].depth,
                       vertex_color(q), outline, kLineLift);
      };
      for (int j = 0; j < m.ny; ++j) {
        for (int i = 0; i < m.nx; ++i) {
          const std::size_t k = static_cast<std::size_t>(j * m.nx + i);
          // Along x: below it the cell (i, j)'s first triangle, above it (i, j - 1)'s second.
          if (i < cells_x) outline_edge(k, k + 1, face(i, j, 0), face(i, j - 1, 1));
          // Along y: the cell (i, j)'s second triangle and (i - 1, j)'s first.
          if (j < cells_y) {
            outline_edge(k, k + static_cast<std::size_t>(m.nx), face(i, j, 1), face(i - 1, j, 0));
          }
          // The diagonal inside the cell.
          if (i < cells_x && j < cells_y) {
            outline_edge(k, k + static_cast<std::size_t>(m.nx) + 1, face(i, j, 0), face(i, j, 1));
          }
        }
      }
      if (m.wire_every > 0) {
        const Rgba wire = faded(m.wire_color, opacity);
        const float width = static_cast<float>(1.2 * line_scale);
        auto seg = [&](std::size_t a, std::size_t b) {
          raster.segment(v[a].x, v[a].y, v[a].depth, wire, v[b].x, v[b].y, v[b].depth, wire, width,
                         kLineLift);
        };
        for (int j = 0; j < m.ny; ++j) {
          for (int i = 0; i < m.nx; ++i) {
            const std::size_t k = static_cast<std::size_t>(j * m.nx + i);
            if (j % m.wire_every == 0 && i + 1 < m.nx) seg(k, k + 1);
            if (i % m.wire_every == 0 && j + 1 < m.ny) seg(k, k + static_cast<std::size_t>(m.nx));
          }
        }
      }
    }
    auto draw_lines = [&](const Lines3D& body, double opacity) {
      const Rgba color = faded(body.color, opacity);
      const float width = static_cast<float>(body.width_px * line_scale);
      for (const auto& [from, to] : body.segments) {
        const PixelPoint a = to_pixels(cam, geo, from), b = to_pixels(cam, geo, to);
        raster.segment(a.x, a.y, a.depth, color, b.x, b.y, b.depth, color, width, kLineLift);
      }
    };
    for (const auto& element : lines) {
      const double opacity = element.opacity.value_at(clock);
      if (opacity > 0) draw_lines(element.body, opacity);
    }
    // Rigs placed for this camera: their lines now, their labels with the others below.
    std::vector<std::pair<Label3D, double>> rig_labels;  // label, its element's opacity
    for (const auto& element : rigs) {
      const double opacity = element.opacity.value_at(clock);
      if (opacity <= 0 || !element.body.place) continue;
      Lines3D rig_lines;
      std::vector<Label3D> placed;
      element.body.place(cam, rig_lines, placed);
      draw_lines(rig_lines, opacity);
      for (Label3D& l : placed) rig_labels.emplace_back(std::move(l), opacity);
    }
    for (const auto& element : paths) {
      const double opacity = element.opacity.value_at(clock);
      const double shown = element.reveal.value_at(clock);
      const Path3D& p = element.body;
      if (opacity <= 0 || p.points.empty() || shown < p.step.front()) continue;
      const float width = static_cast<float>(p.width_px * line_scale);
      PixelPoint prev = to_pixels(cam, geo, p.points[0]);
      Rgba prev_color = faded(p.colors[0], opacity);
      PixelPoint head = prev;
      Rgba head_color = p.colors[0];
      for (std::size_t k = 1; k < p.points.size(); ++k) {
        if (p.step[k - 1] >= shown) break;
        Vec3 to = p.points[k];
        Rgba color = p.colors[k];
        if (p.step[k] > shown) {  // the last segment, part way
          const double f = (shown - p.step[k - 1]) / (p.step[k] - p.step[k - 1]);
          to = p.points[k - 1] + (p.points[k] - p.points[k - 1]) * f;
          const Rgba& c0 = p.colors[k - 1];
          color = {c0.r + (color.r - c0.r) * f, c0.g + (color.g - c0.g) * f,
                   c0.b + (color.b - c0.b) * f, c0.a + (color.a - c0.a) * f};
        }
        const PixelPoint q = to_pixels(cam, geo, to);
        const Rgba c = faded(color, opacity);
        raster.segment(prev.x, prev.y, prev.depth, prev_color, q.x, q.y, q.depth, c, width,
                       kLineLift);
        prev = q;
        prev_color = c;
        head = q;
        head_color = color;
      }
      if (p.head) {
        raster.disc(head.x, head.y, head.depth,
                    static_cast<float>(p.head_radius * geo.px_per_unit()),
                    faded(head_color, opacity), faded(p.head_ring, opacity),
                    static_cast<float>(1.5 * line_scale), kLineLift);
      }
    }
    for (const auto& element : dots) {
      const double opacity = element.opacity.value_at(clock);
      if (opacity <= 0) continue;
      const Dot3D& d = element.body;
      const PixelPoint q = to_pixels(cam, geo, d.at);
      raster.disc(q.x, q.y, q.depth, static_cast<float>(d.radius * geo.px_per_unit()),
                  faded(d.fill, opacity), faded(d.ring, opacity),
                  static_cast<float>(d.ring_px * line_scale), kLineLift);
    }
    const PixelRect now = raster.dirty();
    const std::optional<PixelTarget> target = pixel_target(cr);
    if (target && target->unclipped() && target->width == geo.width_px &&
        target->height == geo.height_px) {
      // A frame of the renderer: the picture is blended straight into it.
      cairo_surface_flush(target->surface);
      raster.composite_over(target->data, target->stride, now, state.opacity);
      cairo_surface_mark_dirty(target->surface);
    } else {
      if (!slot.image || cairo_image_surface_get_width(slot.image) != geo.width_px ||
          cairo_image_surface_get_height(slot.image) != geo.height_px) {
        slot.image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, geo.width_px, geo.height_px);
        slot.image_owner.reset(
            slot.image, [](void* s) { cairo_surface_destroy(static_cast<cairo_surface_t*>(s)); });
      }
      // Only what is drawn now or was drawn in the last picture changes.
      const PixelRect& before = slot.image_rect;
      PixelRect both = now;
      if (before.right >= before.left) {
        both =
            now.right < now.left
                ? before
                : PixelRect{std::min(now.left, before.left), std::min(now.top, before.top),
                            std::max(now.right, before.right), std::max(now.bottom, before.bottom)};
      }
      cairo_surface_flush(slot.image);
      raster.resolve(cairo_image_surface_get_data(slot.image),
                     cairo_image_surface_get_stride(slot.image), both);
      cairo_surface_mark_dirty(slot.image);
      slot.image_rect = now;
      if (now.left <= now.right) {
        cairo_save(cr);
        cairo_rectangle(cr, now.left, now.top, now.right - now.left + 1, now.bottom - now.top + 1);
        cairo_clip(cr);
        cairo_set_source_surface(cr, slot.image, 0, 0);
        cairo_paint_with_alpha(cr, state.opacity);
        cairo_restore(cr);
      }
    }

    // Labels, flat on screen, where the surface does not hide their points: the share of five
    // probes around the point (a cross 4 px wide at 720p) that see it is the label's opacity, so
    // a label behind a ridge fades out over a few frames instead of popping.
    const float probe = static_cast<float>(4 * line_scale);
    auto draw_label = [&](const Label3D& l, double opacity) {
      if (opacity <= 0 || !l.text) return;
      // How far a direction is from end-on: 0 end-on, 1 once its projection is half its length.
      auto side_on = [&cam](Vec3 axis) {
        const Vec3 u = normalized(axis);
        return std::clamp((std::hypot(dot(cam.right(), u), dot(cam.up(), u)) - 0.25) / 0.25, 0.0,
                          1.0);
      };
      if (dot(l.fade_axis, l.fade_axis) > 0) {
        opacity *= side_on(l.fade_axis);
        if (opacity <= 0) return;
      }
      if (dot(l.show_axis, l.show_axis) > 0) {
        opacity *= 1 - side_on(l.show_axis);
        if (opacity <= 0) return;
      }
      const Projected at = cam.project(l.at);
      const PixelPoint px = to_pixels(cam, geo, l.at);
      int seen = 5;
      if (l.occludable) {
        seen = 0;
        for (const auto& [dx, dy] :
             {std::pair<float, float>{0, 0}, {probe, 0}, {-probe, 0}, {0, probe}, {0, -probe}}) {
          seen += px.depth <= raster.depth_at(px.x + dx, px.y + dy) + kLabelTolerance;
        }
      }
      opacity *= seen / 5.0;
      if (opacity <= 0) return;
      // Pushed along the projected `outward`; straight up where that points at the camera.
      Vec2 offset = l.screen_dir * l.gap;
      if (l.gap > 0 && dot(l.outward, l.outward) > 0) {
        const Projected out = cam.project(l.at + normalized(l.outward) * 0.5);
        const Vec2 d = out.at - at.at;
        const double n = std::hypot(d.x, d.y);
        if (n > 1e-3) offset = d * (l.gap / n);
      }
      DrawState s;
      s.opacity = opacity;
      s.shift = at.at + offset;
      // Kept on the canvas: a label that would leave the frame is moved back inside its margin.
      const Box2 box = l.text->bounds(geo);
      const double margin = 0.12, half_w = geo.frame_width() / 2, half_h = geo.frame_height / 2;
      const double left = box.left + s.shift.x, right = box.right + s.shift.x;
      const double bottom = box.bottom + s.shift.y, top = box.top + s.shift.y;
      if (left < -half_w + margin) s.shift.x += -half_w + margin - left;
      if (right > half_w - margin) s.shift.x -= right - (half_w - margin);
      if (bottom < -half_h + margin) s.shift.y += -half_h + margin - bottom;
      if (top > half_h - margin) s.shift.y -= top - (half_h - margin);
      l.text->draw(cr, geo, s);
    };
    for (const auto& element : labels) {
      draw_label(element.body, element.opacity.value_at(clock) * state.opacity);
    }
    for (const auto& [label, opacity] : rig_labels) draw_label(label, opacity * state.opacity);
  }
}

}  // namespace trajtool
