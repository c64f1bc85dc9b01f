#include "toolkit/pipeline/ema_signal.h"

#include <cmath>
#include <random>

namespace trajtool {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Standard normal samples by Box-Muller from 53-bit uniforms of a 64-bit Mersenne twister.
class NormalSource {
 public:
  explicit NormalSource(uint64_t seed) : engine_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform_open();
    double u2 = uniform_open();
    double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2 * kPi * u2);
    has_spare_ = true;
    return radius * std::cos(2 * kPi * u2);
  }

 private:
  double uniform_open() {  // in (0, 1)
    return (static_cast<double>(engine_() >> 11) + 0.5) / 9007199254740992.0;
  }
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace

EmaRecord compute_ema(const EmaSpec& spec) {
  EmaRecord record;
  const auto n = static_cast<std::size_t>(spec.length);
  NormalSource noise(spec.seed);
  record.clean.resize(n);
  record.signal.resize(n);
  for (std::size_t t = 0; t < n; ++t) {
    double s = static_cast<double>(t) / static_cast<double>(n - 1);
    record.clean[t] = std::sin(4 * kPi * s) + 0.5 * s;
    record.signal[t] = record.clean[t] + spec.noise_std * noise.next();
  }
  record.betas = spec.betas;
  for (double beta : spec.betas) {
    std::vector<double> ema(n);
    double m = 0;
    for (std::size_t t = 0; t < n; ++t) {
      m = beta * m + (1 - beta) * record.signal[t];
      ema[t] = m;
    }
    record.ema.push_back(std::move(ema));
  }
  return record;
}

}  // namespace trajtool
