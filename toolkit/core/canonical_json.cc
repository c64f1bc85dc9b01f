#include "toolkit/core/canonical_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace trajtool {

Json Json::boolean(bool b) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = b;
  return j;
}

Json Json::number(double d) {
  if (!std::isfinite(d)) throw std::invalid_argument("JSON cannot hold a NaN or infinite number");
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = d == 0 ? 0.0 : d;  // -0 and 0 are the same input
  return j;
}

Json Json::string(std::string s) {
  Json j;
  j.type_ = Type::kString;
  j.string_ = std::move(s);
  return j;
}

Json Json::array(std::vector<Json> items) {
  Json j;
  j.type_ = Type::kArray;
  j.items_ = std::move(items);
  return j;
}

Json Json::object() {
  Json j;
  j.type_ = Type::kObject;
  return j;
}

Json& Json::set(const std::string& key, Json value) {
  if (type_ != Type::kObject) throw std::logic_error("Json::set on a non-object");
  members_[key] = std::move(value);
  return *this;
}

Json& Json::push(Json value) {
  if (type_ != Type::kArray) throw std::logic_error("Json::push on a non-array");
  items_.push_back(std::move(value));
  return *this;
}

std::string shortest_double(double d) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, result.ptr);
}

namespace {

void append_quoted(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

std::string Json::dump() const {
  std::string out;
  switch (type_) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return bool_ ? "true" : "false";
    case Type::kNumber:
      return shortest_double(number_);
    case Type::kString:
      append_quoted(out, string_);
      return out;
    case Type::kArray:
      out += '[';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ',';
        out += items_[i].dump();
      }
      out += ']';
      return out;
    case Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : members_) {
        if (!first) out += ',';
        first = false;
        append_quoted(out, key);
        out += ':';
        out += value.dump();
      }
      out += '}';
      return out;
    }
  }
  return out;
}

}  // namespace trajtool
