// Formulas typeset by TeX. References: TeX's own box dimensions (\wd, \ht, \dp of the formula set
// by a latex run of the test's own), dvisvgm's exact ink bounding box of the same page, the cache
// read back by `trajtool cache verify`, and the process tree (a latex on PATH that counts its
// starts) for "a second render starts no TeX".
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "tests/support/process.h"
#include "toolkit/core/error.h"
#include "viz/formula.h"
#include "viz/tex/formula_store.h"
#include "viz/tex/tex_batch.h"

namespace fs = std::filesystem;

namespace trajtool {
namespace {

using testing::read_file;
using testing::Result;
using testing::run;

// The constructs of issue 10, each as a lecturer writes it; \loss comes from the preamble.
const char* kPreamble =
    "\\newcommand{\\loss}{\\mathcal{L}}\n\\DeclareMathOperator*{\\argmin}{arg\\,min}";
const std::vector<std::string> kConstructs = {
    "\\mathcal{L}(\\boldsymbol{\\theta}) = \\mathbb{E}_{x \\sim p}\\, \\ell(x; "
    "\\boldsymbol{\\theta})",
    "\\boldsymbol{\\theta} \\in \\mathbb{R}^n",
    "A = \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
    "\\operatorname{ReLU}(x) = \\begin{cases} x & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}",
    "\\begin{aligned} m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1) g_t \\\\ v_t &= \\beta_2 v_{t-1} + "
    "(1 "
    "- \\beta_2) g_t^2 \\end{aligned}",
    "\\underbrace{\\frac{1}{N} \\sum_{i=1}^N \\ell_i}_{\\text{empirical risk}}",
    "\\theta^\\star = \\operatorname*{arg\\,min}_{\\theta} \\loss(\\theta) = \\argmin_\\theta "
    "\\loss",
};

class TexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trajtool_tex_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    set_tex_settings({});
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

// What TeX and dvisvgm say of one formula set by a latex run of the test's own.
struct TexReference {
  double wd = 0, ht = 0, dp = 0;  // the box, bp
  double page_ht = 0;             // the height of the box without a strut
  double ink_x = 0, ink_y = 0, ink_w = 0,
         ink_h = 0;  // dvisvgm --exact-bbox, bp from the box's top-left
};

std::vector<TexReference> reference_boxes(const fs::path& dir, const std::string& preamble,
                                          const std::vector<std::string>& formulas) {
  std::ofstream tex(dir / "ref.tex");
  tex << "\\documentclass{article}\n\\usepackage{amsmath,amssymb,bm,mathtools}\n"
      << preamble << "\n\\begin{document}\n";
  for (const std::string& f : formulas) {
    // The box with a strut (a line of text's height and depth, as trajtool sets it); the page
    // without, since dvisvgm counts the strut's zero-width rule as ink.
    tex << "\\setbox0=\\hbox{\\strut$\\displaystyle " << f
        << "$}\\typeout{REF \\the\\wd0 \\space\\the\\ht0 \\space\\the\\dp0 }"
        << "\\setbox2=\\hbox{$\\displaystyle " << f << "$}\\typeout{PAGE \\the\\ht2 }"
        << "\\shipout\\box2\n";
  }
  tex << "\\end{document}\n";
  tex.close();
  const std::string in_dir = "cd " + dir.string() + " && ";
  EXPECT_EQ(run(in_dir + "latex -interaction=nonstopmode ref.tex </dev/null").status, 0);
  std::vector<TexReference> refs;
  std::ifstream log(dir / "ref.log");
  const std::regex box(R"(REF ([0-9.]+)pt ([0-9.]+)pt ([0-9.]+)pt)");
  const std::regex page_height(R"(PAGE ([0-9.]+)pt)");
  const double bp = 72.0 / 72.27;
  for (std::string line; std::getline(log, line);) {
    std::smatch m;
    if (std::regex_search(line, m, box)) {
      refs.push_back({std::stod(m[1]) * bp, std::stod(m[2]) * bp, std::stod(m[3]) * bp});
    } else if (std::regex_search(line, m, page_height) && !refs.empty()) {
      refs.back().page_ht = std::stod(m[1]) * bp;
    }
  }
  EXPECT_EQ(refs.size(), formulas.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    const std::string page = std::to_string(i + 1);
    EXPECT_EQ(run(in_dir + "dvisvgm --no-fonts --exact-bbox --bbox=min --page=" + page +
                  " -o ref-" + page + ".svg ref.dvi")
                  .status,
              0);
    const std::string svg = read_file(dir / ("ref-" + page + ".svg"));
    std::smatch m;
    const std::regex view(R"(viewBox='([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+)')");
    EXPECT_TRUE(std::regex_search(svg, m, view)) << svg.substr(0, 400);
    if (m.size() == 5) {
      refs[i].ink_x = std::stod(m[1]);
      refs[i].ink_y = std::stod(m[2]);
      refs[i].ink_w = std::stod(m[3]);
      refs[i].ink_h = std::stod(m[4]);
    }
  }
  return refs;
}

TEST_F(TexTest, EachConstructsOutlineMatchesTheBoxesTeXAndDvisvgmReport) {
  set_tex_settings({(dir_ / "cache").string(), kPreamble, "test preamble"});
  std::vector<FormulaRequest> requests;
  for (const std::string& f : kConstructs) requests.push_back({f, "test"});
  const int runs_before = tex_process_count();
  const TypesetReport report = typeset_formulas(requests);
  EXPECT_EQ(tex_process_count(), runs_before + 1);  // all of them in one run
  EXPECT_EQ(report.compiled, static_cast<int>(kConstructs.size()));
  const std::vector<TexReference> refs = reference_boxes(dir_, kPreamble, kConstructs);
  ASSERT_EQ(refs.size(), kConstructs.size());
  for (size_t i = 0; i < kConstructs.size(); ++i) {
    SCOPED_TRACE(kConstructs[i]);
    const FormulaOutline& f = *formula_outline(kConstructs[i]);
    EXPECT_NEAR(f.width, refs[i].wd, 1e-4);
    EXPECT_NEAR(f.height, refs[i].ht, 1e-4);
    EXPECT_NEAR(f.depth, refs[i].dp, 1e-4);
    EXPECT_GT(f.piece_count(), 2);
    // The outline's control points hold the ink; TeX's glyphs have points at their extremes, so
    // their hull is the exact ink box dvisvgm computes, to under a hundredth of the font size.
    // dvisvgm's box starts at the first glyph's origin rather than its ink: ours may start up to
    // a side bearing later.
    const OutlineInk ink = outline_ink(f);
    const double tol = 0.08;  // bp, of a 10 bp font
    EXPECT_NEAR(ink.right, refs[i].ink_x + refs[i].ink_w, tol);
    EXPECT_NEAR(ink.top + refs[i].page_ht, refs[i].ink_y, tol);
    EXPECT_NEAR(ink.bottom + refs[i].page_ht, refs[i].ink_y + refs[i].ink_h, tol);
    EXPECT_GE(ink.left, refs[i].ink_x - tol);
    EXPECT_LT(ink.left, refs[i].ink_x + 1.0);
    // The ink lies in TeX's box but for overshoots (round glyphs poke out by a little).
    EXPECT_GT(ink.top, -f.height - 0.5);
    EXPECT_LT(ink.bottom, f.depth + 0.5);
    EXPECT_LT(ink.right, f.width + 0.5);
    // The mobject's box is TeX's box at the font size: 36 pt on a 720-pixel frame of 8 units.
    const FrameGeometry geo;
    const Box2 b = Formula(kConstructs[i], 36, Rgba{1, 1, 1, 1}, {0, 0}).bounds(geo);
    const double units_per_bp = 36.0 / kTexFontBp / 90.0;
    EXPECT_NEAR(b.width(), refs[i].wd * units_per_bp, 1e-6);
    EXPECT_NEAR(b.height(), (refs[i].ht + refs[i].dp) * units_per_bp, 1e-6);
  }
}

TEST_F(TexTest, ASecondTypesettingReadsTheCacheAndStartsNoTeX) {
  const TexSettings settings{(dir_ / "cache").string(), "", ""};
  set_tex_settings(settings);
  const std::vector<FormulaRequest> requests = {
      {"a^2 + b^2 = c^2", "t"}, {"\\sqrt{x}", "t"}, {"a^2 + b^2 = c^2", "t"}};
  const TypesetReport cold = typeset_formulas(requests);
  EXPECT_EQ(cold.requested, 2);
  EXPECT_EQ(cold.compiled, 2);
  EXPECT_GT(cold.tex_seconds, 0);
  const FormulaOutline first = *formula_outline("\\sqrt{x}");
  set_tex_settings(settings);  // forgets what is in memory: as a new render would start
  const int runs = tex_process_count();
  const TypesetReport warm = typeset_formulas(requests);
  EXPECT_EQ(tex_process_count(), runs);
  EXPECT_EQ(warm.compiled, 0);
  EXPECT_EQ(warm.from_cache, 2);
  const FormulaOutline again = *formula_outline("\\sqrt{x}");
  EXPECT_EQ(again.points, first.points);
  EXPECT_EQ(again.ops, first.ops);
  // Each entry is a cache file that the cache's verifier accepts, keyed by preamble + formula.
  const CacheStore store((dir_ / "cache").string());
  int formulas = 0;
  for (const EntryListing& e : store.list()) {
    if (e.kind != EntryKind::kFormula) continue;
    ++formulas;
    EXPECT_NO_THROW(store.verify(e.kind, e.key));
  }
  EXPECT_EQ(formulas, 2);
  const std::string key = formula_key("\\sqrt{x}");
  EXPECT_TRUE(store.contains(EntryKind::kFormula, key));
  set_tex_settings({(dir_ / "cache").string(), "\\usepackage{amsmath}", ""});
  EXPECT_NE(formula_key("\\sqrt{x}"), key);  // another preamble, another entry
}

std::string error_of(const std::vector<FormulaRequest>& requests) {
  try {
    typeset_formulas(requests);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(TexTest, TeXErrorsNameTheOriginAndQuoteTeXsErrorLine) {
  set_tex_settings({"", "\\newcommand{\\loss}{\\mathcal{L}}", "scene.yaml:3: tex_preamble"});
  EXPECT_EQ(error_of({{"x^2", "scene.yaml:8: formula.tex"},
                      {"\\loss + \\thta", "scene.yaml:9: formula.tex"}}),
            "scene.yaml:9: formula.tex: TeX: ! Undefined control sequence. -- l.1 \\loss + \\thta");
  const std::string env = error_of({{"\\begin{pmatri} a \\end{pmatri}", "s.yaml:4: formula.tex"}});
  EXPECT_EQ(
      env.rfind("s.yaml:4: formula.tex: TeX: ! LaTeX Error: Environment pmatri undefined.", 0), 0u)
      << env;
  const std::string open = error_of({{"\\left( x", "s.yaml:5: formula.tex"}});
  EXPECT_EQ(open.rfind("s.yaml:5: formula.tex: TeX: ! Missing \\right. inserted.", 0), 0u) << open;
  set_tex_settings({"", "\\usepackage{nosuchpackage}", "scene.yaml:3: tex_preamble"});
  const std::string pre = error_of({{"x", "s"}});
  EXPECT_EQ(pre.rfind("scene.yaml:3: tex_preamble: TeX: ! LaTeX Error: File `nosuchpackage.sty' "
                      "not found.",
                      0),
            0u)
      << pre;
  for (const std::string& message : {env, open, pre}) {
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;  // one line, not a log dump
  }
}

TEST_F(TexTest, ColourFromXcolorReachesItsGlyphsOnly) {
  set_tex_settings({});
  const FormulaOutline& f = *formula_outline("a + \\textcolor[HTML]{FC6255}{b}");
  int coloured = 0;
  for (int64_t i = 0; i < f.piece_count(); ++i) {
    const double* rgba = &f.piece_rgba[static_cast<size_t>(4 * i)];
    if (rgba[3] < 0) continue;
    ++coloured;
    EXPECT_NEAR(rgba[0], 0xfc / 255.0, 1e-9);
    EXPECT_NEAR(rgba[1], 0x62 / 255.0, 1e-9);
    EXPECT_NEAR(rgba[2], 0x55 / 255.0, 1e-9);
  }
  EXPECT_EQ(coloured, 1);
  EXPECT_EQ(f.piece_count(), 3);
}

// ---- The trajtool executable, as a lecturer runs it.

// Where the scene puts each construct: two columns, scene units.
const double kAt[][2] = {{-3.4, 2.6}, {-3.4, 0.9}, {-3.4, -0.8}, {-3.4, -2.6},
                         {3.4, 2.4},  {3.4, 0.1},  {3.4, -2.3}};

std::string constructs_scene() {
  std::string s =
      "scene: TexConstructs\nsummary: every construct of issue 10\ntex_preamble: |\n"
      "  \\newcommand{\\loss}{\\mathcal{L}}\n  \\DeclareMathOperator*{\\argmin}{arg\\,min}\n"
      "sections:\n  - name: all\n    blocks:\n";
  for (size_t i = 0; i < kConstructs.size(); ++i) {
    std::string escaped;
    for (char c : kConstructs[i]) escaped += c == '\\' ? std::string("\\\\") : std::string(1, c);
    char at[64];
    std::snprintf(at, sizeof at, "[%.2f, %.2f]", kAt[i][0], kAt[i][1]);
    s += "      - formula: {tex: \"" + escaped + "\", at: " + at + ", size: 30, run_time: 0.5}\n";
  }
  return s + "      - wait: 1\n";
}

class TexCli : public TexTest {
 protected:
  // trajtool with the cache and the scenes in the test's folder, and `path_prefix` before PATH.
  Result trajtool(const std::string& args, const std::string& path_prefix = "") const {
    const std::string env = path_prefix.empty() ? "" : "PATH=" + path_prefix + ":$PATH ";
    return run(env + TRAJTOOL_EXE + " " + args + " --cache-dir " + (dir_ / "cache").string());
  }
  void write_scene(const std::string& name, const std::string& text) const {
    fs::create_directories(dir_ / "scenes");
    std::ofstream(dir_ / "scenes" / (name + ".yaml")) << text;
  }
  std::string scenes() const { return " --scenes " + (dir_ / "scenes").string(); }
};

// Ink pixels (brighter than the background) of the still in rows [y0, y1) and columns [x0, x1).
int bright_pixels(const fs::path& png, int y0, int y1, int x0, int x1) {
  const std::string box = std::to_string(y0) + ":" + std::to_string(y1) + "," + std::to_string(x0) +
                          ":" + std::to_string(x1);
  Result r = run("/usr/bin/python3 -c \"import matplotlib.image as m; a=m.imread('" + png.string() +
                 "'); print(int((a[" + box + ",:3].mean(axis=2) > 0.5).sum()))\"");
  return r.status == 0 ? std::stoi(r.output) : -1;
}

TEST_F(TexCli, StillsOfEveryConstructAreDrawnAndStayVector) {
  write_scene("TexConstructs", constructs_scene());
  const fs::path png = dir_ / "all.png";
  Result r = trajtool("render TexConstructs" + scenes() + " -ql --still 4 -o " + png.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("tex:"), std::string::npos)  // quiet when piped, as progress is
      << r.output;
  // Ink round each formula's place (854x480, 60 px per unit, origin at the centre); none far
  // from every formula (the top and bottom strips).
  for (size_t i = 0; i < kConstructs.size(); ++i) {
    const int x = static_cast<int>(427 + kAt[i][0] * 60);
    const int y = static_cast<int>(240 - kAt[i][1] * 60);
    EXPECT_GT(bright_pixels(png, y - 25, y + 25, x - 100, x + 100), 150) << kConstructs[i];
  }
  EXPECT_EQ(bright_pixels(png, 0, 20, 0, 854), 0);
  EXPECT_EQ(bright_pixels(png, 460, 480, 0, 854), 0);
  // Vector stills: the glyphs are paths, no images.
  const fs::path svg = dir_ / "all.svg";
  r = trajtool("render TexConstructs" + scenes() + " -ql --still 4 --format svg -o " +
               svg.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string text = read_file(svg);
  EXPECT_EQ(text.find("<image"), std::string::npos);
  // One path per formula (glyphs of one colour are filled together), holding the glyphs' curves.
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<path"), kConstructs.size());
  EXPECT_GT(count(" C "), 1000u);  // cubic segments of TeX's glyph outlines
}

TEST_F(TexCli, ASecondRenderStartsNoTeXProcess) {
  // A latex on PATH that counts its starts, then runs the real one.
  fs::create_directories(dir_ / "bin");
  const fs::path counter = dir_ / "latex_starts";
  const std::string real = run("command -v latex").output;
  ASSERT_FALSE(real.empty());
  std::ofstream(dir_ / "bin" / "latex")
      << "#!/bin/sh\necho start >> " << counter.string() << "\nexec "
      << real.substr(0, real.find('\n')) << " \"$@\"\n";
  fs::permissions(dir_ / "bin" / "latex", fs::perms::owner_all);
  write_scene("TexConstructs", constructs_scene());
  auto starts = [&] {
    const std::string text = read_file(counter);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  };
  const std::string args =
      "render TexConstructs" + scenes() + " -ql --still 4 -o " + (dir_ / "s.png").string();
  ASSERT_EQ(trajtool(args, (dir_ / "bin").string()).status, 0);
  EXPECT_EQ(starts(), 1);  // one TeX run for all seven formulas
  ASSERT_EQ(trajtool(args, (dir_ / "bin").string()).status, 0);
  EXPECT_EQ(starts(), 1);  // none at all the second time
  // The cache knows the entries: listed, verified, kept by gc.
  Result ls = trajtool("cache ls");
  size_t listed = 0;
  for (size_t p = ls.output.find("formulas "); p != std::string::npos;
       p = ls.output.find("formulas ", p + 1))
    ++listed;
  EXPECT_EQ(listed, kConstructs.size()) << ls.output;
  EXPECT_NE(ls.output.find("\\mathbb{R}^n"), std::string::npos);  // labelled by the formula
  EXPECT_NE(trajtool("cache verify").output.find("7 entries valid, 0 corrupt"), std::string::npos);
  EXPECT_NE(trajtool("cache gc").output.find("0 entries"), std::string::npos);
  // A damaged entry is reported by verify and removed by gc; the next render makes it again.
  const CacheStore store((dir_ / "cache").string());
  const std::string damaged = store.list().front().path;
  std::fstream(damaged, std::ios::in | std::ios::out | std::ios::binary).seekp(3000) << "XXXX";
  Result verify = trajtool("cache verify");
  EXPECT_EQ(verify.status, 1);
  EXPECT_NE(verify.output.find("6 entries valid, 1 corrupt"), std::string::npos) << verify.output;
  EXPECT_NE(trajtool("cache gc").output.find("1 entries"), std::string::npos);
  ASSERT_EQ(trajtool(args, (dir_ / "bin").string()).status, 0);
  EXPECT_EQ(starts(), 2);
}

TEST_F(TexCli, ATeXErrorStopsTheRenderBeforeAnyFrameNamingFileLineAndKey) {
  std::string scene = constructs_scene();
  scene += "      - formula: {tex: \"a + \\\\thetta_t\", at: [0, -3.5]}\n";
  write_scene("TexConstructs", scene);
  const fs::path out = dir_ / "out.mp4";
  Result r = trajtool("render TexConstructs" + scenes() + " -ql -o " + out.string());
  EXPECT_EQ(r.status, 2);
  const std::string file = (dir_ / "scenes" / "TexConstructs.yaml").string();
  EXPECT_NE(r.output.find("error: " + file +
                          ":17: sections[0].blocks[8].formula.tex: TeX: ! "
                          "Undefined control sequence. -- l.1 a + \\thetta"),
            std::string::npos)
      << r.output;
  EXPECT_LE(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace trajtool
