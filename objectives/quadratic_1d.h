#pragma once
// One-dimensional quadratic, for 1D demonstrations (learning rate too small / just right / too
// large):
//
//   f(x) = 1/2 a x^2,   a = 1.
//
// y is ignored. Plotting domain x in [-3, 3] (y in [-1, 1], unused). Minimum f(0) = 0 (when
// a > 0). Customary start x = 2.5. Gradient descent with step lr converges iff 0 < lr a < 2.
// Reference: Nocedal, Wright, Numerical Optimization, 2nd ed., Sec. 3.3; second source:
// Goodfellow, Bengio, Courville, Deep Learning, Sec. 4.3.1.
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Quadratic1d {
  struct Params {
    double a = 1;  // curvature
  };
  static constexpr const char* kName = "quadratic_1d";
  static constexpr const char* kTitle = "Quadratic (1D)";
  static constexpr int kDim = 1;

  static std::vector<ParamField<Params>> params() { return {{"a", &Params::a, "curvature"}}; }
  static std::string formula(const Params& p) {
    return "f(x) = \\frac{1}{2}\\," + tex_coefficient(p.a) + "x^2";
  }
  static Domain domain(const Params&) { return {-3, 3, -1, 1}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.a > 0) return {{0, 0, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {2.5}; }

  template <class T>
  static T value(const T& x, const T& /*y*/, const Params& p) {
    return (0.5 * p.a) * sq(x);
  }
};

}  // namespace trajtool
