#pragma once
// A training log to import (`metrics:` in an experiment file, docs/experiments.md): which CSV file,
// which step column, which columns become series, and how they are smoothed. Everything here but
// labels and scales changes the imported numbers, and so is part of the cache key (the file by the
// SHA-256 of its bytes, not by its path).
#include <cstdint>
#include <string>
#include <vector>

namespace trajtool {

// How a series is smoothed on import (the raw values are kept too).
struct MetricSmoothing {
  enum class Kind { kNone, kEma, kWindow };
  Kind kind = Kind::kNone;  // none, debiased EMA, or trailing moving average
  double ema = 0;           // kEma: the weight of the past, in [0, 1) (W&B/TensorBoard "smoothing")
  int64_t window = 0;       // kWindow: samples in the trailing mean (>= 1)
};

// One `series:` item: a column (or a glob of columns) with how it is shown.
struct MetricSeriesSpec {
  std::string column;    // the column's header name, or
  std::string pattern;   // a glob ("reward/*"): one series per matching column, in file order
  std::string label;     // legend text; "" = the column's name; not hashed
  double scale = 1;      // drawn multiplied by this, its label saying "× 100"; not hashed
  std::string band_min;  // band: the column of the lower edge ([min, max]), or
  std::string band_max;  //   of the upper edge
  std::string band_std;  // band: a column of standard deviations (value ± std); "" = no band
  std::string origin;    // "file:line: metrics[0].series[2]", for messages
};

// One `metrics:` item: a CSV log and the series taken from it.
struct MetricSourceSpec {
  std::string csv_path;                  // the file, as resolved (messages and import)
  std::string csv_sha256;                // SHA-256 of its bytes when the experiment was read
  int64_t csv_bytes = 0;                 // its size then, and
  int64_t csv_mtime_ns = 0;              //   its modification time (the import checks both)
  std::string step_column;               // "" = _step, then step, Step, else the row number
  std::vector<MetricSeriesSpec> series;  // in file order
  MetricSmoothing smoothing;             // applied to every series of this source
  std::string label;                     // names the source in legends when several are compared
  std::string origin;                    // "file:line: metrics[0]", for messages
};

}  // namespace trajtool
