#pragma once
// The narrow door to LibTorch. The `trajtool` executable does not link LibTorch: `generate` loads
// libtrajtool_compute.so with dlopen (see compute_loader.h) and calls through this table, so that
// the cache, render and build paths never pay LibTorch's start-up (~0.46 s).
#include <functional>

#include "toolkit/core/agent_record.h"
#include "toolkit/core/run_spec.h"
#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// Called after each step with (steps done, steps total); must be cheap.
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

struct ComputeBackend {
  // Runs one optimizer run (single start or sweep). Throws InputError for a spec it cannot run
  // (an optimizer that cannot batch a sweep, say). A NaN/Inf ends the run and sets diverged_at.
  Trajectory (*run_trajectory)(const RunSpec& spec, const ProgressFn& progress) = nullptr;
  // LibTorch's version string, recorded in every cache file.
  const char* torch_version = nullptr;
  // Trains a model on `data` (the entry spec.dataset made) as spec says, recording every step.
  // Throws InputError for a spec it cannot run. A NaN/Inf loss ends the run and sets diverged_at;
  // the rows before it are kept. `progress` gets (steps done, steps total).
  TrainingRecord (*run_training)(const TrainingRunSpec& spec, const DatasetRecord& data,
                                 const ProgressFn& progress) = nullptr;
  // Trains an actor-critic on an environment (A2C) and records its milestones; `progress` gets
  // (updates done, updates total). A NaN/Inf loss ends the run and sets diverged_at.
  AgentRecord (*run_agent)(const AgentRunSpec& spec, const ProgressFn& progress) = nullptr;
};

}  // namespace trajtool

// The library's one exported symbol.
extern "C" const trajtool::ComputeBackend* trajtool_compute_backend();
