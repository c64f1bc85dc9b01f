// path_3d's numbers: three series of a log or a run, joined on the steps all three have.
#include "viz/scenes/path_3d_data.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "toolkit/core/run_series.h"
#include "viz/scenes/scene_kit.h"

namespace trajtool {
namespace {

// One coordinate of path_3d: its values against their steps.
struct StepSeries {
  std::vector<double> step;    // increasing
  std::vector<double> values;  // one per step
  std::string name;            // default axis title
};

// A series of an optimizer run: loss, param:K, grad:K, state:NAME[:K], or a run_series.h name.
StepSeries trajectory_value(SceneContext& c, const RunData& run, const Series3D& s) {
  const Trajectory& t = run.trajectory;
  const auto colon = s.value.find(':');
  const std::string kind = s.value.substr(0, colon);
  std::string arg = colon == std::string::npos ? "" : s.value.substr(colon + 1);
  auto index_of = [&c, &s](const std::string& text, int64_t size) {
    int64_t k = 0;
    if (!text.empty()) {
      if (text.find_first_not_of("0123456789") != std::string::npos) {
        c.fail("'" + s.value + "': the coordinate must be a whole number");
      }
      k = std::stoll(text);
    }
    if (k >= size) {
      c.fail("'" + s.value + "': coordinate " + std::to_string(k) + " of " + std::to_string(size));
    }
    return static_cast<std::size_t>(k);
  };
  StepSeries out;
  int64_t first = 0;
  auto take = [&out](const std::vector<double>& values, std::size_t per_row, std::size_t k) {
    for (std::size_t i = k; i < values.size(); i += per_row) out.values.push_back(values[i]);
  };
  if (kind == "loss") {
    out.values = t.loss;
    out.name = "loss";
  } else if (kind == "param") {
    const std::size_t k = index_of(arg, t.dim);
    take(t.params, static_cast<std::size_t>(t.dim), k);
    out.name = "θ" + std::string(k == 0 ? "₁" : "₂");
  } else if (kind == "grad") {
    const std::size_t k = index_of(arg, t.dim);
    take(t.grad, static_cast<std::size_t>(t.dim), k);
    first = 1;
    out.name = "g" + std::string(k == 0 ? "₁" : "₂");
  } else if (kind == "state") {
    const auto second = arg.find(':');
    const std::string name = arg.substr(0, second);
    const StateSeries* state = nullptr;
    std::string names;
    for (const StateSeries& candidate : t.state) {
      if (candidate.name == name) state = &candidate;
      names += (names.empty() ? "" : ", ") + candidate.name;
    }
    if (!state) {
      c.fail("run '" + run.spec.label + "' recorded no state '" + name +
             "' (it has: " + (names.empty() ? "none" : names) + ")");
    }
    std::size_t per_step = 1;
    for (int64_t extent : state->step_shape) per_step *= static_cast<std::size_t>(extent);
    const std::size_t k = index_of(second == std::string::npos ? "" : arg.substr(second + 1),
                                   static_cast<int64_t>(per_step));
    take(state->values, per_step, k);
    first = 1;
    out.name = name;
  } else {
    const std::vector<NamedSeries> recorded = trajectory_series(t);
    const auto it = std::find_if(recorded.begin(), recorded.end(),
                                 [&](const NamedSeries& n) { return n.name == s.value; });
    if (it == recorded.end()) {
      c.fail("run '" + run.spec.label + "' records no series '" + s.value +
             "' (it has: loss, param:K, grad:K, state:NAME[:K], " + series_names(recorded) + ")");
    }
    out.step = it->step;
    out.values = it->value;
    out.name = s.value;
  }
  if (out.step.empty()) {
    for (std::size_t i = 0; i < out.values.size(); ++i) {
      out.step.push_back(static_cast<double>(first + static_cast<int64_t>(i)));
    }
  }
  return out;
}

// A series of a trained model (run_series.h's names: train/loss, lr, eval/test_loss, ...).
StepSeries training_value(SceneContext& c, const TrainingData& run, const Series3D& s) {
  const std::vector<NamedSeries> recorded = training_series(run.record);
  const auto it = std::find_if(recorded.begin(), recorded.end(),
                               [&](const NamedSeries& n) { return n.name == s.value; });
  if (it == recorded.end()) {
    c.fail("run '" + run.spec.label + "' records no series '" + s.value +
           "' (it has: " + series_names(recorded) + ")");
  }
  return {it->step, it->value, s.value};
}

// A series of the experiment's imported logs, by its label or its column (smoothed as imported).
// An empty name takes the logs' series at `position` (0, 1, 2 for x, y, z).
StepSeries logged_value(SceneContext& c, const ExperimentData& e, const Series3D& s,
                        std::size_t position) {
  std::string known;
  std::size_t index = 0;
  for (const MetricData& m : e.metrics) {
    for (const MetricSeries& series : m.log.series) {
      const MetricSeriesSpec& item = m.spec.series[static_cast<std::size_t>(series.item)];
      const std::string label = item.label.empty() || !item.pattern.empty() ? "" : item.label;
      if (s.value.empty() ? index++ == position
                          : s.value == series.column || (!label.empty() && s.value == label)) {
        return {series.step, series.smoothed, label.empty() ? series.column : label};
      }
      known += (known.empty() ? "" : ", ") + series.column;
    }
  }
  if (s.value.empty()) {
    c.fail("experiment '" + e.name + "' (" + e.source_path + ") logs " + std::to_string(index) +
           " series; name the three coordinates with x, y and z (its series: " +
           (known.empty() ? "none" : known) + ")");
  }
  c.fail("experiment '" + e.name + "' (" + e.source_path + ") logs no series '" + s.value +
         "' (its series: " + (known.empty() ? "none" : known) + ")");
}

StepSeries series_of(SceneContext& c, const ExperimentData& e, const Path3DBlock& b,
                     const Series3D& s, std::size_t position) {
  StepSeries out;
  if (s.value.empty() && !b.run.empty()) {
    c.fail("x, y and z name the run's series (only a log's may be left out)");
  }
  if (b.run.empty()) {
    if (e.metrics.empty()) {
      c.fail("experiment '" + b.experiment + "' (" + e.source_path +
             ") has no `metrics:` logs; name one of its runs with `run:`");
    }
    out = logged_value(c, e, s, position);
  } else {
    std::string known;
    const RunData* run = nullptr;
    const TrainingData* training = nullptr;
    for (const RunData& r : e.runs) {
      if (r.spec.label == b.run && !run && !training) run = &r;
      known += (known.empty() ? "" : ", ") + r.spec.label;
    }
    for (const TrainingData& r : e.trainings) {
      if (r.spec.label == b.run && !run && !training) training = &r;
      known += (known.empty() ? "" : ", ") + r.spec.label;
    }
    if (run && !is_point_run(*run)) c.fail("run '" + b.run + "' is a sweep: it has no single path");
    if (!run && !training) {
      c.fail("no run '" + b.run + "' in " + e.source_path +
             " (its runs: " + (known.empty() ? "none" : known) + ")");
    }
    out = run ? trajectory_value(c, *run, s) : training_value(c, *training, s);
  }
  if (!s.label.empty()) out.name = s.label;
  return out;
}

// The steps all three series have a value at, with the values there.
Path3DData join_on_steps(const StepSeries& xs, const StepSeries& ys, const StepSeries& zs) {
  Path3DData out;
  std::size_t j = 0, k = 0;
  for (std::size_t i = 0; i < xs.step.size(); ++i) {
    const double step = xs.step[i];
    while (j < ys.step.size() && ys.step[j] < step) ++j;
    while (k < zs.step.size() && zs.step[k] < step) ++k;
    if (j < ys.step.size() && k < zs.step.size() && ys.step[j] == step && zs.step[k] == step) {
      out.step.push_back(step);
      out.x.push_back(xs.values[i]);
      out.y.push_back(ys.values[j]);
      out.z.push_back(zs.values[k]);
    }
  }
  return out;
}

}  // namespace

Path3DData path_3d_data(SceneContext& c, const Path3DBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  const StepSeries xs = series_of(c, e, b, b.x, 0), ys = series_of(c, e, b, b.y, 1),
                   zs = series_of(c, e, b, b.z, 2);
  Path3DData joined = join_on_steps(xs, ys, zs);
  // Up to the first row that is not finite (a divergence: NaN or inf).
  std::size_t rows = 0;
  while (rows < joined.step.size() && std::isfinite(joined.x[rows]) &&
         std::isfinite(joined.y[rows]) && std::isfinite(joined.z[rows]))
    ++rows;
  for (std::vector<double>* v : {&joined.step, &joined.x, &joined.y, &joined.z}) v->resize(rows);
  if (rows < 2) {
    c.fail("the series '" + b.x.value + "', '" + b.y.value + "', '" + b.z.value +
           "' share fewer than 2 steps with finite values");
  }
  if (b.log_z) {
    // A value <= 0 (a loss of 0) stands on the log axis's floor, the smallest positive value.
    double floor = std::numeric_limits<double>::infinity();
    for (double z : joined.z) {
      if (z > 0) floor = std::min(floor, z);
    }
    if (!std::isfinite(floor)) c.fail("z: '" + b.z.value + "' has no value > 0 for a log axis");
    for (double& z : joined.z) z = std::max(z, floor);
  }
  joined.x_name = xs.name;
  joined.y_name = ys.name;
  joined.z_name = zs.name;
  Rgba own = palette_color(0);
  if (!b.run.empty()) {
    for (const RunData& r : e.runs) {
      if (r.spec.label == b.run) own = run_color(r.spec.color, 0);
    }
  }
  joined.color = color_or(b.color, own);
  joined.label = b.run.empty() ? e.name : b.run;
  return joined;
}

}  // namespace trajtool
