#pragma once
// Reading the `metrics:` list of an experiment file into MetricSourceSpecs (the schema is in
// docs/experiments.md). Each CSV path is taken relative to the experiment file's folder, and the
// file's bytes are hashed here (they are part of the cache key); the log itself is read on import.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "toolkit/config/yaml_input.h"
#include "toolkit/core/metric_spec.h"

namespace trajtool {

std::vector<MetricSourceSpec> parse_metric_sources(const YAML::Node& list, const Where& where);

}  // namespace trajtool
