#pragma once
// Reading the `landscape:` and `interpolation:` keys of a model experiment (docs/experiments.md,
// "Loss landscapes"): every value checked against the experiment's runs, InputError naming the
// file, line and key.
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// Fills experiment.landscape / experiment.interpolation from `root` (after its training runs are
// read). Absent keys leave them empty.
void parse_landscape_keys(const YAML::Node& root, const Where& top, Experiment& experiment);

}  // namespace trajtool
