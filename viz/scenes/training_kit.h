#pragma once
// What the blocks of trained models (training_blocks.cc) share, and what their tests check the
// pixels against: the colours of classes and of decision regions, the heat-map colour of a norm,
// the captions naming a dataset and a model, the layers a run's series and activations belong to.
#include <string>
#include <vector>

#include "viz/color.h"
#include "viz/levels.h"
#include "viz/mobject.h"
#include "viz/scene_data.h"

namespace trajtool {

// Class k's colour: blue, red, green, yellow, then the rest of the run palette.
Rgba class_color(int64_t k);

// The colour of a decision region where a model gives class probabilities `probs[0 .. classes)`:
// the most probable class's colour, darkened by how unsure the model is (a dark shade at chance,
// brighter towards certainty), opaque. Ties go to the lower class.
Rgba region_color(const double* probs, int64_t classes);

// The most probable class.
int64_t predicted_class(const double* probs, int64_t classes);

// A heat map's colour scale over positive values: log10-spaced from `low` to `high`.
ContourLevels log_color_scale(double low, double high);

// "moons: 1000 points (noise 0.2), 750 train / 250 test"; "Fashion-MNIST: 28x28 images, 10
// classes, 5000 train / 1000 test".
std::string dataset_caption(const TrainingData& run);
// "MLP 2-32-32-2, relu"; "CNN: conv 8-16 (3x3, pool 2), hidden 64, relu".
std::string model_caption(const ModelSpec& model);
// "cross-entropy, batch 64, 2000 steps" (full batch: "full batch").
std::string training_caption(const TrainingRunSpec& spec);

// One parameter tensor's per-step series, with the layer number it is drawn as.
struct LayerSeries {
  std::string name;                   // state_dict name, "0.weight"
  int layer = 0;                      // 1 = nearest the input
  const std::vector<double>* values;  // grad_norm, weight_norm or update_ratio, [rows]
};
// The run's weight tensors (and biases when `biases`) in state_dict order, numbered by layer.
std::vector<LayerSeries> layer_series(const TrainingRecord& record, const std::string& value,
                                      bool biases);

// The Sequential modules whose outputs a histogram of activations shows: those after an activation
// function (ReLU, Sigmoid, Tanh, GELU, LeakyReLU, ...), not the output layer; when there are none
// (identity activations), every module but the last.
std::vector<std::size_t> hidden_activation_modules(const TrainingRecord& record);

// Where panel `index` of `count` side by side puts its decision regions (the box before the axes
// shrink it to the data's aspect), and its loss curve's plotting area.
Box2 decision_region_box(std::size_t index, std::size_t count, bool loss_curve);
Box2 decision_loss_box(std::size_t index, std::size_t count);
// Where heat map `index` of `count` stacked top to bottom goes (layers x steps).
Box2 layer_heatmap_box(std::size_t index, std::size_t count);

// Where the histogram of hidden layer `column` (of `columns`) at checkpoint `row` (0 or 1) of an
// activation_histograms section goes; its bars rise from the box's bottom to its top at the peak
// (counts / peak * 1 / 1.05 of the height).
Box2 activation_histogram_box(std::size_t column, std::size_t columns, int row);

// A legend label with a run's final evaluation: "SGD:  0.0312 / 0.0451" (loss, train / test) or
// "SGD:  98.1% / 96.4%" (accuracy); "(diverged at 812)" after a diverged run.
std::string final_values_label(const TrainingData& run, bool accuracy);

// Fashion-MNIST's class names ("T-shirt/top", "Trouser", ...), or "class k" for other datasets.
std::string class_name(const TrainingRunSpec& spec, int64_t k);

}  // namespace trajtool
