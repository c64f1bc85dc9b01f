#include "objectives/landscape/compute_landscape.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "objectives/landscape/mlp_plane.h"
#include "objectives/landscape/plane_directions.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

PlaneModel plane_model(const TrainingRunSpec& run, const DatasetRecord& data) {
  if (run.model.kind != "mlp") {
    throw InputError("run '" + run.label + "': loss landscapes are computed for mlp models only");
  }
  PlaneModel m;
  m.widths = run.model.layers;
  m.activations = run.model.activations;
  m.loss = run.loss;
  m.classes = data.classes;
  m.float64 = run.dtype == DType::kFloat64;
  return m;
}

PlaneSamples plane_samples(const DatasetRecord& data, bool on_test) {
  PlaneSamples s;
  s.count = on_test ? data.test_count : data.train_count;
  s.x = on_test ? data.x_test : data.x_train;
  s.y = on_test ? data.y_test : data.y_train;
  if (s.count < 1) {
    throw InputError(std::string("the data set has no ") + (on_test ? "test" : "training") +
                     " samples to average the loss over");
  }
  return s;
}

const Checkpoint& checkpoint_at(const TrainingRunSpec& run, const TrainingRecord& record,
                                WeightsAt at) {
  if (record.checkpoints.empty()) throw InputError("run '" + run.label + "' has no checkpoints");
  const Checkpoint& c =
      at == WeightsAt::kInit ? record.checkpoints.front() : record.checkpoints.back();
  for (const NamedTensor& t : c.weights) {
    for (double v : t.values) {
      if (!std::isfinite(v)) {
        throw InputError("run '" + run.label + "': its " + weights_at_name(at) +
                         " weights are not finite (the run diverged at step " +
                         std::to_string(record.diverged_at) + ")");
      }
    }
  }
  return c;
}

bool same_shapes(const std::vector<NamedTensor>& a, const std::vector<NamedTensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].shape != b[i].shape) return false;
  }
  return true;
}

bool finite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

// The box around every finite projected checkpoint (and the center), 25% of its size added on
// each side, its shorter side at least 3/4 of its longer one.
Domain auto_range(const std::vector<ProjectedRun>& runs) {
  Domain d{0, 0, 0, 0};
  for (const ProjectedRun& p : runs) {
    for (std::size_t k = 0; k < p.step.size(); ++k) {
      const double x = p.xy[2 * k], y = p.xy[2 * k + 1];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      d.x_min = std::min(d.x_min, x);
      d.x_max = std::max(d.x_max, x);
      d.y_min = std::min(d.y_min, y);
      d.y_max = std::max(d.y_max, y);
    }
  }
  double w = std::max(d.x_max - d.x_min, 1e-3), h = std::max(d.y_max - d.y_min, 1e-3);
  // Both directions are in the same units: the shorter side grows to 3/4 of the longer one, so
  // that the slice does not shrink to a strip when one direction explains most of the paths.
  const double cx = (d.x_min + d.x_max) / 2, cy = (d.y_min + d.y_max) / 2;
  w = std::max(w, 0.75 * h) * 1.5;
  h = std::max(h, 0.75 * w / 1.5) * 1.5;
  return {cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

LandscapeRecord compute_landscape(const LandscapeSpec& spec,
                                  const std::vector<TrainingRunSpec>& runs,
                                  const std::vector<TrainingRecord>& records,
                                  const DatasetRecord& data,
                                  const std::function<void(int64_t, int64_t)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  const std::size_t index = static_cast<std::size_t>(spec.run_index);
  const TrainingRunSpec& run = runs.at(index);
  const PlaneModel model = plane_model(run, data);
  const PlaneSamples samples = plane_samples(data, spec.on_test);
  const Checkpoint& center = checkpoint_at(run, records.at(index), spec.center);

  LandscapeRecord r;
  r.directions = direction_kind_name(spec.directions);
  r.center_run = run.label;
  r.center_at = weights_at_name(spec.center);
  r.data = spec.on_test ? "test" : "train";
  r.samples = samples.count;
  r.center = center.weights;
  const std::vector<double> c = flatten(center.weights);

  // The runs that live in the center's space, and their checkpoints' displacements.
  std::vector<std::size_t> members;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!records[i].checkpoints.empty() &&
        same_shapes(records[i].checkpoints.front().weights, center.weights)) {
      members.push_back(i);
    }
  }
  PlaneWeights plane;
  plane.center = c;
  if (spec.directions == DirectionKind::kRandom) {
    std::mt19937_64 rng(spec.seed);
    r.direction_x = random_direction(center.weights, rng, spec.ignore_biasbn);
    r.direction_y = random_direction(center.weights, rng, spec.ignore_biasbn);
    plane.dx = flatten(r.direction_x);
    plane.dy = flatten(r.direction_y);
  } else {
    std::vector<std::vector<double>> displacements;
    for (std::size_t i : members) {
      for (const Checkpoint& k : records[i].checkpoints) {
        std::vector<double> v = flatten(k.weights);
        if (!finite(v)) continue;
        std::size_t at = 0;
        for (const NamedTensor& t : k.weights) {
          for (std::size_t j = 0; j < t.values.size(); ++j, ++at) {
            v[at] = spec.ignore_biasbn && t.shape.size() <= 1 ? 0.0 : v[at] - c[at];
          }
        }
        displacements.push_back(std::move(v));
      }
    }
    PrincipalPlane pca = principal_plane(displacements);
    if (spec.ignore_biasbn) {  // exactly zero, not the SVD's rounding of zero columns
      std::size_t at = 0;
      for (const NamedTensor& t : center.weights) {
        for (std::size_t j = 0; j < t.values.size(); ++j, ++at) {
          if (t.shape.size() <= 1) pca.x[at] = pca.y[at] = 0;
        }
      }
    }
    plane.dx = pca.x;
    plane.dy = pca.y;
    r.direction_x = unflatten(pca.x, center.weights);
    r.direction_y = unflatten(pca.y, center.weights);
    r.explained_variance = {pca.explained[0], pca.explained[1]};
  }

  // Every run's checkpoints in the plane.
  for (std::size_t i : members) {
    ProjectedRun p;
    p.label = runs[i].label;
    for (const Checkpoint& k : records[i].checkpoints) {
      std::vector<double> v = flatten(k.weights);
      for (std::size_t j = 0; j < v.size(); ++j) v[j] -= c[j];
      const PlaneCoordinates xy = project_onto_plane(v, plane.dx, plane.dy);
      p.step.push_back(k.step);
      p.xy.push_back(xy.x);
      p.xy.push_back(xy.y);
      p.residual.push_back(xy.residual);
    }
    r.projected.push_back(std::move(p));
  }
  Domain g = spec.range;
  if (spec.range_auto) g = auto_range(r.projected);

  // The grid, row by row (y outer), as a LossGrid; the projections go in the same batch.
  for (int64_t i = 0; i < spec.nx; ++i) {
    r.x.push_back(g.x_min +
                  static_cast<double>(i) * (g.x_max - g.x_min) / static_cast<double>(spec.nx - 1));
  }
  for (int64_t j = 0; j < spec.ny; ++j) {
    r.y.push_back(g.y_min +
                  static_cast<double>(j) * (g.y_max - g.y_min) / static_cast<double>(spec.ny - 1));
  }
  std::vector<double> a, b;
  for (double y : r.y) {
    for (double x : r.x) {
      a.push_back(x);
      b.push_back(y);
    }
  }
  const std::size_t grid_points = a.size();
  for (const ProjectedRun& p : r.projected) {
    for (std::size_t k = 0; k < p.step.size(); ++k) {
      a.push_back(p.xy[2 * k]);
      b.push_back(p.xy[2 * k + 1]);
    }
  }
  // Progress counts the grid's points (the projections come last, a few more).
  const int64_t shown = static_cast<int64_t>(grid_points);
  auto grid_progress = [&progress, shown](int64_t done, int64_t) {
    if (progress) progress(std::min(done, shown), shown);
  };
  const PlaneValues values = evaluate_plane(model, samples, plane, a, b, grid_progress);
  r.loss.x_min = g.x_min;
  r.loss.x_max = g.x_max;
  r.loss.y_min = g.y_min;
  r.loss.y_max = g.y_max;
  r.loss.nx = spec.nx;
  r.loss.ny = spec.ny;
  for (std::size_t k = 0; k < grid_points; ++k) {
    const double v = values.loss[k];
    r.loss.values.push_back(std::isfinite(v) ? v : std::numeric_limits<double>::infinity());
    r.accuracy.push_back(values.accuracy[k]);
  }
  std::size_t at = grid_points;
  for (ProjectedRun& p : r.projected) {
    for (std::size_t k = 0; k < p.step.size(); ++k) p.projected_loss.push_back(values.loss[at++]);
  }

  // The loss at each checkpoint's own weights: one batch of points with zero offsets each.
  const std::vector<double> zero(1, 0.0);
  PlaneWeights own;
  own.dx.assign(c.size(), 0.0);
  own.dy.assign(c.size(), 0.0);
  for (std::size_t m = 0; m < members.size(); ++m) {
    for (const Checkpoint& k : records[members[m]].checkpoints) {
      own.center = flatten(k.weights);
      r.projected[m].checkpoint_loss.push_back(
          evaluate_plane(model, samples, own, zero, zero).loss[0]);
    }
  }
  own.center = c;
  r.center_loss = evaluate_plane(model, samples, own, zero, zero).loss[0];
  r.wall_seconds = seconds_since(started);
  return r;
}

InterpolationRecord compute_interpolation(const InterpolationSpec& spec, const TrainingRunSpec& run,
                                          const TrainingRecord& record, const DatasetRecord& data) {
  const auto started = std::chrono::steady_clock::now();
  const PlaneModel model = plane_model(run, data);
  const PlaneSamples samples = plane_samples(data, spec.on_test);
  const std::vector<double> from = flatten(checkpoint_at(run, record, spec.from).weights);
  const std::vector<double> to = flatten(checkpoint_at(run, record, spec.to).weights);
  PlaneWeights line;
  line.center = from;
  line.dx.resize(from.size());
  line.dy.assign(from.size(), 0.0);
  for (std::size_t i = 0; i < from.size(); ++i) line.dx[i] = to[i] - from[i];
  InterpolationRecord r;
  r.run = run.label;
  r.from = weights_at_name(spec.from);
  r.to = weights_at_name(spec.to);
  r.data = spec.on_test ? "test" : "train";
  r.samples = samples.count;
  for (int64_t i = 0; i < spec.n; ++i) {
    r.alpha.push_back(spec.alpha_min + static_cast<double>(i) * (spec.alpha_max - spec.alpha_min) /
                                           static_cast<double>(spec.n - 1));
  }
  const PlaneValues values =
      evaluate_plane(model, samples, line, r.alpha, std::vector<double>(r.alpha.size(), 0.0));
  r.loss = values.loss;
  r.accuracy = values.accuracy;
  r.wall_seconds = seconds_since(started);
  return r;
}

}  // namespace trajtool
