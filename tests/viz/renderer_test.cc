// The renderer end to end: frames decoded back by the ffmpeg CLI, stills read back by Cairo's PNG
// reader, SVG and PDF checked as files. Pixel positions are computed here from the frame
// definition (8 units tall, origin at the centre, y up), not with FrameGeometry.
#include "viz/renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "tests/viz/test_util.h"
#include "toolkit/core/error.h"
#include "viz/cached_raster.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr int kW = 640, kH = 360;  // 45 pixels per unit; the frame is 14.222 units wide

int px_x(double x) { return static_cast<int>(std::lround(kW / 2.0 + x * kH / 8.0)); }
int px_y(double y) { return static_cast<int>(std::lround(kH / 2.0 - y * kH / 8.0)); }

const test::Pixel kBg{15, 15, 20};  // #0f0f14

void expect_near(test::Pixel got, test::Pixel want, int tol, const std::string& where) {
  EXPECT_NEAR(got.r, want.r, tol) << where;
  EXPECT_NEAR(got.g, want.g, tol) << where;
  EXPECT_NEAR(got.b, want.b, tol) << where;
}

RenderSettings settings_for(const std::string& path, int fps) {
  RenderSettings s;
  s.width = kW;
  s.height = kH;
  s.fps = fps;
  s.output = path;
  return s;
}

FrameGeometry geometry() {
  FrameGeometry g;
  g.width_px = kW;
  g.height_px = kH;
  return g;
}

TEST(Renderer, DecodedFramesShowTheDotWhereItShouldBe) {
  test::TempDir dir;
  const std::string path = dir.file("dot.mp4");
  auto red = std::make_shared<Dot>(Vec2{-3, 1}, 0.4, Rgba{1, 0, 0, 1});
  auto box = std::make_shared<Rectangle>(Box2{1, -3, 3, -1}, Rgba{0, 0, 1, 1}, Rgba{0, 0, 0, 0});
  SceneBuilder s;
  s.add(std::make_shared<CachedRaster>(box));
  s.add(red);
  s.play({with_rate(shift_to(red, {2, 0}), RateFn::linear)}, 1.0);  // frames 0..9 move
  s.wait(1.0);                                                      // frames 10..19 static
  const Timeline tl = s.build();

  int64_t last_done = 0;
  const int64_t frames = render(tl, settings_for(path, 10), [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 20);
    EXPECT_EQ(done, last_done + 1);
    last_done = done;
  });
  EXPECT_EQ(frames, 20);
  auto info = test::probe(path);
  EXPECT_EQ(info["nb_read_frames"], "20");
  EXPECT_NEAR(std::stod(info["duration"]), 2.0, 1e-3);

  const test::Pixel red_px{255, 0, 0}, blue_px{0, 0, 255};
  for (int frame : {5, 15}) {
    const double shift = std::min(1.0, frame / 10.0) * 2;  // linear over the first second
    cairo_surface_t* img = test::load_png(test::extract_frame(path, frame));
    ASSERT_EQ(cairo_image_surface_get_width(img), kW);
    const std::string tag = "frame " + std::to_string(frame);
    expect_near(test::pixel_at(img, px_x(-3 + shift), px_y(1)), red_px, 40, tag + " dot");
    // Where the dot was at rest (when it has moved more than its diameter) is background.
    if (shift > 1) expect_near(test::pixel_at(img, px_x(-3), px_y(1)), kBg, 8, tag + " old");
    expect_near(test::pixel_at(img, px_x(2), px_y(-2)), blue_px, 40, tag + " box");
    expect_near(test::pixel_at(img, px_x(0), px_y(-3.5)), kBg, 8, tag + " background");
    expect_near(test::pixel_at(img, 5, 5), kBg, 8, tag + " corner");
    cairo_surface_destroy(img);
  }
}

TEST(Renderer, PolylineRevealColoursOnlyTheFirstPart) {
  test::TempDir dir;
  // An L: right along y = 0 from x = -4 to 0, then up to y = 4. Length 8.
  auto path =
      std::make_shared<Polyline>(std::vector<Vec2>{{-4, 0}, {0, 0}, {0, 4}}, Rgba{0, 1, 0, 1}, 6.0);
  SceneBuilder s;
  s.play({with_rate(create(path), RateFn::linear)}, 4.0);
  const Timeline tl = s.build();
  const test::Pixel green{0, 255, 0};

  // reveal = 0.5 at t = 2: the horizontal leg only.
  const std::string half = dir.file("half.png");
  render_still(tl, 2.0, half, StillFormat::png, geometry());
  cairo_surface_t* img = test::load_png(half);
  for (double x : {-3.8, -2.0, -0.5}) {
    expect_near(test::pixel_at(img, px_x(x), px_y(0)), green, 2, "on the first leg");
  }
  for (double y : {0.5, 2.0, 3.5}) {
    expect_near(test::pixel_at(img, px_x(0), px_y(y)), kBg, 2, "second leg not drawn yet");
  }
  cairo_surface_destroy(img);

  // reveal = 0.75 at t = 3: ends exactly at (0, 2), inside the second segment.
  const std::string three_quarters = dir.file("q3.png");
  render_still(tl, 3.0, three_quarters, StillFormat::png, geometry());
  img = test::load_png(three_quarters);
  expect_near(test::pixel_at(img, px_x(0), px_y(1.6)), green, 2, "before the cut");
  expect_near(test::pixel_at(img, px_x(0), px_y(2.4)), kBg, 2, "after the cut");
  cairo_surface_destroy(img);
}

TEST(Renderer, VectorStillsAreSvgAndPdf) {
  test::TempDir dir;
  SceneBuilder s;
  auto box = std::make_shared<RoundedBox>(Box2{-2, -1, 2, 1}, Rgba{0.2, 0.3, 0.8, 1});
  s.add(std::make_shared<CachedRaster>(box));  // stays vector in SVG/PDF
  s.add(std::make_shared<Arrow>(Vec2{-3, -2}, Vec2{3, 2}));
  s.add(std::make_shared<Dot>(Vec2{1, 1}));
  s.wait(1);
  const Timeline tl = s.build();

  const std::string svg_path = dir.file("still.svg");
  render_still(tl, 0.5, svg_path, StillFormat::svg, geometry());
  const std::string svg = test::read_file(svg_path);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("<path"), std::string::npos);
  EXPECT_EQ(svg.find("<image"), std::string::npos) << "the cached layer must stay vector";
  int status = 0;
  test::run("command -v xmllint >/dev/null", &status);
  if (status == 0) {
    test::run("xmllint --noout '" + svg_path + "' 2>&1", &status);
    EXPECT_EQ(status, 0) << "xmllint rejects the SVG";
  }

  const std::string pdf_path = dir.file("still.pdf");
  render_still(tl, 0.5, pdf_path, StillFormat::pdf, geometry());
  const std::string pdf = test::read_file(pdf_path);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const std::string tail = pdf.substr(pdf.size() - 64);
  EXPECT_NE(tail.find("startxref"), std::string::npos);
  EXPECT_NE(tail.find("%%EOF"), std::string::npos);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 640 360 ]"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(svg_path + ".part"));
}

// A mobject whose drawing fails, to check that a failed render leaves no file.
class Broken : public Mobject {
 public:
  void draw(cairo_t*, const FrameGeometry&, const DrawState& s) const override {
    if (s.reveal > 0.5) throw RuntimeFailure("broken mobject");
  }
  Box2 bounds(const FrameGeometry&) const override { return {}; }
};

TEST(Renderer, FailedRenderLeavesNoVideo) {
  test::TempDir dir;
  const std::string path = dir.file("broken.mp4");
  SceneBuilder s;
  s.play({with_rate(create(std::make_shared<Broken>()), RateFn::linear)}, 1.0);
  EXPECT_THROW(render(s.build(), settings_for(path, 10)), RuntimeFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  RenderSettings three = settings_for(path, 10);
  three.draw_threads = 3;
  EXPECT_THROW(render(s.build(), three), RuntimeFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  // A progress report that throws (a closed terminal) stops the render the same way.
  SceneBuilder fine;
  fine.play({fade_in(std::make_shared<Dot>(Vec2{0, 0}, 0.5, Rgba{1, 1, 0, 1}))}, 1.0);
  EXPECT_THROW(render(fine.build(), three,
                      [](int64_t done, int64_t) {
                        if (done == 3) throw RuntimeFailure("progress: cannot write");
                      }),
               RuntimeFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// Frames drawn by one, two or three threads, each its share in turn with its own cache of the
// still back layers, are the same pixels in the same order; repeats of still frames included.
TEST(Renderer, DrawingThreadsChangeNoPixel) {
  test::TempDir dir;
  auto box = std::make_shared<Rectangle>(Box2{1, -3, 3, -1}, Rgba{0, 0, 1, 1}, Rgba{0, 0, 0, 0});
  auto a = std::make_shared<Dot>(Vec2{-3, 1}, 0.4, Rgba{1, 0, 0, 1});
  auto b = std::make_shared<Dot>(Vec2{0, -2}, 0.3, Rgba{0, 1, 0, 1});
  SceneBuilder s;
  s.add(box);
  s.add(a);
  s.play({with_rate(shift_to(a, {2, 0}), RateFn::linear)}, 0.7);
  s.wait(0.3);
  s.play({fade_in(b), with_rate(shift_to(a, {0, 1}), RateFn::linear)}, 0.6);
  const Timeline tl = s.build();
  std::vector<std::vector<unsigned char>> first;
  for (int threads : {1, 2, 3}) {
    RenderSettings png = settings_for(dir.file("t" + std::to_string(threads)), 10);
    png.format = OutputFormat::png_sequence;
    png.draw_threads = threads;
    ASSERT_EQ(render(tl, png), 16);
    for (int f = 0; f < 16; ++f) {
      char name[32];
      std::snprintf(name, sizeof name, "/frame_%06d.png", f);
      cairo_surface_t* img = test::load_png(png.output + name);
      const unsigned char* data = cairo_image_surface_get_data(img);
      std::vector<unsigned char> pixels(
          data, data + cairo_image_surface_get_stride(img) * cairo_image_surface_get_height(img));
      cairo_surface_destroy(img);
      if (threads == 1) {
        first.push_back(pixels);
      } else {
        EXPECT_TRUE(pixels == first[static_cast<std::size_t>(f)])
            << "frame " << f << " with " << threads << " threads";
      }
    }
  }
  // The frames differ from each other where things move (the comparison above is not vacuous).
  EXPECT_FALSE(first[0] == first[5]);
  EXPECT_TRUE(first[8] == first[9]);  // the still second
}

TEST(Renderer, PngSequenceAndGif) {
  test::TempDir dir;
  SceneBuilder s;
  auto d = std::make_shared<Dot>(Vec2{0, 0}, 0.5, Rgba{1, 1, 0, 1});
  s.play({fade_in(d)}, 0.2);
  s.wait(0.2);
  const Timeline tl = s.build();
  RenderSettings png = settings_for(dir.file("frames"), 10);
  png.format = OutputFormat::png_sequence;
  EXPECT_EQ(render(tl, png), 4);
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("frames"))) {
    (void)entry;
    ++count;
  }
  EXPECT_EQ(count, 4);
  cairo_surface_t* last = test::load_png(dir.file("frames/frame_000003.png"));
  expect_near(test::pixel_at(last, px_x(0), px_y(0)), {255, 255, 0}, 1, "repeated last frame");
  cairo_surface_destroy(last);

  RenderSettings gif = settings_for(dir.file("anim.gif"), 10);
  gif.format = OutputFormat::gif;
  EXPECT_EQ(render(tl, gif), 4);
  EXPECT_EQ(test::probe(dir.file("anim.gif"))["codec_name"], "gif");
}

}  // namespace
}  // namespace trajtool
