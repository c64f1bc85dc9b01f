#include "toolkit/config/manifest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

// A temporary folder with a scene file (Demo: experiments `main` and `other`, parameter `title`),
// three experiment files and a place for manifests.
class ManifestFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trajtool_manifest_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "scenes");
    for (const char* name : {"a", "b", "c"}) {
      write(std::string(name) + ".yaml", "name: " + std::string(name) +
                                             "\nobjective: rosenbrock\nsteps: 5\nruns:\n"
                                             "  - {optimizer: adam}\n");
    }
    write("scenes/Demo.yaml",
          "scene: Demo\nexperiments:\n  main: " + path("a.yaml") + "\n  other: " + path("b.yaml") +
              "\nparams:\n  title: \"Default title\"\n" +
              "sections:\n  - name: one\n    blocks: [{title: \"${title}\"}]\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return path(name);
  }
  // A manifest with the scene folder and `body` (its lines start at line 4).
  std::string manifest(const std::string& body) {
    return write("m.yaml", "name: demo\noutput: " + path("out") + "\nscenes_dir: [" +
                               path("scenes") + "]\n" + body);
  }
  // The message of the InputError that reading a manifest with `body` throws.
  std::string error_of(const std::string& body) {
    const std::string file = manifest(body);
    try {
      load_manifest(file);
    } catch (const InputError& e) {
      const std::string message = e.what();
      // Messages start with the manifest's path; tests compare what follows.
      return message.rfind(file, 0) == 0 ? "m.yaml" + message.substr(file.size()) : message;
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ManifestFile, ReadsEveryKeyAndAppliesOverridesByName) {
  const std::string file = manifest(
      "quality: l\n"
      "experiments: [" +
      path("c.yaml") +
      "]\n"
      "scenes:\n"
      "  - scene: Demo\n"
      "    output: first\n"
      "    params: {title: \"Changed\"}\n"
      "    experiments: {other: " +
      path("c.yaml") +
      "}\n"
      "  - scene: Demo\n");
  const Manifest m = load_manifest(file);
  EXPECT_EQ(m.name, "demo");
  EXPECT_EQ(m.quality, "l");
  EXPECT_EQ(m.output_dir, path("out"));
  ASSERT_EQ(m.scene_dirs.size(), 1u);
  EXPECT_EQ(m.experiments, std::vector<std::string>{path("c.yaml")});
  ASSERT_EQ(m.scenes.size(), 2u);
  const ManifestScene& first = m.scenes[0];
  EXPECT_EQ(first.line, 7);
  EXPECT_EQ(first.stem, "first");
  EXPECT_EQ(first.output_path, path("out/first.mp4"));
  EXPECT_EQ(first.header.name, "Demo");
  EXPECT_EQ(first.header.params.at("title"), "Changed");
  ASSERT_EQ(first.header.experiments.size(), 2u);
  EXPECT_EQ(first.header.experiments[0].path, path("a.yaml"));
  EXPECT_EQ(first.header.experiments[1].name, "other");
  EXPECT_EQ(first.header.experiments[1].path, path("c.yaml"));
  const ManifestScene& second = m.scenes[1];
  EXPECT_EQ(second.stem, "Demo");  // the default: the scene's name
  EXPECT_EQ(second.header.params.at("title"), "Default title");
  EXPECT_EQ(second.header.experiments[1].path, path("b.yaml"));
}

TEST_F(ManifestFile, QualityDefaultsToMedium) {
  EXPECT_EQ(load_manifest(manifest("scenes: [{scene: Demo}]\n")).quality, "m");
}

TEST_F(ManifestFile, ExperimentPathsListEachFileOnceManifestsFirst) {
  const Manifest m =
      load_manifest(manifest("experiments: [" + path("c.yaml") + ", " + path("scenes/../a.yaml") +
                             "]\n"
                             "scenes:\n"
                             "  - {scene: Demo, output: x}\n"
                             "  - {scene: Demo, output: y, experiments: {main: " +
                             path("c.yaml") + "}}\n"));
  EXPECT_EQ(manifest_experiment_paths(m),
            (std::vector<std::string>{path("c.yaml"), path("scenes/../a.yaml"), path("b.yaml")}));
}

TEST_F(ManifestFile, BadInputNamesFileLineAndKey) {
  EXPECT_EQ(error_of("outptu: x\n").rfind("m.yaml:4: outptu: unknown key (known here: ", 0), 0u)
      << error_of("outptu: x\n");
  EXPECT_EQ(error_of("quality: q\nscenes: [{scene: Demo}]\n"),
            "m.yaml:4: quality: expected l, m, h or k (Manim's presets), got 'q'");
  EXPECT_EQ(error_of("scenes: [{scene: Demo}]\nscenes: []\n"), "m.yaml:5: scenes: duplicate key");
  EXPECT_EQ(error_of("scenes:\n  - {scene: Nope}\n")
                .rfind("m.yaml:5: scenes[0].scene: unknown scene 'Nope' (known: Demo", 0),
            0u);
  EXPECT_EQ(error_of("scenes:\n  - scene: Demo\n    params: {colour: red}\n"),
            "m.yaml:6: scenes[0].params.colour: scene Demo has no parameter 'colour' (its "
            "parameters: title)");
  EXPECT_EQ(error_of("scenes:\n  - scene: Demo\n    experiments: {third: x.yaml}\n"),
            "m.yaml:6: scenes[0].experiments.third: scene Demo reads no experiment 'third' (it "
            "reads: main, other)");
  EXPECT_EQ(
      error_of("scenes:\n  - scene: Demo\n    experiments: {main: " + path("no.yaml") + "}\n"),
      "m.yaml:6: scenes[0].experiments.main: no such file: " + path("no.yaml"));
  EXPECT_EQ(error_of("scenes:\n  - scene: Demo\n  - scene: Demo\n"),
            "m.yaml:6: scenes[1].output: 'Demo' is also the output of scenes[0] (line 5); give "
            "each an `output:` stem of its own");
  EXPECT_EQ(error_of("scenes:\n  - {scene: Demo, output: a}\n  - {scene: Demo, output: a}\n"),
            "m.yaml:6: scenes[1].output: 'a' is also the output of scenes[0] (line 5); give each "
            "an `output:` stem of its own");
  EXPECT_EQ(error_of("scenes:\n  - {scene: Demo, output: ../up}\n")
                .rfind("m.yaml:5: scenes[0].output: '../up' is not a file stem", 0),
            0u);
  EXPECT_EQ(error_of("scenes:\n  - {scene: Demo, param: {}}\n")
                .rfind("m.yaml:5: scenes[0].param: unknown key (known here: ", 0),
            0u);
  EXPECT_EQ(error_of("scenes:\n  - {output: x}\n"),
            "m.yaml:5: scenes[0]: `scene:` is required (a scene file's name)");
  EXPECT_EQ(error_of("experiments: [" + path("no.yaml") + "]\n"),
            "m.yaml:4: experiments[0]: no such file: " + path("no.yaml"));
  EXPECT_EQ(error_of(""), "m.yaml:1: nothing to build: give `scenes:` or `experiments:`");
  EXPECT_EQ(error_of("scenes: {scene: Demo}\n"),
            "m.yaml:4: scenes: expected a list of scenes, "
            "got a map");
}

TEST_F(ManifestFile, NameAndOutputAreRequired) {
  const std::string file = write("n.yaml", "output: out\nscenes: [{scene: Demo}]\n");
  try {
    load_manifest(file);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), file + ":1: `name:` is required");
  }
}

}  // namespace
}  // namespace trajtool

namespace trajtool {
namespace {

TEST_F(ManifestFile, AScenePageIsAnHtmlOutputAndOtherFormatsAreRefused) {
  const Manifest m = load_manifest(
      manifest("scenes:\n  - scene: Demo\n    output: page\n    format: html\n  - scene: Demo\n"));
  ASSERT_EQ(m.scenes.size(), 2u);
  EXPECT_EQ(m.scenes[0].format, "html");
  EXPECT_EQ(m.scenes[0].output_path, path("out") + "/page.html");
  EXPECT_EQ(m.scenes[1].format, "mp4");
  EXPECT_EQ(m.scenes[1].output_path, path("out") + "/Demo.mp4");
  EXPECT_EQ(error_of("scenes:\n  - scene: Demo\n    format: gif\n"),
            "m.yaml:6: scenes[0].format: 'gif' is not one of: mp4, html");
}

}  // namespace
}  // namespace trajtool
