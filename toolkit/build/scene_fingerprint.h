#pragma once
// What a rendered scene depends on, hashed: `trajtool build` renders a scene again only when its
// fingerprint differs from the one recorded with its video. Each part is hashed on its own so that
// a build can say which one changed. Comments and spacing in experiment files, and anything else
// that neither changes a cache key nor shows on screen, are left out.
#include <map>
#include <string>
#include <vector>

#include "toolkit/config/quality_preset.h"
#include "toolkit/config/scene_file.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// The parts, by name, each the SHA-256 of a canonical JSON (toolkit/core/canonical_json.h):
//   "version"     trajtool's version (TRAJTOOL_VERSION)
//   "scene file"  the scene file's bytes
//   "params"      the scene's parameters after overrides
//   "tex preamble" the LaTeX preamble of the scene's formulas (a manifest's, then the scene's)
//   "quality"     width, height and frame rate
//   "data"        for each experiment the scene reads: its name in the scene, its file path, the
//                 kind and key of every cache entry it plans, and what is shown but not in a key
//                 (the experiment's `name`, each run's `label` and `color`, each model's and EMA
//                 demo's `label`)
struct SceneFingerprint {
  std::map<std::string, std::string> parts;  // part name -> hex SHA-256
  std::string combined;                      // hex SHA-256 of all parts: equal iff all are
};

// `experiments` are the files of `header.experiments`, read, in the same order.
SceneFingerprint scene_fingerprint(const SceneHeader& header,
                                   const std::vector<Experiment>& experiments,
                                   const QualityPreset& quality);

}  // namespace trajtool
