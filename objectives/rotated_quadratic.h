#pragma once
// Quadratic bowl with its axes rotated by theta:
//
//   f(x, y) = 1/2 (a u^2 + b v^2),   u =  cos(theta) x + sin(theta) y,
//                                    v = -sin(theta) x + cos(theta) y.
//
// The Hessian is R^T diag(a, b) R with eigenvalues a and b: an ill-conditioned valley (a/b = 6 by
// default) that is not aligned with the coordinate axes, so per-coordinate step sizes (Adam,
// RMSprop) cannot simply undo the conditioning. Defaults a = 6, b = 1, theta = 0.9 (the
// seminar's). Plotting domain [-3, 3]^2. Minimum f(0, 0) = 0 (when a, b > 0). Customary start
// (2.5, 2.0).
// Reference: J. Nocedal, S. Wright, Numerical Optimization, 2nd ed., Sec. 3.3 (the convergence
// rate of steepest descent depends on the eigenvalues only, not on the rotation); second source:
// G. Goh, "Why Momentum Really Works", Distill 2017 (the same rotated quadratic model).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct RotatedQuadratic {
  struct Params {
    double a = 6;        // curvature along the rotated u axis
    double b = 1;        // curvature along the rotated v axis
    double theta = 0.9;  // rotation angle of the axes in radians
  };
  static constexpr const char* kName = "rotated_quadratic";
  static constexpr const char* kTitle = "Rotated quadratic";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() {
    return {{"a", &Params::a, "curvature along the rotated u axis"},
            {"b", &Params::b, "curvature along the rotated v axis"},
            {"theta", &Params::theta, "rotation angle of the axes in radians"}};
  }
  static std::string formula(const Params& p) {
    const std::string t = tex_number(p.theta);
    return "f(x,y) = \\frac{1}{2}\\,(" + tex_coefficient(p.a) + "u^2 + " + tex_coefficient(p.b) +
           "v^2),\\, u = \\cos(" + t + ")\\,x + \\sin(" + t + ")\\,y,\\, v = -\\sin(" + t +
           ")\\,x + \\cos(" + t + ")\\,y";
  }
  static Domain domain(const Params&) { return {-3, 3, -3, 3}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.a > 0 && p.b > 0) return {{0, 0, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {2.5, 2.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params& p) {
    const double c = std::cos(p.theta);
    const double s = std::sin(p.theta);
    const T u = c * x + s * y;
    const T v = c * y - s * x;
    return 0.5 * (p.a * sq(u) + p.b * sq(v));
  }
};

}  // namespace trajtool
