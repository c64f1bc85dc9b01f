#pragma once
// The EMA demonstration data: a seeded noisy signal and its exponential moving averages. Pure and
// cheap (no LibTorch); cached like everything a scene shows.
#include "toolkit/core/run_spec.h"
#include "toolkit/core/trajectory.h"

namespace trajtool {

// clean[t] = sin(4 pi t / (n - 1)) + 0.5 t / (n - 1) (two periods on a gentle ramp);
// signal[t] = clean[t] + noise_std * N(0, 1) from a Mersenne twister seeded with spec.seed, with
// Box-Muller written out so the numbers do not depend on the standard library's distributions.
EmaRecord compute_ema(const EmaSpec& spec);

}  // namespace trajtool
