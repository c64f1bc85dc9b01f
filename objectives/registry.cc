// The double-precision objective registry (objective.h): every objective of all_objectives.h plus
// the parsed formula "expr". Torch-free.
#include <cmath>
#include <limits>

#include "objectives/all_objectives.h"
#include "objectives/expression.h"
#include "objectives/objective.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

constexpr const char* kExprName = "expr";

// The domain of an "expr" objective whose spec gives none. A formula has no customary domain, so
// the config should give one; this square keeps a bare formula usable for quick looks.
constexpr Domain kExprDefaultDomain{-2, 2, -2, 2};

bool is_empty(const Domain& d) {
  return d.x_min == 0 && d.x_max == 0 && d.y_min == 0 && d.y_max == 0;
}

[[noreturn]] void throw_unknown_objective(const std::string& name) {
  throw InputError("unknown objective '" + name + "' (known: " + join_names(objective_names()) +
                   ")");
}

// "expr" takes a formula and no parameters; every other objective takes no formula.
void check_formula_fields(const ObjectiveSpec& spec) {
  if (spec.name == kExprName) {
    if (spec.expr.empty()) {
      throw InputError(
          "objective 'expr' needs a formula in `expr`, e.g. \"(1-x)^2 + 100*(y-x^2)^2\"");
    }
    if (!spec.params.empty()) {
      throw InputError("objective 'expr' has no parameter '" + spec.params.begin()->first +
                       "' (known: none; write numbers into the formula)");
    }
  } else if (!spec.expr.empty()) {
    throw InputError("objective '" + spec.name +
                     "' does not take a formula (`expr` is only for objective 'expr')");
  }
}

template <class O>
ObjectiveInfo info_of(const ObjectiveSpec& spec) {
  const typename O::Params p = resolve_params<O>(spec.params);
  ObjectiveInfo info;
  info.name = O::kName;
  info.title = O::kTitle;
  info.formula = O::formula(p);
  info.dim = O::kDim;
  info.params = param_descriptions<O>();
  info.domain = O::domain(p);
  info.minima = O::minima(p);
  info.start = O::start(p);
  return info;
}

ObjectiveInfo expr_info(const ObjectiveSpec& spec) {
  const Expression expression = parse_expression(spec.expr);
  ObjectiveInfo info;
  info.name = kExprName;
  info.title = "Formula";
  info.formula = expression_tex(expression);
  info.dim = expression.uses_y ? 2 : 1;
  info.domain = is_empty(spec.domain) ? kExprDefaultDomain : spec.domain;
  // No customary start: three quarters of the way across the domain, away from its centre.
  const Domain& d = info.domain;
  info.start = {d.x_min + 0.75 * (d.x_max - d.x_min)};
  if (info.dim == 2) info.start.push_back(d.y_min + 0.75 * (d.y_max - d.y_min));
  return info;
}

void check_domain(const ObjectiveSpec& spec, int dim) {
  const Domain& d = spec.domain;
  const bool finite = std::isfinite(d.x_min) && std::isfinite(d.x_max) && std::isfinite(d.y_min) &&
                      std::isfinite(d.y_max);
  if (!finite || !(d.x_min < d.x_max) || (dim == 2 && !(d.y_min < d.y_max))) {
    throw InputError("objective '" + spec.name +
                     "': domain must have x_min < x_max and y_min < y_max, all finite");
  }
}

}  // namespace

std::vector<std::string> objective_names() {
  std::vector<std::string> names = AllObjectives::names();
  names.emplace_back(kExprName);
  return names;
}

ObjectiveInfo objective_info(const ObjectiveSpec& spec) {
  check_formula_fields(spec);
  if (spec.name == kExprName) return expr_info(spec);
  ObjectiveInfo info;
  const bool found = AllObjectives::visit(
      spec.name, [&](auto tag) { info = info_of<typename decltype(tag)::type>(spec); });
  if (!found) throw_unknown_objective(spec.name);
  return info;
}

void apply_objective_defaults(ObjectiveSpec& spec) {
  const ObjectiveInfo info = objective_info(spec);
  for (const ObjectiveParam& param : info.params)
    spec.params.emplace(param.name, param.default_value);
  if (is_empty(spec.domain)) spec.domain = info.domain;
  check_domain(spec, info.dim);
}

void evaluate_objective(const ObjectiveSpec& spec, const double* xs, const double* ys, double* out,
                        std::size_t n) {
  check_formula_fields(spec);
  // A 1D objective may be given no y values.
  auto y_at = [&](std::size_t i) { return ys != nullptr ? ys[i] : 0.0; };
  if (spec.name == kExprName) {
    const Expression expression = parse_expression(spec.expr);
    for (std::size_t i = 0; i < n; ++i) out[i] = evaluate_expression(expression, xs[i], y_at(i));
    return;
  }
  const bool found = AllObjectives::visit(spec.name, [&](auto tag) {
    using O = typename decltype(tag)::type;
    const typename O::Params p = resolve_params<O>(spec.params);
    for (std::size_t i = 0; i < n; ++i) out[i] = O::value(xs[i], y_at(i), p);
  });
  if (!found) throw_unknown_objective(spec.name);
}

LossGrid compute_loss_grid(const ObjectiveSpec& spec, int64_t nx, int64_t ny) {
  if (nx < 2 || ny < 2) {
    throw InputError("loss grid of objective '" + spec.name +
                     "' needs at least 2 x 2 samples, got " + std::to_string(nx) + " x " +
                     std::to_string(ny));
  }
  ObjectiveSpec full = spec;
  apply_objective_defaults(full);
  const Domain& d = full.domain;
  LossGrid grid;
  grid.x_min = d.x_min;
  grid.x_max = d.x_max;
  grid.y_min = d.y_min;
  grid.y_max = d.y_max;
  grid.nx = nx;
  grid.ny = ny;
  const std::size_t count = static_cast<std::size_t>(nx * ny);
  std::vector<double> xs(count);
  std::vector<double> ys(count);
  const double dx = (d.x_max - d.x_min) / static_cast<double>(nx - 1);
  const double dy = (d.y_max - d.y_min) / static_cast<double>(ny - 1);
  for (int64_t j = 0; j < ny; ++j) {
    for (int64_t i = 0; i < nx; ++i) {
      const std::size_t k = static_cast<std::size_t>(j * nx + i);
      xs[k] = d.x_min + static_cast<double>(i) * dx;
      ys[k] = d.y_min + static_cast<double>(j) * dy;
    }
  }
  grid.values.resize(count);
  evaluate_objective(full, xs.data(), ys.data(), grid.values.data(), count);
  // Undefined points (log of a negative number in a formula) are drawn as +inf.
  for (double& v : grid.values) {
    if (std::isnan(v)) v = std::numeric_limits<double>::infinity();
  }
  return grid;
}

}  // namespace trajtool
