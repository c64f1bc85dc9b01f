#include "viz/scenes/scene_player.h"

#include <algorithm>
#include <cstdio>

#include "toolkit/core/error.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/stage_3d.h"

namespace trajtool {
namespace {

// How close to the frame's edges anything a block draws may come. Blocks place titles and notes
// at the seeds' buff of 0.5 from the edge; a measured box (a text's includes its line spacing,
// an axis its labels) may reach a little further. Closer than this is off the screen of a
// projector that crops, or simply out of the frame.
constexpr double kFrameMargin = 0.2;

// Everything a block added, at rest, must lie inside the frame less the margin.
void check_inside_frame(const SceneBuilder& builder, std::size_t first, const FrameGeometry& geo) {
  const double half_w = geo.frame_width() / 2 - kFrameMargin;
  const double half_h = geo.frame_height / 2 - kFrameMargin;
  for (std::size_t i = first; i < builder.tracks().size(); ++i) {
    const Box2 box = builder.tracks()[i].mob->bounds(geo);
    const double out =
        std::max({-half_w - box.left, box.right - half_w, -half_h - box.bottom, box.top - half_h});
    if (out > 0) {
      const char* edge = out == -half_w - box.left     ? "left"
                         : out == box.right - half_w   ? "right"
                         : out == -half_h - box.bottom ? "bottom"
                                                       : "top";
      char amount[32];
      std::snprintf(amount, sizeof amount, "%.2f", out);
      throw InputError(std::string("what this block draws comes ") + amount +
                       " units too close to the frame's " + edge +
                       " edge (keep 0.2 from every edge): shorten or wrap its text, or move or "
                       "shrink it");
    }
  }
}

}  // namespace

Timeline play_scene(const SceneScript& script, const SceneData& data, const FrameGeometry& geo,
                    std::vector<std::string>* warnings) {
  if (data.experiments.size() != script.header.experiments.size()) {
    throw InputError(script.header.path + ": the scene reads " +
                     std::to_string(script.header.experiments.size()) + " experiment(s), " +
                     std::to_string(data.experiments.size()) + " loaded");
  }
  SceneBuilder builder(script.section_clear_time);
  SceneContext c{script, data, geo, builder, std::nullopt, nullptr, nullptr, warnings};
  for (const SceneSection& section : script.sections) {
    if (!section_plays(section, c)) continue;
    builder.section(section.name);
    c.stage.reset();
    c.stage3d.reset();
    for (const SceneBlock& block : section.blocks) {
      c.block = &block;
      const std::size_t shown_before = builder.tracks().size();
      try {
        std::visit([&c](const auto& body) { play_block(c, body); }, block.body);
        check_inside_frame(builder, shown_before, geo);
      } catch (const InputError& e) {
        // Errors from below (a formula's TeX, a colour) learn which block they came from.
        const std::string what = e.what();
        if (what.rfind(block.origin, 0) == 0) throw;
        throw InputError(block.origin + ": " + what);
      }
    }
  }
  builder.clear(script.section_clear_time);
  Timeline timeline = builder.build();
  if (timeline.duration() <= 0) {
    throw InputError(script.header.path + ": the scene draws nothing (every section was skipped " +
                     "by its `when`, or holds nothing that takes time)");
  }
  return timeline;
}

}  // namespace trajtool
