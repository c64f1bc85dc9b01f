#pragma once
// The pixels a Cairo context draws into, when code of ours may write them directly instead of
// asking Cairo to: an ARGB32 image surface, user space = its pixels (no transformation, device
// offset or scale), drawing OVER, clipped at most to one whole-pixel rectangle. The renderer's
// frames and PNG stills qualify; SVG and PDF stills, groups with offsets and transformed contexts
// do not, and their callers draw with Cairo instead.
#include <cairo.h>

#include <optional>

namespace trajtool {

struct PixelTarget {
  cairo_surface_t* surface = nullptr;  // the image (flush before writing, mark dirty after)
  unsigned char* data = nullptr;       // premultiplied ARGB32, native-endian
  int stride = 0;                      // bytes a row
  int width = 0, height = 0;           // pixels
  int clip_x0 = 0, clip_y0 = 0;        // the clip: columns [clip_x0, clip_x1) and rows
  int clip_x1 = 0, clip_y1 = 0;        // [clip_y0, clip_y1), inside the image
  // Whether nothing is clipped away.
  bool unclipped() const {
    return clip_x0 == 0 && clip_y0 == 0 && clip_x1 == width && clip_y1 == height;
  }
};

// The target of `cr` if its pixels may be written directly, else nothing.
std::optional<PixelTarget> pixel_target(cairo_t* cr);

}  // namespace trajtool
