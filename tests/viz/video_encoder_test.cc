// VideoEncoder checked with ffprobe (an independent decoder) and by parsing the MP4 box layout.
#include "viz/video_encoder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "tests/viz/test_util.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// A BGRA frame whose content changes with `n` (a moving bar on a gradient).
std::vector<uint8_t> synthetic_frame(int w, int h, int n) {
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 4];
      const bool bar = (x - n * 4) % w >= 0 && (x - n * 4) % w < 16;
      p[0] = static_cast<uint8_t>(bar ? 255 : y * 255 / h);
      p[1] = static_cast<uint8_t>(x * 255 / w);
      p[2] = static_cast<uint8_t>(n * 7);
      p[3] = 255;
    }
  }
  return px;
}

// Top-level MP4 boxes: (type, offset).
std::vector<std::pair<std::string, uint64_t>> top_level_boxes(const std::string& bytes) {
  std::vector<std::pair<std::string, uint64_t>> boxes;
  uint64_t off = 0;
  while (off + 8 <= bytes.size()) {
    auto byte = [&](uint64_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])); };
    uint64_t size =
        (byte(off) << 24) | (byte(off + 1) << 16) | (byte(off + 2) << 8) | byte(off + 3);
    const std::string type = bytes.substr(off, 8).substr(4);
    if (size == 1) {  // 64-bit size follows the type
      size = 0;
      for (int i = 0; i < 8; ++i) size = (size << 8) | byte(off + 8 + static_cast<uint64_t>(i));
    }
    boxes.push_back({type, off});
    if (size < 8) break;
    off += size;
  }
  return boxes;
}

TEST(VideoEncoder, Mp4ProbesAsH264WithExactFramesAndDuration) {
  test::TempDir dir;
  const std::string path = dir.file("clip.mp4");
  const int w = 320, h = 180, fps = 24, frames = 36;
  VideoEncoder enc;
  enc.open(path, w, h, fps);
  for (int n = 0; n < frames - 6; ++n) {
    const auto px = synthetic_frame(w, h, n);
    enc.push_frame(px.data(), w * 4);
  }
  for (int n = 0; n < 6; ++n) enc.repeat_frame();
  EXPECT_FALSE(std::filesystem::exists(path)) << "the final path appears only at finish()";
  enc.finish();
  EXPECT_EQ(enc.frames(), frames);
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));

  auto info = test::probe(path);
  EXPECT_EQ(info["codec_name"], "h264");
  EXPECT_EQ(info["pix_fmt"], "yuv420p");
  EXPECT_EQ(info["width"], "320");
  EXPECT_EQ(info["height"], "180");
  EXPECT_EQ(info["nb_read_frames"], std::to_string(frames));
  ASSERT_FALSE(info["duration"].empty());
  EXPECT_NEAR(std::stod(info["duration"]), 1.5, 1e-3);  // 36 / 24
}

TEST(VideoEncoder, Mp4HasMoovBeforeMdat) {
  test::TempDir dir;
  const std::string path = dir.file("fast.mp4");
  VideoEncoder enc;
  enc.open(path, 64, 64, 30);
  for (int n = 0; n < 10; ++n) {
    const auto px = synthetic_frame(64, 64, n);
    enc.push_frame(px.data(), 64 * 4);
  }
  enc.finish();
  const auto boxes = top_level_boxes(test::read_file(path));
  uint64_t moov = UINT64_MAX, mdat = UINT64_MAX;
  for (const auto& [type, off] : boxes) {
    if (type == "moov") moov = off;
    if (type == "mdat") mdat = off;
  }
  ASSERT_NE(moov, UINT64_MAX);
  ASSERT_NE(mdat, UINT64_MAX);
  EXPECT_LT(moov, mdat);
  EXPECT_EQ(boxes.front().first, "ftyp");
}

TEST(VideoEncoder, FailedOpenLeavesNoFile) {
  test::TempDir dir;
  const std::string missing_dir = dir.file("no/such/dir/out.mp4");
  VideoEncoder enc;
  try {
    enc.open(missing_dir, 64, 64, 30);
    FAIL() << "open into a missing directory must throw";
  } catch (const RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find(missing_dir), std::string::npos) << e.what();
  }
  // Odd sizes cannot be yuv420p: refused before anything is written.
  const std::string odd = dir.file("odd.mp4");
  EXPECT_THROW(enc.open(odd, 63, 64, 30), RuntimeFailure);
  // A bad preset is refused by x264 after the container exists in memory only.
  Quality bad;
  bad.preset = "warp-speed";
  EXPECT_THROW(enc.open(dir.file("preset.mp4"), 64, 64, 30, bad), RuntimeFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(VideoEncoder, AbandonedEncoderDeletesItsTemporaryFile) {
  test::TempDir dir;
  const std::string path = dir.file("abandoned.mp4");
  {
    VideoEncoder enc;
    enc.open(path, 64, 64, 30);
    const auto px = synthetic_frame(64, 64, 0);
    enc.push_frame(px.data(), 64 * 4);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(VideoEncoder, GifProbesAsGif) {
  test::TempDir dir;
  const std::string path = dir.file("clip.gif");
  VideoEncoder enc;
  enc.open(path, 96, 54, 10);
  for (int n = 0; n < 8; ++n) {
    const auto px = synthetic_frame(96, 54, n);
    enc.push_frame(px.data(), 96 * 4);
  }
  enc.repeat_frame();
  enc.finish();
  auto info = test::probe(path);
  EXPECT_EQ(info["codec_name"], "gif");
  EXPECT_EQ(info["format_name"], "gif");
  EXPECT_EQ(info["width"], "96");
  EXPECT_EQ(info["height"], "54");
  EXPECT_EQ(info["nb_read_frames"], "9");
}

TEST(VideoEncoder, ContainerFromExtension) {
  EXPECT_EQ(container_for_path("a/b.MP4"), VideoContainer::mp4);
  EXPECT_EQ(container_for_path("x.gif"), VideoContainer::gif);
  EXPECT_THROW(container_for_path("x.avi"), InputError);
  EXPECT_THROW(container_for_path("dir.mp4/x"), InputError);
}

}  // namespace
}  // namespace trajtool
