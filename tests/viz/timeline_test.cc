// Timeline and rate functions against hand-computed values. The smooth() references come from
// Manim Community's formula evaluated separately in Python:
//   smooth(t) = (sigmoid(10 (t - 1/2)) - sigmoid(-5)) / (1 - 2 sigmoid(-5)).
#include "viz/timeline.h"

#include <gtest/gtest.h>

#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr double kSmooth025 = 0.07010371654510815;
constexpr double kSmooth010 = 0.011446579538697649;
constexpr double kSmooth090 = 0.9885534204613023;

TEST(RateFn, MatchesReferenceValues) {
  EXPECT_DOUBLE_EQ(apply_rate(RateFn::linear, 0.3), 0.3);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.0), 0.0, 1e-15);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.5), 0.5, 1e-15);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 1.0), 1.0, 1e-15);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.25), kSmooth025, 1e-12);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.75), 1 - kSmooth025, 1e-12);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.1), kSmooth010, 1e-12);
  EXPECT_NEAR(apply_rate(RateFn::smooth, 0.9), kSmooth090, 1e-12);
  // Cubic ease in-out: 4 (1/4)^3 = 1/16; 1 - (1/2)^3 / 2 = 15/16.
  EXPECT_DOUBLE_EQ(apply_rate(RateFn::ease_in_out, 0.25), 1.0 / 16);
  EXPECT_DOUBLE_EQ(apply_rate(RateFn::ease_in_out, 0.75), 15.0 / 16);
  // There and back: smooth(2t) up to 1/2, smooth(2 - 2t) after.
  EXPECT_NEAR(apply_rate(RateFn::there_and_back, 0.5), 1.0, 1e-15);
  EXPECT_NEAR(apply_rate(RateFn::there_and_back, 0.25), 0.5, 1e-15);
  EXPECT_NEAR(apply_rate(RateFn::there_and_back, 0.875), kSmooth025, 1e-12);
  EXPECT_NEAR(apply_rate(RateFn::there_and_back, 1.0), 0.0, 1e-15);
  // Rush into / from at 1/2: 2 smooth(1/4) and 2 smooth(3/4) - 1.
  EXPECT_NEAR(apply_rate(RateFn::rush_into, 0.5), 2 * kSmooth025, 1e-12);
  EXPECT_NEAR(apply_rate(RateFn::rush_from, 0.5), 1 - 2 * kSmooth025, 1e-12);
  // Clamped outside [0, 1].
  EXPECT_DOUBLE_EQ(apply_rate(RateFn::linear, 1.5), 1.0);
}

MobjectPtr dot() { return std::make_shared<Dot>(Vec2{0, 0}); }

const DrawItem* find(const std::vector<DrawItem>& items, const MobjectPtr& m) {
  for (const DrawItem& it : items) {
    if (it.mob == m.get()) return &it;
  }
  return nullptr;
}

TEST(Timeline, StatesFollowRateFunctionsAndKeyframes) {
  auto a = dot(), b = dot(), c = dot();
  SceneBuilder s;
  s.add(a);
  s.play({with_rate(create(b), RateFn::linear)}, 2.0);  // t in [0, 2]
  s.play({fade_in(c, {1, 0})}, 1.0);                    // t in [2, 3], smooth
  s.wait(1.0);                                          // t in [3, 4]
  const Timeline tl = s.build();
  EXPECT_DOUBLE_EQ(tl.duration(), 4.0);

  auto at = tl.state_at(0.5);
  ASSERT_EQ(at.size(), 2u);  // a and b; c not yet
  EXPECT_EQ(at[0].mob, a.get());
  EXPECT_DOUBLE_EQ(at[0].state.reveal, 1.0);
  EXPECT_EQ(at[1].mob, b.get());
  EXPECT_DOUBLE_EQ(at[1].state.reveal, 0.25);

  at = tl.state_at(2.25);
  ASSERT_EQ(at.size(), 3u);
  const DrawItem* ci = find(at, c);
  ASSERT_NE(ci, nullptr);
  EXPECT_NEAR(ci->state.opacity, kSmooth025, 1e-12);
  // FadeIn(shift=v) starts displaced by -v and arrives at rest.
  EXPECT_NEAR(ci->state.shift.x, -(1 - kSmooth025), 1e-12);
  EXPECT_DOUBLE_EQ(ci->state.shift.y, 0.0);
  EXPECT_DOUBLE_EQ(find(at, b)->state.reveal, 1.0);

  at = tl.state_at(3.5);
  EXPECT_DOUBLE_EQ(find(at, c)->state.opacity, 1.0);
  EXPECT_DOUBLE_EQ(find(at, c)->state.shift.x, 0.0);
}

TEST(Timeline, TransformCrossFadesWithMotionOntoTheTarget) {
  auto from = std::make_shared<Dot>(Vec2{-2, 1}, 0.1);
  auto to = std::make_shared<Dot>(Vec2{3, -1}, 0.1);
  SceneBuilder s;
  s.add(from);
  s.play(transform(from, to, FrameGeometry{}), 1.0);  // smooth; smooth(0.5) = 0.5
  const Timeline tl = s.build();
  auto at = tl.state_at(0.5);
  const DrawItem* f = find(at, from);
  const DrawItem* g = find(at, to);
  ASSERT_NE(f, nullptr);
  ASSERT_NE(g, nullptr);
  EXPECT_NEAR(f->state.opacity, 0.5, 1e-12);
  EXPECT_NEAR(g->state.opacity, 0.5, 1e-12);
  // Halfway, both stand at the midpoint of the two centres: (-2,1) + (2.5,-1) = (3,-1) - (2.5,-1).
  EXPECT_NEAR(f->state.shift.x, 2.5, 1e-12);
  EXPECT_NEAR(f->state.shift.y, -1.0, 1e-12);
  EXPECT_NEAR(g->state.shift.x, -2.5, 1e-12);
  EXPECT_NEAR(g->state.shift.y, 1.0, 1e-12);
  at = tl.state_at(1.0);
  EXPECT_EQ(find(at, from), nullptr);  // gone at the end
  ASSERT_NE(find(at, to), nullptr);
  EXPECT_DOUBLE_EQ(find(at, to)->state.shift.x, 0.0);
}

TEST(Timeline, ZOrderIsOrderAddedUnlessGiven) {
  auto a = dot(), b = dot(), c = dot();
  SceneBuilder s;
  s.add(a);
  s.add(b);
  s.add(c, -1.0);  // explicitly behind everything
  s.wait(1);
  auto items = s.build().state_at(0.5);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].mob, c.get());
  EXPECT_EQ(items[1].mob, a.get());
  EXPECT_EQ(items[2].mob, b.get());
}

TEST(Timeline, SectionsClearThemselves) {
  auto a = dot(), b = dot(), c = dot();
  SceneBuilder s(0.5);
  s.section("intro");
  s.add(a);
  s.play({create(b)}, 1.0);  // [0, 1]
  s.section("main");         // fades a and b over [1, 1.5]
  s.play({create(c)}, 1.0);  // [1.5, 2.5]
  const Timeline tl = s.build();
  ASSERT_EQ(tl.sections().size(), 2u);
  EXPECT_EQ(tl.sections()[0].name, "intro");
  EXPECT_DOUBLE_EQ(tl.sections()[0].start, 0.0);
  EXPECT_DOUBLE_EQ(tl.sections()[0].end, 1.5);
  EXPECT_EQ(tl.sections()[1].name, "main");
  EXPECT_DOUBLE_EQ(tl.sections()[1].start, 1.5);
  EXPECT_DOUBLE_EQ(tl.sections()[1].end, 2.5);

  auto mid_clear = tl.state_at(1.25);
  ASSERT_EQ(mid_clear.size(), 2u);
  EXPECT_NEAR(mid_clear[0].state.opacity, 0.5, 1e-12);  // 1 - smooth(1/2)
  EXPECT_NEAR(mid_clear[1].state.opacity, 0.5, 1e-12);
  auto later = tl.state_at(2.0);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].mob, c.get());
  EXPECT_NEAR(later[0].state.reveal, 0.5, 1e-12);
}

TEST(Timeline, FadeOutUncreateAndRemoveTakeObjectsOff) {
  auto a = dot(), b = dot(), c = dot();
  SceneBuilder s;
  s.add(a);
  s.add(b);
  s.add(c);
  s.play({fade_out(a, {0, 2}), uncreate(b)}, 1.0);  // [0, 1]
  s.remove(c);
  s.wait(1);
  const Timeline tl = s.build();
  auto mid = tl.state_at(0.5);
  ASSERT_EQ(mid.size(), 3u);
  EXPECT_NEAR(find(mid, a)->state.opacity, 0.5, 1e-12);
  EXPECT_NEAR(find(mid, a)->state.shift.y, 1.0, 1e-12);  // half of the way up
  EXPECT_NEAR(find(mid, b)->state.reveal, 0.5, 1e-12);
  EXPECT_TRUE(tl.state_at(1.0).empty());
  EXPECT_TRUE(tl.state_at(1.5).empty());
}

TEST(Timeline, ReturningObjectStartsFromRest) {
  auto a = dot();
  SceneBuilder s;
  s.play({fade_in(a)}, 1.0);
  s.play({fade_out(a)}, 1.0);
  s.add(a);  // back at full opacity at t = 2
  s.wait(1);
  const Timeline tl = s.build();
  auto items = tl.state_at(2.5);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_DOUBLE_EQ(items[0].state.opacity, 1.0);
}

TEST(Timeline, ThereAndBackReturnsAndDelaysHold) {
  auto a = dot(), b = dot();
  SceneBuilder s;
  s.add(a);
  s.add(b);
  s.play({with_rate(shift_to(a, {2, 0}), RateFn::there_and_back),
          with_delay(with_run_time(with_rate(opacity_to(b, 0.2), RateFn::linear), 1.0), 1.0)},
         2.0);
  s.wait(1);
  const Timeline tl = s.build();
  EXPECT_DOUBLE_EQ(tl.duration(), 3.0);
  EXPECT_NEAR(find(tl.state_at(1.0), a)->state.shift.x, 2.0, 1e-12);
  EXPECT_NEAR(find(tl.state_at(2.5), a)->state.shift.x, 0.0, 1e-12);  // came back
  EXPECT_DOUBLE_EQ(find(tl.state_at(0.5), b)->state.opacity, 1.0);    // not started
  EXPECT_NEAR(find(tl.state_at(1.5), b)->state.opacity, 0.6, 1e-12);
  EXPECT_NEAR(find(tl.state_at(2.5), b)->state.opacity, 0.2, 1e-12);
}

TEST(Timeline, IsStaticOnlyWhereNothingChanges) {
  auto a = dot(), b = dot();
  SceneBuilder s;
  s.add(a);
  s.wait(1.0);             // [0, 1] static
  s.play({grow(b)}, 1.0);  // [1, 2] moving
  s.wait(1.0);             // [2, 3] static
  s.add(a);                // already on screen: no change
  s.remove(b);             // jump at 3
  s.wait(1.0);
  const Timeline tl = s.build();
  EXPECT_TRUE(tl.is_static(0.0, 0.9));
  EXPECT_TRUE(tl.is_static(0.1, 0.99));
  EXPECT_FALSE(tl.is_static(0.9, 1.1));
  EXPECT_FALSE(tl.is_static(1.2, 1.3));
  EXPECT_FALSE(tl.is_static(1.9, 2.1));
  EXPECT_TRUE(tl.is_static(2.0, 2.9));
  EXPECT_FALSE(tl.is_static(2.9, 3.0));  // b leaves at 3
  EXPECT_TRUE(tl.is_static(3.0, 3.9));
}

}  // namespace
}  // namespace trajtool
