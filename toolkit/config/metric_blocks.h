#pragma once
// Scene blocks that draw training logs (imported `metrics:` and the series of cached runs), part
// of scene_script.h's blocks; read by metric_block_reader.h, played by viz/scenes/metric_blocks.cc.
// The format: docs/scenes.md.
#include <string>
#include <vector>

namespace trajtool {

// A series of a cached run: `{experiment: E, run: R, value: loss}` (toolkit/run_series.h lists
// the values a run records).
struct MetricRunRef {
  std::string experiment;  // the scene's name for the experiment
  std::string run;         // a run's (or tiny model's) label
  std::string value;       // the series' name: loss, grad_norm, x, y, ...
  std::string label;       // legend text; "" = "<run> <value>"
};

// Which series a metric block draws: every series of an experiment's logs, then the runs' series.
struct MetricSelection {
  std::string experiment;           // whose `metrics:` logs; "" = none
  std::vector<MetricRunRef> runs;   // series of cached runs
  std::vector<std::string> colors;  // one per series drawn, in order; empty = the palette
};

// One plot of the selected series against step: axes ranged from the data, each curve drawn in
// step order with a live readout (a dot at the pen, its value, the step), then each final value at
// its line's end; the raw values faint behind a smoothed line, and the bands.
struct MetricCurvesBlock {
  MetricSelection series;        // what to draw
  std::string x_label = "step";  // axis titles
  std::string y_label;           // "" = none; a scale shared by every series is added: "(× 100)"
  bool log_y = false;            // logarithmic y axis (every value drawn must be > 0)
  bool log_y_auto = false;       // `log_y: auto`: log when every value drawn is > 0 and they
                                 // span two decades or more, else linear
  bool raw = true;               // the raw values faint behind a smoothed line
  bool band = true;              // a series' band (min/max or ± std) behind it
  double run_time = 6;           // seconds to draw the curves
};

// Small multiples: one panel per series, each with its own labelled y axis, one shared step axis.
struct MetricPanelsBlock {
  MetricSelection series;        // one panel each (a glob's columns one each)
  std::string x_label = "step";  // under the bottom row
  int columns = 0;               // panels per row; 0 = as square as the frame allows
  bool log_y = false;            // logarithmic y axes
  bool log_y_auto = false;       // `log_y: auto`, as MetricCurvesBlock's
  bool raw = true;               // as MetricCurvesBlock
  bool band = true;
  double run_time = 5;  // seconds to draw them (all panels together)
};

// A card of statistics computed from the selected series: final, mean, max (and its step), min.
struct MetricStatsBlock {
  MetricSelection series;  // one row each
  double run_time = 1;     // seconds to fade it in
};

}  // namespace trajtool
