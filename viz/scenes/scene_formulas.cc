// The render's pre-pass: which formulas each block kind typesets. One overload per block kind
// that has formulas; every other kind falls to the template and has none.
#include <variant>

#include "objectives/objective.h"
#include "viz/scenes/layer_norm_grid.h"
#include "viz/scenes/scene_context.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/scene_player.h"

namespace trajtool {
namespace {

// What the overloads add to: the formulas so far, and the block they come from.
struct FormulaList {
  const SceneContext& c;             // the scene and its data, as the blocks see them
  std::vector<FormulaRequest>& out;  // the formulas so far
  // `key` names the block's field that holds the formula ("tex"), or "" for the block itself.
  void add(const std::string& tex, const std::string& key = "") {
    out.push_back({tex, c.block->origin + (key.empty() ? "" : "." + key)});
  }
};

template <typename Block>
void formulas_of(const Block&, FormulaList&) {}

void formulas_of(const FormulaBlock& b, FormulaList& list) { list.add(b.tex, "tex"); }

void formulas_of(const LandscapeBlock& b, FormulaList& list) {
  if (!b.formula) return;
  const RunData* run = landscape_run(list.c.experiment(b.experiment));
  if (!run) return;  // the block itself reports it
  for (const std::string& line : wrapped_formula_lines(objective_info(run->spec.objective).formula))
    list.add(line);
}

// A 3D section's surface heads its column with the objective's formula, as a landscape does.
void formulas_of(const SurfaceBlock& b, FormulaList& list) {
  if (!b.formula) return;
  const RunData* run = landscape_run(list.c.experiment(b.experiment));
  if (!run) return;  // the block itself reports it
  for (const std::string& line : wrapped_formula_lines(objective_info(run->spec.objective).formula))
    list.add(line);
}

// A gradient surface heads its column with what its height is.
void formulas_of(const GradientSurfaceBlock& b, FormulaList& list) {
  if (!b.formula) return;
  for (const std::string& line : wrapped_formula_lines(layer_value_formula(b.value)))
    list.add(line);
}

}  // namespace

std::vector<FormulaRequest> scene_formulas(const SceneScript& script, const SceneData& data) {
  SceneBuilder unused(script.section_clear_time);
  const FrameGeometry geo;
  SceneContext c{script, data, geo, unused, std::nullopt, nullptr, nullptr};
  std::vector<FormulaRequest> formulas;
  FormulaList list{c, formulas};
  for (const SceneSection& section : script.sections) {
    if (!section_plays(section, c)) continue;
    for (const SceneBlock& block : section.blocks) {
      c.block = &block;
      std::visit([&list](const auto& body) { formulas_of(body, list); }, block.body);
    }
  }
  return formulas;
}

}  // namespace trajtool
