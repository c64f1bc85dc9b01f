// The cache keys of the shipped experiments, pinned to the values trajtool 0.1.0 computed before
// its JSON and SHA-256 code were replaced by nlohmann-json and OpenSSL (recorded on 2026-12-01 with
// `trajtool cache path` and `cache ls` from commit 6969fbb). A key that moves means every user's
// cache misses: if that is intended, bump kDataVersion and record the new keys here.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "toolkit/config/experiment_config.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/digest.h"
#include "toolkit/pipeline/cache_key.h"

namespace trajtool {
namespace {

struct PinnedKeys {
  std::vector<std::string> trajectories;  // one per run, in run order
  std::set<std::string> grids;            // the loss grids the runs are drawn on
  std::vector<std::string> series;        // one per EMA demo, in order
};

const std::map<std::string, PinnedKeys>& pinned() {
  static const std::map<std::string, PinnedKeys> keys = {
      {"experiments/adam.yaml",
       {{"441717708d7f67209515789d3e24bb310b4185a51582a6c08ce12bd1b508dd61",
         "decff16975a603d81355275d457448253ee952a5002c1976c1aa759f4a161885",
         "97967cd6e9d2bdd75d830caa73506f013f91eeb3725bdb59fd972df2f13d80c0",
         "1a2d698cf50ab2a018025a9c5e9011d007d2430ef103ff57505f7700ecb87d58"},
        {"a7527a33df34530753078c68ae308ef0f3c3f24605d67108957e78bb1334399a"},
        {}}},
      {"experiments/bumpy_bowl.yaml",
       {{"d461e6507744609b7cb330c4a294410032c9808db79e7004232fbb4158c768b8",
         "59c6c41ab5788b42c42ff60abd8a3831814f1ba1fff9447161ba7e3c9a1d14ef",
         "11dd51ab18c4d60cd08435462bd56795f50fc4e4e643b26260532de57a8bb333"},
        {"4e1aab12669a008294bc20a3ab3d5a6baadcb7062b95291785ae5ee067d9e10c"},
        {}}},
      {"experiments/optimizer_moments.yaml",
       {{"882e937cf223df0db175ecaf20f53dc2aebff86f648ec6274c74ccbc862a21e0",
         "87da16b26fe9f3042719cef9043d920bcfbf0c05dd7b54f679c8386d588c8630"},
        {},  // 1D: no loss grid (its `models:` list became experiments/optimizer_memory.yaml)
        {"92ca5092fe62aba1df9dbf4dc8d51e69e5a383aaf8d55db67ffabe681ab56b6e"}}},
      {"experiments/rotated_quadratic.yaml",
       {{"da00b65332036fc5e8f574204029ac23eff20d4c71d08f13166c27f337fb381d",
         "7f321f05d45fc0800c26c0cc87d0c6277b69a3f28aa18e343b41fdd6beb5389a",
         "ee4e292b0694f973f2f6cc9452c3e8e471f518f31fd9c17edfd86cd7c01a66bf",
         "5789b831d1b29c59ee845464ae4b7124830ce05f4b05463b531013c8a89a11ee"},
        {"22cf2cd95ecc055806d61ba797c4b80fa402782697306bf4553b025085e89a92"},
        {}}},
  };
  return keys;
}

// Each identity's key must be the SHA-256 of its JSON, and the JSON read back by nlohmann-json must
// dump to the same bytes; returns the key.
std::string checked_key(const EntryIdentity& id) {
  EXPECT_EQ(sha256_hex(id.json), id.key) << id.json;
  EXPECT_EQ(canonical_dump(Json::parse(id.json)), id.json);
  return id.key;
}

TEST(CacheKeyPinning, ShippedExperimentsKeepTheirKeys) {
  for (const auto& [file, expected] : pinned()) {
    SCOPED_TRACE(file);
    const Experiment experiment = load_experiment(std::string(TRAJTOOL_SOURCE_DIR) + "/" + file);
    PinnedKeys now;
    for (const RunSpec& run : experiment.runs) {
      now.trajectories.push_back(checked_key(trajectory_identity(run)));
      const std::optional<EntryIdentity> grid = run_grid_identity(run, experiment.grid_samples);
      if (grid) now.grids.insert(checked_key(*grid));
    }
    for (const EmaSpec& ema : experiment.emas) now.series.push_back(checked_key(ema_identity(ema)));
    EXPECT_EQ(now.trajectories, expected.trajectories);
    EXPECT_EQ(now.grids, expected.grids);
    EXPECT_EQ(now.series, expected.series);
  }
}

}  // namespace
}  // namespace trajtool
