#include "viz/cached_raster.h"

#include <algorithm>
#include <cmath>

#include "toolkit/core/error.h"

namespace trajtool {

CachedRaster::CachedRaster(MobjectPtr child) : child_(std::move(child)) {
  if (!child_) throw InputError("CachedRaster needs a mobject to cache");
}

CachedRaster::~CachedRaster() {
  if (cache_) cairo_surface_destroy(cache_);
}

void CachedRaster::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (cairo_surface_get_type(cairo_get_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE) {
    child_->draw(cr, geo, state);  // vector output: stay vector
    return;
  }
  const double opacity = state.opacity * std::clamp(state.reveal, 0.0, 1.0);
  if (opacity <= 0 || state.scale <= 0) return;

  std::lock_guard<std::mutex> lock(mutex_);
  if (!cache_ || !(cached_geo_ == geo)) {
    if (cache_) cairo_surface_destroy(cache_);
    cache_ = nullptr;
    const Box2 b = child_->bounds(geo);
    const double margin = kCachedRasterMarginPx * geo.height_px / 720.0;
    const int x0 = std::max(0, static_cast<int>(std::floor(geo.to_px_x(b.left) - margin)));
    const int y0 = std::max(0, static_cast<int>(std::floor(geo.to_px_y(b.top) - margin)));
    const int x1 =
        std::min(geo.width_px, static_cast<int>(std::ceil(geo.to_px_x(b.right) + margin)));
    const int y1 =
        std::min(geo.height_px, static_cast<int>(std::ceil(geo.to_px_y(b.bottom) + margin)));
    if (x1 <= x0 || y1 <= y0) return;  // entirely off screen
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, x1 - x0, y1 - y0);
    cairo_t* c = cairo_create(surface);
    cairo_translate(c, -x0, -y0);
    child_->draw(c, geo, DrawState{});
    const cairo_status_t status = cairo_status(c);
    cairo_destroy(c);
    if (status != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(surface);
      throw RuntimeFailure(std::string("cannot cache a layer: ") + cairo_status_to_string(status));
    }
    cairo_surface_flush(surface);
    cache_ = surface;
    cached_geo_ = geo;
    origin_x_ = x0;
    origin_y_ = y0;
  }

  cairo_save(cr);
  if (state.scale != 1) {
    const Vec2 c = child_->bounds(geo).center();
    const double cx = geo.to_px_x(c.x), cy = geo.to_px_y(c.y);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, state.scale, state.scale);
    cairo_translate(cr, -cx, -cy);
  }
  const double dx = state.shift.x * geo.px_per_unit();
  const double dy = -state.shift.y * geo.px_per_unit();
  cairo_set_source_surface(cr, cache_, origin_x_ + dx, origin_y_ + dy);
  cairo_paint_with_alpha(cr, opacity);
  cairo_restore(cr);
}

}  // namespace trajtool
