#pragma once
// Colours as the engine passes them around: straight (not premultiplied) RGBA in [0, 1].
#include <string>

namespace trajtool {

struct Rgba {
  double r = 0;  // red in [0, 1]
  double g = 0;  // green in [0, 1]
  double b = 0;  // blue in [0, 1]
  double a = 1;  // opacity in [0, 1]
};

// "#rrggbb" or "#rrggbbaa" -> colour; throws InputError naming the text otherwise.
Rgba parse_hex_color(const std::string& hex);
// The same without throwing: false (and `out` untouched) for anything else.
bool try_parse_hex_color(const std::string& hex, Rgba* out);

// The same colour with its opacity multiplied by `factor`.
inline Rgba with_alpha(Rgba c, double factor) {
  c.a *= factor;
  return c;
}

}  // namespace trajtool
