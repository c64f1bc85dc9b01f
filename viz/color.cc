#include "viz/color.h"

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads `hex` into `out`; returns what is wrong with it, "" when nothing (`out` is written only
// then).
std::string read_hex_color(const std::string& hex, Rgba* out) {
  if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#') {
    return "expected #rrggbb or #rrggbbaa";
  }
  double channels[4] = {0, 0, 0, 1};
  for (size_t i = 1, c = 0; i < hex.size(); i += 2, ++c) {
    const int hi = hex_digit(hex[i]);
    const int lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return "\"" + hex.substr(i, 2) + "\" is not a hex byte";
    channels[c] = (hi * 16 + lo) / 255.0;
  }
  *out = {channels[0], channels[1], channels[2], channels[3]};
  return "";
}

}  // namespace

bool try_parse_hex_color(const std::string& hex, Rgba* out) {
  return read_hex_color(hex, out).empty();
}

Rgba parse_hex_color(const std::string& hex) {
  Rgba color;
  const std::string problem = read_hex_color(hex, &color);
  if (!problem.empty()) throw InputError("colour \"" + hex + "\": " + problem);
  return color;
}

}  // namespace trajtool
