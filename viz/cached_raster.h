#pragma once
// A mobject drawn once and then blitted: for expensive layers that never change inside (filled
// contours, heatmaps, axes with many ticks). The child is rendered at opacity 1 into an offscreen
// image the first time it is drawn at a given geometry; later frames composite that image with the
// animated opacity, shift and scale. On vector surfaces (SVG, PDF) the child is drawn directly, so
// stills stay vector.
#include <mutex>

#include "viz/mobject.h"

namespace trajtool {

class CachedRaster : public Mobject {
 public:
  // The child must draw inside its bounds() plus a margin of kCachedRasterMarginPx (at 720p).
  explicit CachedRaster(MobjectPtr child);
  ~CachedRaster() override;
  CachedRaster(const CachedRaster&) = delete;
  CachedRaster& operator=(const CachedRaster&) = delete;

  // Reveal multiplies the opacity: a cached layer fades in instead of being traced.
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override { return child_->bounds(geo); }

 private:
  MobjectPtr child_;
  mutable std::mutex mutex_;                  // guards the cache below
  mutable cairo_surface_t* cache_ = nullptr;  // the child at rest, or null
  mutable FrameGeometry cached_geo_;          // the geometry `cache_` was drawn for
  mutable int origin_x_ = 0, origin_y_ = 0;   // frame pixel of the cache's top-left corner
};

// Pixels (at 720p) around a cached child's bounds that are kept (strokes, labels' overhang).
constexpr double kCachedRasterMarginPx = 24;

}  // namespace trajtool
