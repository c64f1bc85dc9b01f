#pragma once
// Trains a tiny actor-critic on an environment with A2C and records milestones (the LibTorch side
// of agent runs). The algorithm and its formulas: docs/agents.md.
#include "toolkit/core/agent_record.h"
#include "toolkit/core/agent_spec.h"
#include "toolkit/core/compute_backend.h"

namespace trajtool {

// After torch.manual_seed(spec.seed) the trunk (nn.Sequential of Linear and activations), then the
// policy head and the value head are built, in that order. Each update: every one of n_envs
// environments takes n_steps steps with actions sampled from π(·|s) (one batched forward per
// step), advantages by GAE(γ, λ) with the value of the state a time limit cut off bootstrapped,
// then one gradient step on policy_loss + vf_coef · value_loss - ent_coef · entropy. At each
// milestone the weights are kept and `episodes` greedy evaluation episodes recorded frame by frame.
// A NaN/Inf loss ends training (diverged_at); the milestones before it are kept.
AgentRecord run_agent(const AgentRunSpec& spec, const ProgressFn& progress);

}  // namespace trajtool
