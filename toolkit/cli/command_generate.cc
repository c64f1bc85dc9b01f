// `trajtool generate --config F [--config G ...] [--force] [--cache-dir D]`
#include <cstdio>

#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/pipeline/generate.h"
#include "toolkit/pipeline/progress.h"

namespace trajtool {

namespace {

void print_outcome(const GenerateOutcome& out) {
  std::string status = out.hit ? "hit" : "computed";
  std::string tail;
  if (out.kind == EntryKind::kTrajectory) {
    char loss[64];
    std::snprintf(loss, sizeof loss, "final_loss=%.6g", out.final_loss);
    tail = std::string(loss) + "  steps=" + std::to_string(out.steps);
    if (out.points > 1) {
      tail +=
          "  points=" + std::to_string(out.points) + "  diverged=" + std::to_string(out.diverged);
    } else {
      tail += out.diverged ? "  diverged_at=" + std::to_string(out.diverged_at) : "  not diverged";
    }
  } else if (out.kind == EntryKind::kModel) {
    char loss[64];
    std::snprintf(loss, sizeof loss, "final_loss=%.6g  steps=%lld", out.final_loss,
                  static_cast<long long>(out.steps));
    tail = loss;
  } else if (out.kind == EntryKind::kLandscape) {
    char text[64];
    std::snprintf(text, sizeof text, "center_loss=%.6g  points=%lld", out.final_loss,
                  static_cast<long long>(out.points));
    tail = text;
  } else if (out.kind == EntryKind::kInterpolation) {
    tail = "points=" + std::to_string(out.points);
  } else if (out.kind == EntryKind::kWalk) {
    tail = "points=" + std::to_string(out.steps) + "  milestones=" + std::to_string(out.points);
  } else if (out.kind == EntryKind::kAgent) {
    char summary[96];
    std::snprintf(summary, sizeof summary, "final_mean_return=%.1f  updates=%lld", out.final_loss,
                  static_cast<long long>(out.steps));
    tail = summary;
    if (out.diverged) tail += "  diverged_at=" + std::to_string(out.diverged_at);
  } else if (out.kind == EntryKind::kMetrics) {
    tail = "rows=" + std::to_string(out.steps) + "  series=" + std::to_string(out.points);
  }
  std::printf("%-28s %-8s %s  %s\n", out.label.c_str(), status.c_str(), out.key.c_str(),
              tail.c_str());
  if (!out.note.empty()) std::fprintf(stderr, "note: %s: %s\n", out.path.c_str(), out.note.c_str());
  std::fflush(stdout);
}

}  // namespace

int command_generate(const std::vector<std::string>& args) {
  po::options_description options("generate: run experiments into the cache");
  options.add_options()("config,c", po::value<std::vector<std::string>>()->required(),
                        "experiment YAML file (repeatable)")(
      "force", "recompute even when the cache holds a valid entry")(
      "cache-dir", po::value<std::string>(), "cache root (default $TRAJTOOL_CACHE or ./.cache)");
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command_line("generate", args, options, positional, values)) return 0;

  // Read and check every file first: a bad input writes nothing.
  std::vector<Experiment> experiments;
  for (const auto& path : values["config"].as<std::vector<std::string>>()) {
    experiments.push_back(load_experiment(path));
  }
  CacheStore store(cache_root_option(values));
  GenerateOptions generate_options;
  generate_options.force = values.count("force") > 0;
  generate_options.show_progress = ProgressBar::enabled();
  generate_options.on_entry = print_outcome;
  for (const Experiment& experiment : experiments) {
    generate_experiment(experiment, store, generate_options);
  }
  return 0;
}

}  // namespace trajtool
