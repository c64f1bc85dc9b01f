#include "viz/three_d/depth_raster.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace trajtool {
namespace {

constexpr float kFar = std::numeric_limits<float>::infinity();

uint32_t pack(float r, float g, float b, float a) {
  auto byte = [](float v) {
    return static_cast<uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return byte(a) << 24 | byte(r) << 16 | byte(g) << 8 | byte(b);
}

float channel(uint32_t pixel, int shift) {
  return static_cast<float>((pixel >> shift) & 0xffu) * (1.0f / 255.0f);
}

}  // namespace

void DepthRaster::reset(int width_px, int height_px, int supersample) {
  width_ = width_px;
  height_ = height_px;
  ss_ = std::max(1, supersample);
  sw_ = width_ * ss_;
  sh_ = height_ * ss_;
  const std::size_t n = static_cast<std::size_t>(sw_) * static_cast<std::size_t>(sh_);
  depth_.assign(n, kFar);
  color_.assign(n, 0u);
}

void DepthRaster::triangle(const RasterVertex& a, const RasterVertex& b0, const RasterVertex& c0,
                           const ColorTable& table) {
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
  const int last = static_cast<int>(table.entries.size()) - 1;
  const float opacity = static_cast<float>(table.opacity);
  for (int j = y_lo; j <= y_hi; ++j) {
    const float py = static_cast<float>(j);
    const float px = static_cast<float>(x_lo);
    float wa = edge(px, py, bx, by, cx, cy);
    float wb = edge(px, py, cx, cy, ax, ay);
    float wc = edge(px, py, ax, ay, bx, by);
    std::size_t index = static_cast<std::size_t>(j) * static_cast<std::size_t>(sw_) +
                        static_cast<std::size_t>(x_lo);
    for (int i = x_lo; i <= x_hi; ++i, ++index, wa += ea_dx, wb += eb_dx, wc += ec_dx) {
      if (wa < 0 || wb < 0 || wc < 0) continue;
      const float la = wa * inv, lb = wb * inv, lc = wc * inv;
      const float depth = la * a.depth + lb * b->depth + lc * c->depth;
      if (!(depth < depth_[index])) continue;
      depth_[index] = depth;
      const float t = std::clamp(la * a.t + lb * b->t + lc * c->t, 0.0f, 1.0f);
      const Rgba& e =
          table.entries[static_cast<std::size_t>(std::lround(t * static_cast<float>(last)))];
      const float k = (la * a.shade + lb * b->shade + lc * c->shade) * opacity;
      color_[index] = pack(static_cast<float>(e.r) * k, static_cast<float>(e.g) * k,
                           static_cast<float>(e.b) * k, opacity);
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

void DepthRaster::resolve(unsigned char* pixels, int stride) const {
  const int n = ss_ * ss_;
  for (int y = 0; y < height_; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < width_; ++x) {
      uint32_t sum[4] = {0, 0, 0, 0};
      for (int j = 0; j < ss_; ++j) {
        const uint32_t* sample =
            &color_[static_cast<std::size_t>(y * ss_ + j) * static_cast<std::size_t>(sw_) +
                    static_cast<std::size_t>(x * ss_)];
        for (int i = 0; i < ss_; ++i) {
          const uint32_t p = sample[i];
          sum[0] += p >> 24;
          sum[1] += (p >> 16) & 0xffu;
          sum[2] += (p >> 8) & 0xffu;
          sum[3] += p & 0xffu;
        }
      }
      const uint32_t half = static_cast<uint32_t>(n / 2);
      const uint32_t d = static_cast<uint32_t>(n);
      row[x] = ((sum[0] + half) / d) << 24 | ((sum[1] + half) / d) << 16 |
               ((sum[2] + half) / d) << 8 | ((sum[3] + half) / d);
    }
  }
}

}  // namespace trajtool
