// The layout of walk entries (docs/cache-format.md, "Walk files"), as CacheStore's writer and
// reader: per milestone k (in the configured order) milestones/<k>/ with the checkpoint's step,
// the walk's inputs, every module's output, the class probabilities and predictions, and for 2D
// data the checkpoint's decision-region probabilities over the grid.
#include <string>

#include "cache/cache_store.h"
#include "cache/entry_io.h"
#include "cache/hdf5_file.h"

namespace trajtool {
namespace {

int64_t count(std::size_t n) { return static_cast<int64_t>(n); }

}  // namespace

void CacheStore::write_walk(const EntryMeta& meta, const WalkRecord& r) const {
  check_key(meta.key);
  check_size(meta.key, "layer_kinds", r.layer_kinds.size(), count(r.layer_names.size()));
  const bool float64 = r.dtype == DType::kFloat64;
  const bool images = r.source == "images";
  const int64_t grid_points = r.boundary_nx * r.boundary_ny;
  write_entry(
      entry_path(EntryKind::kWalk, meta.key), EntryKind::kWalk, meta, r.wall_seconds,
      [&](H5Writer& w, EntryChecksum& checksum) {
        int64_t points = 0, features = 0, classes = 0;
        if (!r.milestones.empty()) {
          points = r.milestones[0].walk.points;
          features = r.milestones[0].walk.features;
          classes = r.milestones[0].walk.classes;
        }
        check_size(meta.key, "class_names", r.class_names.size(), classes);
        if (images) {
          check_size(meta.key, "indices", r.indices.size(), points);
          w.write_ints("indices", {points}, r.indices.data(), &checksum);
        } else {
          w.write_floats("waypoints", {count(r.waypoints.size() / 2), 2}, r.waypoints.data(),
                         compressed_storage(true), &checksum);
        }
        std::vector<double> fractions;
        std::vector<int64_t> steps;
        for (const WalkMilestone& m : r.milestones) {
          fractions.push_back(m.fraction);
          steps.push_back(m.step);
        }
        const std::vector<int64_t> milestones{count(r.milestones.size())};
        w.write_floats("milestone_fraction", milestones, fractions.data(), compressed_storage(true),
                       &checksum);
        w.write_ints("milestone_step", milestones, steps.data(), &checksum);
        w.create_group("milestones");
        for (std::size_t k = 0; k < r.milestones.size(); ++k) {
          const WalkMilestone& m = r.milestones[k];
          const WalkFrames& f = m.walk;
          const std::string g = milestone_group(k);
          if (f.points != points || f.features != features || f.classes != classes) {
            throw RuntimeFailure("cannot write cache entry " + meta.key + ": " + g +
                                 " walks other points than milestone 0");
          }
          check_size(meta.key, g + " input", f.input.size(), points * features);
          check_size(meta.key, g + " class_probs", f.class_probs.size(), points * classes);
          check_size(meta.key, g + " predicted", f.predicted.size(), points);
          check_size(meta.key, g + " activations", f.activations.size(),
                     count(r.layer_names.size()));
          check_size(meta.key, g + " boundary", m.boundary.size(), grid_points * classes);
          w.create_group(g);
          w.write_ints(g + "/step", {}, &m.step, &checksum);
          w.write_floats(g + "/fraction", {}, &m.fraction, StorageOptions{true, 0, 0}, &checksum);
          w.create_group(g + "/walk");
          w.write_floats(g + "/walk/input", {points, features}, f.input.data(),
                         compressed_storage(float64), &checksum);
          w.create_group(g + "/walk/activations");
          for (std::size_t l = 0; l < f.activations.size(); ++l) {
            const NamedTensor& a = f.activations[l];
            check_size(meta.key, g + " " + a.name, a.values.size(), product(a.shape));
            w.write_floats(g + "/walk/activations/" + r.layer_names[l], a.shape, a.values.data(),
                           compressed_storage(float64), &checksum);
          }
          w.write_floats(g + "/walk/class_probs", {points, classes}, f.class_probs.data(),
                         compressed_storage(float64), &checksum);
          w.write_ints(g + "/walk/predicted", {points}, f.predicted.data(), &checksum);
          if (images) {
            check_size(meta.key, g + " label", f.label.size(), points);
            w.write_ints(g + "/walk/label", {points}, f.label.data(), &checksum);
          }
          if (grid_points > 0) {
            w.write_floats(g + "/boundary", {r.boundary_ny, r.boundary_nx, classes},
                           m.boundary.data(), compressed_storage(true), &checksum);
          }
        }
        w.attribute("layout_version", int64_t{kWalkLayoutVersion});
        w.attribute("run", r.run);
        w.attribute("source", r.source);
        w.attribute("data", r.data);
        w.attribute("dtype", dtype_name(r.dtype));
        w.attribute("layer_names", r.layer_names);
        w.attribute("layer_kinds", r.layer_kinds);
        w.attribute("class_names", r.class_names);
        w.attribute("feature_names", r.feature_names);
        w.int_list_attribute("sample_shape", r.sample_shape);
        w.attribute("points", points);
        w.attribute("features", features);
        w.attribute("classes", classes);
        w.attribute("boundary_nx", r.boundary_nx);
        w.attribute("boundary_ny", r.boundary_ny);
        w.attribute("boundary_x_min", r.boundary_grid.x_min);
        w.attribute("boundary_x_max", r.boundary_grid.x_max);
        w.attribute("boundary_y_min", r.boundary_grid.y_min);
        w.attribute("boundary_y_max", r.boundary_grid.y_max);
      });
}

std::optional<WalkRecord> read_walk_file(const std::string& path, const std::string& key,
                                         EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kWalk, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  const int64_t version = file.int_attribute("layout_version");
  if (version != kWalkLayoutVersion) {
    file.fail("layout_version is " + std::to_string(version) + ", this trajtool reads " +
              std::to_string(kWalkLayoutVersion));
  }
  WalkRecord r;
  EntryChecksum checksum;
  r.run = file.string_attribute("run");
  r.source = file.string_attribute("source");
  if (r.source != "path" && r.source != "images") file.fail("source must be path or images");
  const bool images = r.source == "images";
  r.data = file.string_attribute("data");
  const std::string dtype = file.string_attribute("dtype");
  if (dtype != "float32" && dtype != "float64") file.fail("dtype must be float32 or float64");
  r.dtype = dtype == "float64" ? DType::kFloat64 : DType::kFloat32;
  const bool float64 = r.dtype == DType::kFloat64;
  r.layer_names = file.strings_attribute("layer_names");
  r.layer_kinds = file.strings_attribute("layer_kinds");
  if (r.layer_names.size() != r.layer_kinds.size() || r.layer_names.empty()) {
    file.fail("layer_names and layer_kinds must be as many, at least one");
  }
  r.class_names = file.strings_attribute("class_names");
  r.feature_names = file.strings_attribute("feature_names");
  r.sample_shape = file.int_list_attribute("sample_shape");
  const int64_t points = file.int_attribute("points");
  const int64_t features = file.int_attribute("features");
  const int64_t classes = file.int_attribute("classes");
  if (points < 1 || features < 1 || classes < 2) file.fail("points, features or classes invalid");
  if (count(r.class_names.size()) != classes) file.fail("class_names must be one per class");
  r.boundary_nx = file.int_attribute("boundary_nx");
  r.boundary_ny = file.int_attribute("boundary_ny");
  r.boundary_grid = {
      file.double_attribute("boundary_x_min"), file.double_attribute("boundary_x_max"),
      file.double_attribute("boundary_y_min"), file.double_attribute("boundary_y_max")};
  if (images) {
    r.indices = read_ints_exact(file, "indices", {points}, &checksum);
  } else {
    FloatArray w = file.read_floats("waypoints", &checksum);
    if (w.dims.size() != 2 || w.dims[1] != 2 || w.dims[0] < 2) {
      file.fail("waypoints must be [m, 2] with m >= 2");
    }
    r.waypoints = std::move(w.values);
  }
  std::vector<int64_t> dims;
  const std::vector<int64_t> steps = file.read_ints("milestone_step", &dims, &checksum);
  const int64_t milestones = count(steps.size());
  expect_shape(file, "milestone_step", dims, {milestones});
  const std::vector<double> fractions =
      read_exact(file, "milestone_fraction", {milestones}, true, &checksum);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const std::string g = milestone_group(k);
    WalkMilestone m;
    m.step = read_ints_exact(file, g + "/step", {}, &checksum)[0];
    m.fraction = read_exact(file, g + "/fraction", {}, true, &checksum)[0];
    if (m.step != steps[k] || m.fraction != fractions[k]) {
      file.fail(g + " disagrees with milestone_step / milestone_fraction");
    }
    WalkFrames& f = m.walk;
    f.points = points;
    f.features = features;
    f.classes = classes;
    f.input = read_exact(file, g + "/walk/input", {points, features}, float64, &checksum);
    for (const std::string& name : r.layer_names) {
      const std::string at = g + "/walk/activations/" + name;
      FloatArray a = file.read_floats(at, &checksum);
      if (a.float64 != float64) file.fail("dataset '" + at + "' is not of the run's dtype");
      if (a.dims.size() != 2 || a.dims[0] != points) file.fail(at + " must be [points, width]");
      f.activations.push_back({name, std::move(a.dims), std::move(a.values)});
    }
    f.class_probs =
        read_exact(file, g + "/walk/class_probs", {points, classes}, float64, &checksum);
    f.predicted = read_ints_exact(file, g + "/walk/predicted", {points}, &checksum);
    if (images) f.label = read_ints_exact(file, g + "/walk/label", {points}, &checksum);
    if (r.boundary_nx > 0) {
      m.boundary = read_exact(file, g + "/boundary", {r.boundary_ny, r.boundary_nx, classes}, true,
                              &checksum);
    }
    r.milestones.push_back(std::move(m));
  }
  r.wall_seconds = entry->meta.wall_seconds;
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return r;
}

std::optional<WalkRecord> CacheStore::read_walk(const std::string& key, EntryMeta* meta) const {
  return read_walk_file(entry_path(EntryKind::kWalk, key), key, meta);
}

}  // namespace trajtool
