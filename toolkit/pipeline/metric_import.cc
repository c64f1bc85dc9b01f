#include "toolkit/pipeline/metric_import.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "toolkit/core/error.h"
#include "toolkit/core/mapped_file.h"
#include "toolkit/pipeline/csv_columns.h"
#include "toolkit/pipeline/metric_smoothing.h"

namespace trajtool {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
  return text;
}

// The header index of `name`, or an InputError listing the closest names.
std::size_t find_column(const std::string& name, const std::vector<std::string>& header,
                        const std::string& where, const std::string& what) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
  throw InputError(where + ": " + what + " '" + name + "' is not a column of the log (closest: " +
                   quoted_list(closest_names(name, header, 3)) + ")");
}

// The step column: the one named, else _step, step, Step; "" = the row number.
std::string choose_step_column(const MetricSourceSpec& spec,
                               const std::vector<std::string>& header) {
  if (!spec.step_column.empty()) {
    find_column(spec.step_column, header, spec.origin + ".step", "step column");
    return spec.step_column;
  }
  for (const char* name : {"_step", "step", "Step"}) {
    if (std::find(header.begin(), header.end(), name) != header.end()) return name;
  }
  return "";
}

}  // namespace

std::vector<std::string> closest_names(const std::string& name,
                                       const std::vector<std::string>& known, std::size_t count) {
  std::vector<std::size_t> order(known.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::size_t> distance(known.size());
  for (std::size_t i = 0; i < known.size(); ++i) distance[i] = edit_distance(name, known[i]);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return distance[a] < distance[b]; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < order.size() && i < count; ++i) out.push_back(known[order[i]]);
  return out;
}

std::vector<std::size_t> series_columns(const MetricSeriesSpec& item,
                                        const std::vector<std::string>& header,
                                        const std::string& step_column, const std::string& where) {
  if (item.pattern.empty()) return {find_column(item.column, header, where + ".column", "column")};
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] != step_column && fnmatch(item.pattern.c_str(), header[i].c_str(), 0) == 0) {
      matches.push_back(i);
    }
  }
  if (matches.empty()) {
    throw InputError(where + ".columns: no column matches '" + item.pattern +
                     "' (closest: " + quoted_list(closest_names(item.pattern, header, 3)) + ")");
  }
  return matches;
}

MetricLog import_metric_log(const MetricSourceSpec& spec) {
  const MappedFile file(spec.csv_path);
  if (static_cast<int64_t>(file.bytes().size()) != spec.csv_bytes ||
      file.mtime_ns() != spec.csv_mtime_ns) {
    throw InputError(spec.csv_path + ": the file changed after " + spec.origin +
                     " was read; run the command again");
  }
  return import_metric_bytes(spec, file.bytes());
}

MetricLog import_metric_bytes(const MetricSourceSpec& spec, std::string_view bytes) {
  // What was selected: per series item its columns, then its band columns.
  struct Chosen {
    std::size_t item = 0;       // index into spec.series
    std::size_t column = 0;     // header index of the value
    std::size_t band_low = 0;   // header index of the band's min (or std) column
    std::size_t band_high = 0;  // of its max column
    bool band = false, std_band = false;
  };
  std::vector<Chosen> chosen;
  std::string step_column;
  std::vector<std::size_t> requested;  // what read_csv_columns reads: step first if any
  const CsvSelect select = [&](const std::vector<std::string>& header) {
    step_column = choose_step_column(spec, header);
    if (!step_column.empty()) {
      requested.push_back(find_column(step_column, header, spec.origin, "step column"));
    }
    for (std::size_t i = 0; i < spec.series.size(); ++i) {
      const MetricSeriesSpec& item = spec.series[i];
      const std::string& where = item.origin;
      for (std::size_t column : series_columns(item, header, step_column, where)) {
        Chosen c;
        c.item = i;
        c.column = column;
        if (!item.band_std.empty()) {
          c.band = c.std_band = true;
          c.band_low = c.band_high =
              find_column(item.band_std, header, where + ".band.std", "column");
        } else if (!item.band_min.empty()) {
          c.band = true;
          c.band_low = find_column(item.band_min, header, where + ".band[0]", "column");
          c.band_high = find_column(item.band_max, header, where + ".band[1]", "column");
        }
        chosen.push_back(c);
        requested.push_back(c.column);
        if (c.band) {
          requested.push_back(c.band_low);
          requested.push_back(c.band_high);
        }
      }
    }
    return requested;
  };
  CsvColumns table = read_csv_columns(bytes, spec.csv_path, select);
  const auto rows = static_cast<std::size_t>(table.rows);
  auto line = [&](std::size_t row) { return std::to_string(table.row_lines[row]); };

  // Steps: given in every row, finite, strictly increasing.
  std::vector<double> steps(rows);
  std::size_t next = 0;  // index into table.columns
  if (!step_column.empty()) {
    const CsvColumn& column = table.columns[next++];
    for (std::size_t r = 0; r < rows; ++r) {
      if (!column.present[r] || !std::isfinite(column.values[r])) {
        throw InputError(spec.csv_path + ":" + line(r) + ": column '" + step_column +
                         "': the step is " + (column.present[r] ? "not finite" : "empty") +
                         " (every row needs a step)");
      }
      steps[r] = column.values[r];
      if (r > 0 && !(steps[r] > steps[r - 1])) {
        char text[96];
        if (steps[r] == steps[r - 1]) {
          std::snprintf(text, sizeof text, "%.17g repeats (lines %s and %s)", steps[r],
                        line(r - 1).c_str(), line(r).c_str());
        } else {
          std::snprintf(text, sizeof text, "%.17g comes after %.17g of line %s", steps[r],
                        steps[r - 1], line(r - 1).c_str());
        }
        throw InputError(spec.csv_path + ":" + line(r) + ": column '" + step_column + "': step " +
                         text + ": steps must increase (two runs' logs in one file? split them)");
      }
    }
  } else {
    for (std::size_t r = 0; r < rows; ++r) steps[r] = static_cast<double>(r);
  }

  MetricLog log;
  log.step_column = step_column;
  log.rows = table.rows;
  for (const Chosen& c : chosen) {
    CsvColumn& values = table.columns[next++];
    const CsvColumn* low = c.band ? &table.columns[next++] : nullptr;
    const CsvColumn* high = c.band ? &table.columns[next++] : nullptr;
    MetricSeries series;
    series.column = table.header[c.column];
    series.item = static_cast<int64_t>(c.item);
    const bool every_row = !c.band && std::all_of(values.present.begin(), values.present.end(),
                                                  [](uint8_t present) { return present != 0; });
    if (every_row) {  // a column logged at every row: its cells as they are, not copied
      series.step = steps;
      series.value = std::move(values.values);
    }
    series.step.reserve(rows);
    series.value.reserve(rows);
    for (std::size_t r = 0; !every_row && r < rows; ++r) {
      if (!values.present[r]) continue;
      series.step.push_back(steps[r]);
      series.value.push_back(values.values[r]);
      if (!c.band) continue;
      if (c.std_band) {
        series.band_low.push_back(values.values[r] - low->values[r]);
        series.band_high.push_back(values.values[r] + low->values[r]);
      } else {
        series.band_low.push_back(low->values[r]);
        series.band_high.push_back(high->values[r]);
      }
    }
    if (series.value.empty()) {
      throw InputError(spec.csv_path + ": column '" + series.column +
                       "' has no numbers (every one of its " + std::to_string(rows) +
                       " cells is empty), named at " + spec.series[c.item].origin);
    }
    series.smoothed = smooth(series.value, spec.smoothing);
    log.series.push_back(std::move(series));
  }
  return log;
}

}  // namespace trajtool
