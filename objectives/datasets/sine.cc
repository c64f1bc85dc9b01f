// 1D regression: x uniform in [-3, 3], target sin(x) plus Gaussian noise of std `noise`.
#include <cmath>

#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples sine_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 1;
  for (int64_t i = 0; i < spec.samples; ++i) {
    const double x = random.uniform(-3, 3);
    s.x.push_back(x);
    s.y.push_back(std::sin(x) + random.normal(spec.noise));
  }
  return s;
}

}  // namespace trajtool
