#pragma once
// The inputs of a walk through a trained classifier's input space: the `walk:` key of a model
// experiment (docs/experiments.md, "Walks"), after defaults are applied. Torch-free. Everything
// here changes the numbers and is part of the cache key, with the key of the run whose
// checkpoints it reads.
#include <cstdint>
#include <string>
#include <vector>

namespace trajtool {

// What the walk goes through: a path across a 2D data set's plane, or a sequence of images.
enum class WalkSource { kPath, kImages };
const char* walk_source_name(WalkSource source);  // "path", "images"

struct WalkSpec {
  std::string run;                                      // the run's label (default: the first run)
  int64_t run_index = 0;                                // its index in the experiment's runs
  std::vector<double> milestones = {0, 0.1, 0.5, 1.0};  // fractions of training, each in [0, 1]:
                                                        // the nearest stored checkpoint is used
  WalkSource source = WalkSource::kPath;  // resolved from the data: 2 features = path, images
  // path (2D data):
  bool default_path = true;     // `path.through` omitted: an ellipse across the data's grid
  std::vector<double> through;  // [waypoints][2]: the polyline's corners, in order
  int64_t points = 240;         // points sampled along it at constant speed, both ends included
  // images:
  bool from_test = true;         // `from: test` (else train)
  std::vector<int64_t> indices;  // the samples shown, in order (`count: N` = 0 .. N-1)
  std::string indices_at;        // "file:line: walk.images" for an index the data set turns out
                                 // not to have (not hashed)
};

}  // namespace trajtool
