#pragma once
// Torch-free helpers over an OptimizerSpec beyond the catalog contract: whole-spec validation
// (unknown keys, required keys, cross-field rules), typed access to hyperparameters, and the state
// names a run of this exact spec records.
#include <string>
#include <utility>
#include <vector>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// Checks a spec after apply_optimizer_defaults: unknown optimizer or key, a missing required key,
// each value against its rule (check_hyper_value), and the rules that tie fields together (SGD's
// nesterov needs momentum > 0 and dampening == 0; Rprop's step_sizes need min <= max). Returns ""
// if valid, else "key: reason" for the first problem.
std::string check_optimizer_spec(const OptimizerSpec& spec);

// The torch names of the state a run of `spec` records after each step, in recording order: a
// subset of optimizer_info(name).state_names that depends on the options (SGD records
// momentum_buffer only when momentum > 0; Adam adds max_exp_avg_sq with amsgrad; RMSprop adds
// momentum_buffer and grad_avg when momentum > 0 and centered). L-BFGS records func_evals and
// n_iter (cumulative closure evaluations and iterations), t (the last step length) and d (the last
// search direction).
std::vector<std::string> recorded_state_names(const OptimizerSpec& spec);

// Typed reads of spec.hyper[key]; throw InputError when the key is missing or has another type.
double hyper_number(const OptimizerSpec& spec, const std::string& key);
bool hyper_bool(const OptimizerSpec& spec, const std::string& key);
std::pair<double, double> hyper_pair(const OptimizerSpec& spec, const std::string& key);
std::string hyper_string(const OptimizerSpec& spec, const std::string& key);

}  // namespace trajtool
