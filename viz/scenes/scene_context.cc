#include "viz/scenes/scene_context.h"

#include "toolkit/core/error.h"
#include "viz/scenes/scene_kit.h"

namespace trajtool {

Anchor to_anchor(TextAnchor anchor) {
  switch (anchor) {
    case TextAnchor::left:
      return Anchor::kLeft;
    case TextAnchor::right:
      return Anchor::kRight;
    case TextAnchor::top:
      return Anchor::kTop;
    case TextAnchor::bottom:
      return Anchor::kBottom;
    case TextAnchor::top_left:
      return Anchor::kTopLeft;
    case TextAnchor::top_right:
      return Anchor::kTopRight;
    case TextAnchor::bottom_left:
      return Anchor::kBottomLeft;
    case TextAnchor::bottom_right:
      return Anchor::kBottomRight;
    case TextAnchor::center:
      break;
  }
  return Anchor::kCenter;
}

Vec2 to_vec(ScenePoint p) { return {p.x, p.y}; }

Rgba dark_shade(Rgba c, double factor) { return {c.r * factor, c.g * factor, c.b * factor, 1}; }

std::shared_ptr<Text> text_at(const std::string& s, double points, Rgba color, Vec2 at,
                              Anchor anchor, bool bold, double wrap) {
  TextStyle style;
  style.points = points;
  style.color = color;
  style.bold = bold;
  style.max_width_units = wrap;
  return std::make_shared<Text>(s, style, at, anchor);
}

std::string bytes_text(int64_t bytes) {
  if (bytes < 10 * 1024) return std::to_string(bytes) + " B";
  return short_number(static_cast<double>(bytes) / 1024.0) + " KiB";
}

std::string lr_text(const RunSpec& run) {
  auto it = run.optimizer.hyper.find("lr");
  if (it == run.optimizer.hyper.end() || !std::holds_alternative<double>(it->second)) return "";
  return ", lr=" + short_number(std::get<double>(it->second));
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool is_point_run(const RunData& run) { return !run.spec.start.is_grid(); }

const RunData* landscape_run(const ExperimentData& e) {
  for (const RunData& run : e.runs) {
    if (is_point_run(run) && run.grid) return &run;
  }
  return nullptr;
}

bool section_plays(const SceneSection& section, const SceneContext& c) {
  if (section.when == SectionCondition::always) return true;
  for (const RunData& run : c.experiment(section.when_experiment).runs) {
    if (is_point_run(run) == (section.when == SectionCondition::point_runs)) return true;
  }
  return false;
}

void SceneContext::fail(const std::string& what) const {
  throw InputError(block->origin + ": " + what);
}

void SceneContext::warn(const std::string& what) const {
  if (warnings) warnings->push_back(block->origin + ": " + what);
}

const ExperimentData& SceneContext::experiment(const std::string& name) const {
  const auto& refs = script.header.experiments;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (refs[i].name == name) return data.experiments[i];
  }
  fail("no experiment '" + name + "'");  // the reader checked names: not reached
}

Stage& SceneContext::require_stage(const char* block_name) {
  if (!stage) fail(std::string(block_name) + " needs a landscape block earlier in its section");
  return *stage;
}

std::string SceneContext::fill(std::string text, const std::string& experiment_name) const {
  const ExperimentData* e = nullptr;
  if (!experiment_name.empty()) {
    e = &experiment(experiment_name);
  } else if (stage) {
    e = stage->experiment;
  }
  if (!e) return text;
  replace_all(text, "{experiment}", e->name);
  if (!e->runs.empty()) {
    const RunData& first = e->runs[0];
    replace_all(text, "{objective}", objective_info(first.spec.objective).title);
    replace_all(text, "{steps}", std::to_string(first.spec.steps));
  }
  return text;
}

Rgba color_or(const std::string& hex, Rgba fallback) {
  return hex.empty() ? fallback : parse_hex_color(hex);
}

void column_note(SceneContext& c, Stage& st, const std::string& text, double run_time) {
  auto note = text_at(text, kNotePoints, kAccentColor, {st.column_left, st.column_y},
                      Anchor::kTopLeft, false, st.column_right - st.column_left);
  st.column_y = note->bounds(c.geo).bottom - 0.35;
  c.builder.play({fade_in(note)}, run_time);
}

}  // namespace trajtool
