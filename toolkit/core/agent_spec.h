#pragma once
// The inputs of one agent run: a tiny actor-critic trained on an environment (cart-pole) with
// advantage actor-critic (A2C), after defaults are applied. Everything but `label` and `color`
// changes the numbers and is part of the cache key. Torch-free. Schema: docs/experiments.md
// ("Agents"); the algorithm's formulas: docs/agents.md.
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/spec_values.h"
#include "toolkit/core/training_spec.h"

namespace trajtool {

// The A2C settings (names as in Stable-Baselines3's A2C where it has them).
struct A2cSpec {
  int64_t n_envs = 16;              // environments stepped together (one batched forward per step)
  int64_t n_steps = 8;              // steps per environment per update (the rollout length)
  int64_t updates = 0;              // optimizer updates in all (each uses n_envs x n_steps samples)
  double gamma = 0.99;              // discount
  double gae_lambda = 1.0;          // generalised advantage estimation's λ (1 = n-step returns)
  double vf_coef = 0.5;             // weight of the value loss
  double ent_coef = 0.0;            // weight of the entropy bonus
  double max_grad_norm = 0.5;       // clip_grad_norm_ of all parameters; 0 = none
  bool normalize_advantage = true;  // advantages to zero mean, unit std per update
};

// One agent run.
struct AgentRunSpec {
  std::string label;               // legend text; not hashed
  std::string color;               // "#rrggbb" or empty; not hashed
  std::string env = "cartpole";    // the environment (objectives/environments/)
  ModelSpec model;                 // mlp: layers = {observation, hidden..., actions}; the trunk is
                                   // every layer but the last, the policy head the last Linear, and
                                   // a value head Linear(hidden, 1) beside it
  OptimizerSpec optimizer;         // torch.optim names and defaults
  A2cSpec a2c;                     // the algorithm's settings
  uint64_t seed = 0;               // torch.manual_seed(seed) before building; env resets and action
                                   // sampling draw from generators seeded from it
  std::vector<double> milestones;  // fractions of the updates (0, 1], increasing: the weights are
                                   // kept and evaluation episodes recorded there
  int64_t episodes = 10;  // evaluation episodes per milestone (greedy actions), each recorded
                          // frame by frame; episode i starts from the same seeded state at
                          // every milestone
  DType dtype = DType::kFloat32;  // tensor dtype
};

// The update a milestone fraction falls on: round(fraction * updates), at least 1.
inline int64_t milestone_update(double fraction, int64_t updates) {
  const auto u = static_cast<int64_t>(fraction * static_cast<double>(updates) + 0.5);
  return u < 1 ? 1 : (u > updates ? updates : u);
}

}  // namespace trajtool
