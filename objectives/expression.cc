#include "objectives/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "objectives/objective_math.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

enum class TokenKind { kNumber, kName, kOperator, kLeftParen, kRightParen, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;  // what it is
  std::string text;                  // its source text
  std::size_t column = 1;            // 1-based column of its first character
  double number = 0;                 // value of a kNumber
};

struct FunctionName {
  const char* name;  // as written in a formula
  ExprOp op;         // what it computes
};

constexpr FunctionName kFunctions[] = {
    {"sin", ExprOp::kSin}, {"cos", ExprOp::kCos},   {"tan", ExprOp::kTan}, {"exp", ExprOp::kExp},
    {"log", ExprOp::kLog}, {"sqrt", ExprOp::kSqrt}, {"abs", ExprOp::kAbs}, {"tanh", ExprOp::kTanh},
};

constexpr int kMaxDepth =
    200;  // nesting limit, so that a hostile formula cannot overflow the stack

std::string describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of formula";
  return "'" + token.text + "'";
}

// Splits the text into tokens one at a time.
class Lexer {
 public:
  explicit Lexer(const std::string& text) : text_(text) {}

  Token next() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    Token token;
    token.column = pos_ + 1;
    if (pos_ >= text_.size()) return token;
    const char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number(token);
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t begin = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
        ++pos_;
      }
      token.kind = TokenKind::kName;
      token.text = text_.substr(begin, pos_ - begin);
      return token;
    }
    ++pos_;
    token.text = std::string(1, c);
    switch (c) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '^':
        token.kind = TokenKind::kOperator;
        return token;
      case '(':
        token.kind = TokenKind::kLeftParen;
        return token;
      case ')':
        token.kind = TokenKind::kRightParen;
        return token;
      default:
        throw InputError("expr: column " + std::to_string(token.column) +
                         ": unexpected character '" + token.text + "'");
    }
  }

 private:
  bool digit_at(std::size_t i) const {
    return i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]));
  }

  Token number(Token token) {
    const std::size_t begin = pos_;
    while (digit_at(pos_)) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      if (pos_ == begin && !digit_at(pos_ + 1)) {
        throw InputError("expr: column " + std::to_string(token.column) +
                         ": expected a digit after '.'");
      }
      ++pos_;
      while (digit_at(pos_)) ++pos_;
    }
    // An exponent only when digits follow: "2e" is 2 followed by the name e.
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t k = pos_ + 1;
      if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
      if (digit_at(k)) {
        pos_ = k;
        while (digit_at(pos_)) ++pos_;
      }
    }
    token.kind = TokenKind::kNumber;
    token.text = text_.substr(begin, pos_ - begin);
    token.number = std::strtod(token.text.c_str(), nullptr);
    if (!std::isfinite(token.number)) {
      throw InputError("expr: column " + std::to_string(token.column) + ": number " + token.text +
                       " is out of range");
    }
    return token;
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(const std::string& text) : lexer_(text) { token_ = lexer_.next(); }

  ExprNode parse() {
    ExprNode root = sum(0);
    if (token_.kind == TokenKind::kRightParen) fail("unmatched ')'");
    if (token_.kind != TokenKind::kEnd) {
      fail("expected an operator (+ - * / ^) or the end of the formula, found " + describe(token_));
    }
    return root;
  }

  bool uses_x = false;  // an x was parsed
  bool uses_y = false;  // a y was parsed

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError("expr: column " + std::to_string(token_.column) + ": " + message);
  }

  void advance() {
    previous_ = token_;
    token_ = lexer_.next();
  }

  bool at_operator(char op) const {
    return token_.kind == TokenKind::kOperator && token_.text[0] == op;
  }

  static ExprNode node(ExprOp op, std::vector<ExprNode> args) {
    ExprNode n;
    n.op = op;
    n.args = std::move(args);
    return n;
  }

  ExprNode sum(int depth) {
    if (depth > kMaxDepth) fail("formula nested too deeply");
    ExprNode left = product(depth);
    while (at_operator('+') || at_operator('-')) {
      const ExprOp op = at_operator('+') ? ExprOp::kAdd : ExprOp::kSub;
      advance();
      left = node(op, {std::move(left), product(depth)});
    }
    return left;
  }

  ExprNode product(int depth) {
    ExprNode left = unary(depth);
    while (true) {
      if (at_operator('*') || at_operator('/')) {
        const ExprOp op = at_operator('*') ? ExprOp::kMul : ExprOp::kDiv;
        advance();
        left = node(op, {std::move(left), unary(depth)});
      } else if (token_.kind == TokenKind::kNumber || token_.kind == TokenKind::kName ||
                 token_.kind == TokenKind::kLeftParen) {
        fail("implicit multiplication is not allowed: write '*' between " + describe(previous_) +
             " and " + describe(token_));
      } else {
        return left;
      }
    }
  }

  ExprNode unary(int depth) {
    if (depth > kMaxDepth) fail("formula nested too deeply");
    if (at_operator('-')) {
      advance();
      return node(ExprOp::kNegate, {unary(depth + 1)});
    }
    if (at_operator('+')) {
      advance();
      return unary(depth + 1);
    }
    return power(depth);
  }

  ExprNode power(int depth) {
    ExprNode base = primary(depth);
    if (!at_operator('^')) return base;
    advance();
    return node(ExprOp::kPow, {std::move(base), unary(depth + 1)});
  }

  ExprNode primary(int depth) {
    const Token token = token_;
    switch (token.kind) {
      case TokenKind::kNumber: {
        advance();
        ExprNode n;
        n.number = token.number;
        return n;
      }
      case TokenKind::kLeftParen: {
        advance();
        ExprNode inner = sum(depth + 1);
        if (token_.kind != TokenKind::kRightParen) {
          fail("expected ')' to close the '(' at column " + std::to_string(token.column) +
               ", found " + describe(token_));
        }
        advance();
        return inner;
      }
      case TokenKind::kName:
        advance();
        return name(token, depth);
      default: {
        std::string where;
        if (previous_.kind != TokenKind::kEnd) where = " after " + describe(previous_);
        fail("expected a number, x, y, pi, e, a function or '('" + where + ", found " +
             describe(token));
      }
    }
  }

  ExprNode name(const Token& token, int depth) {
    if (token.text == "x") {
      uses_x = true;
      return node(ExprOp::kX, {});
    }
    if (token.text == "y") {
      uses_y = true;
      return node(ExprOp::kY, {});
    }
    if (token.text == "pi" || token.text == "e") {
      ExprNode n;
      n.number = token.text == "pi" ? kPi : kE;
      n.name = token.text;
      return n;
    }
    for (const FunctionName& f : kFunctions) {
      if (token.text != f.name) continue;
      if (token_.kind != TokenKind::kLeftParen) {
        fail("expected '(' after '" + token.text + "', found " + describe(token_));
      }
      const Token open = token_;
      advance();
      ExprNode argument = sum(depth + 1);
      if (token_.kind != TokenKind::kRightParen) {
        fail("expected ')' to close '" + token.text + "(' at column " +
             std::to_string(open.column) + ", found " + describe(token_));
      }
      advance();
      return node(f.op, {std::move(argument)});
    }
    std::string known = "x, y, pi, e";
    for (const FunctionName& f : kFunctions) known += std::string(", ") + f.name;
    throw InputError("expr: column " + std::to_string(token.column) + ": unknown name '" +
                     token.text + "' (known: " + known + ")");
  }

  Lexer lexer_;
  Token token_;     // the current token
  Token previous_;  // the token before it (kind kEnd at the start)
};

// Precedence of a rendered subtree: what may stand next to it without parentheses.
enum Precedence { kSumPrec = 1, kProductPrec = 2, kNegatePrec = 3, kPowerPrec = 4, kAtomPrec = 5 };

struct Rendered {
  std::string tex;  // the TeX text
  int precedence;   // one of Precedence
  bool is_number;   // a plain literal (so "2\,x" may drop the \cdot)
};

std::string parenthesize(const Rendered& r, bool needed) {
  return needed ? "(" + r.tex + ")" : r.tex;
}

Rendered render(const ExprNode& n) {
  auto arg = [&](std::size_t i) { return render(n.args[i]); };
  auto function = [&](const char* tex_name) {
    return Rendered{std::string(tex_name) + "(" + arg(0).tex + ")", kAtomPrec, false};
  };
  switch (n.op) {
    case ExprOp::kNumber:
      if (n.name == "pi") return {"\\pi", kAtomPrec, false};
      if (n.name == "e") return {"e", kAtomPrec, false};
      return {tex_number(n.number, 10), kAtomPrec, true};
    case ExprOp::kX:
      return {"x", kAtomPrec, false};
    case ExprOp::kY:
      return {"y", kAtomPrec, false};
    case ExprOp::kNegate: {
      const Rendered a = arg(0);
      return {"-" + parenthesize(a, a.precedence < kNegatePrec), kNegatePrec, false};
    }
    case ExprOp::kAdd:
    case ExprOp::kSub: {
      const Rendered a = arg(0);
      const Rendered b = arg(1);
      const bool sub = n.op == ExprOp::kSub;
      // a + (-b) and a - (b + c) keep their parentheses.
      const bool paren_b = b.precedence == kNegatePrec || (sub && b.precedence <= kSumPrec);
      return {a.tex + (sub ? " - " : " + ") + parenthesize(b, paren_b), kSumPrec, false};
    }
    case ExprOp::kMul: {
      const Rendered a = arg(0);
      const Rendered b = arg(1);
      const std::string left = parenthesize(a, a.precedence < kProductPrec);
      const std::string right = parenthesize(b, b.precedence <= kNegatePrec);
      const bool thin = a.is_number && !b.is_number;
      return {left + (thin ? "\\," : " \\cdot ") + right, kProductPrec, false};
    }
    case ExprOp::kDiv:
      // A fraction needs no parentheses as a factor, only as the base of a power.
      return {"\\frac{" + arg(0).tex + "}{" + arg(1).tex + "}", kAtomPrec, false};
    case ExprOp::kPow: {
      const Rendered a = arg(0);
      const bool simple_base = a.precedence == kAtomPrec && a.tex.find('^') == std::string::npos &&
                               a.tex.rfind("\\frac", 0) != 0;
      return {parenthesize(a, !simple_base) + "^{" + arg(1).tex + "}", kPowerPrec, false};
    }
    case ExprOp::kSin:
      return function("\\sin");
    case ExprOp::kCos:
      return function("\\cos");
    case ExprOp::kTan:
      return function("\\tan");
    case ExprOp::kExp:
      return function("\\exp");
    case ExprOp::kLog:
      return function("\\log");
    case ExprOp::kTanh:
      return function("\\tanh");
    case ExprOp::kSqrt:
      return {"\\sqrt{" + arg(0).tex + "}", kAtomPrec, false};
    case ExprOp::kAbs:
      return {"|" + arg(0).tex + "|", kAtomPrec, false};
  }
  return {"?", kAtomPrec, false};
}

}  // namespace

Expression parse_expression(const std::string& text) {
  Parser parser(text);
  Expression e;
  e.text = text;
  e.root = parser.parse();
  e.uses_x = parser.uses_x;
  e.uses_y = parser.uses_y;
  return e;
}

std::string expression_tex(const Expression& expression) {
  return std::string(expression.uses_y ? "f(x,y) = " : "f(x) = ") + render(expression.root).tex;
}

double evaluate_expression(const Expression& expression, double x, double y) {
  const ExprValue<double> v = evaluate_expression_node(expression.root, x, y);
  return v.is_constant ? v.constant : v.value;
}

}  // namespace trajtool
