#pragma once
// Formula objectives (name "expr"): a small recursive-descent parser for formulas of x and y such
// as "(1-x)^2 + 100*(y-x^2)^2", and one templated evaluator for double and at::Tensor.
//
// Grammar (whitespace is ignored between tokens):
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?         right-associative; binds tighter than unary minus,
//                                           so -x^2 = -(x^2) and 2^-x = 2^(-x)
//   primary := number | 'x' | 'y' | 'pi' | 'e' | function '(' sum ')' | '(' sum ')'
//   number  := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (also ".5", "1.")
//   function: sin cos tan exp log sqrt abs tanh
// Implicit multiplication ("2x", "x y", "(x)(y)") is an error: write '*'.
#include <cmath>
#include <string>
#include <vector>

namespace trajtool {

// What a node of the syntax tree computes.
enum class ExprOp {
  kNumber,  // a literal, or pi / e (the text is kept in `name` for display)
  kX,       // the variable x
  kY,       // the variable y
  kNegate,  // -a
  kAdd,     // a + b
  kSub,     // a - b
  kMul,     // a * b
  kDiv,     // a / b
  kPow,     // a ^ b
  kSin,
  kCos,
  kTan,
  kExp,
  kLog,  // natural logarithm
  kSqrt,
  kAbs,
  kTanh,
};

// One node of the syntax tree (a value type: copying copies the subtree).
struct ExprNode {
  ExprOp op = ExprOp::kNumber;  // what it computes
  double number = 0;            // the value of a kNumber
  std::string name;             // "pi" or "e" for a named constant, else empty
  std::vector<ExprNode> args;   // operands: none, one (unary, functions) or two (binary)
};

// A parsed formula.
struct Expression {
  std::string text;     // the source text
  ExprNode root;        // the syntax tree
  bool uses_x = false;  // x occurs in the formula
  bool uses_y = false;  // y occurs in the formula (else the objective is 1D)
};

// Parses `text`. Throws InputError "expr: column C: <what was expected>, found <what>" with a
// 1-based column.
Expression parse_expression(const std::string& text);

// A readable TeX rendering of the formula, "f(x,y) = ..." ("f(x) = ..." when y does not occur):
// products as \cdot, quotients as \frac, powers as ^{}.
std::string expression_tex(const Expression& expression);

// The value of a subtree: either a constant (no x or y below it) or a T. Keeping constants as
// doubles lets tensor evaluation combine them with tensors as scalars.
template <class T>
struct ExprValue {
  bool is_constant = true;  // `constant` holds the value, `value` is unset
  double constant = 0;      // the value when constant
  T value{};                // the value when not constant
};

namespace expr_detail {

template <class T, class F>
ExprValue<T> apply_unary(const ExprValue<T>& a, F f) {
  if (a.is_constant) return {true, f(a.constant), T{}};
  return {false, 0, f(a.value)};
}

template <class T, class F>
ExprValue<T> apply_binary(const ExprValue<T>& a, const ExprValue<T>& b, F f) {
  if (a.is_constant && b.is_constant) return {true, f(a.constant, b.constant), T{}};
  if (a.is_constant) return {false, 0, f(a.constant, b.value)};
  if (b.is_constant) return {false, 0, f(a.value, b.constant)};
  return {false, 0, f(a.value, b.value)};
}

}  // namespace expr_detail

// Evaluates `node` element-wise for T = double or at::Tensor (x and y of one shape). Math
// functions are called unqualified so that at::sin etc. are found for tensors.
template <class T>
ExprValue<T> evaluate_expression_node(const ExprNode& node, const T& x, const T& y) {
  using expr_detail::apply_binary;
  using expr_detail::apply_unary;
  auto arg = [&](std::size_t i) { return evaluate_expression_node(node.args[i], x, y); };
  switch (node.op) {
    case ExprOp::kNumber:
      return {true, node.number, T{}};
    case ExprOp::kX:
      return {false, 0, x};
    case ExprOp::kY:
      return {false, 0, y};
    case ExprOp::kNegate:
      return apply_unary(arg(0), [](const auto& a) { return -a; });
    case ExprOp::kAdd:
      return apply_binary(arg(0), arg(1), [](const auto& a, const auto& b) { return a + b; });
    case ExprOp::kSub:
      return apply_binary(arg(0), arg(1), [](const auto& a, const auto& b) { return a - b; });
    case ExprOp::kMul:
      return apply_binary(arg(0), arg(1), [](const auto& a, const auto& b) { return a * b; });
    case ExprOp::kDiv:
      return apply_binary(arg(0), arg(1), [](const auto& a, const auto& b) { return a / b; });
    case ExprOp::kPow:
      return apply_binary(arg(0), arg(1), [](const auto& a, const auto& b) {
        using std::pow;
        return pow(a, b);
      });
    case ExprOp::kSin:
      return apply_unary(arg(0), [](const auto& a) {
        using std::sin;
        return sin(a);
      });
    case ExprOp::kCos:
      return apply_unary(arg(0), [](const auto& a) {
        using std::cos;
        return cos(a);
      });
    case ExprOp::kTan:
      return apply_unary(arg(0), [](const auto& a) {
        using std::tan;
        return tan(a);
      });
    case ExprOp::kExp:
      return apply_unary(arg(0), [](const auto& a) {
        using std::exp;
        return exp(a);
      });
    case ExprOp::kLog:
      return apply_unary(arg(0), [](const auto& a) {
        using std::log;
        return log(a);
      });
    case ExprOp::kSqrt:
      return apply_unary(arg(0), [](const auto& a) {
        using std::sqrt;
        return sqrt(a);
      });
    case ExprOp::kAbs:
      return apply_unary(arg(0), [](const auto& a) {
        using std::abs;
        return abs(a);
      });
    case ExprOp::kTanh:
      return apply_unary(arg(0), [](const auto& a) {
        using std::tanh;
        return tanh(a);
      });
  }
  return {true, std::nan(""), T{}};
}

// f(x, y) in double precision.
double evaluate_expression(const Expression& expression, double x, double y);

}  // namespace trajtool
