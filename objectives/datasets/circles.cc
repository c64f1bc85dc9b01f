// Two concentric circles, as sklearn.datasets.make_circles: the outer one (class 0) of radius 1,
// the inner one (class 1) of radius `factor`, angles evenly spaced, plus Gaussian noise of std
// `noise` on both coordinates.
#include <cmath>

#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples circles_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 2;
  const int64_t outer = spec.samples / 2;
  const int64_t inner = spec.samples - outer;
  auto add = [&](int64_t n, double radius, int label) {
    for (int64_t i = 0; i < n; ++i) {
      const double t = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n);
      s.x.push_back(radius * std::cos(t) + random.normal(spec.noise));
      s.x.push_back(radius * std::sin(t) + random.normal(spec.noise));
      s.y.push_back(label);
    }
  };
  add(outer, 1.0, 0);
  add(inner, spec.factor, 1);
  return s;
}

}  // namespace trajtool
