#pragma once
// Goldstein-Price function:
//
//   f(x, y) = [1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)]
//           * [30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)].
//
// Plotting domain [-2, 2]^2. Global minimum f(0, -1) = 3. Local minima f(-0.6, -0.4) = 30,
// f(1.8, 0.2) = 84, f(1.2, 0.8) = 840 (exact stationary points: Newton's method from these points
// does not move them, checked with numpy). Values span 3 to ~1e6: plot it on a log scale.
// Customary start (-1.5, 1.5).
// Reference: A. A. Goldstein, J. F. Price, "On descent from local minima", Mathematics of
// Computation 25(115), 1971; second source: Wikipedia, "Test functions for optimization";
// S. Surjanovic, D. Bingham, Virtual Library of Simulation Experiments
// (sfu.ca/~ssurjano/goldpr.html).
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct GoldsteinPrice {
  struct Params {};
  static constexpr const char* kName = "goldstein_price";
  static constexpr const char* kTitle = "Goldstein-Price";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = [1 + (x + y + 1)^2\\,(19 - 14x + 3x^2 - 14y + 6xy + 3y^2)]"
           "\\cdot [30 + (2x - 3y)^2\\,(18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]";
  }
  static Domain domain(const Params&) { return {-2, 2, -2, 2}; }
  static std::vector<KnownMinimum> minima(const Params&) {
    return {
        {0, -1, 3, true}, {-0.6, -0.4, 30, false}, {1.8, 0.2, 84, false}, {1.2, 0.8, 840, false}};
  }
  static std::vector<double> start(const Params&) { return {-1.5, 1.5}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    const T xy = x * y;
    const T x2 = sq(x);
    const T y2 = sq(y);
    const T first =
        1.0 + sq(x + y + 1.0) * (19.0 - 14.0 * x + 3.0 * x2 - 14.0 * y + 6.0 * xy + 3.0 * y2);
    const T second = 30.0 + sq(2.0 * x - 3.0 * y) *
                                (18.0 - 32.0 * x + 12.0 * x2 + 48.0 * y - 36.0 * xy + 27.0 * y2);
    return first * second;
  }
};

}  // namespace trajtool
