#pragma once
// Matyas' function:
//
//   f(x, y) = 0.26 (x^2 + y^2) - 0.48 x y.
//
// A convex quadratic, very flat along the diagonal x = y (Hessian eigenvalues 0.04 along
// (1, 1) and 1.0 along (1, -1), condition number 25). Plotting domain [-10, 10]^2. Global
// minimum f(0, 0) = 0. Customary start (8, 4).
// Reference: Wikipedia, "Test functions for optimization"; second source: S. Surjanovic,
// D. Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano/matya.html).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Matyas {
  struct Params {};
  static constexpr const char* kName = "matyas";
  static constexpr const char* kTitle = "Matyas";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) { return "f(x,y) = 0.26\\,(x^2 + y^2) - 0.48\\,xy"; }
  static Domain domain(const Params&) { return {-10, 10, -10, 10}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {{0, 0, 0, true}}; }
  static std::vector<double> start(const Params&) { return {8.0, 4.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    return 0.26 * (sq(x) + sq(y)) - 0.48 * (x * y);
  }
};

}  // namespace trajtool
