// trajtool: see optimizers work. `trajtool --help` lists the commands.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"
#include "toolkit/pipeline/compute_loader.h"
#include "toolkit/pipeline/plugin_loader.h"

namespace {

constexpr const char* kUsage =
    "usage: trajtool <command> [options]\n"
    "  generate --config F      run an experiment into the cache (.cache/)\n"
    "  cache path|ls|verify|rm|gc\n"
    "  cache export --config F | --manifest M -o A.tar\n"
    "                           the entries a course needs, in one file for another machine\n"
    "  cache import A.tar       add an archive's entries to the cache, each verified\n"
    "  render SCENE             draw a scene file (experiments/scenes/SCENE.yaml) from cached\n"
    "                           data (media/videos/...)\n"
    "  build MANIFEST           make a seminar's videos: missing data, then changed scenes\n"
    "  --version                print the version\n"
    "Each command takes --help.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("trajtool %s\n", TRAJTOOL_VERSION);
    return 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  return trajtool::run_reporting_errors([&]() -> int {
    if (command == "generate" || command == "build") {
      const int code =
          command == "generate" ? trajtool::command_generate(args) : trajtool::command_build(args);
      if (trajtool::compute_backend_loaded()) {
        // Every entry is written, closed and renamed by now. Skip LibTorch's static destructors
        // at exit (~60 ms measured): nothing of ours depends on them.
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(code);
      }
      return code;
    }
    if (command == "cache") return trajtool::command_cache(args);
    if (command == "render") {
      using Entry = int (*)(const std::vector<std::string>*);
      auto entry = reinterpret_cast<Entry>(trajtool::load_plugin_symbol(
          "libtrajtool_render.so", "TRAJTOOL_RENDER_LIB", "trajtool_render_main"));
      return entry(&args);
    }
    std::fprintf(stderr, "trajtool: unknown command '%s'\n%s", command.c_str(), kUsage);
    return 2;
  });
}
