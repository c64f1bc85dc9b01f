// Batched lines: pixels against the lines' geometry, ink against Cairo's own strokes of the same
// lines, and Cairo's strokes wherever pixels cannot be written directly (a transformed context).
#include "viz/line_batch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace trajtool {
namespace {

struct Image {
  cairo_surface_t* surface;
  cairo_t* cr;
  Image(int w, int h)
      : surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)), cr(cairo_create(surface)) {}
  ~Image() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  }
  // Alpha of pixel (x, y), 0..255.
  int alpha(int x, int y) {
    cairo_surface_flush(surface);
    const unsigned char* row =
        cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface);
    return static_cast<int>(reinterpret_cast<const uint32_t*>(row)[x] >> 24);
  }
  uint32_t pixel(int x, int y) {
    cairo_surface_flush(surface);
    const unsigned char* row =
        cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface);
    return reinterpret_cast<const uint32_t*>(row)[x];
  }
  double ink() {
    double sum = 0;
    for (int y = 0; y < cairo_image_surface_get_height(surface); ++y)
      for (int x = 0; x < cairo_image_surface_get_width(surface); ++x) sum += alpha(x, y);
    return sum / 255;
  }
};

TEST(LineBatch, CoversTheStrokeAndNothingBeyondIt) {
  Image image(100, 60);
  draw_line_batch(image.cr, {{10, 30, 90, 30}}, {1, 0, 0, 1}, 2);
  // Rows 29 and 30 have their centres 0.5 from the line: fully inside a 2-pixel stroke.
  for (int x = 10; x <= 89; ++x) {
    EXPECT_EQ(image.pixel(x, 29), 0xffff0000u) << x;
    EXPECT_EQ(image.pixel(x, 30), 0xffff0000u) << x;
  }
  // 2.5 pixels from the line, or past the round caps: untouched.
  for (int x = 0; x < 100; ++x) {
    EXPECT_EQ(image.alpha(x, 27), 0) << x;
    EXPECT_EQ(image.alpha(x, 32), 0) << x;
  }
  for (int y = 0; y < 60; ++y) {
    EXPECT_EQ(image.alpha(7, y), 0) << y;
    EXPECT_EQ(image.alpha(92, y), 0) << y;
  }
  // The round cap: the pixel whose centre lies 0.5 beyond the end and 0.5 off the line (0.71 from
  // the end, inside the 1-pixel cap and its half-pixel ramp) is partly covered; 1.5 beyond (1.58
  // from the end) is not.
  EXPECT_GT(image.alpha(90, 29), 150);
  EXPECT_LT(image.alpha(90, 29), 255);
  EXPECT_EQ(image.alpha(91, 29), 0);
}

TEST(LineBatch, InkMatchesCairosStrokesOfTheSameLines) {
  std::vector<PixelLine> lines;
  for (int k = 0; k < 12; ++k) {
    const double a = 0.13 + k * 0.27;  // angles all round
    lines.push_back({100, 100, 100 + 80 * std::cos(a), 100 + 80 * std::sin(a), 0.3 + 0.05 * k});
  }
  Image ours(200, 200), cairo(200, 200);
  draw_line_batch(ours.cr, lines, {0.2, 0.6, 1, 0.9}, 1.5);
  cairo_set_line_width(cairo.cr, 1.5);
  cairo_set_line_cap(cairo.cr, CAIRO_LINE_CAP_ROUND);
  for (const PixelLine& l : lines) {
    cairo_set_source_rgba(cairo.cr, 0.2, 0.6, 1, 0.9 * l.opacity);
    cairo_move_to(cairo.cr, l.x0, l.y0);
    cairo_line_to(cairo.cr, l.x1, l.y1);
    cairo_stroke(cairo.cr);
  }
  const double ink = ours.ink(), reference = cairo.ink();
  EXPECT_NEAR(ink, reference, 0.05 * reference);
  // Away from the shared start, where every line overlaps, each pixel is close to Cairo's.
  int far = 0;
  for (int y = 0; y < 200; ++y) {
    for (int x = 0; x < 200; ++x) {
      if (std::hypot(x + 0.5 - 100, y + 0.5 - 100) < 12) continue;
      if (std::abs(ours.alpha(x, y) - cairo.alpha(x, y)) > 90) ++far;
    }
  }
  EXPECT_LT(far, 20) << "pixels far from Cairo's";
}

TEST(LineBatch, ClipsAndFollowsTransformsAndDiscardsThePath) {
  // A clip to the left half: nothing right of it.
  Image clipped(100, 40);
  cairo_rectangle(clipped.cr, 0, 0, 50, 40);
  cairo_clip(clipped.cr);
  cairo_move_to(clipped.cr, 0, 0);  // a current point the lines must not join
  draw_line_batch(clipped.cr, {{10, 20, 90, 20}}, {1, 1, 1, 1}, 2);
  EXPECT_FALSE(cairo_has_current_point(clipped.cr));
  EXPECT_EQ(clipped.alpha(30, 19), 255);
  for (int x = 50; x < 100; ++x) EXPECT_EQ(clipped.alpha(x, 19), 0) << x;
  EXPECT_EQ(clipped.alpha(5, 5), 0);  // no segment from the old current point

  // A scaled context: Cairo strokes the lines where the transformation puts them.
  Image scaled(100, 100);
  cairo_scale(scaled.cr, 2, 2);
  draw_line_batch(scaled.cr, {{5, 20, 45, 20}}, {1, 1, 1, 1}, 1);
  EXPECT_GT(scaled.alpha(50, 40), 200);
  EXPECT_EQ(scaled.alpha(50, 20), 0);
}

// A stencil draws what the batch draws, frame after frame with new colours; on a frame of another
// size it falls back to Cairo and still draws the lines where they are.
TEST(LineStencil, BlendsWhatTheBatchWouldDraw) {
  std::vector<PixelLine> lines;
  for (int k = 0; k < 10; ++k) lines.push_back({20, 10 + 8.0 * k, 140, 90 - 7.0 * k});
  const LineStencil stencil(lines, 1.4, 160, 100);
  for (int frame = 0; frame < 2; ++frame) {
    std::vector<Rgba> colors;
    Image batch(160, 100), stenciled(160, 100);
    for (int k = 0; k < 10; ++k) {
      const Rgba c{k % 2 ? 1.0 : 0.2, 0.4, k % 2 ? 0.2 : 1.0, frame == 0 ? 0.1 * k : 1 - 0.1 * k};
      colors.push_back(c);
      draw_line_batch(batch.cr, {lines[static_cast<std::size_t>(k)]}, c, 1.4);
    }
    stencil.draw(stenciled.cr, colors);
    int worst = 0;
    for (int y = 0; y < 100; ++y) {
      for (int x = 0; x < 160; ++x) {
        const uint32_t a = batch.pixel(x, y), b = stenciled.pixel(x, y);
        for (int shift = 0; shift < 32; shift += 8) {
          worst = std::max(worst, std::abs(static_cast<int>((a >> shift) & 0xff) -
                                           static_cast<int>((b >> shift) & 0xff)));
        }
      }
    }
    EXPECT_LE(worst, 2) << "frame " << frame;
    EXPECT_GT(stenciled.ink(), 100);
  }
  Image other(200, 120);
  stencil.draw(other.cr, std::vector<Rgba>(10, Rgba{1, 1, 1, 1}));
  EXPECT_GT(other.alpha(20, 10), 100);  // Cairo's stroke of the first line
  EXPECT_EQ(other.alpha(180, 110), 0);
}

}  // namespace
}  // namespace trajtool
