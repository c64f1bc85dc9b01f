#include "toolkit/core/canonical_json.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace trajtool {

std::string shortest_double(double d) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, result.ptr);
}

namespace {

void append_canonical(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin()) out += ',';
        out += Json(it.key()).dump();
        out += ':';
        append_canonical(it.value(), out);
      }
      out += '}';
      return;
    }
    case Json::value_t::array:
      out += '[';
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin()) out += ',';
        append_canonical(*it, out);
      }
      out += ']';
      return;
    case Json::value_t::number_float:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      const double d = value.get<double>();
      if (!std::isfinite(d))
        throw std::invalid_argument("JSON cannot hold a NaN or infinite number");
      out += shortest_double(d == 0 ? 0.0 : d);  // -0 and 0 are the same input
      return;
    }
    default:  // strings, booleans, null: nlohmann's text
      out += value.dump();
  }
}

}  // namespace

std::string canonical_dump(const Json& value) {
  std::string out;
  append_canonical(value, out);
  return out;
}

}  // namespace trajtool
