#pragma once
// Trains a model on a data set as a TrainingRunSpec says, recording every step (the LibTorch side
// of trained-model runs).
#include "toolkit/core/compute_backend.h"
#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"

namespace trajtool {

// The model is an nn.Sequential built after torch.manual_seed(spec.seed) in the order Python
// would build it (Linear, activation, Dropout, ... or Conv2d, activation, MaxPool2d, ..., Flatten,
// Linear, ...), so its initial weights equal Python's; then spec.model.init re-draws the weights
// in module order. Each step: the loss of the minibatch (shuffled per epoch with a generator
// seeded from spec.seed; the whole training set for full batch), backward, the norms, optional
// clip_grad_norm_, optimizer.step(), scheduler.step(). Records as docs/cache-format.md says.
// Throws InputError for what the config reader could not check.
TrainingRecord run_training(const TrainingRunSpec& spec, const DatasetRecord& data,
                            const ProgressFn& progress);

}  // namespace trajtool
