// The cart-pole against a Python re-implementation of Gym CartPole-v1's step
// (make_cartpole_golden.py wrote golden/cartpole_v1.txt), and its seeded resets.
#include "objectives/environments/cartpole.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

TEST(CartPole, StepsMatchGymsEquations) {
  std::ifstream in(TRAJTOOL_OBJECTIVES_GOLDEN_DIR "/cartpole_v1.txt");
  ASSERT_TRUE(in) << "missing golden file";
  std::string line;
  int steps = 0, terminations = 0;
  CartPoleState rolled{};
  bool rolling = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string kind;
    CartPoleState s{}, expected{};
    int64_t action = 0;
    int done = 0;
    fields >> kind >> s[0] >> s[1] >> s[2] >> s[3] >> action >> expected[0] >> expected[1] >>
        expected[2] >> expected[3] >> done;
    ASSERT_TRUE(fields) << line;
    if (kind == "roll") {
      // The rollout feeds our own states forward: errors would accumulate.
      if (rolling) {
        for (int i = 0; i < 4; ++i)
          EXPECT_NEAR(rolled[static_cast<std::size_t>(i)], s[static_cast<std::size_t>(i)], 1e-12);
      }
      s = rolling ? rolled : s;
      rolling = true;
    }
    const CartPoleStep got = cartpole_step(s, action);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_NEAR(got.state[i], expected[i], 1e-12 * (1 + std::fabs(expected[i]))) << line;
    }
    EXPECT_EQ(got.terminated, done == 1) << line;
    EXPECT_EQ(got.reward, 1.0);
    rolled = got.state;
    ++steps;
    terminations += done;
  }
  EXPECT_GT(steps, 400);
  EXPECT_GT(terminations, 20);  // the file exercises the termination test both ways
}

TEST(CartPole, ResetsAreSeededAndSmall) {
  SeededUniform a(7), b(7), c(8);
  const CartPoleState sa = cartpole_reset(a), sb = cartpole_reset(b), sc = cartpole_reset(c);
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
  SeededUniform many(3);
  for (int k = 0; k < 1000; ++k) {
    for (double v : cartpole_reset(many)) {
      EXPECT_GE(v, -0.05);
      EXPECT_LE(v, 0.05);
    }
  }
}

TEST(CartPole, InfoNamesActionsAndRejectsUnknownEnvironments) {
  const EnvironmentInfo& info = environment_info("cartpole");
  EXPECT_EQ(info.actions, 2);
  EXPECT_EQ(info.observation_size, 4);
  EXPECT_EQ(info.action_names[0], "push left");
  EXPECT_EQ(info.action_names[1], "push right");
  EXPECT_EQ(info.max_steps, 500);
  EXPECT_THROW(environment_info("mountaincar"), InputError);
}

}  // namespace
}  // namespace trajtool
