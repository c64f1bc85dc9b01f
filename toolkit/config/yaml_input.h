#pragma once
// Reading YAML inputs (experiments, scene files, seminar manifests) with messages that name the
// file, the line and the key: "experiments/a.yaml:7: runs[1].lr: must be >= 0 (got -0.1)". Every
// reader here throws InputError; none returns a value it could not check.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace trajtool {

// Where a value sits, for messages: the file, and the key path inside it.
struct Where {
  std::string file;  // path as the user gave it
  std::string key;   // "runs[1].lr"; empty at the top level

  Where at(const std::string& child) const;
  Where index(std::size_t i) const;
  // "file:line: key: what" (the line when the node has one).
  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const;
  // The same prefix without throwing: "file:line: key".
  std::string locate(const YAML::Node& node) const;
};

// "a map", "a list", "nothing", "a scalar".
const char* node_kind(const YAML::Node& node);

std::string as_string(const YAML::Node& node, const Where& where);
double as_number(const YAML::Node& node, const Where& where);  // finite
int64_t as_integer(const YAML::Node& node, const Where& where);
// A whole number from `low` to `high`; else "must be from low to high".
int64_t as_integer_in(const YAML::Node& node, const Where& where, int64_t low, int64_t high);
bool as_bool(const YAML::Node& node, const Where& where);
// A list of min_count .. max_count finite numbers.
std::vector<double> as_numbers(const YAML::Node& node, const Where& where, std::size_t min_count,
                               std::size_t max_count);
// Fails unless `node` is a map (`what` names what the map should hold, for the message).
void require_map(const YAML::Node& node, const Where& where, const std::string& what);

// A map with a key twice: YAML readers silently keep one value, a typo that changes numbers.
void check_no_duplicates(const YAML::Node& map, const Where& where);
// Fails on duplicate keys and on keys not in `known`, listing the known ones.
void check_keys(const YAML::Node& map, const Where& where, const std::set<std::string>& known);

// Calls `each(key, key_node, value, where_of_value)` for every item of the map `node`, in file
// order, after checking that it is a map (of `what`, for the message) without duplicate keys.
void for_each_item(const YAML::Node& node, const Where& where, const std::string& what,
                   const std::function<void(const std::string&, const YAML::Node&,
                                            const YAML::Node&, const Where&)>& each);

// Parses YAML text; a syntax error becomes "path:line: malformed YAML: ...".
YAML::Node load_yaml(const std::string& text, const std::string& path);
// The whole file as text; a missing file, a directory or a read error is an InputError.
std::string read_text_file(const std::string& path);

}  // namespace trajtool
