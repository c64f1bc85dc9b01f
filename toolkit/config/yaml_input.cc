#include "toolkit/config/yaml_input.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "toolkit/core/error.h"

namespace trajtool {

Where Where::at(const std::string& child) const {
  return {file, key.empty() ? child : key + "." + child};
}

Where Where::index(std::size_t i) const { return {file, key + "[" + std::to_string(i) + "]"}; }

std::string Where::locate(const YAML::Node& node) const {
  std::ostringstream out;
  out << file;
  if (node.IsDefined() && node.Mark().line >= 0) out << ":" << node.Mark().line + 1;
  if (!key.empty()) out << ": " << key;
  return out.str();
}

void Where::fail(const YAML::Node& node, const std::string& what) const {
  throw InputError(locate(node) + ": " + what);
}

const char* node_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a scalar";
  }
}

std::string as_string(const YAML::Node& node, const Where& where) {
  if (!node.IsScalar()) where.fail(node, std::string("expected text, got ") + node_kind(node));
  return node.Scalar();
}

double as_number(const YAML::Node& node, const Where& where) {
  if (!node.IsScalar()) where.fail(node, std::string("expected a number, got ") + node_kind(node));
  double value = 0;
  if (!YAML::convert<double>::decode(node, value)) {
    where.fail(node, "expected a number, got '" + node.Scalar() + "'");
  }
  if (!std::isfinite(value))
    where.fail(node, "must be a finite number (got " + node.Scalar() + ")");
  return value;
}

int64_t as_integer(const YAML::Node& node, const Where& where) {
  double value = as_number(node, where);
  if (value != std::floor(value) || std::fabs(value) > 9.0e15) {
    where.fail(node, "expected a whole number, got '" + node.Scalar() + "'");
  }
  return static_cast<int64_t>(value);
}

int64_t as_integer_in(const YAML::Node& node, const Where& where, int64_t low, int64_t high) {
  const int64_t v = as_integer(node, where);
  if (v < low || v > high) {
    where.fail(node, "must be from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return v;
}

bool as_bool(const YAML::Node& node, const Where& where) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    where.fail(node, "expected true or false, got '" +
                         (node.IsScalar() ? node.Scalar() : std::string(node_kind(node))) + "'");
  }
  return value;
}

std::vector<double> as_numbers(const YAML::Node& node, const Where& where, std::size_t min_count,
                               std::size_t max_count) {
  if (!node.IsSequence()) where.fail(node, std::string("expected a list, got ") + node_kind(node));
  if (node.size() < min_count || node.size() > max_count) {
    std::string count = min_count == max_count
                            ? std::to_string(min_count)
                            : std::to_string(min_count) + " to " + std::to_string(max_count);
    where.fail(node, "expected " + count + " numbers, got " + std::to_string(node.size()));
  }
  std::vector<double> values;
  for (std::size_t i = 0; i < node.size(); ++i)
    values.push_back(as_number(node[i], where.index(i)));
  return values;
}

void require_map(const YAML::Node& node, const Where& where, const std::string& what) {
  if (!node.IsMap()) {
    where.fail(node, "expected a map of " + what + ", got " + node_kind(node));
  }
}

void check_no_duplicates(const YAML::Node& map, const Where& where) {
  std::set<std::string> seen;
  for (const auto& item : map) {
    const std::string key = item.first.Scalar();
    if (!seen.insert(key).second) where.at(key).fail(item.first, "duplicate key");
  }
}

void check_keys(const YAML::Node& map, const Where& where, const std::set<std::string>& known) {
  check_no_duplicates(map, where);
  for (const auto& item : map) {
    const std::string key = item.first.Scalar();
    if (known.count(key)) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    where.at(key).fail(item.first, "unknown key (known here: " + list + ")");
  }
}

void for_each_item(const YAML::Node& node, const Where& where, const std::string& what,
                   const std::function<void(const std::string&, const YAML::Node&,
                                            const YAML::Node&, const Where&)>& each) {
  require_map(node, where, what);
  check_no_duplicates(node, where);
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    each(key, item.first, item.second, where.at(key));
  }
}

YAML::Node load_yaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ": malformed YAML: " + e.msg);
  }
}

std::string read_text_file(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path + ": cannot read the file");
  return text.str();
}

}  // namespace trajtool
