#include "toolkit/config/experiment_config.h"

#include <cmath>
#include <set>

#include "objectives/objective.h"
#include "optimizers/catalog.h"
#include "optimizers/optimizer_spec.h"
#include "toolkit/config/agent_config.h"
#include "toolkit/config/experiment_parts.h"
#include "toolkit/config/metric_config.h"
#include "toolkit/config/run_label.h"
#include "toolkit/config/training_config.h"
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

Domain parse_domain(const YAML::Node& node, const Where& where) {
  if (!node.IsSequence() || node.size() != 2) {
    where.fail(node, "expected [[x_min, x_max], [y_min, y_max]]");
  }
  auto xs = as_numbers(node[0], where.index(0), 2, 2);
  auto ys = as_numbers(node[1], where.index(1), 2, 2);
  if (!(xs[0] < xs[1]) || !(ys[0] < ys[1])) where.fail(node, "each range must be [low, high]");
  return {xs[0], xs[1], ys[0], ys[1]};
}

ObjectiveSpec parse_objective(const YAML::Node& node, const Where& where) {
  ObjectiveSpec spec;
  if (node.IsScalar()) {
    spec.name = node.Scalar();
  } else if (node.IsMap()) {
    if (node["expr"] && node["name"]) where.fail(node, "give either `name` or `expr`, not both");
    if (node["expr"]) {
      spec.name = "expr";
      spec.expr = as_string(node["expr"], where.at("expr"));
      check_keys(node, where, {"expr", "domain"});
    } else if (node["name"]) {
      spec.name = as_string(node["name"], where.at("name"));
      check_no_duplicates(node, where);  // parameter names are checked by the registry
      for (const auto& item : node) {
        const std::string key = item.first.Scalar();
        if (key == "name" || key == "domain") continue;
        spec.params[key] = as_number(item.second, where.at(key));
      }
    } else {
      where.fail(node, "an objective map needs `name` or `expr`");
    }
    if (const YAML::Node domain = node["domain"]) {
      spec.domain = parse_domain(domain, where.at("domain"));
    }
  } else {
    where.fail(node,
               "expected an objective name, {name: ..., params...} or {expr: ..., domain: ...}");
  }
  try {
    apply_objective_defaults(spec);
  } catch (const InputError& e) {
    where.fail(node, e.what());
  }
  return spec;
}

StartSpec parse_start(const YAML::Node& node, const Where& where, int dim) {
  StartSpec start;
  if (node.IsSequence()) {
    start.point = as_numbers(node, where, 1, 2);
    if (static_cast<int>(start.point.size()) != dim) {
      where.fail(node, "the objective has " + std::to_string(dim) +
                           " coordinate(s), the start has " + std::to_string(start.point.size()));
    }
    return start;
  }
  if (!node.IsMap() || !node["grid"] || !node["n"]) {
    where.fail(node, "expected [x, y] or {grid: [[x0, x1], [y0, y1]], n: [nx, ny]}");
  }
  check_keys(node, where, {"grid", "n"});
  if (dim != 2) where.fail(node, "a start grid needs a 2D objective");
  start.grid = parse_domain(node["grid"], where.at("grid"));
  auto counts = as_numbers(node["n"], where.at("n"), 2, 2);
  for (double c : counts) {
    if (c < 1 || c != std::floor(c) || c > 100000) {
      where.at("n").fail(node["n"], "counts must be whole numbers from 1 to 100000");
    }
  }
  start.grid_nx = static_cast<int64_t>(counts[0]);
  start.grid_ny = static_cast<int64_t>(counts[1]);
  return start;
}

}  // namespace

DType parse_dtype(const YAML::Node& node, const Where& where) {
  std::string text = as_string(node, where);
  if (text == "float32") return DType::kFloat32;
  if (text == "float64") return DType::kFloat64;
  where.fail(node, "expected float32 or float64, got '" + text + "'");
}

namespace {

double parse_grad_noise(const YAML::Node& node, const Where& where) {
  if (!node.IsMap()) where.fail(node, "expected {std: number}");
  check_keys(node, where, {"std"});
  if (!node["std"]) where.fail(node, "missing `std`");
  double std_dev = as_number(node["std"], where.at("std"));
  if (std_dev < 0) where.at("std").fail(node["std"], "must be >= 0");
  return std_dev;
}

HyperValue parse_hyper(const HyperParam& param, const YAML::Node& node, const Where& where) {
  switch (param.kind) {
    case HyperKind::kBool:
      return as_bool(node, where);
    case HyperKind::kNumber:
      return as_number(node, where);
    case HyperKind::kInteger:
      return static_cast<double>(as_integer(node, where));
    case HyperKind::kPair:
      return as_numbers(node, where, 2, 2);
    case HyperKind::kOptionalString:
      if (node.IsNull()) return std::string();
      return as_string(node, where);
  }
  where.fail(node, "unsupported value");
}

// Reads the optimizer and its hyperparameters from a run map; `own_keys` are the run's other keys.
}  // namespace

OptimizerSpec parse_optimizer(const YAML::Node& run, const Where& where,
                              const std::set<std::string>& own_keys) {
  if (!run["optimizer"]) where.fail(run, "missing `optimizer`");
  OptimizerSpec spec;
  spec.name = as_string(run["optimizer"], where.at("optimizer"));
  const OptimizerInfo* info = nullptr;
  try {
    info = &optimizer_info(spec.name);
  } catch (const InputError& e) {
    where.at("optimizer").fail(run["optimizer"], e.what());
  }
  std::set<std::string> known = own_keys;
  known.insert("optimizer");
  for (const auto& param : info->hyper) known.insert(param.name);
  check_keys(run, where, known);
  for (const auto& param : info->hyper) {
    YAML::Node value = run[param.name];
    if (!value) {
      if (param.required) {
        where.fail(run, "missing `" + param.name + "` (" + info->title + " has no default for it)");
      }
      continue;
    }
    Where here = where.at(param.name);
    spec.hyper[param.name] = parse_hyper(param, value, here);
    std::string problem = check_hyper_value(*info, param.name, spec.hyper[param.name]);
    if (!problem.empty()) here.fail(value, problem + " (got " + YAML::Dump(value) + ")");
  }
  apply_optimizer_defaults(spec);
  std::string problem = check_optimizer_spec(spec);  // rules that tie fields together
  if (!problem.empty()) where.fail(run, problem);
  return spec;
}

uint64_t parse_seed(const YAML::Node& node, const Where& where) {
  int64_t seed = as_integer(node, where);
  if (seed < 0) where.fail(node, "must be >= 0");
  return static_cast<uint64_t>(seed);
}

int64_t parse_steps(const YAML::Node& node, const Where& where) {
  int64_t steps = as_integer(node, where);
  if (steps <= 0) where.fail(node, "must be > 0 (got " + node.Scalar() + ")");
  if (steps > 10000000) where.fail(node, "must be at most 10000000");
  return steps;
}

namespace {

// Defaults that runs inherit from the top level of the file.
struct RunDefaults {
  ObjectiveSpec objective;  // `objective:`
  bool has_objective = false;
  int dim = 2;        // the objective's dimension
  StartSpec start;    // `start:` or the objective's customary start
  int64_t steps = 0;  // `steps:`; 0 = not given
  uint64_t seed = 0;  // `seed:`
  DType dtype = DType::kFloat32;
  double grad_noise_std = 0;
};

// A run's record is held in memory as doubles: refuse one that cannot fit (a typo in a grid size
// would otherwise end in bad_alloc after other entries were written).
constexpr double kMaxRecordBytes = 4.0 * 1024 * 1024 * 1024;

void check_run_size(const RunSpec& run, const YAML::Node& node, const Where& where) {
  const double points =
      run.start.is_grid() ? static_cast<double>(run.start.grid_nx * run.start.grid_ny) : 1.0;
  const double per_row = 1 + 2 * 4;  // loss, params, grad and up to three 2-wide state series
  const double bytes = points * static_cast<double>(run.steps + 1) * per_row * 8;
  if (bytes > kMaxRecordBytes) {
    where.fail(node, "start points x steps is too large (" +
                         std::to_string(bytes / 1e9).substr(0, 5) +
                         " GB of record; the limit is 4 GiB): fewer points or steps");
  }
}

// The loss at a single start must be finite in the run's dtype, or there is no first row.
void check_start_is_finite(const RunSpec& run, const YAML::Node& node, const Where& where) {
  if (run.start.is_grid()) return;
  double x = run.start.point[0];
  double y = run.start.point.size() > 1 ? run.start.point[1] : 0.0;
  const double float_max = 3.4028234663852886e38;
  const bool fits =
      run.dtype == DType::kFloat64 || (std::fabs(x) <= float_max && std::fabs(y) <= float_max);
  double loss = 0;
  evaluate_objective(run.objective, &x, &y, &loss, 1);
  if (!fits || !std::isfinite(loss)) {
    Where at = node["start"] ? where.at("start") : where;
    at.fail(node["start"] ? node["start"] : node,
            "the loss at the start is not finite (" + shortest_double(loss) + ") for " +
                (run.objective.name == "expr" ? run.objective.expr : run.objective.name));
  }
}

RunSpec parse_run(const YAML::Node& node, const Where& where, const RunDefaults& defaults) {
  if (!node.IsMap()) where.fail(node, std::string("expected a map, got ") + node_kind(node));
  RunSpec run;
  run.objective = defaults.objective;
  int dim = defaults.dim;
  if (node["objective"]) {
    run.objective = parse_objective(node["objective"], where.at("objective"));
    dim = objective_info(run.objective).dim;
  } else if (!defaults.has_objective) {
    where.fail(node, "no `objective` here or at the top of the file");
  }
  run.optimizer = parse_optimizer(
      node, where,
      {"label", "color", "start", "steps", "seed", "dtype", "grad_noise", "objective"});
  const OptimizerInfo& info = optimizer_info(run.optimizer.name);
  run.label =
      node["label"] ? as_string(node["label"], where.at("label")) : automatic_label(run.optimizer);
  if (node["color"]) {
    run.color = as_string(node["color"], where.at("color"));
    bool hex = (run.color.size() == 7 || run.color.size() == 9) && run.color[0] == '#' &&
               run.color.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
    if (!hex) where.at("color").fail(node["color"], "expected #rrggbb, got '" + run.color + "'");
  }
  if (node["start"]) {
    run.start = parse_start(node["start"], where.at("start"), dim);
  } else if (node["objective"]) {
    run.start.point = objective_info(run.objective).start;
  } else {
    run.start = defaults.start;
  }
  if (run.start.is_grid() && !info.elementwise) {
    where.at("start").fail(node["start"] ? node["start"] : node,
                           info.title +
                               " is not element-wise: it cannot run a start grid as "
                               "one batch (give it a single start point)");
  }
  run.steps = node["steps"] ? parse_steps(node["steps"], where.at("steps")) : defaults.steps;
  if (run.steps == 0) where.fail(node, "no `steps` here or at the top of the file");
  run.seed = node["seed"] ? parse_seed(node["seed"], where.at("seed")) : defaults.seed;
  run.dtype = node["dtype"] ? parse_dtype(node["dtype"], where.at("dtype")) : defaults.dtype;
  check_run_size(run, node, where);
  check_start_is_finite(run, node, where);
  run.grad_noise_std = node["grad_noise"]
                           ? parse_grad_noise(node["grad_noise"], where.at("grad_noise"))
                           : defaults.grad_noise_std;
  return run;
}

EmaSpec parse_ema(const YAML::Node& node, const Where& where, uint64_t seed) {
  if (!node.IsMap()) where.fail(node, std::string("expected a map, got ") + node_kind(node));
  check_keys(node, where, {"label", "length", "noise_std", "betas", "seed"});
  EmaSpec ema;
  ema.label = node["label"] ? as_string(node["label"], where.at("label")) : "EMA";
  if (!node["length"]) where.fail(node, "missing `length`");
  ema.length = as_integer(node["length"], where.at("length"));
  if (ema.length < 2 || ema.length > 1000000) {
    where.at("length").fail(node["length"], "must be from 2 to 1000000");
  }
  ema.noise_std = node["noise_std"] ? as_number(node["noise_std"], where.at("noise_std")) : 0.3;
  if (ema.noise_std < 0) where.at("noise_std").fail(node["noise_std"], "must be >= 0");
  if (!node["betas"]) where.fail(node, "missing `betas`");
  ema.betas = as_numbers(node["betas"], where.at("betas"), 1, 16);
  for (double beta : ema.betas) {
    if (!(beta >= 0 && beta < 1))
      where.at("betas").fail(node["betas"], "each beta must be in [0, 1)");
  }
  ema.seed = node["seed"] ? parse_seed(node["seed"], where.at("seed")) : seed;
  return ema;
}

}  // namespace

Experiment parse_experiment(const std::string& yaml_text, const std::string& path) {
  const YAML::Node root = load_yaml(yaml_text, path);
  Where top{path, ""};
  if (!root.IsMap()) top.fail(root, "expected a map of keys (name, objective, runs, ...)");
  if (root["models"]) {
    top.at("models").fail(root["models"],
                          "`models:` is gone: train models with a `dataset:`, a `model:` and "
                          "`runs:` (docs/experiments.md, \"Trained models\")");
  }
  if (root["dataset"]) return parse_training_experiment(root, path);
  if (root["env"]) return parse_agent_experiment(root, path);
  check_keys(root, top,
             {"name", "objective", "start", "steps", "seed", "dtype", "grad_noise", "runs", "emas",
              "grid_n", "metrics"});
  Experiment experiment;
  experiment.source_path = path;
  if (!root["name"]) top.fail(root, "missing `name`");
  experiment.name = as_string(root["name"], top.at("name"));

  RunDefaults defaults;
  if (root["objective"]) {
    defaults.objective = parse_objective(root["objective"], top.at("objective"));
    defaults.has_objective = true;
    ObjectiveInfo info = objective_info(defaults.objective);
    defaults.dim = info.dim;
    defaults.start.point = info.start;
  }
  if (root["start"]) {
    if (!defaults.has_objective)
      top.at("start").fail(root["start"], "needs a top-level `objective`");
    defaults.start = parse_start(root["start"], top.at("start"), defaults.dim);
  }
  if (root["steps"]) defaults.steps = parse_steps(root["steps"], top.at("steps"));
  if (root["seed"]) defaults.seed = parse_seed(root["seed"], top.at("seed"));
  if (root["dtype"]) defaults.dtype = parse_dtype(root["dtype"], top.at("dtype"));
  if (root["grad_noise"]) {
    defaults.grad_noise_std = parse_grad_noise(root["grad_noise"], top.at("grad_noise"));
  }
  if (root["grid_n"]) {
    int64_t n = as_integer(root["grid_n"], top.at("grid_n"));
    if (n < 16 || n > 4096) top.at("grid_n").fail(root["grid_n"], "must be from 16 to 4096");
    experiment.grid_samples = n;
  }

  auto list = [&](const char* key) {
    YAML::Node node = root[key];
    if (node && !node.IsSequence()) {
      top.at(key).fail(node, std::string("expected a list, got ") + node_kind(node));
    }
    return node;
  };
  if (YAML::Node runs = list("runs")) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      experiment.runs.push_back(parse_run(runs[i], top.at("runs").index(i), defaults));
    }
    check_distinct_labels(experiment.runs, runs, top.at("runs"));
  }
  if (YAML::Node emas = list("emas")) {
    for (std::size_t i = 0; i < emas.size(); ++i) {
      experiment.emas.push_back(parse_ema(emas[i], top.at("emas").index(i), defaults.seed));
    }
    check_distinct_labels(experiment.emas, emas, top.at("emas"));
  }
  if (root["metrics"])
    experiment.metrics = parse_metric_sources(root["metrics"], top.at("metrics"));
  if (experiment.runs.empty() && experiment.emas.empty() && experiment.metrics.empty()) {
    top.fail(root, "nothing to run: give `runs`, `emas` or `metrics`");
  }
  return experiment;
}

Experiment load_experiment(const std::string& path) {
  return parse_experiment(read_text_file(path), path);
}

}  // namespace trajtool
