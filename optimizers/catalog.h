#pragma once
// The optimizers trajtool knows, torch-free: each one's torch.optim hyperparameters with Python's
// names, defaults and valid ranges, and the state it records. Config checking and cache keys use
// this without loading LibTorch.
#include <string>
#include <vector>

#include "toolkit/core/run_spec.h"

namespace trajtool {

enum class HyperKind { kBool, kNumber, kInteger, kPair, kOptionalString };

// One hyperparameter as torch.optim names and defaults it.
struct HyperParam {
  std::string name;          // torch.optim keyword: "lr", "betas", "momentum", ...
  HyperKind kind;            // value type accepted in YAML
  HyperValue default_value;  // torch.optim 1.13's default (kOptionalString: "" means None)
  std::string rule;          // the valid range in words, for error messages: ">= 0", "in [0, 1)"
  bool required = false;     // torch.optim has no default (SGD's lr in 1.13)
};

struct OptimizerInfo {
  std::string name;                      // config name: "sgd", "adam", "nadam", ...
  std::string title;                     // display name: "Adam"
  std::vector<HyperParam> hyper;         // every accepted hyperparameter
  std::vector<std::string> state_names;  // torch names of recorded state, e.g. {"exp_avg", ...}
  bool elementwise = true;               // false for L-BFGS: cannot run a start grid as one batch
};

std::vector<std::string> optimizer_names();

// Throws InputError("unknown optimizer 'x' (known: ...)") for an unknown name.
const OptimizerInfo& optimizer_info(const std::string& name);

// Checks one value against its rule; returns "" if valid, else the reason ("must be >= 0").
std::string check_hyper_value(const OptimizerInfo& info, const std::string& key,
                              const HyperValue& value);

// Fills every missing hyperparameter with its default. Does not validate.
void apply_optimizer_defaults(OptimizerSpec& spec);

}  // namespace trajtool
