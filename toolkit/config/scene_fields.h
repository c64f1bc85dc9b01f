#pragma once
// The keys of one scene-file block's map, read with checks (strict keys, ranges, colours, anchors,
// experiments named in the head), errors naming the file, line and key; text gets ${parameters}
// filled in. Used by scene_script_reader.cc and the readers of further block families.
#include <cctype>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "toolkit/config/scene_script.h"
#include "toolkit/config/yaml_input.h"

namespace trajtool {

// "#rrggbb" or "#rrggbbaa".
inline std::string read_color(const YAML::Node& node, const Where& where) {
  const std::string text = as_string(node, where);
  bool hex = (text.size() == 7 || text.size() == 9) && text[0] == '#';
  for (std::size_t i = 1; hex && i < text.size(); ++i) {
    hex = std::isxdigit(static_cast<unsigned char>(text[i])) != 0;
  }
  if (!hex) where.fail(node, "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got '" + text + "'");
  return text;
}

// The text of `node` with ${name} replaced by the scene's parameter and "$$" by "$"; an unknown
// parameter is an InputError at `where`. Defined in scene_script_reader.cc.
std::string fill_scene_params(const YAML::Node& node, const Where& where,
                              const SceneHeader& header);

// The keys of one block's map, read with checks; text gets ${parameters} filled in.
class Fields {
 public:
  Fields(const YAML::Node& node, Where where, const SceneHeader& header,
         const std::set<std::string>& known)
      : node_(node), where_(std::move(where)), header_(header) {
    require_map(node, where_, "keys");
    check_keys(node, where_, known);
  }

  bool has(const std::string& key) const { return static_cast<bool>(node_[key]); }
  const Where& where() const { return where_; }
  const SceneHeader& header() const { return header_; }
  YAML::Node node() const { return node_; }

  std::string text(const std::string& key, const std::string& fallback = "") const {
    if (!has(key)) return fallback;
    return fill_params(node_[key], where_.at(key));
  }
  std::string required_text(const std::string& key) const {
    if (!has(key)) where_.fail(node_, "missing `" + key + "`");
    std::string value = text(key);
    if (value.empty()) where_.at(key).fail(node_[key], "must not be empty");
    return value;
  }
  double number(const std::string& key, double fallback, double low, double high) const {
    if (!has(key)) return fallback;
    const double value = as_number(node_[key], where_.at(key));
    if (value < low || value > high) {
      where_.at(key).fail(node_[key], "must be from " + short_text(low) + " to " +
                                          short_text(high) + " (got " + node_[key].Scalar() + ")");
    }
    return value;
  }
  bool flag(const std::string& key, bool fallback) const {
    return has(key) ? as_bool(node_[key], where_.at(key)) : fallback;
  }
  ScenePoint point(const std::string& key, ScenePoint fallback) const {
    if (!has(key)) return fallback;
    auto xy = as_numbers(node_[key], where_.at(key), 2, 2);
    check_on_frame(xy, key);
    return {xy[0], xy[1]};
  }
  SceneRect rect(const std::string& key) const {
    if (!has(key)) where_.fail(node_, "missing `" + key + "` ([left, bottom, right, top])");
    auto v = as_numbers(node_[key], where_.at(key), 4, 4);
    check_on_frame(v, key);
    if (!(v[0] < v[2]) || !(v[1] < v[3])) {
      where_.at(key).fail(node_[key],
                          "expected [left, bottom, right, top] with left < right and "
                          "bottom < top");
    }
    return {v[0], v[1], v[2], v[3]};
  }
  std::string color(const std::string& key) const {
    return has(key) ? read_color(node_[key], where_.at(key)) : "";
  }
  std::vector<std::string> colors(const std::string& key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const YAML::Node list = node_[key];
    if (!list.IsSequence()) where_.at(key).fail(list, "expected a list of colours");
    for (std::size_t i = 0; i < list.size(); ++i) {
      out.push_back(read_color(list[i], where_.at(key).index(i)));
    }
    return out;
  }
  TextAnchor anchor(const std::string& key, TextAnchor fallback) const {
    static const std::map<std::string, TextAnchor> kNames = {
        {"center", TextAnchor::center},
        {"left", TextAnchor::left},
        {"right", TextAnchor::right},
        {"top", TextAnchor::top},
        {"bottom", TextAnchor::bottom},
        {"top_left", TextAnchor::top_left},
        {"top_right", TextAnchor::top_right},
        {"bottom_left", TextAnchor::bottom_left},
        {"bottom_right", TextAnchor::bottom_right}};
    return choice(key, kNames, fallback);
  }
  template <class T>
  T choice(const std::string& key, const std::map<std::string, T>& names, T fallback) const {
    if (!has(key)) return fallback;
    const std::string text = as_string(node_[key], where_.at(key));
    auto it = names.find(text);
    if (it == names.end()) {
      std::string list;
      for (const auto& [name, value] : names) list += (list.empty() ? "" : ", ") + name;
      where_.at(key).fail(node_[key], "'" + text + "' is not one of: " + list);
    }
    return it->second;
  }
  // An experiment the scene names in its head; "" when absent and not required.
  std::string experiment(const std::string& key, bool required) const {
    if (!has(key)) {
      if (required)
        where_.fail(node_, "missing `" + key + "` (one of: " + experiment_names() + ")");
      return "";
    }
    const std::string name = as_string(node_[key], where_.at(key));
    for (const auto& ref : header_.experiments) {
      if (ref.name == name) return name;
    }
    where_.at(key).fail(node_[key], "no experiment '" + name +
                                        "' in this scene (it reads: " + experiment_names() + ")");
  }
  std::vector<std::string> texts(const std::string& key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const YAML::Node list = node_[key];
    if (!list.IsSequence()) where_.at(key).fail(list, "expected a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      out.push_back(fill_params(list[i], where_.at(key).index(i)));
    }
    return out;
  }
  // ${name} -> the parameter's value; "$$" -> "$".
  std::string fill_params(const YAML::Node& node, const Where& where) const {
    return fill_scene_params(node, where, header_);
  }

 private:
  static std::string short_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
  }
  void check_on_frame(const std::vector<double>& values, const std::string& key) const {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double limit = i % 2 == 0 ? 7.2 : 4.05;  // a 16:9 frame is 14.22 x 8 units
      if (values[i] < -limit || values[i] > limit) {
        where_.at(key).fail(node_[key], "off the frame (x within ±7.1, y within ±4)");
      }
    }
  }
  std::string experiment_names() const {
    std::string names;
    for (const auto& ref : header_.experiments) names += (names.empty() ? "" : ", ") + ref.name;
    return names.empty() ? "none: add `experiments:` to the scene file" : names;
  }

  YAML::Node node_;
  Where where_;
  const SceneHeader& header_;
};

// A block's `runs:` (labels, each non-empty), at most `max` of them.
inline std::vector<std::string> run_labels(
    const Fields& f, std::size_t max = std::numeric_limits<std::size_t>::max()) {
  std::vector<std::string> runs = f.texts("runs");
  if (runs.size() > max) {
    f.where().at("runs").fail(f.node()["runs"], "at most " + std::to_string(max) + " runs (got " +
                                                    std::to_string(runs.size()) + ")");
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].empty())
      f.where().at("runs").index(i).fail(f.node()["runs"][i], "must not be empty");
  }
  return runs;
}

// A block's `colors:`, one per run when `runs` are listed.
inline std::vector<std::string> run_colors(const Fields& f, const std::vector<std::string>& runs) {
  std::vector<std::string> colors = f.colors("colors");
  if (!colors.empty() && !runs.empty() && colors.size() != runs.size()) {
    f.where().at("colors").fail(
        f.node()["colors"],
        std::to_string(colors.size()) + " colours for " + std::to_string(runs.size()) + " runs");
  }
  return colors;
}

// The keys the 2D `trajectories` and the 3D `trajectories_3d` blocks share (runs, colors, mode,
// run_time, fade_earlier_to, legend, legend_title), read into either block; defaults are the
// block's own.
template <class Block>
void read_trajectory_keys(const Fields& f, Block& b) {
  b.runs = f.texts("runs");
  b.colors = f.colors("colors");
  b.mode = f.choice<TrajectoryMode>("mode",
                                    {{"one_at_a_time", TrajectoryMode::one_at_a_time},
                                     {"all_at_once", TrajectoryMode::all_at_once}},
                                    b.mode);
  b.run_time = f.number("run_time", b.run_time, 0, 120);
  b.fade_earlier_to = f.number("fade_earlier_to", b.fade_earlier_to, 0, 1);
  b.detail = f.choice<LegendDetail>(
      "legend", {{"final_loss", LegendDetail::final_loss}, {"optimizer", LegendDetail::optimizer}},
      b.detail);
  b.legend_title = f.text("legend_title");
}

}  // namespace trajtool
