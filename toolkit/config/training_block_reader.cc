#include "toolkit/config/training_block_reader.h"

#include <map>

namespace trajtool {
namespace {

DatasetBlock read_dataset(const Fields& f) {
  DatasetBlock b;
  b.experiment = f.experiment("experiment", true);
  b.x_label = f.text("x_label", b.x_label);
  b.y_label = f.text("y_label", b.y_label);
  b.images = static_cast<int>(f.number("images", b.images, 1, 60));
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

TrainingCurvesBlock read_training_curves(const Fields& f) {
  TrainingCurvesBlock b;
  b.experiment = f.experiment("experiment", true);
  if (f.has("also")) {
    const YAML::Node list = f.node()["also"];
    const Where where = f.where().at("also");
    if (!list.IsSequence()) where.fail(list, "expected a list of experiments");
    std::string known;
    for (const auto& ref : f.header().experiments) known += (known.empty() ? "" : ", ") + ref.name;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = as_string(list[i], where.index(i));
      bool found = false;
      for (const auto& ref : f.header().experiments) found |= ref.name == name;
      if (!found) {
        where.index(i).fail(list[i],
                            "no experiment '" + name + "' in this scene (it reads: " + known + ")");
      }
      b.also.push_back(name);
    }
  }
  b.runs = run_labels(f, 12);
  b.colors = run_colors(f, b.runs);
  b.metric = f.choice<TrainingMetric>(
      "metric", {{"loss", TrainingMetric::loss}, {"accuracy", TrainingMetric::accuracy}}, b.metric);
  b.log_y = f.choice<LogAxis>(
      "log_y", {{"auto", LogAxis::automatic}, {"true", LogAxis::on}, {"false", LogAxis::off}},
      b.log_y);
  if (f.has("box")) b.box = f.rect("box");
  b.caption = f.flag("caption", b.caption);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

DecisionBoundaryBlock read_decision_boundary(const Fields& f) {
  DecisionBoundaryBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = run_labels(f, 4);
  b.colors = run_colors(f, b.runs);
  b.loss_curve = f.flag("loss_curve", b.loss_curve);
  b.test_points = f.flag("test_points", b.test_points);
  b.run_time = f.number("run_time", b.run_time, 0, 120);
  return b;
}

LayerNormsBlock read_layer_norms(const Fields& f) {
  LayerNormsBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = run_labels(f, 4);
  b.value = f.choice<LayerValue>("value",
                                 {{"grad_norm", LayerValue::grad_norm},
                                  {"weight_norm", LayerValue::weight_norm},
                                  {"update_ratio", LayerValue::update_ratio}},
                                 b.value);
  b.mode = f.choice<LayerNormsMode>(
      "mode", {{"heatmap", LayerNormsMode::heatmap}, {"lines", LayerNormsMode::lines}}, b.mode);
  b.biases = f.flag("biases", b.biases);
  b.colormap = f.choice<std::string>("colormap",
                                     {{"viridis", "viridis"},
                                      {"magma", "magma"},
                                      {"inferno", "inferno"},
                                      {"plasma", "plasma"},
                                      {"cividis", "cividis"}},
                                     b.colormap);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

ActivationHistogramsBlock read_activation_histograms(const Fields& f) {
  ActivationHistogramsBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = run_labels(f, 4);
  if (f.has("steps")) {
    const Where where = f.where().at("steps");
    const YAML::Node list = f.node()["steps"];
    if (!list.IsSequence() || list.size() != 2) {
      where.fail(list, "expected two checkpoint steps, [first, second]");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      const int64_t step = as_integer(list[i], where.index(i));
      if (step < 0) where.index(i).fail(list[i], "must be >= 0");
      b.steps.push_back(step);
    }
    if (b.steps[0] >= b.steps[1]) where.fail(list, "the first step must come before the second");
  }
  b.bins = static_cast<int>(f.number("bins", b.bins, 4, 100));
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

}  // namespace

const char* const kTrainingBlockKinds =
    "dataset, training_curves, decision_boundary, layer_norms, activation_histograms";

bool read_training_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body) {
  if (kind == "dataset") {
    body = read_dataset(
        fields("experiment", {"experiment", "x_label", "y_label", "images", "run_time"}));
  } else if (kind == "training_curves") {
    body =
        read_training_curves(fields("experiment", {"experiment", "also", "runs", "colors", "metric",
                                                   "log_y", "box", "caption", "run_time"}));
  } else if (kind == "decision_boundary") {
    body = read_decision_boundary(fields(
        "experiment", {"experiment", "runs", "colors", "loss_curve", "test_points", "run_time"}));
  } else if (kind == "layer_norms") {
    body = read_layer_norms(fields(
        "experiment", {"experiment", "runs", "value", "mode", "biases", "colormap", "run_time"}));
  } else if (kind == "activation_histograms") {
    body = read_activation_histograms(
        fields("experiment", {"experiment", "runs", "steps", "bins", "run_time"}));
  } else {
    return false;
  }
  return true;
}

}  // namespace trajtool
