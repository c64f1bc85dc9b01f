#pragma once
// Quadratic bowl, axis-aligned:
//
//   f(x, y) = 1/2 (a x^2 + b y^2),   a = b = 1 by default.
//
// The simplest convex objective: the gradient (a x, b y) points at the minimum only when a = b;
// the condition number a/b sets how badly gradient descent zig-zags. Plotting domain
// [-3, 3]^2. Minimum f(0, 0) = 0 (when a, b > 0). Customary start (2.5, 2.0).
// Reference: J. Nocedal, S. Wright, Numerical Optimization, 2nd ed., Sec. 3.3 (steepest descent
// on a convex quadratic); second source: S. Boyd, L. Vandenberghe, Convex Optimization, 9.3.2.
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Quadratic {
  struct Params {
    double a = 1;  // curvature along x
    double b = 1;  // curvature along y
  };
  static constexpr const char* kName = "quadratic";
  static constexpr const char* kTitle = "Quadratic bowl";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() {
    return {{"a", &Params::a, "curvature along x"}, {"b", &Params::b, "curvature along y"}};
  }
  static std::string formula(const Params& p) {
    return "f(x,y) = \\frac{1}{2}\\,(" + tex_coefficient(p.a) + "x^2 + " + tex_coefficient(p.b) +
           "y^2)";
  }
  static Domain domain(const Params&) { return {-3, 3, -3, 3}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.a > 0 && p.b > 0) return {{0, 0, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {2.5, 2.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params& p) {
    return 0.5 * (p.a * sq(x) + p.b * sq(y));
  }
};

}  // namespace trajtool
