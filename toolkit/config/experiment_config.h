#pragma once
// Reading experiment files (experiments/*.yaml) into Experiment, with every default applied and
// every value checked. The schema is documented in docs/experiments.md. Any bad input throws
// InputError naming the file, the line and the key: "experiments/a.yaml:7: runs[1].lr: must be
// >= 0 (got -0.1)".
#include <string>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// Reads and checks the file at `path`.
Experiment load_experiment(const std::string& path);

// Same, from text; `path` is used in messages only.
Experiment parse_experiment(const std::string& yaml_text, const std::string& path);

}  // namespace trajtool
