#include "toolkit/config/agent_config.h"

#include <cmath>

#include "objectives/environments/cartpole.h"
#include "toolkit/config/experiment_parts.h"
#include "toolkit/config/run_label.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// The keys a run may give as well as the top level (besides its optimizer's).
const char* const kRunKeys[] = {"model",
                                "seed",
                                "updates",
                                "n_envs",
                                "n_steps",
                                "gamma",
                                "gae_lambda",
                                "vf_coef",
                                "ent_coef",
                                "max_grad_norm",
                                "normalize_advantage",
                                "dtype"};

const char* const kActivations[] = {"relu", "tanh", "sigmoid", "gelu", "leaky_relu", "identity"};

std::string parse_activation(const YAML::Node& node, const Where& where) {
  const std::string name = as_string(node, where);
  for (const char* known : kActivations) {
    if (name == known) return name;
  }
  where.fail(node, "unknown activation '" + name +
                       "' (known: relu, tanh, sigmoid, gelu, leaky_relu, identity)");
}

// {layers: [4, 64, 64, 2], activation: tanh}: layers[0] is the observation, the last the actions.
ModelSpec parse_agent_model(const YAML::Node& node, const Where& where, const EnvironmentInfo& env,
                            const Where& env_where) {
  require_map(node, where, "a model ({layers: [4, 64, 64, 2], activation: tanh})");
  check_keys(node, where, {"kind", "layers", "activation"});
  ModelSpec m;
  if (node["kind"] && as_string(node["kind"], where.at("kind")) != "mlp") {
    where.at("kind").fail(node["kind"], "an agent's model is an mlp");
  }
  if (!node["layers"]) where.fail(node, "missing `layers` (widths, observation first: [4, 64, 2])");
  const Where at = where.at("layers");
  for (double w : as_numbers(node["layers"], at, 3, 16)) {
    if (w < 1 || w > 4096 || w != std::floor(w)) {
      at.fail(node["layers"], "widths must be whole numbers from 1 to 4096");
    }
    m.layers.push_back(static_cast<int64_t>(w));
  }
  if (m.layers.front() != env.observation_size) {
    at.fail(node["layers"], "layers[0] is " + std::to_string(m.layers.front()) + " but " +
                                env_where.key + " " + env.name + " observes " +
                                std::to_string(env.observation_size) + " values");
  }
  if (m.layers.back() != env.actions) {
    at.fail(node["layers"], "the last layer (the policy head) has " +
                                std::to_string(m.layers.back()) + " outputs but " + env.name +
                                " has " + std::to_string(env.actions) + " actions");
  }
  const std::size_t hidden = m.layers.size() - 2;
  const YAML::Node act = node["activation"];
  if (!act) {
    m.activations.assign(hidden, "tanh");
  } else if (act.IsSequence()) {
    if (act.size() != hidden) {
      where.at("activation")
          .fail(act, "give one activation per hidden layer (" + std::to_string(hidden) +
                         "), or one for all");
    }
    for (std::size_t i = 0; i < act.size(); ++i) {
      m.activations.push_back(parse_activation(act[i], where.at("activation").index(i)));
    }
  } else {
    m.activations.assign(hidden, parse_activation(act, where.at("activation")));
  }
  m.outputs = m.layers.back();
  return m;
}

// The run's node for `key`, else the top level's.
std::pair<YAML::Node, Where> pick(const YAML::Node& run, const Where& run_at, const YAML::Node& top,
                                  const Where& top_at, const char* key) {
  if (run[key]) return {run[key], run_at.at(key)};
  if (top[key]) return {top[key], top_at.at(key)};
  return {YAML::Node(YAML::NodeType::Undefined), run_at.at(key)};
}

double number_in(const YAML::Node& node, const Where& where, double low, double high,
                 bool open_low) {
  const double v = as_number(node, where);
  if (v < low || v > high || (open_low && v == low)) {
    where.fail(node, std::string("must be in ") + (open_low ? "(" : "[") + std::to_string(low) +
                         ", " + std::to_string(high) + "]");
  }
  return v;
}

std::vector<double> parse_milestones(const YAML::Node& node, const Where& where) {
  std::vector<double> m = as_numbers(node, where, 1, 16);
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (!(m[i] > 0 && m[i] <= 1)) {
      where.index(i).fail(node[i], "a milestone is a fraction of the training in (0, 1]");
    }
    if (i > 0 && !(m[i] > m[i - 1])) {
      where.index(i).fail(node[i], "milestones must increase");
    }
  }
  return m;
}

AgentRunSpec parse_agent_run(const YAML::Node& node, const Where& where, const YAML::Node& root,
                             const Where& top, const EnvironmentInfo& env) {
  if (!node.IsMap()) where.fail(node, std::string("expected a map, got ") + node_kind(node));
  std::set<std::string> own = {"label", "color"};
  for (const char* key : kRunKeys) own.insert(key);
  AgentRunSpec run;
  run.env = env.name;
  run.optimizer = parse_optimizer(node, where, own);
  run.label =
      node["label"] ? as_string(node["label"], where.at("label")) : automatic_label(run.optimizer);
  if (node["color"]) run.color = as_string(node["color"], where.at("color"));
  auto [model_node, model_at] = pick(node, where, root, top, "model");
  if (!model_node) where.fail(node, "no `model` here or at the top of the file");
  run.model = parse_agent_model(model_node, model_at, env, top.at("env"));
  A2cSpec& a = run.a2c;
  auto value = [&](const char* key) { return pick(node, where, root, top, key); };
  if (auto [n, at] = value("seed"); n) run.seed = parse_seed(n, at);
  if (auto [n, at] = value("dtype"); n) run.dtype = parse_dtype(n, at);
  auto [updates, updates_at] = value("updates");
  if (!updates) where.fail(node, "no `updates` (optimizer steps) here or at the top of the file");
  a.updates = as_integer_in(updates, updates_at, 1, 1000000);
  if (auto [n, at] = value("n_envs"); n) a.n_envs = as_integer_in(n, at, 1, 4096);
  if (auto [n, at] = value("n_steps"); n) a.n_steps = as_integer_in(n, at, 1, 4096);
  if (auto [n, at] = value("gamma"); n) a.gamma = number_in(n, at, 0, 1, false);
  if (auto [n, at] = value("gae_lambda"); n) a.gae_lambda = number_in(n, at, 0, 1, false);
  if (auto [n, at] = value("vf_coef"); n) a.vf_coef = number_in(n, at, 0, 1000, false);
  if (auto [n, at] = value("ent_coef"); n) a.ent_coef = number_in(n, at, 0, 1000, false);
  if (auto [n, at] = value("max_grad_norm"); n) a.max_grad_norm = number_in(n, at, 0, 1e6, false);
  if (auto [n, at] = value("normalize_advantage"); n) a.normalize_advantage = as_bool(n, at);
  if (root["milestones"]) {
    run.milestones = parse_milestones(root["milestones"], top.at("milestones"));
  } else {
    run.milestones = {0.1, 0.25, 0.5, 1.0};
  }
  if (root["episodes"]) run.episodes = as_integer_in(root["episodes"], top.at("episodes"), 1, 100);
  return run;
}

}  // namespace

Experiment parse_agent_experiment(const YAML::Node& root, const std::string& path) {
  Where top{path, ""};
  std::set<std::string> known = {"name", "env", "algorithm", "milestones", "episodes", "runs"};
  for (const char* key : kRunKeys) known.insert(key);
  check_keys(root, top, known);
  Experiment experiment;
  experiment.source_path = path;
  if (!root["name"]) top.fail(root, "missing `name`");
  experiment.name = as_string(root["name"], top.at("name"));
  const std::string env_name = as_string(root["env"], top.at("env"));
  const EnvironmentInfo* env = nullptr;
  try {
    env = &environment_info(env_name);
  } catch (const InputError& e) {
    top.at("env").fail(root["env"], e.what());
  }
  if (root["algorithm"]) {
    const std::string algorithm = as_string(root["algorithm"], top.at("algorithm"));
    if (algorithm != "a2c") top.at("algorithm").fail(root["algorithm"], "known: a2c");
  }
  const YAML::Node runs = root["runs"];
  if (!runs || !runs.IsSequence() || runs.size() == 0) {
    top.fail(runs ? runs : root, "needs `runs:`, a list of runs, each with its optimizer");
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    experiment.agent_runs.push_back(
        parse_agent_run(runs[i], top.at("runs").index(i), root, top, *env));
  }
  check_distinct_labels(experiment.agent_runs, runs, top.at("runs"));
  return experiment;
}

}  // namespace trajtool
