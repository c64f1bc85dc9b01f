#include "objectives/datasets/dataset_kit.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"

namespace trajtool {

void split_samples(const Samples& all, double test_fraction, uint64_t seed, DatasetRecord& out) {
  const int64_t n = all.count();
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  // Fisher-Yates with our own index draws (std::shuffle's use of the engine is not specified).
  std::mt19937_64 engine(seed ^ 0x9e3779b97f4a7c15ULL);
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(engine() % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  const int64_t test = test_share(n, test_fraction);
  const auto f = static_cast<size_t>(all.features);
  out.features = all.features;
  out.train_count = n - test;
  out.test_count = test;
  out.x_train.clear();
  out.x_test.clear();
  out.y_train.clear();
  out.y_test.clear();
  for (int64_t k = 0; k < n; ++k) {
    const auto i = static_cast<size_t>(order[static_cast<size_t>(k)]);
    const bool is_test = k < test;
    auto& x = is_test ? out.x_test : out.x_train;
    auto& y = is_test ? out.y_test : out.y_train;
    x.insert(x.end(), all.x.begin() + static_cast<std::ptrdiff_t>(i * f),
             all.x.begin() + static_cast<std::ptrdiff_t>((i + 1) * f));
    y.push_back(all.y[i]);
  }
}

int64_t test_share(int64_t n, double test_fraction) {
  const auto test = static_cast<int64_t>(std::llround(static_cast<double>(n) * test_fraction));
  return std::clamp<int64_t>(test, 1, std::max<int64_t>(1, n - 1));
}

void standardize(DatasetRecord& data) {
  const auto f = static_cast<size_t>(data.features);
  const auto n = static_cast<size_t>(data.train_count);
  data.feature_mean.assign(f, 0.0);
  data.feature_std.assign(f, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) data.feature_mean[j] += data.x_train[i * f + j];
  }
  for (double& m : data.feature_mean) m /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) {
      const double d = data.x_train[i * f + j] - data.feature_mean[j];
      data.feature_std[j] += d * d;
    }
  }
  for (double& s : data.feature_std) {
    s = std::sqrt(s / static_cast<double>(n));
    if (!(s > 0)) s = 1;
  }
  for (std::vector<double>* x : {&data.x_train, &data.x_test}) {
    for (size_t k = 0; k < x->size(); ++k) {
      (*x)[k] = ((*x)[k] - data.feature_mean[k % f]) / data.feature_std[k % f];
    }
  }
}

void set_grid(DatasetRecord& data) {
  data.has_grid = data.features == 2;
  if (!data.has_grid) return;
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (const std::vector<double>* x : {&data.x_train, &data.x_test}) {
    for (size_t k = 0; k < x->size(); ++k) {
      lo[k % 2] = std::min(lo[k % 2], (*x)[k]);
      hi[k % 2] = std::max(hi[k % 2], (*x)[k]);
    }
  }
  for (int j = 0; j < 2; ++j) {
    const double pad = 0.1 * std::max(hi[j] - lo[j], 1e-9);
    lo[j] -= pad;
    hi[j] += pad;
  }
  data.grid = {lo[0], hi[0], lo[1], hi[1]};
}

std::string file_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the file");
  Sha256 hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError(path + ": read error");
  return hasher.hex_digest();
}

}  // namespace trajtool
