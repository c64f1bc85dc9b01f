#pragma once
// For scene tests: a weight tensor of any shape whose values are a sine of their index from
// `seed`, so that every weight differs and its sign varies. Header-only.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"

namespace trajtool::testing {

inline NamedTensor wavy_tensor(const std::string& name, std::vector<int64_t> shape, double seed) {
  NamedTensor t{name, shape, {}};
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  for (int64_t i = 0; i < n; ++i)
    t.values.push_back(std::sin(seed + 0.37 * static_cast<double>(i)));
  return t;
}

}  // namespace trajtool::testing
