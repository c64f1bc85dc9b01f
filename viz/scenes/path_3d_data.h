#pragma once
// The numbers a path_3d block draws (and the interactive page plots): three series of an
// experiment's imported logs or of one of its runs (toolkit/core/run_series.h), joined on the steps
// all three have (never interpolated), up to the first row that is not finite; on a log z axis a
// value <= 0 stands on the floor, the smallest positive value.
#include <string>
#include <vector>

#include "toolkit/config/scene_script.h"
#include "viz/color.h"
#include "viz/scenes/scene_context.h"

namespace trajtool {

struct Path3DData {
  std::vector<double> step;            // increasing, the steps all three series have
  std::vector<double> x, y, z;         // the values there
  std::string x_name, y_name, z_name;  // axis titles (the block's labels, else the series')
  Rgba color;                          // the block's colour, else the run's own
  std::string label;                   // the run's label, or the experiment's name for a log
};

// Fails through `c` (file, line, key) when a series is unknown or fewer than 2 rows are drawable.
Path3DData path_3d_data(SceneContext& c, const Path3DBlock& b);

}  // namespace trajtool
