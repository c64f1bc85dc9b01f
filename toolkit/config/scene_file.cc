#include "toolkit/config/scene_file.h"

#include <cstdio>
#include <filesystem>
#include <set>

#include "toolkit/config/quality_preset.h"
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"

namespace trajtool {

namespace fs = std::filesystem;

std::string resolve_input_path(const std::string& path) {
  std::error_code ignored;
  if (fs::exists(path, ignored) || fs::path(path).is_absolute()) return path;
  fs::path in_source = fs::path(TRAJTOOL_SOURCE_DIR) / path;
  if (fs::exists(in_source, ignored)) return in_source.string();
  return path;
}

std::vector<std::string> scene_search_dirs(const std::vector<std::string>& user_dirs) {
  std::vector<std::string> dirs = user_dirs;
  dirs.push_back("experiments/scenes");
  const std::string shipped = (fs::path(TRAJTOOL_SOURCE_DIR) / "experiments/scenes").string();
  std::error_code ignored;
  if (!fs::equivalent("experiments/scenes", shipped, ignored)) dirs.push_back(shipped);
  return dirs;
}

std::string find_scene_file(const std::string& name, const std::vector<std::string>& user_dirs) {
  for (const std::string& dir : user_dirs) {
    std::error_code ignored;
    if (!fs::is_directory(dir, ignored)) throw InputError("--scenes " + dir + ": no such folder");
  }
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    throw InputError("'" + name + "' is not a scene name (a scene file's stem, e.g. " +
                     "OptimizerComparison)");
  }
  for (const std::string& dir : scene_search_dirs(user_dirs)) {
    fs::path candidate = fs::path(dir) / (name + ".yaml");
    std::error_code ignored;
    if (fs::is_regular_file(candidate, ignored)) return candidate.string();
  }
  std::string known;
  for (const std::string& scene : known_scene_names(user_dirs)) {
    known += (known.empty() ? "" : ", ") + scene;
  }
  throw InputError("unknown scene '" + name + "' (known: " + known + "; scene files are looked " +
                   "for as <Name>.yaml in --scenes folders, then experiments/scenes)");
}

std::vector<std::string> known_scene_names(const std::vector<std::string>& user_dirs) {
  std::set<std::string> names;
  for (const std::string& dir : scene_search_dirs(user_dirs)) {
    std::error_code ignored;
    for (fs::directory_iterator it(dir, ignored), end; !ignored && it != end;
         it.increment(ignored)) {
      if (it->path().extension() == ".yaml") names.insert(it->path().stem().string());
    }
  }
  return {names.begin(), names.end()};
}

SceneHeader load_scene_header(const std::string& path) {
  return parse_scene_header(read_text_file(path), path);
}

SceneHeader parse_scene_header(const std::string& yaml_text, const std::string& path) {
  return read_scene_header(load_yaml(yaml_text, path), path, sha256_hex(yaml_text));
}

SceneHeader read_scene_header(const YAML::Node& root, const std::string& path,
                              const std::string& file_sha256) {
  const Where top{path, ""};
  require_map(root, top, "keys (scene, summary, experiments, params, sections)");
  check_no_duplicates(root, top);
  SceneHeader header;
  header.path = path;
  header.file_sha256 = file_sha256;
  const std::string stem = fs::path(path).stem().string();
  header.name = root["scene"] ? as_string(root["scene"], top.at("scene")) : stem;
  if (header.name != stem) {
    top.at("scene").fail(root["scene"], "'" + header.name + "' differs from the file's name '" +
                                            stem + "' (render finds a scene by its file name)");
  }
  if (root["summary"]) header.summary = as_string(root["summary"], top.at("summary"));
  if (const YAML::Node preamble = root["tex_preamble"]) {
    header.tex_preamble = as_string(preamble, top.at("tex_preamble"));
    header.tex_preamble_origin = top.at("tex_preamble").locate(preamble);
  }
  if (const YAML::Node resolution = root["resolution"]) {
    const std::string text = as_string(resolution, top.at("resolution"));
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 7680 ||
        h > 4320 || w % 2 || h % 2) {
      top.at("resolution")
          .fail(resolution, "expected an even WxH such as 960x540, got '" + text + "'");
    }
    header.width = w;
    header.height = h;
  }
  if (const YAML::Node encoder = root["encoder"]) {
    const Where at = top.at("encoder");
    require_map(encoder, at, "keys (preset)");
    check_keys(encoder, at, {"preset"});
    if (const YAML::Node preset = encoder["preset"]) {
      header.x264_preset = as_string(preset, at.at("preset"));
      if (!is_x264_preset(header.x264_preset)) {
        at.at("preset").fail(preset, "'" + header.x264_preset +
                                         "' is not an x264 preset (ultrafast, superfast, "
                                         "veryfast, faster, fast, medium, slow, slower, veryslow)");
      }
    }
  }
  if (const YAML::Node experiments = root["experiments"]) {
    for_each_item(experiments, top.at("experiments"), "name: experiment file",
                  [&header](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                            const Where& at) {
                    header.experiments.push_back(
                        {name, resolve_input_path(as_string(value, at)), key.Mark().line + 1});
                  });
  }
  if (const YAML::Node params = root["params"]) {
    for_each_item(params, top.at("params"), "name: default text",
                  [&header](const std::string& name, const YAML::Node&, const YAML::Node& value,
                            const Where& at) { header.params[name] = as_string(value, at); });
  }
  return header;
}

SceneHeader apply_overrides(SceneHeader header, const SceneOverrides& overrides,
                            const std::string& origin) {
  if (overrides.configs.size() > header.experiments.size()) {
    throw InputError(origin + ": scene " + header.name + " reads " +
                     std::to_string(header.experiments.size()) + " experiment(s), " +
                     std::to_string(overrides.configs.size()) + " given");
  }
  for (std::size_t i = 0; i < overrides.configs.size(); ++i) {
    header.experiments[i].path = resolve_input_path(overrides.configs[i]);
  }
  for (const auto& [name, value] : overrides.params) {
    auto it = header.params.find(name);
    if (it == header.params.end()) {
      std::string known;
      for (const auto& param : header.params) known += (known.empty() ? "" : ", ") + param.first;
      throw InputError(origin + ": scene " + header.name + " has no parameter '" + name +
                       "' (its parameters: " + (known.empty() ? "none" : known) + ")");
    }
    it->second = value;
  }
  if (!overrides.tex_preamble.empty()) {
    // The manifest's (or --tex-preamble's) lines first, so that the scene's may build on them.
    header.tex_preamble = overrides.tex_preamble + "\n" + header.tex_preamble;
    header.tex_preamble_origin =
        origin + " (tex_preamble) or " +
        (header.tex_preamble_origin.empty() ? header.path : header.tex_preamble_origin);
  }
  return header;
}

}  // namespace trajtool
