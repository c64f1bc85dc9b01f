// Text blocks: title card, section title, text, formula, note; and wait and clear.
#include <algorithm>

#include "viz/formula.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"

namespace trajtool {

void play_block(SceneContext& c, const TitleCardBlock& b) {
  // The title shrinks from 48 pt (not below 36) to fit between the edges, then wraps, centred.
  const double room = c.geo.frame_width() - 2 * kEdgeBuff;
  TextStyle style;
  style.points = 48;
  style.bold = true;
  style.color = kTextColor;
  style.align = TextAlign::kCenter;
  const double width = measure_text(b.title, style, c.geo).width();
  if (width > room) style.points = std::max(36.0, 48 * room / width);
  style.max_width_units = room;
  auto title = std::make_shared<Text>(b.title, style, Vec2{0, 0}, Anchor::kBottom);
  const double gap = b.subtitle.empty() ? -title->bounds(c.geo).height() / 2 : 0.2;
  title->set_position({0, gap}, Anchor::kBottom);
  c.builder.play({write(title)}, 1.5);
  if (!b.subtitle.empty()) {
    TextStyle sub;
    sub.points = 28;
    sub.color = kMutedColor;
    sub.align = TextAlign::kCenter;
    sub.max_width_units = room;
    c.builder.play(
        {fade_in(std::make_shared<Text>(b.subtitle, sub, Vec2{0, -0.25}, Anchor::kTop), {0, -0.3})},
        1.0);
  }
}

void play_block(SceneContext& c, const SectionTitleBlock& b) {
  c.builder.play({write(section_title(c.fill(b.text, b.experiment), c.geo))}, 1.0);
}

void play_block(SceneContext& c, const TextBlock& b) {
  auto text = text_at(c.fill(b.text, b.experiment), b.points, color_or(b.color, kTextColor),
                      to_vec(b.at), to_anchor(b.anchor), b.bold, b.width);
  if (b.write) {
    c.builder.play({write(text)}, b.run_time);
  } else {
    c.builder.play({fade_in(text, to_vec(b.shift))}, b.run_time);
  }
}

void play_block(SceneContext& c, const FormulaBlock& b) {
  auto formula = std::make_shared<Formula>(b.tex, b.points, color_or(b.color, kTextColor),
                                           to_vec(b.at), to_anchor(b.anchor));
  c.builder.play({write(formula)}, b.run_time);
}

void play_block(SceneContext& c, const NoteBlock& b) {
  const std::string text = c.fill(b.text, b.experiment);
  if (!b.in_column) {
    c.builder.play({fade_in(bottom_note(text, c.geo))}, b.run_time);
    return;
  }
  column_note(c, c.require_stage("a note with `place: column`"), text, b.run_time);
}

void play_block(SceneContext& c, const WaitBlock& b) { c.builder.wait(b.seconds); }

void play_block(SceneContext& c, const ClearBlock& b) {
  c.builder.clear(b.run_time);
  c.stage.reset();
}

}  // namespace trajtool
