// Colour maps against published anchor colours. Independent source: the R package viridisLite
// (viridis(3), magma(3), inferno(3), plasma(3), cividis(3) give the colours at t = 0, 0.5, 1),
// which ports the same matplotlib data, and matplotlib's documented end colours.
#include "viz/colormap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

struct Anchor {
  ColormapName name;
  double t;
  const char* hex;
  double tolerance;  // in 1/255 steps
};

// CIE L* of an sRGB colour (D65), from the sRGB and CIELAB definitions.
double lightness(Rgba c) {
  auto linear = [](double u) {
    return u <= 0.04045 ? u / 12.92 : std::pow((u + 0.055) / 1.055, 2.4);
  };
  const double y = 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
  const double f = y > 216.0 / 24389 ? std::cbrt(y) : (24389.0 / 27 * y + 16) / 116;
  return 116 * f - 16;
}

TEST(Colormap, MatchesPublishedAnchors) {
  const Anchor anchors[] = {
      {ColormapName::kViridis, 0.0, "#440154", 1}, {ColormapName::kViridis, 0.5, "#21908c", 2},
      {ColormapName::kViridis, 1.0, "#fde725", 1}, {ColormapName::kMagma, 0.0, "#000004", 1},
      {ColormapName::kMagma, 0.5, "#b63679", 2},   {ColormapName::kMagma, 1.0, "#fcfdbf", 1},
      {ColormapName::kInferno, 0.0, "#000004", 1}, {ColormapName::kInferno, 0.5, "#bb3754", 2},
      {ColormapName::kInferno, 1.0, "#fcffa4", 1}, {ColormapName::kPlasma, 0.0, "#0d0887", 1},
      {ColormapName::kPlasma, 0.5, "#cc4678", 2},  {ColormapName::kPlasma, 1.0, "#f0f921", 1},
      {ColormapName::kCividis, 0.0, "#00224e", 1}, {ColormapName::kCividis, 0.5, "#7c7b78", 3},
      {ColormapName::kCividis, 1.0, "#fee838", 1},
  };
  for (const Anchor& a : anchors) {
    const Rgba want = parse_hex_color(a.hex);
    const Rgba got = Colormap{a.name, false}.sample(a.t);
    const std::string what = colormap_name_text(a.name) + "(" + std::to_string(a.t) + ")";
    EXPECT_NEAR(got.r * 255, want.r * 255, a.tolerance + 0.01) << what;
    EXPECT_NEAR(got.g * 255, want.g * 255, a.tolerance + 0.01) << what;
    EXPECT_NEAR(got.b * 255, want.b * 255, a.tolerance + 0.01) << what;
    EXPECT_EQ(got.a, 1.0);
  }
}

TEST(Colormap, LightnessRisesMonotonically) {
  for (ColormapName name : {ColormapName::kViridis, ColormapName::kMagma, ColormapName::kInferno,
                            ColormapName::kPlasma, ColormapName::kCividis}) {
    const Colormap map{name, false};
    double previous = lightness(map.sample(0));
    // Between neighbouring table entries the 8-bit rounding may wobble by a hair; over 1/32 of the
    // range the rise must be clear.
    for (int k = 1; k <= 32; ++k) {
      const double l = lightness(map.sample(k / 32.0));
      EXPECT_GT(l, previous + 0.5) << colormap_name_text(name) << " at " << k / 32.0;
      previous = l;
    }
    for (int k = 1; k <= 1000; ++k) {
      EXPECT_GE(lightness(map.sample(k / 1000.0)) + 0.3, lightness(map.sample((k - 1) / 1000.0)));
    }
    EXPECT_LT(lightness(map.sample(0)), 40) << colormap_name_text(name);
    EXPECT_GT(lightness(map.sample(1)), 85) << colormap_name_text(name);
  }
}

TEST(Colormap, ClampsReversesAndParses) {
  const Colormap viridis{ColormapName::kViridis, false};
  const Colormap reversed{ColormapName::kViridis, true};
  const Rgba lo = viridis.sample(-3);
  const Rgba hi = viridis.sample(7);
  EXPECT_DOUBLE_EQ(lo.g, viridis.sample(0).g);
  EXPECT_DOUBLE_EQ(hi.g, viridis.sample(1).g);
  EXPECT_DOUBLE_EQ(reversed.sample(0.2).r, viridis.sample(0.8).r);
  EXPECT_DOUBLE_EQ(viridis.sample(std::nan("")).b, viridis.sample(0).b);
  EXPECT_EQ(parse_colormap_name("magma"), ColormapName::kMagma);
  EXPECT_EQ(parse_colormap_name("cividis"), ColormapName::kCividis);
  EXPECT_THROW(parse_colormap_name("jet"), InputError);
}

}  // namespace
}  // namespace trajtool
