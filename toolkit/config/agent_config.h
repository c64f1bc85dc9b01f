#pragma once
// Reading an experiment file with an `env:` (agents trained by A2C): the environment, the model,
// the A2C settings, seed, milestones and evaluation episodes, and the runs (each with its
// optimizer) that may override model, seed and the A2C settings. The schema: docs/experiments.md
// ("Agents").
#include <string>

#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// Every value checked (the model's input and output widths against the environment's observation
// and actions) before anything is computed; InputError names the file, line and key.
Experiment parse_agent_experiment(const YAML::Node& root, const std::string& path);

}  // namespace trajtool
