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

struct InteractivePage {
  std::string title;                      // the heading
  std::string formula_svg;                // the objective's formula as inline SVG ("" = none)
  std::shared_ptr<const LossGrid> grid;   // the surface
  bool log_z = false;                     // loss axis in decades
  std::vector<PageRun> runs;              // in the scene's order
  std::vector<PagePoint> starts, minima;  // marks
  int64_t steps = 0;                      // the slider's end
};

// The page of a scene: its first section with a `surface` or `landscape` block gives the
// experiment, the loss scale (surface z: log, landscape levels: log), the runs (its point runs on
// that grid) and the title (its title block, placeholders filled). Throws InputError naming the
// scene file when it has no such section.
InteractivePage page_of_scene(const SceneScript& script, const SceneData& data);

// The page as one HTML document with `plotly_js` (the library's source) inlined.
std::string page_html(const InteractivePage& page, const std::string& plotly_js);

// Writes `html` to `path` (folders made) so that the file appears only complete.
void write_page(const std::string& path, const std::string& html);

// The plotly.js bundle the pages inline: $TRAJTOOL_PLOTLY_JS, else the one npm installed under
// viz/web/node_modules. Throws RuntimeFailure saying how to install it when missing.
std::string plotly_js_source();

}  // namespace trajtool
