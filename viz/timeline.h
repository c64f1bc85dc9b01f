#pragma once
// Animations as values and the scene's story compiled into a timeline. A SceneBuilder is written
// like a Manim scene (sections, play, wait, clear); build() turns it into a Timeline, which answers
// "what is on screen at time t, in which order, drawn how?" and "does anything change between two
// instants?" (so the renderer can skip drawing frames where nothing moves).
#include <string>
#include <vector>

#include "viz/mobject.h"

namespace trajtool {

// How an animation's progress p in [0, 1] maps time to change. All are 0 at p = 0.
enum class RateFn {
  linear,          // p
  smooth,          // Manim's smooth: the sigmoid with inflection 10, rescaled to [0, 1]
  ease_in_out,     // cubic: 4p^3 for p < 1/2, then 1 - (-2p + 2)^3 / 2
  there_and_back,  // smooth(2p) for p < 1/2, then smooth(2 - 2p): goes and returns (ends at 0)
  rush_into,       // 2 smooth(p / 2): starts slow, arrives at full speed
  rush_from,       // 2 smooth(p / 2 + 1/2) - 1: starts at full speed, ends slow
};

// The rate function's value at p (clamped to [0, 1]).
double apply_rate(RateFn rate, double p);

enum class AnimKind {
  create,      // reveal 0 -> 1 (a path is traced)
  uncreate,    // reveal 1 -> 0, then the mobject leaves
  write,       // like create, for text and formulas (linear by default in Manim)
  fade_in,     // opacity 0 -> 1 while moving by `shift` into place
  fade_out,    // opacity -> 0 while moving by `shift`, then the mobject leaves
  grow,        // scale 0 -> 1 (about the centre; arrows grow from their start)
  shrink,      // scale -> 0, then the mobject leaves
  opacity_to,  // opacity -> `value`
  reveal_to,   // reveal -> `value` (traces a path part way)
  shift_to,    // shift -> `shift` (absolute: where the mobject is moved relative to rest)
  scale_to,    // scale -> `value`
};

struct Animation {
  MobjectPtr target;                 // what is animated
  AnimKind kind = AnimKind::create;  // what changes
  Vec2 shift;                        // fade_in/fade_out: the motion; shift_to: the end position
  double value = 1;                  // opacity_to, reveal_to, scale_to: the end value
  double run_time = -1;              // seconds; < 0 takes the run time given to play()
  double delay = 0;                  // seconds after the play() starts (for staggered starts)
  RateFn rate = RateFn::smooth;      // progress curve
};

// Animation factories, named after Manim's.
Animation create(MobjectPtr m);
Animation uncreate(MobjectPtr m);
Animation write(MobjectPtr m);
Animation fade_in(MobjectPtr m, Vec2 shift = {});
Animation fade_out(MobjectPtr m, Vec2 shift = {});
Animation grow(MobjectPtr m);
Animation shrink(MobjectPtr m);
Animation opacity_to(MobjectPtr m, double opacity);
Animation reveal_to(MobjectPtr m, double reveal);
Animation shift_to(MobjectPtr m, Vec2 shift);
Animation scale_to(MobjectPtr m, double scale);
// Manim's Transform as a cross-fade with motion: `from` fades out while moving onto `to`'s place
// and `to` fades in from `from`'s place (centres of their bounds). Play both together. A
// point-by-point morph of outlines is not implemented.
std::vector<Animation> transform(const MobjectPtr& from, const MobjectPtr& to,
                                 const FrameGeometry& geo);
// Modifiers: `with_rate(create(m), RateFn::linear)`, `with_run_time(...)`, `with_delay(...)`.
Animation with_rate(Animation a, RateFn rate);
Animation with_run_time(Animation a, double seconds);
Animation with_delay(Animation a, double seconds);

// A named part of the story.
struct Section {
  std::string name;  // as given to SceneBuilder::section
  double start = 0;  // seconds
  double end = 0;    // seconds (the next section's start, or the timeline's end)
};

// One mobject to draw in a frame, with its animated state.
struct DrawItem {
  const Mobject* mob = nullptr;  // owned by the Timeline
  DrawState state;               // how to draw it now
};

// A number that changes by keyframes: between t0 and t1 it goes from v0 towards v1 along the rate
// function; it holds its last value between keys.
struct Keyframe {
  double t0 = 0;                 // start, seconds
  double t1 = 0;                 // end, seconds (== t0 for a jump)
  double v0 = 0;                 // value at t0
  double v1 = 0;                 // value the rate function moves towards
  double end = 0;                // value at and after t1: lerp(v0, v1, rate(1))
  RateFn rate = RateFn::linear;  // progress curve
};

struct Track {
  double initial = 0;          // value before the first key
  std::vector<Keyframe> keys;  // sorted by t0
  double value_at(double t) const;
  double last() const { return keys.empty() ? initial : keys.back().end; }
};

// One mobject's whole life in the timeline.
struct MobjectTrack {
  MobjectPtr mob;                                    // what is drawn
  double z = 0;                                      // drawing order: lower first
  int order = 0;                                     // first-added order, breaks z ties
  std::vector<std::pair<double, double>> intervals;  // [enter, leave) on screen, sorted
  Track opacity, reveal, shift_x, shift_y, scale;    // the animated DrawState
  bool visible_at(double t) const;
  DrawState state_at(double t) const;
};

class Timeline {
 public:
  // Everything on screen at `t` in drawing order (back to front).
  std::vector<DrawItem> state_at(double t) const;
  // Seconds from start to end.
  double duration() const { return duration_; }
  // True if every frame in [t0, t1] looks like the one at t0: nothing animates, enters or leaves.
  bool is_static(double t0, double t1) const;
  const std::vector<Section>& sections() const { return sections_; }
  const std::vector<MobjectTrack>& tracks() const { return tracks_; }

 private:
  friend class SceneBuilder;
  std::vector<MobjectTrack> tracks_;               // sorted by (z, order)
  std::vector<std::pair<double, double>> moving_;  // (t0, t1) with t0 < t1: something animates
  std::vector<double> jumps_;                      // instants where something changes at once
  std::vector<Section> sections_;
  double duration_ = 0;
};

class SceneBuilder {
 public:
  // `clear_run_time`: the fade-out that section() plays when the previous section left anything.
  explicit SceneBuilder(double clear_run_time = 0.5);

  // Starts a section; first clears whatever the previous one left on screen.
  void section(const std::string& name);
  // Shows `m` at once (z: drawing order; default = the order of first appearance).
  void add(const MobjectPtr& m);
  void add(const MobjectPtr& m, double z);
  // Plays the animations together, starting now; lasts until the longest ends. Targets that are
  // not on screen enter when the play starts. Two animations of the same property of the same
  // mobject in one play: the later one wins.
  void play(const std::vector<Animation>& animations, double run_time = 1.0);
  void wait(double seconds = 1.0);
  // Takes `m` off the screen at once.
  void remove(const MobjectPtr& m);
  // Fades out everything on screen over `run_time` seconds.
  void clear(double run_time = 0.5);
  // The time reached so far.
  double now() const { return now_; }
  // Every mobject shown so far, in order of first appearance.
  const std::vector<MobjectTrack>& tracks() const { return tracks_; }
  // The story so far as a timeline (the builder can go on afterwards).
  Timeline build() const;

 private:
  MobjectTrack& track_for(const MobjectPtr& m);
  void enter(MobjectTrack& t, double when);
  void leave(MobjectTrack& t, double when);

  std::vector<MobjectTrack> tracks_;  // in order of first appearance
  std::vector<Section> sections_;
  double now_ = 0;
  double clear_run_time_;
};

}  // namespace trajtool
