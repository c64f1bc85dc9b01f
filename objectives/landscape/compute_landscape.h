#pragma once
// A trained model's loss landscape and 1D interpolation from its runs' checkpoints (the
// `landscape:` and `interpolation:` keys, docs/experiments.md "Loss landscapes"). Torch-free:
// the weights come from the runs' cache entries and evaluate_plane (mlp_plane.h) runs the network.
#include <functional>
#include <vector>

#include "toolkit/core/landscape_record.h"
#include "toolkit/core/landscape_spec.h"
#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"

namespace trajtool {

// The plane through the center (spec.run's final or initial checkpoint) spanned by two
// directions; the loss and accuracy over the grid; every run whose tensors have the center's
// shapes projected checkpoint by checkpoint, with the loss at each checkpoint and at its
// projection. `runs` and `records` are the experiment's runs in file order; `data` their data set.
// `progress` gets (grid points done, total). Throws InputError when the center run diverged or
// pca has too few checkpoints.
LandscapeRecord compute_landscape(const LandscapeSpec& spec,
                                  const std::vector<TrainingRunSpec>& runs,
                                  const std::vector<TrainingRecord>& records,
                                  const DatasetRecord& data,
                                  const std::function<void(int64_t, int64_t)>& progress = {});

// The loss along (1 - alpha) from + alpha to of one run.
InterpolationRecord compute_interpolation(const InterpolationSpec& spec, const TrainingRunSpec& run,
                                          const TrainingRecord& record, const DatasetRecord& data);

}  // namespace trajtool
