#pragma once
// Shared helpers of the cache tests: a temporary folder and deterministic test records.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cache/cache_store.h"

namespace trajtool::testing {

// A fresh folder under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;  // absolute path of the folder
};

// A trajectory with distinct pseudo-random values (float32-exact when `float32_exact`), state
// series {"exp_avg" [dim], "step" []}; batch 0 for a single run.
Trajectory make_trajectory(int64_t batch, int64_t rows, int64_t dim, bool float32_exact,
                           uint64_t seed);

EntryMeta make_meta(const std::string& key);

// True when both vectors hold the same doubles bit for bit (NaNs included).
bool bit_equal(const std::vector<double>& a, const std::vector<double>& b);

// A small trained-model record: 2-3-2 MLP, `rows` steps, two checkpoints, a 4x3 boundary grid;
// values exact in float32; `seed` changes the numbers.
TrainingRecord make_training_record(int64_t rows, DType dtype, uint64_t seed);
// A small 2D classification data set (5 train, 3 test samples), `seed` changes the numbers.
DatasetRecord make_dataset_record(uint64_t seed);
void expect_same_trajectory(const Trajectory& a, const Trajectory& b);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);
// Runs a shell command; returns its exit status and stdout.
int run_command(const std::string& command, std::string* output);
// Writes a ustar archive with Python's tarfile (an independent writer): each member is a regular
// file `name` holding the bytes of the file `source`, whatever the name (traversal included).
void write_tar_with_python(const std::string& archive,
                           const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace trajtool::testing
