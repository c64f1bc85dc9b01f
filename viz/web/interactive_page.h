#pragma once
// An interactive page of a scene: the loss surface, the runs as 3D paths with hover (run, step,
// loss, point), the start points and minima, legend, title and formula, a step slider and a play
// button that reveal the paths up to step k; rotate and zoom with the mouse. One self-contained
// HTML file: plotly.js (npm's plotly.js-gl3d-dist-min, pinned by viz/web/package-lock.json) is
// inlined, so the page works opened from disk with no network.
#include <memory>
#include <string>
#include <vector>

#include "toolkit/config/scene_script.h"
#include "toolkit/core/trajectory.h"
#include "viz/color.h"
#include "viz/scene_data.h"

namespace trajtool {

// One run's path on the page.
struct PageRun {
  std::string label;         // legend and hover name
  Rgba color;                // line colour
  std::vector<double> x, y;  // per row
  std::vector<double> loss;  // per row
  bool diverged = false;     // ended by diverging
};

// A labelled point on the surface (start, minimum).
struct PagePoint {
  double x = 0, y = 0, value = 0;  // where and its loss
};

// A surface over steps (or any x) and rows, one trace of its own (a gradient surface's run).
struct PageSurface {
  std::string name;                        // legend and hover name
  Rgba color;                              // its colour scale runs from dark to this
  std::vector<double> x;                   // per column (steps: the slider reveals columns)
  std::vector<double> y;                   // per row
  std::vector<std::vector<double>> value;  // [row][column], the value (hover; > 0 on a log page)
};

// A path with its own steps (path_3d): x, y and the value z per step.
struct PagePath {
  std::string name;             // legend and hover name
  Rgba color;                   // line colour (without `progress`)
  std::string progress;         // a colormap: coloured by step, early to late ("" = `color`)
  std::vector<double> step;     // increasing; the slider reveals steps up to k
  std::vector<double> x, y, z;  // the values (z > 0 on a log page)
};

struct InteractivePage {
  std::string title;                      // the heading
  std::string formula_svg;                // the objective's formula as inline SVG ("" = none)
  std::shared_ptr<const LossGrid> grid;   // the loss surface; null for the scenes below
  bool log_z = false;                     // z axis in decades
  std::vector<PageRun> runs;              // on the loss surface, in the scene's order
  std::vector<PagePoint> starts, minima;  // marks
  std::vector<PageSurface> surfaces;      // gradient surfaces, one trace each
  std::vector<PagePath> paths;            // paths through metric space, one trace each
  std::string x_title = "θ₁";             // axis titles
  std::string y_title = "θ₂";
  std::string z_title = "loss";
  int64_t steps = 0;  // the slider's end
};

// The page of a scene: its first 3D or landscape section. A `surface` or `landscape` block gives
// the loss surface of its experiment with its point runs, start points and minima (log z: surface
// z log, landscape levels log); a `gradient_surface` one surface per run (steps x layers, log
// z); a `path_3d` its path. The title is the section's title block, placeholders filled. Throws
// InputError naming the scene file when it has no such section.
InteractivePage page_of_scene(const SceneScript& script, const SceneData& data);

// The page as one HTML document with `plotly_js` (the library's source) inlined.
std::string page_html(const InteractivePage& page, const std::string& plotly_js);

// Writes `html` to `path` (folders made) so that the file appears only complete.
void write_page(const std::string& path, const std::string& html);

// The plotly.js bundle the pages inline: $TRAJTOOL_PLOTLY_JS, else the one npm installed under
// viz/web/node_modules. Throws RuntimeFailure saying how to install it when missing.
std::string plotly_js_source();

}  // namespace trajtool
