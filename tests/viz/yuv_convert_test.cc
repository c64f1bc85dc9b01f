// Our BGRA -> YUV 4:2:0 conversion against FFmpeg's swscale, the independent reference.
#include "viz/yuv_convert.h"

#include <gtest/gtest.h>

extern "C" {
#include <libswscale/swscale.h>
}

#include <cstdlib>
#include <random>
#include <vector>

namespace trajtool {
namespace {

TEST(YuvConvert, MatchesSwscaleOnBlocksOfOneColour) {
  const int w = 64, h = 32;
  std::vector<uint8_t> bgra(static_cast<size_t>(w * h * 4));
  std::mt19937 rng(5);
  // Each 2 x 2 block one random colour: chroma averaging and siting cannot differ then.
  for (int by = 0; by < h / 2; ++by) {
    for (int bx = 0; bx < w / 2; ++bx) {
      const uint8_t b = static_cast<uint8_t>(rng()), g = static_cast<uint8_t>(rng()),
                    r = static_cast<uint8_t>(rng());
      for (int dy = 0; dy < 2; ++dy) {
        for (int dx = 0; dx < 2; ++dx) {
          uint8_t* p = &bgra[static_cast<size_t>(((2 * by + dy) * w + 2 * bx + dx) * 4)];
          p[0] = b, p[1] = g, p[2] = r, p[3] = 255;
        }
      }
    }
  }
  std::vector<uint8_t> y(static_cast<size_t>(w * h)), u(static_cast<size_t>(w * h / 4)),
      v(static_cast<size_t>(w * h / 4));
  bgra_to_yuv420p(bgra.data(), w * 4, w, h, y.data(), w, u.data(), w / 2, v.data(), w / 2);

  std::vector<uint8_t> ry(y.size()), ru(u.size()), rv(v.size());
  SwsContext* sws = sws_getContext(w, h, AV_PIX_FMT_BGRA, w, h, AV_PIX_FMT_YUV420P,
                                   SWS_POINT | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
  ASSERT_NE(sws, nullptr);
  const uint8_t* src[4] = {bgra.data(), nullptr, nullptr, nullptr};
  const int src_stride[4] = {w * 4, 0, 0, 0};
  uint8_t* dst[4] = {ry.data(), ru.data(), rv.data(), nullptr};
  const int dst_stride[4] = {w, w / 2, w / 2, 0};
  sws_scale(sws, src, src_stride, 0, h, dst, dst_stride);
  sws_freeContext(sws);
  int worst = 0;
  for (size_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::abs(y[i] - ry[i]));
  for (size_t i = 0; i < u.size(); ++i) {
    worst = std::max(worst, std::abs(u[i] - ru[i]));
    worst = std::max(worst, std::abs(v[i] - rv[i]));
  }
  EXPECT_LE(worst, 1);  // rounding of the integer coefficients
  // Known anchors of BT.601 limited range: white and black.
  std::vector<uint8_t> white(16, 255), black(16, 0);
  for (size_t i = 3; i < 16; i += 4) black[i] = 255;
  uint8_t wy[4], wu[1], wv[1];
  bgra_to_yuv420p(white.data(), 8, 2, 2, wy, 2, wu, 1, wv, 1);
  EXPECT_EQ(wy[0], 235);
  EXPECT_EQ(wu[0], 128);
  EXPECT_EQ(wv[0], 128);
  bgra_to_yuv420p(black.data(), 8, 2, 2, wy, 2, wu, 1, wv, 1);
  EXPECT_EQ(wy[0], 16);
}

// Random pixels at widths that leave a tail after the 16-pixel vector loop: every sample equals the
// integer BT.601 formula the header gives, computed here pixel by pixel.
TEST(YuvConvert, EverySampleIsTheIntegerFormula) {
  std::mt19937 rng(11);
  for (const int w : {2, 14, 16, 18, 46, 962}) {
    const int h = 6;
    std::vector<uint8_t> bgra(static_cast<size_t>(w * h * 4));
    for (uint8_t& c : bgra) c = static_cast<uint8_t>(rng());
    std::vector<uint8_t> y(static_cast<size_t>(w * h)), u(static_cast<size_t>(w * h / 4)),
        v(static_cast<size_t>(w * h / 4));
    bgra_to_yuv420p(bgra.data(), w * 4, w, h, y.data(), w, u.data(), w / 2, v.data(), w / 2);
    auto at = [&](int x, int row, int channel) {
      return static_cast<int>(bgra[static_cast<size_t>((row * w + x) * 4 + channel)]);
    };
    for (int row = 0; row < h; ++row) {
      for (int x = 0; x < w; ++x) {
        const int expected =
            ((66 * at(x, row, 2) + 129 * at(x, row, 1) + 25 * at(x, row, 0) + 128) >> 8) + 16;
        ASSERT_EQ(y[static_cast<size_t>(row * w + x)], expected) << w << " " << x << " " << row;
      }
    }
    for (int cy = 0; cy < h / 2; ++cy) {
      for (int cx = 0; cx < w / 2; ++cx) {
        int sum[3] = {0, 0, 0};
        for (int c = 0; c < 3; ++c) {
          sum[c] = at(2 * cx, 2 * cy, c) + at(2 * cx + 1, 2 * cy, c) + at(2 * cx, 2 * cy + 1, c) +
                   at(2 * cx + 1, 2 * cy + 1, c);
        }
        const int eu = ((-38 * sum[2] - 74 * sum[1] + 112 * sum[0] + 512) >> 10) + 128;
        const int ev = ((112 * sum[2] - 94 * sum[1] - 18 * sum[0] + 512) >> 10) + 128;
        ASSERT_EQ(u[static_cast<size_t>(cy * (w / 2) + cx)], eu) << w << " " << cx;
        ASSERT_EQ(v[static_cast<size_t>(cy * (w / 2) + cx)], ev) << w << " " << cx;
      }
    }
  }
}

}  // namespace
}  // namespace trajtool
