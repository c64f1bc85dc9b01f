#pragma once
// Reading the `walk:` key of a model experiment (docs/experiments.md, "Walks"): every value
// checked against the experiment's runs and data set, InputError naming the file, line and key.
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// Fills experiment.walk from `root` (after its training runs are read). Absent: left empty.
void parse_walk_key(const YAML::Node& root, const Where& top, Experiment& experiment);

}  // namespace trajtool
