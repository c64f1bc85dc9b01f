#pragma once
// A scene as data: the head of its file (scene_file.h) and its sections, each a list of building
// blocks the renderer plays in order. Read and checked by scene_script_reader.h, played by
// viz/scenes/scene_player.h. Text parameters (${name}) are already filled in here. The format and
// a complete example: docs/scenes.md.
//
// Positions are in Manim's scene units: the frame is 14.22 x 8 units for 16:9, origin at the
// centre, y up. Colours are "#rrggbb" or "#rrggbbaa" ("" = the block's default).
#include <array>
#include <string>
#include <variant>
#include <vector>

#include "toolkit/config/agent_scene_blocks.h"
#include "toolkit/config/landscape_scene_blocks.h"
#include "toolkit/config/metric_blocks.h"
#include "toolkit/config/scene_file.h"
#include "toolkit/config/scene_geometry.h"
#include "toolkit/config/training_scene_blocks.h"

namespace trajtool {

// Which point of a text's box sits on its position.
enum class TextAnchor {
  center,
  left,
  right,
  top,
  bottom,
  top_left,
  top_right,
  bottom_left,
  bottom_right
};

// A large centred title with a subtitle: the opening card.
struct TitleCardBlock {
  std::string title;     // 48 pt, bold
  std::string subtitle;  // 28 pt, muted; may be empty
};

// The section's title at the top edge (36 pt, bold, buff 0.6), written on.
struct SectionTitleBlock {
  std::string text;        // may hold {experiment}, {objective}, {steps} (see `experiment`)
  std::string experiment;  // whose name/objective/steps fill the placeholders; may be empty
};

// A line of text anywhere.
struct TextBlock {
  std::string text;                        // plain text, Unicode; placeholders as SectionTitleBlock
  std::string experiment;                  // for placeholders; may be empty
  ScenePoint at;                           // where the anchor point goes
  TextAnchor anchor = TextAnchor::center;  // which point of the text's box that is
  double points = 24;                      // font size (Manim scale)
  std::string color;                       // "" = the body colour
  bool bold = false;                       // bold weight
  double width = 0;                        // wrap at this many units; 0 = one line
  bool write = false;                      // written on (true) or faded in (false)
  ScenePoint shift;                        // a fade-in's motion into place ([-0.3, 0]: leftwards)
  double run_time = 0.8;                   // seconds
};

// A display formula: LaTeX math, typeset by TeX (viz/formula.h, docs/scenes.md).
struct FormulaBlock {
  std::string tex;                         // e.g. "m_t = \\beta m_{t-1} + (1 - \\beta) g_t"
  ScenePoint at;                           // where the anchor point goes
  TextAnchor anchor = TextAnchor::center;  // which point of the formula's box that is
  double points = 40;                      // font size
  std::string color;                       // "" = the body colour
  double run_time = 1.5;                   // seconds to write it
};

// A closing remark: centred at the bottom edge, or in the landscape's right-hand column.
struct NoteBlock {
  std::string text;        // placeholders as SectionTitleBlock
  std::string experiment;  // for placeholders; may be empty
  bool in_column = false;  // false: bottom edge (20 pt); true: under the column's last item
  double run_time = 0.8;   // seconds to fade in
};

// How a landscape labels the start points and the global minima.
enum class MarkLabels {
  coordinates,  // "start (-1.5, 2)", "minimum (1, 1)"
  plain,        // "start", "(3, 2)" (where the minimum is)
  none,         // dots only
};

// An experiment's loss landscape: filled contour bands, contour lines, axes, optionally a colour
// bar, the objective's formula in the right-hand column, the start and the known minima. Later
// blocks of the section (trajectories, notes in the column, minimum_report) draw on it.
struct LandscapeBlock {
  std::string experiment;                       // whose first 2D run's loss grid is drawn
  bool log_levels = false;                      // log-spaced contour levels (else linear)
  bool heatmap = false;                         // a continuous heat map instead of bands
  std::string colormap = "viridis";             // viridis, magma, inferno, plasma, cividis
  bool contour_lines = true;                    // contour lines over the fill
  bool colorbar = false;                        // a colour bar right of the plot
  std::string colorbar_title = "loss";          // above the bar
  bool formula = true;                          // the objective's formula in the column
  MarkLabels labels = MarkLabels::coordinates;  // of the start points and global minima
  bool all_minima = false;                      // every known minimum (else the global ones)
  std::string x_label = "θ₁";                   // axis titles
  std::string y_label = "θ₂";
  double run_time = 1.2;  // seconds for the bands (lines, marks follow)
};

// How trajectories appear.
enum class TrajectoryMode {
  one_at_a_time,  // each run traced in turn, the earlier ones fading back
  all_at_once,    // every run traced together, by step, with a step counter
};

// What a trajectory legend says after each run's label.
enum class LegendDetail {
  final_loss,  // "loss 0.0123" or "diverged"
  optimizer,   // "(Adam, lr=0.1)", and ✕ for a diverged run
};

// The landscape's runs traced as paths with head dots; a diverged run ends in a cross.
struct TrajectoriesBlock {
  std::vector<std::string> runs;    // labels to draw; empty = every point run
  std::vector<std::string> colors;  // one per drawn run, in order; empty = the runs' own colours
  TrajectoryMode mode = TrajectoryMode::one_at_a_time;  // how they appear
  double run_time = 0;                             // per run (one at a time) or in all; 0 = auto
  double fade_earlier_to = 0.35;                   // one at a time: earlier paths' opacity
  LegendDetail detail = LegendDetail::final_loss;  // after each label in the legend
  std::string legend_title;                        // above the entries; {steps} allowed
  bool loss_inset = false;                         // all at once: loss against step, under
                                                   // the legend
};

// Which runs ended within `radius` of the objective's global minimum, as a note in the column:
// "Within 0.1 of the minimum after 200 steps: Momentum, Adam.  Not yet: SGD."
struct MinimumReportBlock {
  double radius = 0.1;  // distance in the objective's coordinates
};

// One series of a line plot, read from the cache.
struct SeriesRef {
  std::string experiment;  // which experiment
  std::string run;         // a run's label, or
  std::string ema;         // an EMA demo's label
  // What to plot: for a run "loss", "grad", "param", "state:<name>" or "sqrt_state:<name>"
  // (coordinate 0 of a 1D or 2D run); for an EMA demo "signal" or "ema:<k>" (k-th beta).
  std::string value;
  std::string label;  // legend text; "" = a default naming the value ({beta} is filled in)
  std::string color;  // "" = the palette's next colour
  double width = 3;   // px at 720p
};

// Where a line plot's legend goes.
enum class PlotLegend {
  below,  // entries side by side under the plot
  boxed,  // a box at `legend_at` whose entries appear as their lines are drawn
  none,
};

// Series from the cache against step, drawn left to right.
struct LinePlotBlock {
  SceneRect box;                   // the plotting area
  std::string heading;             // bold text above the box; may be empty
  std::string x_label = "step t";  // axis titles
  std::string y_label;
  bool log_y = false;                     // logarithmic y axis
  std::vector<SeriesRef> series;          // at least one
  PlotLegend legend = PlotLegend::below;  // where the legend goes
  ScenePoint legend_at;                   // boxed: the legend's top-left corner
  bool one_by_one = false;                // the first series comes with the axes, then each
                                          // further one is drawn in turn (with its legend entry)
  double run_time = 2.0;                  // seconds per drawing
};

// The optimizer-memory diagram of an experiment's tiny models: the parameters above, an arrow to
// each optimizer's box with one buffer per state tensor, and the memory total under each.
struct MemoryDiagramBlock {
  std::string experiment;           // whose `models` (two to four)
  std::vector<std::string> colors;  // per model; empty = the palette
};

// A box of a diagram.
struct DiagramBox {
  std::string id;       // how arrows refer to it
  std::string text;     // bold line in the box
  std::string subtext;  // smaller muted line under it; may be empty
  ScenePoint at;        // centre
  double width = 3;     // units
  double height = 1;    // units
  std::string color;    // outline; the fill is a dark shade of it
};

// An arrow between two boxes' edges.
struct DiagramArrow {
  std::string from;   // box id
  std::string to;     // box id
  std::string label;  // small text beside the arrow's middle; may be empty
};

// Boxes and arrows: the boxes fade in, then the arrows grow.
struct DiagramBlock {
  std::vector<DiagramBox> boxes;
  std::vector<DiagramArrow> arrows;
  double run_time = 1.0;  // seconds per step (boxes, then arrows)
};

// A legend of line samples.
struct LegendItem {
  std::string label;  // text
  std::string color;  // the sample's colour
  double width = 4;   // sample width, px at 720p
};
struct LegendBlock {
  std::vector<LegendItem> items;
  std::string title;                         // may be empty
  ScenePoint at;                             // where the anchor point goes
  TextAnchor anchor = TextAnchor::top_left;  // which point of the legend's box that is
  double run_time = 0.6;                     // seconds to fade in
};

struct WaitBlock {
  double seconds = 1;  // nothing changes for this long
};

struct ClearBlock {
  double run_time = 0.6;  // everything on screen fades out
};

// For each sweep run (start grid) of an experiment, a section of its own with the convergence
// map: the final loss from every start point, diverged points transparent.
struct ConvergenceMapsBlock {
  std::string experiment;  // whose sweep runs
};

// The sweep runs (start grids) of an experiment as basin-of-attraction maps side by side, in one
// section: every start coloured by the minimum its run ended near (another colour for none and for
// diverged), darker the more steps it took to get there; the minima marked in their colours.
struct BasinMapsBlock {
  std::string experiment;                     // whose sweep runs
  double tolerance = 0;                       // how near a minimum counts as reaching it, in
                                              // parameter units; 0: 1% of the grid's diagonal
  std::vector<std::array<double, 2>> minima;  // the minima; empty: the objective's known minima
  double run_time = 2;                        // seconds over which the maps are revealed
};

}  // namespace trajtool
#include "toolkit/config/scene_script_3d.h"  // camera, surface, axes_3d, ... (3D sections)
namespace trajtool {

using BlockBody =
    std::variant<TitleCardBlock, SectionTitleBlock, TextBlock, FormulaBlock, NoteBlock,
                 LandscapeBlock, TrajectoriesBlock, MinimumReportBlock, LinePlotBlock,
                 MemoryDiagramBlock, DiagramBlock, LegendBlock, WaitBlock, ClearBlock,
                 ConvergenceMapsBlock, BasinMapsBlock, DatasetBlock, TrainingCurvesBlock,
                 DecisionBoundaryBlock, LayerNormsBlock, ActivationHistogramsBlock, CameraBlock,
                 SurfaceBlock, Axes3DBlock, Trajectories3DBlock, Path3DBlock, RotateBlock,
                 MoveCameraBlock, MetricCurvesBlock, MetricPanelsBlock, MetricStatsBlock,
                 Text3DBlock, GradientSurfaceBlock, NetworkActivityBlock, LossLandscapeBlock,
                 LossSurface3DBlock>;

struct SceneBlock {
  std::string origin;  // "file:line: sections[2].blocks[1].landscape", for messages
  BlockBody body;      // what to do
};

// Which runs an experiment must have for a section to be played.
enum class SectionCondition { always, point_runs, sweep_runs };

struct SceneSection {
  std::string name;                                  // as listed by the renderer's sections
  std::string origin;                                // "file:line: sections[2]"
  SectionCondition when = SectionCondition::always;  // skip the section unless ...
  std::string when_experiment;                       // ... this experiment has such runs
  std::vector<SceneBlock> blocks;                    // played in order
};

struct SceneScript {
  SceneHeader header;                  // name, experiments (paths resolved), params applied
  double section_clear_time = 0.6;     // a new section fades out what the last one left
  std::vector<SceneSection> sections;  // in order
};

}  // namespace trajtool
