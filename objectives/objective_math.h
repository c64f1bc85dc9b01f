#pragma once
// Small helpers for writing an objective's formula once for both double and at::Tensor: the
// formulas call sin/cos/exp/sqrt unqualified after `using std::sin;` etc., so that argument-
// dependent lookup picks at::sin for tensors, and use these helpers for powers.
#include <cmath>
#include <string>

namespace trajtool {

constexpr double kPi = 3.14159265358979323846;  // pi
constexpr double kE = 2.71828182845904523536;   // Euler's number

// v * v, for doubles and tensors alike.
template <class T>
T sq(const T& v) {
  return v * v;
}

// v * v * v, for doubles and tensors alike.
template <class T>
T cube(const T& v) {
  return v * v * v;
}

// A number for a display formula: shortest form with up to `digits` significant digits ("100",
// "0.5", "-2.5"; "1.5\\cdot 10^{-7}" where printf would use an exponent).
std::string tex_number(double v, int digits = 6);

// A coefficient in front of a term: "" for 1, "-" for -1, otherwise the number and a thin space
// ("6\\,").
std::string tex_coefficient(double v);

}  // namespace trajtool
