#include "toolkit/config/scene_script_reader.h"

#include <cctype>
#include <map>
#include <set>

#include "toolkit/config/agent_block_reader.h"
#include "toolkit/config/landscape_block_reader.h"
#include "toolkit/config/metric_block_reader.h"
#include "toolkit/config/scene_fields.h"
#include "toolkit/config/scene_script_3d_reader.h"
#include "toolkit/config/training_block_reader.h"
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// A block whose value may be a single scalar standing for its main key: `wait: 2`, `title: Hi`.
YAML::Node as_map(const YAML::Node& value, const char* main_key) {
  if (!value.IsScalar() && !value.IsNull()) return value;
  YAML::Node map(YAML::NodeType::Map);
  if (value.IsScalar()) map[main_key] = value;
  return map;
}

TitleCardBlock read_title_card(const Fields& f) {
  return {f.required_text("title"), f.text("subtitle")};
}

SectionTitleBlock read_section_title(const Fields& f) {
  return {f.required_text("text"), f.experiment("experiment", false)};
}

// Where and how a text or formula sits: at, anchor, size, color (defaults from the block).
template <class Block>
void read_placement(const Fields& f, Block& b) {
  b.at = f.point("at", b.at);
  b.anchor = f.anchor("anchor", b.anchor);
  b.points = f.number("size", b.points, 8, 96);
  b.color = f.color("color");
  b.run_time = f.number("run_time", b.run_time, 0, 60);
}

TextBlock read_text(const Fields& f) {
  TextBlock b;
  b.text = f.required_text("text");
  b.experiment = f.experiment("experiment", false);
  read_placement(f, b);
  b.bold = f.flag("bold", b.bold);
  b.width = f.number("width", b.width, 0, 14);
  b.write = f.choice<bool>("animate", {{"write", true}, {"fade", false}}, false);
  b.shift = f.point("shift", b.shift);
  return b;
}

FormulaBlock read_formula(const Fields& f) {
  FormulaBlock b;
  b.tex = f.required_text("tex");
  read_placement(f, b);
  return b;
}

NoteBlock read_note(const Fields& f) {
  NoteBlock b;
  b.text = f.required_text("text");
  b.experiment = f.experiment("experiment", false);
  b.in_column = f.choice<bool>("place", {{"bottom", false}, {"column", true}}, false);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

LandscapeBlock read_landscape(const Fields& f) {
  LandscapeBlock b;
  b.experiment = f.experiment("experiment", true);
  b.log_levels = f.choice<bool>("levels", {{"log", true}, {"linear", false}}, false);
  b.heatmap = f.choice<bool>("fill", {{"bands", false}, {"heatmap", true}}, false);
  b.colormap = f.choice<std::string>("colormap",
                                     {{"viridis", "viridis"},
                                      {"magma", "magma"},
                                      {"inferno", "inferno"},
                                      {"plasma", "plasma"},
                                      {"cividis", "cividis"}},
                                     b.colormap);
  b.contour_lines = f.flag("contours", b.contour_lines);
  b.colorbar = f.flag("colorbar", b.colorbar);
  b.colorbar_title = f.text("colorbar_title", b.colorbar_title);
  b.formula = f.flag("formula", b.formula);
  b.labels = f.choice<MarkLabels>("labels",
                                  {{"coordinates", MarkLabels::coordinates},
                                   {"plain", MarkLabels::plain},
                                   {"none", MarkLabels::none}},
                                  b.labels);
  b.all_minima = f.choice<bool>("minima", {{"global", false}, {"all", true}}, false);
  b.x_label = f.text("x_label", b.x_label);
  b.y_label = f.text("y_label", b.y_label);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

TrajectoriesBlock read_trajectories(const Fields& f) {
  TrajectoriesBlock b;
  read_trajectory_keys(f, b);
  b.loss_inset = f.flag("loss_inset", b.loss_inset);
  if (b.loss_inset && b.mode != TrajectoryMode::all_at_once) {
    f.where().at("loss_inset").fail(f.node()["loss_inset"], "needs `mode: all_at_once`");
  }
  return b;
}

SeriesRef read_series(const Fields& f) {
  SeriesRef s;
  s.experiment = f.experiment("experiment", true);
  s.run = f.text("run");
  s.ema = f.text("ema");
  if (s.run.empty() == s.ema.empty()) f.where().fail(f.node(), "give either `run` or `ema`");
  s.value = f.required_text("value");
  const auto colon = s.value.find(':');
  const std::string kind = s.value.substr(0, colon);
  const bool run_value = kind == "loss" || kind == "grad" || kind == "param" ||
                         ((kind == "state" || kind == "sqrt_state") && colon != std::string::npos &&
                          colon + 1 < s.value.size());
  const bool ema_value = kind == "signal" || (kind == "ema" && colon != std::string::npos);
  if (!s.run.empty() && !run_value) {
    f.where().at("value").fail(f.node()["value"],
                               "for a run: loss, grad, param, state:<name> or "
                               "sqrt_state:<name> (got '" +
                                   s.value + "')");
  }
  if (!s.ema.empty() && !ema_value) {
    f.where().at("value").fail(f.node()["value"],
                               "for an EMA demo: signal or ema:<k> (got '" + s.value + "')");
  }
  if (kind == "ema") {
    const std::string index = s.value.substr(colon + 1);
    if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos) {
      f.where().at("value").fail(f.node()["value"], "ema:<k> needs a whole number k");
    }
  }
  s.label = f.text("label");
  s.color = f.color("color");
  s.width = f.number("width", s.width, 0.5, 20);
  return s;
}

LinePlotBlock read_line_plot(const Fields& f, const SceneHeader& header) {
  LinePlotBlock b;
  b.box = f.rect("box");
  b.heading = f.text("heading");
  b.x_label = f.text("x_label", b.x_label);
  b.y_label = f.text("y_label");
  b.log_y = f.flag("log_y", b.log_y);
  b.legend = f.choice<PlotLegend>(
      "legend",
      {{"below", PlotLegend::below}, {"boxed", PlotLegend::boxed}, {"none", PlotLegend::none}},
      b.legend);
  b.legend_at = f.point("legend_at", {b.box.right + 0.5, b.box.top});
  b.one_by_one = f.flag("one_by_one", b.one_by_one);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  const YAML::Node list = f.node()["series"];
  const Where where = f.where().at("series");
  if (!list || !list.IsSequence() || list.size() == 0) {
    where.fail(list ? list : f.node(), "expected a list of one or more series");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    b.series.push_back(
        read_series(Fields(list[i], where.index(i), header,
                           {"experiment", "run", "ema", "value", "label", "color", "width"})));
  }
  return b;
}

MemoryDiagramBlock read_memory_diagram(const Fields& f) {
  MemoryDiagramBlock b;
  b.experiment = f.experiment("experiment", true);
  b.colors = f.colors("colors");
  return b;
}

DiagramBlock read_diagram(const Fields& f, const SceneHeader& header) {
  DiagramBlock b;
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  std::set<std::string> ids;
  const YAML::Node boxes = f.node()["boxes"];
  if (!boxes || !boxes.IsSequence() || boxes.size() == 0) {
    f.where().at("boxes").fail(boxes ? boxes : f.node(), "expected a list of one or more boxes");
  }
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    Fields box(boxes[i], f.where().at("boxes").index(i), header,
               {"id", "text", "subtext", "at", "size", "color"});
    DiagramBox d;
    d.id = box.required_text("id");
    if (!ids.insert(d.id).second) box.where().at("id").fail(boxes[i]["id"], "duplicate box id");
    d.text = box.required_text("text");
    d.subtext = box.text("subtext");
    d.at = box.point("at", d.at);
    if (box.has("size")) {
      auto wh = as_numbers(boxes[i]["size"], box.where().at("size"), 2, 2);
      if (wh[0] <= 0 || wh[1] <= 0 || wh[0] > 14 || wh[1] > 8) {
        box.where().at("size").fail(boxes[i]["size"], "expected [width, height] within the frame");
      }
      d.width = wh[0];
      d.height = wh[1];
    }
    d.color = box.color("color");
    b.boxes.push_back(d);
  }
  const YAML::Node arrows = f.node()["arrows"];
  if (arrows && !arrows.IsSequence()) f.where().at("arrows").fail(arrows, "expected a list");
  for (std::size_t i = 0; arrows && i < arrows.size(); ++i) {
    Fields arrow(arrows[i], f.where().at("arrows").index(i), header, {"from", "to", "label"});
    DiagramArrow a{arrow.required_text("from"), arrow.required_text("to"), arrow.text("label")};
    for (const char* end : {"from", "to"}) {
      const std::string& id = std::string(end) == "from" ? a.from : a.to;
      if (!ids.count(id)) arrow.where().at(end).fail(arrows[i][end], "no box with id '" + id + "'");
    }
    b.arrows.push_back(a);
  }
  return b;
}

LegendBlock read_legend(const Fields& f, const SceneHeader& header) {
  LegendBlock b;
  b.title = f.text("title");
  b.at = f.point("at", b.at);
  b.anchor = f.anchor("anchor", b.anchor);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  const YAML::Node items = f.node()["entries"];
  if (!items || !items.IsSequence() || items.size() == 0) {
    f.where().at("entries").fail(items ? items : f.node(),
                                 "expected a list of one or more entries");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    Fields item(items[i], f.where().at("entries").index(i), header, {"label", "color", "width"});
    LegendItem entry;
    entry.label = item.required_text("label");
    if (!item.has("color")) item.where().fail(items[i], "missing `color`");
    entry.color = item.color("color");
    entry.width = item.number("width", entry.width, 0.5, 20);
    b.items.push_back(entry);
  }
  return b;
}

BasinMapsBlock read_basin_maps(const Fields& f) {
  BasinMapsBlock b;
  b.experiment = f.experiment("experiment", true);
  b.tolerance = f.number("tolerance", 0, 1e-12, 1e12);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  if (f.has("minima")) {
    const YAML::Node list = f.node()["minima"];
    const Where where = f.where().at("minima");
    if (!list.IsSequence() || list.size() == 0) {
      where.fail(list, "expected a list of one or more points [x, y]");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto xy = as_numbers(list[i], where.index(i), 2, 2);
      b.minima.push_back({xy[0], xy[1]});
    }
  }
  return b;
}

SceneBlock read_block(const YAML::Node& node, const Where& where, const SceneHeader& header) {
  static const std::string kKinds =
      std::string(
          "title_card, title, text, formula, note, landscape, trajectories, minimum_report, "
          "line_plot, memory_diagram, diagram, legend, wait, clear, convergence_maps, basin_maps, "
          "metric_curves, metric_panels, metric_stats, ") +
      k3DBlockKinds;
  if (!node.IsMap() || node.size() != 1) {
    where.fail(node, std::string("a block is a map with one key, its kind (") + kKinds + ", " +
                         kTrainingBlockKinds + ", " + kLandscapeBlockKinds + ")");
  }
  const std::string kind = node.begin()->first.Scalar();
  const YAML::Node value = node.begin()->second;
  const Where here = where.at(kind);
  SceneBlock block;
  block.origin = here.locate(node.begin()->first);
  auto fields = [&](const char* main_key, const std::set<std::string>& known) {
    if (!value.IsMap() && !value.IsNull() && !(value.IsScalar() && *main_key)) {
      here.fail(value, std::string("expected ") +
                           (*main_key ? "a `" + std::string(main_key) + "` value or " : "") +
                           "a map of keys, got " + node_kind(value));
    }
    return Fields(as_map(value, main_key), here, header, known);
  };
  if (kind == "title_card") {
    block.body = read_title_card(fields("title", {"title", "subtitle"}));
  } else if (kind == "title") {
    block.body = read_section_title(fields("text", {"text", "experiment"}));
  } else if (kind == "text") {
    block.body = read_text(fields("text", {"text", "experiment", "at", "anchor", "size", "color",
                                           "bold", "width", "animate", "shift", "run_time"}));
  } else if (kind == "formula") {
    block.body = read_formula(fields("tex", {"tex", "at", "anchor", "size", "color", "run_time"}));
  } else if (kind == "note") {
    block.body = read_note(fields("text", {"text", "experiment", "place", "run_time"}));
  } else if (kind == "landscape") {
    block.body =
        read_landscape(fields("experiment", {"experiment", "levels", "fill", "colormap", "contours",
                                             "colorbar", "colorbar_title", "formula", "labels",
                                             "minima", "x_label", "y_label", "run_time"}));
  } else if (kind == "trajectories") {
    block.body =
        read_trajectories(fields("mode", {"runs", "colors", "mode", "run_time", "fade_earlier_to",
                                          "legend", "legend_title", "loss_inset"}));
  } else if (kind == "minimum_report") {
    Fields f = fields("radius", {"radius"});
    block.body = MinimumReportBlock{f.number("radius", 0.1, 1e-12, 1e12)};
  } else if (kind == "line_plot") {
    block.body =
        read_line_plot(fields("", {"box", "heading", "x_label", "y_label", "log_y", "series",
                                   "legend", "legend_at", "one_by_one", "run_time"}),
                       header);
  } else if (kind == "memory_diagram") {
    block.body = read_memory_diagram(fields("experiment", {"experiment", "colors"}));
  } else if (kind == "diagram") {
    block.body = read_diagram(fields("", {"boxes", "arrows", "run_time"}), header);
  } else if (kind == "legend") {
    block.body = read_legend(fields("", {"entries", "title", "at", "anchor", "run_time"}), header);
  } else if (kind == "wait") {
    block.body = WaitBlock{fields("seconds", {"seconds"}).number("seconds", 1, 0, 600)};
  } else if (kind == "clear") {
    block.body = ClearBlock{fields("run_time", {"run_time"}).number("run_time", 0.6, 0, 60)};
  } else if (kind == "convergence_maps") {
    block.body =
        ConvergenceMapsBlock{fields("experiment", {"experiment"}).experiment("experiment", true)};
  } else if (kind == "basin_maps") {
    block.body =
        read_basin_maps(fields("experiment", {"experiment", "tolerance", "minima", "run_time"}));
  } else if (kind == "metric_curves") {
    block.body = read_metric_curves(value, here, header);
  } else if (kind == "metric_panels") {
    block.body = read_metric_panels(value, here, header);
  } else if (kind == "metric_stats") {
    block.body = read_metric_stats(value, here, header);
  } else if (read_training_block(kind, fields, block.body)) {
  } else if (read_landscape_block(kind, fields, block.body)) {
  } else if (read_agent_block(kind, fields, block.body)) {
  } else if (!read_3d_block(kind, fields, block.body)) {
    where.fail(node.begin()->first, "unknown block '" + kind + "' (known: " + kKinds + ", " +
                                        kTrainingBlockKinds + ", " + kLandscapeBlockKinds + ", " +
                                        kAgentBlockKinds + ")");
  }
  return block;
}

// Text blocks without an `experiment` take the section's landscape's (even when the landscape comes
// after them, as a title does), else the scene's only experiment. Text that asks for {experiment},
// {objective} or {steps} and has neither is an error.
void resolve_placeholder_experiments(SceneSection& section, const SceneHeader& header) {
  std::string fallback = header.experiments.size() == 1 ? header.experiments[0].name : "";
  for (const SceneBlock& block : section.blocks) {
    if (const auto* landscape = std::get_if<LandscapeBlock>(&block.body)) {
      fallback = landscape->experiment;
      break;
    }
  }
  auto resolve = [&fallback](const SceneBlock& block, const std::string& text,
                             std::string& experiment) {
    if (!experiment.empty()) return;
    experiment = fallback;
    if (!experiment.empty()) return;
    for (const char* placeholder : {"{experiment}", "{objective}", "{steps}"}) {
      if (text.find(placeholder) != std::string::npos) {
        throw InputError(block.origin + ": " + placeholder +
                         " needs an experiment: add `experiment: NAME` to the block (or a "
                         "landscape to its section)");
      }
    }
  };
  for (SceneBlock& block : section.blocks) {
    if (auto* title = std::get_if<SectionTitleBlock>(&block.body)) {
      resolve(block, title->text, title->experiment);
    } else if (auto* text = std::get_if<TextBlock>(&block.body)) {
      resolve(block, text->text, text->experiment);
    } else if (auto* note = std::get_if<NoteBlock>(&block.body)) {
      resolve(block, note->text, note->experiment);
    }
  }
}

SceneSection read_section(const YAML::Node& node, const Where& where, const SceneHeader& header) {
  Fields f(node, where, header, {"name", "blocks", "when"});
  SceneSection section;
  section.origin = where.locate(node);
  section.name = f.required_text("name");
  if (f.has("when")) {
    Fields when(node["when"], where.at("when"), header, {"experiment", "has"});
    section.when_experiment = when.experiment("experiment", true);
    section.when = when.choice<SectionCondition>("has",
                                                 {{"point_runs", SectionCondition::point_runs},
                                                  {"sweep_runs", SectionCondition::sweep_runs}},
                                                 SectionCondition::point_runs);
  }
  const YAML::Node blocks = node["blocks"];
  if (!blocks || !blocks.IsSequence() || blocks.size() == 0) {
    where.at("blocks").fail(blocks ? blocks : node, "expected a list of one or more blocks");
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    section.blocks.push_back(read_block(blocks[i], where.at("blocks").index(i), header));
  }
  resolve_placeholder_experiments(section, header);
  return section;
}

}  // namespace

std::string fill_scene_params(const YAML::Node& node, const Where& where,
                              const SceneHeader& header) {
  const std::string raw = as_string(node, where);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '$' && i + 1 < raw.size() && raw[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (raw[i] == '$' && i + 1 < raw.size() && raw[i + 1] == '{') {
      const std::size_t close = raw.find('}', i);
      if (close == std::string::npos) where.fail(node, "'${' without a closing '}'");
      const std::string name = raw.substr(i + 2, close - i - 2);
      auto it = header.params.find(name);
      if (it == header.params.end()) {
        std::string known;
        for (const auto& param : header.params) known += (known.empty() ? "" : ", ") + param.first;
        where.fail(node, "no parameter '" + name + "' (declared under `params`: " +
                             (known.empty() ? "none" : known) + ")");
      }
      out += it->second;
      i = close;
    } else {
      out += raw[i];
    }
  }
  return out;
}

SceneScript parse_scene_script(const std::string& yaml_text, const std::string& path,
                               const SceneOverrides& overrides, const std::string& origin) {
  SceneScript script;
  const YAML::Node root = load_yaml(yaml_text, path);
  script.header = apply_overrides(read_scene_header(root, path, sha256_hex(yaml_text)), overrides,
                                  origin.empty() ? path : origin);
  const Where top{path, ""};
  check_keys(root, top,
             {"scene", "summary", "experiments", "params", "tex_preamble", "section_clear_time",
              "resolution", "encoder", "sections"});
  if (root["section_clear_time"]) {
    script.section_clear_time = as_number(root["section_clear_time"], top.at("section_clear_time"));
    if (script.section_clear_time < 0 || script.section_clear_time > 10) {
      top.at("section_clear_time").fail(root["section_clear_time"], "must be from 0 to 10");
    }
  }
  const YAML::Node sections = root["sections"];
  if (!sections || !sections.IsSequence() || sections.size() == 0) {
    top.at("sections").fail(sections ? sections : root, "expected a list of one or more sections");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Where where = top.at("sections").index(i);
    script.sections.push_back(read_section(sections[i], where, script.header));
    if (!names.insert(script.sections.back().name).second) {
      where.at("name").fail(sections[i]["name"], "a section '" + script.sections.back().name +
                                                     "' comes earlier; names must differ");
    }
  }
  return script;
}

SceneScript load_scene_script(const std::string& path, const SceneOverrides& overrides,
                              const std::string& origin) {
  return parse_scene_script(read_text_file(path), path, overrides, origin);
}

}  // namespace trajtool
