#pragma once
// Himmelblau's function:
//
//   f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2.
//
// Four global minima of value 0, one local maximum f(-0.270845, -0.923039) = 181.617 and four
// saddles. Plotting domain [-5, 5]^2. Minima (all f = 0): (3, 2) exactly, and
// (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127) (digits below from
// Newton's method with the analytic gradient and Hessian, |grad f| < 2e-14; they agree with
// the six digits Wikipedia gives). Customary start (0, 0), where f = 170.
// Reference: D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972; second source:
// Wikipedia, "Himmelblau's function".
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct Himmelblau {
  struct Params {};
  static constexpr const char* kName = "himmelblau";
  static constexpr const char* kTitle = "Himmelblau";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() { return {}; }
  static std::string formula(const Params&) {
    return "f(x,y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2";
  }
  static Domain domain(const Params&) { return {-5, 5, -5, 5}; }
  static std::vector<KnownMinimum> minima(const Params&) {
    return {{3, 2, 0, true},
            {-2.805118086952745, 3.131312518250573, 0, true},
            {-3.779310253377747, -3.283185991286169, 0, true},
            {3.584428340330492, -1.848126526964403, 0, true}};
  }
  static std::vector<double> start(const Params&) { return {0.0, 0.0}; }

  template <class T>
  static T value(const T& x, const T& y, const Params&) {
    return sq(sq(x) + y - 11.0) + sq(x + sq(y) - 7.0);
  }
};

}  // namespace trajtool
