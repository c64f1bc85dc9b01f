#pragma once
// Rosenbrock's banana valley:
//
//   f(x, y) = (a - x)^2 + b (y - x^2)^2,   a = 1, b = 100.
//
// A curved, narrow valley along y = x^2 whose floor descends slowly to the minimum. Plotting
// domain [-2, 2] x [-1, 3] (widened to contain the minimum for other a). Global minimum
// f(a, a^2) = 0. Customary start (-1.2, 1), where f = 24.2.
// Reference: H. H. Rosenbrock, "An automatic method for finding the greatest or least value of a
// function", The Computer Journal 3(3), 1960; second source: Wikipedia, "Rosenbrock function"
// and "Test functions for optimization".
#include <algorithm>
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Rosenbrock {
  struct Params {
    double a = 1;    // position of the minimum (a, a^2)
    double b = 100;  // steepness of the valley walls
  };
  static constexpr const char* kName = "rosenbrock";
  static constexpr const char* kTitle = "Rosenbrock";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() {
    return {{"a", &Params::a, "position of the minimum (a, a^2)"},
            {"b", &Params::b, "steepness of the valley walls"}};
  }
  static std::string formula(const Params& p) {
    return "f(x,y) = (" + tex_number(p.a) + " - x)^2 + " + tex_coefficient(p.b) + "(y - x^2)^2";
  }
  static Domain domain(const Params& p) {
    const double r = std::max(2.0, std::abs(p.a) + 0.5);
    return {-r, r, std::min(-1.0, p.a * p.a - 1), std::max(3.0, p.a * p.a + 1)};
  }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.b > 0) return {{p.a, p.a * p.a, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {-1.2, 1.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params& p) {
    return sq(p.a - x) + p.b * sq(y - sq(x));
  }
};

}  // namespace trajtool
