#include "viz/timeline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

constexpr double kForever = std::numeric_limits<double>::infinity();

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Manim's smooth(t, inflection=10).
double smooth(double t) {
  constexpr double kInflection = 10.0;
  const double error = sigmoid(-kInflection / 2);
  const double v = (sigmoid(kInflection * (t - 0.5)) - error) / (1 - 2 * error);
  return std::clamp(v, 0.0, 1.0);
}

Animation make(MobjectPtr m, AnimKind kind) {
  Animation a;
  a.target = std::move(m);
  a.kind = kind;
  return a;
}

}  // namespace

double apply_rate(RateFn rate, double p) {
  p = std::clamp(p, 0.0, 1.0);
  switch (rate) {
    case RateFn::linear:
      return p;
    case RateFn::smooth:
      return smooth(p);
    case RateFn::ease_in_out:
      return p < 0.5 ? 4 * p * p * p : 1 - std::pow(-2 * p + 2, 3) / 2;
    case RateFn::there_and_back:
      return smooth(p < 0.5 ? 2 * p : 2 * (1 - p));
    case RateFn::rush_into:
      return 2 * smooth(p / 2);
    case RateFn::rush_from:
      return 2 * smooth(p / 2 + 0.5) - 1;
  }
  return p;
}

Animation create(MobjectPtr m) { return make(std::move(m), AnimKind::create); }
Animation uncreate(MobjectPtr m) { return make(std::move(m), AnimKind::uncreate); }
Animation write(MobjectPtr m) {
  Animation a = make(std::move(m), AnimKind::write);
  a.rate = RateFn::linear;
  return a;
}
Animation fade_in(MobjectPtr m, Vec2 shift) {
  Animation a = make(std::move(m), AnimKind::fade_in);
  a.shift = shift;
  return a;
}
Animation fade_out(MobjectPtr m, Vec2 shift) {
  Animation a = make(std::move(m), AnimKind::fade_out);
  a.shift = shift;
  return a;
}
std::vector<Animation> transform(const MobjectPtr& from, const MobjectPtr& to,
                                 const FrameGeometry& geo) {
  const Vec2 d = to->bounds(geo).center() - from->bounds(geo).center();
  return {fade_out(from, d), fade_in(to, d)};
}
Animation grow(MobjectPtr m) { return make(std::move(m), AnimKind::grow); }
Animation shrink(MobjectPtr m) { return make(std::move(m), AnimKind::shrink); }
Animation opacity_to(MobjectPtr m, double opacity) {
  Animation a = make(std::move(m), AnimKind::opacity_to);
  a.value = opacity;
  return a;
}
Animation reveal_to(MobjectPtr m, double reveal) {
  Animation a = make(std::move(m), AnimKind::reveal_to);
  a.value = reveal;
  return a;
}
Animation shift_to(MobjectPtr m, Vec2 shift) {
  Animation a = make(std::move(m), AnimKind::shift_to);
  a.shift = shift;
  return a;
}
Animation scale_to(MobjectPtr m, double scale) {
  Animation a = make(std::move(m), AnimKind::scale_to);
  a.value = scale;
  return a;
}
Animation with_rate(Animation a, RateFn rate) {
  a.rate = rate;
  return a;
}
Animation with_run_time(Animation a, double seconds) {
  a.run_time = seconds;
  return a;
}
Animation with_delay(Animation a, double seconds) {
  a.delay = seconds;
  return a;
}

double Track::value_at(double t) const {
  auto it = std::upper_bound(keys.begin(), keys.end(), t,
                             [](double x, const Keyframe& k) { return x < k.t0; });
  if (it == keys.begin()) return initial;
  const Keyframe& k = *(it - 1);
  if (t >= k.t1) return k.end;
  return k.v0 + (k.v1 - k.v0) * apply_rate(k.rate, (t - k.t0) / (k.t1 - k.t0));
}

bool MobjectTrack::visible_at(double t) const {
  for (const auto& [enter, leave] : intervals) {
    if (enter <= t && t < leave) return true;
  }
  return false;
}

DrawState MobjectTrack::state_at(double t) const {
  DrawState s;
  s.opacity = opacity.value_at(t);
  s.reveal = reveal.value_at(t);
  s.shift = {shift_x.value_at(t), shift_y.value_at(t)};
  s.scale = scale.value_at(t);
  return s;
}

std::vector<DrawItem> Timeline::state_at(double t) const {
  std::vector<DrawItem> items;
  for (const MobjectTrack& track : tracks_) {
    if (track.visible_at(t)) items.push_back({track.mob.get(), track.state_at(t)});
  }
  return items;
}

bool Timeline::is_static(double t0, double t1) const {
  // `moving_` is sorted by start: only spans starting before t1 can overlap (t0, t1).
  for (const auto& [start, end] : moving_) {
    if (start >= t1) break;
    if (end > t0) return false;
  }
  auto it = std::upper_bound(jumps_.begin(), jumps_.end(), t0);
  return it == jumps_.end() || *it > t1;
}

SceneBuilder::SceneBuilder(double clear_run_time) : clear_run_time_(clear_run_time) {}

MobjectTrack& SceneBuilder::track_for(const MobjectPtr& m) {
  if (!m) throw InputError("scene: an animation or add() has no mobject");
  for (MobjectTrack& t : tracks_) {
    if (t.mob == m) return t;
  }
  MobjectTrack t;
  t.mob = m;
  t.order = static_cast<int>(tracks_.size());
  t.z = t.order;
  t.opacity.initial = 1;
  t.reveal.initial = 1;
  t.scale.initial = 1;
  tracks_.push_back(std::move(t));
  return tracks_.back();
}

namespace {

bool on_screen(const MobjectTrack& t) {
  return !t.intervals.empty() && t.intervals.back().second == kForever;
}

void jump(Track& track, double when, double value) {
  if (track.last() == value) return;
  track.keys.push_back({when, when, value, value, value, RateFn::linear});
}

}  // namespace

void SceneBuilder::enter(MobjectTrack& t, double when) {
  if (on_screen(t)) return;
  t.intervals.push_back({when, kForever});
  // A returning mobject starts from rest, whatever its last exit left.
  jump(t.opacity, when, 1);
  jump(t.reveal, when, 1);
  jump(t.shift_x, when, 0);
  jump(t.shift_y, when, 0);
  jump(t.scale, when, 1);
}

void SceneBuilder::leave(MobjectTrack& t, double when) {
  if (on_screen(t)) t.intervals.back().second = std::max(when, t.intervals.back().first);
}

void SceneBuilder::section(const std::string& name) {
  const bool anything_shown = std::any_of(tracks_.begin(), tracks_.end(), on_screen);
  if (anything_shown) clear(clear_run_time_);
  if (!sections_.empty()) sections_.back().end = now_;
  sections_.push_back({name, now_, now_});
}

void SceneBuilder::add(const MobjectPtr& m) { enter(track_for(m), now_); }

void SceneBuilder::add(const MobjectPtr& m, double z) {
  MobjectTrack& t = track_for(m);
  t.z = z;
  enter(t, now_);
}

void SceneBuilder::play(const std::vector<Animation>& animations, double run_time) {
  if (!(run_time >= 0)) throw InputError("scene: play() run time must be >= 0");
  // One pending change per property; a later animation of the same property replaces it.
  struct Change {
    bool jump_first = false;  // set the value to `from` when the play starts
    double from = 0;          // the jump's value
    double to = 0;            // the end value
    double start = 0, end = 0;
    RateFn rate = RateFn::linear;
  };
  std::map<Track*, Change> changes;
  std::vector<Track*> change_order;
  std::map<MobjectTrack*, double> leaving;
  double longest = 0;

  for (const Animation& a : animations) {
    MobjectTrack& t = track_for(a.target);
    enter(t, now_);
  }
  for (const Animation& a : animations) {
    MobjectTrack& t = track_for(a.target);
    const double rt = a.run_time < 0 ? run_time : a.run_time;
    if (!(rt >= 0) || !(a.delay >= 0)) {
      throw InputError("scene: an animation's run time and delay must be >= 0");
    }
    const double start = now_ + a.delay;
    const double end = start + rt;
    longest = std::max(longest, a.delay + rt);
    auto set = [&](Track& track, double to, bool jump_first = false, double from = 0) {
      if (!changes.count(&track)) change_order.push_back(&track);
      changes[&track] = {jump_first, from, to, start, end, a.rate};
    };
    switch (a.kind) {
      case AnimKind::create:
      case AnimKind::write:
        set(t.reveal, 1, true, 0);
        break;
      case AnimKind::uncreate:
        set(t.reveal, 0);
        leaving[&t] = end;
        break;
      case AnimKind::fade_in:
        set(t.opacity, 1, true, 0);
        if (a.shift.x != 0 || a.shift.y != 0) {
          set(t.shift_x, t.shift_x.last(), true, t.shift_x.last() - a.shift.x);
          set(t.shift_y, t.shift_y.last(), true, t.shift_y.last() - a.shift.y);
        }
        break;
      case AnimKind::fade_out:
        set(t.opacity, 0);
        if (a.shift.x != 0 || a.shift.y != 0) {
          set(t.shift_x, t.shift_x.last() + a.shift.x);
          set(t.shift_y, t.shift_y.last() + a.shift.y);
        }
        leaving[&t] = end;
        break;
      case AnimKind::grow:
        set(t.scale, 1, true, 0);
        break;
      case AnimKind::shrink:
        set(t.scale, 0);
        leaving[&t] = end;
        break;
      case AnimKind::opacity_to:
        set(t.opacity, a.value);
        break;
      case AnimKind::reveal_to:
        set(t.reveal, a.value);
        break;
      case AnimKind::shift_to:
        set(t.shift_x, a.shift.x);
        set(t.shift_y, a.shift.y);
        break;
      case AnimKind::scale_to:
        set(t.scale, a.value);
        break;
    }
  }
  for (Track* track : change_order) {
    const Change& c = changes[track];
    if (c.jump_first) jump(*track, now_, c.from);
    const double from = track->last();
    const double end_value = from + (c.to - from) * apply_rate(c.rate, 1.0);
    track->keys.push_back({c.start, c.end, from, c.to, end_value, c.rate});
  }
  for (auto& [track, when] : leaving) leave(*track, when);
  now_ += longest;
}

void SceneBuilder::wait(double seconds) {
  if (!(seconds >= 0)) throw InputError("scene: wait() needs seconds >= 0");
  now_ += seconds;
}

void SceneBuilder::remove(const MobjectPtr& m) { leave(track_for(m), now_); }

void SceneBuilder::clear(double run_time) {
  std::vector<Animation> fades;
  for (const MobjectTrack& t : tracks_) {
    if (on_screen(t)) fades.push_back(fade_out(t.mob));
  }
  if (!fades.empty()) play(fades, run_time);
}

Timeline SceneBuilder::build() const {
  Timeline tl;
  tl.tracks_ = tracks_;
  std::stable_sort(tl.tracks_.begin(), tl.tracks_.end(),
                   [](const MobjectTrack& a, const MobjectTrack& b) {
                     return a.z != b.z ? a.z < b.z : a.order < b.order;
                   });
  for (const MobjectTrack& t : tl.tracks_) {
    for (const auto& [enter, leave] : t.intervals) {
      tl.jumps_.push_back(enter);
      if (leave != kForever) tl.jumps_.push_back(leave);
    }
    for (const Track* track : {&t.opacity, &t.reveal, &t.shift_x, &t.shift_y, &t.scale}) {
      for (const Keyframe& k : track->keys) {
        if (k.t1 > k.t0) {
          tl.moving_.push_back({k.t0, k.t1});
        } else {
          tl.jumps_.push_back(k.t0);
        }
      }
    }
  }
  std::sort(tl.moving_.begin(), tl.moving_.end());
  std::sort(tl.jumps_.begin(), tl.jumps_.end());
  tl.sections_ = sections_;
  if (!tl.sections_.empty()) tl.sections_.back().end = now_;
  tl.duration_ = now_;
  return tl;
}

}  // namespace trajtool
