#pragma once
// Where a render's formulas come from: typeset all at once before the first frame (one TeX run
// for every formula the cache lacks, see tex_batch.h), cached under the cache root (kind
// "formula", keyed by the preamble, the formula and the TeX installation), and kept in memory for
// the Formula mobjects that draw them. Process-wide: one render per process.
#include <memory>
#include <string>
#include <vector>

#include "toolkit/core/formula_outline.h"

namespace trajtool {

// How formulas are typeset and where they are kept.
struct TexSettings {
  std::string cache_root;       // the cache root of "formulas/"; empty: keep nothing on disk
  std::string preamble;         // the scene's `tex_preamble` (after kDefaultTexPreamble)
  std::string preamble_origin;  // "scene.yaml:3: tex_preamble", for TeX's errors in it
};

// A formula to typeset, with where it was asked for.
struct FormulaRequest {
  std::string tex;     // the formula (math mode, display style)
  std::string origin;  // "scene.yaml:12: formula.tex", for TeX's errors
};

// What typeset_formulas did.
struct TypesetReport {
  int requested = 0;       // distinct formulas asked for
  int from_cache = 0;      // found in memory or in the cache
  int compiled = 0;        // typeset by this call's TeX run
  double tex_seconds = 0;  // wall time of that run (latex + dvisvgm), 0 if none
};

// Replaces the settings (and forgets formulas typeset under other ones).
void set_tex_settings(const TexSettings& settings);
const TexSettings& tex_settings();

// Makes every formula of `requests` available to formula_outline(): those neither in memory nor in
// the cache are typeset in one TeX run and written to the cache. A formula or preamble TeX rejects
// is an InputError "<origin>: TeX: ! <TeX's message> -- l.N <the line up to the error>".
TypesetReport typeset_formulas(const std::vector<FormulaRequest>& requests);

// The outline of `tex`: from memory, else the cache, else typeset on its own (one TeX run; a
// formula that a scene's pre-pass did not collect still draws, only slower). InputError when TeX
// rejects it.
std::shared_ptr<const FormulaOutline> formula_outline(const std::string& tex);

// The cache key of `tex` under the current settings.
std::string formula_key(const std::string& tex);

}  // namespace trajtool
