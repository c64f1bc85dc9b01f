#include "viz/scenes/scene_registry.h"

#include "toolkit/error.h"

namespace trajtool {

const std::vector<SceneDefinition>& scene_definitions() {
  static const std::vector<SceneDefinition> kScenes = {
      {"OptimizerComparison",
       "the optimizer seminar: state and memory, EMA, Adam, trajectories on two landscapes",
       {"experiments/optimizer_moments.yaml", "experiments/rotated_quadratic.yaml",
        "experiments/bumpy_bowl.yaml"},
       build_optimizer_comparison},
      {"TrajectoryComparison",
       "any experiment (--config F): all runs at once on the landscape, with loss curves",
       {"experiments/adam.yaml"},
       build_trajectory_comparison},
  };
  return kScenes;
}

const SceneDefinition& find_scene(const std::string& name) {
  std::string known;
  for (const auto& scene : scene_definitions()) {
    if (scene.name == name) return scene;
    known += (known.empty() ? "" : ", ") + scene.name;
  }
  throw InputError("unknown scene '" + name + "' (known: " + known + ")");
}

}  // namespace trajtool
