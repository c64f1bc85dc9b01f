#include "viz/color.h"

#include "toolkit/error.h"

namespace trajtool {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Rgba parse_hex_color(const std::string& hex) {
  const bool good_length = hex.size() == 7 || hex.size() == 9;
  if (!good_length || hex[0] != '#') {
    throw InputError("colour \"" + hex + "\": expected #rrggbb or #rrggbbaa");
  }
  double channels[4] = {0, 0, 0, 1};
  for (size_t i = 1, c = 0; i < hex.size(); i += 2, ++c) {
    const int hi = hex_digit(hex[i]);
    const int lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      throw InputError("colour \"" + hex + "\": \"" + hex.substr(i, 2) + "\" is not a hex byte");
    }
    channels[c] = (hi * 16 + lo) / 255.0;
  }
  return {channels[0], channels[1], channels[2], channels[3]};
}

}  // namespace trajtool
