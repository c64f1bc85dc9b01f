// Scene files: the shipped ones read cleanly; every kind of mistake is reported with the file, the
// line and the key, as a config's are.
#include "toolkit/config/scene_script_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

const char* kHead =
    "experiments: {main: experiments/adam.yaml}\n"
    "params: {title: Hello}\n"
    "sections:\n"
    "  - name: one\n"
    "    blocks:\n";

// The message of the InputError that reading the scene (head + `blocks`) throws, "" if none.
std::string error_of(const std::string& blocks, const SceneOverrides& overrides = {}) {
  try {
    parse_scene_script(std::string(kHead) + blocks, "scenes/Demo.yaml", overrides, "--param");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SceneScriptReader, EveryShippedSceneReads) {
  int count = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TRAJTOOL_SOURCE_DIR) / "experiments/scenes")) {
    SCOPED_TRACE(entry.path().string());
    SceneScript script = load_scene_script(entry.path().string());
    EXPECT_EQ(script.header.name, entry.path().stem().string());
    EXPECT_FALSE(script.sections.empty());
    for (const auto& ref : script.header.experiments) EXPECT_TRUE(fs::exists(ref.path)) << ref.path;
    ++count;
  }
  EXPECT_GE(count, 2);
}

TEST(SceneScriptReader, ReadsBlocksWithDefaultsAndShorthands) {
  SceneScript script = parse_scene_script(std::string(kHead) +
                                              "      - title: \"${title}, world\"\n"
                                              "      - landscape: main\n"
                                              "      - trajectories: {mode: all_at_once, "
                                              "loss_inset: true, runs: [Adam]}\n"
                                              "      - wait: 2.5\n"
                                              "      - clear: {}\n",
                                          "scenes/Demo.yaml");
  const auto& blocks = script.sections.at(0).blocks;
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(std::get<SectionTitleBlock>(blocks[0].body).text, "Hello, world");
  const auto& land = std::get<LandscapeBlock>(blocks[1].body);
  EXPECT_EQ(land.experiment, "main");
  EXPECT_FALSE(land.log_levels);
  EXPECT_TRUE(land.formula);
  EXPECT_FALSE(land.heatmap);
  EXPECT_EQ(land.colormap, "viridis");
  const auto& runs = std::get<TrajectoriesBlock>(blocks[2].body);
  EXPECT_EQ(runs.mode, TrajectoryMode::all_at_once);
  EXPECT_EQ(runs.runs, std::vector<std::string>{"Adam"});
  EXPECT_DOUBLE_EQ(std::get<WaitBlock>(blocks[3].body).seconds, 2.5);
  EXPECT_DOUBLE_EQ(std::get<ClearBlock>(blocks[4].body).run_time, 0.6);
  EXPECT_EQ(blocks[2].origin, "scenes/Demo.yaml:8: sections[0].blocks[2].trajectories");
  // The head carries the hash of the text it was read from (a build's "scene file" input).
  EXPECT_EQ(script.header.file_sha256,
            sha256_hex(std::string(kHead) + "      - title: \"${title}, world\"\n"
                                            "      - landscape: main\n"
                                            "      - trajectories: {mode: all_at_once, "
                                            "loss_inset: true, runs: [Adam]}\n"
                                            "      - wait: 2.5\n"
                                            "      - clear: {}\n"));
}

TEST(SceneScriptReader, OverridesReplaceParametersAndExperiments) {
  SceneOverrides overrides;
  overrides.params["title"] = "Bonjour";
  overrides.configs = {"experiments/bumpy_bowl.yaml"};
  SceneScript script = parse_scene_script(std::string(kHead) + "      - title: ${title}\n",
                                          "scenes/Demo.yaml", overrides, "--param");
  EXPECT_EQ(std::get<SectionTitleBlock>(script.sections[0].blocks[0].body).text, "Bonjour");
  EXPECT_NE(script.header.experiments[0].path.find("bumpy_bowl.yaml"), std::string::npos);
}

TEST(SceneScriptReader, ErrorsNameFileLineAndKey) {
  struct Case {
    std::string blocks;
    std::string expected;
  };
  const Case cases[] = {
      {"      - wobble: 1\n", "scenes/Demo.yaml:6: sections[0].blocks[0]: unknown block 'wobble'"},
      {"      - landscape: {experiment: main, colour: red}\n",
       "scenes/Demo.yaml:6: sections[0].blocks[0].landscape.colour: unknown key"},
      {"      - landscape: {experiment: mian}\n",
       "landscape.experiment: no experiment 'mian' in this scene (it reads: main)"},
      {"      - title: ${titel}\n", ":6: sections[0].blocks[0].title.text: no parameter 'titel'"},
      {"      - text: {text: hi, color: red}\n", "text.color: expected a colour \"#rrggbb\""},
      {"      - text: {text: hi, at: [9, 0]}\n", "text.at: off the frame"},
      {"      - line_plot: {box: [1, 1, 0, 2], series: []}\n",
       "line_plot.box: expected [left, bottom, right, top]"},
      {"      - line_plot: {box: [0, 0, 1, 1], series: [{experiment: main, run: A, value: "
       "momentum}]}\n",
       "line_plot.series[0].value: for a run: loss, grad, param"},
      {"      - landscape: {experiment: main, colormap: jet}\n",
       "landscape.colormap: 'jet' is not one of: cividis, inferno, magma, plasma, viridis"},
      {"      - trajectories: {loss_inset: true}\n",
       "trajectories.loss_inset: needs `mode: all_at_once`"},
      {"      - trajectories: {mode: sideways}\n",
       "trajectories.mode: 'sideways' is not one of: all_at_once, one_at_a_time"},
      {"      - diagram: {boxes: [{id: a, text: A}], arrows: [{from: a, to: b}]}\n",
       "diagram.arrows[0].to: no box with id 'b'"},
      {"      - wait: {seconds: -1}\n", "wait.seconds: must be from 0 to 600"},
      {"      - wait: 1\n      - wait: 2\n  - name: one\n    blocks: [{wait: 1}]\n",
       ":8: sections[1].name: a section 'one' comes earlier"},
      {"      - {wait: 1, clear: 1}\n", "a block is a map with one key"},
      {"      - title: [a, b]\n", "title: expected a `text` value or a map of keys, got a list"},
      {"      - note: {text: a, text: b}\n", "note.text: duplicate key"},
      {"      - wait: 1\n   bad: [\n", "scenes/Demo.yaml:7: malformed YAML"},
      {"      - title: \"\"\n", ":6: sections[0].blocks[0].title.text: must not be empty"},
      {"      - formula: {tex: \"\"}\n", "formula.tex: must not be empty"},
  };
  for (const Case& c : cases) {
    const std::string message = error_of(c.blocks);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "blocks:\n"
        << c.blocks << "message: " << message << "\nexpected: " << c.expected;
  }
}

// {experiment}, {objective}, {steps}: the block's experiment, else the section's landscape's (even
// one after it), else the scene's only one; with none of these the text cannot be filled in.
TEST(SceneScriptReader, PlaceholdersFindTheirExperimentOrAreAnError) {
  const std::string two =
      "experiments: {a: experiments/adam.yaml, b: experiments/bumpy_bowl.yaml}\n"
      "sections:\n"
      "  - name: one\n"
      "    blocks:\n";
  SceneScript script = parse_scene_script(two +
                                              "      - title: \"{objective}\"\n"
                                              "      - landscape: b\n",
                                          "scenes/Two.yaml");
  EXPECT_EQ(std::get<SectionTitleBlock>(script.sections[0].blocks[0].body).experiment, "b");
  try {
    parse_scene_script(two + "      - note: \"after {steps} steps\"\n", "scenes/Two.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scenes/Two.yaml:5: sections[0].blocks[0].note: {steps} "
                                         "needs an experiment"),
              std::string::npos)
        << e.what();
  }
}

TEST(SceneScriptReader, BadOverridesAndHeadsAreNamed) {
  SceneOverrides unknown;
  unknown.params["subtitle"] = "x";
  EXPECT_NE(error_of("      - wait: 1\n", unknown)
                .find("--param: scene Demo has no parameter 'subtitle' (its parameters: title)"),
            std::string::npos);
  SceneOverrides too_many;
  too_many.configs = {"a.yaml", "b.yaml"};
  EXPECT_NE(error_of("      - wait: 1\n", too_many)
                .find("--param: scene Demo reads 1 experiment(s), 2 given"),
            std::string::npos);
  try {
    parse_scene_script("scene: Other\nsections: [{name: a, blocks: [{wait: 1}]}]\n",
                       "scenes/Demo.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scenes/Demo.yaml:1: scene: 'Other' differs from the "
                                         "file's name 'Demo'"),
              std::string::npos)
        << e.what();
  }
  try {
    parse_scene_script("experiments: {main: experiments/adam.yaml}\n", "scenes/Demo.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sections: expected a list of one or more sections"),
              std::string::npos)
        << e.what();
  }
}

// `encoder: {preset: P}` chooses the x264 preset of the scene's videos; anything but one of
// x264's presets is named with its line and key.
TEST(SceneScriptReader, EncoderPresetIsReadAndChecked) {
  const std::string sections = "sections: [{name: a, blocks: [{wait: 1}]}]\n";
  EXPECT_EQ(parse_scene_script(sections, "scenes/Demo.yaml").header.x264_preset, "");
  EXPECT_EQ(parse_scene_script("encoder: {preset: ultrafast}\n" + sections, "scenes/Demo.yaml")
                .header.x264_preset,
            "ultrafast");
  const auto error = [&](const std::string& head) -> std::string {
    try {
      parse_scene_script(head + sections, "scenes/Demo.yaml");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error("summary: s\nencoder: {preset: quick}\n")
                .find("scenes/Demo.yaml:2: encoder.preset: 'quick' is not an x264 preset"),
            std::string::npos)
      << error("summary: s\nencoder: {preset: quick}\n");
  EXPECT_NE(error("encoder: {crf: 20}\n").find("scenes/Demo.yaml:1: encoder.crf"),
            std::string::npos)
      << error("encoder: {crf: 20}\n");
  EXPECT_NE(error("encoder: fast\n").find("scenes/Demo.yaml:1: encoder"), std::string::npos)
      << error("encoder: fast\n");
}

TEST(SceneFile, FindsScenesInUserFoldersFirstAndListsTheKnownOnes) {
  const fs::path dir = fs::temp_directory_path() / ("scenes_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  { std::ofstream(dir / "TrajectoryComparison.yaml") << "sections: []\n"; }
  { std::ofstream(dir / "Mine.yaml") << "sections: []\n"; }
  EXPECT_EQ(find_scene_file("TrajectoryComparison", {dir.string()}),
            (dir / "TrajectoryComparison.yaml").string());
  EXPECT_NE(find_scene_file("OptimizerComparison", {dir.string()}).find("experiments/scenes"),
            std::string::npos);
  try {
    find_scene_file("Nope", {dir.string()});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "unknown scene 'Nope' (known: BasinMaps, DecisionBoundary, GradientFlow, "
                  "GradientFlow3D, LossLandscape, LossLandscape3D, LossSurface, MetricCurves, "
                  "MetricPanels, MetricTrajectory3D, Mine, ModelComparison, NetworkActivity, "
                  "NetworkActivityWalk, "
                  "OptimizerComparison, TrainingComparison, TrajectoryComparison"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(find_scene_file("../etc/passwd", {}), InputError);
  EXPECT_THROW(find_scene_file("Mine", {(dir / "missing").string()}), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trajtool
