#pragma once
// Styblinski-Tang function (2D):
//
//   f(x, y) = 1/2 [(x^4 - 16 x^2 + 5 x) + (y^4 - 16 y^2 + 5 y)].
//
// Separable: each coordinate has its own double well, 1/2 (v^4 - 16 v^2 + 5 v), with stationary
// points at the roots of 4 v^3 - 32 v + 5 = 0: v = -2.903534 (deep well), 0.156731 (maximum) and
// 2.746803 (shallow well). Plotting domain [-5, 5]^2. Global minimum
// f(-2.903534, -2.903534) = -78.33233; local minima at the three other combinations of wells,
// f(-2.903534, 2.746803) = f(2.746803, -2.903534) = -64.19561 and f(2.746803, 2.746803) =
// -50.05889. Customary start (0.5, 0.5), which lies in the basin of the shallow well.
// Reference: M. A. Styblinski, T.-S. Tang, "Experiments in nonconvex optimization: stochastic
// approximation with function smoothing and simulated annealing", Neural Networks 3(4), 1990;
// second source: Wikipedia, "Test functions for optimization" (-39.16617 n < f < -39.16616 n).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct StyblinskiTang {
  struct Params {};
  static constexpr const char* kName = "styblinski_tang";
  static constexpr const char* kTitle = "Styblinski-Tang";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = \\frac{1}{2}\\,(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)";
  }
  static Domain domain(const Params&) { return {-5, 5, -5, 5}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    const double deep = well(-3.0);
    const double shallow = well(3.0);
    return {{deep, deep, value(deep, deep, p), true},
            {deep, shallow, value(deep, shallow, p), false},
            {shallow, deep, value(shallow, deep, p), false},
            {shallow, shallow, value(shallow, shallow, p), false}};
  }
  static std::vector<double> start(const Params&) { return {0.5, 0.5}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    return 0.5 * ((sq(sq(x)) - 16.0 * sq(x) + 5.0 * x) + (sq(sq(y)) - 16.0 * sq(y) + 5.0 * y));
  }

  // A root of 4 v^3 - 32 v + 5 = 0 (a minimum of one coordinate's well) by Newton's method.
  static double well(double guess) {
    double v = guess;
    for (int i = 0; i < 50; ++i) v -= (4 * v * v * v - 32 * v + 5) / (12 * v * v - 32);
    return v;
  }
};

}  // namespace trajtool
