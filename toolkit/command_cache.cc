// `trajtool cache path|ls|verify|rm|gc`: look after the cache without loading LibTorch.
#include <cstdio>
#include <set>

#include "cache/cache_store.h"
#include "toolkit/command_line.h"
#include "toolkit/commands.h"
#include "toolkit/error.h"
#include "toolkit/experiment_config.h"
#include "toolkit/generate.h"

namespace trajtool {
namespace {

std::vector<PlannedEntry> plan_configs(const po::variables_map& values) {
  std::vector<PlannedEntry> plan;
  if (!values.count("config")) return plan;
  for (const auto& path : values["config"].as<std::vector<std::string>>()) {
    for (auto& entry : plan_experiment(load_experiment(path))) plan.push_back(std::move(entry));
  }
  return plan;
}

int cache_path(const CacheStore& store, const po::variables_map& values) {
  for (const auto& entry : plan_configs(values)) {
    if (entry.kind != EntryKind::kTrajectory && !values.count("all")) continue;
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
    } catch (const CorruptEntry&) {
      label = "(corrupt: run `trajtool cache verify`)";
    }
    std::printf("%-12s %s %10lld  %-20s %s\n", entry_kind_folder(listing.kind), listing.key.c_str(),
                static_cast<long long>(listing.bytes), created.c_str(), label.c_str());
  }
  return 0;
}

int cache_verify(const CacheStore& store) {
  int bad = 0;
  int good = 0;
  for (const auto& listing : store.list()) {
    try {
      store.verify(listing.kind, listing.key);
      ++good;
    } catch (const CorruptEntry& e) {
      ++bad;
      std::printf("corrupt  %s\n", e.what());
    }
  }
  std::printf("%d entries valid, %d corrupt\n", good, bad);
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

}  // namespace

int command_cache(const std::vector<std::string>& args) {
  po::options_description options(
      "cache: path | ls | verify | rm | gc\n"
      "  path --config F   the file of each run, one per line, in run order (computes nothing)\n"
      "  ls                every entry with its size, date and label\n"
      "  verify            checks every entry; exit 1 if any is corrupt\n"
      "  rm --config F     removes the entries of a config\n"
      "  gc [--config F]   removes leftovers of interrupted writes, corrupt entries and, with\n"
      "                    --config, every entry the given configs do not use\n"
      "options");
  options.add_options()("action", po::value<std::string>()->required(), "path|ls|verify|rm|gc")(
      "config,c", po::value<std::vector<std::string>>(), "experiment YAML file (repeatable)")(
      "all", "path: also list grid, model and series entries")(
      "cache-dir", po::value<std::string>(), "cache root (default $TRAJTOOL_CACHE or ./.cache)");
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map values;
  if (!parse_command_line("cache", args, options, positional, values)) return 0;
  CacheStore store(cache_root_option(values));
  const std::string action = values["action"].as<std::string>();
  if (action == "path") return cache_path(store, values);
  if (action == "ls") return cache_ls(store);
  if (action == "verify") return cache_verify(store);
  if (action == "rm") return cache_rm(store, values);
  if (action == "gc") return cache_gc(store, values);
  throw InputError("trajtool cache: unknown action '" + action + "' (path, ls, verify, rm, gc)");
}

}  // namespace trajtool
