#pragma once
// What a 3D section's blocks share: its world (one mobject, its own clock), the space data is
// drawn in, the surface's experiment and grid, the right-hand column for formula, legend and
// counter, and camera moves waiting to start with the next 3D block.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "objectives/objective.h"
#include "viz/scene_data.h"
#include "viz/scenes/scene_context.h"
#include "viz/three_d/space_3d.h"
#include "viz/three_d/world_3d.h"

namespace trajtool {

// A camera move that starts with the next 3D block.
struct PendingMove {
  double run_time = 0;                                // seconds
  std::function<void(World3D&, double start)> apply;  // adds its keyframes from `start`
};

struct Stage3D {
  std::shared_ptr<World3D> world;              // the section's 3D world
  double clock = 1;                            // the world clock reached so far (it starts at 1)
  std::optional<Space3D> space;                // set by surface or path_3d
  std::string x_label, y_label, z_label;       // the space's own axis titles
  const ExperimentData* experiment = nullptr;  // the surface's experiment
  std::shared_ptr<const LossGrid> grid;        // its grid
  ObjectiveInfo info;                          // its objective's formula and minima
  int surface = -1;                            // index in world->surfaces
  double column_left = 2.75;                   // the right-hand column, scene units
  double column_right = 6.6;
  double column_y = 2.45;            // where its next item's top goes
  std::vector<PendingMove> pending;  // moves for the next 3D block
};

// The section's Stage3D, or an error saying `block` needs a camera block before it.
Stage3D& require_stage_3d(SceneContext& c, const char* block);

// Plays `animations` (2D, fixed on screen) while the world's clock runs for `seconds` and any
// pending camera moves start; returns the clock at the start. Animations without a run time of
// their own last `seconds`.
double advance_world(SceneContext& c, Stage3D& st, double seconds,
                     std::vector<Animation> animations = {});

}  // namespace trajtool
