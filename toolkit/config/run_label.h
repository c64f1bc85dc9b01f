#pragma once
// The label a run or model gets when its YAML gives none, and the check that the labels of one
// experiment tell its runs apart.
#include <string>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// The optimizer's title, every hyperparameter but lr that differs from torch.optim's default (in
// the catalog's order), then the learning rate: "SGD, momentum 0.9 (lr=0.01)", "Adam, amsgrad
// (lr=0.1)", "Adam, betas 0.9/0.99 (lr=0.001)". `optimizer` has its defaults filled in.
std::string automatic_label(const OptimizerSpec& optimizer);

// The shortest "%g" text of `value` that reads back to it, whole numbers below 1e15 with all their
// digits: "0.01", "0.0001", "1e-08", "300", "1e+20".
std::string label_number(double value);

}  // namespace trajtool
