#pragma once
// Booth's function:
//
//   f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2.
//
// A convex quadratic with a tilted, moderately elongated bowl (Hessian [[10, 8], [8, 10]],
// eigenvalues 18 and 2). Plotting domain [-10, 10]^2. Global minimum f(1, 3) = 0. Customary
// start (-6, 8).
// Reference: Wikipedia, "Test functions for optimization"; second source: S. Surjanovic,
// D. Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano/booth.html).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Booth {
  struct Params {};
  static constexpr const char* kName = "booth";
  static constexpr const char* kTitle = "Booth";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) { return "f(x,y) = (x + 2y - 7)^2 + (2x + y - 5)^2"; }
  static Domain domain(const Params&) { return {-10, 10, -10, 10}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {{1, 3, 0, true}}; }
  static std::vector<double> start(const Params&) { return {-6.0, 8.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    return sq(x + 2.0 * y - 7.0) + sq(2.0 * x + y - 5.0);
  }
};

}  // namespace trajtool
