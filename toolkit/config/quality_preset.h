#pragma once
// Manim's quality presets (-ql, -qm, -qh, -qk): the frame size and rate of a rendering. Shared by
// `render` (which draws at them) and `build` (whose up-to-date check includes them); and the
// names of x264's presets, which a scene file may choose among.
#include <string>

namespace trajtool {

// One preset.
struct QualityPreset {
  const char* flag;  // the letter after -q: "l", "m", "h" or "k"
  int width;         // frame width in pixels
  int height;        // frame height in pixels
  int fps;           // frames per second
};

// The preset of `flag` ("l", "m", "h", "k"), or nullptr for any other text.
const QualityPreset* find_quality_preset(const std::string& flag);

// Whether `name` is one of x264's speed presets (ultrafast, superfast, veryfast, faster, fast,
// medium, slow, slower, veryslow, placebo): what a scene's `encoder: {preset: ...}` may say.
bool is_x264_preset(const std::string& name);

}  // namespace trajtool
