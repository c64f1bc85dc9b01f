#pragma once
// The classic cart-pole (Barto, Sutton and Anderson 1983) with the constants, the Euler
// integration and the termination rules of Gym's CartPole-v1: a pole hinged on a cart that moves
// along a frictionless track; each step pushes the cart left or right with a force of 10 N.
//
//   θ'' = (g sin θ - cos θ · temp) / (l (4/3 - m_p cos²θ / (m_c + m_p))),
//   temp = (F + m_p l θ'² sin θ) / (m_c + m_p),   x'' = temp - m_p l θ'' cos θ / (m_c + m_p)
//
// with g = 9.8, m_c = 1.0, m_p = 0.1, l = 0.5 (half the pole's length), τ = 0.02 s, explicit
// Euler (x += τ x', x' += τ x'', θ += τ θ', θ' += τ θ''). The reward is 1 for every step taken,
// including the one that ends the episode; an episode ends when |x| > 2.4, |θ| > 12° (0.2095 rad)
// or after 500 steps (a truncation, not a failure). Reset draws the four state values uniformly
// from [-0.05, 0.05] with a generator seeded by the episode's seed. Torch-free.
#include <array>
#include <cstdint>
#include <string>

namespace trajtool {

// Gym's CartPole-v1 constants.
struct CartPoleConstants {
  static constexpr double kGravity = 9.8;                     // m/s²
  static constexpr double kCartMass = 1.0;                    // kg
  static constexpr double kPoleMass = 0.1;                    // kg
  static constexpr double kHalfLength = 0.5;                  // m: half the pole's length
  static constexpr double kForce = 10.0;                      // N: the push of either action
  static constexpr double kTau = 0.02;                        // s per step
  static constexpr double kXLimit = 2.4;                      // m: |x| beyond ends the episode
  static constexpr double kThetaLimit = 0.20943951023931953;  // rad: 12 * 2π / 360
  static constexpr int64_t kMaxSteps = 500;                   // CartPole-v1's time limit
  static constexpr double kResetRange = 0.05;  // reset draws each value in [-0.05, 0.05]
};

// The observation (and the whole state): x, x', θ, θ'.
using CartPoleState = std::array<double, 4>;

// What one step returns.
struct CartPoleStep {
  CartPoleState state;      // after the step
  double reward = 1;        // 1 for every step (Gym's convention)
  bool terminated = false;  // |x| > 2.4 or |θ| > 12°: the pole fell or the cart left the track
};

// The state after pushing with `action` (0 = push left, 1 = push right) from `s`.
CartPoleStep cartpole_step(const CartPoleState& s, int64_t action);

// A small seeded generator (SplitMix64) for resets and action sampling: the same seed gives the
// same numbers on every machine.
class SeededUniform {
 public:
  explicit SeededUniform(uint64_t seed) : state_(seed) {}
  uint64_t next_bits();  // 64 random bits
  double next();         // uniform in [0, 1), 53 bits

 private:
  uint64_t state_;  // SplitMix64's counter
};

// A start state: each value uniform in [-0.05, 0.05].
CartPoleState cartpole_reset(SeededUniform& random);

// The environment's description, for configs and scenes.
struct EnvironmentInfo {
  std::string name;                              // "cartpole"
  std::string title;                             // "CartPole-v1"
  int64_t observation_size = 0;                  // 4
  std::array<std::string, 4> observation_names;  // "x", "x'", "θ", "θ'"
  int64_t actions = 0;                           // 2
  std::array<std::string, 2> action_names;       // "push left", "push right"
  int64_t max_steps = 0;                         // 500
};

// The known environments' descriptions; InputError for an unknown name (listing the known ones).
const EnvironmentInfo& environment_info(const std::string& name);

}  // namespace trajtool
