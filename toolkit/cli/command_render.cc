// `trajtool render SCENE [--scenes DIR] [--config F ...] [--param K=V ...] [-ql|-qm|-qh|-qk]
//  [--fps N] [--resolution WxH] [--format mp4|gif|png|html] [--still SECONDS --format png|svg|pdf]
//  [-o FILE | --media-dir D] [--generate]`
// SCENE is a scene file (experiments/scenes/SCENE.yaml, see docs/scenes.md). Reads only the cache
// (LibTorch is loaded only with --generate and a missing entry).
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"
#include "toolkit/cli/scene_data_loader.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/config/quality_preset.h"
#include "toolkit/config/scene_file.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "toolkit/pipeline/generate.h"
#include "toolkit/pipeline/progress.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_player.h"
#include "viz/web/interactive_page.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

std::string number_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

}  // namespace

int command_render(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("scene", po::value<std::string>()->required(), "the scene to render")(
      "scenes", po::value<std::vector<std::string>>(),
      "a folder of scene files, searched before experiments/scenes (repeatable)")(
      "config,c", po::value<std::vector<std::string>>(),
      "experiment YAML replacing the scene's experiments in order (repeatable)")(
      "param,p", po::value<std::vector<std::string>>(),
      "NAME=TEXT: a scene parameter (repeatable)")(
      "tex-preamble", po::value<std::string>(),
      "LaTeX put before the scene's own tex_preamble (packages, \\newcommand)")(
      "quality,q", po::value<std::string>()->default_value("m"),
      "-ql 854x480@15, -qm 1280x720@30, -qh 1920x1080@60, -qk 3840x2160@60")(
      "fps", po::value<int>(), "frames per second (overrides the preset)")(
      "resolution", po::value<std::string>(), "WxH (overrides the preset)")(
      "format", po::value<std::string>(),
      "mp4 (default), gif, png (a frame sequence), html (an interactive page); "
      "with --still: png (default), svg, pdf")("still", po::value<double>(),
                                               "write only the frame at this time (seconds)")(
      "output,o", po::value<std::string>(), "the output file (or frame folder)")(
      "media-dir", po::value<std::string>()->default_value("media"),
      "output root when no --output is given: media/videos/SCENE/720p30/SCENE.mp4")(
      "generate", "compute missing cache entries instead of failing")(
      "cache-dir", po::value<std::string>(), "cache root (default $TRAJTOOL_CACHE or ./.cache)");
  po::positional_options_description positional;
  positional.add("scene", 1);
  po::variables_map values;
  std::vector<std::string> user_scene_dirs;
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    std::printf("usage: trajtool render SCENE [options]\nscenes:\n");
    for (const std::string& name : known_scene_names({})) {
      std::string summary;
      try {
        summary = load_scene_header(find_scene_file(name, {})).summary;
      } catch (const InputError& e) {
        summary = std::string("(bad scene file: ") + e.what() + ")";
      }
      std::printf("  %s: %s\n", name.c_str(), summary.c_str());
    }
  }
  if (!parse_command_line("render", args, options, positional, values)) return 0;
  if (values.count("scenes")) user_scene_dirs = values["scenes"].as<std::vector<std::string>>();

  SceneOverrides overrides;
  if (values.count("config")) overrides.configs = values["config"].as<std::vector<std::string>>();
  if (values.count("param")) {
    for (const std::string& item : values["param"].as<std::vector<std::string>>()) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw InputError("trajtool render: --param " + item + ": expected NAME=TEXT");
      }
      overrides.params[item.substr(0, eq)] = item.substr(eq + 1);
    }
  }
  if (values.count("tex-preamble"))
    overrides.tex_preamble = values["tex-preamble"].as<std::string>();
  const SceneScript script =
      load_scene_script(find_scene_file(values["scene"].as<std::string>(), user_scene_dirs),
                        overrides, "trajtool render");
  const SceneHeader& header = script.header;
  RenderSettings settings;
  const std::string quality = values["quality"].as<std::string>();
  const QualityPreset* preset = find_quality_preset(quality);
  if (!preset)
    throw InputError("trajtool render: -q" + quality + ": expected -ql, -qm, -qh or -qk");
  settings.width = preset->width;
  settings.height = preset->height;
  settings.fps = preset->fps;
  if (!header.x264_preset.empty()) settings.quality.preset = header.x264_preset;
  if (values["quality"].defaulted() && header.width > 0) {
    // The scene's own frame size (`resolution:`), at the default preset's rate.
    settings.width = header.width;
    settings.height = header.height;
  }
  if (values.count("fps")) {
    settings.fps = values["fps"].as<int>();
    if (settings.fps < 1 || settings.fps > 240) {
      throw InputError("trajtool render: --fps: expected 1 to 240");
    }
  }
  if (values.count("resolution")) {
    const std::string text = values["resolution"].as<std::string>();
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 7680 ||
        h > 4320) {
      throw InputError("trajtool render: --resolution: expected WxH such as 1280x720, got '" +
                       text + "'");
    }
    settings.width = w;
    settings.height = h;
  }
  const bool still = values.count("still") > 0;
  std::string format =
      values.count("format") ? values["format"].as<std::string>() : (still ? "png" : "mp4");
  if (still ? (format != "png" && format != "svg" && format != "pdf")
            : (format != "mp4" && format != "gif" && format != "png" && format != "html")) {
    throw InputError("trajtool render: --format " + format + ": expected " +
                     (still ? "png, svg or pdf with --still" : "mp4, gif, png or html"));
  }
  if (format == "mp4" && (settings.width % 2 || settings.height % 2)) {
    throw InputError("trajtool render: --resolution: H.264 needs an even width and height");
  }

  std::vector<Experiment> experiments;
  for (const auto& ref : header.experiments) {
    try {
      experiments.push_back(load_experiment(ref.path));
    } catch (const InputError& e) {
      // Which line of the scene file asked for it: "scenes/X.yaml:3: experiments.main: ...".
      throw InputError(header.path + ":" + std::to_string(ref.line) + ": experiments." + ref.name +
                       ": " + e.what());
    }
  }
  CacheStore store(cache_root_option(values));
  if (values.count("generate")) {
    GenerateOptions generate;
    generate.show_progress = ProgressBar::enabled();
    for (const auto& experiment : experiments) generate_experiment(experiment, store, generate);
  }
  SceneData data = load_scene_data(experiments, store);
  const FrameGeometry geo = geometry_of(settings);
  // Every formula of the scene in one TeX run (none when the cache has them all), before any frame.
  set_tex_settings({store.root(), header.tex_preamble, header.tex_preamble_origin});
  const TypesetReport tex = typeset_formulas(scene_formulas(script, data));
  if (tex.compiled > 0 && ProgressBar::enabled()) {  // on a terminal, as progress is
    std::fprintf(stderr, "tex: %d formula(s) typeset in one TeX run in %.2f s, %d from the cache\n",
                 tex.compiled, tex.tex_seconds, tex.from_cache);
  }
  std::vector<std::string> warnings;
  Timeline timeline = play_scene(script, data, geo, &warnings);
  for (const std::string& warning : warnings)
    std::fprintf(stderr, "warning: %s\n", warning.c_str());

  const fs::path media = values["media-dir"].as<std::string>();
  const std::string quality_dir =
      std::to_string(settings.height) + "p" + std::to_string(settings.fps);
  fs::path output;
  if (format == "html") {  // the interactive page (viz/web/interactive_page.h)
    output = values.count("output") ? fs::path(values["output"].as<std::string>())
                                    : media / "html" / header.name / (header.name + ".html");
    write_page(output.string(), page_html(page_of_scene(script, data), plotly_js_source()));
  } else if (still) {
    const double t = values["still"].as<double>();
    if (!(t >= 0) || t > timeline.duration()) {
      throw InputError("trajtool render: --still " + number_text(t) + ": the scene lasts " +
                       number_text(timeline.duration()) + " s");
    }
    output = values.count("output") ? fs::path(values["output"].as<std::string>())
                                    : media / "images" / header.name /
                                          (header.name + "_" + number_text(t) + "s." + format);
    if (output.has_parent_path()) fs::create_directories(output.parent_path());
    StillFormat still_format = format == "svg"   ? StillFormat::svg
                               : format == "pdf" ? StillFormat::pdf
                                                 : StillFormat::png;
    render_still(timeline, t, output.string(), still_format, geo);
  } else {
    if (format == "png") {
      settings.format = OutputFormat::png_sequence;
      output = media / "images" / header.name / quality_dir;
    } else {
      settings.format = format == "gif" ? OutputFormat::gif : OutputFormat::mp4;
      output = media / "videos" / header.name / quality_dir / (header.name + "." + format);
    }
    if (values.count("output")) output = values["output"].as<std::string>();
    if (settings.format != OutputFormat::png_sequence && output.has_parent_path()) {
      fs::create_directories(output.parent_path());
    }
    settings.output = output.string();
    ProgressBar bar("render " + header.name, frame_count(timeline, settings.fps));
    render(timeline, settings, [&bar](int64_t done, int64_t) { bar.update(done); });
  }
  std::printf("%s\n", fs::absolute(output).lexically_normal().c_str());
  return 0;
}

}  // namespace trajtool
