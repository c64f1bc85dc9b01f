// Throughput measurements, disabled in normal runs. Run with
//   viz_tests --gtest_also_run_disabled_tests --gtest_filter='*Bench*'
// (a) bare encode of 300 pre-drawn 1280x720 frames (push_frame for every frame);
// (b) full render of a 300-frame timeline: static layers (a cached 120x120 heatmap-like grid,
//     axes, a panel) and a 600-point polyline traced over all 10 s, so every frame is drawn;
// (c) the same at 1920x1080. (b) is also run with different x264 thread counts.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "tests/viz/test_util.h"
#include "viz/cached_raster.h"
#include "viz/renderer.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

// 14,400 filled cells: the kind of layer a heatmap or filled contour makes.
class Grid : public Mobject {
 public:
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& s) const override {
    const int n = 120;
    const double x0 = -6, y0 = -3.5, size = 7.0 / n;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const double v = 0.5 + 0.5 * std::sin(i * 0.11) * std::cos(j * 0.07);
        cairo_set_source_rgba(cr, 0.1 + 0.6 * v, 0.2, 0.7 - 0.5 * v, s.opacity);
        const double x = geo.to_px_x(x0 + i * size), y = geo.to_px_y(y0 + (j + 1) * size);
        cairo_rectangle(cr, x, y, size * geo.px_per_unit() + 0.5, size * geo.px_per_unit() + 0.5);
        cairo_fill(cr);
      }
    }
  }
  Box2 bounds(const FrameGeometry&) const override { return {-6, -3.5, 1, 3.5}; }
};

Timeline bench_timeline() {
  SceneBuilder s;
  s.add(std::make_shared<CachedRaster>(std::make_shared<Grid>()));
  s.add(std::make_shared<Line>(Vec2{-6.5, -3.5}, Vec2{6.5, -3.5}, kWhite, 3));
  s.add(std::make_shared<Line>(Vec2{-6, -3.8}, Vec2{-6, 3.8}, kWhite, 3));
  s.add(std::make_shared<RoundedBox>(Box2{2, 1, 6, 3.5}, Rgba{0.1, 0.1, 0.15, 0.9}));
  std::vector<Vec2> pts;
  for (int i = 0; i < 600; ++i) {
    const double u = i / 599.0;
    pts.push_back({-5.5 + 10 * u, 2.5 * std::sin(9 * u) * std::exp(-u)});
  }
  auto trail = std::make_shared<Polyline>(pts, Rgba{1, 0.8, 0.2, 1}, 4);
  s.play({with_rate(create(trail), RateFn::linear)}, 10.0);
  return s.build();
}

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double render_fps(const Timeline& tl, int w, int h, int threads, const std::string& path) {
  RenderSettings s;
  s.width = w;
  s.height = h;
  s.output = path;
  s.quality.threads = threads;
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t frames = render(tl, s);
  return static_cast<double>(frames) / seconds_since(t0);
}

TEST(DISABLED_VizBench, Throughput) {
  test::TempDir dir;
  const Timeline tl = bench_timeline();
  const int w = 1280, h = 720;

  // (a) the same 300 frames, drawn up front, pushed to a bare encoder.
  std::vector<std::vector<uint8_t>> frames;
  {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t* cr = cairo_create(surface);
    FrameGeometry geo;
    double draw_cpu = 0;
    for (int n = 0; n < 300; ++n) {
      const double c0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
      draw_items(cr, geo, tl.state_at(n / 30.0), kBackground);
      cairo_surface_flush(surface);
      draw_cpu += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
      const uint8_t* data = cairo_image_surface_get_data(surface);
      frames.emplace_back(data, data + static_cast<size_t>(w) * h * 4);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    std::printf("draw (every layer, no back-layer reuse): %.2f ms CPU per frame\n",
                draw_cpu / 300 * 1e3);
  }
  for (int threads : {1, 2, 0}) {
    VideoEncoder enc;
    Quality q;
    q.threads = threads;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    enc.open(dir.file("bare.mp4"), w, h, 30, q);
    for (const auto& f : frames) enc.push_frame(f.data(), w * 4);
    enc.finish();
    const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    std::printf("(a) bare encode 1280x720, x264 threads=%d: %.1f fps (%.2f ms CPU per frame)\n",
                threads, 300 / seconds_since(t0), cpu / 300 * 1e3);
  }
  frames.clear();
  frames.shrink_to_fit();

  for (int threads : {1, 2, 3, 0}) {
    std::printf("(b) render 1280x720, x264 threads=%d: %.1f fps\n", threads,
                render_fps(tl, w, h, threads, dir.file("b.mp4")));
  }
  std::printf("(c) render 1920x1080, default threads: %.1f fps\n",
              render_fps(tl, 1920, 1080, kDefaultEncoderThreads, dir.file("c.mp4")));
}

}  // namespace
}  // namespace trajtool
