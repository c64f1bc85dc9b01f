#pragma once
// Readers of values that optimizer runs and trained-model runs share (experiment_config.cc).
#include <set>
#include <string>

#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

DType parse_dtype(const YAML::Node& node, const Where& where);    // float32 | float64
uint64_t parse_seed(const YAML::Node& node, const Where& where);  // >= 0
int64_t parse_steps(const YAML::Node& node, const Where& where);  // 1 .. 10^7
// The optimizer and its torch.optim hyperparameters of a run map; `own_keys` are the run's other
// keys (any other key is an error).
OptimizerSpec parse_optimizer(const YAML::Node& run, const Where& where,
                              const std::set<std::string>& own_keys);

}  // namespace trajtool
