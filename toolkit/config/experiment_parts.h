#pragma once
// Readers of values that optimizer runs and trained-model runs share (experiment_config.cc).
#include <set>
#include <string>
#include <vector>

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

// Two entries of one list (runs, models or emas) with one label: a legend, `cache ls` and a scene's
// `run:` could not tell them apart. Fails at the second, naming both lines and the fix.
template <typename Spec>
void check_distinct_labels(const std::vector<Spec>& specs, const YAML::Node& list,
                           const Where& where) {
  auto origin = [&](std::size_t i) {
    return std::string(list[i]["label"] ? "written" : "automatic, no `label:`");
  };
  for (std::size_t j = 1; j < specs.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (specs[i].label != specs[j].label) continue;
      where.index(j).fail(
          list[j], "label '" + specs[j].label + "' (" + origin(j) + ") is also the label of " +
                       where.index(i).key + " at line " + std::to_string(list[i].Mark().line + 1) +
                       " (" + origin(i) +
                       "): a legend could not tell the two apart; give one of them a `label:` "
                       "of its own");
    }
  }
}

}  // namespace trajtool
