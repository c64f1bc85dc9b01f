#pragma once
// Reading an experiment file with a `dataset:` (trained models): the data set, the model, the
// loss, steps or epochs, batch size, schedule and what to record, and the runs that may override
// model, batch_size, seed, steps, loss and clip_grad_norm. The schema: docs/experiments.md.
#include <string>

#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// Every value checked (files read, sizes compared) before anything is computed; InputError names
// the file, line and key.
Experiment parse_training_experiment(const YAML::Node& root, const std::string& path);

}  // namespace trajtool
