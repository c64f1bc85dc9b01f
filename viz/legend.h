#pragma once
// A legend: rows of [line sample in the series' colour, label], an optional title, on a padded
// background box. Entries stack vertically or sit side by side.
#include <memory>
#include <string>
#include <vector>

#include "viz/color.h"
#include "viz/mobject.h"
#include "viz/text.h"

namespace trajtool {

struct LegendEntry {
  std::string label;     // e.g. "Adam, lr = 0.1" (plain text, Unicode allowed)
  Rgba color;            // the series' colour
  double stroke_px = 4;  // line sample width in px at 720p (match the plotted line)
  bool dashed = false;   // a dashed sample
  bool marker = false;   // a dot in the middle of the sample (as trajectories end in a dot)
};

enum class LegendLayout { kVertical, kHorizontal };

struct LegendStyle {
  std::string title;         // above the entries; empty = none
  double points = 18;        // label size
  double title_points = 20;  // title size (bold)
  LegendLayout layout = LegendLayout::kVertical;
  Rgba text_color{0.92, 0.92, 0.92, 1};    // labels and title
  Rgba background{0.08, 0.08, 0.1, 0.78};  // box fill; transparent = none
  Rgba border{0.55, 0.55, 0.6, 0.9};       // box outline; transparent = none
  double padding = 0.18;                   // scene units inside the box
  double sample_length = 0.55;             // scene units of line sample
  double sample_gap = 0.15;                // between sample and label
  double row_gap = 0.1;                    // between rows (vertical layout)
  double column_gap = 0.35;                // between entries (horizontal layout)
};

class Legend : public Mobject {
 public:
  // The legend's box is placed with its `anchor` point on `position` (scene units).
  Legend(std::vector<LegendEntry> entries, LegendStyle style, Vec2 position,
         Anchor anchor = Anchor::kTopLeft);

  // Reveal fades the legend in.
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry& geo) const override;

  // Where entry `index`'s line sample runs (scene units, left to right at the row's centre).
  Vec2 sample_start(size_t index) const { return rows_[index].sample_start; }
  Vec2 sample_end(size_t index) const { return rows_[index].sample_end; }
  size_t size() const { return rows_.size(); }

  // Pieces for a legend that builds up (entries appearing with their lines): the box alone, and
  // entry `index` alone at its place in this legend, without box or title.
  MobjectPtr frame() const;
  std::shared_ptr<Legend> entry_alone(size_t index) const;

 private:
  struct Row {
    LegendEntry entry;
    Vec2 sample_start;
    Vec2 sample_end;
    std::shared_ptr<Text> label;
  };
  LegendStyle style_;
  Box2 box_;
  std::vector<Row> rows_;
  std::shared_ptr<Text> title_;
};

// A legend at `position` whose labels start at style.points and shrink one point at a time (to 12
// at the smallest) until its box ends left of `right` (scene units).
std::shared_ptr<Legend> legend_fitting(const std::vector<LegendEntry>& entries, LegendStyle style,
                                       Vec2 position, Anchor anchor, double right,
                                       const FrameGeometry& geo);

}  // namespace trajtool
