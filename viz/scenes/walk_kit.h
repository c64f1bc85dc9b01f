#pragma once
// Where the network_activity block puts a walk's panel (walk_blocks.cc), as functions its tests
// check pixels against: the boxes of the single layout and of a 2x2 quadrant, the plane's axes, and
// the colour of the walk's current point.
#include <cstddef>
#include <memory>

#include "viz/axes.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

// The walk's current point on the plane (and the path it has covered): an orange, unlike the
// class colours (blue, red, green, yellow) of the regions below it.
constexpr Rgba kWalkPointColor{1.0, 0.55, 0.0, 1};

// Distance every part keeps from the frame's edges, scene units.
constexpr double kWalkEdge = 0.55;

// Where a walk panel's parts go.
struct WalkBoxes {
  bool compact = false;  // a 2x2 quadrant: no text beside the nodes, smaller type
  Box2 metrics;          // full: the point / prediction row and progress bar; compact: heading
  Box2 bars;             // the class-probability bars
  Box2 network;          // the diagram's nodes
  Box2 input;            // the plane (its axes' box, before the equal aspect) or the image area
};

// The single layout on a 16:9 frame of width `frame_width`: analytics left, input right; `rows`
// class bars (two columns of bars beyond 4 classes).
WalkBoxes walk_single_boxes(double frame_width, int64_t classes);
// Quadrant q (0 top left, 1 top right, 2 bottom left, 3 bottom right) of the milestones layout.
WalkBoxes walk_grid_boxes(double frame_width, std::size_t q);

// Where an image walk's image goes: the largest square in the input area above its captions (28
// pixels across, row 0 at the top).
Box2 walk_image_box(const WalkBoxes& boxes);

// The axes of the plane drawn in `boxes.input` over the data set's grid `grid`.
std::shared_ptr<Axes> walk_plane_axes(const WalkBoxes& boxes, const Domain& grid);

}  // namespace trajtool

namespace trajtool {

struct SceneContext;
struct NetworkActivityBlock;
struct ExperimentData;
// The network_activity block on an experiment with a `walk:` (walk_blocks.cc); agent_blocks.cc
// hands it over.
void play_walk(SceneContext& c, const NetworkActivityBlock& b, const ExperimentData& e);

}  // namespace trajtool
