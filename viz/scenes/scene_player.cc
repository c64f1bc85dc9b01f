#include "viz/scenes/scene_player.h"

#include "toolkit/error.h"
#include "viz/scenes/scene_blocks.h"

namespace trajtool {

Timeline play_scene(const SceneScript& script, const SceneData& data, const FrameGeometry& geo) {
  if (data.experiments.size() != script.header.experiments.size()) {
    throw InputError(script.header.path + ": the scene reads " +
                     std::to_string(script.header.experiments.size()) + " experiment(s), " +
                     std::to_string(data.experiments.size()) + " loaded");
  }
  SceneBuilder builder(script.section_clear_time);
  SceneContext c{script, data, geo, builder, std::nullopt, nullptr};
  for (const SceneSection& section : script.sections) {
    if (section.when != SectionCondition::always) {
      bool any = false;
      for (const RunData& run : c.experiment(section.when_experiment).runs) {
        any |= is_point_run(run) == (section.when == SectionCondition::point_runs);
      }
      if (!any) continue;
    }
    builder.section(section.name);
    c.stage.reset();
    for (const SceneBlock& block : section.blocks) {
      c.block = &block;
      std::visit([&c](const auto& body) { play_block(c, body); }, block.body);
    }
  }
  builder.clear(script.section_clear_time);
  return builder.build();
}

}  // namespace trajtool
