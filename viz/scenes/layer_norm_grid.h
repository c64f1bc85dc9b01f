#pragma once
// A trained model's per-layer norms as a grid over steps x layers, as gradient_surface draws it and
// the interactive page plots it (viz/scenes/gradient_surface_block.cc).
#include <string>
#include <vector>

#include "toolkit/config/scene_script.h"
#include "toolkit/core/training_record.h"
#include "viz/scenes/scene_context.h"

namespace trajtool {

struct LayerNormGrid {
  std::vector<double> step;    // per column: the middle of its group of steps
  std::vector<int> layer;      // per row: the layer number (1 = nearest the input)
  std::vector<double> values;  // [layer][column]: the group's geometric mean (NaN: none > 0)
};

// `value`: grad_norm, weight_norm or update_ratio; weight tensors only unless `biases`. More than
// 60 steps are grouped into 60 columns.
LayerNormGrid layer_norm_grid(const TrainingRecord& record, const std::string& value, bool biases);

// The runs a gradient_surface block shows, in order (every run when it names none, at most 4);
// fails through `c` for an experiment without trained models or an unknown label.
std::vector<const TrainingData*> gradient_surface_runs(SceneContext& c,
                                                       const GradientSurfaceBlock& b);

// "‖∇W‖" and the formula of what the height is ("h(\ell, t) = \lVert \nabla_{W_\ell} L_t ...").
std::string layer_value_symbol(const std::string& value);
std::string layer_value_formula(const std::string& value);

}  // namespace trajtool
