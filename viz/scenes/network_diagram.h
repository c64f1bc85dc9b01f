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

// The diagram at one frame. Connections between neighbouring columns: opacity from |weight x the
// activation it carries| relative to the strongest between the same two columns at this frame
// (red adds, blue subtracts); `weights[k]` is the tensor computing the k-th node of columns 1..
// (null: no connections into it). Nodes: colour activation_color(value / scale); the node of
// layer `chosen_layer`, unit `chosen_unit` in the last column pulses by `pulse` (0..1).
struct DiagramFrame {
  const std::vector<NetworkColumn>* columns = nullptr;
  const std::vector<std::vector<NodePlace>>* places = nullptr;
  const std::vector<const NamedTensor*>* weights = nullptr;
  int chosen_layer = -1;
  int64_t chosen_unit = -1;
  double pulse = 0;
  bool compact = false;                     // thinner connections
  LineStencilCache* connections = nullptr;  // where every possible connection's pixels are kept
                                            // between frames (owned by the panel); null: none
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
