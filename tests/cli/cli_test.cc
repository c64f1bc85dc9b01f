// Runs the trajtool executable the way a user does and checks what it prints, its exit code and
// what it leaves in the cache (read back with h5dump, HDF5's own reader).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_folder.h"

namespace fs = std::filesystem;

namespace {

using trajtool::testing::Result;
using trajtool::testing::run;

class Cli : public ::testing::Test {
 protected:
  trajtool::testing::TestFolder folder_{"trajtool_cli_"};  // the test's own folder
  const fs::path dir_ = folder_.path();

  std::string write(const std::string& name, const std::string& text) {
    return folder_.write(name, text);
  }
  // trajtool with the cache in the temporary folder.
  std::string trajtool(const std::string& args, const std::string& env = "") const {
    return env + " " + std::string(TRAJTOOL_EXE) + " " + args + " --cache-dir " +
           (dir_ / "cache").string();
  }
  std::size_t files_in_cache() const { return folder_.files_below("cache"); }
};

const char* kConfig = R"(name: cli
objective: rosenbrock
start: [-1.5, 2.0]
steps: 40
dtype: float64
runs:
  - {optimizer: sgd, lr: 0.001, label: "SGD"}
  - {optimizer: adam, lr: 0.1, label: "Adam"}
)";

TEST_F(Cli, GenerateComputesThenHitsWithoutLoadingTorch) {
  std::string config = write("a.yaml", kConfig);
  Result first = run(trajtool("generate --config " + config));
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("SGD"), std::string::npos);
  EXPECT_NE(first.output.find("computed"), std::string::npos);
  EXPECT_NE(first.output.find("steps=40"), std::string::npos);
  // A second run must be served from the cache: with the compute library made unloadable it
  // still succeeds, so it never loaded LibTorch.
  Result second = run(trajtool("generate --config " + config, "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_EQ(second.output.find("computed"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("hit"), std::string::npos);
}

TEST_F(Cli, RecomputingGivesBitIdenticalData) {
  std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  Result paths = run(trajtool("cache path --config " + config));
  // The checksum attribute is the SHA-256 of every dataset's bytes.
  std::string files = paths.output;
  std::replace(files.begin(), files.end(), '\n', ' ');
  auto checksums = [&] {
    return run("for f in " + files + "; do h5dump -a checksum $f | grep '(0)'; done").output;
  };
  const std::string first = checksums();
  ASSERT_NE(first.find("(0)"), std::string::npos) << first;
  Result forced = run(trajtool("generate --force --config " + config));
  ASSERT_EQ(forced.status, 0) << forced.output;
  // Recomputed, not loaded: otherwise equal checksums would prove nothing.
  EXPECT_NE(forced.output.find("computed"), std::string::npos) << forced.output;
  EXPECT_EQ(forced.output.find(" hit "), std::string::npos) << forced.output;
  EXPECT_EQ(checksums(), first);
}

TEST_F(Cli, CachePathListsOneFilePerRunInOrderComputingNothing) {
  std::string config = write("a.yaml", kConfig);
  Result paths =
      run(trajtool("cache path --config " + config, "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
  ASSERT_EQ(paths.status, 0) << paths.output;
  std::istringstream lines(paths.output);
  std::string line;
  std::vector<std::string> listed;
  while (std::getline(lines, line)) listed.push_back(line);
  ASSERT_EQ(listed.size(), 2u) << paths.output;
  EXPECT_EQ(files_in_cache(), 0u);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  for (const auto& path : listed) {
    EXPECT_TRUE(fs::path(path).is_absolute());
    ASSERT_TRUE(fs::exists(path)) << path;
    Result dump = run("h5dump -H " + path);
    EXPECT_NE(dump.output.find("DATASET \"params\""), std::string::npos) << dump.output;
    EXPECT_NE(dump.output.find("( 41, 2 )"), std::string::npos) << dump.output;
  }
}

TEST_F(Cli, BadInputExitsNonZeroNamingFileLineKeyAndWritesNothing) {
  std::string config =
      write("bad.yaml", std::string(kConfig) + "  - {optimizer: adam, lr: -1, label: \"Bad\"}\n");
  Result result = run(trajtool("generate --config " + config));
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.output.find(config + ":9: runs[2].lr: must be"), std::string::npos)
      << result.output;
  EXPECT_EQ(files_in_cache(), 0u);
  Result missing = run(trajtool("generate --config " + (dir_ / "nope.yaml").string()));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("nope.yaml: cannot read the file"), std::string::npos);
  Result option = run(trajtool("generate --confg x"));
  EXPECT_EQ(option.status, 2);
}

const char* kTrainingConfig = R"(name: cli-train
dataset: {name: moons, samples: 120, noise: 0.2, seed: 1}
model: {layers: [2, 8, 2], activation: tanh}
steps: 12
batch_size: 30
seed: 5
dtype: float64
record: {eval_every: 4, checkpoint_every: 6, activations: {samples: 4}, boundary: {n: 10}}
runs:
  - {optimizer: sgd, lr: 0.1, momentum: 0.9, label: "Momentum"}
  - {optimizer: adam, lr: 0.01, label: "Adam", schedule: {name: step_lr, step_size: 4, gamma: 0.5}}
)";

// Trained-model runs through the real command: entries in run order, the data set with
// --kind dataset, a cache hit without LibTorch, and the files read by h5py and Python's torch:
// the checkpoint loads into the same nn.Sequential, whose seeded initial weights are Python's.
TEST_F(Cli, TrainedModelRunsAreEntriesThatPythonTorchLoads) {
  std::string config = write("train.yaml", kTrainingConfig);
  Result generated = run(trajtool("generate --config " + config));
  ASSERT_EQ(generated.status, 0) << generated.output;
  EXPECT_NE(generated.output.find("dataset moons"), std::string::npos) << generated.output;
  Result paths = run(trajtool("cache path --config " + config));
  ASSERT_EQ(paths.status, 0) << paths.output;
  std::istringstream lines(paths.output);
  std::vector<std::string> models;
  for (std::string line; std::getline(lines, line);) models.push_back(line);
  ASSERT_EQ(models.size(), 2u) << paths.output;
  EXPECT_NE(models[0].find("/models/"), std::string::npos);
  Result dataset = run(trajtool("cache path --kind dataset --config " + config));
  ASSERT_EQ(dataset.status, 0);
  EXPECT_NE(dataset.output.find("/datasets/"), std::string::npos) << dataset.output;
  Result again = run(trajtool("generate --config " + config, "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(again.output.find("computed"), std::string::npos) << again.output;
  const std::string script = write("check.py", R"(import sys, h5py, torch
f = h5py.File(sys.argv[1], "r")
d = h5py.File(sys.argv[2].strip(), "r")
assert f.attrs["dataset_key"] == d.attrs["key"], "dataset_key"
torch.manual_seed(5)
m = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2)).double()
for k, v in m.state_dict().items():
    assert (v.numpy() == f["checkpoints/0"][k][()]).all(), k
m.load_state_dict({k: torch.from_numpy(v[()]) for k, v in f["checkpoints/12"].items()})
x = torch.from_numpy(d["x_test"][()])
y = torch.from_numpy(d["y_test"][()])
loss = torch.nn.functional.cross_entropy(m(x), y).item()
assert abs(loss - f["eval/test_loss"][-1]) < 1e-12, (loss, f["eval/test_loss"][-1])
assert list(f["eval/step"][()]) == [0, 4, 8, 12]
assert sorted(f["checkpoints"].keys(), key=int) == ["0", "6", "12"]
assert list(f["optimizer_state/12/0"].keys()) == ["momentum_buffer"]
assert f["boundary/12"].shape == (10, 10, 2)
assert f["grad_norm/0.weight"].shape == (12,)
print("python-ok")
)");
  Result python = run("/usr/bin/python3 " + script + " " + models[0] + " " + dataset.output);
  EXPECT_NE(python.output.find("python-ok"), std::string::npos) << python.output;
  Result lr = run("/usr/bin/python3 -c \"import h5py; print(list(h5py.File('" + models[1] +
                  "')['lr'][()]))\"");
  EXPECT_NE(lr.output.find("[0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.0025"),
            std::string::npos)
      << lr.output;
}

TEST_F(Cli, BadTrainingInputWritesNothing) {
  std::string csv = write("data.csv", "a,b,y\n1,2,0\n3,4,1\n5,oops,0\n");
  std::string config = write("bad.yaml", "name: t\ndataset: {csv: " + csv +
                                             ", target: y}\nmodel: {layers: [2, 2]}\nsteps: 3\n"
                                             "runs: [{optimizer: sgd, lr: 0.1}]\n");
  Result result = run(trajtool("generate --config " + config));
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.output.find(config + ":2: dataset.csv: " + csv +
                               ":4: column 2 'b': 'oops' is not a number"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(Cli, CorruptEntryIsReportedByVerifyAndRegenerated) {
  std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  EXPECT_EQ(run(trajtool("cache verify")).status, 0);
  Result paths = run(trajtool("cache path --config " + config));
  std::string first = paths.output.substr(0, paths.output.find('\n'));
  fs::resize_file(first, fs::file_size(first) / 2);  // a killed copy, say
  Result verify = run(trajtool("cache verify"));
  EXPECT_EQ(verify.status, 1);
  EXPECT_NE(verify.output.find(first), std::string::npos) << verify.output;
  Result again = run(trajtool("generate --config " + config));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("corrupt"), std::string::npos) << again.output;
  EXPECT_EQ(run(trajtool("cache verify")).status, 0);
}

// A model entry an older trajtool wrote (no `layout_version`, no `recording_seconds`) is listed as
// stale by verify, which still succeeds, and generate writes it again under the same key with the
// same numbers.
TEST_F(Cli, OldModelEntryIsStaleAndRegenerated) {
  std::string config = write("train.yaml", kTrainingConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  Result paths = run(trajtool("cache path --config " + config));
  const std::string model = paths.output.substr(0, paths.output.find('\n'));
  auto python = [&](const std::string& code) {
    return run("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + model + "', 'a'); " + code +
               "\" 2>&1");
  };
  const std::string losses = python("print(list(f['train_loss'][()]))").output;
  ASSERT_EQ(python("del f.attrs['layout_version']; del f.attrs['recording_seconds']").status, 0);
  Result verify = run(trajtool("cache verify"));
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find("stale    " + model + ": stale: written in model layout version 1"),
            std::string::npos)
      << verify.output;
  EXPECT_NE(verify.output.find("1 stale, 0 corrupt"), std::string::npos) << verify.output;
  Result again = run(trajtool("generate --config " + config));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("was stale"), std::string::npos) << again.output;
  EXPECT_EQ(again.output.find("corrupt"), std::string::npos) << again.output;
  Result after = run(trajtool("cache verify"));
  EXPECT_EQ(after.status, 0);
  EXPECT_EQ(after.output.find("stale"), std::string::npos) << after.output;
  EXPECT_EQ(python("print(f.attrs['layout_version'])").output, "2\n");
  EXPECT_EQ(python("print(list(f['train_loss'][()]))").output, losses);
}

TEST_F(Cli, ConcurrentGeneratesOfTheSameConfigAllSucceed) {
  std::string config = write("a.yaml", kConfig);
  std::string cmd = trajtool("generate --config " + config) + " >/dev/null 2>&1";
  Result result =
      run("(" + cmd + " & " + cmd + " & " + cmd + " & wait) && " + trajtool("cache verify"));
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("0 corrupt"), std::string::npos);
  // two trajectories and one grid, no leftovers
  EXPECT_EQ(files_in_cache(), 3u);
}

TEST_F(Cli, DivergingRunIsRecordedAsDiverged) {
  std::string config = write("d.yaml", R"(name: d
objective: rosenbrock
start: [-1.5, 2.0]
steps: 50
runs:
  - {optimizer: sgd, lr: 1.0, label: "Too fast"}
)");
  Result result = run(trajtool("generate --config " + config));
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("diverged_at="), std::string::npos) << result.output;
  Result path = run(trajtool("cache path --config " + config));
  Result dump = run("h5dump -a diverged_at " + path.output.substr(0, path.output.find('\n')));
  ASSERT_EQ(dump.status, 0) << dump.output;
  EXPECT_EQ(dump.output.find("(0): -1"), std::string::npos) << dump.output;
  // The row generate reported is the one HDF5's own reader finds in the file.
  const std::size_t at = result.output.find("diverged_at=") + 12;
  const std::string row =
      result.output.substr(at, result.output.find_first_not_of("0123456789", at) - at);
  EXPECT_NE(dump.output.find("(0): " + row + "\n"), std::string::npos) << row << "\n"
                                                                       << dump.output;
}

TEST_F(Cli, CacheRmAndGc) {
  std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);  // a pid that no longer exists: its writer is gone
  std::ofstream(dir_ / "cache" / "trajectories" / ("abc.h5.tmp." + std::to_string(child) + ".1"))
      << "partial";
  Result gc = run(trajtool("cache gc"));
  EXPECT_EQ(gc.status, 0) << gc.output;
  EXPECT_NE(gc.output.find("1 temporary files removed"), std::string::npos) << gc.output;
  Result rm = run(trajtool("cache rm --config " + config));
  EXPECT_EQ(rm.status, 0);
  EXPECT_EQ(files_in_cache(), 0u) << rm.output;
}

TEST_F(Cli, RenderWithoutCachedDataNamesTheGenerateCommand) {
  std::string config = write("a.yaml", kConfig);
  Result result = run(trajtool("render TrajectoryComparison --config " + config +
                               " -ql --media-dir " + (dir_ / "media").string()));
  EXPECT_EQ(result.status, 2) << result.output;
  EXPECT_NE(result.output.find("trajtool generate --config " + config), std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(dir_ / "media" / "videos"));
}

// Two runs that would share a legend entry: generate and render stop before writing anything,
// naming the file, both runs' lines and the fix.
TEST_F(Cli, DuplicateLabelsStopGenerateAndRenderBeforeAnythingIsWritten) {
  const std::string config = write("dup.yaml",
                                   "name: dup\nobjective: himmelblau\nsteps: 20\nruns:\n"
                                   "  - {optimizer: sgd, lr: 0.01, start: [0, 0]}\n"
                                   "  - {optimizer: sgd, lr: 0.01, start: [1, 1]}\n");
  const std::string expected = config +
                               ":6: runs[1]: label 'SGD (lr=0.01)' (automatic, no `label:`) is "
                               "also the label of runs[0] at line 5";
  Result generate = run(trajtool("generate --config " + config));
  EXPECT_EQ(generate.status, 2) << generate.output;
  EXPECT_NE(generate.output.find(expected), std::string::npos) << generate.output;
  EXPECT_NE(generate.output.find("give one of them a `label:` of its own"), std::string::npos);
  Result render = run(trajtool("render TrajectoryComparison --generate --config " + config +
                               " -ql --media-dir " + (dir_ / "media").string()));
  EXPECT_EQ(render.status, 2) << render.output;
  EXPECT_NE(render.output.find(expected), std::string::npos) << render.output;
  EXPECT_EQ(files_in_cache(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "media"));
}

// libarchive (and libxml2, ICU, ...) is loaded by `cache export` and `cache import` only: with the
// archive library made unloadable, generate and `cache path` still work and export says why not.
TEST_F(Cli, OnlyExportAndImportLoadTheArchiveLibrary) {
  const std::string config = write("a.yaml", kConfig);
  const std::string no_archive = "TRAJTOOL_ARCHIVE_LIB=/nonexistent/libtrajtool_archive.so";
  EXPECT_EQ(run(trajtool("generate --config " + config, no_archive)).status, 0);
  EXPECT_EQ(run(trajtool("cache path --config " + config, no_archive)).status, 0);
  EXPECT_EQ(run(trajtool("cache verify", no_archive)).status, 0);
  Result exported = run(
      trajtool("cache export --config " + config + " -o " + (dir_ / "a.tar").string(), no_archive));
  EXPECT_EQ(exported.status, 1) << exported.output;
  EXPECT_NE(exported.output.find("/nonexistent/libtrajtool_archive.so"), std::string::npos)
      << exported.output;
  EXPECT_FALSE(fs::exists(dir_ / "a.tar"));
  EXPECT_EQ(
      run(trajtool("cache export --config " + config + " -o " + (dir_ / "a.tar").string())).status,
      0);
  Result needed = run(std::string("readelf -d ") + TRAJTOOL_EXE);
  ASSERT_EQ(needed.status, 0) << needed.output;
  EXPECT_NE(needed.output.find("(NEEDED)"), std::string::npos) << needed.output;
  EXPECT_EQ(needed.output.find("libarchive"), std::string::npos) << needed.output;
}

// Moving a cache: `cache export` on the teaching assistant's machine, `cache import` on a
// student's, each with its own cache folder.
class CliTransfer : public Cli {
 protected:
  std::string student_cache() const { return (dir_ / "student").string(); }
  // trajtool with the student's cache.
  std::string student(const std::string& args) const {
    return std::string(TRAJTOOL_EXE) + " " + args + " --cache-dir " + student_cache();
  }
  // Generates kConfig and a second config into the assistant's cache; exports only kConfig's.
  std::string generate_and_export() {
    config_ = write("a.yaml", kConfig);
    const std::string other = write("b.yaml", std::string(kConfig) + "seed: 7\n");
    Result made = run(trajtool("generate --config " + config_ + " --config " + other));
    EXPECT_EQ(made.status, 0) << made.output;
    const std::string archive = (dir_ / "course-cache.tar").string();
    Result exported = run(trajtool("cache export --config " + config_ + " -o " + archive));
    EXPECT_EQ(exported.status, 0) << exported.output;
    EXPECT_NE(exported.output.find("exported 3 entries ("), std::string::npos) << exported.output;
    return archive;
  }
  // The assistant's files of kConfig: two trajectories and a grid.
  std::vector<std::string> config_files() {
    Result paths = run(trajtool("cache path --all --config " + config_));
    std::istringstream lines(paths.output);
    std::vector<std::string> files;
    for (std::string line; std::getline(lines, line);) files.push_back(line);
    EXPECT_EQ(files.size(), 3u) << paths.output;
    return files;
  }
  // Where a file of the assistant's cache lands in the student's.
  std::string in_student(const std::string& path) const {
    return student_cache() + "/" + fs::path(path).parent_path().filename().string() + "/" +
           fs::path(path).filename().string();
  }
  std::size_t files_in_student() const {
    std::size_t n = 0;
    if (!fs::exists(student_cache())) return 0;
    for (const auto& e : fs::recursive_directory_iterator(student_cache()))
      n += e.is_regular_file();
    return n;
  }

  std::string config_;  // kConfig's file
};

// h5dump's text of a file, without its first line (which names the file).
std::string dump_body(const std::string& path) {
  std::string text = run("h5dump " + path).output;
  return text.substr(text.find('\n') + 1);
}

std::string read_bytes(const std::string& path) { return trajtool::testing::read_file(path); }

TEST_F(CliTransfer, ExportThenImportMovesExactlyTheEntriesOfTheConfig) {
  const std::string archive = generate_and_export();
  Result listing = run("tar -tf " + archive);
  ASSERT_EQ(listing.status, 0) << listing.output;
  std::vector<std::string> files = config_files();
  for (const std::string& file : files) {
    const std::string member =
        fs::path(file).parent_path().filename().string() + "/" + fs::path(file).filename().string();
    EXPECT_NE(listing.output.find(member + "\n"), std::string::npos) << listing.output;
  }
  EXPECT_EQ(std::count(listing.output.begin(), listing.output.end(), '\n'), 3);

  Result imported = run(student("cache import " + archive));
  ASSERT_EQ(imported.status, 0) << imported.output;
  EXPECT_NE(imported.output.find("imported 3, kept 0 (already present), rejected 0"),
            std::string::npos)
      << imported.output;
  Result verify = run(student("cache verify"));
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find("3 entries valid, 0 corrupt"), std::string::npos) << verify.output;
  for (const std::string& file : files) {
    const std::string dump = dump_body(file);
    EXPECT_NE(dump.find("DATASET \"loss\""), std::string::npos);
    EXPECT_EQ(dump_body(in_student(file)), dump) << file;
  }
  EXPECT_EQ(files_in_student(), 3u);

  Result again = run(student("cache import " + archive));
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("imported 0, kept 3 (already present), rejected 0"),
            std::string::npos)
      << again.output;

  // A corrupt entry in the student's cache is replaced by the archive's valid copy.
  const std::string damaged = in_student(files.front());
  fs::resize_file(damaged, fs::file_size(damaged) / 2);
  Result repaired = run(student("cache import " + archive));
  EXPECT_EQ(repaired.status, 0) << repaired.output;
  EXPECT_NE(repaired.output.find("replaced corrupt entry: " + damaged + ": "), std::string::npos)
      << repaired.output;
  EXPECT_NE(repaired.output.find("imported 1 (1 replaced a corrupt entry), kept 2"),
            std::string::npos)
      << repaired.output;
  EXPECT_EQ(run(student("cache verify")).status, 0);
}

TEST_F(CliTransfer, TamperedMemberIsRejectedTheOthersImported) {
  const std::string archive = generate_and_export();
  // GNU tar's own listing gives each member's header block; flip a byte in the middle of the
  // grid's data (an uncompressed 2 MB array).
  Result listing = run("tar -tvRf " + archive);
  std::istringstream lines(listing.output);
  long block = -1;
  long size = 0;
  std::string grid_member;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" grids/") == std::string::npos) continue;
    std::istringstream fields(line);
    std::string word, mode, owner;
    fields >> word >> block >> word >> mode >> owner >> size;  // "block N: -rw-r--r-- 0/0 SIZE"
    grid_member = line.substr(line.find("grids/"));
  }
  ASSERT_GT(block, 0) << listing.output;
  std::string bytes = read_bytes(archive);
  const std::size_t at = static_cast<std::size_t>((block + 1) * 512 + size / 2);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x04);
  std::ofstream(archive, std::ios::binary) << bytes;

  Result imported = run(student("cache import " + archive));
  EXPECT_EQ(imported.status, 1) << imported.output;
  EXPECT_NE(imported.output.find("rejected  " + grid_member + ": checksum mismatch"),
            std::string::npos)
      << imported.output;
  EXPECT_NE(imported.output.find("imported 2, kept 0 (already present), rejected 1"),
            std::string::npos)
      << imported.output;
  EXPECT_EQ(files_in_student(), 2u);  // no temporary left behind
  EXPECT_EQ(run(student("cache verify")).status, 0);

  // A cut download: refused whole (exit 1), and the archive's remaining good members are not
  // half-imported.
  fs::remove_all(student_cache());
  fs::resize_file(archive, bytes.size() - 4096);
  Result cut = run(student("cache import " + archive));
  EXPECT_EQ(cut.status, 1) << cut.output;
  EXPECT_NE(cut.output.find("(truncated?)"), std::string::npos) << cut.output;
  EXPECT_EQ(files_in_student(), 0u);
  Result none = run(student("cache import " + (dir_ / "nope.tar").string()));
  EXPECT_EQ(none.status, 2) << none.output;
  EXPECT_NE(none.output.find("nope.tar: cannot open the archive"), std::string::npos);
}

TEST_F(CliTransfer, MembersOutsideTheCacheAreRefusedAndNothingIsWritten) {
  const std::string archive = generate_and_export();
  const std::string grid = config_files().back();
  // GNU tar keeps "../" in names only with -P; build "../evil.h5" and "trajectories/../../x.h5"
  // from inside dir/a/b.
  fs::create_directories(dir_ / "a" / "b" / "trajectories");
  fs::copy_file(grid, dir_ / "a" / "evil.h5");
  fs::copy_file(grid, dir_ / "x.h5");
  const std::string evil = (dir_ / "evil.tar").string();
  Result made =
      run("cd " + (dir_ / "a" / "b").string() + " && cp " + archive + " " + evil +
          " && tar --format=ustar -P -rf " + evil + " ../evil.h5 trajectories/../../../x.h5");
  ASSERT_EQ(made.status, 0) << made.output;
  Result imported = run(student("cache import " + evil));
  EXPECT_EQ(imported.status, 2) << imported.output;
  EXPECT_NE(imported.output.find("member '../evil.h5' is not named"), std::string::npos)
      << imported.output;
  EXPECT_NE(imported.output.find("member 'trajectories/../../../x.h5' is not named"),
            std::string::npos)
      << imported.output;
  EXPECT_NE(imported.output.find("nothing was imported"), std::string::npos) << imported.output;
  EXPECT_EQ(files_in_student(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "student" / ".." / "evil.h5"));
  EXPECT_FALSE(fs::exists(dir_ / "evil.h5"));
}

TEST_F(CliTransfer, ExportWithAMissingOrCorruptEntryFailsAndWritesNoArchive) {
  config_ = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config_)).status, 0);
  const std::vector<std::string> files = config_files();
  fs::remove(files.back());  // the grid
  const std::string archive = (dir_ / "course-cache.tar").string();
  Result missing = run(trajtool("cache export --config " + config_ + " -o " + archive));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("missing  " + files.back()), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("trajtool generate --config " + config_ + " --cache-dir "),
            std::string::npos)
      << missing.output;
  fs::resize_file(files.front(), fs::file_size(files.front()) / 2);
  Result corrupt = run(trajtool("cache export --config " + config_ + " -o " + archive));
  EXPECT_EQ(corrupt.status, 1) << corrupt.output;
  EXPECT_NE(corrupt.output.find("corrupt  " + files.front() + ": "), std::string::npos)
      << corrupt.output;
  // Nothing next to the archive's name: no archive, no temporary.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_TRUE(entry.path().filename() == "a.yaml" || entry.path().filename() == "cache")
        << entry.path();
  }
}

// A valid entry whose numbers differ from the archive's copy (made here by editing the data with
// h5py and recomputing the checksum as docs/cache-format.md describes) is kept byte for byte.
TEST_F(CliTransfer, ValidEntryThatDiffersIsKeptByteForByte) {
  const std::string archive = generate_and_export();
  const std::string run_file = in_student(config_files().front());
  ASSERT_EQ(run(student("cache import " + archive)).status, 0);
  const std::string edit = write("edit.py", R"(import hashlib, sys
import h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    f["loss"][0] = f["loss"][0] + 1.0
    names = []
    f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    lines = ""
    for n in sorted(names, key=lambda p: p.encode()):
        d = f[n][()]
        d = np.ascontiguousarray(d.astype(d.dtype.newbyteorder("<")))
        lines += n + " " + hashlib.sha256(d.tobytes()).hexdigest() + "\n"
    f.attrs["checksum"] = hashlib.sha256(lines.encode()).hexdigest()
)");
  Result edited = run("/usr/bin/python3 " + edit + " " + run_file);
  ASSERT_EQ(edited.status, 0) << edited.output;
  ASSERT_EQ(run(student("cache verify")).status, 0);  // still a valid entry
  const std::string before = read_bytes(run_file);

  Result imported = run(student("cache import " + archive));
  EXPECT_EQ(imported.status, 0) << imported.output;
  EXPECT_NE(imported.output.find("warning: kept the existing entry; the archive's copy differs"),
            std::string::npos)
      << imported.output;
  EXPECT_NE(
      imported.output.find(
          "imported 0, kept 3 (already present; 1 differs from the archive's copy), rejected 0"),
      std::string::npos)
      << imported.output;
  EXPECT_EQ(read_bytes(run_file), before);
}

// ffprobe's view of a video: codec, pixel format, size, frames counted by decoding, duration.
std::string probe(const std::string& path) {
  return run("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
             "stream=codec_name,pix_fmt,width,height,nb_read_frames,r_frame_rate:format=duration "
             "-of default=noprint_wrappers=1 " +
             path)
      .output;
}

TEST_F(Cli, RenderWritesAnH264Mp4ThatFfprobeAccepts) {
  std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  std::string media = (dir_ / "media").string();
  Result result =
      run(trajtool("render TrajectoryComparison --config " + config + " -ql --media-dir " + media,
                   "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
  ASSERT_EQ(result.status, 0) << result.output;
  const std::string path = media + "/videos/TrajectoryComparison/480p15/TrajectoryComparison.mp4";
  EXPECT_NE(result.output.find(path), std::string::npos) << result.output;
  std::string info = probe(path);
  EXPECT_NE(info.find("codec_name=h264"), std::string::npos) << info;
  EXPECT_NE(info.find("pix_fmt=yuv420p"), std::string::npos) << info;
  EXPECT_NE(info.find("width=854"), std::string::npos) << info;
  EXPECT_NE(info.find("height=480"), std::string::npos) << info;
  EXPECT_NE(info.find("r_frame_rate=15/1"), std::string::npos) << info;
  auto value = [&](const std::string& key) {
    std::size_t at = info.find(key + "=");
    return at == std::string::npos ? -1.0 : std::stod(info.substr(at + key.size() + 1));
  };
  const double frames = value("nb_read_frames");
  const double duration = value("duration");
  EXPECT_GT(frames, 15 * 5);  // the race alone lasts at least 4 s
  EXPECT_NEAR(duration * 15, frames, 0.5);
  // Faststart: the index (moov) comes before the media data (mdat).
  const std::string bytes = trajtool::testing::read_file(path);
  EXPECT_LT(bytes.find("moov"), bytes.find("mdat"));
}

TEST_F(Cli, RenderStillsAreVectorForPapers) {
  std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  std::string media = (dir_ / "media").string();
  for (const std::string format : {"svg", "pdf", "png"}) {
    Result result = run(trajtool("render TrajectoryComparison --config " + config +
                                 " --still 8 --format " + format + " --media-dir " + media));
    ASSERT_EQ(result.status, 0) << result.output;
    std::string path = result.output.substr(0, result.output.find('\n'));
    const std::string bytes = trajtool::testing::read_file(path);
    if (format == "svg") {
      EXPECT_NE(bytes.find("<svg"), std::string::npos);
      EXPECT_NE(bytes.find("<path"), std::string::npos);
      EXPECT_EQ(run("/usr/bin/python3 -c \"import xml.dom.minidom,sys; "
                    "xml.dom.minidom.parse(sys.argv[1])\" " +
                    path)
                    .status,
                0);
    } else if (format == "pdf") {
      EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
      EXPECT_NE(bytes.find("%%EOF"), std::string::npos);
    } else {
      EXPECT_EQ(bytes.substr(1, 3), "PNG");
    }
  }
  Result late = run(trajtool("render TrajectoryComparison --config " + config +
                             " --still 9999 --media-dir " + media));
  EXPECT_EQ(late.status, 2);
  EXPECT_NE(late.output.find("the scene lasts"), std::string::npos);
  Result bad = run(trajtool("render NoSuchScene --media-dir " + media));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find(
                "unknown scene 'NoSuchScene' (known: BasinMaps, DecisionBoundary, GradientFlow, "
                "GradientFlow3D, LossLandscape, LossLandscape3D, LossSurface, MetricCurves, "
                "MetricPanels, MetricTrajectory3D, "
                "ModelComparison, NetworkActivity, NetworkActivityWalk, OptimizerComparison, "
                "TrainingComparison, TrajectoryComparison"),
            std::string::npos)
      << bad.output;
}

// The complete example of docs/scenes.md, as a user would save it, in a scene folder of theirs.
std::string docs_scene_example() {
  const std::string text =
      trajtool::testing::read_file(std::string(TRAJTOOL_SOURCE_DIR) + "/docs/scenes.md");
  const std::string marker = "<!-- example: MomentumInBrief -->\n```yaml\n";
  const std::size_t start = text.find(marker);
  if (start == std::string::npos) return "";
  const std::size_t body = start + marker.size();
  return text.substr(body, text.find("```", body) - body);
}

TEST_F(Cli, TheDocumentedSceneRendersFromAUserSceneFolder) {
  const std::string scene = docs_scene_example();
  ASSERT_NE(scene.find("scene: MomentumInBrief"), std::string::npos);
  fs::create_directories(dir_ / "scenes");
  std::ofstream(dir_ / "scenes" / "MomentumInBrief.yaml") << scene;
  const std::string config =
      std::string(TRAJTOOL_SOURCE_DIR) + "/experiments/rotated_quadratic.yaml";
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  const fs::path out = dir_ / "brief.mp4";
  Result render = run(trajtool("render MomentumInBrief --scenes " + (dir_ / "scenes").string() +
                               " -ql -o " + out.string()));
  ASSERT_EQ(render.status, 0) << render.output;
  Result probe =
      run("ffprobe -v error -select_streams v:0 -show_entries "
          "stream=codec_name,width,height:format=duration -of default=nw=1 " +
          out.string());
  EXPECT_NE(probe.output.find("codec_name=h264"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("width=854"), std::string::npos) << probe.output;
  // Title card 4 s, update rule ~11 s, race ~14 s, losses ~7 s: over half a minute.
  const double seconds = std::stod(probe.output.substr(probe.output.find("duration=") + 9));
  EXPECT_GT(seconds, 30);
  EXPECT_LT(seconds, 45);
}

TEST_F(Cli, ABadSceneFileExitsTwoNamingFileLineKeyAndRendersNothing) {
  fs::create_directories(dir_ / "scenes");
  const std::string config = write("a.yaml", kConfig);
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  const std::string head = "experiments: {main: " + config + "}\nsections:\n  - name: one\n" +
                           "    blocks:\n      - landscape: main\n";
  struct Case {
    std::string blocks;
    std::string expected;
  };
  const Case cases[] = {
      {"      - trajectories: {mode: all_at_once, colour: red}\n",
       "Bad.yaml:6: sections[0].blocks[1].trajectories.colour: unknown key"},
      {"      - trajectories: {runs: [Nesterov]}\n",
       "Bad.yaml:6: sections[0].blocks[1].trajectories: no run 'Nesterov' from a start point"},
      {"      - title: ${heading}\n",
       "Bad.yaml:6: sections[0].blocks[1].title.text: no "
       "parameter 'heading'"},
  };
  const fs::path out = dir_ / "bad.mp4";
  for (const Case& c : cases) {
    std::ofstream(dir_ / "scenes" / "Bad.yaml") << head + c.blocks;
    Result r = run(
        trajtool("render Bad -ql --scenes " + (dir_ / "scenes").string() + " -o " + out.string()));
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out));
  }
  Result param = run(trajtool("render TrajectoryComparison -ql --config " + config +
                              " --param subtitle=x -o " + out.string()));
  EXPECT_EQ(param.status, 2);
  EXPECT_NE(param.output.find("has no parameter 'subtitle' (its parameters: title)"),
            std::string::npos)
      << param.output;
  Result unknown = run(trajtool("render Nope"));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find(
                "unknown scene 'Nope' (known: BasinMaps, DecisionBoundary, "
                "GradientFlow, GradientFlow3D, LossLandscape, LossLandscape3D, "
                "LossSurface, MetricCurves, MetricPanels, MetricTrajectory3D, "
                "ModelComparison, NetworkActivity, NetworkActivityWalk, OptimizerComparison, "
                "TrainingComparison, "
                "TrajectoryComparison"),
            std::string::npos)
      << unknown.output;
}

// A seminar manifest exports exactly the entries its scenes read (after its overrides), and a
// missing one is reported with the `build` that makes it.
TEST_F(Cli, CacheExportOfAManifestCarriesExactlyWhatItsScenesRead) {
  const std::string config = write("a.yaml", kConfig);
  const std::string manifest = write(
      "m.yaml", "name: m\noutput: " + (dir_ / "out").string() +
                    "\nscenes:\n  - {scene: TrajectoryComparison, experiments: {main: " + config +
                    "}}\n");
  const fs::path archive = dir_ / "course.tar";
  Result missing = run(trajtool("cache export --manifest " + manifest + " -o " + archive.string()));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("trajtool build " + manifest), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(archive));
  // Another experiment in the same cache must not travel with the manifest's.
  const std::string other = write("b.yaml", std::string(kConfig) + "seed: 5\n");
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  ASSERT_EQ(run(trajtool("generate --config " + other)).status, 0);
  Result exported =
      run(trajtool("cache export --manifest " + manifest + " -o " + archive.string()));
  ASSERT_EQ(exported.status, 0) << exported.output;
  Result listing = run("tar -tf " + archive.string() + " | sort");
  Result planned = run(trajtool("cache path --all --config " + config) +
                       " | sed 's|.*/\\([a-z]*/[0-9a-f]*\\.h5\\)$|\\1|' | sort");
  EXPECT_EQ(listing.output, planned.output);
  EXPECT_EQ(std::count(listing.output.begin(), listing.output.end(), '\n'), 3);  // 2 runs, 1 grid
  Result both = run(trajtool("cache export --manifest " + manifest + " --config " + config +
                             " -o " + archive.string()));
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.output.find("give --config or --manifest, not both"), std::string::npos);
}

}  // namespace

// Trained models end to end: a scene of them fails naming the generate command while the cache
// lacks them, then renders from the cache alone (LibTorch cannot even be found) once generated.
TEST_F(Cli, TrainedModelScenesRenderFromTheCacheAlone) {
  const std::string config = write("moons.yaml", R"(name: tiny-moons
dataset: {name: moons, samples: 200, noise: 0.2, seed: 0}
model: {layers: [2, 8, 2], activation: relu}
steps: 60
batch_size: 32
record: {eval_every: 10, checkpoint_every: 20, activations: {samples: 16}}
runs:
  - {optimizer: sgd, lr: 0.2, momentum: 0.9, label: "Momentum"}
  - {optimizer: adam, lr: 0.01, label: "Adam"}
)");
  const std::string media = (dir_ / "media").string();
  Result missing =
      run(trajtool("render DecisionBoundary --config " + config + " -ql --media-dir " + media));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("run `trajtool generate --config " + config), std::string::npos)
      << missing.output;
  EXPECT_FALSE(fs::exists(dir_ / "media" / "videos"));
  ASSERT_EQ(run(trajtool("generate --config " + config)).status, 0);
  for (const char* scene : {"DecisionBoundary", "TrainingComparison", "GradientFlow"}) {
    Result result = run(trajtool(
        std::string("render ") + scene + " --config " + config + " -ql --media-dir " + media,
        "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
    ASSERT_EQ(result.status, 0) << scene << ": " << result.output;
    const std::string path = media + "/videos/" + scene + "/480p15/" + scene + ".mp4";
    EXPECT_NE(probe(path).find("codec_name=h264"), std::string::npos) << scene;
  }
}
