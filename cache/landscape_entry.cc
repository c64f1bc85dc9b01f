// The layouts of landscape entries and interpolation entries (docs/cache-format.md, "Landscape
// files" and "Interpolation files"), as CacheStore's writers and readers.
#include <algorithm>
#include <string>

#include "cache/cache_store.h"
#include "cache/entry_io.h"
#include "cache/hdf5_file.h"

namespace trajtool {
namespace {

const StorageOptions kFloat64Storage{true, 0, 0};

// A run label as an HDF5 link name: '/' would open a group.
std::string link_name(std::string label) {
  std::replace(label.begin(), label.end(), '/', '_');
  if (label.empty() || label == ".") label = "_";
  return label;
}

void write_tensors(H5Writer& w, const std::string& group, const std::vector<NamedTensor>& tensors,
                   const std::string& key, EntryChecksum& checksum) {
  w.create_group(group);
  for (const NamedTensor& t : tensors) {
    check_size(key, group + "/" + t.name, t.values.size(), product(t.shape));
    w.write_floats(group + "/" + t.name, t.shape, t.values.data(), kFloat64Storage, &checksum);
  }
}

std::vector<NamedTensor> read_tensors(const H5Reader& file, const std::string& group,
                                      const std::vector<std::string>& names,
                                      EntryChecksum& checksum) {
  std::vector<NamedTensor> out;
  for (const std::string& name : names) {
    FloatArray a = file.read_floats(group + "/" + name, &checksum);
    out.push_back({name, a.dims, std::move(a.values)});
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Landscapes

void CacheStore::write_landscape(const EntryMeta& meta, const LandscapeRecord& r) const {
  check_key(meta.key);
  const int64_t nx = static_cast<int64_t>(r.x.size()), ny = static_cast<int64_t>(r.y.size());
  check_size(meta.key, "loss", r.loss.values.size(), nx * ny);
  check_size(meta.key, "accuracy", r.accuracy.size(), nx * ny);
  if (r.loss.nx != nx || r.loss.ny != ny) {
    throw RuntimeFailure("cannot write cache entry " + meta.key +
                         ": the loss grid is not nx by ny");
  }
  check_size(meta.key, "direction_x", r.direction_x.size(), static_cast<int64_t>(r.center.size()));
  check_size(meta.key, "direction_y", r.direction_y.size(), static_cast<int64_t>(r.center.size()));
  write_entry(
      entry_path(EntryKind::kLandscape, meta.key), EntryKind::kLandscape, meta, r.wall_seconds,
      [&](H5Writer& w, EntryChecksum& checksum) {
        w.write_floats("x", {nx}, r.x.data(), kFloat64Storage, &checksum);
        w.write_floats("y", {ny}, r.y.data(), kFloat64Storage, &checksum);
        w.write_floats("loss", {ny, nx}, r.loss.values.data(), kFloat64Storage, &checksum);
        w.write_floats("accuracy", {ny, nx}, r.accuracy.data(), kFloat64Storage, &checksum);
        write_tensors(w, "center", r.center, meta.key, checksum);
        w.create_group("directions");
        write_tensors(w, "directions/x", r.direction_x, meta.key, checksum);
        write_tensors(w, "directions/y", r.direction_y, meta.key, checksum);
        if (!r.explained_variance.empty()) {
          w.write_floats("explained_variance", {2}, r.explained_variance.data(), kFloat64Storage,
                         &checksum);
        }
        for (const char* group :
             {"projected", "projected_loss", "checkpoint_loss", "checkpoint_step", "residual"}) {
          w.create_group(group);
        }
        std::vector<std::string> labels;
        for (const ProjectedRun& p : r.projected) {
          const int64_t n = static_cast<int64_t>(p.step.size());
          check_size(meta.key, "projected " + p.label, p.xy.size(), 2 * n);
          check_size(meta.key, "projected_loss " + p.label, p.projected_loss.size(), n);
          check_size(meta.key, "checkpoint_loss " + p.label, p.checkpoint_loss.size(), n);
          check_size(meta.key, "residual " + p.label, p.residual.size(), n);
          const std::string name = link_name(p.label);
          labels.push_back(p.label);
          w.write_floats("projected/" + name, {n, 2}, p.xy.data(), kFloat64Storage, &checksum);
          w.write_floats("projected_loss/" + name, {n}, p.projected_loss.data(), kFloat64Storage,
                         &checksum);
          w.write_floats("checkpoint_loss/" + name, {n}, p.checkpoint_loss.data(), kFloat64Storage,
                         &checksum);
          w.write_ints("checkpoint_step/" + name, {n}, p.step.data(), &checksum);
          w.write_floats("residual/" + name, {n}, p.residual.data(), kFloat64Storage, &checksum);
        }
        std::vector<std::string> names;
        for (const NamedTensor& t : r.center) names.push_back(t.name);
        w.attribute("parameter_names", names);
        w.attribute("runs", labels);
        w.attribute("directions", r.directions);
        w.attribute("center_run", r.center_run);
        w.attribute("center_at", r.center_at);
        w.attribute("data", r.data);
        w.attribute("samples", r.samples);
        w.attribute("center_loss", r.center_loss);
        w.attribute("x_min", r.loss.x_min);
        w.attribute("x_max", r.loss.x_max);
        w.attribute("y_min", r.loss.y_min);
        w.attribute("y_max", r.loss.y_max);
        w.attribute("nx", nx);
        w.attribute("ny", ny);
      });
}

std::optional<LandscapeRecord> read_landscape_file(const std::string& path, const std::string& key,
                                                   EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kLandscape, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  LandscapeRecord r;
  const int64_t nx = file.int_attribute("nx"), ny = file.int_attribute("ny");
  if (nx < 2 || ny < 2) file.fail("the grid needs at least 2 x 2 points");
  EntryChecksum checksum;
  r.x = read_exact(file, "x", {nx}, true, &checksum);
  r.y = read_exact(file, "y", {ny}, true, &checksum);
  r.loss.values = read_exact(file, "loss", {ny, nx}, true, &checksum);
  r.accuracy = read_exact(file, "accuracy", {ny, nx}, true, &checksum);
  r.loss.nx = nx;
  r.loss.ny = ny;
  r.loss.x_min = file.double_attribute("x_min");
  r.loss.x_max = file.double_attribute("x_max");
  r.loss.y_min = file.double_attribute("y_min");
  r.loss.y_max = file.double_attribute("y_max");
  const std::vector<std::string> names = file.strings_attribute("parameter_names");
  r.center = read_tensors(file, "center", names, checksum);
  r.direction_x = read_tensors(file, "directions/x", names, checksum);
  r.direction_y = read_tensors(file, "directions/y", names, checksum);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (r.direction_x[i].shape != r.center[i].shape ||
        r.direction_y[i].shape != r.center[i].shape) {
      file.fail("direction " + names[i] + " does not have the center's shape");
    }
  }
  if (file.has("explained_variance")) {
    r.explained_variance = read_exact(file, "explained_variance", {2}, true, &checksum);
  }
  for (const std::string& label : file.strings_attribute("runs")) {
    ProjectedRun p;
    p.label = label;
    const std::string name = link_name(label);
    std::vector<int64_t> dims;
    p.step = file.read_ints("checkpoint_step/" + name, &dims, &checksum);
    const int64_t n = static_cast<int64_t>(p.step.size());
    expect_shape(file, "checkpoint_step/" + name, dims, {n});
    p.xy = read_exact(file, "projected/" + name, {n, 2}, true, &checksum);
    p.projected_loss = read_exact(file, "projected_loss/" + name, {n}, true, &checksum);
    p.checkpoint_loss = read_exact(file, "checkpoint_loss/" + name, {n}, true, &checksum);
    p.residual = read_exact(file, "residual/" + name, {n}, true, &checksum);
    r.projected.push_back(std::move(p));
  }
  r.directions = file.string_attribute("directions");
  r.center_run = file.string_attribute("center_run");
  r.center_at = file.string_attribute("center_at");
  r.data = file.string_attribute("data");
  r.samples = file.int_attribute("samples");
  r.center_loss = file.double_attribute("center_loss");
  r.wall_seconds = entry->meta.wall_seconds;
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return r;
}

std::optional<LandscapeRecord> CacheStore::read_landscape(const std::string& key,
                                                          EntryMeta* meta) const {
  return read_landscape_file(entry_path(EntryKind::kLandscape, key), key, meta);
}

// ---------------------------------------------------------------------------------------------
// Interpolations

void CacheStore::write_interpolation(const EntryMeta& meta, const InterpolationRecord& r) const {
  check_key(meta.key);
  const int64_t n = static_cast<int64_t>(r.alpha.size());
  check_size(meta.key, "loss", r.loss.size(), n);
  check_size(meta.key, "accuracy", r.accuracy.size(), n);
  write_entry(entry_path(EntryKind::kInterpolation, meta.key), EntryKind::kInterpolation, meta,
              r.wall_seconds, [&](H5Writer& w, EntryChecksum& checksum) {
                w.write_floats("alpha", {n}, r.alpha.data(), kFloat64Storage, &checksum);
                w.write_floats("loss", {n}, r.loss.data(), kFloat64Storage, &checksum);
                w.write_floats("accuracy", {n}, r.accuracy.data(), kFloat64Storage, &checksum);
                w.attribute("run", r.run);
                w.attribute("from", r.from);
                w.attribute("to", r.to);
                w.attribute("data", r.data);
                w.attribute("samples", r.samples);
              });
}

std::optional<InterpolationRecord> read_interpolation_file(const std::string& path,
                                                           const std::string& key,
                                                           EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kInterpolation, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  InterpolationRecord r;
  EntryChecksum checksum;
  FloatArray alpha = file.read_floats("alpha", &checksum);
  if (alpha.dims.size() != 1 || alpha.dims[0] < 2) file.fail("alpha needs at least 2 values");
  const int64_t n = alpha.dims[0];
  r.alpha = std::move(alpha.values);
  r.loss = read_exact(file, "loss", {n}, true, &checksum);
  r.accuracy = read_exact(file, "accuracy", {n}, true, &checksum);
  r.run = file.string_attribute("run");
  r.from = file.string_attribute("from");
  r.to = file.string_attribute("to");
  r.data = file.string_attribute("data");
  r.samples = file.int_attribute("samples");
  r.wall_seconds = entry->meta.wall_seconds;
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return r;
}

std::optional<InterpolationRecord> CacheStore::read_interpolation(const std::string& key,
                                                                  EntryMeta* meta) const {
  return read_interpolation_file(entry_path(EntryKind::kInterpolation, key), key, meta);
}

}  // namespace trajtool
