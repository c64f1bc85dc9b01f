// `arms` interleaved spirals (class k = arm k): point i of an arm of n lies at radius r = i / n and
// angle 3.5 pi r + 2 pi k / arms, i.e. (r sin a, r cos a), plus Gaussian noise of std `noise`.
#include <cmath>

#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples spirals_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 2;
  for (int64_t k = 0; k < spec.arms; ++k) {
    const int64_t n = spec.samples / spec.arms + (k < spec.samples % spec.arms ? 1 : 0);
    for (int64_t i = 0; i < n; ++i) {
      const double r = static_cast<double>(i) / static_cast<double>(n);
      const double a =
          3.5 * M_PI * r + 2 * M_PI * static_cast<double>(k) / static_cast<double>(spec.arms);
      s.x.push_back(r * std::sin(a) + random.normal(spec.noise));
      s.x.push_back(r * std::cos(a) + random.normal(spec.noise));
      s.y.push_back(static_cast<double>(k));
    }
  }
  return s;
}

}  // namespace trajtool
