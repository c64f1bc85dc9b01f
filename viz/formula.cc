#include "viz/formula.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <utility>

#include "toolkit/core/error.h"

namespace trajtool {

namespace {

// ---------------------------------------------------------------------------------------------
// Font parameters, as fractions of the em (plain TeX's cmsy10/cmex10 values, which Latin Modern
// Math's MATH table mirrors).
constexpr double kScriptScale = 0.7;        // script size / text size
constexpr double kScriptScriptScale = 0.5;  // scriptscript size / text size
constexpr double kAxisHeight = 0.25;        // height of the maths axis (minus sign, fraction bar)
constexpr double kXHeight = 0.431;          // height of lowercase letters
constexpr double kRuleThickness = 0.04;     // fraction bar and radical rule
constexpr double kSup1 = 0.413;             // superscript shift, display style
constexpr double kSup2 = 0.363;             // superscript shift, other styles
constexpr double kSup3 = 0.289;             // superscript shift, cramped styles
constexpr double kSub1 = 0.15;              // subscript shift without superscript
constexpr double kSub2 = 0.247;             // subscript shift with superscript
constexpr double kSupDrop = 0.386;          // superscript drop below a compound base's top
constexpr double kSubDrop = 0.05;           // subscript drop below a compound base's bottom
constexpr double kNum1 = 0.677;             // numerator shift, display style
constexpr double kNum2 = 0.394;             // numerator shift, other styles
constexpr double kDenom1 = 0.686;           // denominator shift, display style
constexpr double kDenom2 = 0.345;           // denominator shift, other styles
constexpr double kScriptSpace = 0.05;       // space after a script
constexpr double kNullDelimiter = 0.12;     // space around a fraction
constexpr double kBigOpScale = 1.4;         // display-style \sum relative to text-style
constexpr double kMathItalicSlant = 0.25;   // tangent of the math italic slant, for accents

const char* const kMathFamily = "Latin Modern Math";
const char* const kTextFamily = "Latin Modern Roman";

// ---------------------------------------------------------------------------------------------
// UTF-8

std::string utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Length in bytes of the UTF-8 sequence starting with `lead`.
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

char32_t decode_utf8(const std::string& s) {
  if (s.empty()) return 0;
  const auto lead = static_cast<unsigned char>(s[0]);
  const size_t n = utf8_length(lead);
  if (n == 1 || s.size() < n) return lead;
  char32_t c = lead & (0xFF >> (n + 1));
  for (size_t i = 1; i < n; ++i) c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Tokens

struct Token {
  enum class Type { kEnd, kChar, kCommand, kOpen, kClose, kSup, kSub, kSpace };
  Type type = Type::kEnd;  // what it is
  std::string text;        // the character (UTF-8) or the command name without backslash
  int column = 1;          // 1-based column of its first character
};

[[noreturn]] void fail(int column, const std::string& message) {
  throw InputError("formula column " + std::to_string(column) + ": " + message);
}

std::vector<Token> tokenize(const std::string& tex) {
  std::vector<Token> tokens;
  int column = 1;
  size_t i = 0;
  auto take_char = [&]() {
    const size_t n = std::min(utf8_length(static_cast<unsigned char>(tex[i])), tex.size() - i);
    std::string c = tex.substr(i, n);
    i += n;
    ++column;
    return c;
  };
  while (i < tex.size()) {
    Token t;
    t.column = column;
    const char c = tex[i];
    if (c == '\\') {
      take_char();
      if (i >= tex.size()) fail(t.column, "lone \\ at the end");
      t.type = Token::Type::kCommand;
      if (std::isalpha(static_cast<unsigned char>(tex[i]))) {
        while (i < tex.size() && std::isalpha(static_cast<unsigned char>(tex[i]))) {
          t.text += take_char();
        }
      } else {
        t.text = take_char();
      }
    } else {
      t.text = take_char();
      switch (c) {
        case '{':
          t.type = Token::Type::kOpen;
          break;
        case '}':
          t.type = Token::Type::kClose;
          break;
        case '^':
          t.type = Token::Type::kSup;
          break;
        case '_':
          t.type = Token::Type::kSub;
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          t.type = Token::Type::kSpace;
          break;
        default:
          t.type = Token::Type::kChar;
      }
    }
    tokens.push_back(t);
  }
  Token end;
  end.column = column;
  tokens.push_back(end);
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

// TeX's atom classes, which decide the spacing between neighbours.
enum class AtomClass { kOrd, kOp, kBin, kRel, kOpen, kClose, kPunct, kInner };

enum class NodeKind { kGlyphs, kGroup, kFrac, kSqrt, kAccent, kOverline, kSpace, kLeftRight };

// Which font a glyph run uses.
enum class FontKind { kMath, kText };

// How plain letters are mapped: \mathit (default), \mathrm, \mathbf.
enum class LetterMode { kItalic, kUpright, kBold };

struct Node {
  NodeKind kind = NodeKind::kGlyphs;  // what it is
  AtomClass cls = AtomClass::kOrd;    // spacing class
  std::string text;                   // glyphs; accent glyph; left delimiter
  std::string text2;                  // right delimiter
  FontKind font = FontKind::kMath;    // font of `text`
  bool italic = false;                // `text` is one math-italic letter (accent skew)
  double space_em = 0;                // kSpace: width in em
  bool limits = false;                // kOp: scripts above/below in display style
  bool big = false;                   // large operator glyph (\sum, \prod, \int)
  int frac_style = 0;                 // kFrac: 0 = as nested, 1 = \dfrac, 2 = \tfrac
  std::vector<Node> body;             // group, numerator, radicand, accent base, delimited list
  std::vector<Node> den;              // kFrac: denominator
  std::vector<Node> sup;              // superscript (when has_sup)
  std::vector<Node> sub;              // subscript (when has_sub)
  bool has_sup = false;               // superscript present
  bool has_sub = false;               // subscript present
  bool has_color = false;             // coloured by \color
  Rgba color;                         // the colour
};

// A command that stands for one symbol.
struct Symbol {
  char32_t code;  // code point in Latin Modern Math
  AtomClass cls;  // spacing class
};

const std::map<std::string, Symbol>& symbol_table() {
  static const std::map<std::string, Symbol> table = {
      // Lowercase Greek: math italic (U+1D6FC...), as TeX sets them.
      {"alpha", {0x1D6FC, AtomClass::kOrd}},
      {"beta", {0x1D6FD, AtomClass::kOrd}},
      {"gamma", {0x1D6FE, AtomClass::kOrd}},
      {"delta", {0x1D6FF, AtomClass::kOrd}},
      {"varepsilon", {0x1D700, AtomClass::kOrd}},
      {"zeta", {0x1D701, AtomClass::kOrd}},
      {"eta", {0x1D702, AtomClass::kOrd}},
      {"theta", {0x1D703, AtomClass::kOrd}},
      {"iota", {0x1D704, AtomClass::kOrd}},
      {"kappa", {0x1D705, AtomClass::kOrd}},
      {"lambda", {0x1D706, AtomClass::kOrd}},
      {"mu", {0x1D707, AtomClass::kOrd}},
      {"nu", {0x1D708, AtomClass::kOrd}},
      {"xi", {0x1D709, AtomClass::kOrd}},
      {"pi", {0x1D70B, AtomClass::kOrd}},
      {"rho", {0x1D70C, AtomClass::kOrd}},
      {"varsigma", {0x1D70D, AtomClass::kOrd}},
      {"sigma", {0x1D70E, AtomClass::kOrd}},
      {"tau", {0x1D70F, AtomClass::kOrd}},
      {"upsilon", {0x1D710, AtomClass::kOrd}},
      {"varphi", {0x1D711, AtomClass::kOrd}},
      {"chi", {0x1D712, AtomClass::kOrd}},
      {"psi", {0x1D713, AtomClass::kOrd}},
      {"omega", {0x1D714, AtomClass::kOrd}},
      {"partial", {0x1D715, AtomClass::kOrd}},
      {"epsilon", {0x1D716, AtomClass::kOrd}},
      {"vartheta", {0x1D717, AtomClass::kOrd}},
      {"phi", {0x1D719, AtomClass::kOrd}},
      {"varrho", {0x1D71A, AtomClass::kOrd}},
      {"varpi", {0x1D71B, AtomClass::kOrd}},
      // Uppercase Greek: upright.
      {"Gamma", {0x0393, AtomClass::kOrd}},
      {"Delta", {0x0394, AtomClass::kOrd}},
      {"Theta", {0x0398, AtomClass::kOrd}},
      {"Lambda", {0x039B, AtomClass::kOrd}},
      {"Xi", {0x039E, AtomClass::kOrd}},
      {"Pi", {0x03A0, AtomClass::kOrd}},
      {"Sigma", {0x03A3, AtomClass::kOrd}},
      {"Upsilon", {0x03A5, AtomClass::kOrd}},
      {"Phi", {0x03A6, AtomClass::kOrd}},
      {"Psi", {0x03A8, AtomClass::kOrd}},
      {"Omega", {0x03A9, AtomClass::kOrd}},
      // Ordinary symbols.
      {"nabla", {0x2207, AtomClass::kOrd}},
      {"infty", {0x221E, AtomClass::kOrd}},
      {"ell", {0x2113, AtomClass::kOrd}},
      {"top", {0x22A4, AtomClass::kOrd}},
      {"prime", {0x2032, AtomClass::kOrd}},
      {"forall", {0x2200, AtomClass::kOrd}},
      {"exists", {0x2203, AtomClass::kOrd}},
      {"emptyset", {0x2205, AtomClass::kOrd}},
      {"|", {0x2016, AtomClass::kOrd}},
      {"Vert", {0x2016, AtomClass::kOrd}},
      {"vert", {0x007C, AtomClass::kOrd}},
      {"%", {0x0025, AtomClass::kOrd}},
      {"#", {0x0023, AtomClass::kOrd}},
      {"&", {0x0026, AtomClass::kOrd}},
      {"_", {0x005F, AtomClass::kOrd}},
      // Binary operators.
      {"cdot", {0x22C5, AtomClass::kBin}},
      {"times", {0x00D7, AtomClass::kBin}},
      {"odot", {0x2299, AtomClass::kBin}},
      {"oplus", {0x2295, AtomClass::kBin}},
      {"otimes", {0x2297, AtomClass::kBin}},
      {"pm", {0x00B1, AtomClass::kBin}},
      {"mp", {0x2213, AtomClass::kBin}},
      {"div", {0x00F7, AtomClass::kBin}},
      {"ast", {0x2217, AtomClass::kBin}},
      {"circ", {0x2218, AtomClass::kBin}},
      {"star", {0x22C6, AtomClass::kBin}},
      {"setminus", {0x2216, AtomClass::kBin}},
      // Relations.
      {"leftarrow", {0x2190, AtomClass::kRel}},
      {"gets", {0x2190, AtomClass::kRel}},
      {"rightarrow", {0x2192, AtomClass::kRel}},
      {"to", {0x2192, AtomClass::kRel}},
      {"leftrightarrow", {0x2194, AtomClass::kRel}},
      {"Leftarrow", {0x21D0, AtomClass::kRel}},
      {"Rightarrow", {0x21D2, AtomClass::kRel}},
      {"Leftrightarrow", {0x21D4, AtomClass::kRel}},
      {"mapsto", {0x21A6, AtomClass::kRel}},
      {"approx", {0x2248, AtomClass::kRel}},
      {"sim", {0x223C, AtomClass::kRel}},
      {"simeq", {0x2243, AtomClass::kRel}},
      {"equiv", {0x2261, AtomClass::kRel}},
      {"propto", {0x221D, AtomClass::kRel}},
      {"leq", {0x2264, AtomClass::kRel}},
      {"le", {0x2264, AtomClass::kRel}},
      {"geq", {0x2265, AtomClass::kRel}},
      {"ge", {0x2265, AtomClass::kRel}},
      {"neq", {0x2260, AtomClass::kRel}},
      {"ne", {0x2260, AtomClass::kRel}},
      {"ll", {0x226A, AtomClass::kRel}},
      {"gg", {0x226B, AtomClass::kRel}},
      {"in", {0x2208, AtomClass::kRel}},
      {"notin", {0x2209, AtomClass::kRel}},
      {"subset", {0x2282, AtomClass::kRel}},
      {"subseteq", {0x2286, AtomClass::kRel}},
      {"coloneqq", {0x2254, AtomClass::kRel}},
      // Delimiters and punctuation.
      {"{", {0x007B, AtomClass::kOpen}},
      {"}", {0x007D, AtomClass::kClose}},
      {"lbrace", {0x007B, AtomClass::kOpen}},
      {"rbrace", {0x007D, AtomClass::kClose}},
      {"langle", {0x27E8, AtomClass::kOpen}},
      {"rangle", {0x27E9, AtomClass::kClose}},
      {"lfloor", {0x230A, AtomClass::kOpen}},
      {"rfloor", {0x230B, AtomClass::kClose}},
      {"lceil", {0x2308, AtomClass::kOpen}},
      {"rceil", {0x2309, AtomClass::kClose}},
      {"ldots", {0x2026, AtomClass::kInner}},
      {"dots", {0x2026, AtomClass::kInner}},
      {"cdots", {0x22EF, AtomClass::kInner}},
  };
  return table;
}

// Spaces in em: \, \: \; \! \quad \qquad and "\ ".
const std::map<std::string, double>& space_table() {
  static const std::map<std::string, double> table = {
      {",", 3.0 / 18}, {":", 4.0 / 18}, {">", 4.0 / 18}, {";", 5.0 / 18},  {"!", -3.0 / 18},
      {" ", 1.0 / 3},  {"quad", 1.0},   {"qquad", 2.0},  {"enspace", 0.5}, {"thinspace", 3.0 / 18}};
  return table;
}

// Function names set upright; `limits` puts scripts above/below in display style.
const std::map<std::string, bool>& function_table() {
  static const std::map<std::string, bool> table = {
      {"sin", false}, {"cos", false},  {"tan", false},   {"exp", false},   {"log", false},
      {"ln", false},  {"tanh", false}, {"sinh", false},  {"cosh", false},  {"arg", false},
      {"det", true},  {"dim", false},  {"min", true},    {"max", true},    {"sup", true},
      {"inf", true},  {"lim", true},   {"argmin", true}, {"argmax", true}, {"sgn", false},
      {"Pr", true},   {"deg", false},  {"ker", false}};
  return table;
}

// Large operators: glyph and whether scripts become limits in display style.
const std::map<std::string, std::pair<char32_t, bool>>& big_op_table() {
  static const std::map<std::string, std::pair<char32_t, bool>> table = {
      {"sum", {0x2211, true}},   {"prod", {0x220F, true}},   {"int", {0x222B, false}},
      {"oint", {0x222E, false}}, {"bigcup", {0x22C3, true}}, {"bigcap", {0x22C2, true}}};
  return table;
}

// Accents: the glyph drawn above the base.
const std::map<std::string, char32_t>& accent_table() {
  static const std::map<std::string, char32_t> table = {
      {"hat", 0x02C6},   {"widehat", 0x02C6}, {"tilde", 0x02DC}, {"widetilde", 0x02DC},
      {"bar", 0x00AF},   {"vec", 0x2192},     {"dot", 0x02D9},   {"ddot", 0x00A8},
      {"check", 0x02C7}, {"breve", 0x02D8},   {"acute", 0x00B4}, {"grave", 0x0060}};
  return table;
}

// Manim's named colours and a few basic ones, for \color{name}.
const std::map<std::string, Rgba>& color_table() {
  auto rgb = [](int v) {
    return Rgba{((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0, 1};
  };
  static const std::map<std::string, Rgba> table = {
      {"white", rgb(0xFFFFFF)},  {"black", rgb(0x000000)},  {"red", rgb(0xFC6255)},
      {"green", rgb(0x83C167)},  {"blue", rgb(0x58C4DD)},   {"yellow", rgb(0xFFFF00)},
      {"orange", rgb(0xFF862F)}, {"purple", rgb(0x9A72AC)}, {"teal", rgb(0x5CD0B3)},
      {"gold", rgb(0xF0AC5F)},   {"pink", rgb(0xD147BD)},   {"gray", rgb(0x888888)},
      {"grey", rgb(0x888888)},   {"maroon", rgb(0xC55F73)}};
  return table;
}

bool parse_color_spec(const std::string& spec, Rgba* out) {
  auto it = color_table().find(spec);
  if (it != color_table().end()) {
    *out = it->second;
    return true;
  }
  return try_parse_hex_color(spec, out);
}

// Maps an ASCII letter or digit to the math alphabet of `mode`.
std::string map_letter(char c, LetterMode mode) {
  const bool upper = c >= 'A' && c <= 'Z';
  const bool lower = c >= 'a' && c <= 'z';
  const bool digit = c >= '0' && c <= '9';
  switch (mode) {
    case LetterMode::kItalic:
      if (c == 'h') return utf8(0x210E);  // the Planck constant slot
      if (upper) return utf8(0x1D434 + static_cast<char32_t>(c - 'A'));
      if (lower) return utf8(0x1D44E + static_cast<char32_t>(c - 'a'));
      break;
    case LetterMode::kBold:
      if (upper) return utf8(0x1D400 + static_cast<char32_t>(c - 'A'));
      if (lower) return utf8(0x1D41A + static_cast<char32_t>(c - 'a'));
      if (digit) return utf8(0x1D7CE + static_cast<char32_t>(c - '0'));
      break;
    case LetterMode::kUpright:
      break;
  }
  return std::string(1, c);
}

// ---------------------------------------------------------------------------------------------
// Parser: tokens -> nodes.

class Parser {
 public:
  explicit Parser(const std::string& tex) : tokens_(tokenize(tex)) {}

  std::vector<Node> parse() { return parse_list(Stop::kEnd, 0); }

 private:
  enum class Stop { kEnd, kBrace, kRight };

  const Token& peek() const { return tokens_[pos_]; }
  Token next() {
    Token t = tokens_[pos_];
    if (t.type != Token::Type::kEnd) ++pos_;
    return t;
  }
  void skip_spaces() {
    while (peek().type == Token::Type::kSpace) ++pos_;
  }

  std::vector<Node> parse_list(Stop stop, int open_column) {
    std::vector<Node> list;
    while (true) {
      skip_spaces();
      const Token& t = peek();
      if (t.type == Token::Type::kEnd) {
        if (stop == Stop::kBrace) {
          fail(t.column, "missing } (group opened at column " + std::to_string(open_column) + ")");
        }
        if (stop == Stop::kRight) {
          fail(t.column, "missing \\right (\\left at column " + std::to_string(open_column) + ")");
        }
        return list;
      }
      if (t.type == Token::Type::kClose) {
        if (stop != Stop::kBrace) fail(t.column, "unexpected }");
        next();
        return list;
      }
      if (t.type == Token::Type::kCommand && t.text == "right") {
        if (stop != Stop::kRight) fail(t.column, "\\right without \\left");
        return list;
      }
      if (t.type == Token::Type::kSup || t.type == Token::Type::kSub) {
        const Token script = next();
        const bool is_sup = script.type == Token::Type::kSup;
        if (list.empty() || list.back().kind == NodeKind::kSpace) {
          list.push_back(Node{});  // an empty base, as TeX allows
          list.back().kind = NodeKind::kGroup;
        }
        Node& base = list.back();
        if (is_sup ? base.has_sup : base.has_sub) {
          fail(script.column, is_sup ? "double superscript" : "double subscript");
        }
        std::vector<Node> arg = parse_arg(is_sup ? "^" : "_", script.column);
        if (is_sup) {
          base.sup = std::move(arg);
          base.has_sup = true;
        } else {
          base.sub = std::move(arg);
          base.has_sub = true;
        }
        continue;
      }
      parse_atom(&list);
    }
  }

  // The argument of a command or script: a braced group or one token.
  std::vector<Node> parse_arg(const std::string& what, int column) {
    skip_spaces();
    const Token& t = peek();
    if (t.type == Token::Type::kOpen) {
      const Token open = next();
      return parse_list(Stop::kBrace, open.column);
    }
    if (t.type == Token::Type::kEnd || t.type == Token::Type::kClose ||
        t.type == Token::Type::kSup || t.type == Token::Type::kSub) {
      fail(t.type == Token::Type::kEnd ? t.column : t.column,
           "missing argument for " + what + " (at column " + std::to_string(column) + ")");
    }
    std::vector<Node> list;
    parse_atom(&list, /*single=*/true);
    return list;
  }

  // Raw text of a braced argument (for \text and \color): spaces kept, no commands but \{ \}.
  std::string parse_raw_arg(const std::string& what, int column) {
    skip_spaces();
    if (peek().type != Token::Type::kOpen) {
      fail(peek().column,
           "\\" + what + " needs a {...} argument (at column " + std::to_string(column) + ")");
    }
    const Token open = next();
    std::string text;
    int depth = 0;
    while (true) {
      const Token t = next();
      switch (t.type) {
        case Token::Type::kEnd:
          fail(t.column, "missing } (group opened at column " + std::to_string(open.column) + ")");
        case Token::Type::kOpen:
          ++depth;
          break;
        case Token::Type::kClose:
          if (depth == 0) return text;
          --depth;
          break;
        case Token::Type::kCommand:
          if (t.text == "{" || t.text == "}" || t.text == "_" || t.text == "%" || t.text == "&" ||
              t.text == "#" || t.text == " ") {
            text += t.text;
          } else if (t.text == ",") {
            text += utf8(0x2009);
          } else {
            fail(t.column, "command \\" + t.text + " is not allowed inside \\" + what);
          }
          break;
        default:
          text += t.text;
      }
    }
  }

  // Appends the node(s) of one atom to `list`. With `single`, a run of digits is one digit.
  void parse_atom(std::vector<Node>* list, bool single = false) {
    const Token t = next();
    Node node;
    if (t.type == Token::Type::kOpen) {
      node.kind = NodeKind::kGroup;
      node.body = parse_list(Stop::kBrace, t.column);
      list->push_back(std::move(node));
      return;
    }
    if (t.type == Token::Type::kChar) {
      parse_char(t, list, single);
      return;
    }
    // A command.
    const std::string& name = t.text;
    const auto& symbols = symbol_table();
    if (auto it = symbols.find(name); it != symbols.end()) {
      node.text = utf8(it->second.code);
      node.cls = it->second.cls;
      node.italic = it->second.code >= 0x1D6FC && it->second.code <= 0x1D71B;
      list->push_back(std::move(node));
      return;
    }
    if (auto it = space_table().find(name); it != space_table().end()) {
      node.kind = NodeKind::kSpace;
      node.space_em = it->second;
      list->push_back(std::move(node));
      return;
    }
    if (auto it = function_table().find(name); it != function_table().end()) {
      node.text = name == "argmin" ? "arg min" : name == "argmax" ? "arg max" : name;
      node.cls = AtomClass::kOp;
      node.limits = it->second;
      list->push_back(std::move(node));
      return;
    }
    if (auto it = big_op_table().find(name); it != big_op_table().end()) {
      node.text = utf8(it->second.first);
      node.cls = AtomClass::kOp;
      node.limits = it->second.second;
      node.big = true;
      list->push_back(std::move(node));
      return;
    }
    if (auto it = accent_table().find(name); it != accent_table().end()) {
      node.kind = NodeKind::kAccent;
      node.text = utf8(it->second);
      node.text2 = name;
      node.body = parse_arg("\\" + name, t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "frac" || name == "dfrac" || name == "tfrac") {
      node.kind = NodeKind::kFrac;
      node.cls = AtomClass::kInner;
      node.frac_style = name == "dfrac" ? 1 : name == "tfrac" ? 2 : 0;
      node.body = parse_arg("\\" + name, t.column);
      node.den = parse_arg("\\" + name, t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "sqrt") {
      skip_spaces();
      if (peek().type == Token::Type::kChar && peek().text == "[") {
        fail(peek().column, "\\sqrt[n] (an index) is not supported");
      }
      node.kind = NodeKind::kSqrt;
      node.body = parse_arg("\\sqrt", t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "overline") {
      node.kind = NodeKind::kOverline;
      node.body = parse_arg("\\overline", t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "text" || name == "textrm" || name == "mbox") {
      node.text = parse_raw_arg(name, t.column);
      node.font = FontKind::kText;
      list->push_back(std::move(node));
      return;
    }
    if (name == "mathrm" || name == "mathbf" || name == "mathit" || name == "operatorname") {
      const LetterMode saved = mode_;
      mode_ = name == "mathbf"   ? LetterMode::kBold
              : name == "mathit" ? LetterMode::kItalic
                                 : LetterMode::kUpright;
      node.kind = NodeKind::kGroup;
      node.body = parse_arg("\\" + name, t.column);
      mode_ = saved;
      if (name == "operatorname") node.cls = AtomClass::kOp;
      list->push_back(std::move(node));
      return;
    }
    if (name == "mathbin" || name == "mathrel" || name == "mathop" || name == "mathord") {
      node.kind = NodeKind::kGroup;
      node.cls = name == "mathbin"   ? AtomClass::kBin
                 : name == "mathrel" ? AtomClass::kRel
                 : name == "mathop"  ? AtomClass::kOp
                                     : AtomClass::kOrd;
      node.body = parse_arg("\\" + name, t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "color" || name == "textcolor") {
      const std::string spec = parse_raw_arg(name, t.column);
      if (!parse_color_spec(spec, &node.color)) {
        fail(t.column, "\\" + name + ": unknown colour \"" + spec + "\" (use #rrggbb or a name)");
      }
      node.has_color = true;
      node.kind = NodeKind::kGroup;
      node.body = parse_arg("\\" + name, t.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "left") {
      node.kind = NodeKind::kLeftRight;
      node.cls = AtomClass::kInner;
      node.text = parse_delimiter("\\left", t.column);
      node.body = parse_list(Stop::kRight, t.column);
      const Token right = next();  // the \right
      node.text2 = parse_delimiter("\\right", right.column);
      list->push_back(std::move(node));
      return;
    }
    if (name == "displaystyle" || name == "limits" || name == "nolimits") {
      return;  // accepted and ignored
    }
    fail(t.column, "unknown command \\" + name);
  }

  std::string parse_delimiter(const std::string& what, int column) {
    skip_spaces();
    const Token t = next();
    if (t.type == Token::Type::kChar) {
      if (t.text == ".") return "";
      if (t.text == "(" || t.text == ")" || t.text == "[" || t.text == "]" || t.text == "|" ||
          t.text == "/") {
        return t.text;
      }
    } else if (t.type == Token::Type::kCommand) {
      if (t.text == "{" || t.text == "lbrace") return "{";
      if (t.text == "}" || t.text == "rbrace") return "}";
      if (t.text == "|" || t.text == "Vert") return utf8(0x2016);
      if (t.text == "langle") return utf8(0x27E8);
      if (t.text == "rangle") return utf8(0x27E9);
      if (t.text == "lfloor") return utf8(0x230A);
      if (t.text == "rfloor") return utf8(0x230B);
      if (t.text == "lceil") return utf8(0x2308);
      if (t.text == "rceil") return utf8(0x2309);
    }
    fail(t.column,
         "missing delimiter after " + what + " (at column " + std::to_string(column) + ")");
  }

  void parse_char(const Token& t, std::vector<Node>* list, bool single) {
    Node node;
    const std::string& s = t.text;
    const char c = s.size() == 1 ? s[0] : '\0';
    if (c >= '0' && c <= '9') {
      node.text = map_letter(c, mode_);
      // A number is one run: digits and a decimal point between digits.
      while (!single) {
        const Token& n = peek();
        if (n.type != Token::Type::kChar || n.text.size() != 1) break;
        const char d = n.text[0];
        const bool digit = d >= '0' && d <= '9';
        const bool point = d == '.' && pos_ + 1 < tokens_.size() &&
                           tokens_[pos_ + 1].type == Token::Type::kChar &&
                           tokens_[pos_ + 1].text.size() == 1 &&
                           std::isdigit(static_cast<unsigned char>(tokens_[pos_ + 1].text[0]));
        if (!digit && !point) break;
        node.text += map_letter(d, mode_);
        next();
      }
      list->push_back(std::move(node));
      return;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      node.text = map_letter(c, mode_);
      node.italic = mode_ == LetterMode::kItalic;
      list->push_back(std::move(node));
      return;
    }
    node.text = s;
    switch (c) {
      case '+':
        node.cls = AtomClass::kBin;
        break;
      case '-':
        node.text = utf8(0x2212);
        node.cls = AtomClass::kBin;
        break;
      case '*':
        node.text = utf8(0x2217);
        node.cls = AtomClass::kBin;
        break;
      case '=':
      case '<':
      case '>':
      case ':':
        node.cls = AtomClass::kRel;
        break;
      case ',':
      case ';':
        node.cls = AtomClass::kPunct;
        break;
      case '(':
      case '[':
        node.cls = AtomClass::kOpen;
        break;
      case ')':
      case ']':
      case '!':
      case '?':
        node.cls = AtomClass::kClose;
        break;
      case '\'':
        node.text = utf8(0x2032);
        break;
      case '&':
      case '~':
      case '$':
      case '#':
      case '%':
        fail(t.column, "unsupported character '" + s + "'");
      default:
        if (c == '\0') {
          // Unicode input: lowercase Greek becomes math italic like \alpha.
          const char32_t code = decode_utf8(s);
          if (code >= 0x03B1 && code <= 0x03C9) {
            node.text = utf8(0x1D6FC + (code - 0x03B1));
            node.italic = true;
          }
        }
    }
    list->push_back(std::move(node));
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  LetterMode mode_ = LetterMode::kItalic;
};

// ---------------------------------------------------------------------------------------------
// Boxes: nodes -> positioned items.

// A laid-out piece: its reference point is the left end of its baseline; y grows downwards.
struct Box {
  double width = 0;                // advance width
  double height = 0;               // extent above the baseline
  double depth = 0;                // extent below the baseline
  double italic = 0;               // italic correction (ink overhang on the right)
  bool is_char = false;            // a single character (TeX positions its scripts differently)
  bool slanted = false;            // one math-italic letter (accents sit a little to the right)
  double ink_left = 0;             // ink extent of a glyph run, relative to the reference point
  double ink_right = 0;            // ...
  double ink_top = 0;              // ink top above the baseline (may be negative)
  double ink_bottom = 0;           // ink bottom above the baseline (negative below)
  std::vector<FormulaItem> items;  // what to paint
};

void shift_item(FormulaItem* item, double dx, double dy) {
  item->x += dx;
  item->y += dy;
  item->ink_left += dx;
  item->scale_center += dy;
  if (item->kind == FormulaItem::Kind::kStroke) {
    item->w += dx;
    item->h += dy;
  }
}

// Paints `src` into `dst` with its reference point at (dx, dy); grows dst's height and depth.
void place(Box* dst, const Box& src, double dx, double dy) {
  for (FormulaItem item : src.items) {
    shift_item(&item, dx, dy);
    dst->items.push_back(std::move(item));
  }
  dst->height = std::max(dst->height, src.height - dy);
  dst->depth = std::max(dst->depth, src.depth + dy);
}

// TeX's math styles: display, text, script, scriptscript; cramped styles lower superscripts.
struct Style {
  int level = 0;         // 0 display, 1 text, 2 script, 3 scriptscript
  bool cramped = false;  // under a bar or radical, or in a subscript
};

Style script_style(Style s, bool cramped) { return {s.level <= 1 ? 2 : 3, cramped || s.cramped}; }

// Spacing between atom classes in mu (1/18 em); negative: only in display and text style.
int class_spacing(AtomClass left, AtomClass right) {
  static const int table[8][8] = {
      // Ord Op Bin Rel Open Close Punct Inner
      {0, 3, -4, -5, 0, 0, 0, -3},      // Ord
      {3, 3, 0, -5, 0, 0, 0, -3},       // Op
      {-4, -4, 0, 0, -4, 0, 0, -4},     // Bin
      {-5, -5, 0, 0, -5, 0, 0, -5},     // Rel
      {0, 0, 0, 0, 0, 0, 0, 0},         // Open
      {0, 3, -4, -5, 0, 0, 0, -3},      // Close
      {-3, -3, 0, -3, -3, -3, -3, -3},  // Punct
      {-3, 3, -4, -5, -3, 0, -3, -3},   // Inner
  };
  return table[static_cast<int>(left)][static_cast<int>(right)];
}

class Typesetter {
 public:
  explicit Typesetter(double size_px) : base_px_(size_px) {}

  int unknown_glyphs() const { return unknown_; }

  double size_of(Style s) const {
    return base_px_ * (s.level <= 1 ? 1.0 : s.level == 2 ? kScriptScale : kScriptScriptScale);
  }

  Box layout_list(const std::vector<Node>& nodes, Style st) {
    struct Entry {
      Box box;        // the atom with its scripts
      AtomClass cls;  // its class after the Bin rules
      bool space;     // explicit space: no class, no spacing rule
    };
    std::vector<Entry> entries;
    entries.reserve(nodes.size());
    for (const Node& node : nodes) {
      if (node.kind == NodeKind::kSpace) {
        Box b;
        b.width = node.space_em * size_of(st);
        entries.push_back({std::move(b), AtomClass::kOrd, true});
      } else {
        entries.push_back({layout_node(node, st), node.cls, false});
      }
    }
    // TeX's rules 5 and 6: a Bin after nothing or an operator becomes Ord, and so does a Bin
    // before a Rel, Close or Punct, or at the end.
    Entry* prev = nullptr;
    for (Entry& e : entries) {
      if (e.space) continue;
      if (e.cls == AtomClass::kBin &&
          (prev == nullptr || prev->cls == AtomClass::kBin || prev->cls == AtomClass::kOp ||
           prev->cls == AtomClass::kRel || prev->cls == AtomClass::kOpen ||
           prev->cls == AtomClass::kPunct)) {
        e.cls = AtomClass::kOrd;
      }
      if (prev != nullptr && prev->cls == AtomClass::kBin &&
          (e.cls == AtomClass::kRel || e.cls == AtomClass::kClose || e.cls == AtomClass::kPunct)) {
        prev->cls = AtomClass::kOrd;
      }
      prev = &e;
    }
    if (prev != nullptr && prev->cls == AtomClass::kBin) prev->cls = AtomClass::kOrd;

    Box out;
    double x = 0;
    prev = nullptr;
    int atoms = 0;
    const double mu = size_of(st) / 18;
    for (Entry& e : entries) {
      if (!e.space) {
        if (prev != nullptr) {
          const int mus = class_spacing(prev->cls, e.cls);
          if (mus > 0 || (mus < 0 && st.level <= 1)) x += std::abs(mus) * mu;
        }
        prev = &e;
        ++atoms;
      }
      place(&out, e.box, x, 0);
      x += e.box.width;
    }
    out.width = x;
    if (atoms == 1 && entries.size() == 1) {
      const Box& only = entries.front().box;
      out.is_char = only.is_char;
      out.slanted = only.slanted;
      out.italic = only.italic;
      out.ink_left = only.ink_left;
      out.ink_right = only.ink_right;
      out.ink_top = only.ink_top;
      out.ink_bottom = only.ink_bottom;
    } else {
      out.ink_left = 0;
      out.ink_right = out.width;
      out.ink_top = out.height;
      out.ink_bottom = -out.depth;
    }
    return out;
  }

 private:
  // One glyph run.
  Box glyphs(const std::string& text, FontKind font, double size) {
    PangoLayoutPtr layout = new_pango_layout();
    PangoFontDescription* desc = pango_font_description_new();
    pango_font_description_set_family(desc, font == FontKind::kMath ? kMathFamily : kTextFamily);
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), desc);
    pango_font_description_free(desc);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    unknown_ += pango_layout_get_unknown_glyphs_count(layout.get());
    PangoRectangle ink;
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), &ink, &logical);
    const double baseline =
        static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE;
    const double s = 1.0 / PANGO_SCALE;
    Box b;
    b.width = logical.width * s;
    if (ink.width > 0 && ink.height > 0) {
      b.ink_left = ink.x * s;
      b.ink_right = (ink.x + ink.width) * s;
      b.ink_top = baseline - ink.y * s;
      b.ink_bottom = baseline - (ink.y + ink.height) * s;
      b.height = std::max(0.0, b.ink_top);
      b.depth = std::max(0.0, -b.ink_bottom);
      b.italic = std::max(0.0, b.ink_right - (logical.x + logical.width) * s);
    }
    b.is_char = true;
    FormulaItem item;
    item.kind = FormulaItem::Kind::kGlyphs;
    item.layout = std::move(layout);
    item.baseline = baseline;
    item.ink_left = b.ink_left;
    b.items.push_back(std::move(item));
    return b;
  }

  FormulaItem rule(double x, double y_top, double w, double h) const {
    FormulaItem item;
    item.kind = FormulaItem::Kind::kRule;
    item.x = x;
    item.y = y_top;
    item.w = w;
    item.h = h;
    item.ink_left = x;
    return item;
  }

  FormulaItem stroke(double x0, double y0, double x1, double y1, double width, bool round) const {
    FormulaItem item;
    item.kind = FormulaItem::Kind::kStroke;
    item.x = x0;
    item.y = y0;
    item.w = x1;
    item.h = y1;
    item.line_width = width;
    item.round_cap = round;
    item.ink_left = std::min(x0, x1);
    return item;
  }

  Box layout_node(const Node& node, Style st) {
    const double em = size_of(st);
    Box nucleus;
    switch (node.kind) {
      case NodeKind::kGlyphs:
        if (node.big) {
          nucleus = big_operator(node, st);
        } else {
          nucleus = glyphs(node.text, node.font, em);
          nucleus.is_char = node.cls != AtomClass::kOp;
          nucleus.slanted = node.italic;
          if (!node.italic) nucleus.italic = 0;
        }
        break;
      case NodeKind::kGroup:
        nucleus = layout_list(node.body, st);
        nucleus.is_char = false;
        break;
      case NodeKind::kFrac:
        nucleus = fraction(node, st);
        break;
      case NodeKind::kSqrt:
        nucleus = radical(node, st);
        break;
      case NodeKind::kAccent:
        nucleus = accent(node, st);
        break;
      case NodeKind::kOverline:
        nucleus = overline(node, st);
        break;
      case NodeKind::kLeftRight:
        nucleus = delimited(node, st);
        break;
      case NodeKind::kSpace:
        break;
    }
    Box out = nucleus;
    if (node.has_sup || node.has_sub) {
      out = (node.cls == AtomClass::kOp && node.limits && st.level == 0)
                ? limits(nucleus, node, st)
                : scripts(nucleus, node, st);
    }
    if (node.has_color) {
      for (FormulaItem& item : out.items) {
        if (!item.has_color) {
          item.has_color = true;
          item.color = node.color;
        }
      }
    }
    return out;
  }

  Box big_operator(const Node& node, Style st) {
    const double em = size_of(st);
    Box g = glyphs(node.text, FontKind::kMath, em * (st.level == 0 ? kBigOpScale : 1.0));
    // Centre the ink on the axis.
    const double centre = (g.ink_top + g.ink_bottom) / 2;
    const double dy = centre - kAxisHeight * em;
    Box out;
    place(&out, g, 0, dy);
    out.width = g.width;
    out.italic = node.text == utf8(0x222B) ? g.italic : 0;
    return out;
  }

  // TeX rule 18: attach superscript and subscript.
  Box scripts(const Box& base, const Node& node, Style st) {
    const double em = size_of(st);
    const double theta = kRuleThickness * em;
    const double xh = kXHeight * em;
    const Style sup_st = script_style(st, false);
    const Style sub_st = script_style(st, true);
    const double em_script = size_of(sup_st);
    double u = base.is_char ? 0 : base.height - kSupDrop * em_script;
    double v = base.is_char ? 0 : base.depth + kSubDrop * em_script;
    Box out;
    place(&out, base, 0, 0);
    double width = base.width;
    if (!node.has_sup) {
      Box sub = layout_list(node.sub, sub_st);
      v = std::max({v, kSub1 * em, sub.height - 0.8 * xh});
      place(&out, sub, base.width, v);
      width = base.width + sub.width;
    } else {
      Box sup = layout_list(node.sup, sup_st);
      const double p = st.cramped ? kSup3 : st.level == 0 ? kSup1 : kSup2;
      u = std::max({u, p * em, sup.depth + xh / 4});
      if (node.has_sub) {
        Box sub = layout_list(node.sub, sub_st);
        v = std::max(v, kSub2 * em);
        const double gap = (u - sup.depth) - (sub.height - v);
        if (gap < 4 * theta) {
          v += 4 * theta - gap;
          const double psi = 0.8 * xh - (u - sup.depth);
          if (psi > 0) {
            u += psi;
            v -= psi;
          }
        }
        place(&out, sub, base.width, v);
        width = std::max(width, base.width + sub.width);
      }
      place(&out, sup, base.width + base.italic, -u);
      width = std::max(width, base.width + base.italic + sup.width);
    }
    out.width = width + kScriptSpace * em;
    return out;
  }

  // TeX rule 13a: limits above and below a large operator in display style.
  Box limits(const Box& op, const Node& node, Style st) {
    const double em = size_of(st);
    Box sup;
    Box sub;
    if (node.has_sup) sup = layout_list(node.sup, script_style(st, false));
    if (node.has_sub) sub = layout_list(node.sub, script_style(st, true));
    const double width = std::max({op.width, sup.width, sub.width});
    Box out;
    place(&out, op, (width - op.width) / 2, 0);
    if (node.has_sup) {
      const double u = op.height + std::max(0.111 * em, 0.2 * em - sup.depth) + sup.depth;
      place(&out, sup, (width - sup.width) / 2, -u);
      out.height += 0.1 * em;
    }
    if (node.has_sub) {
      const double v = op.depth + std::max(0.167 * em, 0.6 * em - sub.height) + sub.height;
      place(&out, sub, (width - sub.width) / 2, v);
      out.depth += 0.1 * em;
    }
    out.width = width;
    return out;
  }

  // TeX rule 15: a fraction with a bar on the axis.
  Box fraction(const Node& node, Style st) {
    Style frac_st = st;
    if (node.frac_style == 1) frac_st.level = 0;
    if (node.frac_style == 2) frac_st.level = std::max(1, st.level);
    const double em = size_of(frac_st);
    const bool display = frac_st.level == 0;
    const Style num_st{std::min(frac_st.level + 1, 3), frac_st.cramped};
    const Style den_st{std::min(frac_st.level + 1, 3), true};
    Box num = layout_list(node.body, num_st);
    Box den = layout_list(node.den, den_st);
    const double theta = kRuleThickness * em;
    const double axis = kAxisHeight * em;
    const double clearance = display ? 3 * theta : theta;
    double u = (display ? kNum1 : kNum2) * em;
    double v = (display ? kDenom1 : kDenom2) * em;
    u += std::max(0.0, clearance - ((u - num.depth) - (axis + theta / 2)));
    v += std::max(0.0, clearance - ((axis - theta / 2) - (den.height - v)));
    const double pad = kNullDelimiter * em;
    const double bar = std::max(num.width, den.width);
    Box out;
    place(&out, num, pad + (bar - num.width) / 2, -u);
    place(&out, den, pad + (bar - den.width) / 2, v);
    out.items.push_back(rule(pad, -(axis + theta / 2), bar, theta));
    out.width = bar + 2 * pad;
    return out;
  }

  // TeX rule 11: a radical sign drawn as strokes, with a rule over the radicand.
  Box radical(const Node& node, Style st) {
    const double em = size_of(st);
    const double theta = kRuleThickness * em;
    const Style inner{st.level, true};
    Box x = layout_list(node.body, inner);
    const double phi = st.level == 0 ? theta + kXHeight * em / 4 : 1.25 * theta;
    const double top = -(x.height + phi + theta);                        // y of the rule's top edge
    const double bottom = std::max(x.depth + phi / 2, top + 1.05 * em);  // surd's lowest point
    const double total = bottom - top;
    const double sign_w = 0.78 * em + 0.12 * std::max(0.0, total - 1.2 * em);
    Box out;
    // The surd: a short rising tick, a heavy stroke down, a long thin stroke up to the rule.
    const double tick_h = 0.42 * std::min(total, 1.3 * em);
    const double x2 = 0.16 * sign_w;
    const double y2 = bottom - tick_h;
    const double x3 = 0.45 * sign_w;
    const double x1 = 0.03 * sign_w;
    const double y1 = y2 + 0.08 * em;
    out.items.push_back(stroke(x1, y1, x2, y2, 1.1 * theta, true));
    out.items.push_back(stroke(x2, y2, x3, bottom - 0.8 * theta, 2.3 * theta, true));
    out.items.push_back(
        stroke(x3, bottom - 0.8 * theta, sign_w, top + theta / 2, 1.1 * theta, false));
    out.items.push_back(rule(sign_w - 0.02 * em, top, x.width + 0.02 * em, theta));
    place(&out, x, sign_w, 0);
    out.height = std::max(out.height, -top + theta);
    out.depth = std::max(out.depth, bottom + theta);
    out.width = sign_w + x.width;
    return out;
  }

  // An accent glyph centred over the base's ink (TeX rule 12, by ink).
  Box accent(const Node& node, Style st) {
    const double em = size_of(st);
    Box base = layout_list(node.body, {st.level, true});
    const bool vec = node.text2 == "vec";
    Box acc = glyphs(node.text, FontKind::kMath, vec ? 0.6 * em : em);
    const double xh = kXHeight * em;
    const double bottom = std::max(base.ink_top, xh) + (vec ? 0.05 : 0.07) * em;
    const double dy = -(bottom - acc.ink_bottom);
    double centre = (base.ink_left + base.ink_right) / 2;
    if (base.slanted) centre += kMathItalicSlant * base.ink_top / 2;
    const double dx = centre - (acc.ink_left + acc.ink_right) / 2;
    Box out;
    place(&out, base, 0, 0);
    place(&out, acc, dx, dy);
    out.width = base.width;
    out.italic = base.italic;
    out.is_char = false;
    return out;
  }

  // TeX rule 9: a rule over the base.
  Box overline(const Node& node, Style st) {
    const double em = size_of(st);
    const double theta = kRuleThickness * em;
    Box base = layout_list(node.body, {st.level, true});
    Box out;
    place(&out, base, 0, 0);
    const double top = -(base.height + 3 * theta + theta);
    out.items.push_back(rule(0, top, base.width, theta));
    out.height = std::max(out.height, -top + theta);
    out.width = base.width;
    return out;
  }

  // \left( ... \right): delimiters stretched vertically to cover the content, centred on the axis.
  Box delimited(const Node& node, Style st) {
    const double em = size_of(st);
    const double axis = kAxisHeight * em;
    Box content = layout_list(node.body, st);
    const double delta = std::max(content.height - axis, content.depth + axis);
    const double target = std::max(2 * delta, 2 * delta + 0.1 * em);
    Box out;
    double x = 0;
    auto put = [&](const std::string& delim) {
      if (delim.empty()) {
        x += kNullDelimiter * em;
        return;
      }
      // Grow the glyph a little (thicker strokes, as TeX's bigger sizes), then stretch it.
      Box g = glyphs(delim, FontKind::kMath, em);
      double ink_h = g.ink_top - g.ink_bottom;
      if (ink_h > 0 && target > ink_h) {
        g = glyphs(delim, FontKind::kMath, em * std::min(target / ink_h, 1.3));
        ink_h = g.ink_top - g.ink_bottom;
      }
      const double centre = (g.ink_top + g.ink_bottom) / 2;
      const double scale = ink_h > 0 ? std::max(1.0, target / ink_h) : 1.0;
      Box d;
      if (scale > 1 && (delim == "[" || delim == "]")) {
        // Stretching a bracket would thicken its arms: draw it with rules of the glyph's size.
        const double half = scale * ink_h / 2;
        const double stem = (g.ink_right - g.ink_left) * 0.3;
        const double arm = g.ink_right - g.ink_left;
        const double rule_h = kRuleThickness * em;
        const double left = delim == "[" ? g.ink_left : g.ink_right - stem;
        d.items.push_back(rule(left, -axis - half, stem, 2 * half));
        d.items.push_back(rule(g.ink_left, -axis - half, arm, rule_h));
        d.items.push_back(rule(g.ink_left, -axis + half - rule_h, arm, rule_h));
        d.height = axis + half;
        d.depth = half - axis;
        place(&out, d, x, 0);
        x += g.width;
        return;
      }
      place(&d, g, 0, centre - axis);
      for (FormulaItem& item : d.items) {
        item.scale_y = scale;
        item.scale_center = -axis;
      }
      d.height = axis + scale * ink_h / 2;
      d.depth = scale * ink_h / 2 - axis;
      place(&out, d, x, 0);
      x += g.width;
    };
    put(node.text);
    place(&out, content, x, 0);
    x += content.width;
    put(node.text2);
    out.width = x;
    return out;
  }

  double base_px_;
  int unknown_ = 0;
};

}  // namespace

void FormulaLayout::draw(cairo_t* cr, double x_left_px, double y_baseline_px, Rgba color,
                         double reveal) const {
  if (reveal <= 0 || items.empty()) return;
  const int n = static_cast<int>(items.size());
  const int shown = reveal >= 1 ? n : static_cast<int>(std::ceil(reveal * n - 1e-9));
  std::lock_guard<std::mutex> lock(pango_mutex());
  cairo_save(cr);
  cairo_translate(cr, x_left_px, y_baseline_px);
  for (int i = 0; i < shown; ++i) {
    const FormulaItem& item = items[static_cast<size_t>(i)];
    Rgba c = color;
    if (item.has_color) c = with_alpha(item.color, color.a);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    switch (item.kind) {
      case FormulaItem::Kind::kGlyphs:
        if (item.scale_y != 1) {
          cairo_save(cr);
          cairo_translate(cr, 0, item.scale_center);
          cairo_scale(cr, 1, item.scale_y);
          cairo_translate(cr, 0, -item.scale_center);
          cairo_move_to(cr, item.x, item.y - item.baseline);
          pango_cairo_show_layout(cr, item.layout.get());
          cairo_restore(cr);
        } else {
          cairo_move_to(cr, item.x, item.y - item.baseline);
          pango_cairo_show_layout(cr, item.layout.get());
        }
        break;
      case FormulaItem::Kind::kRule:
        cairo_rectangle(cr, item.x, item.y, item.w, item.h);
        cairo_fill(cr);
        break;
      case FormulaItem::Kind::kStroke:
        cairo_set_line_width(cr, item.line_width);
        cairo_set_line_cap(cr, item.round_cap ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
        cairo_move_to(cr, item.x, item.y);
        cairo_line_to(cr, item.w, item.h);
        cairo_stroke(cr);
        break;
    }
  }
  cairo_restore(cr);
}

FormulaLayout layout_formula(const std::string& tex, double size_px) {
  std::vector<Node> nodes = Parser(tex).parse();
  std::lock_guard<std::mutex> lock(pango_mutex());
  Typesetter typesetter(size_px);
  Box box = typesetter.layout_list(nodes, Style{0, false});
  FormulaLayout out;
  out.width = box.width;
  out.ascent = box.height;
  out.descent = box.depth;
  out.items = std::move(box.items);
  std::stable_sort(
      out.items.begin(), out.items.end(),
      [](const FormulaItem& a, const FormulaItem& b) { return a.ink_left < b.ink_left; });
  out.unknown_glyphs = typesetter.unknown_glyphs();
  return out;
}

Formula::Formula(std::string tex, double points, Rgba color, Vec2 position, Anchor anchor)
    : tex_(std::move(tex)), points_(points), color_(color), position_(position), anchor_(anchor) {
  layout(FrameGeometry{});  // parse now: errors surface at construction
}

std::shared_ptr<const FormulaLayout> Formula::layout(const FrameGeometry& geo) const {
  const double px = geo.font_px(points_);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_ && cached_px_ == px) return cache_;
  cache_ = std::make_shared<const FormulaLayout>(layout_formula(tex_, px));
  cached_px_ = px;
  return cache_;
}

Box2 Formula::placed(const FormulaLayout& f, const FrameGeometry& geo) const {
  const double ppu = geo.px_per_unit();
  return place_box(f.width / ppu, (f.ascent + f.descent) / ppu, position_, anchor_);
}

Box2 Formula::bounds(const FrameGeometry& geo) const { return placed(*layout(geo), geo); }

void Formula::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.reveal <= 0 || state.opacity <= 0 || state.scale == 0) return;
  auto f = layout(geo);
  const Box2 box = placed(*f, geo);  // the layout in hand, not made or looked up again
  const double left_px = geo.to_px_x(box.left + state.shift.x);
  const double top_px = geo.to_px_y(box.top + state.shift.y);
  const double cx = left_px + f->width / 2;
  const double cy = top_px + (f->ascent + f->descent) / 2;
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_scale(cr, state.scale, state.scale);
  cairo_translate(cr, -cx, -cy);
  f->draw(cr, left_px, top_px + f->ascent, with_alpha(color_, state.opacity), state.reveal);
  cairo_restore(cr);
}

}  // namespace trajtool
