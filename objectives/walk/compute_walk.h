#pragma once
// A walk through a trained classifier's input space (the `walk:` key, docs/experiments.md
// "Walks"): the points (a path across a 2D data set's plane sampled at constant speed, or images
// of the data set), and at each milestone every module's output, the class probabilities and the
// predicted class for each point, from the run's nearest stored checkpoint. Torch-free
// (mlp_forward.h runs the network).
#include <vector>

#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"
#include "toolkit/core/walk_record.h"
#include "toolkit/core/walk_spec.h"

namespace trajtool {

// `points` points at equal arc length along the polyline `through` ([m][2]), both ends included.
std::vector<double> sample_polyline(const std::vector<double>& through, int64_t points);

// The default path of a walk across `grid` (a data set's padded bounding box): a closed ellipse
// around its centre with semi-axes 0.35 of its width and 0.3 of its height, from its leftmost
// point counter-clockwise, as 65 corners (the first repeated at the end).
std::vector<double> default_walk_path(const Domain& grid);

// The index of the checkpoint nearest to step round(fraction x steps) (ties: the earlier).
std::size_t nearest_checkpoint(const TrainingRecord& record, double fraction);

// Class names of a data set: Fashion-MNIST's ten, else "class 0", "class 1", ...
std::vector<std::string> class_names_of(const DatasetSpec& data, int64_t classes);

// The walk. `record` and `data` are the run's entry and its data set. Throws InputError (naming
// spec.indices_at) for an image index the data set does not have, and when the run diverged
// before a milestone's checkpoint.
WalkRecord compute_walk(const WalkSpec& spec, const TrainingRunSpec& run,
                        const TrainingRecord& record, const DatasetRecord& data);

}  // namespace trajtool
