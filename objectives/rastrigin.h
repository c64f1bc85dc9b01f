#pragma once
// Rastrigin function (2D):
//
//   f(x, y) = 2A + (x^2 - A cos(2 pi x)) + (y^2 - A cos(2 pi y)),   A = 10.
//
// A bowl covered with a regular lattice of local minima near the integer points. Plotting domain
// [-5.12, 5.12]^2. Global minimum f(0, 0) = 0. Customary start (3.2, 2.8).
// Reference: L. A. Rastrigin, Systems of Extremal Control, Nauka, 1974; H. Muehlenbein et al.,
// Parallel Computing 17, 1991 (the n-dimensional form); second source: Wikipedia, "Rastrigin
// function" and "Test functions for optimization".
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Rastrigin {
  struct Params {
    double A = 10;  // amplitude of the cosine ripples
  };
  static constexpr const char* kName = "rastrigin";
  static constexpr const char* kTitle = "Rastrigin";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() {
    return {{"A", &Params::A, "amplitude of the cosine ripples"}};
  }
  static std::string formula(const Params& p) {
    const std::string a = tex_number(p.A);
    return "f(x,y) = " + tex_number(2 * p.A) + " + x^2 - " + a + "\\cos(2\\pi x) + y^2 - " + a +
           "\\cos(2\\pi y)";
  }
  static Domain domain(const Params&) { return {-5.12, 5.12, -5.12, 5.12}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.A >= 0) return {{0, 0, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {3.2, 2.8}; }

  template <class T>
  static T value(const T& x, const T& y, const Params& p) {
    using std::cos;
    return 2.0 * p.A + (sq(x) - p.A * cos(2.0 * kPi * x)) + (sq(y) - p.A * cos(2.0 * kPi * y));
  }
};

}  // namespace trajtool
