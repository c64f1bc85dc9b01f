#pragma once
// What the blocks of a scene share while it plays: the timeline being built, the frame's geometry,
// the data by experiment name, the current section's landscape (its "stage") and the block being
// played, for messages. Each block kind is a free function (scene_blocks.h) taking this context.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "objectives/objective.h"
#include "toolkit/config/scene_script.h"
#include "viz/axes.h"
#include "viz/color.h"
#include "viz/scene_data.h"
#include "viz/text.h"
#include "viz/timeline.h"

namespace trajtool {

// What a section's landscape block leaves for the blocks after it.
struct Stage {
  const ExperimentData* experiment = nullptr;  // the landscape's experiment
  std::shared_ptr<const LossGrid> grid;        // its loss grid
  std::shared_ptr<Axes> axes;                  // data -> scene units
  ObjectiveInfo info;                          // formula, minima
  double column_left = 0;                      // the right-hand column's left edge
  double column_right = 0;                     // and right edge
  double column_y = 0;                         // where the column's next item's top goes
  std::vector<const RunData*> drawn;           // runs traced by a trajectories block
};

struct Stage3D;  // a 3D section's world (viz/scenes/stage_3d.h)

struct SceneContext {
  const SceneScript& script;          // the scene file
  const SceneData& data;              // its experiments, in the script's order
  const FrameGeometry& geo;           // the output's geometry (text is measured with it)
  SceneBuilder& builder;              // the timeline so far
  std::optional<Stage> stage;         // the current section's landscape, if any
  std::shared_ptr<Stage3D> stage3d;   // the current section's 3D world, if any
  const SceneBlock* block = nullptr;  // the block being played

  std::vector<std::string>* warnings = nullptr;  // where warn() adds; null = nowhere

  // Throws InputError("<block's file:line: key>: what").
  [[noreturn]] void fail(const std::string& what) const;
  // Something the scene asked for that is left out, for the user to hear of:
  // "<block's file:line: key>: what".
  void warn(const std::string& what) const;
  // The experiment the scene calls `name`.
  const ExperimentData& experiment(const std::string& name) const;
  // The stage, or an error saying `block_name` needs a landscape before it.
  Stage& require_stage(const char* block_name);
  // {experiment}, {objective} and {steps} of the named experiment (or the stage's) filled in.
  std::string fill(std::string text, const std::string& experiment_name) const;
};

// A note under the stage's column's last item; the column moves down.
void column_note(SceneContext& c, Stage& st, const std::string& text, double run_time);

Anchor to_anchor(TextAnchor anchor);
Vec2 to_vec(ScenePoint p);
// The colour scaled towards black by `factor` (fills of outlined boxes), opaque.
Rgba dark_shade(Rgba c, double factor);
// `hex` ("#rrggbb[aa]"), or `fallback` when empty.
Rgba color_or(const std::string& hex, Rgba fallback);
std::shared_ptr<Text> text_at(const std::string& s, double points, Rgba color, Vec2 at,
                              Anchor anchor, bool bold = false, double wrap = 0);
// "840 B", "12.3 KiB".
std::string bytes_text(int64_t bytes);
// ", lr=0.1", or "" when the optimizer has no numeric lr.
std::string lr_text(const RunSpec& run);
void replace_all(std::string& text, const std::string& from, const std::string& to);
// A run from one start point (not a start-grid sweep).
bool is_point_run(const RunData& run);
// The run whose loss grid a landscape of `e` draws: the first 2D run from a start point; or null.
const RunData* landscape_run(const ExperimentData& e);
// Whether `section` is played (its `when` holds for its experiment's runs).
bool section_plays(const SceneSection& section, const SceneContext& c);

}  // namespace trajtool
