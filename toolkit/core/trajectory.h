#pragma once
// What one run produced, as stored in the cache. Values are kept as double in memory whatever the
// run's dtype (float32 values convert exactly) so that writing them back is bit-exact.
#include <cstdint>
#include <string>
#include <vector>

namespace trajtool {

// One recorded optimizer-state tensor (torch's name), one entry per step.
struct StateSeries {
  std::string name;                 // torch's name: "exp_avg", "momentum_buffer", "step", ...
  std::vector<int64_t> step_shape;  // shape of one step's value: {dim} or {} for a scalar
  std::vector<double> values;       // [batch?][steps][step_shape...], row-major
};

// A run's record. For a single run `batch` is 0 and the leading batch dimension is absent;
// for a sweep (start grid) every array has a leading dimension of size `batch`.
struct Trajectory {
  int64_t batch = 0;               // 0 for one start point, N for a sweep
  int64_t dim = 2;                 // parameters per point (1 or 2)
  int64_t rows = 0;                // rows of params/loss (steps + 1 unless diverged)
  std::vector<double> params;      // [batch?][rows][dim]: row 0 = start, row t = after step t
  std::vector<double> loss;        // [batch?][rows]: loss at each row of params
  std::vector<double> grad;        // [batch?][rows - 1][dim]: gradient used by step t + 1
  std::vector<StateSeries> state;  // state after step t + 1, [batch?][rows - 1][...]
  int64_t diverged_at = -1;        // single run: first non-finite row; -1 if never
  std::vector<int64_t> diverged_at_each;  // sweep: per start point, -1 if never (rows after: NaN)
  double wall_seconds = 0;                // time the run took (not part of the data's identity)
};

// Loss over a regular grid of a domain, for contours and heat maps (render never evaluates).
struct LossGrid {
  double x_min = 0, x_max = 0;  // x extent; samples at x_min + i * (x_max - x_min) / (nx - 1)
  double y_min = 0, y_max = 0;  // y extent; samples at y_min + j * (y_max - y_min) / (ny - 1)
  int64_t nx = 0;               // samples along x
  int64_t ny = 0;               // samples along y
  std::vector<double> values;   // [ny][nx], row j = y_min + j * dy; may hold +inf where undefined
};

// A noisy signal and its EMAs: ema[k][t] = beta_k * ema[k][t-1] + (1 - beta_k) * signal[t], with
// ema[k][-1] = 0 (as Adam starts its moments), so a large beta shows the start-up bias.
struct EmaRecord {
  std::vector<double> clean;             // the noise-free signal
  std::vector<double> signal;            // clean + seeded noise
  std::vector<double> betas;             // as in the spec
  std::vector<std::vector<double>> ema;  // one series per beta, same length as signal
};

}  // namespace trajtool
