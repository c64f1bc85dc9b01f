#pragma once
// An imported training log as stored in the cache: each series holds only the rows where its
// column has a value (W&B logs every metric at its own steps; an empty cell is no point, never a
// zero and never an interpolated value). NaN and ±inf are values, kept as they were written.
#include <cstdint>
#include <string>
#include <vector>

namespace trajtool {

struct MetricSeries {
  std::string column;             // the CSV column it came from
  int64_t item = 0;               // the `series:` item that selected it (globs select several)
  std::vector<double> step;       // increasing; one per logged value
  std::vector<double> value;      // as logged (NaN, inf, -inf kept)
  std::vector<double> smoothed;   // after the source's smoothing (= value when none)
  std::vector<double> band_low;   // band's lower edge per point (NaN where not logged); or empty
  std::vector<double> band_high;  // band's upper edge per point; empty when no band
};

struct MetricLog {
  std::string step_column;           // the column used for steps; "" = the row number
  int64_t rows = 0;                  // data rows in the file
  std::vector<MetricSeries> series;  // in selection order
};

}  // namespace trajtool
