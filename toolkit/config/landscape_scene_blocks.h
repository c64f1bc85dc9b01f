#pragma once
// Scene blocks that draw a trained model's loss landscape (docs/scenes.md, "Loss landscapes"):
// the 2D slice as filled contours with every run's projected path and the 1D interpolation beside
// it, and the same slice as a 3D surface with the paths on it. Read by landscape_block_reader.h,
// played by viz/scenes/loss_landscape_blocks.cc. Part of SceneScript's BlockBody (scene_script.h).
#include <string>
#include <vector>

namespace trajtool {

// The landscape entry of a model experiment: filled contours (log levels by default) with a colour
// bar, axes named by direction (and explained variance), every run's checkpoints projected and
// traced with start and end marked, a legend, the interpolation's loss curve beside it and a note
// saying which weights and which data the slice is.
struct LossLandscapeBlock {
  std::string experiment;           // a model experiment with `landscape:`
  std::vector<std::string> runs;    // labels; empty = every projected run
  std::vector<std::string> colors;  // one per drawn run; empty = the runs' own
  bool log_levels = true;           // contour levels spaced in log (else linear)
  std::string colormap = "viridis";
  bool interpolation = true;  // the 1D curve beside (when the experiment has `interpolation:`)
  bool note = true;           // the note on the slice under the column
  double run_time = 6;        // seconds to trace the paths
};

// The landscape as a surface z = loss in a 3D section (after a `camera` block), the projected
// paths laid on it at the plane's loss of their projections; the legend in the right column.
// axes_3d, rotate and move_camera work after it as after `surface`.
struct LossSurface3DBlock {
  std::string experiment;           // a model experiment with `landscape:`
  std::vector<std::string> runs;    // labels; empty = every projected run
  std::vector<std::string> colors;  // one per drawn run; empty = the runs' own
  bool log_z = true;                // heights in decades
  std::string colormap = "viridis";
  int bands = 12;       // flat colour bands (0 = continuous)
  int resolution = 64;  // mesh vertices per side
  double size = 6;      // world units of the x and y sides
  double height = 3;    // world units of the z side
  double run_time = 6;  // seconds to trace the paths
};

}  // namespace trajtool
