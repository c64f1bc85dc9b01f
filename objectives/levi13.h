#pragma once
// Levi function N. 13:
//
//   f(x, y) = sin^2(3 pi x) + (x - 1)^2 (1 + sin^2(3 pi y)) + (y - 1)^2 (1 + sin^2(2 pi y)).
//
// Rippled valleys around a global minimum. Plotting domain [-10, 10]^2. Global minimum
// f(1, 1) = 0. Customary start (-4, 6).
// Reference: Wikipedia, "Test functions for optimization"; second source: S. Surjanovic,
// D. Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano/levy13.html).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Levi13 {
  struct Params {};
  static constexpr const char* kName = "levi13";
  static constexpr const char* kTitle = "Levi N. 13";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = \\sin^2(3\\pi x) + (x - 1)^2\\,(1 + \\sin^2(3\\pi y)) + "
           "(y - 1)^2\\,(1 + \\sin^2(2\\pi y))";
  }
  static Domain domain(const Params&) { return {-10, 10, -10, 10}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {{1, 1, 0, true}}; }
  static std::vector<double> start(const Params&) { return {-4.0, 6.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    using std::sin;
    return sq(sin(3.0 * kPi * x)) + sq(x - 1.0) * (1.0 + sq(sin(3.0 * kPi * y))) +
           sq(y - 1.0) * (1.0 + sq(sin(2.0 * kPi * y)));
  }
};

}  // namespace trajtool
