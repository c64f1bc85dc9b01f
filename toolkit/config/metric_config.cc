#include "toolkit/config/metric_config.h"

#include <filesystem>

#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"
#include "toolkit/core/mapped_file.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

// A column name: text, not empty.
std::string column_name(const YAML::Node& node, const Where& where) {
  const std::string name = as_string(node, where);
  if (name.empty()) where.fail(node, "a column name must not be empty");
  return name;
}

MetricSeriesSpec parse_series(const YAML::Node& node, const Where& where) {
  MetricSeriesSpec s;
  if (node.IsScalar()) {  // `- loss` is short for `- {column: loss}`
    s.column = column_name(node, where);
    s.origin = where.locate(node);
    return s;
  }
  require_map(node, where, "column, columns, label, band, scale");
  check_keys(node, where, {"column", "columns", "label", "band", "scale"});
  s.origin = where.locate(node);
  if (node["column"].IsDefined() == node["columns"].IsDefined()) {
    where.fail(node, "give `column: NAME` or `columns: GLOB` (one of them)");
  }
  if (node["column"]) s.column = column_name(node["column"], where.at("column"));
  if (node["columns"]) s.pattern = column_name(node["columns"], where.at("columns"));
  if (node["label"]) s.label = as_string(node["label"], where.at("label"));
  if (node["scale"]) {
    s.scale = as_number(node["scale"], where.at("scale"));
    if (!(s.scale > 0)) where.at("scale").fail(node["scale"], "must be > 0");
  }
  if (const YAML::Node band = node["band"]) {
    const Where at = where.at("band");
    if (band.IsSequence() && band.size() == 2) {
      s.band_min = column_name(band[0], at.index(0));
      s.band_max = column_name(band[1], at.index(1));
    } else if (band.IsMap()) {
      check_keys(band, at, {"std"});
      if (!band["std"]) at.fail(band, "expected {std: COLUMN}");
      s.band_std = column_name(band["std"], at.at("std"));
    } else {
      at.fail(band, "expected [MIN_COLUMN, MAX_COLUMN] or {std: COLUMN}");
    }
  }
  return s;
}

MetricSmoothing parse_smoothing(const YAML::Node& node, const Where& where) {
  MetricSmoothing s;
  if (node.IsScalar() && node.Scalar() == "none") return s;
  require_map(node, where, "ema or window");
  check_keys(node, where, {"ema", "window"});
  if (node.size() != 1) where.fail(node, "give one of {ema: A} or {window: N}");
  if (node["ema"]) {
    s.kind = MetricSmoothing::Kind::kEma;
    s.ema = as_number(node["ema"], where.at("ema"));
    if (!(s.ema >= 0 && s.ema < 1)) where.at("ema").fail(node["ema"], "must be in [0, 1)");
  } else {
    s.kind = MetricSmoothing::Kind::kWindow;
    s.window = as_integer(node["window"], where.at("window"));
    if (s.window < 1 || s.window > 1000000) {
      where.at("window").fail(node["window"], "must be from 1 to 1000000");
    }
  }
  return s;
}

MetricSourceSpec parse_source(const YAML::Node& node, const Where& where) {
  require_map(node, where, "csv, step, series, smoothing, label");
  check_keys(node, where, {"csv", "step", "series", "smoothing", "label"});
  MetricSourceSpec source;
  source.origin = where.locate(node);
  if (!node["csv"]) where.fail(node, "missing `csv` (the log file, relative to this file)");
  const std::string given = as_string(node["csv"], where.at("csv"));
  fs::path path = given;
  if (path.is_relative()) path = fs::path(where.file).parent_path() / path;
  source.csv_path = path.lexically_normal().string();
  try {
    const MappedFile file(source.csv_path);
    source.csv_sha256 = sha256_hex(file.bytes());
    source.csv_bytes = static_cast<int64_t>(file.bytes().size());
    source.csv_mtime_ns = file.mtime_ns();
  } catch (const InputError& e) {
    where.at("csv").fail(node["csv"], e.what());
  }
  if (node["step"]) source.step_column = column_name(node["step"], where.at("step"));
  if (node["label"]) source.label = as_string(node["label"], where.at("label"));
  if (node["smoothing"])
    source.smoothing = parse_smoothing(node["smoothing"], where.at("smoothing"));
  const YAML::Node series = node["series"];
  if (!series || !series.IsSequence() || series.size() == 0) {
    where.at("series").fail(series ? series : node, "expected a list of one or more series");
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    source.series.push_back(parse_series(series[i], where.at("series").index(i)));
  }
  return source;
}

}  // namespace

std::vector<MetricSourceSpec> parse_metric_sources(const YAML::Node& list, const Where& where) {
  if (!list.IsSequence() || list.size() == 0) {
    where.fail(list, "expected a list of one or more logs ({csv: FILE, series: [...]})");
  }
  std::vector<MetricSourceSpec> sources;
  for (std::size_t i = 0; i < list.size(); ++i) {
    sources.push_back(parse_source(list[i], where.index(i)));
  }
  return sources;
}

}  // namespace trajtool
