#pragma once
// Timeline -> frames -> file. render() draws frames with Cairo on `draw_threads` threads, each its
// share in turn (frame k, k + threads, ...), while another thread converts and encodes them in
// order (a bounded set of reused frame buffers between them); the calling thread reports
// progress. Mobjects' draw() must therefore be safe to call from several threads at once.
// Frames where nothing changes are not drawn: the encoder re-sends its previous picture. The
// longest run of back layers that did not change since the previous frame is kept in an offscreen
// "background" image and copied instead of redrawn.
//
// Background colour: #0f0f14, a near-black with a hint of blue (Manim's default is pure black;
// this one is a touch softer on projectors and keeps dark-blue strokes visible).
#include <cstdint>
#include <functional>
#include <string>

#include "viz/color.h"
#include "viz/mobject.h"
#include "viz/timeline.h"
#include "viz/video_encoder.h"

namespace trajtool {

constexpr Rgba kBackground{15 / 255.0, 15 / 255.0, 20 / 255.0, 1};

enum class OutputFormat {
  mp4,           // H.264 in MP4
  gif,           // animated GIF
  png_sequence,  // a directory of frame_000000.png, frame_000001.png, ...
};

// Threads drawing frames when RenderSettings::draw_threads is 0: two for frames up to 1280x720,
// where drawing a network diagram or a 3D surface competes with x264 for the cores (NetworkActivity
// at 960x540: 5.4 s against 5.6 s; LossSurfaceBench -qm 2.45 s against 2.49 s), one above, where
// x264 dominates and a second painter's frame buffer and back-layer cache only cost memory
// (TrajectoryComparison -qh: 8.61 s and 315 MB against 8.46 s and 299 MB).
int auto_draw_threads(int width, int height);

struct RenderSettings {
  int width = 1280;                         // pixels (even for mp4)
  int height = 720;                         // pixels (even for mp4)
  int fps = 30;                             // frames per second
  std::string output;                       // the file, or the directory for png_sequence
  OutputFormat format = OutputFormat::mp4;  // what to write
  Quality quality;                          // x264 preset, crf and threads
  double frame_height = 8.0;                // scene units from bottom to top
  Rgba background = kBackground;            // what is behind everything
  int draw_threads = 0;                     // threads drawing frames (1..8); 0 = automatic
};

// (frames done, frames in total); called on the calling thread after each frame.
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

// The geometry frames are drawn with.
FrameGeometry geometry_of(const RenderSettings& settings);

// Frames in a video of the timeline: round(duration * fps), at least 1. Frame n shows t = n / fps.
int64_t frame_count(const Timeline& timeline, int fps);

// Paints the background and then `items` back to front onto `cr` (user space = pixels).
void draw_items(cairo_t* cr, const FrameGeometry& geo, const std::vector<DrawItem>& items,
                const Rgba& background);

// Renders the whole timeline; returns the number of frames written. Throws RuntimeFailure (with
// the file) when writing fails; a video appears at its path only when complete.
int64_t render(const Timeline& timeline, const RenderSettings& settings,
               const ProgressFn& progress = {});

enum class StillFormat { png, svg, pdf };

// One frame at time `t` as a PNG (raster) or an SVG or PDF (vector; one page of width_px x
// height_px points, so user space is pixels).
void render_still(const Timeline& timeline, double t, const std::string& path, StillFormat format,
                  const FrameGeometry& geometry, const Rgba& background = kBackground);

}  // namespace trajtool
