// Any CSV file (RFC 4180, read with libcsv): one sample per row, the `target` column (a header
// name, a 0-based index, or "last") as the label, every other column a numeric feature. The first
// row is a header when any of its cells is not a number. A target of whole numbers or of words is
// a class (classes numbered in sorted order of their values); with `task: regression` it is a
// number to fit.
#include <csv.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "objectives/datasets/dataset_kit.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

struct CsvRows {
  std::vector<std::vector<std::string>> rows;  // cells, per row
  std::vector<std::string> current;            // the row being read
};

void on_field(void* text, size_t size, void* data) {
  static_cast<CsvRows*>(data)->current.emplace_back(static_cast<const char*>(text), size);
}

void on_row(int, void* data) {
  auto* rows = static_cast<CsvRows*>(data);
  rows->rows.push_back(std::move(rows->current));
  rows->current.clear();
}

bool parse_number(const std::string& cell, double* value) {
  const char* begin = cell.c_str();
  while (*begin == ' ' || *begin == '\t') ++begin;
  if (*begin == '\0') return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(begin, &end);
  while (*end == ' ' || *end == '\t' || *end == '\r') ++end;
  return *end == '\0';
}

// The table read and checked: features and labels, the header's names.
struct CsvTable {
  Samples samples;                 // every row
  std::vector<std::string> names;  // feature names (header, or "x1", ...)
  int64_t classes = 0;             // 0 for regression
};

CsvTable read_csv(const DatasetSpec& spec) {
  const std::string& path = spec.csv_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the CSV file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    throw RuntimeFailure("cannot start the CSV parser");
  }
  CsvRows rows;
  const size_t parsed = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &rows);
  if (parsed != text.size() || csv_fini(&parser, on_field, on_row, &rows) != 0) {
    const std::string why = csv_strerror(csv_error(&parser));
    csv_free(&parser);
    throw InputError(path + ":" + std::to_string(rows.rows.size() + 1) + ": malformed CSV: " + why);
  }
  csv_free(&parser);
  if (rows.rows.empty()) throw InputError(path + ": the CSV file is empty");

  CsvTable table;
  const std::vector<std::string>& first = rows.rows[0];
  bool header = false;
  for (const std::string& cell : first) {
    double v = 0;
    header = header || !parse_number(cell, &v);
  }
  const size_t columns = first.size();
  if (columns < 2)
    throw InputError(path + ":1: a CSV data set needs a target and a feature column");
  // The target column.
  size_t target = columns;
  const std::string& t = spec.target;
  if (t == "last") {
    target = columns - 1;
  } else if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos) {
    target = static_cast<size_t>(std::stoul(t));
    if (target >= columns) {
      throw InputError(path + ":1: target column " + t + " does not exist (the file has " +
                       std::to_string(columns) + " columns, 0 to " + std::to_string(columns - 1) +
                       ")");
    }
  } else {
    for (size_t c = 0; header && c < columns; ++c) {
      if (first[c] == t) target = c;
    }
    if (target == columns) {
      std::string names;
      for (const std::string& cell : first) names += (names.empty() ? "" : ", ") + cell;
      throw InputError(path + ":1: no target column '" + t + "'" +
                       (header ? " (the header has: " + names + ")" : " (the file has no header)"));
    }
  }
  for (size_t c = 0; c < columns; ++c) {
    if (c == target) continue;
    table.names.push_back(header ? first[c] : "x" + std::to_string(table.names.size() + 1));
  }
  table.samples.features = static_cast<int64_t>(columns - 1);
  std::vector<std::string> labels;
  bool numeric_labels = true, whole_labels = true;
  for (size_t r = header ? 1 : 0; r < rows.rows.size(); ++r) {
    const std::vector<std::string>& row = rows.rows[r];
    const std::string line = path + ":" + std::to_string(r + 1);
    if (row.size() != columns) {
      throw InputError(line + ": the row has " + std::to_string(row.size()) + " cells, expected " +
                       std::to_string(columns) + " (as in row 1)");
    }
    for (size_t c = 0; c < columns; ++c) {
      const std::string column =
          "column " + std::to_string(c + 1) + (header ? " '" + first[c] + "'" : std::string());
      double v = 0;
      const bool number = parse_number(row[c], &v);
      if (c == target) {
        labels.push_back(row[c]);
        if (number && !std::isfinite(v)) {
          throw InputError(line + ": " + column + ": the target is " + row[c]);
        }
        numeric_labels = numeric_labels && number;
        whole_labels = whole_labels && number && v == std::floor(v);
        continue;
      }
      if (!number) throw InputError(line + ": " + column + ": '" + row[c] + "' is not a number");
      if (!std::isfinite(v)) throw InputError(line + ": " + column + ": the value is " + row[c]);
      table.samples.x.push_back(v);
    }
  }
  if (labels.size() < 2) throw InputError(path + ": a CSV data set needs at least 2 data rows");
  if (spec.regression) {
    if (!numeric_labels) {
      for (size_t i = 0; i < labels.size(); ++i) {
        double v = 0;
        if (!parse_number(labels[i], &v)) {
          throw InputError(path + ":" + std::to_string(i + (header ? 2 : 1)) + ": column " +
                           std::to_string(target + 1) + ": the target '" + labels[i] +
                           "' is not a number (task: regression)");
        }
      }
    }
    for (const std::string& label : labels)
      table.samples.y.push_back(std::strtod(label.c_str(), nullptr));
    return table;
  }
  if (numeric_labels && !whole_labels) {
    throw InputError(path + ": target column " + std::to_string(target + 1) +
                     " holds fractions: say `task: regression` to fit it, or use class labels");
  }
  // Classes in sorted order of their values (numbers numerically, words alphabetically).
  std::map<double, int64_t> by_number;
  std::map<std::string, int64_t> by_word;
  for (const std::string& label : labels) {
    if (numeric_labels)
      by_number[std::strtod(label.c_str(), nullptr)] = 0;
    else
      by_word[label] = 0;
  }
  int64_t next = 0;
  for (auto& [value, index] : by_number) index = next++;
  for (auto& [value, index] : by_word) index = next++;
  table.classes = next;
  for (const std::string& label : labels) {
    table.samples.y.push_back(static_cast<double>(
        numeric_labels ? by_number[std::strtod(label.c_str(), nullptr)] : by_word[label]));
  }
  if (table.classes < 2) throw InputError(path + ": the target has only one class");
  return table;
}

}  // namespace

void resolve_csv(DatasetSpec& spec) {
  CsvTable table = read_csv(spec);
  spec.features = table.samples.features;
  spec.classes = table.classes;
  spec.sample_shape = {spec.features};
  spec.file_digests = {file_digest(spec.csv_path)};
  const int64_t n = table.samples.count();
  spec.train_count = n - test_share(n, spec.test_fraction);
}

DatasetRecord make_csv(const DatasetSpec& spec) {
  if (spec.file_digests.empty() || file_digest(spec.csv_path) != spec.file_digests[0]) {
    throw InputError(spec.csv_path + ": the file changed since the experiment was read");
  }
  CsvTable table = read_csv(spec);
  DatasetRecord data;
  split_samples(table.samples, spec.test_fraction, spec.seed, data);
  data.classes = table.classes;
  data.sample_shape = {table.samples.features};
  data.feature_names = table.names;
  return data;
}

}  // namespace trajtool
