// `trajtool build MANIFEST [-j N] [--dry-run] [--force] [--cache-dir D]`: makes a seminar's videos
// (docs/seminars.md). The cache entries that are missing are computed in this process (LibTorch is
// loaded only then); the scenes that are not up to date are rendered by child `trajtool render`
// processes, up to N at once. One line per action, then a summary.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "toolkit/build/build_plan.h"
#include "toolkit/build/child_process.h"
#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"
#include "toolkit/core/error.h"
#include "toolkit/pipeline/plugin_loader.h"
#include "toolkit/pipeline/progress.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kMaxJobs = 64;

// The renders running now, one slot per worker (0: none), and the signal that interrupted the
// build (0: none). Lock-free atomics, because the signal handler uses them.
std::atomic<pid_t> g_running[kMaxJobs];
std::atomic<int> g_interrupted{0};

extern "C" void forward_interrupt(int sig) {
  g_interrupted.store(sig);
  for (auto& slot : g_running) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(pid, sig);
  }
}

// While alive, SIGINT and SIGTERM stop the build's renders instead of the build: the signal is
// passed on to every running render (a terminal's Ctrl-C reaches them anyway, a `kill` of the
// build alone would not), no new render starts, and the build reports what finished.
class InterruptForwarding {
 public:
  InterruptForwarding() {
    struct sigaction action {};
    action.sa_handler = forward_interrupt;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptForwarding() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptForwarding(const InterruptForwarding&) = delete;
  InterruptForwarding& operator=(const InterruptForwarding&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// What a build did, for the summary.
struct BuildTally {
  int generated = 0;   // cache entries computed
  int rendered = 0;    // videos rendered
  int up_to_date = 0;  // videos left as they were
  int failed = 0;      // generations and renders that failed
};

std::string plural(int count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

// "12.3 s", or "31 ms" under a second.
std::string seconds_text(double seconds) {
  char text[32];
  if (seconds < 1) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  }
  return text;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One line per action, flushed at once so that a log shows progress.
void print_action(const char* action, const std::string& text) {
  std::printf("%-14s %s\n", action, text.c_str());
  std::fflush(stdout);
}

std::string entry_text(const Experiment& experiment, const EntryToMake& entry) {
  return experiment.name + ": " + entry.entry.label + "  " + entry_kind_folder(entry.entry.kind) +
         "/" + entry.entry.key.substr(0, 12) + "  (" + entry.reason + ")";
}

std::string scene_text(const ManifestScene& scene) {
  return scene.header.name + " -> " + scene.output_path;
}

// What a render printed, line by line.
std::vector<std::string> lines_of(const ChildResult& result) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < result.output.size()) {
    std::size_t end = result.output.find('\n', start);
    if (end == std::string::npos) end = result.output.size();
    lines.push_back(result.output.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The "warning: ..." lines a render printed (what its scene had to leave out), without the prefix.
std::vector<std::string> warnings_of(const ChildResult& result) {
  std::vector<std::string> warnings;
  for (const std::string& line : lines_of(result)) {
    if (line.rfind("warning: ", 0) == 0) warnings.push_back(line.substr(9));
  }
  return warnings;
}

// The most telling line of a failed render: its "error: ..." line, else its last line.
std::string first_error(const ChildResult& result) {
  std::string last;
  for (const std::string& line : lines_of(result)) {
    if (line.rfind("error: ", 0) == 0) return line.substr(7);
    if (!line.empty()) last = line;
  }
  if (!last.empty()) return last;
  return result.signal ? "killed by signal " + std::to_string(result.signal)
                       : "exit status " + std::to_string(result.exit_code);
}

// The child command that renders `scene` as the manifest says.
std::vector<std::string> render_command(const std::string& trajtool, const Manifest& manifest,
                                        const ManifestScene& scene, const CacheStore& store) {
  std::vector<std::string> argv = {trajtool, "render", scene.header.name};
  for (const std::string& dir : manifest.scene_dirs) argv.push_back("--scenes=" + dir);
  for (const SceneExperimentRef& ref : scene.header.experiments) {
    argv.push_back("--config=" + ref.path);
  }
  for (const auto& [name, text] : scene.header.params)
    argv.push_back("--param=" + name + "=" + text);
  if (!manifest.tex_preamble.empty()) argv.push_back("--tex-preamble=" + manifest.tex_preamble);
  argv.push_back("--quality=" + manifest.quality);
  if (scene.format != "mp4") argv.push_back("--format=" + scene.format);
  argv.push_back("--output=" + scene.output_path);
  argv.push_back("--cache-dir=" + store.root());
  return argv;
}

int dry_run(const Manifest& manifest, const BuildPlan& plan) {
  for (const EntryToMake& entry : plan.entries) {
    print_action("would generate", entry_text(plan.experiments[entry.experiment], entry));
  }
  int to_render = 0;
  for (const SceneToBuild& build : plan.scenes) {
    if (build.reason.empty()) {
      print_action("up to date", scene_text(*build.scene));
    } else {
      ++to_render;
      print_action("would render", scene_text(*build.scene) + "  (" + build.reason + ")");
    }
  }
  const int entries = static_cast<int>(plan.entries.size());
  std::printf("%s (dry run): %s to generate, %s to render, %d up to date\n", manifest.name.c_str(),
              plural(entries, "entry", "entries").c_str(),
              plural(to_render, "scene", "scenes").c_str(),
              static_cast<int>(plan.scenes.size()) - to_render);
  return 0;
}

// Computes the plan's entries, experiment by experiment. Returns, per experiment, why it failed
// ("" when it did not).
std::vector<std::string> generate_entries(const BuildPlan& plan, const CacheStore& store,
                                          bool force, BuildTally& tally) {
  std::vector<std::string> failures(plan.experiments.size());
  std::map<std::string, const EntryToMake*> planned;  // key -> entry
  std::set<std::size_t> experiments;
  for (const EntryToMake& entry : plan.entries) {
    planned[entry.entry.key] = &entry;
    experiments.insert(entry.experiment);
  }
  for (std::size_t i : experiments) {
    const Experiment& experiment = plan.experiments[i];
    GenerateOptions options;
    options.force = force;
    options.show_progress = ProgressBar::enabled();
    options.on_entry = [&](const GenerateOutcome& out) {
      if (out.hit) return;
      ++tally.generated;
      auto it = planned.find(out.key);
      EntryToMake made{i, {out.kind, out.label, out.key}, "missing"};
      print_action("generate", entry_text(experiment, it == planned.end() ? made : *it->second));
    };
    try {
      generate_experiment(experiment, store, options);
    } catch (const std::exception& e) {
      failures[i] = e.what();
      ++tally.failed;
      print_action("FAILED", "generate " + experiment.source_path + ": " + e.what());
    }
  }
  return failures;
}

// A finished render.
struct RenderDone {
  const SceneToBuild* build = nullptr;  // what was rendered
  ChildResult result;                   // how the child ended
  double seconds = 0;                   // how long it ran
};

// Renders `builds` with up to `jobs` children at once; records each finished video in `log`
// (saved after each) and prints a line for each as it finishes.
void render_scenes(const std::vector<const SceneToBuild*>& builds, int jobs,
                   const Manifest& manifest, const CacheStore& store, BuildLog& log,
                   BuildTally& tally) {
  if (builds.empty()) return;
  fs::create_directories(manifest.output_dir);
  const std::string trajtool = current_executable();
  std::mutex mutex;
  std::condition_variable finished;
  std::vector<RenderDone> done;  // finished, not yet reported; guarded by `mutex`
  std::size_t next = 0;          // the next build to start; guarded by `mutex`
  const InterruptForwarding forwarding;

  auto worker = [&](int slot) {
    while (true) {
      const SceneToBuild* build = nullptr;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (next == builds.size() || g_interrupted.load()) return;
        build = builds[next++];
      }
      RenderDone outcome;
      outcome.build = build;
      const Clock::time_point start = Clock::now();
      try {
        outcome.result =
            run_child(render_command(trajtool, manifest, *build->scene, store), [&](pid_t pid) {
              g_running[slot].store(pid);
              if (const int sig = g_interrupted.load()) ::kill(pid, sig);
            });
      } catch (const std::exception& e) {
        outcome.result.output = std::string("error: ") + e.what();
      }
      g_running[slot].store(0);
      outcome.seconds = seconds_since(start);
      std::lock_guard<std::mutex> lock(mutex);
      done.push_back(std::move(outcome));
      finished.notify_one();
    }
  };
  std::vector<std::thread> workers;
  const int count = std::min<int>(jobs, static_cast<int>(builds.size()));
  for (int slot = 0; slot < count; ++slot) workers.emplace_back(worker, slot);

  ProgressBar bar("rendering " + plural(static_cast<int>(builds.size()), "scene", "scenes"),
                  static_cast<int64_t>(builds.size()));
  int64_t reported = 0;
  std::unique_lock<std::mutex> lock(mutex);
  // Until every started render is reported and none is left to start (or the build was stopped).
  while (reported < static_cast<int64_t>(next) || (next < builds.size() && !g_interrupted.load())) {
    finished.wait_for(lock, std::chrono::milliseconds(200), [&] { return !done.empty(); });
    std::vector<RenderDone> batch;
    batch.swap(done);
    lock.unlock();
    if (!batch.empty()) bar.clear();
    for (const RenderDone& outcome : batch) {
      ++reported;
      const SceneToBuild& build = *outcome.build;
      const ManifestScene& scene = *build.scene;
      const std::string text = scene_text(scene);
      if (outcome.result.exit_code != 0) {
        if (outcome.result.signal) {
          // A render stopped by a signal had no chance to delete its unfinished video, written
          // as "<output>.part" (viz/video_encoder.cc) and never taken as done: tidy it away.
          std::error_code ignored;
          fs::remove(scene.output_path + ".part", ignored);
        }
        if (g_interrupted.load() && outcome.result.signal) {
          print_action("interrupted", text);
        } else {
          ++tally.failed;
          print_action("FAILED", text + ": " + first_error(outcome.result));
        }
        continue;
      }
      try {
        const std::optional<FileStamp> stamp = file_stamp(scene.output_path);
        if (!stamp) throw RuntimeFailure("the render wrote no " + scene.output_path);
        log.records[scene.stem] = {build.fingerprint.combined, build.fingerprint.parts, *stamp};
        save_build_log(log);
        ++tally.rendered;
        print_action("render", text + "  (" + build.reason + ")  " + seconds_text(outcome.seconds));
        for (const std::string& warning : warnings_of(outcome.result)) {
          print_action("warning", warning);
        }
      } catch (const std::exception& e) {
        ++tally.failed;
        print_action("FAILED", text + ": " + e.what());
      }
    }
    bar.update(reported);
    lock.lock();
  }
  lock.unlock();
  for (std::thread& thread : workers) thread.join();
}

}  // namespace

int command_build(const std::vector<std::string>& args) {
  const int default_jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
  po::options_description options(
      "build MANIFEST: make a seminar's videos (manifest format: docs/seminars.md). Computes the\n"
      "missing cache entries, then renders the scenes whose inputs changed; the rest is up to\n"
      "date. Exit status: 0 done, 1 something failed (every other video is kept), 2 bad input.\n"
      "options");
  options.add_options()("manifest", po::value<std::string>()->required(),
                        "the seminar's manifest (YAML)")(
      "jobs,j", po::value<int>()->default_value(default_jobs),
      "renders at once (each render uses several threads); default: half the cores")(
      "dry-run,n", "list what would be generated and rendered, and why; change nothing")(
      "force", "generate every entry and render every scene again")(
      "cache-dir", po::value<std::string>(), "cache root (default $TRAJTOOL_CACHE or ./.cache)");
  po::positional_options_description positional;
  positional.add("manifest", 1);
  po::variables_map values;
  if (!parse_command_line("build", args, options, positional, values)) return 0;
  const int jobs = values["jobs"].as<int>();
  if (jobs < 1 || jobs > kMaxJobs) {
    throw InputError("trajtool build: -j " + std::to_string(jobs) + ": expected 1 to " +
                     std::to_string(kMaxJobs));
  }
  const bool force = values.count("force") > 0;

  const Clock::time_point start = Clock::now();
  const Manifest manifest = load_manifest(values["manifest"].as<std::string>());
  const CacheStore store(cache_root_option(values));
  const BuildPlan plan = plan_build(manifest, store, force);
  if (!plan.log.problem.empty()) {
    std::fprintf(stderr,
                 "note: %s: cannot read the build log (%s); its videos count as not recorded\n",
                 plan.log.path.c_str(), plan.log.problem.c_str());
  }
  if (values.count("dry-run")) return dry_run(manifest, plan);

  BuildTally tally;
  std::vector<const SceneToBuild*> to_render;
  for (const SceneToBuild& build : plan.scenes) {
    if (build.reason.empty()) {
      ++tally.up_to_date;
      print_action("up to date", scene_text(*build.scene));
    }
  }
  const std::vector<std::string> failures = generate_entries(plan, store, force, tally);
  for (const SceneToBuild& build : plan.scenes) {
    if (build.reason.empty()) continue;
    std::string failed_input;
    for (std::size_t i : build.experiments) {
      if (!failures[i].empty()) failed_input = plan.experiments[i].source_path;
    }
    if (failed_input.empty()) {
      to_render.push_back(&build);
    } else {
      ++tally.failed;
      print_action("FAILED", scene_text(*build.scene) + ": its data could not be made (" +
                                 failed_input + ")");
    }
  }
  BuildLog log = plan.log;
  render_scenes(to_render, jobs, manifest, store, log, tally);

  const int interrupted = g_interrupted.load();
  std::printf("%s%s: %s generated, %s rendered, %d up to date, %d failed in %s\n",
              manifest.name.c_str(), interrupted ? " interrupted" : "",
              plural(tally.generated, "entry", "entries").c_str(),
              plural(tally.rendered, "scene", "scenes").c_str(), tally.up_to_date, tally.failed,
              seconds_text(seconds_since(start)).c_str());
  if (interrupted) return 128 + interrupted;
  return tally.failed ? 1 : 0;
}

}  // namespace trajtool
