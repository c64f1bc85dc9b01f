#pragma once
// Reading the `landscape:` and `interpolation:` keys of a model experiment (docs/experiments.md,
// "Loss landscapes"): every value checked against the experiment's runs, InputError naming the
// file, line and key.
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// The index of the trained run labelled by `node` (absent: the first run), its label in `label`;
// InputError listing the runs when there is none of that label. The `run:` of landscape,
// interpolation and walk keys.
int64_t parse_run(const YAML::Node& node, const Where& where, const Experiment& e,
                  std::string& label);

// Fills experiment.landscape / experiment.interpolation from `root` (after its training runs are
// read). Absent keys leave them empty.
void parse_landscape_keys(const YAML::Node& root, const Where& top, Experiment& experiment);

}  // namespace trajtool
