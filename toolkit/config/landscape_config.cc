#include "toolkit/config/landscape_config.h"

#include <cmath>

namespace trajtool {
namespace {

WeightsAt parse_weights_at(const YAML::Node& node, const Where& where) {
  const std::string text = as_string(node, where);
  if (text == "init") return WeightsAt::kInit;
  if (text == "final") return WeightsAt::kFinal;
  where.fail(node, "expected init or final (got '" + text + "')");
}

bool parse_on_test(const YAML::Node& node, const Where& where) {
  const std::string text = as_string(node, where);
  if (text == "train") return false;
  if (text == "test") return true;
  where.fail(node, "expected train or test (got '" + text + "')");
}

// The landscape is drawn for MLPs: their layers are evaluated for many weight points at once.
void require_mlp(const Experiment& e, int64_t run, const YAML::Node& node, const Where& where) {
  const TrainingRunSpec& spec = e.training_runs[static_cast<std::size_t>(run)];
  if (spec.model.kind != "mlp") {
    where.fail(node, "run '" + spec.label + "' is a " + spec.model.kind +
                         "; loss landscapes are computed for mlp models only");
  }
}

// [a, b] with a < b, finite.
std::pair<double, double> parse_interval(const YAML::Node& node, const Where& where) {
  const std::vector<double> v = as_numbers(node, where, 2, 2);
  if (!(v[0] < v[1])) where.fail(node, "expected [low, high] with low < high");
  return {v[0], v[1]};
}

int64_t parse_count(const YAML::Node& node, const Where& where, int64_t low, int64_t high) {
  const int64_t n = as_integer(node, where);
  if (n < low || n > high) {
    where.fail(node, "must be in " + std::to_string(low) + " .. " + std::to_string(high) +
                         " (got " + std::to_string(n) + ")");
  }
  return n;
}

LandscapeSpec parse_landscape(const YAML::Node& node, const Where& where, const Experiment& e) {
  require_map(node, where,
              "{center: final, run: LABEL, directions: random|pca, ignore: biasbn, range: "
              "[[-1, 1], [-1, 1]] | auto, n: [51, 51], on: train, seed: 123}");
  check_keys(node, where, {"center", "run", "directions", "ignore", "range", "n", "on", "seed"});
  LandscapeSpec s;
  if (node["center"]) s.center = parse_weights_at(node["center"], where.at("center"));
  s.run_index = parse_run(node["run"], where.at("run"), e, s.run);
  require_mlp(e, s.run_index, node["run"] ? node["run"] : node, where.at("run"));
  if (node["directions"]) {
    const Where at = where.at("directions");
    const std::string text = as_string(node["directions"], at);
    if (text == "random") {
      s.directions = DirectionKind::kRandom;
    } else if (text == "pca") {
      s.directions = DirectionKind::kPca;
    } else {
      at.fail(node["directions"], "expected random or pca (got '" + text + "')");
    }
  }
  if (node["ignore"]) {
    const Where at = where.at("ignore");
    const std::string text = as_string(node["ignore"], at);
    if (text == "biasbn") {
      s.ignore_biasbn = true;
    } else if (text == "none") {
      s.ignore_biasbn = false;
    } else {
      at.fail(node["ignore"], "expected biasbn or none (got '" + text + "')");
    }
  }
  s.range_auto = s.directions == DirectionKind::kPca;
  if (node["range"] && node["range"].IsScalar() && node["range"].Scalar() == "auto") {
    s.range_auto = true;
  } else if (node["range"]) {
    s.range_auto = false;
    const Where at = where.at("range");
    const YAML::Node r = node["range"];
    if (!r.IsSequence() || r.size() != 2)
      at.fail(r, "expected [[x_min, x_max], [y_min, y_max]] or auto");
    const auto [x0, x1] = parse_interval(r[0], at.index(0));
    const auto [y0, y1] = parse_interval(r[1], at.index(1));
    s.range = {x0, x1, y0, y1};
  }
  if (node["n"]) {
    const Where at = where.at("n");
    const YAML::Node n = node["n"];
    if (n.IsScalar()) {
      s.nx = s.ny = parse_count(n, at, 2, 1001);
    } else {
      if (!n.IsSequence() || n.size() != 2) at.fail(n, "expected [nx, ny] or one number");
      s.nx = parse_count(n[0], at.index(0), 2, 1001);
      s.ny = parse_count(n[1], at.index(1), 2, 1001);
    }
  }
  if (node["on"]) s.on_test = parse_on_test(node["on"], where.at("on"));
  if (node["seed"]) {
    const int64_t seed = as_integer(node["seed"], where.at("seed"));
    if (seed < 0) where.at("seed").fail(node["seed"], "must be >= 0");
    s.seed = static_cast<uint64_t>(seed);
  }
  return s;
}

InterpolationSpec parse_interpolation(const YAML::Node& node, const Where& where,
                                      const Experiment& e) {
  require_map(node, where,
              "{from: init, to: final, run: LABEL, n: 101, range: [-0.5, 1.5], on: train}");
  check_keys(node, where, {"from", "to", "run", "n", "range", "on"});
  InterpolationSpec s;
  if (node["from"]) s.from = parse_weights_at(node["from"], where.at("from"));
  if (node["to"]) s.to = parse_weights_at(node["to"], where.at("to"));
  if (s.from == s.to) where.fail(node, "`from` and `to` are the same weights");
  s.run_index = parse_run(node["run"], where.at("run"), e, s.run);
  require_mlp(e, s.run_index, node["run"] ? node["run"] : node, where.at("run"));
  if (node["n"]) s.n = parse_count(node["n"], where.at("n"), 2, 100001);
  if (node["range"]) {
    const auto [a, b] = parse_interval(node["range"], where.at("range"));
    s.alpha_min = a;
    s.alpha_max = b;
  }
  if (node["on"]) s.on_test = parse_on_test(node["on"], where.at("on"));
  return s;
}

}  // namespace

int64_t parse_run(const YAML::Node& node, const Where& where, const Experiment& e,
                  std::string& label) {
  if (!node) {
    label = e.training_runs.front().label;
    return 0;
  }
  label = as_string(node, where);
  std::string known;
  for (std::size_t i = 0; i < e.training_runs.size(); ++i) {
    if (e.training_runs[i].label == label) return static_cast<int64_t>(i);
    known += (known.empty() ? "" : ", ") + e.training_runs[i].label;
  }
  where.fail(node, "no run '" + label + "' in this experiment (its runs: " + known + ")");
}

void parse_landscape_keys(const YAML::Node& root, const Where& top, Experiment& experiment) {
  if (root["landscape"]) {
    experiment.landscape = parse_landscape(root["landscape"], top.at("landscape"), experiment);
  }
  if (root["interpolation"]) {
    experiment.interpolation =
        parse_interpolation(root["interpolation"], top.at("interpolation"), experiment);
  }
}

}  // namespace trajtool
