#include "objectives/objective_math.h"

#include <cstdio>
#include <cstdlib>

#include "objectives/objective_list.h"

namespace trajtool {

std::string tex_number(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  const std::string text = buffer;
  const std::size_t e = text.find('e');
  if (e == std::string::npos) return text;
  const std::string mantissa = text.substr(0, e);
  const int exponent = std::atoi(text.c_str() + e + 1);
  const std::string power = "10^{" + std::to_string(exponent) + "}";
  if (mantissa == "1") return power;
  if (mantissa == "-1") return "-" + power;
  return mantissa + "\\cdot " + power;
}

std::string tex_coefficient(double v) {
  if (v == 1) return "";
  if (v == -1) return "-";
  return tex_number(v) + "\\,";
}

std::string join_names(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace trajtool
