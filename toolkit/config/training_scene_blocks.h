#pragma once
// Scene blocks that draw trained tiny models (docs/scenes.md, "Trained models"): the dataset, the
// training curves of every run, decision regions evolving through the checkpoints, per-layer
// gradient norms and activation histograms. Read by training_block_reader.h, played by
// viz/scenes/training_blocks.cc. Part of SceneScript's BlockBody (scene_script.h).
#include <string>
#include <vector>

#include "toolkit/config/scene_geometry.h"

namespace trajtool {

// The experiment's dataset before anything is trained: 2D inputs as points coloured by class
// (training samples as discs, test samples as rings) with a legend, or for image datasets a grid
// of samples with their class names; a caption names the dataset and its sizes.
struct DatasetBlock {
  std::string experiment;      // whose dataset
  std::string x_label = "x₁";  // axis titles (2D datasets)
  std::string y_label = "x₂";
  int images = 24;        // image datasets: how many samples to show (first ones)
  double run_time = 1.5;  // seconds to fade the points in
};

// Which pair of curves a training_curves block draws.
enum class TrainingMetric { loss, accuracy };
// Whether the y axis is logarithmic.
enum class LogAxis { automatic, on, off };

// Train (solid) and test (dashed) curves of every run against step, from the recorded evaluations;
// the legend gives each run's final train and test values, a caption names the dataset and model.
struct TrainingCurvesBlock {
  std::string experiment;                        // whose training runs
  std::vector<std::string> also;                 // more experiments whose runs are drawn too
                                                 // (an MLP on flat images beside a CNN)
  std::vector<std::string> runs;                 // labels; empty = every run
  std::vector<std::string> colors;               // one per drawn run; empty = the runs' own
  TrainingMetric metric = TrainingMetric::loss;  // loss or accuracy
  LogAxis log_y = LogAxis::automatic;            // automatic: log when the values span > 1.5
                                                 // decades (losses), linear otherwise
  SceneRect box{-6.0, -2.2, 0.9, 2.3};           // the plotting area; the legend goes right
  bool caption = true;                           // dataset and model under the plot
  double run_time = 3.0;                         // seconds to draw the curves
};

// Decision regions of up to four runs side by side, evolving through the recorded checkpoints
// with a step counter; under each, its training loss drawn up to the current step.
struct DecisionBoundaryBlock {
  std::string experiment;           // a 2D classification experiment
  std::vector<std::string> runs;    // labels, 1 to 4; empty = the first (up to) four runs
  std::vector<std::string> colors;  // one per drawn run (headings, loss curves); empty = own
  bool loss_curve = true;           // each run's loss under its panel
  bool test_points = true;          // draw the test samples (rings) as well as the training ones
  double run_time = 0;              // seconds through the checkpoints; 0 = 0.35 s per
                                    // checkpoint, clamped to 4 .. 12
};

// What a layer_norms block shows per parameter tensor and step.
enum class LayerValue { grad_norm, weight_norm, update_ratio };
// How it shows it.
enum class LayerNormsMode { heatmap, lines };

// Per-layer norms against step for 1 to 4 runs: heat maps (layers x steps, log colour, one colour
// bar for all) stacked top to bottom, or one line per layer (coloured by depth, a colour bar for
// the layer) in panels side by side on a shared log axis.
struct LayerNormsBlock {
  std::string experiment;                    // whose training runs
  std::vector<std::string> runs;             // labels, 1 to 4; empty = every run (<= 4)
  LayerValue value = LayerValue::grad_norm;  // which recorded series
  LayerNormsMode mode = LayerNormsMode::heatmap;
  bool biases = false;               // bias tensors too (else weights only)
  std::string colormap = "viridis";  // heat-map colours and layer colours
  double run_time = 2.0;             // seconds to draw
};

// For each run, a section of its own: histograms of every hidden layer's activations (the recorded
// outputs for fixed test samples) at two checkpoints, one column per layer, a row per checkpoint,
// the x range shared down each column.
struct ActivationHistogramsBlock {
  std::string experiment;         // whose training runs
  std::vector<std::string> runs;  // labels, 1 to 4; empty = every run (<= 4)
  std::vector<int64_t> steps;     // two checkpoint steps; empty = the first and the last
  int bins = 24;                  // bars per histogram
  double run_time = 1.5;          // seconds for the bars to grow
};

}  // namespace trajtool
