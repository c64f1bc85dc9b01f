#include "optimizers/run_trajectory.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/optimizer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "optimizers/catalog.h"
#include "optimizers/optimizer_factory.h"
#include "optimizers/optimizer_spec.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// State recorded as one number per step (per start point), not one per coordinate.
bool is_scalar_state(const std::string& name) {
  return name == "step" || name == "mu_product" || name == "func_evals" || name == "n_iter" ||
         name == "t";
}

// A recorded array, kept in the run's dtype and step-major, [rows][n][per_point], so that each
// step is one contiguous copy (point-major doubles scatter every step's writes over hundreds of MB
// and cost more than the optimizer for large sweeps). A value shared by all points (a per-tensor
// scalar such as step) is stored once per row. output() gives the Trajectory layout in doubles.
struct Series {
  int64_t n = 1;          // start points
  int64_t rows = 0;       // rows per point
  int64_t per_point = 1;  // values per point and row
  at::Tensor record;      // [rows][n or 1 if shared][per_point]; rows are written before read

  Series(int64_t points, int64_t row_count, int64_t width, bool shared, at::ScalarType dtype)
      : n(points),
        rows(row_count),
        per_point(width),
        record(at::empty({row_count, shared ? 1 : points, width}, dtype)) {}

  void write(const at::Tensor& tensor, int64_t row) {
    at::Tensor dst = record.select(0, row);
    if (!tensor.defined()) {
      dst.fill_(kNaN);
      return;
    }
    if (tensor.numel() != dst.numel()) {
      throw RuntimeFailure("recorded tensor has " + std::to_string(tensor.numel()) +
                           " values, expected " + std::to_string(dst.numel()));
    }
    dst.copy_(tensor.reshape(dst.sizes()));
  }

  void fill(int64_t row, double value) { record.select(0, row).fill_(value); }

  // Whether row `row` of a single-point series is all finite.
  bool finite(int64_t row) const {
    const int64_t begin = row * per_point;
    if (record.scalar_type() == at::kFloat) {
      const float* v = record.data_ptr<float>() + begin;
      return std::all_of(v, v + per_point, [](float x) { return std::isfinite(x); });
    }
    const double* v = record.data_ptr<double>() + begin;
    return std::all_of(v, v + per_point, [](double x) { return std::isfinite(x); });
  }

  // Non-finite flags per row and point, [rows][n].
  at::Tensor bad() const { return at::isfinite(record).logical_not().any(2); }

  // The first `kept` rows in the layout [n][kept][per_point], as doubles.
  std::vector<double> output(int64_t kept) const {
    kept = std::max<int64_t>(kept, 0);
    std::vector<double> values(n * kept * per_point);
    if (kept == 0) return values;
    at::Tensor out = at::from_blob(values.data(), {n, kept, per_point}, at::kDouble);
    out.copy_(record.narrow(0, 0, kept).expand({kept, n, per_point}).transpose(0, 1));
    return values;
  }
};

// Sets rows [from, rows) of point k of an output array [n][rows][per_point] to NaN.
void blank_from(std::vector<double>& values, int64_t rows, int64_t per_point, int64_t k,
                int64_t from) {
  for (int64_t r = std::max<int64_t>(from, 0); r < rows; ++r) {
    std::fill_n(values.begin() + (k * rows + r) * per_point, per_point, kNaN);
  }
}

// The start points, [n][dim] row-major; a grid runs x fastest: point k = (x_i, y_j), k = j nx + i.
std::vector<double> start_points(const StartSpec& start, int64_t& n, int64_t& dim) {
  if (!start.is_grid()) {
    n = 1;
    dim = static_cast<int64_t>(start.point.size());
    return start.point;
  }
  const int64_t nx = start.grid_nx;
  const int64_t ny = start.grid_ny;
  n = nx * ny;
  dim = 2;
  std::vector<double> points(n * 2);
  const Domain& g = start.grid;
  for (int64_t j = 0; j < ny; ++j) {
    const double y = ny == 1 ? g.y_min
                             : g.y_min + static_cast<double>(j) * (g.y_max - g.y_min) /
                                             static_cast<double>(ny - 1);
    for (int64_t i = 0; i < nx; ++i) {
      const double x = nx == 1 ? g.x_min
                               : g.x_min + static_cast<double>(i) * (g.x_max - g.x_min) /
                                               static_cast<double>(nx - 1);
      points[(j * nx + i) * 2] = x;
      points[(j * nx + i) * 2 + 1] = y;
    }
  }
  return points;
}

void check_spec(const RunSpec& spec, const OptimizerInfo& info) {
  if (spec.steps <= 0)
    throw InputError("steps must be > 0 (got " + std::to_string(spec.steps) + ")");
  if (spec.grad_noise_std < 0 || !std::isfinite(spec.grad_noise_std)) {
    throw InputError("grad_noise_std must be a finite number >= 0");
  }
  if (spec.start.is_grid()) {
    if (spec.start.grid_nx < 1 || spec.start.grid_ny < 1) {
      throw InputError("a start grid needs grid_nx >= 1 and grid_ny >= 1");
    }
    if (!info.elementwise) {
      throw InputError("optimizer " + info.name +
                       " is not element-wise, so a start grid cannot run as one batch; run its "
                       "points as separate runs");
    }
  } else if (spec.start.point.size() != 1 && spec.start.point.size() != 2) {
    throw InputError("a start point needs 1 or 2 coordinates");
  }
}

}  // namespace

Trajectory run_trajectory_with(const RunSpec& spec, const TorchObjectiveFn& objective,
                               const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  const OptimizerInfo& info = optimizer_info(spec.optimizer.name);
  check_spec(spec, info);
  OptimizerSpec optimizer_spec = spec.optimizer;
  apply_optimizer_defaults(optimizer_spec);

  int64_t n = 1;
  int64_t dim = 2;
  std::vector<double> start = start_points(spec.start, n, dim);
  const bool sweep = spec.start.is_grid();
  const int64_t steps = spec.steps;
  const int64_t rows = steps + 1;
  const at::ScalarType dtype = spec.dtype == DType::kFloat64 ? at::kDouble : at::kFloat;
  std::vector<int64_t> shape = sweep ? std::vector<int64_t>{n, dim} : std::vector<int64_t>{dim};
  at::Tensor p = at::from_blob(start.data(), shape, at::kDouble).to(dtype).clone();
  p.requires_grad_(true);
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(optimizer_spec, {p});
  const bool needs_closure = optimizer_spec.name == "lbfgs";

  const std::vector<std::string> names = recorded_state_names(optimizer_spec);
  Series params(n, rows, dim, false, dtype);
  Series loss(n, rows, 1, false, dtype);
  Series grad(n, steps, dim, false, dtype);
  std::vector<Series> state;
  for (const std::string& name : names) {
    const bool scalar = is_scalar_state(name);
    state.emplace_back(n, steps, scalar ? 1 : dim, scalar, dtype);
  }
  std::vector<StateValue> state_values;

  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(spec.seed);
  at::Tensor noise;
  if (spec.grad_noise_std > 0) noise = at::empty_like(p, at::TensorOptions().requires_grad(false));

  // f at the current parameters, one value per start point. A 1D objective ignores y: one
  // zero tensor serves every evaluation.
  const at::Tensor no_y = dim == 2 ? at::Tensor() : at::zeros_like(p.select(-1, 0));
  const auto evaluate = [&]() {
    at::Tensor x = p.select(-1, 0);
    return objective(x, dim == 2 ? p.select(-1, 1) : no_y);
  };
  // Loss and gradient at p (with noise) into row t; the closure L-BFGS calls.
  int64_t t = 0;
  bool row_recorded = false;
  const auto loss_and_grad = [&]() {
    at::AutoGradMode enable_grad(true);
    optimizer->zero_grad();
    at::Tensor values = evaluate();
    at::Tensor total = values.sum();
    total.backward();
    at::NoGradGuard no_grad;
    if (noise.defined()) {
      noise.normal_(0.0, spec.grad_noise_std, generator);
      p.mutable_grad().add_(noise);
    }
    if (!row_recorded) {
      loss.write(values.detach(), t);
      grad.write(p.grad(), t);
      row_recorded = true;
    }
    return total;
  };

  int64_t diverged_at = -1;
  {
    at::NoGradGuard no_grad;
    params.write(p.detach(), 0);
  }
  for (t = 0; t < steps; ++t) {
    row_recorded = false;
    if (needs_closure) {
      optimizer->step(loss_and_grad);
    } else {
      loss_and_grad();
    }
    if (!sweep) {
      if (!loss.finite(t) || !params.finite(t)) {
        diverged_at = t;
        break;
      }
      if (!grad.finite(t)) {
        diverged_at = t + 1;
        break;
      }
    }
    if (!needs_closure) optimizer->step();
    at::NoGradGuard no_grad;
    read_state(*optimizer, optimizer_spec.name, p, names, state_values);
    for (size_t s = 0; s < names.size(); ++s) {
      const StateValue& v = state_values[s];
      if (v.is_tensor) {
        state[s].write(v.tensor, t);
      } else {
        state[s].fill(t, v.scalar);
      }
    }
    params.write(p.detach(), t + 1);
    if (!sweep && !params.finite(t + 1)) {
      diverged_at = t + 1;
      break;
    }
    if (progress) progress(t + 1, steps);
  }
  if (diverged_at < 0) {
    at::NoGradGuard no_grad;
    loss.write(evaluate(), steps);
    if (!sweep && !loss.finite(steps)) diverged_at = steps;
  }

  Trajectory out;
  out.batch = sweep ? n : 0;
  out.dim = dim;
  out.rows = diverged_at >= 0 ? diverged_at : rows;
  out.diverged_at = diverged_at;
  const int64_t kept = out.rows;
  out.params = params.output(kept);
  out.loss = loss.output(kept);
  out.grad = grad.output(kept - 1);
  for (size_t s = 0; s < names.size(); ++s) {
    StateSeries series;
    series.name = names[s];
    if (!is_scalar_state(names[s])) series.step_shape = {dim};
    series.values = state[s].output(kept - 1);
    out.state.push_back(std::move(series));
  }
  if (sweep) {
    // Per point: the first row whose loss or params are not finite, or the row after a
    // non-finite gradient; from there on the point's rows are NaN.
    at::Tensor bad = params.bad().logical_or(loss.bad());
    bad.narrow(0, 1, steps).logical_or_(grad.bad());
    const at::Tensor any = bad.any(0).contiguous();
    const at::Tensor first = bad.to(at::kInt).argmax(0).contiguous();
    out.diverged_at_each.assign(n, -1);
    for (int64_t k = 0; k < n; ++k) {
      if (!any.data_ptr<bool>()[k]) continue;
      const int64_t f = first.data_ptr<int64_t>()[k];
      out.diverged_at_each[k] = f;
      blank_from(out.params, rows, dim, k, f);
      blank_from(out.loss, rows, 1, k, f);
      blank_from(out.grad, steps, dim, k, f - 1);
      for (StateSeries& series : out.state) {
        blank_from(series.values, steps, series.step_shape.empty() ? 1 : dim, k, f - 1);
      }
    }
  }
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace trajtool
