#pragma once
// Where the basin_maps block (basin_blocks.cc) puts its maps, for the block and for tests that
// check its pixels against the geometry.
#include <cstddef>

#include "viz/mobject.h"

namespace trajtool {

// The box of map `i` of `n` (up to four in a row, two rows for more), in scene units: a square
// inside which the map's axes (equal aspect, over the start grid's cells) are drawn.
Box2 basin_panel_box(std::size_t i, std::size_t n, const FrameGeometry& geo);

}  // namespace trajtool
