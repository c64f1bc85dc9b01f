#include "toolkit/config/quality_preset.h"

namespace trajtool {
namespace {

constexpr QualityPreset kPresets[] = {
    {"l", 854, 480, 15}, {"m", 1280, 720, 30}, {"h", 1920, 1080, 60}, {"k", 3840, 2160, 60}};

}  // namespace

const QualityPreset* find_quality_preset(const std::string& flag) {
  for (const QualityPreset& preset : kPresets) {
    if (flag == preset.flag) return &preset;
  }
  return nullptr;
}

bool is_x264_preset(const std::string& name) {
  static const char* const kX264Presets[] = {"ultrafast", "superfast", "veryfast", "faster",
                                             "fast",      "medium",    "slow",     "slower",
                                             "veryslow",  "placebo"};
  for (const char* preset : kX264Presets) {
    if (name == preset) return true;
  }
  return false;
}

}  // namespace trajtool
