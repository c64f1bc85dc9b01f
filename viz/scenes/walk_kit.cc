#include "viz/scenes/walk_kit.h"

#include <algorithm>

namespace trajtool {

WalkBoxes walk_single_boxes(double frame_width, int64_t classes) {
  const double half = frame_width / 2;
  const double left = -half + kWalkEdge, mid = 0;
  WalkBoxes b;
  b.metrics = {left, 2.15, mid - 0.35, 2.5};
  b.bars = classes > 4 ? Box2{left, 0.3, mid - 0.35, 1.65} : Box2{left, 0.85, mid - 0.35, 1.65};
  // Below the bars, room for the columns' titles and sizes (0.8 above the nodes).
  b.network = {left + 0.55, -2.75, mid - 0.5, std::min(-0.5, b.bars.bottom - 0.95)};
  b.input = {mid + 0.75, -3.0, half - kWalkEdge, 2.5};
  return b;
}

WalkBoxes walk_grid_boxes(double frame_width, std::size_t q) {
  const double half = frame_width / 2;
  // kWalkEdge from the frame's edges, 0.25 from the lines between the quadrants.
  const double left = q % 2 == 0 ? -half + kWalkEdge : 0.25;
  const double right = q % 2 == 0 ? -0.25 : half - kWalkEdge;
  const double top = q < 2 ? 4 - kWalkEdge : -0.25;
  const double bottom = q < 2 ? 0.25 : -4 + kWalkEdge;
  WalkBoxes b;
  b.compact = true;
  b.metrics = {left, top - 0.35, right, top};
  b.bars = {left, bottom, left + 3.0, bottom + 0.6};
  b.network = {left, bottom + 0.85, left + 2.7, top - 0.6};
  b.input = {left + 3.3, bottom, right, top - 0.55};
  return b;
}

Box2 walk_image_box(const WalkBoxes& boxes) {
  const Box2& a = boxes.input;
  const double captions = boxes.compact ? 0.4 : 1.5;
  const double side = std::min(a.width(), a.height() - captions);
  const double cx = a.center().x;
  return {cx - side / 2, a.top - side, cx + side / 2, a.top};
}

std::shared_ptr<Axes> walk_plane_axes(const WalkBoxes& boxes, const Domain& grid) {
  AxesStyle style;
  style.equal_aspect = true;
  style.tick_points = boxes.compact ? 14 : 16;
  style.label_points = 20;
  style.x_ticks = boxes.compact ? 3 : 5;
  style.y_ticks = boxes.compact ? 3 : 5;
  if (boxes.compact) {
    style.color = {0.85, 0.85, 0.85, 0};  // no frame or ticks: the regions' edge is the frame
    style.x_ticks = style.y_ticks = 0;
  } else {
    style.x_label = "x₁";
    style.y_label = "x₂";
  }
  Box2 box = boxes.input;
  if (!boxes.compact) box = {box.left + 0.35, box.bottom + 0.45, box.right, box.top};
  return std::make_shared<Axes>(grid, box, style);
}

}  // namespace trajtool
