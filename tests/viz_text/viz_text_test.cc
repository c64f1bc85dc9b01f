// Text layout, and formulas as drawn from TeX's outlines, checked by geometry of the rendered ink
// (the reference is how TeX sets formulas: scripts above/below the baseline and smaller,
// numerator over the bar...), never by numbers copied from the code. Formulas need `latex` and
// `dvisvgm` (each test's formulas are typeset by TeX, without a cache).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "toolkit/core/error.h"
#include "viz/formula.h"
#include "viz/tex/formula_store.h"
#include "viz/text.h"

namespace trajtool {
namespace {

constexpr double kSize = 48;  // formula size in px for the ink tests
constexpr int kPad = 20;      // margin around a rendered formula

// A rendered image and the position of the formula's baseline origin in it.
struct Ink {
  int w = 0;
  int h = 0;
  std::vector<unsigned char> alpha;  // row-major alpha
  double origin_x = kPad;            // formula's left end
  double baseline = 0;               // formula's baseline row
  bool at(int x, int y) const { return alpha[static_cast<size_t>(y * w + x)] > 96; }
};

// A pixel rectangle of ink; empty when nothing was found.
struct InkBox {
  int left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;  // inclusive bounds
  bool empty() const { return right < 0; }
  int width() const { return right - left + 1; }
  int height() const { return bottom - top + 1; }
  void add(int x, int y) {
    left = std::min(left, x);
    right = std::max(right, x);
    top = std::min(top, y);
    bottom = std::max(bottom, y);
  }
};

// A formula's outline at `size_px`, with its TeX box in pixels (what the tests measure against).
struct FormulaLayout {
  std::shared_ptr<const FormulaOutline> outline;
  double size_px = 0;
  double width = 0;    // TeX's box width, px
  double ascent = 0;   // its height above the baseline, px
  double descent = 0;  // its depth, px
  void draw(cairo_t* cr, double x, double y, Rgba color) const {
    draw_formula_outline(cr, *outline, x, y, size_px, color);
  }
};

FormulaLayout layout_formula(const std::string& tex, double size_px) {
  FormulaLayout f;
  f.outline = formula_outline(tex);
  f.size_px = size_px;
  const double scale = size_px / kTexFontBp;
  f.width = f.outline->width * scale;
  f.ascent = f.outline->height * scale;
  f.descent = f.outline->depth * scale;
  return f;
}

// Every formula this file draws, typeset in one TeX run before the tests (a formula missing here
// is typeset on its own when first drawn: slower, same result).
class TypesetAllFormulas : public ::testing::Environment {
 public:
  void SetUp() override {
    std::vector<FormulaRequest> all;
    for (const char* tex : {"x",
                            "x^2",
                            "x_t",
                            "x_t^2",
                            "m",
                            "t",
                            "2",
                            "(",
                            "+",
                            "-",
                            "-b",
                            "=",
                            "b",
                            "ab",
                            "a+b",
                            "a=b",
                            "x+y",
                            "\\sum",
                            "\\sum_{i=1}^{n} x_i",
                            "\\frac{a}{b}",
                            "\\frac{\\frac{a}{b}}{c}",
                            "\\sqrt{x+y}",
                            "\\left(\\frac{a}{b}\\right)",
                            "\\frac{m_t}{1-\\beta_1^t}",
                            "\\frac{a+b}{c}",
                            "\\frac{1}{1-\\beta_1^t}",
                            "a",
                            "a+b+c",
                            "a+b+c=d",
                            "a+b+c=d^2",
                            "\\hat{m}",
                            "\\bar{m}",
                            "\\tilde{m}",
                            "\\vec{m}",
                            "\\hat{m}_t = \\frac{m_t}{1 - \\beta_1^t}",
                            "\\theta_{t+1} = \\theta_t - \\eta\\, g_t"}) {
      all.push_back({tex, "viz_text_test"});
    }
    typeset_formulas(all);
  }
};
const auto* const kTypesetAll = ::testing::AddGlobalTestEnvironment(new TypesetAllFormulas);

Ink render(const FormulaLayout& f) {
  Ink ink;
  ink.w = static_cast<int>(std::ceil(f.width)) + 2 * kPad;
  ink.h = static_cast<int>(std::ceil(f.ascent + f.descent)) + 2 * kPad;
  ink.baseline = kPad + f.ascent;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, ink.w, ink.h);
  cairo_t* cr = cairo_create(s);
  f.draw(cr, ink.origin_x, ink.baseline, Rgba{1, 1, 1, 1});
  cairo_destroy(cr);
  cairo_surface_flush(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  ink.alpha.resize(static_cast<size_t>(ink.w * ink.h));
  for (int y = 0; y < ink.h; ++y) {
    for (int x = 0; x < ink.w; ++x) {
      const auto* px = reinterpret_cast<const uint32_t*>(data + y * stride) + x;
      ink.alpha[static_cast<size_t>(y * ink.w + x)] = static_cast<unsigned char>(*px >> 24);
    }
  }
  cairo_surface_destroy(s);
  return ink;
}

Ink render(const std::string& tex) { return render(layout_formula(tex, kSize)); }

// Ink inside columns [x0, x1) and rows [y0, y1).
InkBox ink_in(const Ink& ink, int x0, int x1, int y0 = 0, int y1 = 1 << 30) {
  InkBox box;
  for (int y = std::max(0, y0); y < std::min(ink.h, y1); ++y) {
    for (int x = std::max(0, x0); x < std::min(ink.w, x1); ++x) {
      if (ink.at(x, y)) box.add(x, y);
    }
  }
  return box;
}
InkBox all_ink(const Ink& ink) { return ink_in(ink, 0, ink.w); }

// Rows whose ink forms one run covering at least `fraction` of the total ink width: rules.
std::vector<int> rule_rows(const Ink& ink, double fraction) {
  const InkBox all = all_ink(ink);
  std::vector<int> rows;
  for (int y = 0; y < ink.h; ++y) {
    int run = 0;
    int best = 0;
    for (int x = 0; x < ink.w; ++x) {
      run = ink.at(x, y) ? run + 1 : 0;
      best = std::max(best, run);
    }
    if (best >= fraction * all.width()) rows.push_back(y);
  }
  return rows;
}

TEST(Formula, SuperscriptSitsAboveBaselineAndIsSmaller) {
  const FormulaLayout base = layout_formula("x", kSize);
  const Ink ink = render("x^2");
  // Everything right of the base's advance is the superscript.
  const int split = static_cast<int>(ink.origin_x + base.width) + 1;
  const InkBox sup = ink_in(ink, split, ink.w);
  ASSERT_FALSE(sup.empty());
  EXPECT_LT(sup.bottom, ink.baseline - 1);  // entirely above the baseline
  const InkBox two = all_ink(render("2"));
  EXPECT_LT(sup.height(), 0.85 * two.height());
  EXPECT_GT(sup.height(), 0.4 * two.height());
  // Its top is above the top of the base letter.
  const InkBox x_ink = ink_in(ink, 0, split);
  EXPECT_LT(sup.top, x_ink.top);
}

TEST(Formula, SubscriptHangsBelowBaseline) {
  const FormulaLayout base = layout_formula("x", kSize);
  const Ink ink = render("x_t");
  const int split = static_cast<int>(ink.origin_x + base.width) + 1;
  const InkBox sub = ink_in(ink, split, ink.w);
  ASSERT_FALSE(sub.empty());
  EXPECT_GT(sub.bottom, ink.baseline + 2);
  const InkBox x_ink = ink_in(ink, 0, split);
  EXPECT_GT((sub.top + sub.bottom) / 2.0, (x_ink.top + x_ink.bottom) / 2.0);
  const InkBox t_full = all_ink(render("t"));
  EXPECT_LT(sub.height(), 0.85 * t_full.height());
}

TEST(Formula, SuperAndSubscriptOnOneBaseDoNotTouch) {
  const FormulaLayout base = layout_formula("x", kSize);
  const Ink ink = render("x_t^2");
  const int split = static_cast<int>(ink.origin_x + base.width) + 1;
  const InkBox scripts = ink_in(ink, split, ink.w);
  // An ink-free row separates the two scripts.
  bool gap = false;
  for (int y = scripts.top; y <= scripts.bottom && !gap; ++y) {
    gap = ink_in(ink, split, ink.w, y, y + 1).empty();
  }
  EXPECT_TRUE(gap);
  EXPECT_LT(scripts.top, ink.baseline - 0.3 * kSize);
  EXPECT_GT(scripts.bottom, ink.baseline);
}

TEST(Formula, FractionPutsNumeratorOverBarOverDenominator) {
  for (const std::string tex : {"\\frac{a+b}{c}", "\\frac{1}{1-\\beta_1^t}"}) {
    SCOPED_TRACE(tex);
    const Ink ink = render(tex);
    const std::vector<int> rows = rule_rows(ink, 0.9);
    ASSERT_FALSE(rows.empty());
    const int bar_top = rows.front();
    const int bar_bottom = rows.back();
    EXPECT_LE(bar_bottom - bar_top, 4);  // one bar
    // The bar is centred on the maths axis, above the baseline.
    EXPECT_LT(bar_bottom, ink.baseline);
    const InkBox bar = ink_in(ink, 0, ink.w, bar_top, bar_bottom + 1);
    const InkBox num = ink_in(ink, 0, ink.w, 0, bar_top);
    const InkBox den = ink_in(ink, 0, ink.w, bar_bottom + 1, ink.h);
    ASSERT_FALSE(num.empty());
    ASSERT_FALSE(den.empty());
    EXPECT_LT(num.bottom, bar_top - 1);
    EXPECT_GT(den.top, bar_bottom + 1);
    EXPECT_GE(bar.width(), num.width());
    EXPECT_GE(bar.width(), den.width());
    // Both parts are centred on the bar.
    EXPECT_NEAR((num.left + num.right) / 2.0, (bar.left + bar.right) / 2.0, 2.5);
    EXPECT_NEAR((den.left + den.right) / 2.0, (bar.left + bar.right) / 2.0, 2.5);
  }
}

TEST(Formula, NestedFractionIsSmaller) {
  const InkBox outer = all_ink(render("\\frac{a}{b}"));
  const Ink nested_ink = render("\\frac{\\frac{a}{b}}{c}");
  // The inner fraction's letters are set at script size: its a-b block is shorter.
  const std::vector<int> rows = rule_rows(nested_ink, 0.9);
  ASSERT_FALSE(rows.empty());
  const InkBox inner = ink_in(nested_ink, 0, nested_ink.w, 0, rows.front());
  EXPECT_LT(inner.height(), 0.85 * outer.height());
}

TEST(Formula, SqrtBarSpansTheRadicand) {
  const Ink ink = render("\\sqrt{x+y}");
  const FormulaLayout radicand = layout_formula("x+y", kSize);
  const InkBox all = all_ink(ink);
  // The rule is the topmost long run of ink.
  std::vector<int> rows = rule_rows(ink, 0.6);
  ASSERT_FALSE(rows.empty());
  const int bar_top = rows.front();
  int bar_bottom = bar_top;
  while (std::find(rows.begin(), rows.end(), bar_bottom + 1) != rows.end()) ++bar_bottom;
  EXPECT_LE(bar_top, all.top + 1);
  const InkBox bar = ink_in(ink, 0, ink.w, bar_top, bar_bottom + 1);
  // The radicand: ink below the bar, right of the bar's start.
  const InkBox inside = ink_in(ink, bar.left + 3, ink.w, bar_bottom + 2, ink.h);
  ASSERT_FALSE(inside.empty());
  EXPECT_GE(inside.left, bar.left);
  EXPECT_LE(inside.right, bar.right + 1);
  EXPECT_GT(inside.top, bar_bottom);
  // The radicand's ink is as wide as when set alone.
  const InkBox alone = all_ink(render(radicand));
  EXPECT_NEAR(inside.width(), alone.width(), 3);
  // The sign reaches below the baseline, left of the radicand.
  const InkBox sign = ink_in(ink, 0, bar.left);
  ASSERT_FALSE(sign.empty());
  EXPECT_GT(sign.bottom, ink.baseline);
}

TEST(Formula, WidthsGrowWithTerms) {
  const std::vector<std::string> chain = {"a", "a+b", "a+b+c", "a+b+c=d", "a+b+c=d^2"};
  double last = 0;
  for (const std::string& tex : chain) {
    const double w = layout_formula(tex, kSize).width;
    EXPECT_GT(w, last) << tex;
    last = w;
  }
  // Layout scales with the size.
  const double w1 = layout_formula("\\frac{m_t}{1-\\beta_1^t}", 20).width;
  const double w2 = layout_formula("\\frac{m_t}{1-\\beta_1^t}", 40).width;
  EXPECT_NEAR(w2 / w1, 2.0, 0.02);
}

TEST(Formula, BinaryOperatorsAreSpacedWiderThanJuxtaposition) {
  // TeX puts medium space around a binary +, none around juxtaposed letters, and a leading
  // sign is unary (no space).
  const double ab = layout_formula("ab", kSize).width;
  const double a_plus_b = layout_formula("a+b", kSize).width;
  const double plus = layout_formula("+", kSize).width;
  EXPECT_GT(a_plus_b - ab - plus, 2 * (4.0 / 18) * kSize * 0.9);
  const double unary = layout_formula("-b", kSize).width;
  const double minus = layout_formula("-", kSize).width;
  const double b = layout_formula("b", kSize).width;
  EXPECT_NEAR(unary, minus + b, 0.5);
  // A relation gets more space than a binary operator.
  const double a_eq_b = layout_formula("a=b", kSize).width;
  const double eq = layout_formula("=", kSize).width;
  EXPECT_GT(a_eq_b - ab - eq, a_plus_b - ab - plus);
}

TEST(Formula, AccentSitsAboveItsBase) {
  for (const std::string accent : {"hat", "bar", "tilde", "vec"}) {
    SCOPED_TRACE(accent);
    const Ink plain = render("m");
    const Ink hat = render("\\" + accent + "{m}");
    const InkBox m = all_ink(plain);
    const InkBox both = all_ink(hat);
    // Relative to the baseline: ink added above the letter.
    const double m_top = m.top - plain.baseline;
    const double both_top = both.top - hat.baseline;
    EXPECT_LT(both_top, m_top - 3);
    // Between the accent and the letter there is a free row.
    bool gap = false;
    for (int y = both.top; y < m_top + hat.baseline + 1 && !gap; ++y) {
      gap = ink_in(hat, 0, hat.w, y, y + 1).empty();
    }
    EXPECT_TRUE(gap);
    // The accent is not far above the letter: within half an em.
    EXPECT_GT(both_top, m_top - 0.5 * kSize);
  }
}

TEST(Formula, LeftRightDelimitersCoverTheContent) {
  const Ink ink = render("\\left(\\frac{a}{b}\\right)");
  const InkBox all = all_ink(ink);
  const int paren_w = static_cast<int>(layout_formula("(", kSize).width * 0.9);
  const InkBox left_paren = ink_in(ink, 0, all.left + paren_w);
  const InkBox fr = all_ink(render("\\frac{a}{b}"));
  EXPECT_GE(left_paren.height(), 0.95 * fr.height());
  const InkBox plain_paren = all_ink(render("("));
  EXPECT_GT(left_paren.height(), plain_paren.height());
}

TEST(Formula, SumTakesLimitsInDisplayStyle) {
  const Ink ink = render("\\sum_{i=1}^{n} x_i");
  const FormulaLayout sigma = layout_formula("\\sum", kSize);
  const InkBox sig = all_ink(render(sigma));
  const InkBox all = all_ink(ink);
  // Limits stretch the formula above and below the bare sigma.
  EXPECT_LT(all.top, ink.baseline - sigma.ascent - 2);
  EXPECT_GT(all.bottom, ink.baseline + sigma.descent + 2);
  EXPECT_GT(sig.height(), 0);
}

TEST(Formula, MobjectBoundsAreResolutionIndependent) {
  FrameGeometry small;
  FrameGeometry large;
  large.width_px = 1920;
  large.height_px = 1080;
  Formula f("\\theta_{t+1} = \\theta_t - \\eta\\, g_t", 36, Rgba{1, 1, 1, 1}, {1, 2},
            Anchor::kLeft);
  const Box2 a = f.bounds(small);
  const Box2 b = f.bounds(large);
  EXPECT_NEAR(a.width(), b.width(), 0.01 * a.width());
  EXPECT_NEAR(a.height(), b.height(), 0.02 * a.height());
  EXPECT_NEAR(a.left, 1.0, 1e-9);
  EXPECT_NEAR(a.center().y, 2.0, 1e-9);
  EXPECT_THROW(Formula("\\frac{", 36, Rgba{}, {0, 0}), InputError);
  EXPECT_THROW(Formula("a + \\nosuchcommand", 36, Rgba{}, {0, 0}), InputError);
}

// ---- Text

TEST(Text, BoundsScaleWithPointsAndNotWithResolution) {
  FrameGeometry hd;
  FrameGeometry fhd;
  fhd.width_px = 1920;
  fhd.height_px = 1080;
  TextStyle small;
  small.points = 24;
  TextStyle big = small;
  big.points = 48;
  const std::string s = "Adam: bias-corrected moments";
  const Box2 a = Text(s, small, {0, 0}).bounds(hd);
  const Box2 b = Text(s, big, {0, 0}).bounds(hd);
  EXPECT_NEAR(b.width() / a.width(), 2.0, 0.03);
  EXPECT_NEAR(b.height() / a.height(), 2.0, 0.03);
  const Box2 c = Text(s, big, {0, 0}).bounds(fhd);
  EXPECT_NEAR(c.width(), b.width(), 0.01 * b.width());
  EXPECT_NEAR(c.height(), b.height(), 0.01 * b.height());
  // measure_text agrees with the Mobject's bounds.
  const Box2 m = measure_text(s, big, hd);
  EXPECT_NEAR(m.width(), b.width(), 1e-9);
}

TEST(Text, AnchorsPlaceTheBox) {
  FrameGeometry geo;
  TextStyle style;
  const Text center("Title", style, {1, 1});
  const Text top_left("Title", style, {-3, 2}, Anchor::kTopLeft);
  const Box2 c = center.bounds(geo);
  const Box2 t = top_left.bounds(geo);
  EXPECT_NEAR(c.center().x, 1, 1e-9);
  EXPECT_NEAR(c.center().y, 1, 1e-9);
  EXPECT_NEAR(t.left, -3, 1e-9);
  EXPECT_NEAR(t.top, 2, 1e-9);
  EXPECT_NEAR(t.width(), c.width(), 1e-9);
  const Vec2 up = to_edge_top(c, geo, 0.5);
  EXPECT_NEAR(c.top + up.y, geo.frame_height / 2 - 0.5, 1e-9);
  const Vec2 below = next_to_below(t, c, 0.25);
  EXPECT_NEAR(t.top + below.y, c.bottom - 0.25, 1e-9);
}

TEST(Text, WrapsAtMaxWidth) {
  FrameGeometry geo;
  TextStyle style;
  const std::string s = "gradient descent follows the negative gradient downhill";
  const Box2 one_line = Text(s, style, {0, 0}).bounds(geo);
  style.max_width_units = one_line.width() / 2.5;
  const Box2 wrapped = Text(s, style, {0, 0}).bounds(geo);
  EXPECT_LE(wrapped.width(), style.max_width_units + 1e-9);
  EXPECT_GT(wrapped.height(), 2.5 * one_line.height());
}

TEST(Text, UnicodeAndMarkupHaveGlyphs) {
  FrameGeometry geo;
  TextStyle style;
  EXPECT_EQ(Text("θ₁ ← θ₀ − η∇L(θ₀), β₁ = 0.9", style, {0, 0}).unknown_glyphs(geo), 0);
  Text markup(
      "θ<sub>t+1</sub> = x<sup>2</sup> <b>bold</b> <i>it</i> "
      "<span foreground=\"#ff0000\">red</span>",
      style, {0, 0}, Anchor::kCenter, true);
  EXPECT_EQ(markup.unknown_glyphs(geo), 0);
  EXPECT_THROW(Text("<b>unclosed", style, {0, 0}, Anchor::kCenter, true), InputError);
  // Missing glyphs are detected.
  EXPECT_GT(Text("\xf3\xb0\x80\x80", style, {0, 0}).unknown_glyphs(geo), 0);
}

// Alpha of every pixel after drawing `mob` with `state` on a transparent frame.
std::vector<unsigned char> draw_alpha(const Mobject& mob, const FrameGeometry& geo,
                                      const DrawState& state) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, geo.width_px, geo.height_px);
  cairo_t* cr = cairo_create(s);
  mob.draw(cr, geo, state);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  std::vector<unsigned char> out;
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < geo.height_px; ++y) {
    for (int x = 0; x < geo.width_px; ++x) {
      out.push_back(static_cast<unsigned char>(
          *(reinterpret_cast<const uint32_t*>(data + y * stride) + x) >> 24));
    }
  }
  cairo_surface_destroy(s);
  return out;
}

double ink_sum(const std::vector<unsigned char>& alpha) {
  double sum = 0;
  for (unsigned char a : alpha) sum += a;
  return sum;
}

TEST(Text, RevealDrawsNothingThenSomeThenAll) {
  FrameGeometry geo;
  geo.width_px = 480;
  geo.height_px = 270;
  TextStyle style;
  const Text text("Momentum smooths", style, {0, 0});
  EXPECT_EQ(text.cluster_count(geo), 15);  // letters, not the space
  DrawState state;
  state.reveal = 0;
  EXPECT_EQ(ink_sum(draw_alpha(text, geo, state)), 0);
  state.reveal = 1;
  const auto full = draw_alpha(text, geo, state);
  EXPECT_GT(ink_sum(full), 0);
  state.reveal = 0.5;
  const double half = ink_sum(draw_alpha(text, geo, state));
  EXPECT_GT(half, 0.2 * ink_sum(full));
  EXPECT_LT(half, 0.8 * ink_sum(full));
  // The default state draws everything, the same pixels as reveal = 1.
  EXPECT_EQ(draw_alpha(text, geo, DrawState{}), full);
  // Opacity scales the ink; shift moves it.
  state.reveal = 1;
  state.opacity = 0.5;
  EXPECT_NEAR(ink_sum(draw_alpha(text, geo, state)) / ink_sum(full), 0.5, 0.02);
}

TEST(Formula, RevealDrawsNothingThenAll) {
  FrameGeometry geo;
  geo.width_px = 480;
  geo.height_px = 270;
  const Formula f("\\hat{m}_t = \\frac{m_t}{1 - \\beta_1^t}", 36, Rgba{1, 1, 1, 1}, {0, 0});
  DrawState state;
  state.reveal = 0;
  EXPECT_EQ(ink_sum(draw_alpha(f, geo, state)), 0);
  state.reveal = 1;
  const double full = ink_sum(draw_alpha(f, geo, state));
  EXPECT_GT(full, 0);
  state.reveal = 0.4;
  const double part = ink_sum(draw_alpha(f, geo, state));
  EXPECT_GT(part, 0);
  EXPECT_LT(part, full);
  // The drawn ink lies inside bounds().
  const auto alpha = draw_alpha(f, geo, DrawState{});
  const Box2 b = f.bounds(geo);
  for (int y = 0; y < geo.height_px; ++y) {
    for (int x = 0; x < geo.width_px; ++x) {
      if (alpha[static_cast<size_t>(y * geo.width_px + x)] > 128) {
        ASSERT_GE(x + 1, geo.to_px_x(b.left) - 1);
        ASSERT_LE(x, geo.to_px_x(b.right) + 1);
        ASSERT_GE(y + 1, geo.to_px_y(b.top) - 1);
        ASSERT_LE(y, geo.to_px_y(b.bottom) + 1);
      }
    }
  }
}

// The sample sheet: renders lecture formulas and texts; writes a PNG when TRAJTOOL_TEXT_SHEET
// names a path (for looking at it), and checks every glyph was found.
TEST(Sheet, SampleFormulasAndTexts) {
  const std::vector<std::string> formulas = {
      "\\hat{m}_t = \\frac{m_t}{1 - \\beta_1^t}, \\quad \\hat{v}_t = \\frac{v_t}{1 - \\beta_2^t}",
      "\\theta_{t+1} = \\theta_t - \\frac{\\eta\\, \\hat{m}_t}{\\sqrt{\\hat{v}_t} + \\epsilon}",
      "m_t = \\beta_1 m_{t-1} + (1-\\beta_1)\\, g_t",
      "v_t = \\beta_2 v_{t-1} + (1-\\beta_2)\\, g_t^2",
      "f(x,y) = (1-x)^2 + 100\\,(y-x^2)^2",
      "\\nabla_\\theta L = \\left( \\frac{\\partial L}{\\partial x}, \\frac{\\partial L}{\\partial "
      "y} \\right)",
      "L(\\theta) = \\frac{1}{N} \\sum_{i=1}^{N} \\ell(x_i; \\theta) \\approx \\min_{\\theta} "
      "\\exp(-\\alpha \\|x\\|^2)",
      "\\text{EMA: } s_t \\leftarrow \\gamma s_{t-1} + (1 - \\gamma)\\, "
      "\\color[HTML]{FC6255}{x_t}, "
      "\\qquad \\gamma \\in [0, 1)",
      "x_{t+1} = x_t - \\eta \\nabla f(x_t) \\cdot \\vec{v} \\times \\tilde{g} \\odot \\bar{u} "
      "\\leq \\infty",
  };
  const double size = 40;
  std::vector<FormulaRequest> requests;
  for (const std::string& tex : formulas) requests.push_back({tex, "sheet"});
  typeset_formulas(requests);  // one TeX run for the sheet
  std::vector<FormulaLayout> layouts;
  double height = 30;
  double width = 0;
  for (const std::string& tex : formulas) {
    layouts.push_back(layout_formula(tex, size));
    height += layouts.back().ascent + layouts.back().descent + 26;
    width = std::max(width, layouts.back().width);
  }
  FrameGeometry geo;
  geo.width_px = std::max(1280, static_cast<int>(width) + 80);
  geo.height_px = static_cast<int>(height) + 260;
  geo.frame_height = 8.0 * geo.height_px / 720;  // keep 90 px per unit
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, geo.width_px, geo.height_px);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0x1e / 255.0, 0x1e / 255.0, 0x2e / 255.0);
  cairo_paint(cr);
  double y = 20;
  const auto start = std::chrono::steady_clock::now();
  for (const FormulaLayout& f : layouts) {
    y += f.ascent;
    f.draw(cr, 40, y, Rgba{1, 1, 1, 1});
    y += f.descent + 26;
  }
  const double draw_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(draw_ms, 200);
  TextStyle title;
  title.points = 32;
  title.bold = true;
  const double y_units = geo.frame_height / 2 - (y + 10) / geo.px_per_unit();
  Text t1("Adam: adaptive moments (θ₁, β₂ = 0.999)", title,
          {-geo.frame_width() / 2 + 40 / geo.px_per_unit(), y_units}, Anchor::kTopLeft);
  TextStyle body;
  body.points = 28;
  body.color = Rgba{0.8, 0.85, 1, 1};
  Text t2(
      "Step size η, gradient g<sub>t</sub> = ∇f(θ<sub>t</sub>), "
      "<i>bias correction</i> and <span foreground=\"#83c167\">x<sup>2</sup></span>",
      body, {t1.bounds(geo).left, t1.bounds(geo).bottom - 0.15}, Anchor::kTopLeft, true);
  TextStyle serif = body;
  serif.family = "DejaVu Serif";
  serif.italic = true;
  Text t3("Rosenbrock’s valley: f(x, y) = (1 − x)² + 100 (y − x²)²", serif,
          {t2.bounds(geo).left, t2.bounds(geo).bottom - 0.15}, Anchor::kTopLeft);
  for (const Text* t : {&t1, &t2, &t3}) {
    EXPECT_EQ(t->unknown_glyphs(geo), 0);
    t->draw(cr, geo, DrawState{});
  }
  cairo_destroy(cr);
  if (const char* path = std::getenv("TRAJTOOL_TEXT_SHEET")) {
    EXPECT_EQ(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
  }
  cairo_surface_destroy(s);
}

}  // namespace
}  // namespace trajtool
