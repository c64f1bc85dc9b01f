#pragma once
// McCormick function:
//
//   f(x, y) = sin(x + y) + (x - y)^2 - 1.5 x + 2.5 y + 1.
//
// Plotting domain [-1.5, 4] x [-3, 4]. Global minimum at x - y = 1, x + y = -2 pi / 3 (from
// grad f = 0: the sum of the two components gives cos(x + y) = -1/2, their difference
// x - y = 1), i.e. (1/2 - pi/3, -1/2 - pi/3) = (-0.547198, -1.547198), with
// f = -sqrt(3)/2 - pi/3 = -1.913223. Customary start (2.5, 3).
// Reference: Wikipedia, "Test functions for optimization" (min f(-0.54719, -1.54719) = -1.9133);
// second source: S. Surjanovic, D. Bingham, Virtual Library of Simulation Experiments
// (sfu.ca/~ssurjano/mccorm.html); originally G. P. McCormick, Mathematical Programming 10, 1976.
#include <cmath>
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct McCormick {
  struct Params {};
  static constexpr const char* kName = "mccormick";
  static constexpr const char* kTitle = "McCormick";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = \\sin(x + y) + (x - y)^2 - 1.5\\,x + 2.5\\,y + 1";
  }
  static Domain domain(const Params&) { return {-1.5, 4, -3, 4}; }
  static std::vector<KnownMinimum> minima(const Params&) {
    return {{0.5 - kPi / 3, -0.5 - kPi / 3, -std::sqrt(3.0) / 2 - kPi / 3, true}};
  }
  static std::vector<double> start(const Params&) { return {2.5, 3.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    using std::sin;
    return sin(x + y) + sq(x - y) - 1.5 * x + 2.5 * y + 1.0;
  }
};

}  // namespace trajtool
