#pragma once
// Plays a scene file: turns a SceneScript's blocks and the cached data it names into a timeline.
// The player never computes data; a block that asks for data the experiments do not hold (a run
// label that is not there, a 1D run on a landscape) throws InputError naming the block's file,
// line and key.
#include <string>
#include <vector>

#include "toolkit/config/scene_script.h"
#include "viz/mobject.h"
#include "viz/scene_data.h"
#include "viz/tex/formula_store.h"
#include "viz/timeline.h"

namespace trajtool {

// `data.experiments` holds the scene's experiments in the order of `script.header.experiments`.
// `geo` is the output's geometry (text is measured with it).
// `warnings`, when given, receives what the scene asked for but had to leave out (each "file:line:
// key: what").
Timeline play_scene(const SceneScript& script, const SceneData& data, const FrameGeometry& geo,
                    std::vector<std::string>* warnings = nullptr);

// Every formula play_scene will typeset, with the block each comes from (scene_formulas.cc): the
// pre-pass that lets a render typeset them all in one TeX run (typeset_formulas) before it plays.
// A block kind that typesets formulas adds one formulas_of overload there.
std::vector<FormulaRequest> scene_formulas(const SceneScript& script, const SceneData& data);

}  // namespace trajtool
