#pragma once
// Importing a training log (a CSV file named by a `metrics:` source) into a MetricLog: the step
// column found, the selected columns read, steps checked, series smoothed. Pure: reads the file,
// writes nothing. Every bad input is an InputError naming the file, the line and the column.
#include <string>
#include <string_view>
#include <vector>

#include "toolkit/core/metric_log.h"
#include "toolkit/core/metric_spec.h"

namespace trajtool {

// Reads spec.csv_path; InputError when its size or modification time differ from when the
// experiment was read (its bytes, hashed then, are the entry's key), or for any problem of the log.
MetricLog import_metric_log(const MetricSourceSpec& spec);

// The same from the file's bytes (tests, benchmarks).
MetricLog import_metric_bytes(const MetricSourceSpec& spec, std::string_view bytes);

// Up to `count` names of `known` closest to `name` (edit distance, ties in file order).
std::vector<std::string> closest_names(const std::string& name,
                                       const std::vector<std::string>& known, std::size_t count);

// The header names a series item selects: its column, or every column its glob matches (the step
// column left out), in file order; InputError (naming `spec.origin`) when nothing matches.
std::vector<std::size_t> series_columns(const MetricSeriesSpec& item,
                                        const std::vector<std::string>& header,
                                        const std::string& step_column, const std::string& where);

}  // namespace trajtool
