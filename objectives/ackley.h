#pragma once
// Ackley function (2D):
//
//   f(x, y) = -20 exp(-0.2 sqrt((x^2 + y^2) / 2)) - exp((cos(2 pi x) + cos(2 pi y)) / 2) + e + 20.
//
// A nearly flat outer region with many shallow local minima and a deep funnel at the origin.
// Plotting domain [-5, 5]^2. Global minimum f(0, 0) = 0. The square root makes the gradient
// undefined at the origin itself (autograd gives NaN there). Customary start (3.5, 2.5).
// Reference: D. H. Ackley, A Connectionist Machine for Genetic Hillclimbing, Kluwer, 1987;
// second source: Wikipedia, "Ackley function" and "Test functions for optimization".
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Ackley {
  struct Params {};
  static constexpr const char* kName = "ackley";
  static constexpr const char* kTitle = "Ackley";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = -20\\exp(-0.2\\sqrt{\\frac{1}{2}(x^2 + y^2)}) - "
           "\\exp(\\frac{1}{2}(\\cos 2\\pi x + \\cos 2\\pi y)) + e + 20";
  }
  static Domain domain(const Params&) { return {-5, 5, -5, 5}; }
  static std::vector<KnownMinimum> minima(const Params&) { return {{0, 0, 0, true}}; }
  static std::vector<double> start(const Params&) { return {3.5, 2.5}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    using std::cos;
    using std::exp;
    using std::sqrt;
    return -20.0 * exp(-0.2 * sqrt(0.5 * (sq(x) + sq(y)))) -
           exp(0.5 * (cos(2.0 * kPi * x) + cos(2.0 * kPi * y))) + (kE + 20.0);
  }
};

}  // namespace trajtool
