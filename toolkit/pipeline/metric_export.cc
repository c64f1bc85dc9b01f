#include "toolkit/pipeline/metric_export.h"

#include <algorithm>
#include <cmath>

#include "toolkit/core/canonical_json.h"

namespace trajtool {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return shortest_double(v);
}

}  // namespace

std::string runs_to_csv(const std::vector<LabelledSeries>& runs) {
  std::vector<const NamedSeries*> columns;
  std::string text = "_step";
  std::vector<double> steps;
  for (const LabelledSeries& run : runs) {
    for (const NamedSeries& s : run.series) {
      columns.push_back(&s);
      text += "," + csv_field(run.label + "/" + s.name);
      steps.insert(steps.end(), s.step.begin(), s.step.end());
    }
  }
  text += "\n";
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  std::vector<std::size_t> next(columns.size(), 0);  // each column's next point
  for (double step : steps) {
    text += number_text(step);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      text += ",";
      const NamedSeries& s = *columns[k];
      if (next[k] < s.step.size() && s.step[next[k]] == step) {
        text += number_text(s.value[next[k]++]);
      }
    }
    text += "\n";
  }
  return text;
}

}  // namespace trajtool
