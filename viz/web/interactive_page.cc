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
#include "viz/colormap.h"
#include "viz/formula.h"
#include "viz/scenes/layer_norm_grid.h"
#include "viz/scenes/path_3d_data.h"
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

namespace {

// A section's gradient_surface or path_3d as a page; false when it has neither. Errors are the
// blocks' own (file, line, key).
bool page_of_3d_section(const SceneScript& script, const SceneData& data,
                        const SceneSection& section, InteractivePage& page) {
  SceneBuilder unused(script.section_clear_time);
  const FrameGeometry geo;
  SceneContext c{script, data, geo, unused, std::nullopt, nullptr, nullptr};
  const SceneBlock* title = nullptr;
  for (const SceneBlock& block : section.blocks) {
    if (!title && std::holds_alternative<SectionTitleBlock>(block.body)) title = &block;
  }
  for (const SceneBlock& block : section.blocks) {
    c.block = &block;
    if (const auto* g = std::get_if<GradientSurfaceBlock>(&block.body)) {
      page.log_z = true;
      page.x_title = "step";
      page.y_title = g->biases ? "tensor (1 = input)" : "layer (1 = input)";
      page.z_title = layer_value_symbol(g->value) + " (log)";
      page.formula_svg = g->formula ? formula_svg(layer_value_formula(g->value)) : "";
      std::size_t index = 0;
      const ExperimentData& e = c.experiment(g->experiment);
      for (const TrainingData* run : gradient_surface_runs(c, *g)) {
        const LayerNormGrid grid = layer_norm_grid(run->record, g->value, g->biases);
        PageSurface surface;
        surface.name = run->spec.label;
        surface.color =
            run_color(run->spec.color, static_cast<std::size_t>(run - e.trainings.data()));
        surface.x = grid.step;
        for (std::size_t j = 0; j < grid.layer.size(); ++j) {
          surface.y.push_back(grid.layer[j]);
          surface.value.emplace_back(
              grid.values.begin() + static_cast<std::ptrdiff_t>(j * grid.step.size()),
              grid.values.begin() + static_cast<std::ptrdiff_t>((j + 1) * grid.step.size()));
        }
        page.steps = std::max<int64_t>(page.steps, run->record.rows);
        page.surfaces.push_back(std::move(surface));
        ++index;
      }
    } else if (const auto* p = std::get_if<Path3DBlock>(&block.body)) {
      const Path3DData d = path_3d_data(c, *p);
      page.log_z = p->log_z;
      page.x_title = d.x_name;
      page.y_title = d.y_name;
      page.z_title = d.z_name + (p->log_z ? " (log)" : "");
      PagePath path;
      path.name = d.label;
      path.color = d.color;
      path.progress = p->progress;
      path.step = d.step;
      path.x = d.x;
      path.y = d.y;
      path.z = d.z;
      page.steps = std::max<int64_t>(page.steps, static_cast<int64_t>(std::ceil(d.step.back())));
      page.paths.push_back(std::move(path));
    } else {
      continue;
    }
    if (title) {
      c.block = title;
      const auto& t = std::get<SectionTitleBlock>(title->body);
      page.title = c.fill(t.text, t.experiment);
    } else {
      page.title = script.header.name;
    }
    return true;
  }
  return false;
}

}  // namespace

InteractivePage page_of_scene(const SceneScript& script, const SceneData& data) {
  for (const SceneSection& section : script.sections) {
    InteractivePage three_d;
    if (page_of_3d_section(script, data, section, three_d)) return three_d;
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
    page.z_title = log_z ? "loss (log)" : "loss";
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
                   "experiment (the page shows its loss surface and runs), a `gradient_surface` "
                   "or a `path_3d`");
}

namespace {

// The loss surface's part of the page's data: its grid, runs and marks.
json loss_surface_model(const InteractivePage& page, double& z_lo, double& z_hi) {
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
  return {{"surface", {{"x", xs}, {"y", ys}, {"z", zs}}},
          {"runs", runs},
          {"starts", points(page.starts)},
          {"minima", points(page.minima)}};
}

}  // namespace

std::string page_html(const InteractivePage& page, const std::string& plotly_js) {
  double z_lo = std::numeric_limits<double>::infinity(), z_hi = -z_lo;
  json model = page.grid ? loss_surface_model(page, z_lo, z_hi)
                         : json{{"surface", nullptr},
                                {"runs", json::array()},
                                {"starts", {{"x", json::array()}}},
                                {"minima", {{"x", json::array()}}}};
  // Heights of the other traces as plotted: log10 on a log page.
  auto plotted = [&](double v) {
    const double h = page.log_z ? std::log10(v) : v;
    if (std::isfinite(h)) {
      z_lo = std::min(z_lo, h);
      z_hi = std::max(z_hi, h);
    }
    return std::isfinite(h) ? json(h) : json(nullptr);
  };
  json surfaces = json::array();
  for (const PageSurface& s : page.surfaces) {
    json z = json::array(), value = json::array();
    for (const std::vector<double>& row : s.value) {
      json zr = json::array(), vr = json::array();
      for (double v : row) {
        zr.push_back(plotted(v));
        vr.push_back(std::isfinite(v) ? json(v) : json(nullptr));
      }
      z.push_back(zr);
      value.push_back(vr);
    }
    surfaces.push_back({{"name", s.name},
                        {"color", hex_of(s.color)},
                        {"dark", hex_of(dark_shade(s.color, 0.25))},
                        {"x", s.x},
                        {"y", s.y},
                        {"z", z},
                        {"value", value}});
  }
  json paths = json::array();
  for (const PagePath& p : page.paths) {
    json z = json::array();
    for (double v : p.z) z.push_back(plotted(v));
    // The video's colour map, sampled, as the page's colour scale.
    json scale = json::array();
    if (!p.progress.empty()) {
      Colormap map;
      map.name = parse_colormap_name(p.progress);
      for (int k = 0; k <= 10; ++k) scale.push_back({k / 10.0, hex_of(map.sample(k / 10.0))});
    }
    paths.push_back({{"name", p.name},
                     {"color", hex_of(p.color)},
                     {"progress", scale},
                     {"step", p.step},
                     {"x", p.x},
                     {"y", p.y},
                     {"z", z},
                     {"value", p.z}});
  }
  json ticks = json::object();
  if (page.log_z) {
    json values = json::array(), texts = json::array();
    for (int k = static_cast<int>(std::ceil(z_lo)); k <= static_cast<int>(std::floor(z_hi)); ++k) {
      values.push_back(k);
      texts.push_back(k == 0 ? "1" : "1e" + std::to_string(k));
    }
    ticks = {{"tickvals", values}, {"ticktext", texts}};
  }
  model["surfaces"] = surfaces;
  model["paths"] = paths;
  model["steps"] = page.steps;
  model["log"] = page.log_z;
  model["zticks"] = ticks;
  model["titles"] = {page.x_title, page.y_title, page.z_title};
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
  const traces = [];
  if (P.surface) {
    traces.push({
      type: 'surface', name: 'loss surface', x: P.surface.x, y: P.surface.y, z: P.surface.z,
      colorscale: 'Viridis', showscale: false, opacity: 0.95, hoverinfo: 'skip',
      contours: {z: {show: true, usecolormap: true, project: {z: true}}}
    });
  }
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
  const [xTitle, yTitle, zTitle] = P.titles;
  // Gradient surfaces: one trace per run, each in a scale from dark to its colour.
  const firstSurface = traces.length;
  for (const s of P.surfaces) {
    traces.push({
      type: 'surface', name: s.name, x: s.x, y: s.y, z: s.z, customdata: s.value,
      colorscale: [[0, s.dark], [1, s.color]], showscale: false, showlegend: true, opacity: 0.92,
      hovertemplate: '<b>' + s.name + '</b><br>' + xTitle + ' %{x:.0f}<br>' + yTitle +
                     ' %{y}<br>' + zTitle + ' %{customdata:.3g}<extra></extra>'
    });
  }
  // Paths through metric space: one trace each, coloured by step when asked.
  const firstPath = traces.length;
  for (const p of P.paths) {
    const line = p.progress.length ? {color: p.step, colorscale: p.progress, width: 7,
                               colorbar: {title: {text: 'step'}, x: 0.98, len: 0.6}}
                            : {color: p.color, width: 7};
    traces.push({
      type: 'scatter3d', mode: 'lines', name: p.name, x: p.x, y: p.y, z: p.z,
      customdata: p.step.map((s, i) => [s, p.value[i]]), line: line,
      hovertemplate: '<b>%{fullData.name}</b><br>step %{customdata[0]}<br>' + xTitle +
                     ' %{x:.4g}<br>' + yTitle + ' %{y:.4g}<br>' + zTitle +
                     ' %{customdata[1]:.4g}<extra></extra>'
    });
  }
  const axis = (title) => ({title: {text: title}, color: '#d8d8d8', gridcolor: '#444',
                            backgroundcolor: '#15151c', showbackground: true});
  const layout = {
    paper_bgcolor: '#0f0f14', font: {color: '#e8e8e8', family: 'DejaVu Sans, sans-serif'},
    margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: true,
    legend: {x: 0.01, y: 0.98, bgcolor: 'rgba(20,20,26,0.85)', bordercolor: '#888', borderwidth: 1},
    scene: {xaxis: axis(xTitle), yaxis: axis(yTitle), zaxis: Object.assign(axis(zTitle), P.zticks),
            aspectmode: 'manual', aspectratio: {x: 1, y: 1, z: 0.6},
            camera: {eye: {x: -1.25, y: -1.55, z: 0.95}}}
  };
  const plot = document.getElementById('plot');
  const slider = document.getElementById('step');
  const label = document.getElementById('label');
  const runIndices = P.runs.map((_, i) => first + i);
  // Up to step k: runs by row, surfaces by column (their x is the step), paths by their steps.
  function show(k) {
    const upd = {x: [], y: [], z: [], customdata: []};
    const indices = [];
    P.runs.forEach((r, i) => {
      upd.x.push(r.x.slice(0, k + 1)); upd.y.push(r.y.slice(0, k + 1));
      upd.z.push(r.z.slice(0, k + 1)); upd.customdata.push(r.custom.slice(0, k + 1));
      indices.push(runIndices[i]);
    });
    P.surfaces.forEach((s, i) => {
      const n = Math.max(2, s.x.filter((x) => x <= k).length);
      upd.x.push(s.x.slice(0, n)); upd.y.push(s.y);
      upd.z.push(s.z.map((row) => row.slice(0, n)));
      upd.customdata.push(s.value.map((row) => row.slice(0, n)));
      indices.push(firstSurface + i);
    });
    P.paths.forEach((p, i) => {
      const n = Math.max(1, p.step.filter((s) => s <= k).length);
      upd.x.push(p.x.slice(0, n)); upd.y.push(p.y.slice(0, n)); upd.z.push(p.z.slice(0, n));
      upd.customdata.push(p.step.slice(0, n).map((s, j) => [s, p.value[j]]));
      indices.push(firstPath + i);
    });
    label.textContent = 'step ' + k + ' / ' + P.steps;
    return indices.length ? Plotly.restyle(plot, upd, indices) : Promise.resolve();
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
