#include "viz/heatmap.h"

#include <algorithm>
#include <cmath>

#include "viz/contours.h"

namespace trajtool {

struct FilledContours::Raster {
  int x0 = 0;  // pixel position of the image's top-left corner
  int y0 = 0;
  cairo_surface_t* surface = nullptr;  // ARGB32 image of the plot box
  ~Raster() {
    if (surface != nullptr) cairo_surface_destroy(surface);
  }
};

double sample_bilinear(const LossGrid& grid, double x, double y) {
  if (grid.nx < 2 || grid.ny < 2) return std::nan("");
  const double u = (x - grid.x_min) / (grid.x_max - grid.x_min) * static_cast<double>(grid.nx - 1);
  const double v = (y - grid.y_min) / (grid.y_max - grid.y_min) * static_cast<double>(grid.ny - 1);
  const double last_u = static_cast<double>(grid.nx - 1);
  const double last_v = static_cast<double>(grid.ny - 1);
  if (!(u >= 0 && u <= last_u && v >= 0 && v <= last_v)) return std::nan("");
  const int64_t i = std::min(static_cast<int64_t>(u), grid.nx - 2);
  const int64_t j = std::min(static_cast<int64_t>(v), grid.ny - 2);
  const double fu = u - static_cast<double>(i);
  const double fv = v - static_cast<double>(j);
  const double* row0 = &grid.values[static_cast<size_t>(j * grid.nx + i)];
  const double* row1 = row0 + grid.nx;
  const double w[4] = {(1 - fu) * (1 - fv), fu * (1 - fv), (1 - fu) * fv, fu * fv};
  const double s[4] = {row0[0], row0[1], row1[0], row1[1]};
  double sum = 0;
  for (int k = 0; k < 4; ++k) {
    if (w[k] == 0) continue;
    if (!std::isfinite(s[k])) return INFINITY;  // undefined here
    sum += w[k] * s[k];
  }
  return sum;
}

FilledContours::FilledContours(const Axes& axes, std::shared_ptr<const LossGrid> grid,
                               ContourLevels levels, FillStyle style)
    : axes_(axes), grid_(std::move(grid)), levels_(std::move(levels)), style_(style) {
  const size_t bands = levels_.values.size() + 1;
  for (size_t b = 0; b < bands; ++b) {
    band_colors_.push_back(
        style_.colormap.sample((static_cast<double>(b) + 0.5) / static_cast<double>(bands)));
  }
}

FilledContours::~FilledContours() = default;

std::unique_ptr<const FilledContours::Raster> FilledContours::make_raster(
    const FrameGeometry& geo) const {
  auto raster = std::make_unique<Raster>();
  const Box2& box = axes_.plot_box();
  raster->x0 = static_cast<int>(std::floor(geo.to_px_x(box.left)));
  raster->y0 = static_cast<int>(std::floor(geo.to_px_y(box.top)));
  const int x1 = static_cast<int>(std::ceil(geo.to_px_x(box.right)));
  const int y1 = static_cast<int>(std::ceil(geo.to_px_y(box.bottom)));
  const int w = std::max(1, x1 - raster->x0);
  const int h = std::max(1, y1 - raster->y0);
  raster->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_flush(raster->surface);
  unsigned char* data = cairo_image_surface_get_data(raster->surface);
  const int stride = cairo_image_surface_get_stride(raster->surface);
  const double ppu = geo.px_per_unit();
  const double half_width = geo.frame_width() / 2;
  auto to_byte = [](double c) {
    return static_cast<uint32_t>(std::lround(std::clamp(c, 0.0, 1.0) * 255));
  };
  auto pack = [&](Rgba c) {  // premultiplied native-endian ARGB
    const double a = std::clamp(c.a, 0.0, 1.0);
    return (to_byte(a) << 24) | (to_byte(c.r * a) << 16) | (to_byte(c.g * a) << 8) |
           to_byte(c.b * a);
  };
  // Continuous colours come from a fine table; bands from their few colours.
  constexpr int kLutSize = 1024;
  std::vector<uint32_t> lut;
  if (style_.mode == FillMode::kContinuous) {
    for (int k = 0; k < kLutSize; ++k)
      lut.push_back(pack(style_.colormap.sample(k / (kLutSize - 1.0))));
  }
  std::vector<uint32_t> bands;
  for (const Rgba& c : band_colors_) bands.push_back(pack(c));
  const uint32_t undefined = pack(style_.undefined_color);

  for (int py = 0; py < h; ++py) {
    auto* row = reinterpret_cast<uint32_t*>(data + static_cast<ptrdiff_t>(py) * stride);
    const double scene_y = geo.frame_height / 2 - (raster->y0 + py + 0.5) / ppu;
    for (int px = 0; px < w; ++px) {
      const double scene_x = (raster->x0 + px + 0.5) / ppu - half_width;
      const Vec2 d = axes_.scene_to_data({scene_x, scene_y});
      const double value = sample_bilinear(*grid_, d.x, d.y);
      if (std::isnan(value)) {
        row[px] = 0;
      } else if (!std::isfinite(value)) {
        row[px] = undefined;
      } else if (style_.mode == FillMode::kContinuous) {
        const double f = levels_.fraction(value);
        row[px] = lut[static_cast<size_t>(std::lround(f * (kLutSize - 1)))];
      } else {
        const auto band = std::upper_bound(levels_.values.begin(), levels_.values.end(), value) -
                          levels_.values.begin();
        row[px] = bands[static_cast<size_t>(band)];
      }
    }
  }
  cairo_surface_mark_dirty(raster->surface);
  return raster;
}

void FilledContours::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double alpha = state.opacity * std::clamp(state.reveal, 0.0, 1.0) * style_.opacity;
  if (alpha <= 0 || !grid_) return;
  const auto raster = make_raster(geo);
  cairo_save(cr);
  apply_draw_transform(cr, geo, state, axes_.plot_box().center());
  clip_to_plot_box(cr, geo, axes_);
  cairo_set_source_surface(cr, raster->surface, raster->x0, raster->y0);
  cairo_paint_with_alpha(cr, alpha);
  cairo_restore(cr);
}

Box2 FilledContours::bounds(const FrameGeometry&) const { return axes_.plot_box(); }

}  // namespace trajtool
