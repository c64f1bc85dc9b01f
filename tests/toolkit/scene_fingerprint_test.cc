#include "toolkit/build/scene_fingerprint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "toolkit/config/experiment_config.h"
#include "toolkit/config/yaml_input.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

const char* kConfig = R"(name: demo
objective: rosenbrock
steps: 20
runs:
  - {optimizer: sgd, lr: 0.001, label: "SGD", color: "#58c4dd"}
  - {optimizer: adam, lr: 0.1, label: "Adam"}
)";

// A scene file on disk (its bytes are hashed when read) reading one experiment, with one parameter.
class Fingerprint : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("trajtool_fingerprint_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml");
    write_scene("scene: Demo\n");
    header_.path = path_.string();
    header_.name = "Demo";
    header_.experiments = {{"main", "experiments/demo.yaml", 3}};
    header_.params = {{"title", "Hello"}};
  }
  void TearDown() override { fs::remove(path_); }
  void write_scene(const std::string& text) { std::ofstream(path_) << text; }

  // The fingerprint with the experiment read from `config` and the scene file as it is now on
  // disk (a header carries the hash of the text it was read from).
  SceneFingerprint of(const std::string& config, const char* quality = "m") const {
    SceneHeader header = header_;
    header.file_sha256 = sha256_hex(read_text_file(path_.string()));
    return scene_fingerprint(header, {parse_experiment(config, "experiments/demo.yaml")},
                             *find_quality_preset(quality));
  }
  // The names of the parts in which `a` and `b` differ.
  static std::vector<std::string> differing(const SceneFingerprint& a, const SceneFingerprint& b) {
    std::vector<std::string> names;
    for (const auto& [name, digest] : a.parts) {
      if (b.parts.at(name) != digest) names.push_back(name);
    }
    EXPECT_EQ(names.empty(), a.combined == b.combined);
    return names;
  }
  static std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }

  fs::path path_;
  SceneHeader header_;
};

using Parts = std::vector<std::string>;

TEST_F(Fingerprint, HasEveryPartAndIsStable) {
  const SceneFingerprint a = of(kConfig);
  EXPECT_EQ(a.parts.size(), 6u);
  for (const char* part : {"version", "scene file", "params", "tex preamble", "quality", "data"}) {
    EXPECT_EQ(a.parts.at(part).size(), 64u) << part;
  }
  EXPECT_EQ(differing(a, of(kConfig)), Parts{});
}

TEST_F(Fingerprint, CommentsAndSpacingInAConfigChangeNothing) {
  const std::string commented =
      "# a comment\n" + replaced(kConfig, "steps: 20", "steps:   20   # more steps later");
  EXPECT_EQ(differing(of(kConfig), of(commented)), Parts{});
}

TEST_F(Fingerprint, WhatIsShownButNotInAKeyChangesTheData) {
  const SceneFingerprint base = of(kConfig);
  EXPECT_EQ(differing(base, of(replaced(kConfig, "label: \"SGD\"", "label: \"Plain SGD\""))),
            Parts{"data"});
  EXPECT_EQ(differing(base, of(replaced(kConfig, "#58c4dd", "#ff0000"))), Parts{"data"});
  EXPECT_EQ(differing(base, of(replaced(kConfig, "name: demo", "name: other"))), Parts{"data"});
  // A number that changes a cache key.
  EXPECT_EQ(differing(base, of(replaced(kConfig, "lr: 0.1", "lr: 0.2"))), Parts{"data"});
}

TEST_F(Fingerprint, ParamsQualityAndSceneFileEachChangeTheirPart) {
  const SceneFingerprint base = of(kConfig);
  EXPECT_EQ(differing(base, of(kConfig, "h")), Parts{"quality"});
  header_.params["title"] = "Hello, world";
  EXPECT_EQ(differing(base, of(kConfig)), Parts{"params"});
  header_.params["title"] = "Hello";
  write_scene("scene: Demo\n# edited\n");
  EXPECT_EQ(differing(base, of(kConfig)), Parts{"scene file"});
}

TEST_F(Fingerprint, AManifestsTexPreambleChangesItsPart) {
  const SceneFingerprint base = of(kConfig);
  header_ = apply_overrides(header_, {{}, {}, "\\newcommand{\\loss}{\\mathcal{L}}"}, "manifest");
  EXPECT_EQ(differing(base, of(kConfig)), Parts{"tex preamble"});
}

}  // namespace
}  // namespace trajtool
