#include "viz/three_d/depth_raster.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace trajtool {
namespace {

constexpr float kFar = std::numeric_limits<float>::infinity();

inline uint32_t byte_of(float v) {
  return static_cast<uint32_t>((v < 0 ? 0 : v > 1 ? 1 : v) * 255.0f + 0.5f);
}

inline uint32_t pack(float r, float g, float b, float a) {
  return byte_of(a) << 24 | byte_of(r) << 16 | byte_of(g) << 8 | byte_of(b);
}

float channel(uint32_t pixel, int shift) {
  return static_cast<float>((pixel >> shift) & 0xffu) * (1.0f / 255.0f);
}

}  // namespace

void DepthRaster::reset(int width_px, int height_px, int supersample) {
  const int ss = std::max(1, supersample);
  if (width_px != width_ || height_px != height_ || ss != ss_) {
    width_ = width_px;
    height_ = height_px;
    ss_ = ss;
    sw_ = width_ * ss_;
    sh_ = height_ * ss_;
    const std::size_t n = static_cast<std::size_t>(sw_) * static_cast<std::size_t>(sh_);
    depth_.assign(n, kFar);
    color_.assign(n, 0u);
  } else if (dirty_lo_ <= dirty_hi_) {  // only the rows the last picture touched
    const std::size_t from = static_cast<std::size_t>(dirty_lo_) * static_cast<std::size_t>(sw_);
    const std::size_t to = static_cast<std::size_t>(dirty_hi_ + 1) * static_cast<std::size_t>(sw_);
    std::fill(depth_.begin() + static_cast<std::ptrdiff_t>(from),
              depth_.begin() + static_cast<std::ptrdiff_t>(to), kFar);
    std::fill(color_.begin() + static_cast<std::ptrdiff_t>(from),
              color_.begin() + static_cast<std::ptrdiff_t>(to), 0u);
  }
  dirty_lo_ = sh_;
  dirty_hi_ = -1;
  dirty_left_ = sw_;
  dirty_right_ = -1;
}

void DepthRaster::touch(int col_lo, int col_hi, int row_lo, int row_hi) {
  dirty_lo_ = std::min(dirty_lo_, row_lo);
  dirty_hi_ = std::max(dirty_hi_, row_hi);
  dirty_left_ = std::min(dirty_left_, col_lo);
  dirty_right_ = std::max(dirty_right_, col_hi);
}

PixelRect DepthRaster::dirty() const {
  if (dirty_hi_ < 0) return {};
  return {dirty_left_ / ss_, dirty_lo_ / ss_, dirty_right_ / ss_, dirty_hi_ / ss_};
}

void DepthRaster::set_table(const ColorTable& table) {
  table_.clear();
  for (const Rgba& e : table.entries) {
    table_.push_back(static_cast<float>(e.r));
    table_.push_back(static_cast<float>(e.g));
    table_.push_back(static_cast<float>(e.b));
  }
  table_opacity_ = static_cast<float>(table.opacity);
  table_banded_ = table.banded && table.entries.size() > 1;
}

void DepthRaster::triangle(const RasterVertex& a, const RasterVertex& b0, const RasterVertex& c0) {
  const float s = static_cast<float>(ss_);
  // Sample (i, j) has its centre at pixel ((i + 0.5) / ss, (j + 0.5) / ss): in sample space the
  // centres are the integers.
  const float ax = a.x * s - 0.5f, ay = a.y * s - 0.5f;
  float bx = b0.x * s - 0.5f, by = b0.y * s - 0.5f;
  float cx = c0.x * s - 0.5f, cy = c0.y * s - 0.5f;
  const RasterVertex* b = &b0;
  const RasterVertex* c = &c0;
  float area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  if (!(std::fabs(area) > 1e-6f)) return;
  if (area < 0) {
    std::swap(b, c);
    std::swap(bx, cx);
    std::swap(by, cy);
    area = -area;
  }
  const int x_lo = std::max(0, static_cast<int>(std::ceil(std::min({ax, bx, cx}))));
  const int x_hi = std::min(sw_ - 1, static_cast<int>(std::floor(std::max({ax, bx, cx}))));
  const int y_lo = std::max(0, static_cast<int>(std::ceil(std::min({ay, by, cy}))));
  const int y_hi = std::min(sh_ - 1, static_cast<int>(std::floor(std::max({ay, by, cy}))));
  if (x_lo > x_hi || y_lo > y_hi) return;
  // Edge functions: wa is zero on the edge b-c and `area` at a (likewise wb, wc); they sum to area.
  auto edge = [](float px, float py, float x0, float y0, float x1, float y1) {
    return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0);
  };
  const float inv = 1.0f / area;
  const float ea_dx = -(cy - by), eb_dx = -(ay - cy), ec_dx = -(by - ay);
  const std::size_t entries = table_.size() / 3;
  // Continuous: t * last is the entry's index. Banded: t * entries is the band's index plus the
  // place inside it.
  const float last = static_cast<float>(entries - 1);
  const float scale = table_banded_ ? static_cast<float>(entries) : last;
  const float opacity = table_opacity_;
  // Depth, t and shade are planes over the samples: value = at(a) + d/dx * (x - ax) + d/dy * (y -
  // ay), from the barycentric weights' own gradients.
  const float la_dx = ea_dx * inv, lb_dx = eb_dx * inv, lc_dx = ec_dx * inv;
  const float la_dy = (cx - bx) * inv, lb_dy = (ax - cx) * inv, lc_dy = (bx - ax) * inv;
  auto plane = [&](float va, float vb, float vc, float* dx, float* dy) {
    *dx = la_dx * va + lb_dx * vb + lc_dx * vc;
    *dy = la_dy * va + lb_dy * vb + lc_dy * vc;
  };
  float depth_dx, depth_dy, t_dx, t_dy, shade_dx, shade_dy;
  plane(a.depth, b->depth, c->depth, &depth_dx, &depth_dy);
  plane(a.t * scale, b->t * scale, c->t * scale, &t_dx, &t_dy);
  // How far t moves across one sample: the width over which a band edge is blended.
  const float footprint = std::max(1e-4f, std::fabs(t_dx) + std::fabs(t_dy));
  const float inv_footprint = 1 / footprint;
  plane(a.shade * opacity, b->shade * opacity, c->shade * opacity, &shade_dx, &shade_dy);
  touch(x_lo, x_hi, y_lo, y_hi);
  for (int j = y_lo; j <= y_hi; ++j) {
    const float py = static_cast<float>(j);
    const float px = static_cast<float>(x_lo);
    float wa = edge(px, py, bx, by, cx, cy);
    float wb = edge(px, py, cx, cy, ax, ay);
    float wc = edge(px, py, ax, ay, bx, by);
    // The row's span where all three are >= 0: each edge bounds it on one side.
    float from = 0, to = static_cast<float>(x_hi - x_lo);
    bool empty = false;
    for (const auto& [w, d] : {std::pair<float, float>{wa, ea_dx}, {wb, eb_dx}, {wc, ec_dx}}) {
      if (d > 0) {
        from = std::max(from, -w / d);
      } else if (d < 0) {
        to = std::min(to, -w / d);
      } else if (w < 0) {
        empty = true;
      }
    }
    if (empty || from > to) continue;
    const int i0 = x_lo + std::max(0, static_cast<int>(std::ceil(from)) - 1);
    const int i1 = std::min(x_hi, x_lo + static_cast<int>(std::floor(to)) + 1);
    const float skip = static_cast<float>(i0 - x_lo);
    wa += ea_dx * skip;
    wb += eb_dx * skip;
    wc += ec_dx * skip;
    const float ox = static_cast<float>(i0) - ax, oy = py - ay;
    float depth = a.depth + depth_dx * ox + depth_dy * oy;
    float t = a.t * scale + t_dx * ox + t_dy * oy;
    float shade = a.shade * opacity + shade_dx * ox + shade_dy * oy;
    std::size_t index =
        static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) + static_cast<std::size_t>(i0);
    for (int i = i0; i <= i1; ++i, ++index, wa += ea_dx, wb += eb_dx, wc += ec_dx,
             depth += depth_dx, t += t_dx, shade += shade_dx) {
      if (wa < 0 || wb < 0 || wc < 0 || !(depth < depth_[index])) continue;
      depth_[index] = depth;
      if (!table_banded_) {
        const float* e = &table_[3 * static_cast<std::size_t>(std::clamp(t, 0.0f, last) + 0.5f)];
        color_[index] = pack(e[0] * shade, e[1] * shade, e[2] * shade, opacity);
        continue;
      }
      const float u = std::clamp(t, 0.0f, scale - 1e-4f);
      const std::size_t k = static_cast<std::size_t>(u);
      const float f = u - static_cast<float>(k);
      // The neighbouring band's share where the edge lies within half a footprint.
      const float up = k + 1 < entries ? std::clamp((f - 1) * inv_footprint + 0.5f, 0.0f, 0.5f) : 0;
      const float down = k > 0 ? std::clamp(0.5f - f * inv_footprint, 0.0f, 0.5f) : 0;
      const float* e = &table_[3 * k];
      float r = e[0], g = e[1], bl = e[2];
      if (up > 0) {
        const float* n = e + 3;
        r += (n[0] - r) * up;
        g += (n[1] - g) * up;
        bl += (n[2] - bl) * up;
      } else if (down > 0) {
        const float* n = e - 3;
        r += (n[0] - r) * down;
        g += (n[1] - g) * down;
        bl += (n[2] - bl) * down;
      }
      color_[index] = pack(r * shade, g * shade, bl * shade, opacity);
    }
  }
}

void DepthRaster::blend(std::size_t index, float depth, float r, float g, float b, float a) {
  const uint32_t dst = color_[index];
  const float dr = channel(dst, 16), dg = channel(dst, 8), db = channel(dst, 0),
              da = channel(dst, 24);
  if (depth <= depth_[index]) {  // over what is there
    const float k = 1 - a;
    color_[index] = pack(r + dr * k, g + dg * k, b + db * k, a + da * k);
  } else {  // under it
    const float k = 1 - da;
    color_[index] = pack(dr + r * k, dg + g * k, db + b * k, da + a * k);
  }
}

void DepthRaster::segment(float x0, float y0, float d0, Rgba c0, float x1, float y1, float d1,
                          Rgba c1, float width_px, float lift) {
  const float s = static_cast<float>(ss_);
  const float ax = x0 * s - 0.5f, ay = y0 * s - 0.5f, bx = x1 * s - 0.5f, by = y1 * s - 0.5f;
  const float half = std::max(0.5f, width_px * s / 2);
  const float reach = half + 1;
  const int x_lo = std::max(0, static_cast<int>(std::floor(std::min(ax, bx) - reach)));
  const int x_hi = std::min(sw_ - 1, static_cast<int>(std::ceil(std::max(ax, bx) + reach)));
  const int y_lo = std::max(0, static_cast<int>(std::floor(std::min(ay, by) - reach)));
  const int y_hi = std::min(sh_ - 1, static_cast<int>(std::ceil(std::max(ay, by) + reach)));
  if (x_lo > x_hi || y_lo > y_hi) return;
  touch(x_lo, x_hi, y_lo, y_hi);
  const float dx = bx - ax, dy = by - ay;
  const float len2 = dx * dx + dy * dy;
  const float inv_len2 = len2 > 1e-12f ? 1 / len2 : 0;
  for (int j = y_lo; j <= y_hi; ++j) {
    const float py = static_cast<float>(j) - ay;
    std::size_t index = static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) +
                        static_cast<std::size_t>(x_lo);
    for (int i = x_lo; i <= x_hi; ++i, ++index) {
      const float px = static_cast<float>(i) - ax;
      const float t = std::clamp((px * dx + py * dy) * inv_len2, 0.0f, 1.0f);
      const float ex = px - t * dx, ey = py - t * dy;
      const float dist = std::sqrt(ex * ex + ey * ey);
      // Coverage of a sample-sized box by the stroke's edge: a one-sample ramp.
      const float cover = std::clamp(half + 0.5f - dist, 0.0f, 1.0f);
      if (cover <= 0) continue;
      const float u = 1 - t;
      const float alpha = cover * static_cast<float>(u * c0.a + t * c1.a);
      if (alpha <= 0) continue;
      const float r = static_cast<float>(u * c0.r + t * c1.r),
                  g = static_cast<float>(u * c0.g + t * c1.g),
                  b = static_cast<float>(u * c0.b + t * c1.b);
      blend(index, u * d0 + t * d1 - lift, r * alpha, g * alpha, b * alpha, alpha);
    }
  }
}

void DepthRaster::disc(float x, float y, float depth, float radius_px, Rgba fill, Rgba ring,
                       float ring_px, float lift) {
  const float s = static_cast<float>(ss_);
  const float cx = x * s - 0.5f, cy = y * s - 0.5f;
  const float outer = (radius_px + std::max(0.0f, ring_px) / 2) * s;
  const float inner = (radius_px - std::max(0.0f, ring_px) / 2) * s;
  const int x_lo = std::max(0, static_cast<int>(std::floor(cx - outer - 1)));
  const int x_hi = std::min(sw_ - 1, static_cast<int>(std::ceil(cx + outer + 1)));
  const int y_lo = std::max(0, static_cast<int>(std::floor(cy - outer - 1)));
  const int y_hi = std::min(sh_ - 1, static_cast<int>(std::ceil(cy + outer + 1)));
  if (x_lo > x_hi || y_lo > y_hi) return;
  touch(x_lo, x_hi, y_lo, y_hi);
  for (int j = y_lo; j <= y_hi; ++j) {
    std::size_t index = static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) +
                        static_cast<std::size_t>(x_lo);
    for (int i = x_lo; i <= x_hi; ++i, ++index) {
      const float ex = static_cast<float>(i) - cx, ey = static_cast<float>(j) - cy;
      const float dist = std::sqrt(ex * ex + ey * ey);
      const float cover = std::clamp(outer + 0.5f - dist, 0.0f, 1.0f);
      if (cover <= 0) continue;
      // Inside the ring's inner edge: the fill; the ring's colour fades in across that edge.
      const float in_fill = ring_px > 0 ? std::clamp(inner + 0.5f - dist, 0.0f, 1.0f) : 1.0f;
      const float u = 1 - in_fill;
      const float a = static_cast<float>(in_fill * fill.a + u * ring.a);
      const float alpha = cover * a;
      if (alpha <= 0) continue;
      const float k = cover;
      const float r = static_cast<float>(in_fill * fill.r * fill.a + u * ring.r * ring.a) * k,
                  g = static_cast<float>(in_fill * fill.g * fill.a + u * ring.g * ring.a) * k,
                  b = static_cast<float>(in_fill * fill.b * fill.a + u * ring.b * ring.a) * k;
      blend(index, depth - lift, r, g, b, alpha);
    }
  }
}

float DepthRaster::depth_at(float x, float y) const {
  const int i = static_cast<int>(std::floor(x * static_cast<float>(ss_)));
  const int j = static_cast<int>(std::floor(y * static_cast<float>(ss_)));
  if (i < 0 || j < 0 || i >= sw_ || j >= sh_) return kFar;
  return depth_[static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) +
                static_cast<std::size_t>(i)];
}

uint32_t DepthRaster::box_filtered(const uint32_t* first_row, int x) const {
  // Sums of the channels in two 16-bit lanes each: alpha+green and red+blue.
  const uint32_t n = static_cast<uint32_t>(ss_ * ss_), half = n / 2;
  uint32_t ag = 0, rb = 0;
  for (int j = 0; j < ss_; ++j) {
    const uint32_t* sample = first_row +
                             static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) +
                             static_cast<std::size_t>(x * ss_);
    for (int i = 0; i < ss_; ++i) {
      ag += (sample[i] >> 8) & 0x00ff00ffu;
      rb += sample[i] & 0x00ff00ffu;
    }
  }
  if ((ag | rb) == 0) return 0;
  const uint32_t a = ((ag >> 16) + half) / n, g = ((ag & 0xffffu) + half) / n;
  const uint32_t r = ((rb >> 16) + half) / n, b = ((rb & 0xffffu) + half) / n;
  return a << 24 | r << 16 | g << 8 | b;
}

void DepthRaster::resolve(unsigned char* pixels, int stride, PixelRect rect) const {
  const int x0 = std::max(0, rect.left), x1 = std::min(width_ - 1, rect.right);
  if (ss_ == 1) {  // one sample per pixel: the samples are the picture
    for (int y = std::max(0, rect.top); y <= std::min(height_ - 1, rect.bottom); ++y) {
      if (x1 < x0) break;
      std::memcpy(pixels + static_cast<std::ptrdiff_t>(y) * stride + 4 * x0,
                  &color_[static_cast<std::size_t>(y) * static_cast<std::size_t>(sw_) +
                          static_cast<std::size_t>(x0)],
                  4 * static_cast<std::size_t>(x1 - x0 + 1));
    }
    return;
  }
  for (int y = std::max(0, rect.top); y <= std::min(height_ - 1, rect.bottom); ++y) {
    auto* row = reinterpret_cast<uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
    const uint32_t* first =
        &color_[static_cast<std::size_t>(y * ss_) * static_cast<std::size_t>(sw_)];
    for (int x = x0; x <= x1; ++x) row[x] = box_filtered(first, x);
  }
}

void DepthRaster::composite_over(unsigned char* pixels, int stride, PixelRect rect,
                                 double opacity) const {
  const int x0 = std::max(0, rect.left), x1 = std::min(width_ - 1, rect.right);
  const auto scale = static_cast<uint32_t>(std::lround(std::clamp(opacity, 0.0, 1.0) * 256));
  if (x1 < x0 || scale == 0) return;
  // x * a / 255, rounded, for bytes.
  auto mul = [](uint32_t x, uint32_t a) {
    const uint32_t t = x * a + 128;
    return (t + (t >> 8)) >> 8;
  };
  for (int y = std::max(0, rect.top); y <= std::min(height_ - 1, rect.bottom); ++y) {
    auto* row = reinterpret_cast<uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
    const uint32_t* first =
        &color_[static_cast<std::size_t>(y * ss_) * static_cast<std::size_t>(sw_)];
    for (int x = x0; x <= x1; ++x) {
      uint32_t src = ss_ == 1 ? first[x] : box_filtered(first, x);
      if (src == 0) continue;
      if (scale < 256) {  // the whole picture faded: every premultiplied channel scaled
        src = ((src >> 24) * scale >> 8) << 24 | (((src >> 16) & 0xffu) * scale >> 8) << 16 |
              (((src >> 8) & 0xffu) * scale >> 8) << 8 | ((src & 0xffu) * scale >> 8);
      }
      const uint32_t a = src >> 24;
      if (a == 255) {
        row[x] = src;
        continue;
      }
      const uint32_t k = 255 - a, dst = row[x];
      row[x] = (a + mul(dst >> 24, k)) << 24 |
               (((src >> 16) & 0xffu) + mul((dst >> 16) & 0xffu, k)) << 16 |
               (((src >> 8) & 0xffu) + mul((dst >> 8) & 0xffu, k)) << 8 |
               ((src & 0xffu) + mul(dst & 0xffu, k));
    }
  }
}

}  // namespace trajtool
