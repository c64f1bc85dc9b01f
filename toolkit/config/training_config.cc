#include "toolkit/config/training_config.h"

#include <cmath>
#include <filesystem>
#include <map>

#include "objectives/datasets/dataset.h"
#include "optimizers/catalog.h"
#include "optimizers/lr_schedule.h"
#include "toolkit/config/experiment_parts.h"
#include "toolkit/config/landscape_config.h"
#include "toolkit/config/run_label.h"
#include "toolkit/config/walk_config.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace fs = std::filesystem;
namespace {

const char* const kActivations[] = {"relu", "tanh", "sigmoid", "gelu", "leaky_relu", "identity"};

// torch.nn.init functions with their arguments and defaults (torch's names).
const std::map<std::string, std::map<std::string, HyperValue>>& init_functions() {
  static const std::map<std::string, std::map<std::string, HyperValue>> kInits = {
      {"xavier_uniform", {{"gain", 1.0}}},
      {"xavier_normal", {{"gain", 1.0}}},
      {"kaiming_uniform",
       {{"a", 0.0}, {"mode", std::string("fan_in")}, {"nonlinearity", std::string("leaky_relu")}}},
      {"kaiming_normal",
       {{"a", 0.0}, {"mode", std::string("fan_in")}, {"nonlinearity", std::string("leaky_relu")}}},
      {"orthogonal", {{"gain", 1.0}}},
      {"normal", {{"mean", 0.0}, {"std", 1.0}}},
      {"uniform", {{"a", 0.0}, {"b", 1.0}}},
      {"trunc_normal", {{"mean", 0.0}, {"std", 1.0}, {"a", -2.0}, {"b", 2.0}}},
  };
  return kInits;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

// A file named by a config: as given when it exists, else beside the experiment file.
std::string config_file(const YAML::Node& node, const Where& where, const std::string& config) {
  const std::string given = as_string(node, where);
  std::error_code error;
  if (fs::exists(given, error)) return given;
  const fs::path beside = fs::path(config).parent_path() / given;
  if (fs::exists(beside, error)) return beside.string();
  where.fail(node, "no such file '" + given + "'");
}

DatasetSpec parse_dataset(const YAML::Node& node, const Where& where, const std::string& config) {
  DatasetSpec d;
  if (node.IsScalar()) {
    d.name = node.Scalar();
  } else {
    require_map(node, where, "a data set ({name: moons, samples: 1000, ...})");
    if (node["csv"]) {
      d.name = "csv";
      d.csv_path = config_file(node["csv"], where.at("csv"), config);
      check_keys(node, where, {"csv", "target", "task", "test_fraction", "seed", "standardize"});
      d.target = node["target"] ? as_string(node["target"], where.at("target")) : "last";
      if (node["task"]) {
        const std::string task = as_string(node["task"], where.at("task"));
        if (task != "classification" && task != "regression") {
          where.at("task").fail(node["task"], "expected classification or regression");
        }
        d.regression = task == "regression";
      }
    } else if (node["idx"]) {
      d.name = "idx";
      const YAML::Node idx = node["idx"];
      const Where at = where.at("idx");
      require_map(idx, at, "{images: FILE, labels: FILE}");
      check_keys(idx, at, {"images", "labels"});
      if (!idx["images"] || !idx["labels"]) at.fail(idx, "needs `images` and `labels`");
      d.images_path = config_file(idx["images"], at.at("images"), config);
      d.labels_path = config_file(idx["labels"], at.at("labels"), config);
      check_keys(node, where, {"idx", "limit", "flatten", "test_fraction", "seed", "standardize"});
    } else {
      if (!node["name"]) where.fail(node, "a data set needs `name`, `csv` or `idx`");
      d.name = as_string(node["name"], where.at("name"));
      check_keys(node, where,
                 {"name", "samples", "noise", "factor", "arms", "centers", "test_fraction", "seed",
                  "limit", "flatten", "standardize"});
    }
  }
  const bool synthetic = d.name != "csv" && d.name != "idx" && d.name != "fashion_mnist";
  static const std::map<std::string, double> kNoise = {{"moons", 0.1},    {"circles", 0.05},
                                                       {"spirals", 0.05}, {"blobs", 0.6},
                                                       {"xor", 0.05},     {"sine", 0.1}};
  d.samples = 1000;
  d.arms = 3;
  d.centers = 3;
  d.noise = kNoise.count(d.name) ? kNoise.at(d.name) : 0.0;
  d.flatten = true;
  if (node.IsMap()) {
    auto only = [&](const char* key, bool allowed) {
      if (node[key] && !allowed) {
        where.at(key).fail(node[key], std::string("`") + key + "` does not apply to " + d.name);
      }
      return node[key] && allowed;
    };
    if (only("samples", synthetic))
      d.samples = as_integer_in(node["samples"], where.at("samples"), 4, 10000000);
    if (only("noise", synthetic)) {
      d.noise = as_number(node["noise"], where.at("noise"));
      if (d.noise < 0) where.at("noise").fail(node["noise"], "must be >= 0");
    }
    if (only("factor", d.name == "circles")) {
      d.factor = as_number(node["factor"], where.at("factor"));
      if (!(d.factor > 0 && d.factor < 1))
        where.at("factor").fail(node["factor"], "must be in (0, 1)");
    }
    if (only("arms", d.name == "spirals"))
      d.arms = as_integer_in(node["arms"], where.at("arms"), 2, 100);
    if (only("centers", d.name == "blobs")) {
      d.centers = as_integer_in(node["centers"], where.at("centers"), 2, 100);
    }
    if (only("limit", d.name == "fashion_mnist" || d.name == "idx")) {
      d.limit = as_integer_in(node["limit"], where.at("limit"), 2, 100000000);
    }
    if (only("flatten", d.name == "fashion_mnist" || d.name == "idx")) {
      d.flatten = as_bool(node["flatten"], where.at("flatten"));
    }
    if (only("test_fraction", d.name != "fashion_mnist")) {
      d.test_fraction = as_number(node["test_fraction"], where.at("test_fraction"));
      if (!(d.test_fraction > 0 && d.test_fraction < 1)) {
        where.at("test_fraction").fail(node["test_fraction"], "must be in (0, 1)");
      }
    }
    if (node["seed"]) d.seed = parse_seed(node["seed"], where.at("seed"));
    if (node["standardize"]) d.standardize = as_bool(node["standardize"], where.at("standardize"));
  }
  const YAML::Node at_node = node.IsMap() && node["csv"]    ? node["csv"]
                             : node.IsMap() && node["idx"]  ? node["idx"]
                             : node.IsMap() && node["name"] ? node["name"]
                                                            : node;
  const Where at_where = node.IsMap() && node["csv"]   ? where.at("csv")
                         : node.IsMap() && node["idx"] ? where.at("idx")
                         : node.IsMap()                ? where.at("name")
                                                       : where;
  try {
    resolve_dataset(d);
  } catch (const InputError& e) {
    at_where.fail(at_node, e.what());
  }
  return d;
}

InitSpec parse_init(const YAML::Node& node, const Where& where) {
  InitSpec init;
  YAML::Node map(YAML::NodeType::Undefined);
  if (node.IsScalar()) {
    init.name = node.Scalar();
  } else {
    require_map(node, where, "an init ({name: kaiming_normal, nonlinearity: relu})");
    if (!node["name"]) where.fail(node, "an init needs `name`");
    init.name = as_string(node["name"], where.at("name"));
    map = node;
  }
  std::string base = init.name;
  if (!base.empty() && base.back() == '_') base.pop_back();  // torch's in-place spelling
  init.name = base;
  const auto& functions = init_functions();
  auto it = functions.find(init.name);
  if (it == functions.end()) {
    std::vector<std::string> names;
    for (const auto& [name, args] : functions) names.push_back(name);
    (map ? where.at("name") : where)
        .fail(map ? map["name"] : node,
              "unknown init '" + init.name + "' (torch.nn.init: " + joined(names) + ")");
  }
  init.args = it->second;
  if (map) {
    check_no_duplicates(map, where);
    for (const auto& item : map) {
      const std::string key = item.first.Scalar();
      if (key == "name") continue;
      const Where here = where.at(key);
      if (key == "bias") {
        if (as_string(item.second, here) != "zeros") here.fail(item.second, "expected zeros");
        init.zero_bias = true;
        continue;
      }
      auto arg = init.args.find(key);
      if (arg == init.args.end()) {
        std::vector<std::string> names{"bias"};
        for (const auto& [name, v] : it->second) names.push_back(name);
        here.fail(item.second,
                  "unknown argument of " + init.name + " (its arguments: " + joined(names) + ")");
      }
      if (std::holds_alternative<std::string>(arg->second)) {
        const std::string v = as_string(item.second, here);
        if (key == "mode" && v != "fan_in" && v != "fan_out") {
          here.fail(item.second, "torch expects fan_in or fan_out");
        }
        if (key == "nonlinearity" && v != "relu" && v != "leaky_relu" && v != "tanh" &&
            v != "sigmoid" && v != "linear") {
          here.fail(item.second, "torch.nn.init.calculate_gain does not know '" + v + "'");
        }
        arg->second = v;
      } else {
        arg->second = as_number(item.second, here);
      }
    }
    if (init.name == "normal" || init.name == "trunc_normal") {
      if (std::get<double>(init.args["std"]) < 0) where.fail(map, "std must be >= 0");
    }
  }
  return init;
}

std::string parse_activation(const YAML::Node& node, const Where& where) {
  const std::string name = as_string(node, where);
  for (const char* known : kActivations) {
    if (name == known) return name;
  }
  where.fail(node, "unknown activation '" + name +
                       "' (known: relu, tanh, sigmoid, gelu, leaky_relu, identity)");
}

std::vector<int64_t> widths(const YAML::Node& node, const Where& where, size_t min_count) {
  std::vector<int64_t> out;
  for (double w : as_numbers(node, where, min_count, 64)) {
    if (w < 1 || w > 65536 || w != std::floor(w)) {
      where.fail(node, "widths must be whole numbers from 1 to 65536");
    }
    out.push_back(static_cast<int64_t>(w));
  }
  return out;
}

ModelSpec parse_model(const YAML::Node& node, const Where& where) {
  require_map(node, where, "a model ({layers: [2, 32, 2], activation: relu})");
  ModelSpec m;
  if (node["kind"]) {
    m.kind = as_string(node["kind"], where.at("kind"));
    if (m.kind != "mlp" && m.kind != "cnn")
      where.at("kind").fail(node["kind"], "expected mlp or cnn");
  }
  if (m.kind == "mlp") {
    check_keys(node, where, {"kind", "layers", "activation", "dropout", "init"});
    if (!node["layers"]) where.fail(node, "missing `layers` (widths, input first: [2, 32, 2])");
    m.layers = widths(node["layers"], where.at("layers"), 2);
    const size_t hidden = m.layers.size() - 2;
    const YAML::Node act = node["activation"];
    if (!act) {
      m.activations.assign(hidden, "relu");
    } else if (act.IsSequence()) {
      if (act.size() != hidden) {
        where.at("activation")
            .fail(act, "give one activation per hidden layer (" + std::to_string(hidden) +
                           "), or one for all");
      }
      for (size_t i = 0; i < act.size(); ++i) {
        m.activations.push_back(parse_activation(act[i], where.at("activation").index(i)));
      }
    } else {
      m.activations.assign(hidden, parse_activation(act, where.at("activation")));
    }
  } else {
    check_keys(node, where,
               {"kind", "channels", "kernel", "pool", "hidden", "activation", "dropout", "init"});
    m.channels = node["channels"] ? widths(node["channels"], where.at("channels"), 1)
                                  : std::vector<int64_t>{8, 16};
    if (node["kernel"]) m.kernel = as_integer_in(node["kernel"], where.at("kernel"), 1, 15);
    if (m.kernel % 2 == 0)
      where.at("kernel").fail(node["kernel"], "must be odd (padding kernel / 2 keeps the size)");
    if (node["pool"]) m.pool = as_integer_in(node["pool"], where.at("pool"), 1, 8);
    if (node["hidden"])
      m.hidden = widths(node["hidden"], where.at("hidden"), 0);
    else
      m.hidden = {64};
    if (node["activation"])
      m.cnn_activation = parse_activation(node["activation"], where.at("activation"));
  }
  if (node["dropout"]) {
    m.dropout = as_number(node["dropout"], where.at("dropout"));
    if (!(m.dropout >= 0 && m.dropout < 1))
      where.at("dropout").fail(node["dropout"], "must be in [0, 1)");
  }
  if (node["init"]) m.init = parse_init(node["init"], where.at("init"));
  return m;
}

ScheduleSpec parse_schedule(const YAML::Node& node, const Where& where) {
  ScheduleSpec s;
  require_map(node, where, "a schedule ({name: cosine_annealing_lr, T_max: 1000})");
  check_no_duplicates(node, where);
  if (!node["name"]) where.fail(node, "a schedule needs `name`");
  s.name = as_string(node["name"], where.at("name"));
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    const Where here = where.at(key);
    if (key == "name") continue;
    if (key == "schedulers") {
      if (!item.second.IsSequence()) here.fail(item.second, "expected a list of schedules");
      for (size_t i = 0; i < item.second.size(); ++i) {
        s.schedulers.push_back(parse_schedule(item.second[i], here.index(i)));
      }
    } else if (item.second.IsSequence()) {
      s.args[key] = as_numbers(item.second, here, 0, 1000);
    } else if (item.second.Scalar() == "true" || item.second.Scalar() == "false") {
      s.args[key] = as_bool(item.second, here);
    } else {
      double v = 0;
      try {
        v = std::stod(item.second.Scalar());
        s.args[key] = as_number(item.second, here);
      } catch (const std::invalid_argument&) {
        s.args[key] = as_string(item.second, here);
      }
      (void)v;
    }
  }
  return s;
}

LossKind parse_loss(const YAML::Node& node, const Where& where) {
  const std::string name = as_string(node, where);
  if (name == "mse") return LossKind::kMse;
  if (name == "bce_with_logits") return LossKind::kBceWithLogits;
  if (name == "cross_entropy") return LossKind::kCrossEntropy;
  where.fail(node, "unknown loss '" + name + "' (known: mse, bce_with_logits, cross_entropy)");
}

// root[key] when present, else an empty node (yaml-cpp's missing-key node cannot be copied into
// another node).
YAML::Node given(const YAML::Node& root, const char* key) {
  if (!root[key]) return YAML::Node(YAML::NodeType::Undefined);
  return root[key];
}

// The top-level values a run inherits.
struct TrainingDefaults {
  YAML::Node model, loss, steps, epochs, batch_size, seed, dtype, record, clip, schedule, shuffle;
  Where model_at, loss_at, steps_at, epochs_at, batch_at, seed_at, dtype_at, record_at, clip_at,
      schedule_at, shuffle_at;
};

// The run's value of `key`, or the top level's: node and where.
std::pair<YAML::Node, Where> pick(const YAML::Node& run, const Where& where, const char* key,
                                  const YAML::Node& top, const Where& top_where) {
  if (run[key]) return {run[key], where.at(key)};
  return {top, top_where};
}

int64_t outputs_of(const ModelSpec& m) {
  if (m.kind == "mlp") return m.layers.back();
  return m.outputs;
}

TrainingRunSpec parse_training_run(const YAML::Node& node, const Where& where,
                                   const DatasetSpec& dataset, const TrainingDefaults& top,
                                   const Where& file) {
  if (!node.IsMap()) where.fail(node, std::string("expected a map, got ") + node_kind(node));
  TrainingRunSpec run;
  run.dataset = dataset;
  run.optimizer =
      parse_optimizer(node, where,
                      {"label", "color", "model", "batch_size", "seed", "steps", "epochs", "loss",
                       "clip_grad_norm", "schedule", "dtype", "shuffle"});
  run.label =
      node["label"] ? as_string(node["label"], where.at("label")) : automatic_label(run.optimizer);
  if (node["color"]) run.color = as_string(node["color"], where.at("color"));

  auto [model_node, model_at] = pick(node, where, "model", top.model, top.model_at);
  if (!model_node) where.fail(node, "no `model` here or at the top of the file");
  run.model = parse_model(model_node, model_at);
  const int64_t features = dataset.features;
  if (run.model.kind == "mlp") {
    if (dataset.sample_shape.size() != 1) {
      model_at.at("layers").fail(model_node["layers"],
                                 "an MLP takes flat samples: give the data set `flatten: true`");
    }
    if (run.model.layers.front() != features) {
      model_at.at("layers").fail(model_node["layers"],
                                 "layers[0] is " + std::to_string(run.model.layers.front()) +
                                     " but the data set has " + std::to_string(features) +
                                     " features");
    }
  } else {
    if (dataset.sample_shape.size() != 3) {
      model_at.fail(model_node, "a CNN takes images [1, H, W]: give the data set `flatten: false`");
    }
    int64_t h = dataset.sample_shape[1], w = dataset.sample_shape[2];
    for (size_t i = 0; i < run.model.channels.size(); ++i) {
      h /= run.model.pool;
      w /= run.model.pool;
      if (h < 1 || w < 1) model_at.at("pool").fail(model_node, "the images pool away to nothing");
    }
    run.model.outputs = dataset.classes;
  }
  const YAML::Node last_layer = run.model.kind == "mlp" ? model_node["layers"] : model_node;
  const Where last_at = run.model.kind == "mlp" ? model_at.at("layers") : model_at;

  auto [loss_node, loss_at] = pick(node, where, "loss", top.loss, top.loss_at);
  const int64_t classes = dataset.classes;
  if (loss_node) {
    run.loss = parse_loss(loss_node, loss_at);
  } else if (classes == 0) {
    run.loss = LossKind::kMse;
  } else if (classes == 2 && outputs_of(run.model) == 1) {
    run.loss = LossKind::kBceWithLogits;
  } else {
    run.loss = LossKind::kCrossEntropy;
  }
  const int64_t outputs = outputs_of(run.model);
  auto need_outputs = [&](int64_t n, const std::string& why) {
    if (outputs != n) {
      last_at.fail(last_layer, "the last layer has " + std::to_string(outputs) + " outputs; " +
                                   why + " needs " + std::to_string(n));
    }
  };
  if (run.loss == LossKind::kCrossEntropy) {
    if (classes == 0)
      loss_at.fail(loss_node ? loss_node : node,
                   "cross_entropy needs classes; the data set is a regression");
    need_outputs(classes, "cross_entropy over " + std::to_string(classes) + " classes");
  } else if (run.loss == LossKind::kBceWithLogits) {
    if (classes != 2) loss_at.fail(loss_node ? loss_node : node, "bce_with_logits needs 2 classes");
    need_outputs(1, "bce_with_logits (one logit)");
  } else {
    need_outputs(classes == 0 ? 1 : classes,
                 classes == 0 ? "mse on a regression target" : "mse on one-hot classes");
  }

  auto [batch_node, batch_at] = pick(node, where, "batch_size", top.batch_size, top.batch_at);
  if (batch_node) {
    run.full_batch = false;
    run.batch_size = as_integer(batch_node, batch_at);
    if (run.batch_size < 1) batch_at.fail(batch_node, "must be >= 1");
    if (run.batch_size > dataset.train_count) {
      batch_at.fail(batch_node, "is larger than the training set (" +
                                    std::to_string(dataset.train_count) + " samples)");
    }
  } else {
    run.batch_size = dataset.train_count;
  }
  auto [shuffle_node, shuffle_at] = pick(node, where, "shuffle", top.shuffle, top.shuffle_at);
  if (shuffle_node) {
    const std::string shuffle = as_string(shuffle_node, shuffle_at);
    if (shuffle == "dataloader") {
      run.shuffle = ShuffleKind::kDataLoader;
    } else if (shuffle != "randperm") {
      shuffle_at.fail(shuffle_node, "expected randperm or dataloader, got '" + shuffle + "'");
    }
    if (run.full_batch && run.shuffle == ShuffleKind::kDataLoader) {
      shuffle_at.fail(shuffle_node, "dataloader needs `batch_size` (full batch is not shuffled)");
    }
  }
  auto [steps_node, steps_at] = pick(node, where, "steps", top.steps, top.steps_at);
  auto [epochs_node, epochs_at] = pick(node, where, "epochs", top.epochs, top.epochs_at);
  if (node["steps"] && !node["epochs"]) epochs_node.reset(YAML::Node(YAML::NodeType::Undefined));
  if (node["epochs"] && !node["steps"]) steps_node.reset(YAML::Node(YAML::NodeType::Undefined));
  if (steps_node && epochs_node) where.fail(node, "give `steps` or `epochs`, not both");
  if (steps_node) {
    run.steps = parse_steps(steps_node, steps_at);
  } else if (epochs_node) {
    run.epochs = as_integer_in(epochs_node, epochs_at, 1, 100000);
    const int64_t per_epoch = (dataset.train_count + run.batch_size - 1) / run.batch_size;
    run.steps = run.epochs * per_epoch;
    if (run.steps > 10000000) epochs_at.fail(epochs_node, "makes more than 10^7 steps");
  } else {
    where.fail(node, "no `steps` or `epochs` here or at the top of the file");
  }
  auto [seed_node, seed_at] = pick(node, where, "seed", top.seed, top.seed_at);
  if (seed_node) run.seed = parse_seed(seed_node, seed_at);
  auto [dtype_node, dtype_at] = pick(node, where, "dtype", top.dtype, top.dtype_at);
  if (dtype_node) run.dtype = parse_dtype(dtype_node, dtype_at);
  auto [clip_node, clip_at] = pick(node, where, "clip_grad_norm", top.clip, top.clip_at);
  if (clip_node) {
    run.clip_grad_norm = as_number(clip_node, clip_at);
    if (!(run.clip_grad_norm > 0)) clip_at.fail(clip_node, "must be > 0");
  }
  auto [schedule_node, schedule_at] = pick(node, where, "schedule", top.schedule, top.schedule_at);
  if (schedule_node) {
    run.schedule = parse_schedule(schedule_node, schedule_at);
    const bool has_momentum = run.optimizer.hyper.count("momentum") > 0;
    const bool has_betas = run.optimizer.hyper.count("betas") > 0;
    const std::string problem = check_schedule(run.schedule, run.steps, has_momentum, has_betas);
    if (!problem.empty()) schedule_at.fail(schedule_node, problem);
    if (run.schedule.name == "one_cycle_lr" && run.optimizer.name == "rmsprop" &&
        std::get<bool>(run.schedule.args.at("cycle_momentum"))) {
      // RMSprop has `momentum` in its defaults, as SGD: torch cycles it.
    }
  }
  // What to record; defaults scale with the run's steps.
  run.record.eval_every = std::max<int64_t>(1, run.steps / 50);
  run.record.checkpoint_every = std::max<int64_t>(1, run.steps / 10);
  if (top.record) {
    const Where& rw = top.record_at;
    const YAML::Node& r = top.record;
    require_map(r, rw, "{eval_every: N, checkpoint_every: N, activations: {samples: N}}");
    check_keys(r, rw, {"eval_every", "checkpoint_every", "activations", "boundary"});
    if (r["eval_every"])
      run.record.eval_every = as_integer_in(r["eval_every"], rw.at("eval_every"), 1, 10000000);
    if (r["checkpoint_every"]) {
      run.record.checkpoint_every =
          as_integer_in(r["checkpoint_every"], rw.at("checkpoint_every"), 1, 10000000);
    }
    if (r["activations"]) {
      require_map(r["activations"], rw.at("activations"), "{samples: N}");
      check_keys(r["activations"], rw.at("activations"), {"samples"});
      if (r["activations"]["samples"]) {
        run.record.activation_samples = as_integer_in(r["activations"]["samples"],
                                                      rw.at("activations").at("samples"), 0, 10000);
      }
    }
    if (r["boundary"]) {
      require_map(r["boundary"], rw.at("boundary"), "{n: N}");
      check_keys(r["boundary"], rw.at("boundary"), {"n"});
      if (r["boundary"]["n"])
        run.record.boundary_n =
            as_integer_in(r["boundary"]["n"], rw.at("boundary").at("n"), 8, 512);
    }
  }
  (void)file;
  return run;
}

}  // namespace

Experiment parse_training_experiment(const YAML::Node& root, const std::string& path) {
  Where top{path, ""};
  check_keys(root, top,
             {"name", "dataset", "model", "loss", "steps", "epochs", "batch_size", "seed", "dtype",
              "record", "runs", "clip_grad_norm", "schedule", "shuffle", "landscape",
              "interpolation", "walk"});
  Experiment experiment;
  experiment.source_path = path;
  if (!root["name"]) top.fail(root, "missing `name`");
  experiment.name = as_string(root["name"], top.at("name"));
  const DatasetSpec dataset = parse_dataset(root["dataset"], top.at("dataset"), path);
  TrainingDefaults d;
  d.model = given(root, "model"), d.model_at = top.at("model");
  d.loss = given(root, "loss"), d.loss_at = top.at("loss");
  d.steps = given(root, "steps"), d.steps_at = top.at("steps");
  d.epochs = given(root, "epochs"), d.epochs_at = top.at("epochs");
  d.batch_size = given(root, "batch_size"), d.batch_at = top.at("batch_size");
  d.seed = given(root, "seed"), d.seed_at = top.at("seed");
  d.dtype = given(root, "dtype"), d.dtype_at = top.at("dtype");
  d.record = given(root, "record"), d.record_at = top.at("record");
  d.clip = given(root, "clip_grad_norm"), d.clip_at = top.at("clip_grad_norm");
  d.schedule = given(root, "schedule"), d.schedule_at = top.at("schedule");
  d.shuffle = given(root, "shuffle"), d.shuffle_at = top.at("shuffle");
  const YAML::Node runs = root["runs"];
  if (!runs || !runs.IsSequence() || runs.size() == 0) {
    top.fail(runs ? runs : root, "needs `runs:`, a list of optimizer runs");
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    experiment.training_runs.push_back(
        parse_training_run(runs[i], top.at("runs").index(i), dataset, d, top));
  }
  check_distinct_labels(experiment.training_runs, runs, top.at("runs"));
  parse_landscape_keys(root, top, experiment);
  parse_walk_key(root, top, experiment);
  return experiment;
}

}  // namespace trajtool
