#pragma once
// What an agent run's entry (kind `agent`) holds, as read back from the cache. Values are doubles
// in memory whatever the run's dtype. Torch-free: scenes include it. HDF5 layout:
// docs/cache-format.md ("Agent files").
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"

namespace trajtool {

// One evaluation episode, frame by frame (frame t: what the agent saw and did at step t).
struct EpisodeRecord {
  int64_t frames = 0;                    // steps taken (<= the environment's max_steps)
  int64_t observation_size = 0;          // 4 for cart-pole
  int64_t actions = 0;                   // 2 for cart-pole
  std::vector<double> observation;       // [frames][observation_size]: the state seen
  std::vector<NamedTensor> activations;  // per layer (AgentRecord::layer_names): [frames][width]
  std::vector<double> action_probs;      // [frames][actions]: softmax of the policy's logits
  std::vector<int64_t> action;           // [frames]: the action taken (the most likely one)
  std::vector<double> value;             // [frames]: the value head's estimate V(s)
  std::vector<double> reward;            // [frames]: the reward of the step
  std::vector<double> episode_reward;    // [frames]: the rewards so far, this step's included
  bool terminated = false;               // ended by failure (else by the time limit)
};

// The agent at one milestone.
struct AgentMilestone {
  double fraction = 0;                  // of the training, as configured
  int64_t update = 0;                   // updates done when it was taken
  std::vector<NamedTensor> weights;     // the state_dict(): trunk.0.weight, ..., policy.weight,
                                        // policy.bias, value.weight, value.bias
  std::vector<double> eval_returns;     // [episodes]: each episode's return
  std::vector<EpisodeRecord> episodes;  // the recorded evaluation episodes
};

// An agent run's record.
struct AgentRecord {
  DType dtype = DType::kFloat32;               // the run's tensor dtype
  int64_t updates = 0;                         // updates the spec asked for
  int64_t rows = 0;                            // updates done (fewer if it diverged)
  int64_t diverged_at = -1;                    // first update whose loss was NaN/Inf; -1 if never
  std::vector<std::string> action_names;       // "push left", "push right"
  std::vector<std::string> observation_names;  // "x", "x'", "θ", "θ'"
  std::vector<std::string> layer_names;        // recorded layer outputs: "trunk.0", "trunk.1", ...,
                                               // "policy", "value"
  std::vector<std::string> layer_kinds;        // Linear, Tanh, ReLU, ...
  std::vector<double> episode_return;          // [finished training episodes]: each one's return
  std::vector<int64_t> episode_update;         // [same]: the update during which it finished
  std::vector<double> policy_loss;             // [rows]: -mean(A · log π(a|s))
  std::vector<double> value_loss;              // [rows]: mean((R - V(s))²)
  std::vector<double> entropy;                 // [rows]: mean entropy of π(·|s)
  std::vector<AgentMilestone> milestones;      // in training order
  double wall_seconds = 0;                     // time the run took (not part of its identity)
  double train_seconds = 0;                    // of which training (rollouts and updates)
};

}  // namespace trajtool
