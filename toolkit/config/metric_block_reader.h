#pragma once
// Reading the metric blocks of a scene file (metric_curves, metric_panels, metric_stats).
#include <yaml-cpp/yaml.h>

#include "toolkit/config/metric_blocks.h"
#include "toolkit/config/scene_file.h"
#include "toolkit/config/yaml_input.h"

namespace trajtool {

MetricCurvesBlock read_metric_curves(const YAML::Node& node, const Where& where,
                                     const SceneHeader& header);
MetricPanelsBlock read_metric_panels(const YAML::Node& node, const Where& where,
                                     const SceneHeader& header);
MetricStatsBlock read_metric_stats(const YAML::Node& node, const Where& where,
                                   const SceneHeader& header);

}  // namespace trajtool
