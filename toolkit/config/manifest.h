#pragma once
// Seminar manifests (experiments/seminars/<name>.yaml): the experiments a seminar needs, the scenes
// it shows with their parameters, the quality preset and the output folder. `trajtool build`
// makes what a manifest names; the format is in docs/seminars.md. Reading a manifest also reads
// the head of every scene it names, so that a missing scene, an unknown parameter or an unknown
// experiment name is reported at the manifest's line.
#include <string>
#include <vector>

#include "toolkit/config/scene_file.h"

namespace trajtool {

// One scene of a manifest, with the manifest's overrides applied to its scene file's head.
struct ManifestScene {
  int line = 0;                // where the manifest lists it (1-based)
  std::string stem;            // output file stem (`output:`, default: the scene's name)
  std::string format = "mp4";  // `format:` mp4 (the video) or html (the interactive page)
  std::string output_path;     // <manifest output folder>/<stem>.<format>
  SceneHeader header;          // the scene as rendered: experiments and params after overrides
};

// A manifest, read and checked. Paths of inputs (experiments, scene folders) are resolved as
// everywhere in trajtool (resolve_input_path: the current folder, then the source tree); the output
// folder is relative to the current folder.
struct Manifest {
  std::string path;                      // the manifest file
  std::string name;                      // `name:`
  std::string output_dir;                // `output:` folder of the videos and the build log
  std::string quality = "m";             // `quality:` preset letter (l, m, h, k)
  std::vector<std::string> scene_dirs;   // `scenes_dir:` folders searched first for scene files
  std::vector<std::string> experiments;  // `experiments:` files made even if no scene reads them
  std::vector<ManifestScene> scenes;     // `scenes:` in file order
  std::string
      tex_preamble;  // `tex_preamble:` LaTeX for every scene's formulas, before a scene's own
};

// Reads and checks the manifest at `path` and the heads of the scene files it names. Any problem
// is an InputError "file:line: key: what".
Manifest load_manifest(const std::string& path);

// Every experiment file the manifest needs: its `experiments:`, then each scene's (after
// overrides), in that order, each file once (two spellings of one file count once). What `build`
// generates, and what a cache export of the manifest must carry.
std::vector<std::string> manifest_experiment_paths(const Manifest& manifest);

// The form in which two spellings of one file are equal ("a/../b.yaml" and "b.yaml"): the
// canonical absolute path.
std::string same_file_key(const std::string& path);

}  // namespace trajtool
