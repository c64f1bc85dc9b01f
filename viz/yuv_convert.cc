#include "viz/yuv_convert.h"

namespace trajtool {

// Integer BT.601 limited-range coefficients scaled by 256 (the usual ones: Y = 16 + (66 R +
// 129 G + 25 B) / 256, Cb = 128 + (-38 R - 74 G + 112 B) / 256, Cr = 128 + (112 R - 94 G -
// 18 B) / 256), rounded to nearest.
void bgra_to_yuv420p(const uint8_t* bgra, int bgra_stride, int width, int height, uint8_t* y,
                     int y_stride, uint8_t* u, int u_stride, uint8_t* v, int v_stride) {
  for (int row = 0; row < height; row += 2) {
    const uint8_t* top = bgra + static_cast<long>(row) * bgra_stride;
    const uint8_t* bottom = top + bgra_stride;
    uint8_t* y_top = y + static_cast<long>(row) * y_stride;
    uint8_t* y_bottom = y_top + y_stride;
    uint8_t* u_row = u + static_cast<long>(row / 2) * u_stride;
    uint8_t* v_row = v + static_cast<long>(row / 2) * v_stride;
    for (int x = 0; x < width; ++x) {
      const int bt = top[4 * x], gt = top[4 * x + 1], rt = top[4 * x + 2];
      const int bb = bottom[4 * x], gb = bottom[4 * x + 1], rb = bottom[4 * x + 2];
      y_top[x] = static_cast<uint8_t>(((66 * rt + 129 * gt + 25 * bt + 128) >> 8) + 16);
      y_bottom[x] = static_cast<uint8_t>(((66 * rb + 129 * gb + 25 * bb + 128) >> 8) + 16);
    }
    for (int cx = 0; cx < width / 2; ++cx) {
      const int x = 2 * cx;
      const int b = top[4 * x] + top[4 * x + 4] + bottom[4 * x] + bottom[4 * x + 4];
      const int g = top[4 * x + 1] + top[4 * x + 5] + bottom[4 * x + 1] + bottom[4 * x + 5];
      const int r = top[4 * x + 2] + top[4 * x + 6] + bottom[4 * x + 2] + bottom[4 * x + 6];
      // Sums of four samples: divide by 4 * 256 with rounding.
      u_row[cx] = static_cast<uint8_t>(((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128);
      v_row[cx] = static_cast<uint8_t>(((112 * r - 94 * g - 18 * b + 512) >> 10) + 128);
    }
  }
}

}  // namespace trajtool
