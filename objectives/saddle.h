#pragma once
// Saddle:
//
//   f(x, y) = x^2 - y^2.
//
// A stationary point at the origin that is a minimum along x and a maximum along y; unbounded
// below, so there is no minimum. Gradient descent started near the x axis crawls towards the
// saddle and then escapes along y. Plotting domain [-2, 2]^2. Customary start (1.8, 0.05).
// Reference: I. Goodfellow, Y. Bengio, A. Courville, Deep Learning, 2016, Sec. 4.3.1 and
// Fig. 4.5 (the saddle x_1^2 - x_2^2); second source: Y. Dauphin et al., "Identifying and
// attacking the saddle point problem in high-dimensional non-convex optimization", NIPS 2014.
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Saddle {
  struct Params {};
  static constexpr const char* kName = "saddle";
  static constexpr const char* kTitle = "Saddle";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) { return "f(x,y) = x^2 - y^2"; }
  static Domain domain(const Params&) { return {-2, 2, -2, 2}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {}; }
  static std::vector<double> start(const Params&) { return {1.8, 0.05}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    return sq(x) - sq(y);
  }
};

}  // namespace trajtool
