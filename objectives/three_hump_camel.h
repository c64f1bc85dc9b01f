#pragma once
// Three-hump camel function:
//
//   f(x, y) = 2 x^2 - 1.05 x^4 + x^6 / 6 + x y + y^2.
//
// Plotting domain [-5, 5]^2 (the customary search domain). Global minimum f(0, 0) = 0. Two local
// minima at +-(x*, -x*/2) with x*^2 = (4.2 + sqrt(3.64)) / 2, i.e. +-(1.747552, -0.873776),
// f = 0.298638 (from grad f = 0: y = -x/2 and x (x^4 - 4.2 x^2 + 3.5) = 0; the smaller root
// x^2 = (4.2 - sqrt(3.64)) / 2 gives saddles). Customary start (1.5, 1.5).
// Reference: Wikipedia, "Test functions for optimization"; second source: S. Surjanovic,
// D. Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano/camel3.html);
// originally F. H. Branin, "Widely convergent method for finding multiple solutions of
// simultaneous nonlinear equations", IBM J. Res. Dev. 16(5), 1972.
#include <cmath>
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct ThreeHumpCamel {
  struct Params {};
  static constexpr const char* kName = "three_hump_camel";
  static constexpr const char* kTitle = "Three-hump camel";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = 2x^2 - 1.05\\,x^4 + \\frac{x^6}{6} + xy + y^2";
  }
  static Domain domain(const Params&) { return {-5, 5, -5, 5}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    const double xs = std::sqrt((4.2 + std::sqrt(3.64)) / 2);
    return {{0, 0, 0, true},
            {xs, -xs / 2, value(xs, -xs / 2, p), false},
            {-xs, xs / 2, value(-xs, xs / 2, p), false}};
  }
  static std::vector<double> start(const Params&) { return {1.5, 1.5}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    const T x2 = sq(x);
    return 2.0 * x2 - 1.05 * sq(x2) + cube(x2) / 6.0 + x * y + sq(y);
  }
};

}  // namespace trajtool
