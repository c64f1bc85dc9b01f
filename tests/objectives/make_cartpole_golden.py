#!/usr/bin/env python3
"""Writes tests/objectives/golden/cartpole_v1.txt: cart-pole steps computed by a re-implementation
of Gym's CartPole-v1 `step` (gym/envs/classic_control/cartpole.py, gym 0.26: the same constants,
the same order of operations, Euler integration, the same termination test), independent of
trajtool's C++ code.

Lines: `step x x_dot theta theta_dot action  x' x_dot' theta' theta_dot' terminated` for random
single steps, then `roll ...` lines: a 200-step rollout from one start under a fixed action
sequence (each line one step, until termination).

usage: make_cartpole_golden.py > tests/objectives/golden/cartpole_v1.txt
"""
import math
import random

GRAVITY = 9.8
MASSCART = 1.0
MASSPOLE = 0.1
TOTAL_MASS = MASSPOLE + MASSCART
LENGTH = 0.5  # actually half the pole's length
POLEMASS_LENGTH = MASSPOLE * LENGTH
FORCE_MAG = 10.0
TAU = 0.02
THETA_THRESHOLD_RADIANS = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4


def step(state, action):
    x, x_dot, theta, theta_dot = state
    force = FORCE_MAG if action == 1 else -FORCE_MAG
    costheta = math.cos(theta)
    sintheta = math.sin(theta)
    temp = (force + POLEMASS_LENGTH * theta_dot**2 * sintheta) / TOTAL_MASS
    thetaacc = (GRAVITY * sintheta - costheta * temp) / (
        LENGTH * (4.0 / 3.0 - MASSPOLE * costheta**2 / TOTAL_MASS))
    xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS
    x = x + TAU * x_dot
    x_dot = x_dot + TAU * xacc
    theta = theta + TAU * theta_dot
    theta_dot = theta_dot + TAU * thetaacc
    terminated = bool(x < -X_THRESHOLD or x > X_THRESHOLD or theta < -THETA_THRESHOLD_RADIANS
                      or theta > THETA_THRESHOLD_RADIANS)
    return (x, x_dot, theta, theta_dot), terminated


def main():
    rng = random.Random(14)
    print("# cart-pole steps by Gym CartPole-v1's equations (make_cartpole_golden.py)")
    for _ in range(400):
        s = (rng.uniform(-2.6, 2.6), rng.uniform(-3, 3), rng.uniform(-0.25, 0.25),
             rng.uniform(-3, 3))
        a = rng.randint(0, 1)
        n, done = step(s, a)
        print("step", " ".join(repr(v) for v in s), a, " ".join(repr(v) for v in n), int(done))
    s = (0.01, -0.02, 0.03, 0.015)
    for t in range(200):
        a = (t // 3 + t % 2) % 2
        n, done = step(s, a)
        print("roll", " ".join(repr(v) for v in s), a, " ".join(repr(v) for v in n), int(done))
        s = n
        if done:
            break


if __name__ == "__main__":
    main()
