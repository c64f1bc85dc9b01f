// The layouts of data set entries and trained-model entries (docs/cache-format.md, "Dataset
// files" and "Trained-model files"), as CacheStore's writers and readers.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "cache/cache_store.h"
#include "cache/entry_io.h"
#include "cache/hdf5_file.h"

namespace trajtool {
namespace {

const StorageOptions kFloat64Storage{true, 0, 0};

std::vector<int64_t> with_leading(int64_t n, const std::vector<int64_t>& tail) {
  std::vector<int64_t> dims{n};
  dims.insert(dims.end(), tail.begin(), tail.end());
  return dims;
}

// Labels are whole numbers for classification: stored as int64, read back as doubles.
void write_targets(H5Writer& w, const std::string& name, const std::vector<double>& y, bool classes,
                   EntryChecksum& checksum) {
  const std::vector<int64_t> dims{static_cast<int64_t>(y.size())};
  if (!classes) {
    w.write_floats(name, dims, y.data(), kFloat64Storage, &checksum);
    return;
  }
  std::vector<int64_t> labels(y.begin(), y.end());
  w.write_ints(name, dims, labels.data(), &checksum);
}

std::vector<double> read_targets(const H5Reader& file, const std::string& name, int64_t count,
                                 int64_t classes, EntryChecksum& checksum) {
  if (classes == 0) return read_exact(file, name, {count}, true, &checksum);
  std::vector<int64_t> dims;
  std::vector<int64_t> labels = file.read_ints(name, &dims, &checksum);
  expect_shape(file, name, dims, {count});
  std::vector<double> y;
  y.reserve(labels.size());
  for (int64_t label : labels) {
    if (label < 0 || label >= classes) {
      file.fail("dataset '" + name + "' holds class " + std::to_string(label) + " of " +
                std::to_string(classes));
    }
    y.push_back(static_cast<double>(label));
  }
  return y;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Data sets

void CacheStore::write_dataset(const EntryMeta& meta, const DatasetRecord& d) const {
  check_key(meta.key);
  const int64_t features = product(d.sample_shape);
  if (features != d.features) {
    throw RuntimeFailure("cannot write cache entry " + meta.key + ": sample shape " +
                         shape_text(d.sample_shape) + " does not hold " +
                         std::to_string(d.features) + " features");
  }
  check_size(meta.key, "x_train", d.x_train.size(), d.train_count * features);
  check_size(meta.key, "y_train", d.y_train.size(), d.train_count);
  check_size(meta.key, "x_test", d.x_test.size(), d.test_count * features);
  check_size(meta.key, "y_test", d.y_test.size(), d.test_count);
  write_entry(entry_path(EntryKind::kDataset, meta.key), EntryKind::kDataset, meta, d.wall_seconds,
              [&](H5Writer& w, EntryChecksum& checksum) {
                w.write_floats("x_train", with_leading(d.train_count, d.sample_shape),
                               d.x_train.data(), kFloat64Storage, &checksum);
                write_targets(w, "y_train", d.y_train, d.classes > 0, checksum);
                w.write_floats("x_test", with_leading(d.test_count, d.sample_shape),
                               d.x_test.data(), kFloat64Storage, &checksum);
                write_targets(w, "y_test", d.y_test, d.classes > 0, checksum);
                if (!d.feature_mean.empty()) {
                  check_size(meta.key, "feature_mean", d.feature_mean.size(), features);
                  check_size(meta.key, "feature_std", d.feature_std.size(), features);
                  w.write_floats("feature_mean", {features}, d.feature_mean.data(), kFloat64Storage,
                                 &checksum);
                  w.write_floats("feature_std", {features}, d.feature_std.data(), kFloat64Storage,
                                 &checksum);
                }
                w.attribute("features", d.features);
                w.attribute("classes", d.classes);
                w.int_list_attribute("sample_shape", d.sample_shape);
                w.attribute("feature_names", d.feature_names);
                if (d.has_grid) {
                  w.attribute("grid_x_min", d.grid.x_min);
                  w.attribute("grid_x_max", d.grid.x_max);
                  w.attribute("grid_y_min", d.grid.y_min);
                  w.attribute("grid_y_max", d.grid.y_max);
                }
              });
}

std::optional<DatasetRecord> read_dataset_file(const std::string& path, const std::string& key,
                                               EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kDataset, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  DatasetRecord d;
  d.features = file.int_attribute("features");
  d.classes = file.int_attribute("classes");
  d.sample_shape = file.int_list_attribute("sample_shape");
  d.feature_names = file.strings_attribute("feature_names");
  d.wall_seconds = entry->meta.wall_seconds;
  if (d.sample_shape.empty() || product(d.sample_shape) != d.features || d.classes < 0) {
    file.fail("sample_shape " + shape_text(d.sample_shape) + " does not hold " +
              std::to_string(d.features) + " features");
  }
  EntryChecksum checksum;
  FloatArray x_train = file.read_floats("x_train", &checksum);
  FloatArray x_test = file.read_floats("x_test", &checksum);
  if (x_train.dims.empty() || x_test.dims.empty()) file.fail("x_train and x_test need samples");
  d.train_count = x_train.dims[0];
  d.test_count = x_test.dims[0];
  expect_shape(file, "x_train", x_train.dims, with_leading(d.train_count, d.sample_shape));
  expect_shape(file, "x_test", x_test.dims, with_leading(d.test_count, d.sample_shape));
  if (!x_train.float64 || !x_test.float64) file.fail("x_train and x_test must be float64");
  d.x_train = std::move(x_train.values);
  d.x_test = std::move(x_test.values);
  d.y_train = read_targets(file, "y_train", d.train_count, d.classes, checksum);
  d.y_test = read_targets(file, "y_test", d.test_count, d.classes, checksum);
  if (file.has("feature_mean")) {
    d.feature_mean = read_exact(file, "feature_mean", {d.features}, true, &checksum);
    d.feature_std = read_exact(file, "feature_std", {d.features}, true, &checksum);
  }
  d.has_grid = file.has_attribute("grid_x_min");
  if (d.has_grid) {
    d.grid = {file.double_attribute("grid_x_min"), file.double_attribute("grid_x_max"),
              file.double_attribute("grid_y_min"), file.double_attribute("grid_y_max")};
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return d;
}

std::optional<DatasetRecord> CacheStore::read_dataset(const std::string& key,
                                                      EntryMeta* meta) const {
  return read_dataset_file(entry_path(EntryKind::kDataset, key), key, meta);
}

// ---------------------------------------------------------------------------------------------
// Trained-model runs

void CacheStore::write_training(const EntryMeta& meta, const TrainingRecord& r) const {
  check_key(meta.key);
  check_size(meta.key, "train_loss", r.train_loss.size(), r.rows);
  check_size(meta.key, "lr", r.lr.size(), r.rows);
  for (const ParameterSteps& p : r.parameters) {
    check_size(meta.key, "grad_norm of " + p.name, p.grad_norm.size(), r.rows);
    check_size(meta.key, "weight_norm of " + p.name, p.weight_norm.size(), r.rows);
    check_size(meta.key, "update_ratio of " + p.name, p.update_ratio.size(), r.rows);
  }
  const auto evals = static_cast<int64_t>(r.eval.step.size());
  check_size(meta.key, "eval train_loss", r.eval.train_loss.size(), evals);
  check_size(meta.key, "eval test_loss", r.eval.test_loss.size(), evals);
  check_size(meta.key, "eval train_accuracy", r.eval.train_accuracy.size(), evals);
  check_size(meta.key, "eval test_accuracy", r.eval.test_accuracy.size(), evals);
  check_size(meta.key, "layer_kinds", r.layer_kinds.size(),
             static_cast<int64_t>(r.layer_names.size()));
  const int64_t boundary_values = r.boundary_nx * r.boundary_ny * r.boundary_classes;
  const StorageOptions run_storage{r.dtype == DType::kFloat64, 0, 0};
  write_entry(
      entry_path(EntryKind::kModel, meta.key), EntryKind::kModel, meta, r.wall_seconds,
      [&](H5Writer& w, EntryChecksum& checksum) {
        const std::vector<int64_t> per_step{r.rows};
        w.write_floats("train_loss", per_step, r.train_loss.data(), run_storage, &checksum);
        w.write_floats("lr", per_step, r.lr.data(), kFloat64Storage, &checksum);
        std::vector<std::string> names;
        for (const char* series : {"grad_norm", "weight_norm", "update_ratio"}) {
          w.create_group(series);
        }
        for (const ParameterSteps& p : r.parameters) {
          names.push_back(p.name);
          w.write_floats("grad_norm/" + p.name, per_step, p.grad_norm.data(), kFloat64Storage,
                         &checksum);
          w.write_floats("weight_norm/" + p.name, per_step, p.weight_norm.data(), kFloat64Storage,
                         &checksum);
          w.write_floats("update_ratio/" + p.name, per_step, p.update_ratio.data(), kFloat64Storage,
                         &checksum);
        }
        w.create_group("eval");
        w.write_ints("eval/step", {evals}, r.eval.step.data(), &checksum);
        w.write_floats("eval/train_loss", {evals}, r.eval.train_loss.data(), kFloat64Storage,
                       &checksum);
        w.write_floats("eval/test_loss", {evals}, r.eval.test_loss.data(), kFloat64Storage,
                       &checksum);
        w.write_floats("eval/train_accuracy", {evals}, r.eval.train_accuracy.data(),
                       kFloat64Storage, &checksum);
        w.write_floats("eval/test_accuracy", {evals}, r.eval.test_accuracy.data(), kFloat64Storage,
                       &checksum);
        w.write_ints("activation_samples", {static_cast<int64_t>(r.activation_samples.size())},
                     r.activation_samples.data(), &checksum);
        for (const char* group : {"checkpoints", "optimizer_state", "activations", "boundary"}) {
          w.create_group(group);
        }
        for (const Checkpoint& c : r.checkpoints) {
          const std::string step = std::to_string(c.step);
          w.create_group("checkpoints/" + step);
          for (const NamedTensor& t : c.weights) {
            check_size(meta.key, "checkpoint " + step + " " + t.name, t.values.size(),
                       product(t.shape));
            w.write_floats("checkpoints/" + step + "/" + t.name, t.shape, t.values.data(),
                           run_storage, &checksum);
          }
          if (!c.optimizer_state.empty()) {
            const std::string group = "optimizer_state/" + step;
            w.create_group(group);
            int64_t open_index = -1;
            for (const OptimizerStateTensor& s : c.optimizer_state) {
              const std::string param = group + "/" + std::to_string(s.param_index);
              if (s.param_index != open_index) {
                w.create_group(param);
                open_index = s.param_index;
              }
              check_key(s.tensor.name);
              check_size(meta.key, param + "/" + s.tensor.name, s.tensor.values.size(),
                         product(s.tensor.shape));
              w.write_floats(param + "/" + s.tensor.name, s.tensor.shape, s.tensor.values.data(),
                             run_storage, &checksum);
            }
          }
          w.create_group("activations/" + step);
          for (const NamedTensor& a : c.activations) {
            check_key(a.name);
            check_size(meta.key, "activation " + a.name, a.values.size(), product(a.shape));
            w.write_floats("activations/" + step + "/" + a.name, a.shape, a.values.data(),
                           run_storage, &checksum);
          }
          if (boundary_values > 0) {
            check_size(meta.key, "boundary " + step, c.boundary.size(), boundary_values);
            w.write_floats("boundary/" + step, {r.boundary_ny, r.boundary_nx, r.boundary_classes},
                           c.boundary.data(), kFloat64Storage, &checksum);
          }
        }
        w.attribute("dtype", dtype_name(r.dtype));
        w.attribute("steps", r.steps);
        w.attribute("rows", r.rows);
        w.attribute("diverged_at", r.diverged_at);
        w.attribute("dataset_key", r.dataset_key);
        w.attribute("param_count", r.param_count);
        w.attribute("param_bytes", r.param_bytes);
        w.attribute("parameter_names", names);
        w.attribute("layer_names", r.layer_names);
        w.attribute("layer_kinds", r.layer_kinds);
        w.attribute("boundary_x_min", r.boundary_grid.x_min);
        w.attribute("boundary_x_max", r.boundary_grid.x_max);
        w.attribute("boundary_y_min", r.boundary_grid.y_min);
        w.attribute("boundary_y_max", r.boundary_grid.y_max);
        w.attribute("boundary_nx", r.boundary_nx);
        w.attribute("boundary_ny", r.boundary_ny);
        w.attribute("boundary_classes", r.boundary_classes);
        w.attribute("recording_seconds", r.recording_seconds);
        w.attribute("layout_version", int64_t{kModelLayoutVersion});
      });
}

namespace {

// Reads a float dataset of the run's dtype whose shape the file decides (weights, activations).
NamedTensor read_tensor(const H5Reader& file, const std::string& path, const std::string& name,
                        bool float64, EntryChecksum& checksum) {
  FloatArray array = file.read_floats(path, &checksum);
  if (array.float64 != float64) {
    file.fail("dataset '" + path + "' is " + (array.float64 ? "float64" : "float32") +
              ", expected the run's dtype " + (float64 ? "float64" : "float32"));
  }
  return {name, std::move(array.dims), std::move(array.values)};
}

int64_t parse_step(const H5Reader& file, const std::string& group, const std::string& member) {
  const bool digits = !member.empty() && member.size() < 12 &&
                      member.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) file.fail("group '" + group + "' holds '" + member + "', expected a step number");
  return std::stoll(member);
}

// The members of a group named by numbers (steps, parameter indices), in numeric order: a file
// written without creation order (h5py's default) lists them by name, "1000" before "200".
std::vector<std::pair<int64_t, std::string>> numbered_members(const H5Reader& file,
                                                              const std::string& group) {
  std::vector<std::pair<int64_t, std::string>> members;
  for (const std::string& member : file.group_members(group)) {
    members.emplace_back(parse_step(file, group, member), member);
  }
  std::sort(members.begin(), members.end());
  return members;
}

// Whether a group holds exactly `expected`, in whatever order the file lists them.
bool holds_exactly(const H5Reader& file, const std::string& group,
                   std::vector<std::string> expected) {
  std::vector<std::string> members = file.group_members(group);
  std::sort(members.begin(), members.end());
  std::sort(expected.begin(), expected.end());
  return members == expected;
}

}  // namespace

std::optional<TrainingRecord> read_training_file(const std::string& path, const std::string& key,
                                                 EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kModel, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  const int64_t version =
      file.has_attribute("layout_version") ? file.int_attribute("layout_version") : 1;
  if (version < kModelLayoutVersion) {
    throw StaleEntry(path + ": stale: written in model layout version " + std::to_string(version) +
                     " by trajtool " + entry->meta.trajtool_version + ", this trajtool reads " +
                     std::to_string(kModelLayoutVersion) + "; `trajtool generate` regenerates it");
  }
  if (version > kModelLayoutVersion) {
    file.fail("layout_version is " + std::to_string(version) + ", this trajtool reads " +
              std::to_string(kModelLayoutVersion) + " (written by a newer trajtool)");
  }
  TrainingRecord r;
  const std::string dtype = file.string_attribute("dtype");
  if (dtype != "float32" && dtype != "float64") file.fail("dtype '" + dtype + "' is unknown");
  r.dtype = dtype == "float64" ? DType::kFloat64 : DType::kFloat32;
  const bool float64 = r.dtype == DType::kFloat64;
  r.steps = file.int_attribute("steps");
  r.rows = file.int_attribute("rows");
  r.diverged_at = file.int_attribute("diverged_at");
  r.dataset_key = file.string_attribute("dataset_key");
  r.param_count = file.int_attribute("param_count");
  r.param_bytes = file.int_attribute("param_bytes");
  r.layer_names = file.strings_attribute("layer_names");
  r.layer_kinds = file.strings_attribute("layer_kinds");
  r.boundary_grid = {
      file.double_attribute("boundary_x_min"), file.double_attribute("boundary_x_max"),
      file.double_attribute("boundary_y_min"), file.double_attribute("boundary_y_max")};
  r.boundary_nx = file.int_attribute("boundary_nx");
  r.boundary_ny = file.int_attribute("boundary_ny");
  r.boundary_classes = file.int_attribute("boundary_classes");
  r.wall_seconds = entry->meta.wall_seconds;
  r.recording_seconds = file.double_attribute("recording_seconds");
  if (r.rows < 0 || r.rows > r.steps || (r.diverged_at >= 0 && r.diverged_at != r.rows)) {
    file.fail("rows " + std::to_string(r.rows) + " does not fit steps " + std::to_string(r.steps) +
              " and diverged_at " + std::to_string(r.diverged_at));
  }
  if (r.layer_kinds.size() != r.layer_names.size()) {
    file.fail("layer_names and layer_kinds differ in length");
  }
  EntryChecksum checksum;
  r.train_loss = read_exact(file, "train_loss", {r.rows}, float64, &checksum);
  r.lr = read_exact(file, "lr", {r.rows}, true, &checksum);
  const std::vector<std::string> names = file.strings_attribute("parameter_names");
  for (const char* series : {"grad_norm", "weight_norm", "update_ratio"}) {
    if (!holds_exactly(file, series, names)) {
      file.fail(std::string("group '") + series + "' does not hold one series per parameter");
    }
  }
  for (const std::string& name : names) {
    ParameterSteps p;
    p.name = name;
    p.grad_norm = read_exact(file, "grad_norm/" + name, {r.rows}, true, &checksum);
    p.weight_norm = read_exact(file, "weight_norm/" + name, {r.rows}, true, &checksum);
    p.update_ratio = read_exact(file, "update_ratio/" + name, {r.rows}, true, &checksum);
    r.parameters.push_back(std::move(p));
  }
  std::vector<int64_t> dims;
  r.eval.step = file.read_ints("eval/step", &dims, &checksum);
  if (dims.size() != 1) file.fail("dataset 'eval/step' must be one-dimensional");
  const int64_t evals = dims[0];
  r.eval.train_loss = read_exact(file, "eval/train_loss", {evals}, true, &checksum);
  r.eval.test_loss = read_exact(file, "eval/test_loss", {evals}, true, &checksum);
  r.eval.train_accuracy = read_exact(file, "eval/train_accuracy", {evals}, true, &checksum);
  r.eval.test_accuracy = read_exact(file, "eval/test_accuracy", {evals}, true, &checksum);
  r.activation_samples = file.read_ints("activation_samples", &dims, &checksum);
  if (dims.size() != 1) file.fail("dataset 'activation_samples' must be one-dimensional");
  const int64_t samples = dims[0];
  const int64_t boundary_values = r.boundary_nx * r.boundary_ny * r.boundary_classes;
  for (const auto& [step, member] : numbered_members(file, "checkpoints")) {
    Checkpoint c;
    c.step = step;
    const std::string group = "checkpoints/" + member;
    if (!holds_exactly(file, group, names)) {
      file.fail("checkpoint " + member + " does not hold every parameter");
    }
    for (const std::string& name : names) {
      c.weights.push_back(read_tensor(file, group + "/" + name, name, float64, checksum));
    }
    if (file.has("optimizer_state/" + member)) {
      for (const auto& [i, index] : numbered_members(file, "optimizer_state/" + member)) {
        if (i >= static_cast<int64_t>(names.size())) {
          file.fail("optimizer_state/" + member + " names parameter " + index + " of " +
                    std::to_string(names.size()));
        }
        const std::string param = "optimizer_state/" + member + "/" + index;
        for (const std::string& state : file.group_members(param)) {
          c.optimizer_state.push_back(
              {i, names[static_cast<size_t>(i)],
               read_tensor(file, param + "/" + state, state, float64, checksum)});
        }
      }
    }
    const std::string activations = "activations/" + member;
    if (!holds_exactly(file, activations, r.layer_names)) {
      file.fail("activations of step " + member + " do not hold every layer");
    }
    for (const std::string& layer : r.layer_names) {
      c.activations.push_back(
          read_tensor(file, activations + "/" + layer, layer, float64, checksum));
      if (c.activations.back().shape.empty() || c.activations.back().shape[0] != samples) {
        file.fail("dataset '" + activations + "/" + layer + "' does not have " +
                  std::to_string(samples) + " samples");
      }
    }
    if (boundary_values > 0) {
      c.boundary = read_exact(file, "boundary/" + member,
                              {r.boundary_ny, r.boundary_nx, r.boundary_classes}, true, &checksum);
    }
    r.checkpoints.push_back(std::move(c));
  }
  for (ParameterSteps& p : r.parameters) {
    if (!r.checkpoints.empty()) {
      for (const NamedTensor& w : r.checkpoints.front().weights) {
        if (w.name == p.name) p.shape = w.shape;
      }
    }
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return r;
}

std::optional<TrainingRecord> CacheStore::read_training(const std::string& key,
                                                        EntryMeta* meta) const {
  return read_training_file(entry_path(EntryKind::kModel, key), key, meta);
}

}  // namespace trajtool
