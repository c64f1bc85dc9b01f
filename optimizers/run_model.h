#pragma once
// A tiny MLP trained on seeded synthetic data: loss curve and optimizer-state memory.
#include "toolkit/core/run_spec.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// Trains an MLP of widths spec.layers (input 2, output 1; tanh between layers, linear output),
// initialised like torch.nn.Linear (uniform in +-1/sqrt(fan_in)) from a generator seeded with
// spec.seed, on spec.samples points x uniform in [-2, 2]^2 with target sin(x1) cos(x2) (drawn from
// the same generator after the weights), full-batch MSE, for spec.steps steps. Throws InputError
// for a bad spec.
ModelRecord run_model(const ModelRunSpec& spec);

}  // namespace trajtool
