#pragma once
// Reads the SVG pages that `dvisvgm --no-fonts --bbox=none` makes of a DVI file into the engine's
// own paths (FormulaOutline). dvisvgm draws each glyph as a <path> in <defs>, placed by <use x y>,
// rules as <rect>, and colours as <g fill>; that is all this reader accepts. Coordinates on such a
// page are big points from the top-left corner of the shipped TeX box.
#include <string>
#include <vector>

#include "toolkit/core/formula_outline.h"

namespace trajtool {

// One SVG document's pieces (glyphs and rules, in the page's order), moved so that the box's
// baseline is y = 0: `box_height_bp` is the TeX box's height above its baseline. The box's
// width, height and depth are left for the caller to fill. Throws RuntimeFailure on SVG this
// reader does not understand (the message names the construct).
FormulaOutline read_dvisvgm_page(const std::string& svg, double box_height_bp);

// The SVG documents of `dvisvgm --stdout` over several pages, one string each, in page order.
std::vector<std::string> split_svg_documents(const std::string& text);

}  // namespace trajtool
