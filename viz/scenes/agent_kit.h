#pragma once
// What the network_activity block (agent_blocks.cc, walk_blocks.cc) draws, as functions its tests
// check pixels against: the signed colour of an activation, which nodes of a layer are drawn,
// where they go, and the value a node shows at a frame. The columns are built over a
// record-agnostic ActivityTrack (an agent's episode, a walk through a classifier's inputs).
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/agent_record.h"
#include "toolkit/core/walk_record.h"
#include "viz/color.h"
#include "viz/mobject.h"

namespace trajtool {

// The colour key's ends and middle: negative activations blue, zero a dark grey, positive red.
constexpr Rgba kActivationNegative{0.345, 0.769, 0.867, 1};  // #58c4dd
constexpr Rgba kActivationZero{0.17, 0.18, 0.22, 1};         // #2b2e38
constexpr Rgba kActivationPositive{0.988, 0.384, 0.333, 1};  // #fc6255
// The colour of a node whose value over its scale is `t` (clamped to [-1, 1]; NaN gives zero's):
// linear from zero's colour towards the negative or the positive end.
Rgba activation_color(double t);

// One recorded sequence of frames a network saw, whatever recorded it: what it was given at each
// frame and every layer's output. Points into the record it views.
struct ActivityTrack {
  int64_t frames = 0;                                     // frames recorded
  int64_t input_size = 0;                                 // inputs per frame
  const std::vector<double>* input = nullptr;             // [frames][input_size]
  const std::vector<NamedTensor>* activations = nullptr;  // per layer: [frames][width]
};
ActivityTrack episode_track(const EpisodeRecord& e);  // input: the observation
ActivityTrack walk_track(const WalkFrames& w);        // input: the walk's points or images

// One drawn node: where its value comes from.
struct NetworkNode {
  int layer = -1;       // index into the record's layer_names; -1 = the input (observation)
  int64_t unit = 0;     // which output of that layer (or which observation value)
  std::string label;    // "x", "θ'", "push left", "V(s)"; empty for hidden units
  std::string weights;  // the weight tensor that computes it ("trunk.0.weight"); "" for inputs
  double scale = 1;     // its colour scale: max(1, max |value| over the drawn frames of its
                        // layer), so that colour = activation_color(value / scale)
};

// One column of the diagram: a layer's drawn nodes.
struct NetworkColumn {
  std::string title;               // "input", "hidden 1", "output"
  std::string size_label;          // "4", "64 · tanh", "2 + 1"
  std::string subset_label;        // "12 of 64" when only some nodes are drawn, else ""
  std::vector<NetworkNode> nodes;  // top to bottom
};

// The input column: one node per input named by `names` (empty names: unlabelled); more than
// `max_nodes` inputs (images) show the `max_nodes` that vary most over `tracks`, in input order.
NetworkColumn input_column(const std::vector<std::string>& names, int64_t inputs,
                           const std::vector<ActivityTrack>& tracks, int64_t max_nodes);
// The hidden columns: the output of every module named `prefix`... that follows a Linear and is
// not one (its activation); wide layers show the `max_nodes` units that vary most over `tracks`,
// in unit order. Weights: the Linear's "<name>.weight".
std::vector<NetworkColumn> hidden_columns(const std::vector<std::string>& layer_names,
                                          const std::vector<std::string>& layer_kinds,
                                          const std::vector<ActivityTrack>& tracks, int max_nodes,
                                          const std::string& prefix);

// The agent's columns: the observation, every hidden activation of the trunk, then the policy's
// logits and the value. Scales come from `episodes` too.
std::vector<NetworkColumn> network_columns(const AgentRecord& record,
                                           const std::vector<const EpisodeRecord*>& episodes,
                                           int max_nodes);
// A walk's columns: the inputs (x₁, x₂; or the `max_nodes` pixels that vary most), every hidden
// activation, then the last Linear's outputs (the logits) named by class.
std::vector<NetworkColumn> walk_columns(const WalkRecord& record,
                                        const std::vector<const WalkFrames*>& walks, int max_nodes);

// Where a node is drawn (scene units).
struct NodePlace {
  Vec2 center;    // the disc's centre
  double radius;  // its radius at rest (the chosen action's pulses larger)
};
// The columns spread evenly across `area` (with `labelled`, the first at the left edge + 0.5 and
// the last at the right edge - 1.2, room for the input and output names; else 0.15 from both),
// each column's nodes centred vertically, spaced min(0.55, height / nodes) apart; one radius for
// all, from the densest column.
std::vector<std::vector<NodePlace>> place_network(const std::vector<NetworkColumn>& columns,
                                                  const Box2& area, bool labelled);

// The value node `n` shows at `frame` of `t` (of `e`).
double node_value(const ActivityTrack& t, const NetworkNode& n, int64_t frame);
double node_value(const EpisodeRecord& e, const NetworkNode& n, int64_t frame);

// The weight tensor `name` of `weights` (a milestone's or a checkpoint's state dict), or null.
const NamedTensor* find_weights(const std::vector<NamedTensor>& weights, const std::string& name);

// The most likely action at `frame` (ties go to the lower action).
int64_t likely_action(const EpisodeRecord& e, int64_t frame);

}  // namespace trajtool
