// A2C for a tiny actor-critic on cart-pole, and the milestone recording (docs/agents.md).
#include "optimizers/run_agent.h"

#include <torch/nn.h>
#include <torch/optim.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "objectives/environments/cartpole.h"
#include "optimizers/optimizer_factory.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// torch.manual_seed and module construction use the global generator: one model at a time.
std::mutex& agent_construction_mutex() {
  static std::mutex mutex;
  return mutex;
}

// The actor-critic: a shared trunk, a policy head (logits) and a value head.
struct ActorCritic {
  torch::nn::Sequential trunk;                // Linear, activation, Linear, activation, ...
  std::vector<torch::nn::AnyModule> modules;  // the trunk's modules, to call one by one
  torch::nn::Linear policy{nullptr};          // hidden -> actions
  torch::nn::Linear value{nullptr};           // hidden -> 1
  std::vector<std::string> trunk_kinds;       // per trunk module: Linear, Tanh, ...
  std::vector<at::Tensor> parameters;         // every parameter, state_dict order
  std::vector<std::string> names;             // their state_dict names
};

ActorCritic build_actor_critic(const ModelSpec& ms, DType dtype) {
  ActorCritic m;
  auto add = [&](auto module, const char* kind) {
    m.trunk->push_back(module);
    m.modules.emplace_back(module);
    m.trunk_kinds.push_back(kind);
  };
  for (size_t l = 0; l + 2 < ms.layers.size(); ++l) {
    add(torch::nn::Linear(ms.layers[l], ms.layers[l + 1]), "Linear");
    const std::string& a = ms.activations[l];
    if (a == "relu") add(torch::nn::ReLU(), "ReLU");
    if (a == "tanh") add(torch::nn::Tanh(), "Tanh");
    if (a == "sigmoid") add(torch::nn::Sigmoid(), "Sigmoid");
    if (a == "gelu") add(torch::nn::GELU(), "GELU");
    if (a == "leaky_relu") add(torch::nn::LeakyReLU(), "LeakyReLU");
    if (a == "identity") add(torch::nn::Identity(), "Identity");
  }
  const int64_t hidden = ms.layers[ms.layers.size() - 2];
  m.policy = torch::nn::Linear(hidden, ms.layers.back());
  m.value = torch::nn::Linear(hidden, 1);
  const at::ScalarType type = dtype == DType::kFloat64 ? at::kDouble : at::kFloat;
  m.trunk->to(type);
  m.policy->to(type);
  m.value->to(type);
  auto collect = [&](const std::string& prefix, torch::nn::Module& module) {
    for (const auto& p : module.named_parameters()) {
      m.names.push_back(prefix + p.key());
      m.parameters.push_back(p.value());
    }
  };
  collect("trunk.", *m.trunk);
  collect("policy.", *m.policy);
  collect("value.", *m.value);
  return m;
}

std::vector<double> to_doubles(const at::Tensor& t) {
  at::Tensor d = t.detach().to(at::kDouble).contiguous();
  return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

// What one forward pass gives.
struct Forward {
  at::Tensor logits;                // [n][actions]
  at::Tensor value;                 // [n]
  std::vector<at::Tensor> outputs;  // when asked: every trunk module's output, then the logits
                                    // and the value [n][1]
};

Forward forward(ActorCritic& m, at::Tensor x, bool keep_outputs) {
  Forward f;
  for (torch::nn::AnyModule& module : m.modules) {
    x = module.forward(x);
    if (keep_outputs) f.outputs.push_back(x);
  }
  f.logits = m.policy->forward(x);
  at::Tensor v = m.value->forward(x);
  if (keep_outputs) {
    f.outputs.push_back(f.logits);
    f.outputs.push_back(v);
  }
  f.value = v.squeeze(1);
  return f;
}

// Observations [n][4] as a tensor of the run's dtype.
at::Tensor observations(const std::vector<CartPoleState>& states, at::ScalarType type) {
  std::vector<double> flat;
  flat.reserve(states.size() * 4);
  for (const CartPoleState& s : states) flat.insert(flat.end(), s.begin(), s.end());
  return at::tensor(flat, at::TensorOptions().dtype(at::kDouble))
      .reshape({static_cast<int64_t>(states.size()), 4})
      .to(type);
}

// A seed for one stream of the run (0: training resets, 1: actions, 2 + i: evaluation episode i).
uint64_t stream_seed(uint64_t seed, uint64_t stream) {
  SeededUniform mix(seed * 0x9e3779b97f4a7c15ULL + stream + 1);
  return mix.next_bits();
}

// The greedy evaluation episodes at one milestone, stepped together (one forward per frame).
AgentMilestone evaluate(ActorCritic& m, const AgentRunSpec& spec, const EnvironmentInfo& env,
                        at::ScalarType type, const std::vector<std::string>& layer_names) {
  torch::NoGradGuard no_grad;
  AgentMilestone out;
  const auto n = static_cast<std::size_t>(spec.episodes);
  const std::size_t layers = layer_names.size();
  out.episodes.resize(n);
  out.eval_returns.assign(n, 0.0);
  std::vector<CartPoleState> states(n);
  std::vector<bool> running(n, true);
  for (std::size_t i = 0; i < n; ++i) {
    SeededUniform start(stream_seed(spec.seed, 2 + i));
    states[i] = cartpole_reset(start);
    EpisodeRecord& e = out.episodes[i];
    e.observation_size = env.observation_size;
    e.actions = env.actions;
    e.activations.resize(layers);
    for (std::size_t l = 0; l < layers; ++l) e.activations[l].name = layer_names[l];
  }
  for (int64_t frame = 0; frame < env.max_steps; ++frame) {
    std::vector<std::size_t> live;
    std::vector<CartPoleState> seen;
    for (std::size_t i = 0; i < n; ++i) {
      if (running[i]) live.push_back(i), seen.push_back(states[i]);
    }
    if (live.empty()) break;
    Forward f = forward(m, observations(seen, type), true);
    const std::vector<double> probs = to_doubles(at::softmax(f.logits, 1));
    const std::vector<double> values = to_doubles(f.value);
    std::vector<std::vector<double>> outputs;
    for (const at::Tensor& o : f.outputs) outputs.push_back(to_doubles(o));
    for (std::size_t k = 0; k < live.size(); ++k) {
      const std::size_t i = live[k];
      EpisodeRecord& e = out.episodes[i];
      e.observation.insert(e.observation.end(), states[i].begin(), states[i].end());
      for (std::size_t l = 0; l < layers; ++l) {
        const auto width = static_cast<std::size_t>(f.outputs[l].size(1));
        e.activations[l].values.insert(e.activations[l].values.end(),
                                       outputs[l].begin() + static_cast<long>(k * width),
                                       outputs[l].begin() + static_cast<long>((k + 1) * width));
      }
      const auto a_n = static_cast<std::size_t>(env.actions);
      int64_t best = 0;
      for (std::size_t a = 0; a < a_n; ++a) {
        e.action_probs.push_back(probs[k * a_n + a]);
        if (probs[k * a_n + a] > probs[k * a_n + static_cast<std::size_t>(best)])
          best = static_cast<int64_t>(a);
      }
      e.action.push_back(best);
      e.value.push_back(values[k]);
      const CartPoleStep step = cartpole_step(states[i], best);
      e.reward.push_back(step.reward);
      out.eval_returns[i] += step.reward;
      e.episode_reward.push_back(out.eval_returns[i]);
      ++e.frames;
      states[i] = step.state;
      if (step.terminated) {
        e.terminated = true;
        running[i] = false;
      } else if (e.frames >= env.max_steps) {
        running[i] = false;
      }
    }
  }
  for (EpisodeRecord& e : out.episodes) {
    for (NamedTensor& a : e.activations) {
      a.shape = {e.frames, e.frames > 0 ? static_cast<int64_t>(a.values.size()) / e.frames : 0};
    }
  }
  for (std::size_t p = 0; p < m.parameters.size(); ++p) {
    const at::Tensor& t = m.parameters[p];
    out.weights.push_back({m.names[p], t.sizes().vec(), to_doubles(t)});
  }
  return out;
}

}  // namespace

AgentRecord run_agent(const AgentRunSpec& spec, const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  at::set_num_threads(1);
  const EnvironmentInfo& env = environment_info(spec.env);
  const at::ScalarType type = spec.dtype == DType::kFloat64 ? at::kDouble : at::kFloat;
  ActorCritic m;
  {
    std::lock_guard<std::mutex> lock(agent_construction_mutex());
    torch::manual_seed(spec.seed);
    m = build_actor_critic(spec.model, spec.dtype);
  }
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(spec.optimizer, m.parameters);

  AgentRecord r;
  r.dtype = spec.dtype;
  r.updates = spec.a2c.updates;
  r.action_names.assign(env.action_names.begin(), env.action_names.end());
  r.observation_names.assign(env.observation_names.begin(), env.observation_names.end());
  for (std::size_t l = 0; l < m.trunk_kinds.size(); ++l) {
    r.layer_names.push_back("trunk." + std::to_string(l));
    r.layer_kinds.push_back(m.trunk_kinds[l]);
  }
  r.layer_names.push_back("policy");
  r.layer_kinds.push_back("Linear");
  r.layer_names.push_back("value");
  r.layer_kinds.push_back("Linear");

  const A2cSpec& a = spec.a2c;
  const auto n_envs = static_cast<std::size_t>(a.n_envs);
  const auto n_steps = static_cast<std::size_t>(a.n_steps);
  SeededUniform resets(stream_seed(spec.seed, 0));
  SeededUniform actions(stream_seed(spec.seed, 1));
  std::vector<CartPoleState> states(n_envs);
  std::vector<int64_t> lengths(n_envs, 0);
  std::vector<double> returns(n_envs, 0.0);
  for (CartPoleState& s : states) s = cartpole_reset(resets);

  std::vector<int64_t> milestone_updates;
  for (double f : spec.milestones) milestone_updates.push_back(milestone_update(f, a.updates));
  std::size_t next_milestone = 0;
  double eval_seconds = 0;

  const std::size_t batch = n_envs * n_steps;
  std::vector<CartPoleState> rollout_obs(batch);
  std::vector<int64_t> rollout_actions(batch);
  std::vector<double> rewards(batch), values(batch), dones(batch), advantages(batch),
      targets(batch);
  for (int64_t update = 1; update <= a.updates; ++update) {
    // Rollout: n_steps batched steps of every environment.
    std::vector<std::pair<std::size_t, CartPoleState>> cut_off;  // (sample, state) at time limits
    {
      torch::NoGradGuard no_grad;
      for (std::size_t t = 0; t < n_steps; ++t) {
        Forward f = forward(m, observations(states, type), false);
        const std::vector<double> probs = to_doubles(at::softmax(f.logits, 1));
        const std::vector<double> v = to_doubles(f.value);
        const auto a_n = static_cast<std::size_t>(env.actions);
        for (std::size_t e = 0; e < n_envs; ++e) {
          const std::size_t k = t * n_envs + e;
          const double u = actions.next();
          int64_t act = static_cast<int64_t>(a_n) - 1;
          double cumulative = 0;
          for (std::size_t c = 0; c < a_n; ++c) {
            cumulative += probs[e * a_n + c];
            if (u < cumulative) {
              act = static_cast<int64_t>(c);
              break;
            }
          }
          rollout_obs[k] = states[e];
          rollout_actions[k] = act;
          values[k] = v[e];
          const CartPoleStep step = cartpole_step(states[e], act);
          rewards[k] = step.reward;
          returns[e] += step.reward;
          ++lengths[e];
          const bool truncated = !step.terminated && lengths[e] >= env.max_steps;
          dones[k] = step.terminated || truncated ? 1.0 : 0.0;
          states[e] = step.state;
          if (truncated) cut_off.push_back({k, step.state});
          if (dones[k] > 0) {
            r.episode_return.push_back(returns[e]);
            r.episode_update.push_back(update);
            returns[e] = 0;
            lengths[e] = 0;
            states[e] = cartpole_reset(resets);
          }
        }
      }
      // A time limit is not a failure: the state it cut off keeps its value (bootstrapped).
      if (!cut_off.empty()) {
        std::vector<CartPoleState> last;
        for (const auto& [k, s] : cut_off) last.push_back(s);
        const std::vector<double> v = to_doubles(forward(m, observations(last, type), false).value);
        for (std::size_t c = 0; c < cut_off.size(); ++c) {
          rewards[cut_off[c].first] += a.gamma * v[c];
        }
      }
      const std::vector<double> next_values =
          to_doubles(forward(m, observations(states, type), false).value);
      // GAE(γ, λ), backwards through the rollout.
      for (std::size_t e = 0; e < n_envs; ++e) {
        double gae = 0;
        for (std::size_t t = n_steps; t-- > 0;) {
          const std::size_t k = t * n_envs + e;
          const double next_value = t + 1 == n_steps ? next_values[e] : values[k + n_envs];
          const double live = 1.0 - dones[k];
          const double delta = rewards[k] + a.gamma * next_value * live - values[k];
          gae = delta + a.gamma * a.gae_lambda * live * gae;
          advantages[k] = gae;
          targets[k] = gae + values[k];
        }
      }
    }
    // One gradient step on the whole rollout.
    const auto b = static_cast<int64_t>(batch);
    at::Tensor x = observations(rollout_obs, type);
    at::Tensor act = at::tensor(rollout_actions, at::TensorOptions().dtype(at::kLong));
    at::Tensor adv = at::tensor(advantages, at::TensorOptions().dtype(at::kDouble)).to(type);
    at::Tensor ret = at::tensor(targets, at::TensorOptions().dtype(at::kDouble)).to(type);
    if (a.normalize_advantage && b > 1) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
    Forward f = forward(m, x, false);
    at::Tensor log_probs = at::log_softmax(f.logits, 1);
    at::Tensor taken = log_probs.gather(1, act.unsqueeze(1)).squeeze(1);
    at::Tensor policy_loss = -(adv * taken).mean();
    at::Tensor value_loss = (ret - f.value).pow(2).mean();
    at::Tensor entropy = -(log_probs.exp() * log_probs).sum(1).mean();
    at::Tensor loss = policy_loss + a.vf_coef * value_loss - a.ent_coef * entropy;
    const double loss_value = loss.item<double>();
    if (!std::isfinite(loss_value)) {
      r.diverged_at = update - 1;
      break;
    }
    optimizer->zero_grad();
    loss.backward();
    if (a.max_grad_norm > 0) torch::nn::utils::clip_grad_norm_(m.parameters, a.max_grad_norm);
    optimizer->step();
    r.policy_loss.push_back(policy_loss.item<double>());
    r.value_loss.push_back(value_loss.item<double>());
    r.entropy.push_back(entropy.item<double>());
    r.rows = update;
    while (next_milestone < milestone_updates.size() &&
           milestone_updates[next_milestone] == update) {
      const auto eval_start = std::chrono::steady_clock::now();
      AgentMilestone milestone = evaluate(m, spec, env, type, r.layer_names);
      milestone.fraction = spec.milestones[next_milestone];
      milestone.update = update;
      r.milestones.push_back(std::move(milestone));
      eval_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - eval_start).count();
      ++next_milestone;
    }
    if (progress) progress(update, a.updates);
  }
  r.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.train_seconds = r.wall_seconds - eval_seconds;
  return r;
}

}  // namespace trajtool
