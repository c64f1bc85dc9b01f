#pragma once
// Quadratic bowl with egg-crate bumps:
//
//   f(x, y) = 1/2 (x^2 + y^2) + s (1 - cos(w x)) (1 - cos(w y)),   s = 0.4, w = 2.5.
//
// The bump term is >= 0 and vanishes on the lines x = 2 pi k / w and y = 2 pi k / w, so the
// landscape is a bowl crossed by a grid of straight valleys: a trajectory is deflected into the
// valleys and along them, with saddles where the bumps meet. Plotting domain [-4, 4]^2. Global
// minimum f(0, 0) = 0. Customary start (3, 2.5).
//
// Local minima: none, for any s > 0. Along a valley line x = x_k the function is exactly
// 1/2 (x_k^2 + y^2), so every valley leads down to the axes and then to the origin. Checked
// numerically for s in {0.4, 1.5, 10, 50}, w = 2.5: Newton's method from a 41 x 41 grid of
// starts on [-4, 4]^2 converges to no other point with a positive definite Hessian, and a
// brute-force search for grid points lower than their 8 neighbours on an 801 x 801 grid finds
// only the origin.
// Reference: a teaching objective of this project (no literature source); the formula is the
// sum of the quadratic bowl and the product-of-cosines "egg crate" term.
#include <string>
#include <vector>

#include "objectives/objective_list.h"
#include "objectives/objective_math.h"

namespace trajtool {

struct BumpyBowl {
  struct Params {
    double scale = 0.4;  // height factor s of the bumps
    double freq = 2.5;   // angular frequency w of the bumps
  };
  static constexpr const char* kName = "bumpy_bowl";
  static constexpr const char* kTitle = "Bumpy bowl";
  static constexpr int kDim = 2;

  static std::vector<ParamField<Params>> params() {
    return {{"scale", &Params::scale, "height factor of the bumps"},
            {"freq", &Params::freq, "angular frequency of the bumps"}};
  }
  static std::string formula(const Params& p) {
    const std::string w = tex_number(p.freq);
    return "f(x,y) = \\frac{1}{2}\\,(x^2 + y^2) + " + tex_coefficient(p.scale) + "(1 - \\cos(" + w +
           "\\,x))\\,(1 - \\cos(" + w + "\\,y))";
  }
  static Domain domain(const Params&) { return {-4, 4, -4, 4}; }
  static std::vector<KnownMinimum> minima(const Params& p) {
    if (p.scale >= 0) return {{0, 0, 0, true}};
    return {};
  }
  static std::vector<double> start(const Params&) { return {3.0, 2.5}; }

  template <class T>
  static T value(const T& x, const T& y, const Params& p) {
    using std::cos;
    return 0.5 * (sq(x) + sq(y)) + p.scale * ((1.0 - cos(p.freq * x)) * (1.0 - cos(p.freq * y)));
  }
};

}  // namespace trajtool
