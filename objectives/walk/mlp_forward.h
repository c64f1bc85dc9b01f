#pragma once
// An MLP's forward pass from stored weights, torch-free: each module of the run's nn.Sequential
// (Linear; ReLU, Tanh, Sigmoid, GELU, LeakyReLU, Identity; Dropout, the identity in evaluation)
// applied in order to a batch, every module's output kept, as torch computes it in eval mode.
// Float32 runs compute in float (each Linear's sum accumulated in double, then rounded), so the
// outputs agree with torch's to float32 rounding.
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"

namespace trajtool {

// The outputs of every module for `count` inputs of `features` values each ([count][features],
// row-major): one NamedTensor per module named `names[i]`, shape [count, width]. `kinds[i]` is
// the module's class name; a Linear's weights are `weights`' "<name>.weight" [out][in] and
// "<name>.bias" [out]. Throws InputError for a module kind or a weight shape it does not know.
std::vector<NamedTensor> mlp_forward(const std::vector<std::string>& names,
                                     const std::vector<std::string>& kinds,
                                     const std::vector<NamedTensor>& weights,
                                     const std::vector<double>& inputs, int64_t count,
                                     int64_t features, bool float64);

}  // namespace trajtool
