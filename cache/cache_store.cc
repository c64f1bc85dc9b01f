#include "cache/cache_store.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <system_error>

#include "cache/atomic_file.h"
#include "cache/entry_io.h"
#include "cache/hdf5_file.h"

namespace trajtool {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::seconds kStaleTemporaryAge{60};

// Storage of trajectory arrays. Single runs are small: chunk + shuffle + deflate 4. Sweeps are
// large and barely compressible, and deflate would cost seconds: contiguous, uncompressed
// (figures in docs/cache-format.md).
constexpr int kDeflateLevel = 4;
constexpr int64_t kChunkBytes = 256 * 1024;
constexpr int64_t kCompressBelowBytes = 64 * 1024 * 1024;  // compress datasets up to this size

const char* kind_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::kTrajectory:
      return "trajectory";
    case EntryKind::kGrid:
      return "grid";
    case EntryKind::kModel:
      return "model";
    case EntryKind::kSeries:
      return "series";
    case EntryKind::kFormula:
      return "formula";
    case EntryKind::kDataset:
      return "dataset";
    case EntryKind::kMetrics:
      return "metrics";
    case EntryKind::kLandscape:
      return "landscape";
    case EntryKind::kInterpolation:
      return "interpolation";
    case EntryKind::kWalk:
      return "walk";
    case EntryKind::kAgent:
      return "agent";
  }
  return "?";
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

int64_t product(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::string shape_text(const std::vector<int64_t>& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

void check_key(const std::string& key) {
  const bool safe = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  });
  if (!safe) throw InputError("cache key '" + key + "' must be letters, digits, '_' or '-'");
}

// A write of inconsistent data is the caller's bug; say what does not fit.
void check_size(const std::string& key, const std::string& what, size_t actual, int64_t expected) {
  if (static_cast<int64_t>(actual) != expected) {
    throw RuntimeFailure("cannot write cache entry " + key + ": " + what + " has " +
                         std::to_string(actual) + " values, expected " + std::to_string(expected));
  }
}

void write_entry(const std::string& path, EntryKind kind, const EntryMeta& meta,
                 double wall_seconds, const std::function<void(H5Writer&, EntryChecksum&)>& fill) {
  fs::create_directories(fs::path(path).parent_path());
  TemporaryFile temporary{temporary_path(path)};
  {
    H5Writer writer(temporary.path);
    EntryChecksum checksum;
    fill(writer, checksum);
    writer.attribute("key", meta.key);
    writer.attribute("kind", kind_name(kind));
    writer.attribute("schema_version", int64_t{kCacheSchemaVersion});
    writer.attribute("config_json", meta.config_json);
    writer.attribute("label", meta.label);
    writer.attribute("trajtool_version",
                     meta.trajtool_version.empty() ? TRAJTOOL_VERSION : meta.trajtool_version);
    writer.attribute("torch_version", meta.torch_version);
    writer.attribute("created_utc", meta.created_utc.empty() ? utc_now() : meta.created_utc);
    writer.attribute("wall_seconds", meta.wall_seconds != 0 ? meta.wall_seconds : wall_seconds);
    writer.attribute("checksum", checksum.hex());
    writer.close();
  }
  commit_temporary(temporary.path, path);
  temporary.installed = true;
}

std::optional<OpenEntry> open_entry(const std::string& path, EntryKind kind,
                                    const std::string& key) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  OpenEntry entry{H5Reader(path), {}};
  const H5Reader& file = entry.file;
  const int64_t schema = file.int_attribute("schema_version");
  if (schema != kCacheSchemaVersion) {
    file.fail("schema_version is " + std::to_string(schema) + ", this trajtool reads " +
              std::to_string(kCacheSchemaVersion));
  }
  const std::string stored_kind = file.string_attribute("kind");
  if (stored_kind != kind_name(kind)) {
    file.fail("kind is '" + stored_kind + "', expected '" + kind_name(kind) + "'");
  }
  EntryMeta& meta = entry.meta;
  meta.key = file.string_attribute("key");
  if (meta.key != key) file.fail("key attribute '" + meta.key + "' does not match the file name");
  meta.schema_version = static_cast<int>(schema);
  meta.config_json = file.string_attribute("config_json");
  meta.label = file.string_attribute("label");
  meta.trajtool_version = file.string_attribute("trajtool_version");
  meta.torch_version = file.string_attribute("torch_version");
  meta.created_utc = file.string_attribute("created_utc");
  meta.wall_seconds = file.double_attribute("wall_seconds");
  meta.checksum = file.string_attribute("checksum");
  return entry;
}

void check_checksum(const OpenEntry& entry, const EntryChecksum& checksum) {
  const std::string actual = checksum.hex();
  if (actual != entry.meta.checksum) {
    entry.file.fail("checksum mismatch: the data hashes to " + actual + ", the file records " +
                    entry.meta.checksum);
  }
}

void expect_shape(const H5Reader& file, const std::string& name, const std::vector<int64_t>& dims,
                  const std::vector<int64_t>& expected) {
  if (dims != expected) {
    file.fail("dataset '" + name + "' has shape " + shape_text(dims) + ", expected " +
              shape_text(expected));
  }
}

std::vector<double> read_exact(const H5Reader& file, const std::string& name,
                               const std::vector<int64_t>& expected, bool float64,
                               EntryChecksum* checksum) {
  FloatArray array = file.read_floats(name, checksum);
  expect_shape(file, name, array.dims, expected);
  if (array.float64 != float64) {
    file.fail("dataset '" + name + "' is " + (array.float64 ? "float64" : "float32") +
              ", expected " + (float64 ? "float64" : "float32"));
  }
  return std::move(array.values);
}

std::vector<int64_t> read_ints_exact(const H5Reader& file, const std::string& name,
                                     const std::vector<int64_t>& expected,
                                     EntryChecksum* checksum) {
  std::vector<int64_t> dims;
  std::vector<int64_t> values = file.read_ints(name, &dims, checksum);
  expect_shape(file, name, dims, expected);
  return values;
}

StorageOptions compressed_storage(bool float64) { return {float64, kDeflateLevel, kChunkBytes}; }

std::string milestone_group(std::size_t k) { return "milestones/" + std::to_string(k); }

void set_meta(EntryMeta* out, const EntryMeta& meta) {
  if (out != nullptr) *out = meta;
}

const char* entry_kind_name(EntryKind kind) { return kind_name(kind); }

const char* entry_kind_folder(EntryKind kind) {
  switch (kind) {
    case EntryKind::kTrajectory:
      return "trajectories";
    case EntryKind::kGrid:
      return "grids";
    case EntryKind::kModel:
      return "models";
    case EntryKind::kSeries:
      return "series";
    case EntryKind::kFormula:
      return "formulas";
    case EntryKind::kDataset:
      return "datasets";
    case EntryKind::kMetrics:
      return "metrics";
    case EntryKind::kLandscape:
      return "landscapes";
    case EntryKind::kInterpolation:
      return "interpolations";
    case EntryKind::kAgent:
      return "agents";
    case EntryKind::kWalk:
      return "walks";
  }
  return "?";
}

CacheStore::CacheStore(std::string root)
    : root_(fs::absolute(fs::path(std::move(root))).lexically_normal().string()) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string CacheStore::entry_path(EntryKind kind, const std::string& key) const {
  return root_ + "/" + entry_kind_folder(kind) + "/" + key + ".h5";
}

bool CacheStore::contains(EntryKind kind, const std::string& key) const {
  std::error_code error;
  return fs::is_regular_file(entry_path(kind, key), error);
}

// ---------------------------------------------------------------------------------------------
// Trajectories

void CacheStore::write_trajectory(const EntryMeta& meta, const Trajectory& t, bool float64) const {
  check_key(meta.key);
  const bool sweep = t.batch > 0;
  const int64_t n = sweep ? t.batch : 1;
  if (t.rows < 1 || t.dim < 1 || t.batch < 0) {
    throw RuntimeFailure("cannot write cache entry " + meta.key + ": rows " +
                         std::to_string(t.rows) + ", dim " + std::to_string(t.dim) + ", batch " +
                         std::to_string(t.batch));
  }
  check_size(meta.key, "params", t.params.size(), n * t.rows * t.dim);
  check_size(meta.key, "loss", t.loss.size(), n * t.rows);
  check_size(meta.key, "grad", t.grad.size(), n * (t.rows - 1) * t.dim);
  if (sweep) check_size(meta.key, "diverged_at_each", t.diverged_at_each.size(), n);
  for (const StateSeries& s : t.state) {
    check_key(s.name);
    check_size(meta.key, "state " + s.name, s.values.size(),
               n * (t.rows - 1) * product(s.step_shape));
  }
  // Leading dimensions: [N] for a sweep, then the row count.
  auto shape = [&](int64_t rows, std::vector<int64_t> tail) {
    tail.insert(tail.begin(), rows);
    if (sweep) tail.insert(tail.begin(), t.batch);
    return tail;
  };
  write_entry(entry_path(EntryKind::kTrajectory, meta.key), EntryKind::kTrajectory, meta,
              t.wall_seconds, [&](H5Writer& w, EntryChecksum& checksum) {
                auto storage_for = [&](size_t count) {
                  StorageOptions storage;
                  storage.float64 = float64;
                  const auto bytes = static_cast<int64_t>(count * (float64 ? 8 : 4));
                  if (!sweep && bytes <= kCompressBelowBytes) {
                    storage.deflate_level = kDeflateLevel;
                    storage.chunk_bytes = kChunkBytes;
                  }
                  return storage;
                };
                w.write_floats("params", shape(t.rows, {t.dim}), t.params.data(),
                               storage_for(t.params.size()), &checksum);
                w.write_floats("loss", shape(t.rows, {}), t.loss.data(), storage_for(t.loss.size()),
                               &checksum);
                w.write_floats("grad", shape(t.rows - 1, {t.dim}), t.grad.data(),
                               storage_for(t.grad.size()), &checksum);
                w.create_group("state");
                for (const StateSeries& s : t.state) {
                  w.write_floats("state/" + s.name, shape(t.rows - 1, s.step_shape),
                                 s.values.data(), storage_for(s.values.size()), &checksum);
                }
                if (sweep) {
                  w.write_ints("diverged_at_each", {t.batch}, t.diverged_at_each.data(), &checksum);
                }
                w.attribute("dtype", float64 ? "float64" : "float32");
                w.attribute("batch", t.batch);
                w.attribute("rows", t.rows);
                w.attribute("dim", t.dim);
                w.attribute("diverged_at", t.diverged_at);
              });
}

namespace {

std::optional<Trajectory> read_trajectory_file(const std::string& file_path, const std::string& key,
                                               EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(file_path, EntryKind::kTrajectory, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  Trajectory t;
  t.batch = file.int_attribute("batch");
  t.rows = file.int_attribute("rows");
  t.dim = file.int_attribute("dim");
  t.diverged_at = file.int_attribute("diverged_at");
  t.wall_seconds = entry->meta.wall_seconds;
  const std::string dtype = file.string_attribute("dtype");
  if (dtype != "float32" && dtype != "float64") file.fail("dtype '" + dtype + "' is unknown");
  const bool float64 = dtype == "float64";
  if (t.batch < 0 || t.rows < 1 || t.dim < 1) {
    file.fail("batch " + std::to_string(t.batch) + ", rows " + std::to_string(t.rows) + ", dim " +
              std::to_string(t.dim) + " are not valid");
  }
  const bool sweep = t.batch > 0;
  auto shape = [&](int64_t rows, std::vector<int64_t> tail) {
    tail.insert(tail.begin(), rows);
    if (sweep) tail.insert(tail.begin(), t.batch);
    return tail;
  };
  EntryChecksum checksum;
  t.params = read_exact(file, "params", shape(t.rows, {t.dim}), float64, &checksum);
  t.loss = read_exact(file, "loss", shape(t.rows, {}), float64, &checksum);
  t.grad = read_exact(file, "grad", shape(t.rows - 1, {t.dim}), float64, &checksum);
  for (const std::string& name : file.group_members("state")) {
    const std::string path = "state/" + name;
    FloatArray array = file.read_floats(path, &checksum);
    const std::vector<int64_t> lead = shape(t.rows - 1, {});
    if (array.dims.size() < lead.size() ||
        !std::equal(lead.begin(), lead.end(), array.dims.begin())) {
      file.fail("dataset '" + path + "' has shape " + shape_text(array.dims) +
                ", expected it to start with " + shape_text(lead));
    }
    if (array.float64 != float64) file.fail("dataset '" + path + "' is not " + dtype);
    StateSeries series;
    series.name = name;
    series.step_shape.assign(array.dims.begin() + static_cast<std::ptrdiff_t>(lead.size()),
                             array.dims.end());
    series.values = std::move(array.values);
    t.state.push_back(std::move(series));
  }
  if (sweep) {
    std::vector<int64_t> dims;
    t.diverged_at_each = file.read_ints("diverged_at_each", &dims, &checksum);
    expect_shape(file, "diverged_at_each", dims, {t.batch});
  } else if (file.has("diverged_at_each")) {
    file.fail("a single run has a dataset 'diverged_at_each'");
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return t;
}

}  // namespace

std::optional<Trajectory> CacheStore::read_trajectory(const std::string& key,
                                                      EntryMeta* meta) const {
  return read_trajectory_file(entry_path(EntryKind::kTrajectory, key), key, meta);
}

// ---------------------------------------------------------------------------------------------
// Grids, models, series

void CacheStore::write_grid(const EntryMeta& meta, const LossGrid& g) const {
  check_key(meta.key);
  check_size(meta.key, "grid values", g.values.size(), g.nx * g.ny);
  write_entry(entry_path(EntryKind::kGrid, meta.key), EntryKind::kGrid, meta, 0,
              [&](H5Writer& w, EntryChecksum& checksum) {
                // Uncompressed: a smooth loss surface deflates poorly, and decompressing 2 MB cost
                // ~25 ms of every cache-hit `generate` (measured); contiguous reads take ~1 ms.
                StorageOptions storage;
                w.write_floats("loss", {g.ny, g.nx}, g.values.data(), storage, &checksum);
                w.attribute("x_min", g.x_min);
                w.attribute("x_max", g.x_max);
                w.attribute("y_min", g.y_min);
                w.attribute("y_max", g.y_max);
                w.attribute("nx", g.nx);
                w.attribute("ny", g.ny);
              });
}

namespace {

std::optional<LossGrid> read_grid_file(const std::string& file_path, const std::string& key,
                                       EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(file_path, EntryKind::kGrid, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  LossGrid g;
  g.x_min = file.double_attribute("x_min");
  g.x_max = file.double_attribute("x_max");
  g.y_min = file.double_attribute("y_min");
  g.y_max = file.double_attribute("y_max");
  g.nx = file.int_attribute("nx");
  g.ny = file.int_attribute("ny");
  EntryChecksum checksum;
  g.values = read_exact(file, "loss", {g.ny, g.nx}, true, &checksum);
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return g;
}

}  // namespace

std::optional<LossGrid> CacheStore::read_grid(const std::string& key, EntryMeta* meta) const {
  return read_grid_file(entry_path(EntryKind::kGrid, key), key, meta);
}

void CacheStore::write_series(const EntryMeta& meta, const EmaRecord& e) const {
  check_key(meta.key);
  const auto n = static_cast<int64_t>(e.signal.size());
  const auto k = static_cast<int64_t>(e.betas.size());
  check_size(meta.key, "clean", e.clean.size(), n);
  check_size(meta.key, "ema series", e.ema.size(), k);
  std::vector<double> ema;
  ema.reserve(static_cast<size_t>(k * n));
  for (const std::vector<double>& series : e.ema) {
    check_size(meta.key, "an ema series", series.size(), n);
    ema.insert(ema.end(), series.begin(), series.end());
  }
  write_entry(entry_path(EntryKind::kSeries, meta.key), EntryKind::kSeries, meta, 0,
              [&](H5Writer& w, EntryChecksum& checksum) {
                StorageOptions storage;
                w.write_floats("clean", {n}, e.clean.data(), storage, &checksum);
                w.write_floats("signal", {n}, e.signal.data(), storage, &checksum);
                w.write_floats("betas", {k}, e.betas.data(), storage, &checksum);
                w.write_floats("ema", {k, n}, ema.data(), storage, &checksum);
              });
}

namespace {

std::optional<EmaRecord> read_series_file(const std::string& file_path, const std::string& key,
                                          EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(file_path, EntryKind::kSeries, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  EntryChecksum checksum;
  EmaRecord e;
  FloatArray signal = file.read_floats("signal", &checksum);
  FloatArray betas = file.read_floats("betas", &checksum);
  if (signal.dims.size() != 1 || betas.dims.size() != 1) {
    file.fail("datasets 'signal' and 'betas' must be one-dimensional");
  }
  const int64_t n = signal.dims[0];
  const int64_t k = betas.dims[0];
  e.signal = std::move(signal.values);
  e.betas = std::move(betas.values);
  e.clean = read_exact(file, "clean", {n}, true, &checksum);
  const std::vector<double> ema = read_exact(file, "ema", {k, n}, true, &checksum);
  if (!signal.float64 || !betas.float64) file.fail("series datasets must be float64");
  for (int64_t i = 0; i < k; ++i) {
    e.ema.emplace_back(ema.begin() + i * n, ema.begin() + (i + 1) * n);
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return e;
}

}  // namespace

std::optional<EmaRecord> CacheStore::read_series(const std::string& key, EntryMeta* meta) const {
  return read_series_file(entry_path(EntryKind::kSeries, key), key, meta);
}

void CacheStore::write_formula(const EntryMeta& meta, const FormulaOutline& f) const {
  check_key(meta.key);
  int64_t point_count = 0;
  for (int64_t op : f.ops) {
    if (op < 0 || op > 3) throw RuntimeFailure("cannot write cache entry " + meta.key + ": bad op");
    point_count += op == 2 ? 3 : op == 3 ? 0 : 1;
  }
  check_size(meta.key, "outline points", f.points.size(), 2 * point_count);
  check_size(meta.key, "piece colours", f.piece_rgba.size(), 4 * f.piece_count());
  write_entry(
      entry_path(EntryKind::kFormula, meta.key), EntryKind::kFormula, meta, 0,
      [&](H5Writer& w, EntryChecksum& checksum) {
        StorageOptions storage;
        w.write_ints("ops", {static_cast<int64_t>(f.ops.size())}, f.ops.data(), &checksum);
        w.write_floats("points", {point_count, 2}, f.points.data(), storage, &checksum);
        w.write_ints("piece_start", {f.piece_count()}, f.piece_start.data(), &checksum);
        w.write_floats("piece_rgba", {f.piece_count(), 4}, f.piece_rgba.data(), storage, &checksum);
        w.attribute("width_bp", f.width);
        w.attribute("height_bp", f.height);
        w.attribute("depth_bp", f.depth);
      });
}

namespace {

std::optional<FormulaOutline> read_formula_file(const std::string& file_path,
                                                const std::string& key, EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(file_path, EntryKind::kFormula, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  FormulaOutline f;
  f.width = file.double_attribute("width_bp");
  f.height = file.double_attribute("height_bp");
  f.depth = file.double_attribute("depth_bp");
  EntryChecksum checksum;
  std::vector<int64_t> dims;
  f.ops = file.read_ints("ops", &dims, &checksum);
  if (dims.size() != 1) file.fail("dataset 'ops' must be one-dimensional");
  int64_t point_count = 0;
  for (int64_t op : f.ops) {
    if (op < 0 || op > 3) file.fail("dataset 'ops' holds " + std::to_string(op) + ", not 0..3");
    point_count += op == 2 ? 3 : op == 3 ? 0 : 1;
  }
  f.points = read_exact(file, "points", {point_count, 2}, true, &checksum);
  f.piece_start = file.read_ints("piece_start", &dims, &checksum);
  expect_shape(file, "piece_start", dims, {f.piece_count()});
  for (size_t i = 0; i < f.piece_start.size(); ++i) {
    const int64_t start = f.piece_start[i];
    const int64_t floor = i == 0 ? 0 : f.piece_start[i - 1];
    if (start < floor || start > static_cast<int64_t>(f.ops.size())) {
      file.fail("dataset 'piece_start' is not an increasing list of op indices");
    }
  }
  f.piece_rgba = read_exact(file, "piece_rgba", {f.piece_count(), 4}, true, &checksum);
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return f;
}

}  // namespace

std::optional<FormulaOutline> CacheStore::read_formula(const std::string& key,
                                                       EntryMeta* meta) const {
  return read_formula_file(entry_path(EntryKind::kFormula, key), key, meta);
}

// ---------------------------------------------------------------------------------------------
// Imported training logs: series/<i>/{step, value[, smoothed][, band_low, band_high]}

void CacheStore::write_metrics(const EntryMeta& meta, const MetricLog& log) const {
  check_key(meta.key);
  std::vector<std::string> columns;
  std::vector<double> items;
  bool smoothed = false;
  for (const MetricSeries& series : log.series) {
    const auto n = static_cast<int64_t>(series.step.size());
    check_size(meta.key, "value of " + series.column, series.value.size(), n);
    check_size(meta.key, "smoothed " + series.column, series.smoothed.size(), n);
    if (!series.band_low.empty() || !series.band_high.empty()) {
      check_size(meta.key, "band_low of " + series.column, series.band_low.size(), n);
      check_size(meta.key, "band_high of " + series.column, series.band_high.size(), n);
    }
    columns.push_back(series.column);
    items.push_back(static_cast<double>(series.item));
    smoothed |= series.smoothed != series.value;
  }
  write_entry(
      entry_path(EntryKind::kMetrics, meta.key), EntryKind::kMetrics, meta, 0,
      [&](H5Writer& w, EntryChecksum& checksum) {
        // Uncompressed: a million-row log is written and read in a fraction of a second.
        StorageOptions storage;
        w.write_floats("item", {static_cast<int64_t>(items.size())}, items.data(), storage,
                       &checksum);
        w.create_group("series");
        for (std::size_t i = 0; i < log.series.size(); ++i) {
          const MetricSeries& series = log.series[i];
          const std::string group = "series/" + std::to_string(i);
          const std::vector<int64_t> dims = {static_cast<int64_t>(series.step.size())};
          w.create_group(group);
          w.write_floats(group + "/step", dims, series.step.data(), storage, &checksum);
          w.write_floats(group + "/value", dims, series.value.data(), storage, &checksum);
          if (smoothed) {
            w.write_floats(group + "/smoothed", dims, series.smoothed.data(), storage, &checksum);
          }
          if (!series.band_low.empty()) {
            w.write_floats(group + "/band_low", dims, series.band_low.data(), storage, &checksum);
            w.write_floats(group + "/band_high", dims, series.band_high.data(), storage, &checksum);
          }
        }
        w.attribute("columns", columns);
        w.attribute("step_column", log.step_column);
        w.attribute("rows", log.rows);
        w.attribute("smoothed", int64_t{smoothed ? 1 : 0});
      });
}

namespace {

std::optional<MetricLog> read_metrics_file(const std::string& file_path, const std::string& key,
                                           EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(file_path, EntryKind::kMetrics, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  MetricLog log;
  log.step_column = file.string_attribute("step_column");
  log.rows = file.int_attribute("rows");
  const bool smoothed = file.int_attribute("smoothed") != 0;
  const std::vector<std::string> columns = file.has_attribute("columns")
                                               ? file.strings_attribute("columns")
                                               : std::vector<std::string>{};
  EntryChecksum checksum;
  const auto k = static_cast<int64_t>(columns.size());
  const std::vector<double> items = read_exact(file, "item", {k}, true, &checksum);
  const std::vector<std::string> groups = file.group_members("series");
  if (static_cast<int64_t>(groups.size()) != k) {
    file.fail("group 'series' has " + std::to_string(groups.size()) + " members, 'columns' names " +
              std::to_string(k));
  }
  for (int64_t i = 0; i < k; ++i) {
    const std::string group = "series/" + std::to_string(i);
    MetricSeries series;
    series.column = columns[static_cast<std::size_t>(i)];
    series.item = static_cast<int64_t>(items[static_cast<std::size_t>(i)]);
    FloatArray step = file.read_floats(group + "/step", &checksum);
    if (step.dims.size() != 1 || !step.float64) file.fail(group + "/step is not float64 [n]");
    const std::vector<int64_t> dims = step.dims;
    series.step = std::move(step.values);
    series.value = read_exact(file, group + "/value", dims, true, &checksum);
    series.smoothed =
        smoothed ? read_exact(file, group + "/smoothed", dims, true, &checksum) : series.value;
    if (file.has(group + "/band_low")) {
      series.band_low = read_exact(file, group + "/band_low", dims, true, &checksum);
      series.band_high = read_exact(file, group + "/band_high", dims, true, &checksum);
    }
    log.series.push_back(std::move(series));
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return log;
}

}  // namespace

std::optional<MetricLog> CacheStore::read_metrics(const std::string& key, EntryMeta* meta) const {
  return read_metrics_file(entry_path(EntryKind::kMetrics, key), key, meta);
}

// ---------------------------------------------------------------------------------------------
// Whole-cache operations

void CacheStore::verify(EntryKind kind, const std::string& key) const {
  const std::string path = entry_path(kind, key);
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw RuntimeFailure(path + ": no such cache entry");
  verify_file(kind, path, key);
}

EntryMeta CacheStore::verify_file(EntryKind kind, const std::string& path,
                                  const std::string& key) const {
  EntryMeta meta;
  bool found = false;
  switch (kind) {
    case EntryKind::kTrajectory:
      found = read_trajectory_file(path, key, &meta).has_value();
      break;
    case EntryKind::kGrid:
      found = read_grid_file(path, key, &meta).has_value();
      break;
    case EntryKind::kModel:
      found = read_training_file(path, key, &meta).has_value();
      break;
    case EntryKind::kDataset:
      found = read_dataset_file(path, key, &meta).has_value();
      break;
    case EntryKind::kSeries:
      found = read_series_file(path, key, &meta).has_value();
      break;
    case EntryKind::kFormula:
      found = read_formula_file(path, key, &meta).has_value();
      break;
    case EntryKind::kMetrics:
      found = read_metrics_file(path, key, &meta).has_value();
      break;
    case EntryKind::kLandscape:
      found = read_landscape_file(path, key, &meta).has_value();
      break;
    case EntryKind::kInterpolation:
      found = read_interpolation_file(path, key, &meta).has_value();
      break;
    case EntryKind::kWalk:
      found = read_walk_file(path, key, &meta).has_value();
      break;
    case EntryKind::kAgent:
      found = read_agent_file(path, key, &meta).has_value();
      break;
  }
  if (!found) throw RuntimeFailure(path + ": no such file");
  return meta;
}

std::string CacheStore::new_temporary(EntryKind kind, const std::string& key) const {
  check_key(key);
  const std::string path = entry_path(kind, key);
  fs::create_directories(fs::path(path).parent_path());
  return temporary_path(path);
}

bool CacheStore::install_if_absent(EntryKind kind, const std::string& key,
                                   const std::string& temporary) const {
  check_key(key);
  return commit_temporary_if_absent(temporary, entry_path(kind, key));
}

void CacheStore::install_replacing(EntryKind kind, const std::string& key,
                                   const std::string& temporary) const {
  check_key(key);
  commit_temporary(temporary, entry_path(kind, key));
}

EntryMeta CacheStore::read_meta(EntryKind kind, const std::string& key) const {
  std::optional<OpenEntry> entry = open_entry(entry_path(kind, key), kind, key);
  if (!entry) throw RuntimeFailure(entry_path(kind, key) + ": no such cache entry");
  return entry->meta;
}

std::vector<EntryListing> CacheStore::list() const {
  std::vector<EntryListing> entries;
  for (EntryKind kind : kAllKinds) {
    const fs::path folder = fs::path(root_) / entry_kind_folder(kind);
    std::error_code error;
    std::vector<EntryListing> found;
    for (const fs::directory_entry& file : fs::directory_iterator(folder, error)) {
      const fs::path& path = file.path();
      if (path.extension() != ".h5" || !file.is_regular_file(error)) continue;
      EntryListing listing{kind, path.stem().string(), path.string(), 0};
      listing.bytes = static_cast<int64_t>(file.file_size(error));
      found.push_back(listing);
    }
    std::sort(found.begin(), found.end(),
              [](const EntryListing& a, const EntryListing& b) { return a.key < b.key; });
    entries.insert(entries.end(), found.begin(), found.end());
  }
  return entries;
}

bool CacheStore::remove(EntryKind kind, const std::string& key) const {
  check_key(key);
  std::error_code error;
  const bool removed = fs::remove(entry_path(kind, key), error);
  if (error) throw RuntimeFailure(entry_path(kind, key) + ": cannot remove: " + error.message());
  return removed;
}

int CacheStore::remove_stale_temporaries() const {
  int removed = 0;
  for (EntryKind kind : kAllKinds) {
    std::error_code error;
    for (const fs::directory_entry& file :
         fs::directory_iterator(fs::path(root_) / entry_kind_folder(kind), error)) {
      if (is_temporary(file.path()) && is_stale_temporary(file.path(), kStaleTemporaryAge)) {
        std::error_code ignored;
        if (fs::remove(file.path(), ignored)) ++removed;
      }
    }
  }
  return removed;
}

std::string default_cache_root() {
  const char* env = std::getenv("TRAJTOOL_CACHE");
  const fs::path root =
      env != nullptr && *env != '\0' ? fs::path(env) : fs::current_path() / ".cache";
  return fs::absolute(root).lexically_normal().string();
}

}  // namespace trajtool
