#pragma once
// A tiny JSON value with one canonical text form: object keys sorted, no white space, numbers in
// the shortest form that reads back to the same double. Two equal inputs give byte-identical text,
// which is what cache keys hash.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace trajtool {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;  // null
  static Json boolean(bool b);
  static Json number(double d);  // throws std::invalid_argument for NaN/Inf (JSON has none)
  static Json string(std::string s);
  static Json array(std::vector<Json> items = {});
  static Json object();

  // Objects: sets a member (replacing one of the same name). Returns *this for chaining.
  Json& set(const std::string& key, Json value);
  // Arrays: appends.
  Json& push(Json value);

  std::string dump() const;  // the canonical text

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::map<std::string, Json> members_;  // std::map keeps keys sorted
};

// The shortest decimal text that parses back to exactly `d` ("0.1", "1e-08", "300").
std::string shortest_double(double d);

}  // namespace trajtool
