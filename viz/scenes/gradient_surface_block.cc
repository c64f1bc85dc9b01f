// gradient_surface: trained models' per-layer norms as surfaces over layers x steps (log z), one
// run after the other on the same axes, while the camera turns; the run's name, what the height
// is (a formula) and a colour bar stay fixed on screen in the right-hand column.
#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/colorbar.h"
#include "viz/colormap.h"
#include "viz/scenes/layer_norm_grid.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/stage_3d.h"
#include "viz/scenes/training_kit.h"
#include "viz/three_d/axes_3d.h"

namespace trajtool {
namespace {

// Columns of a surface at most (steps are grouped beyond this, by their geometric mean).
constexpr int64_t kMaxSurfaceColumns = 60;

}  // namespace

std::string layer_value_symbol(const std::string& value) {
  if (value == "weight_norm") return "‖W‖";
  if (value == "update_ratio") return "‖ΔW‖/‖W‖";
  return "‖∇W‖";
}

std::string layer_value_formula(const std::string& value) {
  if (value == "weight_norm") return R"(h(\ell, t) = \lVert W_\ell^{(t)} \rVert_2)";
  if (value == "update_ratio") {
    return R"(h(\ell, t) = \frac{\lVert W_\ell^{(t+1)} - W_\ell^{(t)} \rVert_2})"
           R"({\lVert W_\ell^{(t)} \rVert_2})";
  }
  return R"(h(\ell, t) = \lVert \nabla_{W_\ell} L_t \rVert_2)";
}

LayerNormGrid layer_norm_grid(const TrainingRecord& record, const std::string& value, bool biases) {
  LayerNormGrid g;
  const std::vector<LayerSeries> layers = layer_series(record, value, biases);
  const int64_t rows = record.rows;
  const int64_t columns = std::min<int64_t>(rows, kMaxSurfaceColumns);
  for (int64_t col = 0; col < columns; ++col) {
    const int64_t s0 = col * rows / columns, s1 = (col + 1) * rows / columns;
    g.step.push_back(static_cast<double>(s0 + s1 - 1) / 2);
  }
  for (const LayerSeries& l : layers) {
    g.layer.push_back(l.layer);
    for (int64_t col = 0; col < columns; ++col) {
      const int64_t s0 = col * rows / columns, s1 = (col + 1) * rows / columns;
      double sum = 0;
      int used = 0;
      for (int64_t s = s0; s < s1 && s < static_cast<int64_t>(l.values->size()); ++s) {
        const double v = (*l.values)[static_cast<std::size_t>(s)];
        if (std::isfinite(v) && v > 0) {
          sum += std::log10(v);
          ++used;
        }
      }
      g.values.push_back(used > 0 ? std::pow(10.0, sum / used)
                                  : std::numeric_limits<double>::quiet_NaN());
    }
  }
  return g;
}

std::vector<const TrainingData*> gradient_surface_runs(SceneContext& c,
                                                       const GradientSurfaceBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  if (e.trainings.empty()) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no trained-model runs (a `dataset:` with `runs:`)");
  }
  const std::vector<std::string>& labels = b.runs;
  std::string known;
  for (const TrainingData& r : e.trainings) known += (known.empty() ? "" : ", ") + r.spec.label;
  std::vector<const TrainingData*> out;
  if (labels.empty()) {
    if (e.trainings.size() > 4) {
      c.fail("experiment '" + e.name + "' has " + std::to_string(e.trainings.size()) +
             " runs; gradient_surface shows at most 4: name them with `runs:` (its runs: " + known +
             ")");
    }
    for (const TrainingData& r : e.trainings) out.push_back(&r);
    return out;
  }
  for (const std::string& label : labels) {
    const TrainingData* found = nullptr;
    for (const TrainingData& r : e.trainings) {
      if (r.spec.label == label && !found) found = &r;
    }
    if (!found) c.fail("no run '" + label + "' in " + e.source_path + " (its runs: " + known + ")");
    out.push_back(found);
  }
  return out;
}

void play_block(SceneContext& c, const GradientSurfaceBlock& b) {
  Stage3D& st = require_stage_3d(c, "gradient_surface");
  if (st.space) c.fail("the section has a surface or path_3d already (one space per section)");
  const ExperimentData& e = c.experiment(b.experiment);
  const std::vector<const TrainingData*> runs = gradient_surface_runs(c, b);
  // One z range for every run: every finite positive value drawn.
  std::vector<LayerNormGrid> grids;
  double low = std::numeric_limits<double>::infinity(), high = 0;
  double max_step = 1;
  int max_layer = 1;
  for (const TrainingData* run : runs) {
    grids.push_back(layer_norm_grid(run->record, b.value, b.biases));
    const LayerNormGrid& g = grids.back();
    if (g.layer.empty() || g.step.empty()) {
      c.fail("run '" + run->spec.label + "' recorded no parameter series");
    }
    for (double v : g.values) {
      if (std::isfinite(v) && v > 0) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
    max_step = std::max(max_step, static_cast<double>(run->record.rows));
    max_layer = std::max(max_layer, g.layer.back());
  }
  if (!(high > 0)) c.fail("no positive " + b.value + " values to draw");
  low = std::max(low, high * 1e-12);
  if (!(high > low)) high = low * 10;
  Space3D space;
  space.x_min = 0;
  space.x_max = max_step;
  space.y_min = max_layer > 1 ? 1 : 0.5;
  space.y_max = max_layer > 1 ? max_layer : 1.5;
  space.z_min = low;
  space.z_max = high;
  space.log_z = true;
  space.x_length = b.size;
  space.y_length = 0.6 * b.size;
  space.z_length = b.height;
  st.space = space;
  st.x_label = "step";
  st.y_label = b.biases ? "tensor (1 = input)" : "layer (1 = input)";
  st.z_label = layer_value_symbol(b.value) + " (log)";

  World3D& w = *st.world;
  // The axes come with the surfaces: they stand from the first run on.
  Axes3DStyle axes_style;
  axes_style.x_label = st.x_label;
  axes_style.y_label = st.y_label;
  axes_style.z_label = st.z_label;
  {
    Element<Rig3D> axes;
    axes.body = axes_rig(space, axes_style);
    animate_track(axes.opacity, st.clock, st.clock + 0.8, 1.0);
    w.rigs.push_back(std::move(axes));
  }

  // The column: the formula, the colour bar, then the run being shown.
  std::vector<Animation> column;
  if (b.formula) {
    auto formula = wrapped_formula(layer_value_formula(b.value), {st.column_left, st.column_y},
                                   st.column_right - st.column_left, 38, kTextColor, c.geo);
    st.column_y = formula->bounds(c.geo).bottom - 0.4;
    column.push_back(fade_in(formula));
  }
  Colormap colormap;
  colormap.name = parse_colormap_name(b.colormap);
  ColorbarStyle bar;
  bar.colormap = colormap;
  bar.title = layer_value_symbol(b.value) + " per layer (L2)";
  bar.tick_points = 18;
  bar.title_points = 20;
  const double bar_top = st.column_y - 0.45, bar_bottom = bar_top - 2.3;
  auto colorbar = std::make_shared<Colorbar>(
      log_color_scale(low, high),
      Box2{st.column_left + 0.05, bar_bottom, st.column_left + 0.35, bar_top}, bar);
  column.push_back(fade_in(colorbar));
  const double heading_y = bar_bottom - 0.35;

  std::shared_ptr<Group> shown_heading;
  int previous = -1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const LayerNormGrid& g = grids[i];
    const std::size_t nx = g.step.size(), ny = g.layer.size();
    SurfaceMesh3D mesh;
    mesh.nx = static_cast<int>(nx);
    mesh.ny = static_cast<int>(ny);
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t k = 0; k < nx; ++k) {
        double v = g.values[j * nx + k];
        if (!(v > 0)) v = low;  // nothing finite and positive: on the floor
        v = std::clamp(v, low, high);
        mesh.points.push_back(space.to_world(g.step[k], g.layer[j], v));
        mesh.t.push_back(static_cast<float>(std::clamp(space.z_fraction(v), 0.0, 1.0)));
      }
    }
    for (int k = 0; k < 256; ++k) mesh.table.entries.push_back(colormap.sample(k / 255.0));
    mesh.table.banded = false;
    mesh.wire_every = std::max(1, mesh.nx / 12);
    mesh.wire_color = {0, 0, 0, 0.25};
    if (mesh.ny < 2 || mesh.nx < 2) {
      c.fail("run '" + runs[i]->spec.label + "' has too few steps or layers for a surface");
    }
    const double t0 = st.clock;
    Element<SurfaceMesh3D> element;
    element.body = std::move(mesh);
    animate_track(element.opacity, t0, t0 + 0.8, 1.0);
    w.surfaces.push_back(std::move(element));
    if (previous >= 0) {
      animate_track(w.surfaces[static_cast<std::size_t>(previous)].opacity, t0, t0 + 0.8, 0.0);
    }
    previous = static_cast<int>(w.surfaces.size()) - 1;
    st.surface = previous;
    // The camera swings `turn` degrees one way for the first run and back for the next, so that
    // every run is seen from the same views.
    const double swing = i % 2 == 0 ? b.turn : -b.turn;
    animate_track(w.theta, t0, t0 + b.run_time, w.theta.value_at(t0) + swing, RateFn::smooth);

    const Rgba color =
        run_color(runs[i]->spec.color, static_cast<std::size_t>(runs[i] - e.trainings.data()));
    const double width = st.column_right - st.column_left;
    auto heading = std::make_shared<Group>();
    auto name = text_at(runs[i]->spec.label, 24, color, {st.column_left, heading_y},
                        Anchor::kTopLeft, true, width);
    heading->add(name);
    const double name_bottom = name->bounds(c.geo).bottom;
    heading->add(text_at(model_caption(runs[i]->spec.model), 18, kMutedColor,
                         {st.column_left, name_bottom - 0.12}, Anchor::kTopLeft, false, width));
    heading->add(text_at("run " + std::to_string(i + 1) + " of " + std::to_string(runs.size()), 18,
                         kMutedColor, {st.column_left, heading->bounds(c.geo).bottom - 0.12},
                         Anchor::kTopLeft, false, width));
    std::vector<Animation> anims = column;
    column.clear();
    if (shown_heading) anims.push_back(with_run_time(fade_out(shown_heading), 0.6));
    anims.push_back(with_run_time(fade_in(heading), 0.6));
    shown_heading = heading;
    advance_world(c, st, b.run_time, anims);
  }
  st.column_y = shown_heading->bounds(c.geo).bottom - 0.3;
}

}  // namespace trajtool
