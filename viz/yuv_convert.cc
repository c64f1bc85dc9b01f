#include "viz/yuv_convert.h"

#include <immintrin.h>

namespace trajtool {
namespace {

// Integer BT.601 limited-range coefficients scaled by 256 (the usual ones: Y = 16 + (66 R +
// 129 G + 25 B) / 256, Cb = 128 + (-38 R - 74 G + 112 B) / 256, Cr = 128 + (112 R - 94 G -
// 18 B) / 256), rounded to nearest. Two rows at a time, pixels [from, width).
void two_rows_scalar(const uint8_t* top, const uint8_t* bottom, int from, int width, uint8_t* y_top,
                     uint8_t* y_bottom, uint8_t* u_row, uint8_t* v_row) {
  for (int x = from; x < width; ++x) {
    const int bt = top[4 * x], gt = top[4 * x + 1], rt = top[4 * x + 2];
    const int bb = bottom[4 * x], gb = bottom[4 * x + 1], rb = bottom[4 * x + 2];
    y_top[x] = static_cast<uint8_t>(((66 * rt + 129 * gt + 25 * bt + 128) >> 8) + 16);
    y_bottom[x] = static_cast<uint8_t>(((66 * rb + 129 * gb + 25 * bb + 128) >> 8) + 16);
  }
  for (int cx = from / 2; cx < width / 2; ++cx) {
    const int x = 2 * cx;
    const int b = top[4 * x] + top[4 * x + 4] + bottom[4 * x] + bottom[4 * x + 4];
    const int g = top[4 * x + 1] + top[4 * x + 5] + bottom[4 * x + 1] + bottom[4 * x + 5];
    const int r = top[4 * x + 2] + top[4 * x + 6] + bottom[4 * x + 2] + bottom[4 * x + 6];
    // Sums of four samples: divide by 4 * 256 with rounding.
    u_row[cx] = static_cast<uint8_t>(((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128);
    v_row[cx] = static_cast<uint8_t>(((112 * r - 94 * g - 18 * b + 512) >> 10) + 128);
  }
}

// Eight int32 in 0..255 as eight bytes.
__attribute__((target("avx2"))) inline void store8(uint8_t* to, __m256i v) {
  const __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(to), _mm_packus_epi16(words, words));
}

// Y of eight pixels (one 32-byte load): the same integers as two_rows_scalar.
__attribute__((target("avx2"))) inline __m256i luma8(__m256i px, __m256i coef) {
  const __m256i zero = _mm256_setzero_si256();
  // 16-bit channels; lane 0 holds pixels 0, 1 (lo) and 2, 3 (hi), lane 1 pixels 4, 5 and 6, 7.
  const __m256i lo = _mm256_madd_epi16(_mm256_unpacklo_epi8(px, zero), coef);
  const __m256i hi = _mm256_madd_epi16(_mm256_unpackhi_epi8(px, zero), coef);
  const __m256i sum = _mm256_hadd_epi32(lo, hi);  // pixels 0..3 | 4..7, in order
  return _mm256_add_epi32(_mm256_srli_epi32(_mm256_add_epi32(sum, _mm256_set1_epi32(128)), 8),
                          _mm256_set1_epi32(16));
}

// Per pixel of eight, the weighted channel sum of top + bottom (madd with `coef`), pairs summed:
// lane 0 holds pixels (0, 1), (2, 3) and lane 1 (4, 5), (6, 7) as [p01, p23 | p45, p67] after the
// caller's second hadd. Here: per pixel totals, pixels 0..3 | 4..7.
__attribute__((target("avx2"))) inline __m256i chroma_pixels(__m256i lo, __m256i hi, __m256i coef) {
  return _mm256_hadd_epi32(_mm256_madd_epi16(lo, coef), _mm256_madd_epi16(hi, coef));
}

__attribute__((target("avx2"))) void two_rows_avx2(const uint8_t* top, const uint8_t* bottom,
                                                   int width, uint8_t* y_top, uint8_t* y_bottom,
                                                   uint8_t* u_row, uint8_t* v_row) {
  const __m256i y_coef =
      _mm256_setr_epi16(25, 129, 66, 0, 25, 129, 66, 0, 25, 129, 66, 0, 25, 129, 66, 0);
  const __m256i u_coef =
      _mm256_setr_epi16(112, -74, -38, 0, 112, -74, -38, 0, 112, -74, -38, 0, 112, -74, -38, 0);
  const __m256i v_coef =
      _mm256_setr_epi16(-18, -94, 112, 0, -18, -94, 112, 0, -18, -94, 112, 0, -18, -94, 112, 0);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
  int x = 0;
  for (; x + 16 <= width; x += 16) {
    const __m256i t0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(top + 4 * x));
    const __m256i t1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(top + 4 * x + 32));
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bottom + 4 * x));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bottom + 4 * x + 32));
    store8(y_top + x, luma8(t0, y_coef));
    store8(y_top + x + 8, luma8(t1, y_coef));
    store8(y_bottom + x, luma8(b0, y_coef));
    store8(y_bottom + x + 8, luma8(b1, y_coef));
    // Top + bottom per channel, 16-bit.
    const __m256i lo0 =
        _mm256_add_epi16(_mm256_unpacklo_epi8(t0, zero), _mm256_unpacklo_epi8(b0, zero));
    const __m256i hi0 =
        _mm256_add_epi16(_mm256_unpackhi_epi8(t0, zero), _mm256_unpackhi_epi8(b0, zero));
    const __m256i lo1 =
        _mm256_add_epi16(_mm256_unpacklo_epi8(t1, zero), _mm256_unpacklo_epi8(b1, zero));
    const __m256i hi1 =
        _mm256_add_epi16(_mm256_unpackhi_epi8(t1, zero), _mm256_unpackhi_epi8(b1, zero));
    for (int plane = 0; plane < 2; ++plane) {
      const __m256i coef = plane == 0 ? u_coef : v_coef;
      // Pair sums: lane 0 [c0, c1, c4, c5], lane 1 [c2, c3, c6, c7]; then in order.
      const __m256i pairs =
          _mm256_hadd_epi32(chroma_pixels(lo0, hi0, coef), chroma_pixels(lo1, hi1, coef));
      const __m256i c = _mm256_permutevar8x32_epi32(pairs, order);
      const __m256i value =
          _mm256_add_epi32(_mm256_srai_epi32(_mm256_add_epi32(c, _mm256_set1_epi32(512)), 10),
                           _mm256_set1_epi32(128));
      store8((plane == 0 ? u_row : v_row) + x / 2, value);
    }
  }
  two_rows_scalar(top, bottom, x, width, y_top, y_bottom, u_row, v_row);
}

}  // namespace

void bgra_to_yuv420p(const uint8_t* bgra, int bgra_stride, int width, int height, uint8_t* y,
                     int y_stride, uint8_t* u, int u_stride, uint8_t* v, int v_stride) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  for (int row = 0; row < height; row += 2) {
    const uint8_t* top = bgra + static_cast<long>(row) * bgra_stride;
    const uint8_t* bottom = top + bgra_stride;
    uint8_t* y_top = y + static_cast<long>(row) * y_stride;
    uint8_t* y_bottom = y_top + y_stride;
    uint8_t* u_row = u + static_cast<long>(row / 2) * u_stride;
    uint8_t* v_row = v + static_cast<long>(row / 2) * v_stride;
    if (avx2) {
      two_rows_avx2(top, bottom, width, y_top, y_bottom, u_row, v_row);
    } else {
      two_rows_scalar(top, bottom, 0, width, y_top, y_bottom, u_row, v_row);
    }
  }
}

}  // namespace trajtool
