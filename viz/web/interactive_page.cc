#include "viz/web/interactive_page.h"

#include <cairo-svg.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "objectives/objective.h"
#include "toolkit/core/error.h"
#include "viz/formula.h"
#include "viz/scenes/scene_context.h"
#include "viz/scenes/scene_kit.h"
#include "viz/three_d/surface_3d.h"

#ifndef TRAJTOOL_PLOTLY_JS
#define TRAJTOOL_PLOTLY_JS ""
#endif

namespace trajtool {
namespace {

using nlohmann::json;

// The most surface samples per side a page carries (a 512 x 512 cached grid is resampled).
constexpr int64_t kPageGridSide = 96;

std::string hex_of(Rgba c) {
  char text[8];
  auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  std::snprintf(text, sizeof text, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return text;
}

// The formula as inline SVG, drawn by the engine's Formula on a transparent page.
std::string formula_svg(const std::string& tex) {
  const FrameGeometry geo;  // 1280 x 720: 40 pt is 40 px
  Formula formula(tex, 40, Rgba{0.93, 0.93, 0.93, 1}, Vec2{0, 0}, Anchor::kTopLeft);
  const Box2 box = formula.bounds(geo);
  const double pad = 4;
  const double w = box.width() * geo.px_per_unit() + 2 * pad;
  const double h = box.height() * geo.px_per_unit() + 2 * pad;
  std::string svg;
  cairo_surface_t* surface = cairo_svg_surface_create_for_stream(
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &svg, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_translate(cr, pad - geo.to_px_x(box.left), pad - geo.to_px_y(box.top));
  formula.draw(cr, geo, DrawState{});
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  const auto start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

// Text safe inside HTML.
std::string escaped(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

void replace_every(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

InteractivePage page_of_scene(const SceneScript& script, const SceneData& data) {
  for (const SceneSection& section : script.sections) {
    std::string experiment;
    bool log_z = false;
    std::string title;
    std::string title_experiment;
    for (const SceneBlock& block : section.blocks) {
      if (const auto* s = std::get_if<SurfaceBlock>(&block.body); s && experiment.empty()) {
        experiment = s->experiment;
        log_z = s->log_z;
      } else if (const auto* l = std::get_if<LandscapeBlock>(&block.body);
                 l && experiment.empty()) {
        experiment = l->experiment;
        log_z = l->log_levels;
      } else if (const auto* t = std::get_if<SectionTitleBlock>(&block.body); t && title.empty()) {
        title = t->text;
        title_experiment = t->experiment;
      }
    }
    if (experiment.empty()) continue;
    const ExperimentData* e = nullptr;
    for (std::size_t i = 0; i < script.header.experiments.size() && i < data.experiments.size();
         ++i) {
      if (script.header.experiments[i].name == experiment) e = &data.experiments[i];
    }
    if (!e) continue;
    const RunData* first = nullptr;
    for (const RunData& run : e->runs) {
      if (is_point_run(run) && run.grid && !first) first = &run;
    }
    if (!first) continue;
    InteractivePage page;
    page.grid = first->grid;
    page.log_z = log_z;
    const ObjectiveInfo info = objective_info(first->spec.objective);
    if (title.empty()) title = script.header.name + ": {objective}";
    replace_every(title, "{experiment}", e->name);
    replace_every(title, "{objective}", info.title);
    replace_every(title, "{steps}", std::to_string(first->spec.steps));
    page.title = title;
    page.formula_svg = formula_svg(info.formula);
    const LossGrid& grid = *first->grid;
    auto inside = [&grid](double x, double y) {
      return x >= grid.x_min && x <= grid.x_max && y >= grid.y_min && y <= grid.y_max;
    };
    std::size_t index = 0;
    for (const RunData& run : e->runs) {
      if (!is_point_run(run) || run.grid != first->grid) continue;
      PageRun r;
      r.label = run.spec.label;
      r.color = run_color(run.spec.color, index++);
      r.diverged = run.trajectory.diverged_at >= 0;
      for (int64_t row = 0; row < run.trajectory.rows; ++row) {
        const double x = run.trajectory.params[static_cast<std::size_t>(2 * row)];
        const double y = run.trajectory.params[static_cast<std::size_t>(2 * row + 1)];
        const double loss = run.trajectory.loss[static_cast<std::size_t>(row)];
        if (!std::isfinite(loss) || !inside(x, y)) break;
        r.x.push_back(x);
        r.y.push_back(y);
        r.loss.push_back(loss);
      }
      page.steps = std::max<int64_t>(page.steps, static_cast<int64_t>(r.loss.size()) - 1);
      if (!r.loss.empty()) {
        const PagePoint start{r.x[0], r.y[0], r.loss[0]};
        const bool seen =
            std::any_of(page.starts.begin(), page.starts.end(),
                        [&](const PagePoint& p) { return p.x == start.x && p.y == start.y; });
        if (!seen) page.starts.push_back(start);
      }
      page.runs.push_back(std::move(r));
    }
    for (const KnownMinimum& m : info.minima) {
      if (m.global && inside(m.x, m.y)) page.minima.push_back({m.x, m.y, m.value});
    }
    return page;
  }
  throw InputError(script.header.path +
                   ": --format html needs a section with a `surface` or `landscape` block on a 2D "
                   "experiment (the page shows its loss surface and runs)");
}

std::string page_html(const InteractivePage& page, const std::string& plotly_js) {
  const LossGrid& grid = *page.grid;
  const Space3D space = space_for_grid(grid, page.log_z, 1, 1, 1);
  // Heights as the page plots them: log10 of the loss on a log page (plotly's 3D log axes do not
  // take contours), the loss itself otherwise; clamped to the surface's range as the video does.
  auto height = [&](double loss) {
    const double v = shown_value(space, loss);
    return page.log_z ? std::log10(v) : v;
  };
  const int64_t nx = std::min<int64_t>(grid.nx, kPageGridSide);
  const int64_t ny = std::min<int64_t>(grid.ny, kPageGridSide);
  json xs = json::array(), ys = json::array(), zs = json::array();
  for (int64_t i = 0; i < nx; ++i)
    xs.push_back(grid.x_min +
                 (grid.x_max - grid.x_min) * static_cast<double>(i) / static_cast<double>(nx - 1));
  for (int64_t j = 0; j < ny; ++j)
    ys.push_back(grid.y_min +
                 (grid.y_max - grid.y_min) * static_cast<double>(j) / static_cast<double>(ny - 1));
  double z_lo = std::numeric_limits<double>::infinity(), z_hi = -z_lo;
  for (int64_t j = 0; j < ny; ++j) {
    json row = json::array();
    for (int64_t i = 0; i < nx; ++i) {
      const double z = height(grid_value(grid, xs[static_cast<std::size_t>(i)].get<double>(),
                                         ys[static_cast<std::size_t>(j)].get<double>()));
      z_lo = std::min(z_lo, z);
      z_hi = std::max(z_hi, z);
      row.push_back(z);
    }
    zs.push_back(row);
  }
  // Paths float this far above the surface so that it never hides them where they lie on it.
  const double lift = 0.012 * (z_hi - z_lo);
  json runs = json::array();
  for (const PageRun& r : page.runs) {
    json z = json::array(), custom = json::array();
    for (std::size_t k = 0; k < r.loss.size(); ++k) {
      z.push_back(std::max(height(r.loss[k]), height(grid_value(grid, r.x[k], r.y[k]))) + lift);
      custom.push_back(json::array({static_cast<int64_t>(k), r.loss[k]}));
    }
    runs.push_back({{"name", r.label + (r.diverged ? " (diverged)" : "")},
                    {"color", hex_of(r.color)},
                    {"x", r.x},
                    {"y", r.y},
                    {"z", z},
                    {"custom", custom}});
  }
  auto points = [&](const std::vector<PagePoint>& list) {
    json out = {
        {"x", json::array()}, {"y", json::array()}, {"z", json::array()}, {"loss", json::array()}};
    for (const PagePoint& p : list) {
      out["x"].push_back(p.x);
      out["y"].push_back(p.y);
      out["z"].push_back(height(p.value) + 2 * lift);
      out["loss"].push_back(p.value);
    }
    return out;
  };
  json ticks = json::object();
  if (page.log_z) {
    json values = json::array(), texts = json::array();
    for (int k = static_cast<int>(std::ceil(z_lo)); k <= static_cast<int>(std::floor(z_hi)); ++k) {
      values.push_back(k);
      texts.push_back(k == 0 ? "1" : "1e" + std::to_string(k));
    }
    ticks = {{"tickvals", values}, {"ticktext", texts}};
  }
  const json model = {{"surface", {{"x", xs}, {"y", ys}, {"z", zs}}},
                      {"runs", runs},
                      {"starts", points(page.starts)},
                      {"minima", points(page.minima)},
                      {"steps", page.steps},
                      {"log", page.log_z},
                      {"zticks", ticks}};
  std::string data = model.dump();
  replace_every(data, "</", "<\\/");  // nothing in the data may close the script element

  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
          escaped(page.title) + "</title>\n";
  html += R"(<style>
body{margin:0;background:#0f0f14;color:#e8e8e8;font-family:"DejaVu Sans",sans-serif}
header{display:flex;flex-wrap:wrap;gap:28px;align-items:center;padding:12px 20px 0 20px}
h1{font-size:26px;margin:0;font-weight:bold}
.formula svg{display:block;max-height:64px;width:auto}
#plot{width:100vw;height:calc(100vh - 140px)}
#controls{display:flex;gap:14px;align-items:center;padding:4px 20px 10px 20px;font-size:15px}
#controls input{flex:1}
button{background:#262630;color:#e8e8e8;border:1px solid #777;border-radius:4px;padding:4px 12px;font-size:15px}
</style>
<script>
// Every error the page meets, kept on <html data-errors> for whoever checks the page (tests).
(function () {
  const errors = [];
  const record = (m) => {
    errors.push(String(m));
    document.documentElement.setAttribute('data-errors', JSON.stringify(errors));
  };
  document.documentElement.setAttribute('data-errors', '[]');
  window.addEventListener('error', (e) => record(e.message));
  window.addEventListener('unhandledrejection', (e) => record(e.reason));
  const original = console.error;
  console.error = function () { record(Array.from(arguments).join(' ')); original.apply(console, arguments); };
})();
</script>
<script>)";
  html += plotly_js;
  html += "</script>\n</head><body>\n<header><h1>" + escaped(page.title) +
          "</h1><div class=\"formula\">" + page.formula_svg + "</div></header>\n";
  html +=
      "<div id=\"plot\"></div>\n<div id=\"controls\"><button id=\"play\">&#9654; play</button>"
      "<input id=\"step\" type=\"range\" min=\"0\" max=\"" +
      std::to_string(page.steps) + "\" value=\"" + std::to_string(page.steps) +
      "\"><span id=\"label\"></span></div>\n";
  html += "<script>\nconst PAGE = " + data + ";\n";
  html += R"JS((function () {
  const P = PAGE;
  const zTitle = P.log ? 'loss (log)' : 'loss';
  const traces = [{
    type: 'surface', name: 'loss surface', x: P.surface.x, y: P.surface.y, z: P.surface.z,
    colorscale: 'Viridis', showscale: false, opacity: 0.95, hoverinfo: 'skip',
    contours: {z: {show: true, usecolormap: true, project: {z: true}}}
  }];
  const first = traces.length;
  for (const r of P.runs) {
    traces.push({
      type: 'scatter3d', mode: 'lines', name: r.name, x: r.x, y: r.y, z: r.z, customdata: r.custom,
      line: {color: r.color, width: 7},
      hovertemplate: '<b>%{fullData.name}</b><br>step %{customdata[0]}<br>loss %{customdata[1]:.4g}' +
                     '<br>(%{x:.4g}, %{y:.4g})<extra></extra>'
    });
  }
  const mark = (pts, name, color) => ({
    type: 'scatter3d', mode: 'markers', name: name, x: pts.x, y: pts.y, z: pts.z,
    customdata: pts.loss, marker: {size: 6, color: color, line: {color: '#000', width: 1}},
    hovertemplate: name + ' (%{x:.4g}, %{y:.4g})<br>loss %{customdata:.4g}<extra></extra>'
  });
  if (P.starts.x.length) traces.push(mark(P.starts, 'start', '#ededed'));
  if (P.minima.x.length) traces.push(mark(P.minima, 'minimum', '#f7d66e'));
  const axis = (title) => ({title: {text: title}, color: '#d8d8d8', gridcolor: '#444',
                            backgroundcolor: '#15151c', showbackground: true});
  const layout = {
    paper_bgcolor: '#0f0f14', font: {color: '#e8e8e8', family: 'DejaVu Sans, sans-serif'},
    margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: true,
    legend: {x: 0.01, y: 0.98, bgcolor: 'rgba(20,20,26,0.85)', bordercolor: '#888', borderwidth: 1},
    scene: {xaxis: axis('θ₁'), yaxis: axis('θ₂'), zaxis: Object.assign(axis(zTitle), P.zticks),
            aspectmode: 'manual', aspectratio: {x: 1, y: 1, z: 0.6},
            camera: {eye: {x: -1.25, y: -1.55, z: 0.95}}}
  };
  const plot = document.getElementById('plot');
  const slider = document.getElementById('step');
  const label = document.getElementById('label');
  const runIndices = P.runs.map((_, i) => first + i);
  function show(k) {
    const upd = {x: [], y: [], z: [], customdata: []};
    for (const r of P.runs) {
      upd.x.push(r.x.slice(0, k + 1)); upd.y.push(r.y.slice(0, k + 1));
      upd.z.push(r.z.slice(0, k + 1)); upd.customdata.push(r.custom.slice(0, k + 1));
    }
    label.textContent = 'step ' + k + ' / ' + P.steps;
    return runIndices.length ? Plotly.restyle(plot, upd, runIndices) : Promise.resolve();
  }
  let timer = null;
  const button = document.getElementById('play');
  function stop() { clearInterval(timer); timer = null; button.innerHTML = '&#9654; play'; }
  button.addEventListener('click', () => {
    if (timer) { stop(); return; }
    let k = Number(slider.value) >= P.steps ? 0 : Number(slider.value);
    const stride = Math.max(1, Math.round(P.steps / 150));
    button.innerHTML = '&#10074;&#10074; pause';
    timer = setInterval(() => {
      k = Math.min(P.steps, k + stride);
      slider.value = k; show(k);
      if (k >= P.steps) stop();
    }, 40);
  });
  slider.addEventListener('input', () => { stop(); show(Number(slider.value)); });
  Plotly.newPlot(plot, traces, layout, {displaylogo: false, responsive: true}).then(() => {
    label.textContent = 'step ' + P.steps + ' / ' + P.steps;
    document.body.setAttribute('data-traces',
        JSON.stringify(plot.data.map(t => ({type: t.type, name: t.name}))));
  });
})();
</script>
</body></html>
)JS";
  return html;
}

std::string plotly_js_source() {
  const char* configured = std::getenv("TRAJTOOL_PLOTLY_JS");
  const std::string path = configured && *configured ? configured : TRAJTOOL_PLOTLY_JS;
  std::ifstream in(path, std::ios::binary);
  if (path.empty() || !in) {
    throw RuntimeFailure("plotly.js not found at '" + path +
                         "': run `npm ci --prefix viz/web` (toolkit/setup.sh build does) or set "
                         "TRAJTOOL_PLOTLY_JS to plotly-gl3d.min.js");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string js = text.str();
  if (js.find("</script") != std::string::npos) {
    throw RuntimeFailure(path + " holds '</script' and cannot be inlined into a page");
  }
  return js;
}

void write_page(const std::string& path, const std::string& html) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path temporary = target.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << html;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw RuntimeFailure(path + ": cannot write the page");
    }
  }
  fs::rename(temporary, target);
}

}  // namespace trajtool
