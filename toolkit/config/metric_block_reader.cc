#include "toolkit/config/metric_block_reader.h"

#include <cctype>
#include <set>

#include "toolkit/config/scene_fields.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/canonical_json.h"

namespace trajtool {
namespace {

// The keys every metric block shares: experiment, runs, colors.
const std::set<std::string> kSelectionKeys = {"experiment", "runs", "colors"};

std::set<std::string> with_selection(std::set<std::string> keys) {
  keys.insert(kSelectionKeys.begin(), kSelectionKeys.end());
  return keys;
}

std::string experiment_name(const YAML::Node& node, const Where& where, const SceneHeader& header) {
  const std::string name = as_string(node, where);
  std::string known;
  for (const SceneExperimentRef& ref : header.experiments) {
    if (ref.name == name) return name;
    known += (known.empty() ? "" : ", ") + ref.name;
  }
  where.fail(node, "no experiment '" + name +
                       "' in this scene (it reads: " + (known.empty() ? "none" : known) + ")");
}

std::string color(const YAML::Node& node, const Where& where) {
  const std::string text = as_string(node, where);
  bool hex = (text.size() == 7 || text.size() == 9) && text[0] == '#';
  for (std::size_t i = 1; hex && i < text.size(); ++i) {
    hex = std::isxdigit(static_cast<unsigned char>(text[i])) != 0;
  }
  if (!hex) where.fail(node, "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got '" + text + "'");
  return text;
}

MetricSelection read_selection(const YAML::Node& node, const Where& where,
                               const SceneHeader& header) {
  MetricSelection s;
  if (node["experiment"]) {
    s.experiment = experiment_name(node["experiment"], where.at("experiment"), header);
  }
  if (const YAML::Node runs = node["runs"]) {
    const Where at = where.at("runs");
    if (!runs.IsSequence()) at.fail(runs, "expected a list of {experiment, run, value}");
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const Where item = at.index(i);
      require_map(runs[i], item, "experiment, run, value, label");
      check_keys(runs[i], item, {"experiment", "run", "value", "label"});
      MetricRunRef ref;
      for (const char* key : {"experiment", "run", "value"}) {
        if (!runs[i][key]) item.fail(runs[i], std::string("missing `") + key + "`");
      }
      ref.experiment = experiment_name(runs[i]["experiment"], item.at("experiment"), header);
      ref.run = as_string(runs[i]["run"], item.at("run"));
      ref.value = as_string(runs[i]["value"], item.at("value"));
      if (runs[i]["label"])
        ref.label = fill_scene_params(runs[i]["label"], item.at("label"), header);
      s.runs.push_back(ref);
    }
  }
  if (const YAML::Node colors = node["colors"]) {
    if (!colors.IsSequence()) where.at("colors").fail(colors, "expected a list of colours");
    for (std::size_t i = 0; i < colors.size(); ++i) {
      s.colors.push_back(color(colors[i], where.at("colors").index(i)));
    }
  }
  if (s.experiment.empty() && s.runs.empty()) {
    where.fail(node, "give `experiment` (its logs' series) and/or `runs` (series of cached runs)");
  }
  return s;
}

double number(const YAML::Node& node, const char* key, double fallback, double low, double high,
              const Where& where) {
  if (!node[key]) return fallback;
  const double value = as_number(node[key], where.at(key));
  if (value < low || value > high) {
    where.at(key).fail(node[key],
                       "must be from " + shortest_double(low) + " to " + shortest_double(high));
  }
  return value;
}

// true/false, or a ${parameter} whose value is "true" or "false".
bool flag(const YAML::Node& node, const char* key, bool fallback, const Where& where,
          const SceneHeader& header) {
  if (!node[key]) return fallback;
  if (node[key].IsScalar() && node[key].Scalar().find("${") != std::string::npos) {
    const std::string value = fill_scene_params(node[key], where.at(key), header);
    if (value == "true") return true;
    if (value == "false") return false;
    where.at(key).fail(node[key], "expected true or false, got '" + value + "'");
  }
  return as_bool(node[key], where.at(key));
}

// `log_y`: true, false or auto (also from a ${parameter}); sets *log and *automatic.
void log_flag(const YAML::Node& node, const Where& where, const SceneHeader& header, bool* log,
              bool* automatic) {
  const char* key = "log_y";
  if (!node[key]) return;
  const std::string value =
      node[key].IsScalar() ? fill_scene_params(node[key], where.at(key), header) : std::string();
  if (value == "auto") {
    *automatic = true;
    return;
  }
  if (value == "true" || value == "false") {
    *log = value == "true";
    return;
  }
  where.at(key).fail(node[key], "expected true, false or auto, got '" + value + "'");
}

// Text with the scene's ${parameters} filled in.
std::string text(const YAML::Node& node, const char* key, const std::string& fallback,
                 const Where& where, const SceneHeader& header) {
  return node[key] ? fill_scene_params(node[key], where.at(key), header) : fallback;
}

}  // namespace

MetricCurvesBlock read_metric_curves(const YAML::Node& node, const Where& where,
                                     const SceneHeader& header) {
  require_map(node, where, "experiment, runs, ...");
  check_keys(node, where,
             with_selection({"x_label", "y_label", "log_y", "raw", "band", "run_time"}));
  MetricCurvesBlock b;
  b.series = read_selection(node, where, header);
  b.x_label = text(node, "x_label", b.x_label, where, header);
  b.y_label = text(node, "y_label", b.y_label, where, header);
  log_flag(node, where, header, &b.log_y, &b.log_y_auto);
  b.raw = flag(node, "raw", b.raw, where, header);
  b.band = flag(node, "band", b.band, where, header);
  b.run_time = number(node, "run_time", b.run_time, 0.1, 600, where);
  return b;
}

MetricPanelsBlock read_metric_panels(const YAML::Node& node, const Where& where,
                                     const SceneHeader& header) {
  require_map(node, where, "experiment, runs, ...");
  check_keys(node, where,
             with_selection({"x_label", "columns", "log_y", "raw", "band", "run_time"}));
  MetricPanelsBlock b;
  b.series = read_selection(node, where, header);
  b.x_label = text(node, "x_label", b.x_label, where, header);
  b.columns = static_cast<int>(number(node, "columns", 0, 0, 6, where));
  log_flag(node, where, header, &b.log_y, &b.log_y_auto);
  b.raw = flag(node, "raw", b.raw, where, header);
  b.band = flag(node, "band", b.band, where, header);
  b.run_time = number(node, "run_time", b.run_time, 0.1, 600, where);
  return b;
}

MetricStatsBlock read_metric_stats(const YAML::Node& node, const Where& where,
                                   const SceneHeader& header) {
  require_map(node, where, "experiment, runs, colors, run_time");
  check_keys(node, where, with_selection({"run_time"}));
  MetricStatsBlock b;
  b.series = read_selection(node, where, header);
  b.run_time = number(node, "run_time", b.run_time, 0, 60, where);
  return b;
}

}  // namespace trajtool
