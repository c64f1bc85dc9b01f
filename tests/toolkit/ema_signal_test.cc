#include "toolkit/pipeline/ema_signal.h"

#include <gtest/gtest.h>

#include <cmath>

namespace trajtool {
namespace {

TEST(EmaSignal, FollowsTheRecurrenceFromZero) {
  EmaSpec spec{"e", 50, 0.3, {0.5, 0.9}, 4};
  EmaRecord r = compute_ema(spec);
  ASSERT_EQ(r.signal.size(), 50u);
  ASSERT_EQ(r.ema.size(), 2u);
  // Unrolled: m_t = (1 - b) * sum_k b^(t-k) s_k, independent of the loop in the code.
  for (std::size_t k = 0; k < 2; ++k) {
    double b = spec.betas[k];
    for (std::size_t t : {0u, 1u, 10u, 49u}) {
      double expected = 0;
      for (std::size_t i = 0; i <= t; ++i) {
        expected += (1 - b) * std::pow(b, static_cast<double>(t - i)) * r.signal[i];
      }
      EXPECT_NEAR(r.ema[k][t], expected, 1e-12);
    }
  }
}

TEST(EmaSignal, SeededNoiseIsReproducibleAndHasTheRequestedSpread) {
  EmaSpec spec{"e", 20000, 0.5, {0.9}, 11};
  EmaRecord a = compute_ema(spec);
  EmaRecord b = compute_ema(spec);
  EXPECT_EQ(a.signal, b.signal);
  spec.seed = 12;
  EXPECT_NE(compute_ema(spec).signal, a.signal);
  double sum = 0, sum_sq = 0;
  for (std::size_t t = 0; t < a.signal.size(); ++t) {
    double noise = a.signal[t] - a.clean[t];
    sum += noise;
    sum_sq += noise * noise;
  }
  double n = static_cast<double>(a.signal.size());
  EXPECT_NEAR(sum / n, 0, 0.02);
  EXPECT_NEAR(std::sqrt(sum_sq / n), 0.5, 0.02);
}

}  // namespace
}  // namespace trajtool
