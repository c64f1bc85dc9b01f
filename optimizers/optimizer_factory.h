#pragma once
// OptimizerSpec -> a LibTorch optimizer (LibTorch's own SGD, Adam, AdamW, RMSprop, Adagrad, LBFGS
// or one of extra_optimizers.h), and reading its per-parameter state back under torch's names.
#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// Builds the optimizer over `params`. Applies catalog defaults to a copy of the spec first; throws
// InputError for an unknown optimizer or a hyperparameter that check_optimizer_spec rejects.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const OptimizerSpec& spec,
                                                        std::vector<at::Tensor> params);

// Sets every group's momentum as torch's OneCycleLR does with cycle_momentum: group['momentum']
// for SGD and RMSprop, betas[0] for the optimizers with `betas` (Adam, AdamW, NAdam, RAdam,
// Adamax). Throws RuntimeFailure for an optimizer with neither.
void set_momentum(torch::optim::Optimizer& optimizer, const std::string& optimizer_name,
                  double momentum);

// One recorded state value: a tensor (possibly undefined if torch has not created it yet) or a
// scalar counter (step, func_evals, n_iter, t, ...).
struct StateValue {
  bool is_tensor = false;  // which of the two below holds the value
  at::Tensor tensor;       // the state tensor itself (not a copy)
  double scalar = 0;       // the scalar value
};

// Reads `names` (see recorded_state_names) of `param`'s state after a step, in order, into `out`.
// L-BFGS keeps its one state on the first parameter. Values are NaN-valued scalars / undefined
// tensors when the optimizer has no state for `param` yet. Throws RuntimeFailure for a name the
// optimizer does not have.
void read_state(const torch::optim::Optimizer& optimizer, const std::string& optimizer_name,
                const at::Tensor& param, const std::vector<std::string>& names,
                std::vector<StateValue>& out);

// Every tensor buffer of the optimizer's state (all parameters, in parameter order; per parameter
// in the catalog's order of `optimizer_name`'s state names) with torch's name, excluding 0-dim
// scalars such as step counters and NAdam's mu_product. L-BFGS contributes d, prev_flat_grad and
// its history old_dirs / old_stps / ro.
std::vector<std::pair<std::string, at::Tensor>> state_tensors(
    const torch::optim::Optimizer& optimizer, const std::string& optimizer_name);

}  // namespace trajtool
