// The data set registry: one line per data set.
#include <cstdlib>

#include "objectives/datasets/dataset.h"
#include "objectives/datasets/dataset_kit.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

using SamplesFn = Samples (*)(const DatasetSpec&, DatasetRandom&);

// A synthetic data set: its features and classes (0 = regression; -1: `arms`, -2: `centers`).
struct Synthetic {
  const char* name;
  int64_t features;
  int64_t classes;
  SamplesFn samples;
};

constexpr Synthetic kSynthetic[] = {
    {"moons", 2, 2, &moons_samples},      {"circles", 2, 2, &circles_samples},
    {"spirals", 2, -1, &spirals_samples}, {"blobs", 2, -2, &blobs_samples},
    {"xor", 2, 2, &xor_samples},          {"sine", 1, 0, &sine_samples},
};

const Synthetic* find_synthetic(const std::string& name) {
  for (const Synthetic& s : kSynthetic) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> dataset_names() {
  std::vector<std::string> names;
  for (const Synthetic& s : kSynthetic) names.emplace_back(s.name);
  for (const char* name : {"fashion_mnist", "csv", "idx"}) names.emplace_back(name);
  return names;
}

std::string fashion_mnist_folder() {
  const char* env = std::getenv("TRAJTOOL_FASHION_MNIST");
  return env != nullptr && *env != '\0' ? env : "/usr/share/datasets/fashion-mnist";
}

void resolve_dataset(DatasetSpec& spec) {
  if (const Synthetic* s = find_synthetic(spec.name)) {
    spec.features = s->features;
    spec.classes = s->classes == -1 ? spec.arms : s->classes == -2 ? spec.centers : s->classes;
    spec.sample_shape = {s->features};
    spec.train_count = spec.samples - test_share(spec.samples, spec.test_fraction);
    return;
  }
  if (spec.name == "csv") return resolve_csv(spec);
  if (spec.name == "idx" || spec.name == "fashion_mnist") return resolve_idx(spec);
  std::string known;
  for (const std::string& name : dataset_names()) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown dataset '" + spec.name + "' (known: " + known + ")");
}

DatasetRecord make_dataset(const DatasetSpec& spec) {
  DatasetRecord data;
  if (const Synthetic* s = find_synthetic(spec.name)) {
    DatasetRandom random(spec.seed);
    split_samples(s->samples(spec, random), spec.test_fraction, spec.seed, data);
    data.classes = spec.classes;
    data.sample_shape = spec.sample_shape;
    for (int64_t j = 0; j < data.features; ++j)
      data.feature_names.push_back("x" + std::to_string(j + 1));
  } else if (spec.name == "csv") {
    data = make_csv(spec);
  } else {
    data = make_idx(spec);
  }
  if (spec.standardize) standardize(data);
  set_grid(data);
  return data;
}

}  // namespace trajtool
