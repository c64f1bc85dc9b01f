#include "toolkit/config/manifest.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "toolkit/config/quality_preset.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

// An input file named by the manifest, resolved; missing is an error at its line.
std::string input_file(const YAML::Node& node, const Where& where) {
  const std::string path = resolve_input_path(as_string(node, where));
  std::error_code ignored;
  if (!fs::is_regular_file(path, ignored)) where.fail(node, "no such file: " + path);
  return path;
}

void require_list(const YAML::Node& node, const Where& where, const std::string& what) {
  if (!node.IsSequence())
    where.fail(node, "expected a list of " + what + ", got " + node_kind(node));
}

// Output stems become file names in the output folder: no folders, no hidden files.
void check_stem(const std::string& stem, const YAML::Node& node, const Where& where) {
  bool ok = !stem.empty() && stem[0] != '.' && stem.size() <= 200;
  for (char c : stem) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  }
  if (!ok) {
    where.fail(node, "'" + stem + "' is not a file stem (letters, digits, '_', '-', '.'; " +
                         "not starting with '.')");
  }
}

ManifestScene parse_scene(const YAML::Node& node, const Where& where, const Manifest& manifest) {
  require_map(node, where, "scene, output, params, experiments");
  check_keys(node, where, {"scene", "output", "format", "params", "experiments"});
  ManifestScene scene;
  scene.line = node.Mark().line + 1;
  const YAML::Node name_node = node["scene"];
  if (!name_node) where.fail(node, "`scene:` is required (a scene file's name)");
  const Where name_where = where.at("scene");
  const std::string name = as_string(name_node, name_where);
  std::string scene_path;
  try {
    scene_path = find_scene_file(name, manifest.scene_dirs);
  } catch (const InputError& e) {
    name_where.fail(name_node, e.what());
  }
  // The file is read once: its head now, for the overrides; all of it below.
  const std::string scene_text = read_text_file(scene_path);
  SceneHeader header = parse_scene_header(scene_text, scene_path);

  // Experiments are overridden by the names the scene gives them.
  SceneOverrides overrides;
  for (const SceneExperimentRef& ref : header.experiments) overrides.configs.push_back(ref.path);
  if (const YAML::Node experiments = node["experiments"]) {
    for_each_item(experiments, where.at("experiments"), "the scene's experiment names and files",
                  [&](const std::string& ref_name, const YAML::Node& key, const YAML::Node& value,
                      const Where& at) {
                    std::size_t i = 0;
                    while (i < header.experiments.size() && header.experiments[i].name != ref_name)
                      ++i;
                    if (i == header.experiments.size()) {
                      std::string known;
                      for (const auto& ref : header.experiments)
                        known += (known.empty() ? "" : ", ") + ref.name;
                      at.fail(key, "scene " + name + " reads no experiment '" + ref_name +
                                       "' (it reads: " + (known.empty() ? "none" : known) + ")");
                    }
                    overrides.configs[i] = input_file(value, at);
                  });
  }
  header = apply_overrides(std::move(header), {overrides.configs, {}, manifest.tex_preamble},
                           where.locate(node));
  // Parameters one by one, so that an unknown one is reported at its own line.
  if (const YAML::Node params = node["params"]) {
    for_each_item(params, where.at("params"), "parameter names and texts",
                  [&header](const std::string& param, const YAML::Node& key,
                            const YAML::Node& value, const Where& at) {
                    header =
                        apply_overrides(std::move(header),
                                        {{}, {{param, as_string(value, at)}}, {}}, at.locate(key));
                  });
  }
  // The whole scene file is read now (not only its head), so that a bad block stops the build,
  // with its file, line and key, before anything is generated or rendered.
  SceneOverrides effective;
  for (const SceneExperimentRef& ref : header.experiments) effective.configs.push_back(ref.path);
  effective.params = header.params;
  parse_scene_script(scene_text, scene_path, effective, where.locate(node));
  scene.header = std::move(header);

  scene.stem = name;
  if (const YAML::Node output = node["output"]) {
    scene.stem = as_string(output, where.at("output"));
    check_stem(scene.stem, output, where.at("output"));
  }
  if (const YAML::Node format = node["format"]) {
    scene.format = as_string(format, where.at("format"));
    if (scene.format != "mp4" && scene.format != "html") {
      where.at("format").fail(format, "'" + scene.format + "' is not one of: mp4, html");
    }
  }
  scene.output_path = (fs::path(manifest.output_dir) / (scene.stem + "." + scene.format)).string();
  return scene;
}

}  // namespace

Manifest load_manifest(const std::string& path) {
  const YAML::Node root = load_yaml(read_text_file(path), path);
  const Where top{path, ""};
  require_map(root, top,
              "keys (name, output, quality, scenes_dir, experiments, tex_preamble, scenes)");
  check_keys(root, top,
             {"name", "output", "quality", "scenes_dir", "experiments", "tex_preamble", "scenes"});
  Manifest manifest;
  manifest.path = path;
  for (const char* key : {"name", "output"}) {
    if (!root[key]) top.fail(root, std::string("`") + key + ":` is required");
  }
  manifest.name = as_string(root["name"], top.at("name"));
  manifest.output_dir = as_string(root["output"], top.at("output"));
  if (manifest.output_dir.empty()) top.at("output").fail(root["output"], "must name a folder");
  if (const YAML::Node quality = root["quality"]) {
    manifest.quality = as_string(quality, top.at("quality"));
    if (!find_quality_preset(manifest.quality)) {
      top.at("quality").fail(
          quality, "expected l, m, h or k (Manim's presets), got '" + manifest.quality + "'");
    }
  }
  if (const YAML::Node dirs = root["scenes_dir"]) {
    const Where at = top.at("scenes_dir");
    require_list(dirs, at, "folders of scene files");
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      const std::string dir = resolve_input_path(as_string(dirs[i], at.index(i)));
      std::error_code ignored;
      if (!fs::is_directory(dir, ignored)) at.index(i).fail(dirs[i], "no such folder: " + dir);
      manifest.scene_dirs.push_back(dir);
    }
  }
  if (const YAML::Node experiments = root["experiments"]) {
    const Where at = top.at("experiments");
    require_list(experiments, at, "experiment files");
    for (std::size_t i = 0; i < experiments.size(); ++i) {
      manifest.experiments.push_back(input_file(experiments[i], at.index(i)));
    }
  }
  if (const YAML::Node preamble = root["tex_preamble"]) {
    manifest.tex_preamble = as_string(preamble, top.at("tex_preamble"));
  }
  if (const YAML::Node scenes = root["scenes"]) {
    const Where at = top.at("scenes");
    require_list(scenes, at, "scenes");
    std::map<std::string, std::size_t> stems;  // stem -> index of the scene that writes it
    for (std::size_t i = 0; i < scenes.size(); ++i) {
      ManifestScene scene = parse_scene(scenes[i], at.index(i), manifest);
      auto [it, fresh] = stems.emplace(scene.stem, i);
      if (!fresh) {
        const YAML::Node stem_node = scenes[i]["output"] ? scenes[i]["output"] : scenes[i]["scene"];
        at.index(i).at("output").fail(stem_node,
                                      "'" + scene.stem + "' is also the output of scenes[" +
                                          std::to_string(it->second) + "] (line " +
                                          std::to_string(manifest.scenes[it->second].line) +
                                          "); give each an `output:` stem of its own");
      }
      manifest.scenes.push_back(std::move(scene));
    }
  }
  if (manifest.scenes.empty() && manifest.experiments.empty()) {
    top.fail(root, "nothing to build: give `scenes:` or `experiments:`");
  }
  return manifest;
}

std::vector<std::string> manifest_experiment_paths(const Manifest& manifest) {
  std::vector<std::string> paths;
  std::set<std::string> seen;
  auto add = [&](const std::string& path) {
    if (seen.insert(same_file_key(path)).second) paths.push_back(path);
  };
  for (const std::string& path : manifest.experiments) add(path);
  for (const ManifestScene& scene : manifest.scenes) {
    for (const SceneExperimentRef& ref : scene.header.experiments) add(ref.path);
  }
  return paths;
}

std::string same_file_key(const std::string& path) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(path, error);
  return error ? fs::absolute(path).lexically_normal().string() : canonical.string();
}

}  // namespace trajtool
