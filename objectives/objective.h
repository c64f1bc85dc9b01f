#pragma once
// The objective registry, torch-free: what each objective is (formula, domain, minima, start,
// parameters) and its value in double precision. The LibTorch evaluation of the same formulas is
// in torch_objective.h; both come from one templated formula per objective file.
#include <string>
#include <vector>

#include "toolkit/core/run_spec.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// A named, defaulted parameter of an objective (e.g. rotated_quadratic's `theta`).
struct ObjectiveParam {
  std::string name;      // config key
  double default_value;  // used when the config omits it
  std::string meaning;   // one line for error messages and docs
};

// A point where the objective attains a known (local or global) minimum.
struct KnownMinimum {
  double x = 0;        // first coordinate
  double y = 0;        // second coordinate (0 for a 1D objective)
  double value = 0;    // f(x, y)
  bool global = true;  // false for a local minimum
};

// Everything a config checker and a scene need to know about an objective, without evaluating it.
struct ObjectiveInfo {
  std::string name;                    // registry name, "expr" for a parsed formula
  std::string title;                   // display name: "Rosenbrock"
  std::string formula;                 // display formula, LaTeX math (viz/formula.h)
  int dim = 2;                         // 2, or 1 for objectives of x alone
  std::vector<ObjectiveParam> params;  // accepted parameters with defaults
  Domain domain;                       // default plotting domain
  std::vector<KnownMinimum> minima;    // known minima for the given parameters (may be empty)
  std::vector<double> start;           // a customary start point (dim coordinates)
};

// Names of all registered objectives, in registration order.
std::vector<std::string> objective_names();

// Info for `spec` (parameters and expr taken into account). Throws InputError for an unknown
// name, an unknown parameter, or (for "expr") a formula that does not parse, naming the column.
ObjectiveInfo objective_info(const ObjectiveSpec& spec);

// Fills spec.params with defaults for missing parameters and spec.domain with the default domain
// when it is empty (all four edges 0). Throws InputError as objective_info does.
void apply_objective_defaults(ObjectiveSpec& spec);

// f at n points, in double precision: out[i] = f(xs[i], ys[i]).
void evaluate_objective(const ObjectiveSpec& spec, const double* xs, const double* ys, double* out,
                        std::size_t n);

// f over an nx-by-ny grid of spec.domain (see LossGrid for the layout).
LossGrid compute_loss_grid(const ObjectiveSpec& spec, int64_t nx, int64_t ny);

}  // namespace trajtool
