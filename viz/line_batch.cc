#include "viz/line_batch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

#include "viz/pixel_target.h"

namespace trajtool {
namespace {

// Colour (red, green, blue bytes) at alpha `a` (0..255) OVER the premultiplied pixel `dst`. An
// alpha of 0 leaves `dst` as it is (the rounded / 255 below is exact for it).
inline uint32_t blend_over(uint32_t dst, uint32_t a, uint32_t red, uint32_t green, uint32_t blue) {
  const uint32_t k = 255 - a;
  auto mix = [a, k](uint32_t src, uint32_t under) {
    const uint32_t x = src * a + under * k + 128;
    return (x + (x >> 8)) >> 8;  // / 255, rounded
  };
  return mix(255, dst >> 24) << 24 | mix(red, (dst >> 16) & 0xffu) << 16 |
         mix(green, (dst >> 8) & 0xffu) << 8 | mix(blue, dst & 0xffu);
}

inline uint32_t to_byte(float v) {
  return static_cast<uint32_t>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
}

}  // namespace

void rasterize_lines(unsigned char* pixels, int stride, int width, int height, int clip_x0,
                     int clip_y0, int clip_x1, int clip_y1, const std::vector<PixelLine>& lines,
                     Rgba color, double width_px) {
  clip_x0 = std::max(0, clip_x0);
  clip_y0 = std::max(0, clip_y0);
  clip_x1 = std::min(width, clip_x1);
  clip_y1 = std::min(height, clip_y1);
  if (clip_x0 >= clip_x1 || clip_y0 >= clip_y1 || color.a <= 0 || width_px <= 0) return;
  // A stroke narrower than a pixel still reaches half a pixel each side; its colour thins instead.
  const float half = static_cast<float>(std::max(0.5, width_px / 2));
  const float thin = static_cast<float>(std::min(1.0, width_px));
  const float base_alpha = static_cast<float>(color.a) * thin;
  const float reach = half + 0.5f;  // beyond this distance from the line, no coverage
  const uint32_t red = to_byte(static_cast<float>(color.r)),
                 green = to_byte(static_cast<float>(color.g)),
                 blue = to_byte(static_cast<float>(color.b));
  for (const PixelLine& line : lines) {
    // Coverage 0..255 at full coverage of the pixel.
    const float full = 255 * base_alpha * static_cast<float>(std::clamp(line.opacity, 0.0, 1.0));
    if (full < 0.5f) continue;
    const float ax = static_cast<float>(line.x0), ay = static_cast<float>(line.y0);
    const float bx = static_cast<float>(line.x1), by = static_cast<float>(line.y1);
    const float dx = bx - ax, dy = by - ay;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1e-6f) continue;
    const float inv_len = 1 / len;
    const float left = std::min(ax, bx) - reach, right = std::max(ax, bx) + reach;
    const int row_lo = std::max(clip_y0, static_cast<int>(std::floor(std::min(ay, by) - reach)));
    const int row_hi = std::min(clip_y1 - 1, static_cast<int>(std::ceil(std::max(ay, by) + reach)));
    // Along a row the stroke spans `span` pixels each side of where the line crosses it.
    const bool steep = std::fabs(dy) > 1e-6f;
    const float span = steep ? reach * len / std::fabs(dy) : 0;
    for (int j = row_lo; j <= row_hi; ++j) {
      const float qy = static_cast<float>(j) + 0.5f - ay;
      float x_from = left, x_to = right;
      if (steep) {
        const float cross = ax + qy * dx / dy;
        x_from = std::max(x_from, cross - span);
        x_to = std::min(x_to, cross + span);
      }
      const int col_lo = std::max(clip_x0, static_cast<int>(std::floor(x_from)));
      const int col_hi = std::min(clip_x1 - 1, static_cast<int>(std::ceil(x_to)));
      if (col_lo > col_hi) continue;
      auto* row = reinterpret_cast<uint32_t*>(pixels + static_cast<long>(j) * stride);
      // Along the row: the distance from the line (signed) and the position along it (0 at the
      // start, len at the end) change linearly.
      const float px0 = static_cast<float>(col_lo) + 0.5f - ax;
      float across = (px0 * dy - qy * dx) * inv_len;
      float along = (px0 * dx + qy * dy) * inv_len;
      const float d_across = dy * inv_len, d_along = dx * inv_len;
      for (int i = col_lo; i <= col_hi; ++i, across += d_across, along += d_along) {
        float dist = std::fabs(across);
        if (along < 0 || along > len) {  // beyond an end: the round cap
          const float beyond = along < 0 ? -along : along - len;
          dist = std::sqrt(dist * dist + beyond * beyond);
        }
        const float cover = half + 0.5f - dist;
        if (cover <= 0) continue;
        const uint32_t a = static_cast<uint32_t>(full * std::min(1.0f, cover) + 0.5f);
        if (a == 0) continue;
        row[i] = blend_over(row[i], a, red, green, blue);
      }
    }
  }
}

void draw_line_batch(cairo_t* cr, const std::vector<PixelLine>& lines, Rgba color,
                     double width_px) {
  cairo_new_path(cr);  // as a stroke leaves it, and so no stray current point joins the lines
  if (lines.empty()) return;
  if (const std::optional<PixelTarget> t = pixel_target(cr)) {
    cairo_surface_flush(t->surface);
    rasterize_lines(t->data, t->stride, t->width, t->height, t->clip_x0, t->clip_y0, t->clip_x1,
                    t->clip_y1, lines, color, width_px);
    cairo_surface_mark_dirty(t->surface);
    return;
  }
  cairo_save(cr);
  cairo_set_line_width(cr, width_px);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  std::vector<bool> done(lines.size(), false);
  for (std::size_t first = 0; first < lines.size(); ++first) {
    if (done[first]) continue;
    const double opacity = lines[first].opacity;
    for (std::size_t i = first; i < lines.size(); ++i) {
      if (done[i] || lines[i].opacity != opacity) continue;
      cairo_move_to(cr, lines[i].x0, lines[i].y0);
      cairo_line_to(cr, lines[i].x1, lines[i].y1);
      done[i] = true;
    }
    cairo_set_source_rgba(cr, color.r, color.g, color.b, color.a * opacity);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

LineStencil::LineStencil(std::vector<PixelLine> lines, double width_px, int width, int height)
    : lines_(std::move(lines)), width_px_(width_px), width_(width), height_(height) {
  // Rasterise each line alone, opaque, into a scratch row set and keep the pixels it touched.
  std::vector<uint32_t> scratch(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  auto* pixels = reinterpret_cast<unsigned char*>(scratch.data());
  const int stride = width * 4;
  for (const PixelLine& line : lines_) {
    first_.push_back(static_cast<int32_t>(spans_.size()));
    PixelLine opaque = line;
    opaque.opacity = 1;
    rasterize_lines(pixels, stride, width, height, 0, 0, width, height, {opaque}, {1, 1, 1, 1},
                    width_px);
    const int reach = static_cast<int>(std::ceil(std::max(0.5, width_px / 2) + 1));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(line.y0, line.y1))) - reach);
    const int y1 =
        std::min(height - 1, static_cast<int>(std::ceil(std::max(line.y0, line.y1))) + reach);
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(line.x0, line.x1))) - reach);
    const int x1 =
        std::min(width - 1, static_cast<int>(std::ceil(std::max(line.x0, line.x1))) + reach);
    for (int y = y0; y <= y1; ++y) {
      uint32_t* row =
          scratch.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
      int x = x0;
      while (x <= x1) {
        if (row[x] == 0) {
          ++x;
          continue;
        }
        Span span;
        span.row = y;
        span.column = x;
        span.cover_at = static_cast<int32_t>(cover_.size());
        while (x <= x1 && row[x] != 0) {
          cover_.push_back(static_cast<uint8_t>(row[x] >> 24));
          row[x] = 0;
          ++x;
        }
        span.count = x - span.column;
        spans_.push_back(span);
      }
    }
  }
  first_.push_back(static_cast<int32_t>(spans_.size()));
}

void LineStencil::draw(cairo_t* cr, const std::vector<Rgba>& colors) const {
  cairo_new_path(cr);
  std::optional<PixelTarget> target = pixel_target(cr);
  if (target && (target->width != width_ || target->height != height_ || !target->unclipped())) {
    target.reset();
  }
  if (!target) {  // Cairo strokes them, one path per run of equal colours
    for (std::size_t k = 0; k < lines_.size() && k < colors.size(); ++k) {
      const Rgba c = colors[k];
      if (c.a * lines_[k].opacity <= 0) continue;
      draw_line_batch(cr, {lines_[k]}, c, width_px_);
    }
    return;
  }
  cairo_surface_flush(target->surface);
  unsigned char* data = target->data;
  const int stride = target->stride;
  for (std::size_t k = 0; k + 1 < first_.size() && k < colors.size(); ++k) {
    const Rgba c = colors[k];
    // (A line thinner than a pixel has its thinning in its coverages.)
    const float full = 255 * static_cast<float>(std::clamp(c.a * lines_[k].opacity, 0.0, 1.0));
    if (full < 0.5f) continue;
    const uint32_t red = to_byte(static_cast<float>(c.r)), green = to_byte(static_cast<float>(c.g)),
                   blue = to_byte(static_cast<float>(c.b));
    // Alpha of a pixel of coverage v: full * v / 255, as a table.
    uint32_t alpha_of[256];
    for (int v = 0; v < 256; ++v) {
      alpha_of[v] = static_cast<uint32_t>(full * static_cast<float>(v) / 255.0f + 0.5f);
    }
    for (int32_t s = first_[k]; s < first_[k + 1]; ++s) {
      const Span& span = spans_[static_cast<std::size_t>(s)];
      auto* row =
          reinterpret_cast<uint32_t*>(data + static_cast<long>(span.row) * stride) + span.column;
      const uint8_t* cover = cover_.data() + span.cover_at;
      for (int32_t i = 0; i < span.count; ++i) {
        row[i] = blend_over(row[i], alpha_of[cover[i]], red, green, blue);
      }
    }
  }
  cairo_surface_mark_dirty(target->surface);
}

std::shared_ptr<const LineStencil> LineStencilCache::get(int width, int height,
                                                         const std::function<LineStencil()>& make) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!stencil_ || stencil_->width() != width || stencil_->height() != height) {
    stencil_ = std::make_shared<const LineStencil>(make());
  }
  return stencil_;
}

}  // namespace trajtool
