#pragma once
// The network diagram of the network_activity block, whatever recorded the activity (an agent's
// episode in agent_blocks.cc, a walk through a classifier's inputs in walk_blocks.cc): its
// connections and nodes at one frame, its static labels and colour key, and the cairo helpers its
// panels draw numbers with.
#include <string>
#include <vector>

#include "toolkit/core/spec_values.h"
#include "viz/line_batch.h"
#include "viz/mobject.h"
#include "viz/scenes/agent_kit.h"
#include "viz/text.h"

namespace trajtool {

// "0.402" (`digits` decimals); "10%" or "12.5%" of a fraction; ", lr=0.01" (nothing when the
// optimizer has no numeric lr).
std::string fixed(double v, int digits);
// "+1.5", "-0.02" (`digits` decimals, signed); a value that rounds to zero is "0.0" with no sign.
std::string signed_fixed(double v, int digits);
std::string percent(double fraction);
std::string lr_label(const OptimizerSpec& optimizer);

// Text drawn straight onto the frame (the numbers that change every frame).
void draw_text(cairo_t* cr, const FrameGeometry& geo, const std::string& s, double points,
               Rgba color, Vec2 at, Anchor anchor, double opacity, bool bold = false);
void set_color(cairo_t* cr, Rgba c, double opacity);
void fill_box(cairo_t* cr, const FrameGeometry& geo, const Box2& b, Rgba c, double opacity);
void stroke_line(cairo_t* cr, const FrameGeometry& geo, Vec2 a, Vec2 b, Rgba c, double width_px,
                 double opacity);

// What a panel's diagram keeps for all its frames: its columns, where their nodes go, the tensor
// computing each node of columns 1.. (null: no connections into it), and every possible
// connection's pixels, worked out on the first frame of a size.
struct NetworkDiagram {
  std::vector<NetworkColumn> columns;
  std::vector<std::vector<NodePlace>> places;
  std::vector<const NamedTensor*> weights;
  mutable LineStencilCache connections;
};
// The diagram of `columns` in `area` (place_network's `labelled`); each node's tensor is looked up
// by name in `state_dict` (null: none, no connections drawn).
NetworkDiagram make_network_diagram(std::vector<NetworkColumn> columns, const Box2& area,
                                    bool labelled, const std::vector<NamedTensor>* state_dict);

// The diagram at one frame. Connections between neighbouring columns: opacity from |weight x the
// activation it carries| relative to the strongest between the same two columns at this frame
// (red adds, blue subtracts). Nodes: colour activation_color(value / scale); the node of layer
// `chosen_layer`, unit `chosen_unit` in the last column pulses by `pulse` (0..1).
struct DiagramFrame {
  const NetworkDiagram* diagram = nullptr;  // the panel's diagram
  int chosen_layer = -1;
  int64_t chosen_unit = -1;
  double pulse = 0;
  bool compact = false;  // thinner connections
};
void draw_network_diagram(cairo_t* cr, const FrameGeometry& geo, const DiagramFrame& d,
                          const ActivityTrack& track, int64_t frame, double opacity);

// The colour key: a bar from -1 to +1 in activation colours, labelled.
class ColourKey : public Mobject {
 public:
  explicit ColourKey(Box2 bar) : bar_(bar) {}
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  Box2 bounds(const FrameGeometry&) const override;

 private:
  Box2 bar_;
};

// The drawn columns' static labels: titles and sizes above, subsets and scales below, the input
// and output nodes' names beside them.
std::vector<MobjectPtr> network_labels(const std::vector<NetworkColumn>& columns, const Box2& area);

}  // namespace trajtool
