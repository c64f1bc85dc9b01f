#pragma once
// Reading scene files (experiments/scenes/*.yaml) into SceneScript, every block's keys and values
// checked and ${parameters} filled in. A bad file throws InputError naming the file, the line and
// the key: "experiments/scenes/X.yaml:14: sections[1].blocks[2].landscape.experiment: no
// experiment 'rotatd' in this scene (it reads: moments, rotated, bumpy)".
#include <yaml-cpp/yaml.h>

#include <string>

#include "toolkit/config/scene_file.h"
#include "toolkit/config/scene_script.h"
#include "toolkit/config/yaml_input.h"

namespace trajtool {

// Reads the scene file at `path` with `overrides` applied (`origin` names where they came from).
SceneScript load_scene_script(const std::string& path, const SceneOverrides& overrides = {},
                              const std::string& origin = "");

// Same, from text; `path` names the file in messages and gives the scene's name.
SceneScript parse_scene_script(const std::string& yaml_text, const std::string& path,
                               const SceneOverrides& overrides = {},
                               const std::string& origin = "");

}  // namespace trajtool
