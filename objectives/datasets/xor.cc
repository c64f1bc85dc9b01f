// The XOR problem: points uniform in [-1, 1]^2, class 1 where x1 x2 < 0 (opposite quadrants),
// then Gaussian noise of std `noise` on both coordinates (labels are drawn from the clean point).
#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples xor_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 2;
  for (int64_t i = 0; i < spec.samples; ++i) {
    const double x = random.uniform(-1, 1);
    const double y = random.uniform(-1, 1);
    s.x.push_back(x + random.normal(spec.noise));
    s.x.push_back(y + random.normal(spec.noise));
    s.y.push_back(x * y < 0 ? 1.0 : 0.0);
  }
  return s;
}

}  // namespace trajtool
