#pragma once
// One LaTeX run for many formulas: every formula becomes one page (a display-style math box
// shipped out on its own), `latex` typesets them all, `dvisvgm --no-fonts` turns the pages into
// glyph outlines, and each page is read into a FormulaOutline with the box TeX reported.
#include <string>
#include <vector>

#include "toolkit/core/error.h"
#include "toolkit/core/formula_outline.h"

namespace trajtool {

// The packages every formula may use, before a scene's own `tex_preamble`.
extern const char* const kDefaultTexPreamble;

// A formula or preamble TeX rejected. `formula` is the index of the formula whose page failed, or
// -1 for the preamble; `message` is TeX's own error ("! Undefined control sequence." and the line
// up to the offending command).
class TexError : public InputError {
 public:
  TexError(int formula, std::string message);
  int formula;          // which formula, -1: the preamble
  std::string message;  // TeX's error line and its context, a few lines at most
};

// What one batch made.
struct TexBatch {
  std::vector<FormulaOutline> outlines;  // one per formula, in the order given
  double tex_seconds = 0;                // wall time of latex + dvisvgm
};

// Typesets `formulas` with kDefaultTexPreamble followed by `preamble`, in one `latex` and one
// `dvisvgm` process, in a temporary folder that is removed afterwards. Throws TexError when TeX
// rejects the input, RuntimeFailure when latex or dvisvgm cannot be run.
TexBatch typeset_batch(const std::string& preamble, const std::vector<std::string>& formulas);

// What identifies the TeX installation for cache keys, found without starting a process: the
// resolved paths, sizes and modification times of `latex`, its format file and `dvisvgm` on PATH.
// "missing" stands in for a program that is not there.
std::string tex_toolchain_identity();

// How many latex processes this process started (for tests: a warm render starts none).
int tex_process_count();

}  // namespace trajtool
