// Runs `trajtool build` the way a user does, on small manifests (two TrajectoryComparison scenes
// of tiny experiments at -ql) with a temporary cache and output folder, and checks what it prints,
// its exit code, and what it leaves on disk.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/process.h"

namespace fs = std::filesystem;

namespace {

using trajtool::testing::read_file;
using trajtool::testing::Result;
using trajtool::testing::run;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Two tiny 2D experiments (3 and 2 cache entries) and a 1D one that TrajectoryComparison rejects.
const char* kConfigA = R"(name: tiny-a
objective: rosenbrock
start: [-1.5, 2.0]
steps: 30
grid_n: 64
runs:
  - {optimizer: sgd, lr: 0.001, label: "SGD"}
  - {optimizer: adam, lr: 0.1, label: "Adam"}
)";
const char* kConfigB = R"(name: tiny-b
objective: booth
steps: 30
grid_n: 64
runs:
  - {optimizer: adam, lr: 0.3, label: "Adam"}
)";
const char* kConfig1D = R"(name: one-d
objective: quadratic_1d
start: [3.0]
steps: 10
runs:
  - {optimizer: sgd, lr: 0.1, label: "SGD"}
)";

class Build : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trajtool_build_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "scenes");
    write("a.yaml", kConfigA);
    write("b.yaml", kConfigB);
    write("one_d.yaml", kConfig1D);
    // A copy of the shipped TrajectoryComparison in the manifest's own scene folder (scenes_dir),
    // as a lecturer keeps theirs; it declares the `title` parameter the tests change.
    const std::string scene =
        read_file(fs::path(TRAJTOOL_SOURCE_DIR) / "experiments/scenes/TrajectoryComparison.yaml");
    EXPECT_TRUE(contains(scene, "\nparams:\n  title:"));
    write("scenes/TrajectoryComparison.yaml", scene);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path(const std::string& name) const { return dir_ / name; }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return path(name).string();
  }
  // A manifest of `scenes` (YAML list items) at -ql into out/, scenes from scenes/.
  std::string manifest(const std::string& scenes, const std::string& quality = "l") {
    return write("m.yaml", "name: test\noutput: " + path("out").string() + "\nquality: " + quality +
                               "\nscenes_dir: [" + path("scenes").string() + "]\nscenes:\n" +
                               scenes);
  }
  std::string two_scenes(const std::string& title_b) const {
    return "  - {scene: TrajectoryComparison, output: a, experiments: {main: " +
           path("a.yaml").string() + "}}\n" +
           "  - {scene: TrajectoryComparison, output: b, experiments: {main: " +
           path("b.yaml").string() + "}, params: {title: \"" + title_b + "\"}}\n";
  }
  std::string trajtool(const std::string& args, const std::string& env = "") const {
    return env + " " + std::string(TRAJTOOL_EXE) + " " + args + " --cache-dir " +
           path("cache").string();
  }
  Result build(const std::string& options = "", const std::string& env = "") const {
    return run(trajtool("build " + path("m.yaml").string() + " " + options, env));
  }
  // The cache files of an experiment, as `trajtool cache path --all` lists them.
  std::vector<std::string> entries_of(const std::string& config) const {
    std::istringstream lines(
        run(trajtool("cache path --all --config " + path(config).string())).output);
    std::vector<std::string> files;
    for (std::string line; std::getline(lines, line);) files.push_back(line);
    return files;
  }
  std::size_t files_under(const std::string& name) const {
    std::size_t n = 0;
    if (!fs::exists(path(name))) return 0;
    for (const auto& e : fs::recursive_directory_iterator(path(name))) n += e.is_regular_file();
    return n;
  }
  fs::path dir_;
};

// ffprobe's codec name of a video's first stream ("" if it is not a video).
std::string codec_of(const fs::path& video) {
  Result probe =
      run("ffprobe -v error -select_streams v:0 -show_entries stream=codec_name "
          "-of default=noprint_wrappers=1:nokey=1 " +
          video.string());
  return probe.status == 0 ? probe.output.substr(0, probe.output.find('\n')) : "";
}

TEST_F(Build, MakesWhatIsMissingAndRendersOnlyWhatChanged) {
  manifest(two_scenes("B"));
  Result first = build("-j 2");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_TRUE(contains(first.output,
                       "5 entries generated, 2 scenes rendered, 0 up to date, "
                       "0 failed in "))
      << first.output;
  EXPECT_TRUE(contains(first.output, "a.mp4  (new)")) << first.output;
  EXPECT_EQ(codec_of(path("out/a.mp4")), "h264");
  EXPECT_EQ(codec_of(path("out/b.mp4")), "h264");

  // Nothing to do: neither LibTorch nor the renderer may be loaded (they are made unloadable).
  Result again = build("", "TRAJTOOL_COMPUTE_LIB=/nonexistent TRAJTOOL_RENDER_LIB=/nonexistent");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "0 entries generated, 0 scenes rendered, 2 up to date"))
      << again.output;
  EXPECT_TRUE(contains(again.output,
                       "up to date     TrajectoryComparison -> " + path("out/b.mp4").string()))
      << again.output;

  // A scene parameter: that scene only.
  manifest(two_scenes("B, retitled"));
  Result param = build();
  ASSERT_EQ(param.status, 0) << param.output;
  EXPECT_TRUE(contains(param.output, "0 entries generated, 1 scene rendered, 1 up to date"))
      << param.output;
  EXPECT_TRUE(contains(param.output, "b.mp4  (input changed: params)")) << param.output;

  // A comment in a config changes nothing; a label changes what is drawn, not the data.
  write("a.yaml", std::string("# tiny\n") + kConfigA);
  Result comment = build();
  EXPECT_TRUE(contains(comment.output, "0 scenes rendered, 2 up to date")) << comment.output;
  std::string relabelled = kConfigA;
  relabelled.replace(relabelled.find("\"SGD\""), 5, "\"Plain SGD\"");
  write("a.yaml", relabelled);
  Result label = build();
  ASSERT_EQ(label.status, 0) << label.output;
  EXPECT_TRUE(contains(label.output, "0 entries generated, 1 scene rendered, 1 up to date"))
      << label.output;
  EXPECT_TRUE(contains(label.output, "a.mp4  (input changed: data)")) << label.output;

  // A video changed by hand is made again.
  const fs::path video = path("out/a.mp4");
  fs::last_write_time(video, fs::last_write_time(video) + std::chrono::hours(1));
  Result touched = build();
  EXPECT_TRUE(contains(touched.output, "1 scene rendered, 1 up to date")) << touched.output;
  EXPECT_TRUE(contains(touched.output, "a.mp4  (output modified)")) << touched.output;
  EXPECT_EQ(codec_of(video), "h264");

  // A deleted and a truncated cache entry are made again, and nothing is rendered: the same key
  // gives the same numbers.
  const std::vector<std::string> entries = entries_of("b.yaml");
  ASSERT_EQ(entries.size(), 2u);
  fs::remove(entries[0]);
  fs::resize_file(entries[1], fs::file_size(entries[1]) / 2);
  Result regenerated = build();
  ASSERT_EQ(regenerated.status, 0) << regenerated.output;
  EXPECT_TRUE(contains(regenerated.output, "2 entries generated, 0 scenes rendered, 2 up to date"))
      << regenerated.output;
  EXPECT_TRUE(contains(regenerated.output, "(missing)")) << regenerated.output;
  EXPECT_TRUE(contains(regenerated.output, "(unreadable: ")) << regenerated.output;
  EXPECT_EQ(run(trajtool("cache verify")).status, 0);

  // --dry-run says what and why, and changes nothing.
  fs::remove(path("out/b.mp4"));
  fs::remove(entries[0]);
  const std::string log_before = read_file(path("out/.trajtool-build.json"));
  const std::size_t cache_files = files_under("cache");
  Result dry = build("--dry-run");
  ASSERT_EQ(dry.status, 0) << dry.output;
  EXPECT_TRUE(contains(dry.output, "would generate tiny-b: ")) << dry.output;
  EXPECT_TRUE(contains(dry.output, "would render   TrajectoryComparison -> " +
                                       path("out/b.mp4").string() + "  (output missing)"))
      << dry.output;
  EXPECT_TRUE(
      contains(dry.output, "test (dry run): 1 entry to generate, 1 scene to render, 1 up to date"))
      << dry.output;
  EXPECT_FALSE(fs::exists(path("out/b.mp4")));
  EXPECT_EQ(read_file(path("out/.trajtool-build.json")), log_before);
  EXPECT_EQ(files_under("cache"), cache_files);
  Result forced = build("--dry-run --force");
  EXPECT_TRUE(contains(forced.output,
                       "test (dry run): 5 entries to generate, 2 scenes to render, "
                       "0 up to date"))
      << forced.output;
  EXPECT_TRUE(contains(forced.output, "a.mp4  (forced)")) << forced.output;
}

TEST_F(Build, AFailedRenderKeepsTheOtherVideosAndExitsOne) {
  manifest("  - {scene: TrajectoryComparison, output: a, experiments: {main: " +
           path("a.yaml").string() + "}}\n" +
           "  - {scene: TrajectoryComparison, output: flat, experiments: {main: " +
           path("one_d.yaml").string() + "}}\n");
  Result first = build("-j 2");
  EXPECT_EQ(first.status, 1) << first.output;
  // The render's own message: the scene file's line and block, and the experiment it lacks.
  EXPECT_TRUE(contains(first.output, "FAILED         TrajectoryComparison -> " +
                                         path("out/flat.mp4").string() + ": " +
                                         path("scenes/TrajectoryComparison.yaml").string() + ":"))
      << first.output;
  EXPECT_TRUE(contains(first.output, ".landscape: experiment 'main' (" +
                                         path("one_d.yaml").string() + ") has no 2D run"))
      << first.output;
  EXPECT_TRUE(contains(first.output, "1 scene rendered, 0 up to date, 1 failed")) << first.output;
  EXPECT_EQ(codec_of(path("out/a.mp4")), "h264");
  EXPECT_FALSE(fs::exists(path("out/flat.mp4")));
  // The finished video is recorded; the failed one is tried again.
  Result second = build();
  EXPECT_EQ(second.status, 1) << second.output;
  EXPECT_TRUE(contains(second.output, "0 scenes rendered, 1 up to date, 1 failed"))
      << second.output;
}

TEST_F(Build, ABadManifestExitsTwoNamingFileLineAndKey) {
  const std::string m = path("m.yaml").string();
  const std::string a = path("a.yaml").string();
  // A scene file whose head is fine and whose block is not: the build stops before doing anything.
  write("scenes/Broken.yaml", "experiments: {main: " + a +
                                  "}\nsections:\n  - name: one\n    blocks:\n" +
                                  "      - text: {text: hi, color: red}\n");
  const std::pair<std::string, std::string> cases[] = {
      {"  - {scene: Broken}\n", path("scenes/Broken.yaml").string() +
                                    ":5: sections[0].blocks[0].text.color: expected a "
                                    "colour"},
      {"  - {scene: TrajectoryComparison, colour: red}\n", m + ":6: scenes[0].colour: unknown key"},
      {"  - {scene: NoSuchScene}\n", m + ":6: scenes[0].scene: unknown scene 'NoSuchScene'"},
      {"  - {scene: TrajectoryComparison, params: {subtitle: x}}\n",
       m + ":6: scenes[0].params.subtitle: scene TrajectoryComparison has no parameter "
           "'subtitle'"},
      {"  - {scene: TrajectoryComparison, experiments: {main: " + a + "}}\n" +
           "  - {scene: TrajectoryComparison, experiments: {main: " + a + "}}\n",
       m + ":7: scenes[1].output: 'TrajectoryComparison' is also the output of scenes[0] (line "
           "6)"},
  };
  for (const auto& [scenes, message] : cases) {
    manifest(scenes);
    Result result = build();
    EXPECT_EQ(result.status, 2) << result.output;
    EXPECT_TRUE(contains(result.output, "error: " + message)) << result.output;
  }
  EXPECT_FALSE(fs::exists(path("out")));
  EXPECT_FALSE(fs::exists(path("cache")));
}

TEST_F(Build, AnInterruptedRenderLeavesNothingTakenAsDone) {
  manifest("  - {scene: TrajectoryComparison, output: a, experiments: {main: " +
               path("a.yaml").string() + "}}\n",
           "m");  // long enough a render to be caught in the middle
  const std::string log = path("build.log").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stdout);
    dup2(fileno(stdout), STDERR_FILENO);
    const std::string manifest_path = path("m.yaml").string();
    const std::string cache = "--cache-dir=" + path("cache").string();
    execl(TRAJTOOL_EXE, TRAJTOOL_EXE, "build", manifest_path.c_str(), cache.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // The encoder writes <video>.part and renames it when done: wait for the part, then stop the
  // build (the signal reaches the build alone; it must pass it on to its render).
  const fs::path part = path("out/a.mp4.part");
  int status = 0;
  bool exited = false;
  while (!fs::exists(part) && !exited) {
    exited = waitpid(pid, &status, WNOHANG) == pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(exited) << "the build ended before its render started: " << read_file(log);
  ASSERT_EQ(kill(pid, SIGINT), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const std::string output = read_file(log);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT) << output;
  EXPECT_TRUE(contains(output, "interrupted    TrajectoryComparison -> ")) << output;
  EXPECT_TRUE(contains(output, "test interrupted: 3 entries generated, 0 scenes rendered"))
      << output;
  EXPECT_FALSE(fs::exists(path("out/a.mp4")));
  EXPECT_FALSE(fs::exists(part));  // the unfinished video is tidied away too
  Result dry = build("--dry-run");
  EXPECT_TRUE(contains(dry.output, "a.mp4  (new)")) << dry.output;
}

}  // namespace
