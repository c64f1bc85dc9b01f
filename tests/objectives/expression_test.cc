// The formula parser: precedence and associativity (checked against hand arithmetic), functions
// and constants (against <cmath>), dimension, TeX rendering and error columns.
#include "objectives/expression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "objectives/objective.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

double eval(const std::string& text, double x = 0, double y = 0) {
  return evaluate_expression(parse_expression(text), x, y);
}

// The message of the InputError that parsing `text` throws.
std::string parse_error(const std::string& text) {
  try {
    parse_expression(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Expression, PrecedenceAndAssociativity) {
  EXPECT_EQ(eval("2*3+4*5"), 26);
  EXPECT_EQ(eval("2+3*4^2"), 50);
  EXPECT_EQ(eval("1-2-3"), -4);    // left-associative
  EXPECT_EQ(eval("8/4/2"), 1);     // left-associative
  EXPECT_EQ(eval("2^3^2"), 512);   // right-associative: 2^9
  EXPECT_EQ(eval("-x^2", 3), -9);  // ^ binds tighter than unary minus
  EXPECT_EQ(eval("-2^2"), -4);
  EXPECT_EQ(eval("(-2)^2"), 4);
  EXPECT_EQ(eval("x^-2", 2), 0.25);   // a signed exponent
  EXPECT_EQ(eval("2^-x^2", 1), 0.5);  // 2^(-(x^2))
  EXPECT_EQ(eval("--x", 5), 5);
  EXPECT_EQ(eval("+x - -y", 1, 2), 3);
  EXPECT_EQ(eval("-x*y", 2, 3), -6);
  EXPECT_EQ(eval("6/2*3"), 9);
  EXPECT_EQ(eval("2*(3+4)"), 14);
  EXPECT_EQ(eval(" ( ( 1 ) ) "), 1);
}

TEST(Expression, NumbersAndConstants) {
  EXPECT_EQ(eval("1e-3"), 1e-3);
  EXPECT_EQ(eval("2.5E+2"), 250);
  EXPECT_EQ(eval(".5"), 0.5);
  EXPECT_EQ(eval("3."), 3);
  EXPECT_EQ(eval("12.25"), 12.25);
  EXPECT_DOUBLE_EQ(eval("pi"), M_PI);
  EXPECT_DOUBLE_EQ(eval("e"), M_E);
  EXPECT_DOUBLE_EQ(eval("2*e"), 2 * M_E);  // "e" after '*' is the constant
  EXPECT_DOUBLE_EQ(eval("1e1*e"), 10 * M_E);
}

TEST(Expression, FunctionsAgreeWithCmath) {
  const double x = 0.7, y = -1.3;
  EXPECT_DOUBLE_EQ(eval("sin(x)", x, y), std::sin(x));
  EXPECT_DOUBLE_EQ(eval("cos(y)", x, y), std::cos(y));
  EXPECT_DOUBLE_EQ(eval("tan(x)", x, y), std::tan(x));
  EXPECT_DOUBLE_EQ(eval("exp(y)", x, y), std::exp(y));
  EXPECT_DOUBLE_EQ(eval("log(x)", x, y), std::log(x));
  EXPECT_DOUBLE_EQ(eval("sqrt(x)", x, y), std::sqrt(x));
  EXPECT_DOUBLE_EQ(eval("abs(y)", x, y), 1.3);
  EXPECT_DOUBLE_EQ(eval("tanh(y)", x, y), std::tanh(y));
  EXPECT_DOUBLE_EQ(eval("sin(pi/2)"), 1);
  EXPECT_DOUBLE_EQ(eval("log(e)"), 1);
  EXPECT_DOUBLE_EQ(eval("sin(x)^2 + cos(x)^2", 1.234), 1);
}

TEST(Expression, RosenbrockFormulaMatchesThePublishedValue) {
  EXPECT_NEAR(eval("(1-x)^2 + 100*(y-x^2)^2", -1.2, 1), 24.2, 1e-12);
  EXPECT_EQ(eval("(1-x)^2 + 100*(y-x^2)^2", 1, 1), 0);
}

TEST(Expression, DimensionFollowsTheVariables) {
  EXPECT_FALSE(parse_expression("x^2 + 1").uses_y);
  EXPECT_TRUE(parse_expression("x^2 + y").uses_y);
  ObjectiveSpec spec;
  spec.name = "expr";
  spec.expr = "0.5*x^2";
  EXPECT_EQ(objective_info(spec).dim, 1);
  EXPECT_EQ(objective_info(spec).start.size(), 1u);
  spec.expr = "x*y";
  EXPECT_EQ(objective_info(spec).dim, 2);
  EXPECT_TRUE(objective_info(spec).minima.empty());
}

TEST(Expression, EvaluatesThroughTheRegistry) {
  ObjectiveSpec spec;
  spec.name = "expr";
  spec.expr = "x^2 - 3*y";
  apply_objective_defaults(spec);
  const double xs[] = {1, 2, -3};
  const double ys[] = {0, 1, 2};
  double out[3];
  evaluate_objective(spec, xs, ys, out, 3);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], 3);
}

TEST(Expression, TexRendering) {
  auto tex = [](const std::string& text) { return expression_tex(parse_expression(text)); };
  EXPECT_EQ(tex("(1-x)^2 + 100*(y-x^2)^2"), "f(x,y) = (1 - x)^{2} + 100\\,(y - x^{2})^{2}");
  EXPECT_EQ(tex("-x^2"), "f(x) = -x^{2}");
  EXPECT_EQ(tex("(-x)^2"), "f(x) = (-x)^{2}");
  EXPECT_EQ(tex("x*y/2"), "f(x,y) = \\frac{x \\cdot y}{2}");
  EXPECT_EQ(tex("(x/2)^2"), "f(x) = (\\frac{x}{2})^{2}");
  EXPECT_EQ(tex("x - (y + 1)"), "f(x,y) = x - (y + 1)");
  EXPECT_EQ(tex("(x - y) + 1"), "f(x,y) = x - y + 1");
  EXPECT_EQ(tex("sqrt(abs(x)) + sin(pi*y)"), "f(x,y) = \\sqrt{|x|} + \\sin(\\pi \\cdot y)");
  EXPECT_EQ(tex("x*(-y)"), "f(x,y) = x \\cdot (-y)");
  EXPECT_EQ(tex("1e-5*x"), "f(x) = 10^{-5}\\,x");
}

TEST(Expression, ErrorsNameTheColumn) {
  EXPECT_EQ(parse_error("(1-x"),
            "expr: column 5: expected ')' to close the '(' at column 1, found end of formula");
  EXPECT_EQ(parse_error("2x"),
            "expr: column 2: implicit multiplication is not allowed: write '*' between '2' and "
            "'x'");
  EXPECT_EQ(parse_error("x y"),
            "expr: column 3: implicit multiplication is not allowed: write '*' between 'x' and "
            "'y'");
  EXPECT_EQ(parse_error("(x+1)(y)").rfind("expr: column 6: implicit multiplication", 0), 0u);
  EXPECT_EQ(parse_error("2 sin(x)").rfind("expr: column 3: implicit multiplication", 0), 0u);
  EXPECT_EQ(parse_error("sin x"), "expr: column 5: expected '(' after 'sin', found 'x'");
  EXPECT_EQ(parse_error("sin(x"),
            "expr: column 6: expected ')' to close 'sin(' at column 4, found end of formula");
  EXPECT_EQ(parse_error("1 + * 2"),
            "expr: column 5: expected a number, x, y, pi, e, a function or '(' after '+', found "
            "'*'");
  EXPECT_EQ(parse_error(""),
            "expr: column 1: expected a number, x, y, pi, e, a function or '(', found end of "
            "formula");
  EXPECT_EQ(parse_error("x^"),
            "expr: column 3: expected a number, x, y, pi, e, a function or '(' after '^', found "
            "end of formula");
  EXPECT_EQ(
      parse_error("x + z").rfind("expr: column 5: unknown name 'z' (known: x, y, pi, e, sin", 0),
      0u);
  EXPECT_EQ(parse_error("x $ y"), "expr: column 3: unexpected character '$'");
  EXPECT_EQ(parse_error("(x))"), "expr: column 4: unmatched ')'");
  EXPECT_EQ(parse_error("x + ."), "expr: column 5: expected a digit after '.'");
  EXPECT_EQ(parse_error("1e999"), "expr: column 1: number 1e999 is out of range");
  EXPECT_NE(parse_error(std::string(1000, '(') + "x" + std::string(1000, ')')).find("too deeply"),
            std::string::npos);
}

TEST(Expression, RegistryReportsParseErrors) {
  ObjectiveSpec spec;
  spec.name = "expr";
  spec.expr = "x*(y+1";
  try {
    objective_info(spec);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("expr: column 7: expected ')'", 0), 0u);
  }
}

}  // namespace
}  // namespace trajtool
