#pragma once
// What the data set makers share: the seeded generator, the train/test split, standardisation and
// the 2D grid. Internal to objectives/datasets/.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"

namespace trajtool {

// A seeded source of draws (std::mt19937_64 with libstdc++'s distributions: fixed algorithms, so
// the same seed gives the same data on every run of this build).
class DatasetRandom {
 public:
  explicit DatasetRandom(uint64_t seed) : engine_(seed) {}
  double uniform(double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(engine_);
  }
  double normal(double std_dev) {
    return std_dev > 0 ? std::normal_distribution<double>(0.0, std_dev)(engine_) : 0.0;
  }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

// Samples before splitting: x row-major [count][features], y one per sample.
struct Samples {
  int64_t features = 0;   // per sample
  std::vector<double> x;  // [count][features]
  std::vector<double> y;  // class index or target
  int64_t count() const { return features ? static_cast<int64_t>(x.size()) / features : 0; }
};

// A seeded shuffle of `all` into test (round(count * test_fraction) samples, at least one) and
// train (the rest, at least one); sample shape, classes and names are the caller's to set.
void split_samples(const Samples& all, double test_fraction, uint64_t seed, DatasetRecord& out);

// Test samples of a seeded split of n: round(n * test_fraction), at least 1 and at most n - 1.
int64_t test_share(int64_t n, double test_fraction);

// Standardises every feature with the training statistics (population std; 1 where it is 0),
// applied to train and test, and records them.
void standardize(DatasetRecord& data);

// For 2 features: the bounding box of every sample padded by 10% per side.
void set_grid(DatasetRecord& data);

// The SHA-256 hex digest of a file's bytes; InputError when it cannot be read.
std::string file_digest(const std::string& path);

}  // namespace trajtool

namespace trajtool {

// The synthetic makers (one file each): `samples` points drawn from `random`, before the split.
Samples moons_samples(const DatasetSpec& spec, DatasetRandom& random);
Samples circles_samples(const DatasetSpec& spec, DatasetRandom& random);
Samples spirals_samples(const DatasetSpec& spec, DatasetRandom& random);
Samples blobs_samples(const DatasetSpec& spec, DatasetRandom& random);
Samples xor_samples(const DatasetSpec& spec, DatasetRandom& random);
Samples sine_samples(const DatasetSpec& spec, DatasetRandom& random);

// The file-backed ones: resolve (check, count, digest) and make.
void resolve_csv(DatasetSpec& spec);
DatasetRecord make_csv(const DatasetSpec& spec);
void resolve_idx(DatasetSpec& spec);  // idx and fashion_mnist
DatasetRecord make_idx(const DatasetSpec& spec);

}  // namespace trajtool
