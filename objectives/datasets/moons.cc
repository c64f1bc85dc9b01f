// Two interleaving half circles, as sklearn.datasets.make_moons: the outer moon (class 0) at
// (cos t, sin t), the inner one (class 1) at (1 - cos t, 0.5 - sin t), t evenly spaced in [0, pi],
// plus Gaussian noise of std `noise` on both coordinates.
#include <cmath>

#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples moons_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 2;
  const int64_t outer = spec.samples / 2;
  const int64_t inner = spec.samples - outer;
  auto add = [&](int64_t n, int label) {
    for (int64_t i = 0; i < n; ++i) {
      const double t = n > 1 ? M_PI * static_cast<double>(i) / static_cast<double>(n - 1) : 0.0;
      const double x = label == 0 ? std::cos(t) : 1 - std::cos(t);
      const double y = label == 0 ? std::sin(t) : 0.5 - std::sin(t);
      s.x.push_back(x + random.normal(spec.noise));
      s.x.push_back(y + random.normal(spec.noise));
      s.y.push_back(label);
    }
  };
  add(outer, 0);
  add(inner, 1);
  return s;
}

}  // namespace trajtool
