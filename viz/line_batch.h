#pragma once
// Many thin straight lines of one colour, drawn at once: a network diagram's connections (hundreds
// a frame). On the renderer's frames and PNG stills (a Cairo ARGB32 image with user space =
// pixels) they are rasterised here straight into the pixels, with the coverage of a round-capped
// stroke of the given width blended over what is there; anywhere else (SVG and PDF stills, a
// transformed or clipped context) Cairo strokes them as paths, so a vector still stays vector.
//
// Why not Cairo everywhere: stroking a diagram's 228 connections costs Cairo 2.5 ms a 960x540
// frame with CAIRO_ANTIALIAS_FAST (3.4 ms antialiased), measured on this machine; the network
// activity video draws such a frame 450 times a second to reach 15x real time. Rasterised here
// they cost ~0.1 ms (bench/bench_network_activity.py, docs/scenes.md).
#include <cairo.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "viz/color.h"

namespace trajtool {

// One line, in pixels of the target (origin top-left, pixel centres at +0.5).
struct PixelLine {
  double x0 = 0, y0 = 0;  // from
  double x1 = 0, y1 = 0;  // to
  double opacity = 1;     // multiplies the batch colour's alpha
};

// Draws `lines` in `color` (straight alpha, times each line's opacity; each line blended over the
// ones before it, as separate strokes would be), `width_px` wide with round caps, onto `cr`. On
// vector targets lines of equal opacity are stroked as one path. The current path is discarded.
void draw_line_batch(cairo_t* cr, const std::vector<PixelLine>& lines, Rgba color, double width_px);

// Rasterises `lines` into premultiplied ARGB32 pixels (`stride` bytes a row, `width` x `height`)
// inside the clip rectangle [clip_x0, clip_x1) x [clip_y0, clip_y1): what draw_line_batch does on
// an image, exposed for its test.
void rasterize_lines(unsigned char* pixels, int stride, int width, int height, int clip_x0,
                     int clip_y0, int clip_x1, int clip_y1, const std::vector<PixelLine>& lines,
                     Rgba color, double width_px);

// The pixels lines cover, worked out once for lines that keep their place from frame to frame and
// change only their colour (a diagram's connections): drawing them is then only blending. Made for
// one frame size; on any other target (another size, a vector surface, a transformed or clipped
// context) draw() strokes the lines with Cairo.
class LineStencil {
 public:
  LineStencil(std::vector<PixelLine> lines, double width_px, int width, int height);
  // Draws line k in colors[k] (straight alpha times the line's opacity; alpha 0 skips it), in
  // order, each blended over the ones before. `colors` holds one colour per line.
  void draw(cairo_t* cr, const std::vector<Rgba>& colors) const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  struct Span {
    int32_t row = 0, column = 0;  // the first pixel
    int32_t count = 0;            // pixels along the row
    int32_t cover_at = 0;         // where its coverages start in cover_
  };
  std::vector<PixelLine> lines_;  // as given (Cairo's fallback strokes them)
  double width_px_ = 1;           // their width
  int width_ = 0, height_ = 0;    // the frame size the spans are for
  std::vector<Span> spans_;       // per line, its rows
  std::vector<int32_t> first_;    // line k's spans are [first_[k], first_[k + 1])
  std::vector<uint8_t> cover_;    // per pixel of every span: coverage 0..255
};

// A stencil kept for whatever frame size it was last asked for; safe to use from several drawing
// threads.
class LineStencilCache {
 public:
  // The stencil for frames of width x height, made with `make` when there is none for that size.
  std::shared_ptr<const LineStencil> get(int width, int height,
                                         const std::function<LineStencil()>& make);

 private:
  std::mutex mutex_;
  std::shared_ptr<const LineStencil> stencil_;
};

}  // namespace trajtool
