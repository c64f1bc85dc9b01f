// `trajtool cache path|ls|verify|rm|gc|export|import`: look after the cache, and move it between
// machines, without loading LibTorch.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <set>

#include "cache/atomic_file.h"
#include "cache/cache_archive.h"
#include "cache/cache_store.h"
#include "cache/cache_transfer.h"
#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/config/manifest.h"
#include "toolkit/core/error.h"
#include "toolkit/core/run_series.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/generate.h"
#include "toolkit/pipeline/metric_export.h"
#include "toolkit/pipeline/plugin_loader.h"

namespace trajtool {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> config_paths(const po::variables_map& values) {
  if (!values.count("config")) return {};
  return values["config"].as<std::vector<std::string>>();
}

std::vector<PlannedEntry> plan_configs(const po::variables_map& values) {
  std::vector<PlannedEntry> plan;
  for (const auto& path : config_paths(values)) {
    for (auto& entry : plan_experiment(load_experiment(path))) plan.push_back(std::move(entry));
  }
  return plan;
}

// "812 B", "14.2 kB", "3.2 MB": decimal units, as file managers show them.
std::string size_text(int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

int cache_path(const CacheStore& store, const po::variables_map& values) {
  std::string kind;
  if (values.count("kind")) {
    kind = values["kind"].as<std::string>();
    bool known = false;
    std::string kinds;
    for (EntryKind k : kAllKinds) {
      known = known || kind == entry_kind_name(k);
      kinds += std::string(kinds.empty() ? "" : ", ") + entry_kind_name(k);
    }
    if (!known) throw InputError("--kind " + kind + ": expected one of " + kinds);
  }
  for (const auto& entry : plan_configs(values)) {
    const bool run = entry.kind == EntryKind::kTrajectory || entry.kind == EntryKind::kModel ||
                     entry.kind == EntryKind::kMetrics || entry.kind == EntryKind::kAgent;
    if (!kind.empty() ? kind != entry_kind_name(entry.kind) : !run && !values.count("all")) {
      continue;
    }
    std::printf("%s\n", store.entry_path(entry.kind, entry.key).c_str());
  }
  return 0;
}

int cache_ls(const CacheStore& store) {
  for (const auto& listing : store.list()) {
    std::string label = "?";
    std::string created = "?";
    try {
      EntryMeta meta = store.read_meta(listing.kind, listing.key);
      label = meta.label;
      created = meta.created_utc;
    } catch (const StaleEntry&) {
      label = "(stale: `trajtool generate` regenerates it)";
    } catch (const CorruptEntry&) {
      label = "(corrupt: run `trajtool cache verify`)";
    }
    std::printf("%-14s %s %10lld  %-20s %s\n", entry_kind_folder(listing.kind), listing.key.c_str(),
                static_cast<long long>(listing.bytes), created.c_str(), label.c_str());
  }
  return 0;
}

int cache_verify(const CacheStore& store) {
  int bad = 0;
  int good = 0;
  int stale = 0;
  for (const auto& listing : store.list()) {
    try {
      store.verify(listing.kind, listing.key);
      ++good;
    } catch (const StaleEntry& e) {  // intact, in an older layout: not a failure
      ++stale;
      std::printf("stale    %s\n", e.what());
    } catch (const CorruptEntry& e) {
      ++bad;
      std::printf("corrupt  %s\n", e.what());
    }
  }
  if (stale > 0) {
    std::printf("%d entries valid, %d stale, %d corrupt\n", good, stale, bad);
  } else {
    std::printf("%d entries valid, %d corrupt\n", good, bad);
  }
  return bad ? 1 : 0;
}

int cache_rm(const CacheStore& store, const po::variables_map& values) {
  if (!values.count("config")) throw InputError("trajtool cache rm: give --config F");
  int removed = 0;
  for (const auto& entry : plan_configs(values)) {
    if (store.remove(entry.kind, entry.key)) {
      ++removed;
      std::printf("removed  %s\n", store.entry_path(entry.kind, entry.key).c_str());
    }
  }
  std::printf("%d entries removed\n", removed);
  return 0;
}

// Removes temporaries of interrupted writes and corrupt entries; with --config, also every entry
// that none of the given configs needs.
int cache_gc(const CacheStore& store, const po::variables_map& values) {
  int temporaries = store.remove_stale_temporaries();
  std::set<std::string> keep;
  bool keep_only_listed = values.count("config") > 0;
  for (const auto& entry : plan_configs(values)) keep.insert(entry.key);
  int removed = 0;
  for (const auto& listing : store.list()) {
    bool drop = keep_only_listed && !keep.count(listing.key);
    if (!drop) {
      try {
        store.verify(listing.kind, listing.key);
      } catch (const CorruptEntry&) {
        drop = true;
      }
    }
    if (drop && store.remove(listing.kind, listing.key)) {
      ++removed;
      std::printf("removed  %s\n", listing.path.c_str());
    }
  }
  std::printf("%d entries and %d temporary files removed\n", removed, temporaries);
  return 0;
}

// libtrajtool_archive.so's table (cache/cache_archive.h), loaded by export and import only.
const ArchiveBackend& archive_backend() {
  using Entry = const ArchiveBackend* (*)();
  static const ArchiveBackend* const backend = reinterpret_cast<Entry>(load_plugin_symbol(
      "libtrajtool_archive.so", "TRAJTOOL_ARCHIVE_LIB", "trajtool_archive_backend"))();
  return *backend;
}

// An entry a config needs, with the first config that needs it (for messages).
struct NeededEntry {
  PlannedEntry planned;     // kind, key, label
  std::string config_path;  // the config it comes from
};

// Every entry the configs need, once each, in the configs' order.
std::vector<NeededEntry> entries_needed(const std::vector<std::string>& config_paths) {
  std::vector<NeededEntry> needed;
  std::set<std::pair<EntryKind, std::string>> seen;
  for (const std::string& path : config_paths) {
    for (PlannedEntry& entry : plan_experiment(load_experiment(path))) {
      if (seen.insert({entry.kind, entry.key}).second) needed.push_back({std::move(entry), path});
    }
  }
  return needed;
}

// `cache export`: the entries `config_paths` need, checked in full, into a ustar archive at
// `output`, written atomically. Nothing is written unless every entry is there and valid; the
// error then lists the missing and corrupt ones and the commands that make them (with
// `cache_dir_option`, the --cache-dir to repeat, if one was given). With a `manifest_path` the
// configs are the manifest's, and the command that makes what is missing is `trajtool build`.
int export_configs(const CacheStore& store, const std::vector<std::string>& config_paths,
                   const std::string& output, const std::string& cache_dir_option,
                   const std::string& manifest_path) {
  if (config_paths.empty()) {
    throw InputError("trajtool cache export: give --config F (repeatable) or --manifest M");
  }
  std::error_code error;
  const fs::path archive = fs::absolute(output);
  if (fs::is_directory(archive, error)) {
    throw InputError("trajtool cache export: -o " + output + " is a folder; give a file name");
  }
  if (!fs::is_directory(archive.parent_path(), error)) {
    throw InputError("trajtool cache export: -o " + output + ": the folder " +
                     archive.parent_path().string() + " does not exist");
  }
  const std::vector<NeededEntry> needed = entries_needed(config_paths);
  std::vector<EntryRef> entries;
  for (const NeededEntry& entry : needed) {
    entries.push_back({entry.planned.kind, entry.planned.key});
  }

  const std::vector<UnusableEntry> unusable = find_unusable_entries(store, entries);
  if (!unusable.empty()) {
    std::string message = "cannot export: " + std::to_string(unusable.size()) + " of " +
                          std::to_string(entries.size()) +
                          " entries are missing or corrupt; no archive was written:";
    std::vector<std::string> remedies;
    bool corrupt = false;
    for (const UnusableEntry& bad : unusable) {
      const auto it = std::find_if(needed.begin(), needed.end(), [&](const NeededEntry& n) {
        return n.planned.kind == bad.entry.kind && n.planned.key == bad.entry.key;
      });
      message += std::string("\n  ") + (bad.missing ? "missing  " : "corrupt  ") + bad.reason +
                 " (" + it->planned.label + ", " + it->config_path + ")";
      // A build makes what is missing; a corrupt entry is made again by `generate`, which reads
      // every entry in full (a build only checks that its files open).
      const std::string remedy =
          (manifest_path.empty() || !bad.missing ? "trajtool generate --config " + it->config_path
                                                 : "trajtool build " + manifest_path) +
          (cache_dir_option.empty() ? "" : " --cache-dir " + cache_dir_option);
      if (std::find(remedies.begin(), remedies.end(), remedy) == remedies.end()) {
        remedies.push_back(remedy);
      }
      corrupt |= !bad.missing;
    }
    message += "\nmake them with:";
    for (const std::string& remedy : remedies) message += "\n  " + remedy;
    // Like `render`, a missing entry is an input the user has not made yet (exit 2); a corrupt
    // one is damage (exit 1).
    if (corrupt) throw CorruptEntry(message);
    throw InputError(message);
  }

  const int64_t bytes = archive_backend().write_cache_archive(store, entries, archive.string());
  for (const NeededEntry& entry : needed) {
    const EntryRef ref{entry.planned.kind, entry.planned.key};
    std::error_code ignored;
    const auto file_bytes =
        static_cast<int64_t>(fs::file_size(store.entry_path(ref.kind, ref.key), ignored));
    std::printf("exported  %s  %9s  %s\n", archive_member_name(ref).c_str(),
                size_text(file_bytes).c_str(), entry.planned.label.c_str());
  }
  std::printf("exported %zu entries (%s) to %s\n", entries.size(), size_text(bytes).c_str(),
              output.c_str());
  return 0;
}

// `cache export-csv --config F -o FILE.csv`: the recorded series of the config's runs (single-start
// optimizer runs and tiny models) from the cache as one W&B-style CSV (toolkit/metric_export.h),
// written atomically. Nothing is written when an entry is missing or corrupt.
int export_csv(const CacheStore& store, const std::vector<std::string>& configs,
               const std::string& output, const std::string& cache_dir_option) {
  if (configs.size() != 1) throw InputError("trajtool cache export-csv: give one --config F");
  const std::string& config = configs[0];
  const Experiment experiment = load_experiment(config);
  const std::string remedy = "run `trajtool generate --config " + config +
                             (cache_dir_option.empty() ? "" : " --cache-dir " + cache_dir_option) +
                             "` first";
  std::vector<LabelledSeries> runs;
  for (const RunSpec& run : experiment.runs) {
    std::optional<Trajectory> t = store.read_trajectory(trajectory_identity(run).key);
    if (!t)
      throw InputError("no cache entry for run '" + run.label + "' of " + config + ": " + remedy);
    if (t->batch > 0) continue;  // a sweep has no single curve
    runs.push_back({run.label, trajectory_series(*t)});
  }
  for (const TrainingRunSpec& training : experiment.training_runs) {
    std::optional<TrainingRecord> r = store.read_training(training_identity(training).key);
    if (!r) {
      throw InputError("no cache entry for run '" + training.label + "' of " + config + ": " +
                       remedy);
    }
    runs.push_back({training.label, training_series(*r)});
  }
  if (runs.empty()) {
    throw InputError(config +
                     ": no single-start runs or models to export (sweeps and logs have "
                     "no run series)");
  }
  const std::string text = runs_to_csv(runs);
  std::error_code error;
  const fs::path path = fs::absolute(output);
  if (!fs::is_directory(path.parent_path(), error)) {
    throw InputError("trajtool cache export-csv: -o " + output + ": the folder " +
                     path.parent_path().string() + " does not exist");
  }
  TemporaryFile temporary{temporary_path(path.string())};
  {
    std::FILE* file = std::fopen(temporary.path.c_str(), "wb");
    if (!file || std::fwrite(text.data(), 1, text.size(), file) != text.size() ||
        std::fclose(file) != 0) {
      throw RuntimeFailure(output + ": cannot write the file");
    }
  }
  commit_temporary(temporary.path, path.string());
  temporary.installed = true;
  std::size_t columns = 0;
  for (const LabelledSeries& run : runs) columns += run.series.size();
  std::printf("exported %zu runs (%zu series) to %s\n", runs.size(), columns, output.c_str());
  return 0;
}

// `cache import`: every member of `archive`, verified, into the cache; never replaces a valid
// entry. Exit 1 if any member was rejected.
int import_archive(const CacheStore& store, const std::string& archive) {
  int added = 0, replaced = 0, kept = 0, differ = 0, rejected = 0;
  archive_backend().import_cache_archive(store, archive, [&](const ImportedMember& m) {
    const std::string name = m.member + (m.label.empty() ? "" : "  " + m.label);
    switch (m.result) {
      case ImportResult::kAdded:
        ++added;
        std::printf("added     %s\n", name.c_str());
        break;
      case ImportResult::kKept:
        ++kept;
        std::printf("kept      %s  (already present)\n", name.c_str());
        break;
      case ImportResult::kKeptDiffers:
        ++kept;
        ++differ;
        std::printf(
            "kept      %s  (warning: kept the existing entry; the archive's copy differs: "
            "%s)\n",
            name.c_str(), m.detail.c_str());
        break;
      case ImportResult::kReplacedCorrupt:
        ++replaced;
        std::printf("replaced  %s  (replaced corrupt entry: %s)\n", name.c_str(), m.detail.c_str());
        break;
      case ImportResult::kRejected:
        ++rejected;
        std::printf("rejected  %s: %s\n", m.member.c_str(), m.detail.c_str());
        break;
    }
    std::fflush(stdout);
  });
  std::string summary = "imported " + std::to_string(added + replaced);
  if (replaced) {
    summary += " (" + std::to_string(replaced) +
               (replaced == 1 ? " replaced a corrupt entry)" : " replaced corrupt entries)");
  }
  summary += ", kept " + std::to_string(kept) + " (already present";
  if (differ) {
    summary += "; " + std::to_string(differ) + (differ == 1 ? " differs" : " differ") +
               " from the archive's copy";
  }
  summary += "), rejected " + std::to_string(rejected);
  std::printf("%s\n", summary.c_str());
  return rejected ? 1 : 0;
}

}  // namespace

int command_cache(const std::vector<std::string>& args) {
  po::options_description options(
      "cache: path | ls | verify | rm | gc | export | export-csv | import\n"
      "  path --config F   the file of each run and imported log, one per line (computes nothing)\n"
      "  ls                every entry with its size, date and label\n"
      "  verify            checks every entry; exit 1 if any is corrupt (stale ones are listed)\n"
      "  rm --config F     removes the entries of a config\n"
      "  gc [--config F]   removes leftovers of interrupted writes, corrupt and stale entries\n"
      "                    and, with --config, every entry the given configs do not use\n"
      "  export --config F -o A.tar | export --manifest M -o A.tar\n"
      "                    writes every entry the configs (or a seminar manifest's scenes and\n"
      "                    experiments) need into a tar archive, after checking each; fails,\n"
      "                    writing nothing, if any is missing or corrupt\n"
      "  export-csv --config F -o LOG.csv\n"
      "                    writes the recorded series of the config's runs (loss, grad_norm,\n"
      "                    x, y per run) as one W&B-style CSV: _step, then <run>/<series>\n"
      "  import A.tar      adds the archive's entries to the cache, checking each in full; a\n"
      "                    valid entry already there is kept, never replaced; exit 1 if any\n"
      "                    member was rejected\n"
      "options");
  auto add = options.add_options();
  add("action", po::value<std::string>()->required(),
      "path|ls|verify|rm|gc|export|export-csv|import");
  add("archive", po::value<std::string>(), "import: the archive to read");
  add("config,c", po::value<std::vector<std::string>>(), "experiment YAML file (repeatable)");
  add("manifest,m", po::value<std::string>(), "export: a seminar manifest (docs/seminars.md)");
  add("output,o", po::value<std::string>(), "export: the archive to write");
  add("all", "path: also list grid, series and dataset entries");
  add("kind", po::value<std::string>(),
      "path: only entries of this kind (trajectory, grid, "
      "model, series, dataset, metrics, agent, landscape, interpolation, walk)");
  add("cache-dir", po::value<std::string>(), "cache root (default $TRAJTOOL_CACHE or ./.cache)");
  po::positional_options_description positional;
  positional.add("action", 1).add("archive", 1);
  po::variables_map values;
  if (!parse_command_line("cache", args, options, positional, values)) return 0;
  CacheStore store(cache_root_option(values));
  const std::string action = values["action"].as<std::string>();
  if (values.count("archive") && action != "import") {
    throw InputError("trajtool cache " + action + ": unexpected argument '" +
                     values["archive"].as<std::string>() + "'" +
                     (action == "export" ? " (the archive to write is given with -o)" : ""));
  }
  if (values.count("manifest") && action != "export") {
    throw InputError("trajtool cache " + action + ": --manifest is for export only");
  }
  if (values.count("output") && action != "export" && action != "export-csv") {
    throw InputError("trajtool cache " + action + ": -o is for export and export-csv only");
  }
  if (action == "path") return cache_path(store, values);
  if (action == "ls") return cache_ls(store);
  if (action == "verify") return cache_verify(store);
  if (action == "rm") return cache_rm(store, values);
  if (action == "gc") return cache_gc(store, values);
  if (action == "export") {
    if (!values.count("output")) throw InputError("trajtool cache export: give -o FILE.tar");
    const std::string cache_dir =
        values.count("cache-dir") ? values["cache-dir"].as<std::string>() : "";
    std::vector<std::string> configs = config_paths(values);
    std::string manifest;
    if (values.count("manifest")) {
      if (!configs.empty()) {
        throw InputError("trajtool cache export: give --config or --manifest, not both");
      }
      manifest = values["manifest"].as<std::string>();
      configs = manifest_experiment_paths(load_manifest(manifest));
    }
    return export_configs(store, configs, values["output"].as<std::string>(), cache_dir, manifest);
  }
  if (action == "export-csv") {
    if (!values.count("output")) throw InputError("trajtool cache export-csv: give -o FILE.csv");
    return export_csv(store, config_paths(values), values["output"].as<std::string>(),
                      values.count("cache-dir") ? values["cache-dir"].as<std::string>() : "");
  }
  if (action == "import") {
    if (!values.count("archive")) throw InputError("trajtool cache import: give the archive");
    return import_archive(store, values["archive"].as<std::string>());
  }
  throw InputError("trajtool cache: unknown action '" + action +
                   "' (path, ls, verify, rm, gc, export, export-csv, import)");
}

}  // namespace trajtool
