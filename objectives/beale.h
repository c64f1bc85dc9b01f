#pragma once
// Beale's function:
//
//   f(x, y) = (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2.
//
// Flat plateaus and sharp ridges towards the corners of the domain. Plotting domain
// [-4.5, 4.5]^2. Global minimum f(3, 0.5) = 0. Customary start (1, 1), where f = 14.203125.
// Reference: E. M. L. Beale, "On an iterative method for finding a local minimum of a function of
// more than one variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton, 1958;
// second source: Wikipedia, "Test functions for optimization"; S. Surjanovic, D. Bingham,
// Virtual Library of Simulation Experiments (sfu.ca/~ssurjano/beale.html).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Beale {
  struct Params {};
  static constexpr const char* kName = "beale";
  static constexpr const char* kTitle = "Beale";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2";
  }
  static Domain domain(const Params&) { return {-4.5, 4.5, -4.5, 4.5}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {{3, 0.5, 0, true}}; }
  static std::vector<double> start(const Params&) { return {1.0, 1.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    const T xy = x * y;
    return sq(1.5 - x + xy) + sq(2.25 - x + xy * y) + sq(2.625 - x + xy * sq(y));
  }
};

}  // namespace trajtool
