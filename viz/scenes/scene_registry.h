#pragma once
// The scenes `trajtool render` knows. A scene turns cached data into a timeline; it never computes
// data. A new scene is one file plus one line in scene_registry.cc.
#include <functional>
#include <string>
#include <vector>

#include "viz/mobject.h"
#include "viz/scene_data.h"
#include "viz/timeline.h"

namespace trajtool {

struct SceneDefinition {
  std::string name;                          // as typed after `trajtool render`
  std::string summary;                       // one line for --help
  std::vector<std::string> default_configs;  // experiments/ files read when no --config is given
  // Builds the story. `geo` is the output's geometry (text is measured with it).
  std::function<Timeline(const SceneData&, const FrameGeometry&)> build;
};

const std::vector<SceneDefinition>& scene_definitions();
// Throws InputError("unknown scene 'X' (known: ...)").
const SceneDefinition& find_scene(const std::string& name);

// The scenes (one file each).
Timeline build_optimizer_comparison(const SceneData& data, const FrameGeometry& geo);
Timeline build_trajectory_comparison(const SceneData& data, const FrameGeometry& geo);

}  // namespace trajtool
