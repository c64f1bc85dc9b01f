#include "objectives/walk/compute_walk.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "objectives/walk/mlp_forward.h"
#include "toolkit/core/error.h"

namespace trajtool {

std::vector<double> sample_polyline(const std::vector<double>& through, int64_t points) {
  const std::size_t corners = through.size() / 2;
  std::vector<double> at{0};  // arc length at each corner
  for (std::size_t i = 1; i < corners; ++i) {
    at.push_back(at.back() + std::hypot(through[2 * i] - through[2 * i - 2],
                                        through[2 * i + 1] - through[2 * i - 1]));
  }
  const double length = at.back();
  std::vector<double> out;
  std::size_t segment = 1;
  for (int64_t k = 0; k < points; ++k) {
    const double s = length * static_cast<double>(k) / static_cast<double>(points - 1);
    while (segment + 1 < corners && at[segment] < s) ++segment;
    const double span = at[segment] - at[segment - 1];
    const double t = span > 0 ? std::clamp((s - at[segment - 1]) / span, 0.0, 1.0) : 0.0;
    for (int d = 0; d < 2; ++d) {
      const double a = through[2 * (segment - 1) + d], b = through[2 * segment + d];
      out.push_back(k + 1 == points ? through[2 * (corners - 1) + d] : a + (b - a) * t);
    }
  }
  return out;
}

std::vector<double> default_walk_path(const Domain& grid) {
  constexpr int kCorners = 64;
  constexpr double kPi = 3.14159265358979323846;
  const double cx = (grid.x_min + grid.x_max) / 2, cy = (grid.y_min + grid.y_max) / 2;
  const double rx = 0.35 * (grid.x_max - grid.x_min), ry = 0.3 * (grid.y_max - grid.y_min);
  std::vector<double> out;
  for (int i = 0; i <= kCorners; ++i) {
    // From the leftmost point (angle pi) counter-clockwise: down, right, up, back left.
    const double a = kPi + 2 * kPi * static_cast<double>(i % kCorners) / kCorners;
    out.push_back(cx + rx * std::cos(a));
    out.push_back(cy + ry * std::sin(a));
  }
  return out;
}

std::size_t nearest_checkpoint(const TrainingRecord& record, double fraction) {
  const double target = std::round(fraction * static_cast<double>(record.steps));
  std::size_t best = 0;
  for (std::size_t i = 1; i < record.checkpoints.size(); ++i) {
    const double d = std::fabs(static_cast<double>(record.checkpoints[i].step) - target);
    const double d_best = std::fabs(static_cast<double>(record.checkpoints[best].step) - target);
    if (d < d_best) best = i;
  }
  return best;
}

std::vector<std::string> class_names_of(const DatasetSpec& data, int64_t classes) {
  if (data.name == "fashion_mnist" && classes == 10) {
    return {"T-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal",      "shirt",   "sneaker",  "bag",   "ankle boot"};
  }
  std::vector<std::string> out;
  for (int64_t c = 0; c < classes; ++c) out.push_back("class " + std::to_string(c));
  return out;
}

namespace {

// Class probabilities from the last module's output ([points][outputs]): sigmoid for one logit
// trained with bce_with_logits ([1 - p, p]), else softmax; as the run's boundary grid computes
// them.
std::vector<double> probabilities(const NamedTensor& logits, bool one_logit, bool float64,
                                  int64_t& classes) {
  const int64_t n = logits.shape[0], k = logits.shape[1];
  std::vector<double> out;
  auto round = [float64](double v) {
    return float64 ? v : static_cast<double>(static_cast<float>(v));
  };
  if (one_logit) {
    classes = 2;
    for (int64_t i = 0; i < n; ++i) {
      const double p = round(1 / (1 + std::exp(-logits.values[static_cast<std::size_t>(i)])));
      out.push_back(round(1 - p));
      out.push_back(p);
    }
    return out;
  }
  classes = k;
  for (int64_t i = 0; i < n; ++i) {
    const double* row = logits.values.data() + i * k;
    double top = row[0];
    for (int64_t c = 1; c < k; ++c) top = std::max(top, row[c]);
    double sum = 0;
    for (int64_t c = 0; c < k; ++c) sum += std::exp(row[c] - top);
    for (int64_t c = 0; c < k; ++c) out.push_back(round(std::exp(row[c] - top) / sum));
  }
  return out;
}

}  // namespace

WalkRecord compute_walk(const WalkSpec& spec, const TrainingRunSpec& run,
                        const TrainingRecord& record, const DatasetRecord& data) {
  const auto start = std::chrono::steady_clock::now();
  WalkRecord r;
  r.run = run.label;
  r.source = walk_source_name(spec.source);
  r.dtype = record.dtype;
  r.layer_names = record.layer_names;
  r.layer_kinds = record.layer_kinds;
  r.sample_shape = data.sample_shape;
  const bool float64 = record.dtype == DType::kFloat64;
  const bool one_logit = run.loss == LossKind::kBceWithLogits;
  r.class_names = class_names_of(run.dataset, one_logit ? 2 : data.classes);

  // The points, as the model is given them.
  std::vector<double> input;
  std::vector<int64_t> label;
  int64_t points = 0;
  const int64_t features = data.features;
  if (spec.source == WalkSource::kPath) {
    r.waypoints = spec.default_path ? default_walk_path(data.grid) : spec.through;
    input = sample_polyline(r.waypoints, spec.points);
    points = spec.points;
    r.feature_names = data.feature_names;
    r.boundary_grid = record.boundary_grid;
    r.boundary_nx = record.boundary_nx;
    r.boundary_ny = record.boundary_ny;
  } else {
    r.data = spec.from_test ? "test" : "train";
    const int64_t available = spec.from_test ? data.test_count : data.train_count;
    const std::vector<double>& x = spec.from_test ? data.x_test : data.x_train;
    const std::vector<double>& y = spec.from_test ? data.y_test : data.y_train;
    for (int64_t i : spec.indices) {
      if (i >= available) {
        throw InputError(spec.indices_at + ": the " + r.data + " set has " +
                         std::to_string(available) + " samples (0 to " +
                         std::to_string(available - 1) + "); there is no sample " +
                         std::to_string(i));
      }
      input.insert(input.end(), x.begin() + i * features, x.begin() + (i + 1) * features);
      label.push_back(static_cast<int64_t>(y[static_cast<std::size_t>(i)]));
    }
    r.indices = spec.indices;
    points = static_cast<int64_t>(spec.indices.size());
  }
  if (!float64) {
    for (double& v : input) v = static_cast<double>(static_cast<float>(v));
  }

  for (double fraction : spec.milestones) {
    if (record.checkpoints.empty()) {
      throw InputError("run '" + run.label + "' stored no checkpoints (it diverged at step " +
                       std::to_string(record.diverged_at) + ")");
    }
    const Checkpoint& c = record.checkpoints[nearest_checkpoint(record, fraction)];
    WalkMilestone m;
    m.fraction = fraction;
    m.step = c.step;
    m.boundary = c.boundary;
    WalkFrames& f = m.walk;
    f.points = points;
    f.features = features;
    f.input = input;
    f.label = label;
    f.activations = mlp_forward(record.layer_names, record.layer_kinds, c.weights, input, points,
                                features, float64);
    f.class_probs = probabilities(f.activations.back(), one_logit, float64, f.classes);
    for (int64_t i = 0; i < points; ++i) {
      int64_t best = 0;
      for (int64_t k = 1; k < f.classes; ++k) {
        if (f.class_probs[static_cast<std::size_t>(i * f.classes + k)] >
            f.class_probs[static_cast<std::size_t>(i * f.classes + best)])
          best = k;
      }
      f.predicted.push_back(best);
    }
    r.milestones.push_back(std::move(m));
  }
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace trajtool
