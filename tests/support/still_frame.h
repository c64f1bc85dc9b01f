#pragma once
// For scene tests: a frame of a timeline rendered as a PNG still and read back (or a PNG file
// read), with its pixels as colours, and colour comparisons. Header-only.
#include <cairo.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>

#include "viz/color.h"
#include "viz/mobject.h"
#include "viz/renderer.h"

namespace trajtool::testing {

class StillFrame {
 public:
  // The PNG file at `path`.
  explicit StillFrame(const std::string& path)
      : surface_(cairo_image_surface_create_from_png(path.c_str())) {}
  // The frame of `timeline` at `t`.
  StillFrame(const Timeline& timeline, double t, const FrameGeometry& geo) {
    static int count = 0;  // makes each still's file name unique
    const std::filesystem::path png =
        std::filesystem::temp_directory_path() /
        ("still_" + std::to_string(::getpid()) + "_" + std::to_string(++count) + ".png");
    render_still(timeline, t, png.string(), StillFormat::png, geo);
    surface_ = cairo_image_surface_create_from_png(png.c_str());
    std::filesystem::remove(png);
  }
  StillFrame(const StillFrame&) = delete;
  StillFrame& operator=(const StillFrame&) = delete;
  ~StillFrame() { cairo_surface_destroy(surface_); }

  cairo_surface_t* surface() const { return surface_; }
  bool ok() const { return cairo_surface_status(surface_) == CAIRO_STATUS_SUCCESS; }
  // The colour of the pixel nearest to (px, py), in pixels from the top left (opaque).
  Rgba at(double px, double py) const {
    const int x = static_cast<int>(std::lround(px)), y = static_cast<int>(std::lround(py));
    const unsigned char* data = cairo_image_surface_get_data(surface_);
    const int stride = cairo_image_surface_get_stride(surface_);
    const auto pixel = *reinterpret_cast<const uint32_t*>(data + y * stride + 4 * x);
    return {((pixel >> 16) & 255) / 255.0, ((pixel >> 8) & 255) / 255.0, (pixel & 255) / 255.0, 1};
  }
  // The colour of the pixel that covers scene point `p`.
  Rgba at_scene(const FrameGeometry& geo, Vec2 p) const {
    return at(geo.to_px_x(p.x) - 0.5, geo.to_px_y(p.y) - 0.5);
  }

 private:
  cairo_surface_t* surface_ = nullptr;
};

// The largest difference of the red, green and blue of `a` and `b`.
inline double color_distance(Rgba a, Rgba b) {
  return std::max({std::fabs(a.r - b.r), std::fabs(a.g - b.g), std::fabs(a.b - b.b)});
}
inline bool close_to(Rgba a, Rgba b, double tolerance) { return color_distance(a, b) <= tolerance; }

}  // namespace trajtool::testing
