#pragma once
// Our own z-buffered rasterizer for 3D scenes: triangles coloured from a table by an interpolated
// height (band edges blended over a sample's footprint), thick anti-aliased segments and discs,
// each tested against the depth of the triangles per sample, at `supersample` x `supersample`
// samples per pixel, resolved by a box filter into a Cairo ARGB32 image. Single-threaded, with no
// hidden state between pictures, so the same calls give bit-identical pixels. Why not OpenGL
// through Mesa: docs/scenes.md ("3D sections") gives the measurements.
//
// Coordinates are output pixels (origin top-left, y down, pixel centres at +0.5); depth is any
// number that grows away from the camera. Colours are straight RGBA in [0, 1].
#include <cstdint>
#include <vector>

#include "viz/color.h"

namespace trajtool {

// A triangle corner.
struct RasterVertex {
  float x = 0, y = 0;  // pixels
  float depth = 0;     // larger = farther
  float t = 0;         // where in the colour table, 0..1
  float shade = 1;     // the light's factor on the colour
};

// The colours a surface takes by height: `entries` straight RGB in [0, 1], looked up per sample at
// the interpolated t, times the shade; `opacity` for every sample. Banded, each entry is a flat
// band and the edges between bands are anti-aliased over the sample's footprint.
struct ColorTable {
  std::vector<Rgba> entries;  // at least one; t in [0, 1] spans them all
  bool banded = false;        // flat bands (else the nearest entry, a fine continuous table)
  double opacity = 1;         // of the whole surface
};

// A rectangle of output pixels, inclusive (empty when right < left).
struct PixelRect {
  int left = 0, top = 0;        // first column and row
  int right = -1, bottom = -1;  // last column and row
};

class DepthRaster {
 public:
  // Sizes the buffers (kept when unchanged) and clears them: transparent, infinitely far.
  void reset(int width_px, int height_px, int supersample);
  // An occluder: writes colour and depth where it is nearer than what is there (nearest wins, so a
  // translucent surface shows its front layer over what lies behind it).
  // Colours by `t` from `table` (set_table) for the triangles that follow.
  void triangle(const RasterVertex& a, const RasterVertex& b, const RasterVertex& c);
  void set_table(const ColorTable& table);
  // A segment with round ends, `width_px` wide, its colour and depth interpolated along it. It
  // does not write depth: where it is nearer than the triangles (by `lift`, in depth units) it is
  // blended over them, elsewhere under them (hidden by an opaque surface, seen through a
  // translucent one).
  void segment(float x0, float y0, float d0, Rgba c0, float x1, float y1, float d1, Rgba c1,
               float width_px, float lift = 0);
  // A filled disc with an outline ring, at one depth.
  void disc(float x, float y, float depth, float radius_px, Rgba fill, Rgba ring, float ring_px,
            float lift = 0);
  // Writes the picture inside `rect` (premultiplied ARGB32, Cairo's native-endian format) into
  // `pixels`.
  void resolve(unsigned char* pixels, int stride, PixelRect rect) const;
  // The picture inside `rect`, times `opacity`, blended OVER premultiplied ARGB32 `pixels` (a
  // frame): what resolving into an image and painting it with Cairo gives, without the image.
  void composite_over(unsigned char* pixels, int stride, PixelRect rect, double opacity) const;
  // The output pixels anything was drawn into since reset.
  PixelRect dirty() const;

  // The depth the triangles left at the sample nearest the pixel point (+inf where none or
  // outside the picture).
  float depth_at(float x, float y) const;

  int width() const { return width_; }
  int height() const { return height_; }

 private:
  void blend(std::size_t index, float depth, float r, float g, float b, float a);
  // Output pixel `x` of the row whose first sample row starts at `first_row`: the mean of its
  // ss x ss samples (premultiplied ARGB32).
  uint32_t box_filtered(const uint32_t* first_row, int x) const;
  void touch(int col_lo, int col_hi, int row_lo, int row_hi);  // samples drawn into

  int width_ = 0, height_ = 0, ss_ = 1;    // output pixels and samples per pixel side
  int sw_ = 0, sh_ = 0;                    // samples across and down
  std::vector<float> depth_;               // per sample
  std::vector<uint32_t> color_;            // per sample: premultiplied ARGB32, as Cairo's
  int dirty_lo_ = 0, dirty_hi_ = -1;       // sample rows drawn into since reset
  int dirty_left_ = 0, dirty_right_ = -1;  // and columns
  std::vector<float> table_;               // set_table: r, g, b per entry
  float table_opacity_ = 1;                // and the surface's opacity
  bool table_banded_ = false;              // and whether its entries are bands
};

}  // namespace trajtool
