#include "objectives/environments/cartpole.h"

#include <cmath>

#include "toolkit/core/error.h"

namespace trajtool {

CartPoleStep cartpole_step(const CartPoleState& s, int64_t action) {
  using C = CartPoleConstants;
  const double x = s[0], x_dot = s[1], theta = s[2], theta_dot = s[3];
  const double force = action == 1 ? C::kForce : -C::kForce;
  const double cos_t = std::cos(theta), sin_t = std::sin(theta);
  const double total_mass = C::kCartMass + C::kPoleMass;
  const double pole_mass_length = C::kPoleMass * C::kHalfLength;
  // Gym's order of operations, so that the doubles match its numbers.
  const double temp = (force + pole_mass_length * (theta_dot * theta_dot) * sin_t) / total_mass;
  const double theta_acc =
      (C::kGravity * sin_t - cos_t * temp) /
      (C::kHalfLength * (4.0 / 3.0 - C::kPoleMass * cos_t * cos_t / total_mass));
  const double x_acc = temp - pole_mass_length * theta_acc * cos_t / total_mass;
  CartPoleStep out;
  out.state = {x + C::kTau * x_dot, x_dot + C::kTau * x_acc, theta + C::kTau * theta_dot,
               theta_dot + C::kTau * theta_acc};
  out.terminated = out.state[0] < -C::kXLimit || out.state[0] > C::kXLimit ||
                   out.state[2] < -C::kThetaLimit || out.state[2] > C::kThetaLimit;
  out.reward = 1.0;
  return out;
}

uint64_t SeededUniform::next_bits() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double SeededUniform::next() { return static_cast<double>(next_bits() >> 11) * 0x1.0p-53; }

CartPoleState cartpole_reset(SeededUniform& random) {
  CartPoleState s{};
  for (double& v : s) {
    v = -CartPoleConstants::kResetRange + 2 * CartPoleConstants::kResetRange * random.next();
  }
  return s;
}

const EnvironmentInfo& environment_info(const std::string& name) {
  static const EnvironmentInfo kCartPole{"cartpole",
                                         "CartPole-v1",
                                         4,
                                         {"x", "x'", "θ", "θ'"},
                                         2,
                                         {"push left", "push right"},
                                         CartPoleConstants::kMaxSteps};
  if (name == kCartPole.name) return kCartPole;
  throw InputError("unknown environment '" + name + "' (known: cartpole)");
}

}  // namespace trajtool
