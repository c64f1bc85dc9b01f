// `centers` Gaussian blobs (class k = blob k) of std `noise`, centred evenly on a circle of
// radius 3: (3 cos(2 pi k / centers), 3 sin(2 pi k / centers)); samples are dealt round-robin.
#include <cmath>

#include "objectives/datasets/dataset_kit.h"

namespace trajtool {

Samples blobs_samples(const DatasetSpec& spec, DatasetRandom& random) {
  Samples s;
  s.features = 2;
  for (int64_t i = 0; i < spec.samples; ++i) {
    const int64_t k = i % spec.centers;
    const double a = 2 * M_PI * static_cast<double>(k) / static_cast<double>(spec.centers);
    s.x.push_back(3 * std::cos(a) + random.normal(spec.noise));
    s.x.push_back(3 * std::sin(a) + random.normal(spec.noise));
    s.y.push_back(static_cast<double>(k));
  }
  return s;
}

}  // namespace trajtool
