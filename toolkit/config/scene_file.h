#pragma once
// Scene files: a scene is a YAML file (experiments/scenes/<Name>.yaml) that names the experiments
// it reads, the text parameters a manifest may override, and its sections of building blocks. This
// header finds scene files and reads their head (what `trajtool build` needs to know what a scene
// depends on); the blocks are read by scene_script.h. The format: docs/scenes.md.
#include <map>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace trajtool {

// One experiment a scene reads.
struct SceneExperimentRef {
  std::string name;  // how the scene's blocks refer to it ("moments")
  std::string path;  // the experiment file, resolved (see resolve_input_path)
  int line = 0;      // where the scene file names it (1-based)
};

// The head of a scene file.
struct SceneHeader {
  std::string path;                             // the scene file
  std::string name;                             // `scene:`, equal to the file's stem
  std::string summary;                          // one line for `trajtool render --help`
  std::vector<SceneExperimentRef> experiments;  // in file order
  std::map<std::string, std::string> params;    // text parameters and their defaults (${name})
  std::string file_sha256;                      // of the file's bytes (a build's input)
  std::string tex_preamble;         // LaTeX before \begin{document} of its formulas (packages,
                                    // \newcommand); a manifest's comes first
  std::string tex_preamble_origin;  // "file:line: tex_preamble", for TeX's errors in it
  int width = 0;                    // `resolution: WxH`: the frame size `render` uses when
  int height = 0;                   // neither -q nor --resolution is given; 0 = the -qm preset
  std::string x264_preset;          // `encoder: {preset: P}`: the x264 preset of this scene's
                                    // MP4s (a trade of encoding time against bytes chosen for
                                    // its content); empty = the encoder's default, veryfast
};

// A path from a config, scene file or manifest: as given when it exists (relative to the current
// folder), else the same path under trajtool's source tree (the shipped experiments/), else as
// given (the reader then reports it missing).
std::string resolve_input_path(const std::string& path);

// Where scene files are looked for, in order: each of `user_dirs` (--scenes), ./experiments/scenes,
// then the source tree's experiments/scenes. A user's copy of a shipped scene wins.
std::vector<std::string> scene_search_dirs(const std::vector<std::string>& user_dirs);
// The file of scene `name` (<dir>/<name>.yaml, first found); InputError listing the known scenes.
std::string find_scene_file(const std::string& name, const std::vector<std::string>& user_dirs);
// Every scene name found in the search folders, sorted, each once.
std::vector<std::string> known_scene_names(const std::vector<std::string>& user_dirs);

// Reads and checks the head (scene, summary, experiments, params) of the scene file at `path`.
// The blocks are not read here.
SceneHeader load_scene_header(const std::string& path);
// Same, from the file's text; `path` names the file in messages and gives the scene's name.
SceneHeader parse_scene_header(const std::string& yaml_text, const std::string& path);
// Same, from the file's parsed YAML (`root`) and the SHA-256 of its text.
SceneHeader read_scene_header(const YAML::Node& root, const std::string& path,
                              const std::string& file_sha256);

// What one rendering of a scene uses in place of the file's defaults.
struct SceneOverrides {
  std::vector<std::string> configs;           // experiment files replacing the scene's, in order
  std::map<std::string, std::string> params;  // parameter values replacing defaults
  std::string tex_preamble;                   // put before the scene's own `tex_preamble`
};
// `header` with the overrides applied; a parameter the scene does not declare, or more configs
// than the scene reads, is an InputError naming `origin` (e.g. "--param" or "manifest.yaml:12").
SceneHeader apply_overrides(SceneHeader header, const SceneOverrides& overrides,
                            const std::string& origin);

}  // namespace trajtool
