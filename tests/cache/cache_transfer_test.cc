// Export and import of cache archives: what gets in, what is refused, and that a valid entry is
// never replaced.
#include "cache/cache_transfer.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cache/cache_archive.h"
#include "tests/cache/test_support.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;
using testing::make_meta;
using testing::make_trajectory;
using testing::read_file;
using testing::run_command;
using testing::TempDir;
using testing::write_file;

constexpr double kGridMarker = 1234.5678901234;  // a value found once in the grid's bytes

// Metadata whose key is the hash of its config_json, as trajtool makes them.
EntryMeta keyed_meta(const std::string& inputs) {
  EntryMeta meta = make_meta("");
  meta.config_json = R"({"inputs":")" + inputs + R"("})";
  meta.key = sha256_hex(meta.config_json);
  return meta;
}

// Regular files below `root`, as paths relative to it, sorted.
std::vector<std::string> files_below(const std::string& root) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(root, error)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ImportResult> results(const std::vector<ImportedMember>& members) {
  std::vector<ImportResult> out;
  for (const ImportedMember& m : members) out.push_back(m.result);
  return out;
}

class CacheTransfer : public ::testing::Test {
 protected:
  CacheTransfer() : source_(dir_.path() + "/source"), dest_(dir_.path() + "/dest") {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }

  // One entry of each kind in `store`; `seed` changes the data, not the keys.
  std::vector<EntryRef> fill(const CacheStore& store, uint64_t seed) {
    const EntryMeta run = keyed_meta("run");
    store.write_trajectory(run, make_trajectory(0, 60, 2, true, seed), false);
    const EntryMeta grid = keyed_meta("grid");
    LossGrid g;
    g.nx = 8;
    g.ny = 5;
    for (int i = 0; i < 40; ++i) g.values.push_back(static_cast<double>(seed) + i * 0.5);
    g.values[17] = kGridMarker;
    store.write_grid(grid, g);
    const EntryMeta model = keyed_meta("model");
    store.write_training(model, testing::make_training_record(3, DType::kFloat32, seed));
    const EntryMeta series = keyed_meta("series");
    EmaRecord e;
    e.clean = {0, 1, 2};
    e.signal = {0.5, 1.5, static_cast<double>(seed)};
    e.betas = {0.9};
    e.ema = {{0.05, 0.195, 0.3755}};
    store.write_series(series, e);
    return {{EntryKind::kTrajectory, run.key},
            {EntryKind::kGrid, grid.key},
            {EntryKind::kModel, model.key},
            {EntryKind::kSeries, series.key}};
  }

  // An archive of `entries` from source_.
  std::string export_source(const std::vector<EntryRef>& entries) {
    EXPECT_TRUE(find_unusable_entries(source_, entries).empty());
    const std::string archive = dir_.path() + "/course-cache.tar";
    write_cache_archive(source_, entries, archive);
    return archive;
  }

  // Imports `archive` into dest_, expecting InputError naming `member`, and nothing written.
  void expect_refused(const std::string& archive, const std::string& member,
                      const std::string& why) {
    try {
      import_cache_archive(dest_, archive);
      ADD_FAILURE() << "imported an archive with member " << member;
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("member '" + member + "' " + why), std::string::npos) << message;
      EXPECT_NE(message.find("nothing was imported"), std::string::npos) << message;
    }
    EXPECT_EQ(files_below(dest_.root()), std::vector<std::string>{});
  }

  TempDir dir_;
  CacheStore source_;
  CacheStore dest_;
};

TEST_F(CacheTransfer, MemberNames) {
  const std::string key(64, 'a');
  EXPECT_EQ(archive_member_name({EntryKind::kSeries, key}), "series/" + key + ".h5");
  for (EntryKind kind : kAllKinds) {
    const std::optional<EntryRef> parsed = parse_member_name(archive_member_name({kind, key}));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->kind, kind);
    EXPECT_EQ(parsed->key, key);
  }
  EXPECT_TRUE(parse_member_name("./grids/" + key + ".h5"));
  for (const std::string& bad :
       {"../" + key + ".h5", "/trajectories/" + key + ".h5", "trajectories/../" + key + ".h5",
        "trajectories/" + std::string(64, 'A') + ".h5", "trajectories/" + key.substr(1) + ".h5",
        "trajectories/" + key + ".h5.tmp.1.2", "trajectories/x/" + key + ".h5",
        "other/" + key + ".h5", key + ".h5", "trajectories/" + key + ".h5/"}) {
    EXPECT_FALSE(parse_member_name(bad)) << bad;
  }
}

TEST_F(CacheTransfer, ExportThenImportGivesTheSameFiles) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string archive = export_source(entries);
  std::vector<std::string> reported;
  const std::vector<ImportedMember> imported = import_cache_archive(
      dest_, archive, [&](const ImportedMember& m) { reported.push_back(m.member); });
  ASSERT_EQ(imported.size(), 4u);
  EXPECT_EQ(reported.size(), 4u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const EntryRef& entry = entries[i];
    EXPECT_EQ(imported[i].result, ImportResult::kAdded) << imported[i].detail;
    EXPECT_EQ(imported[i].member, archive_member_name(entry));
    EXPECT_EQ(imported[i].label, make_meta("").label);
    EXPECT_NO_THROW(dest_.verify(entry.kind, entry.key));
    EXPECT_EQ(read_file(dest_.entry_path(entry.kind, entry.key)),
              read_file(source_.entry_path(entry.kind, entry.key)));
  }
  EXPECT_EQ(files_below(dest_.root()).size(), 4u);  // no temporaries left

  const std::vector<ImportedMember> again = import_cache_archive(dest_, archive);
  EXPECT_EQ(results(again), std::vector<ImportResult>(4, ImportResult::kKept));
  EXPECT_EQ(files_below(dest_.root()).size(), 4u);
}

TEST_F(CacheTransfer, TamperedMemberIsRejectedAndTheOthersImported) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string archive = export_source(entries);
  std::string bytes = read_file(archive);
  const std::string marker(reinterpret_cast<const char*>(&kGridMarker), 8);
  const size_t at = bytes.find(marker);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes.find(marker, at + 1), std::string::npos);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  write_file(archive, bytes);

  const std::vector<ImportedMember> imported = import_cache_archive(dest_, archive);
  EXPECT_EQ(results(imported),
            (std::vector<ImportResult>{ImportResult::kAdded, ImportResult::kRejected,
                                       ImportResult::kAdded, ImportResult::kAdded}));
  EXPECT_NE(imported[1].detail.find("checksum mismatch"), std::string::npos) << imported[1].detail;
  EXPECT_FALSE(dest_.contains(EntryKind::kGrid, entries[1].key));
  EXPECT_EQ(files_below(dest_.root()).size(), 3u);
}

// A valid file under another key, or one whose inputs do not hash to its key, is not imported.
TEST_F(CacheTransfer, EntryWhoseKeyIsNotItsInputsHashIsRejected) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string run = source_.entry_path(EntryKind::kTrajectory, entries[0].key);
  const std::string other_key = sha256_hex("other inputs");
  EntryMeta lying = keyed_meta("lying");
  lying.key = other_key;  // its config_json hashes elsewhere
  source_.write_trajectory(lying, make_trajectory(0, 10, 2, true, 5), false);

  const std::string archive = dir_.path() + "/hand-made.tar";
  testing::write_tar_with_python(archive,
                                 {{"trajectories/" + sha256_hex("renamed") + ".h5", run},
                                  {"trajectories/" + other_key + ".h5",
                                   source_.entry_path(EntryKind::kTrajectory, other_key)}});
  const std::vector<ImportedMember> imported = import_cache_archive(dest_, archive);
  EXPECT_EQ(results(imported), std::vector<ImportResult>(2, ImportResult::kRejected));
  EXPECT_NE(imported[0].detail.find("does not match the file name"), std::string::npos)
      << imported[0].detail;
  EXPECT_NE(imported[1].detail.find("its config_json hashes to " + sha256_hex(lying.config_json) +
                                    ", not to its key"),
            std::string::npos)
      << imported[1].detail;
  EXPECT_EQ(files_below(dest_.root()), std::vector<std::string>{});
  // Export refuses it too.
  const std::vector<UnusableEntry> unusable =
      find_unusable_entries(source_, {{EntryKind::kTrajectory, other_key}});
  ASSERT_EQ(unusable.size(), 1u);
  EXPECT_FALSE(unusable[0].missing);
}

TEST_F(CacheTransfer, ValidEntryIsNeverReplacedEvenWhenItsDataDiffer) {
  const std::string archive = export_source(fill(source_, 1));
  const std::vector<EntryRef> entries = fill(dest_, 2);  // same keys, other numbers
  std::vector<std::string> before;
  for (const EntryRef& e : entries) before.push_back(read_file(dest_.entry_path(e.kind, e.key)));

  const std::vector<ImportedMember> imported = import_cache_archive(dest_, archive);
  EXPECT_EQ(results(imported), std::vector<ImportResult>(4, ImportResult::kKeptDiffers));
  EntryMeta ours;
  dest_.read_trajectory(entries[0].key, &ours);
  EXPECT_NE(imported[0].detail.find("the cache's data checksum is " + ours.checksum),
            std::string::npos)
      << imported[0].detail;
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(read_file(dest_.entry_path(entries[i].kind, entries[i].key)), before[i]);
  }
  EXPECT_EQ(files_below(dest_.root()).size(), 4u);
}

TEST_F(CacheTransfer, CorruptEntryIsReplaced) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string archive = export_source(entries);
  fill(dest_, 1);
  const std::string damaged = dest_.entry_path(EntryKind::kModel, entries[2].key);
  fs::resize_file(damaged, fs::file_size(damaged) / 2);

  const std::vector<ImportedMember> imported = import_cache_archive(dest_, archive);
  EXPECT_EQ(results(imported),
            (std::vector<ImportResult>{ImportResult::kKept, ImportResult::kKept,
                                       ImportResult::kReplacedCorrupt, ImportResult::kKept}));
  EXPECT_EQ(imported[2].detail.rfind(damaged + ": ", 0), 0u) << imported[2].detail;
  EXPECT_NO_THROW(dest_.verify(EntryKind::kModel, entries[2].key));
  EXPECT_EQ(read_file(damaged), read_file(source_.entry_path(EntryKind::kModel, entries[2].key)));
}

// Anything but cache entries makes the whole import fail before a byte is written.
TEST_F(CacheTransfer, ArchiveWithOtherMembersIsRefusedWhole) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string valid = source_.entry_path(EntryKind::kTrajectory, entries[0].key);
  const std::string key = entries[0].key;
  const std::string archive = dir_.path() + "/evil.tar";
  for (const std::string& name : std::vector<std::string>{
           "../evil.h5", "trajectories/../../x.h5", "/tmp/absolute.h5",
           "trajectories/" + std::string(64, 'F') + ".h5", "README.txt", "grids/" + key + ".h5x"}) {
    // A good member first.
    testing::write_tar_with_python(archive,
                                   {{archive_member_name(entries[0]), valid}, {name, valid}});
    expect_refused(archive, name, "is not named <kind folder>/<64 lowercase hex digits>.h5");
  }
  EXPECT_FALSE(fs::exists(dir_.path() + "/evil.h5"));
  EXPECT_FALSE(fs::exists(dir_.path() + "/x.h5"));

  // A symbolic link with an entry's name, made by GNU tar.
  const std::string tree = dir_.path() + "/tree";
  fs::create_directories(tree + "/trajectories");
  fs::create_symlink("/etc/passwd", tree + "/trajectories/" + key + ".h5");
  std::string messages;
  ASSERT_EQ(run_command("tar --format=ustar -cf " + archive + " -C " + tree + " trajectories 2>&1",
                        &messages),
            0)
      << messages;
  expect_refused(archive, "trajectories/" + key + ".h5",
                 "is a symbolic link to '/etc/passwd', not a regular file");
}

// A hard link (libarchive gives it no file type of its own, only a target), made by GNU tar from
// two names of one valid entry file: refused by name, with its target.
TEST_F(CacheTransfer, HardLinkMemberIsRefusedWhole) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string tree = dir_.path() + "/tree";
  fs::create_directories(tree + "/trajectories");
  const std::string first = "trajectories/" + entries[0].key + ".h5";
  const std::string second = "trajectories/" + sha256_hex("second name") + ".h5";
  fs::copy_file(source_.entry_path(EntryKind::kTrajectory, entries[0].key), tree + "/" + first);
  fs::create_hard_link(tree + "/" + first, tree + "/" + second);
  const std::string archive = dir_.path() + "/linked.tar";
  std::string messages;
  ASSERT_EQ(run_command("tar --format=ustar -cf " + archive + " -C " + tree + " " + first + " " +
                            second + " 2>&1",
                        &messages),
            0)
      << messages;
  expect_refused(archive, second, "is a hard link to '" + first + "', not a regular file");
}

// `tar -cf A -C <cache> .` (or of the kind folders) makes folder members, "./" names and GNU
// headers; such an archive imports like ours.
TEST_F(CacheTransfer, GnuTarArchiveOfACacheFolderImports) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  for (const char* what : {".", "trajectories grids models series"}) {
    for (const char* format : {"ustar", "gnu"}) {
      const std::string archive = dir_.path() + "/gnu.tar";
      std::string messages;
      ASSERT_EQ(run_command(std::string("tar --format=") + format + " -cf " + archive + " -C " +
                                source_.root() + " " + what + " 2>&1",
                            &messages),
                0)
          << messages;
      fs::remove_all(dest_.root());
      const std::vector<ImportedMember> imported = import_cache_archive(dest_, archive);
      EXPECT_EQ(results(imported), std::vector<ImportResult>(4, ImportResult::kAdded))
          << what << " " << format;
      for (const EntryRef& e : entries) EXPECT_NO_THROW(dest_.verify(e.kind, e.key));
    }
  }
}

// Archives made before libarchive wrote them stay readable: one written by trajtool 0.1.0's own
// ustar writer (tests/cache/data, made with `cache export` of a 3-step Adam run on Himmelblau),
// and the same files archived again by GNU tar in each of its formats.
TEST_F(CacheTransfer, ArchivesWrittenBeforeImport) {
  const std::string old_archive =
      std::string(TRAJTOOL_SOURCE_DIR) + "/tests/cache/data/written_by_trajtool_0.1.0.tar";
  const EntryRef run{EntryKind::kTrajectory,
                     "386c8bacd1f987d593dafa0c436e7f8cec5db5eaadb1b492ba939742dde4de2a"};
  const EntryRef grid{EntryKind::kGrid,
                      "eedda7ba408798e56929cd3fbfeeab50b5b001f56ad35e7866f0e9653eb9f509"};
  const std::vector<ImportedMember> imported = import_cache_archive(dest_, old_archive);
  ASSERT_EQ(imported.size(), 2u);
  EXPECT_EQ(results(imported), std::vector<ImportResult>(2, ImportResult::kAdded));
  EXPECT_EQ(imported[0].member, archive_member_name(run));
  EXPECT_EQ(imported[0].label, "Adam, archived by trajtool 0.1.0");
  EXPECT_EQ(imported[1].member, archive_member_name(grid));
  EXPECT_NO_THROW(dest_.verify(run.kind, run.key));
  EXPECT_NO_THROW(dest_.verify(grid.kind, grid.key));

  for (const char* format : {"ustar", "gnu", "posix"}) {
    const std::string archive = dir_.path() + "/gnu.tar";
    std::string messages;
    ASSERT_EQ(run_command(std::string("tar --format=") + format + " -cf " + archive + " -C " +
                              dest_.root() + " trajectories grids 2>&1",
                          &messages),
              0)
        << messages;
    CacheStore fresh(dir_.path() + "/fresh-" + format);
    EXPECT_EQ(results(import_cache_archive(fresh, archive)),
              std::vector<ImportResult>(2, ImportResult::kAdded))
        << format;
    EXPECT_EQ(read_file(fresh.entry_path(run.kind, run.key)),
              read_file(dest_.entry_path(run.kind, run.key)))
        << format;
  }
}

// What export writes, as GNU tar sees it: a ustar header per member, the data padded to 512
// bytes, two zero blocks; mode 0644, owner 0/0; `tar -xf` gives the cache's files byte for byte.
TEST_F(CacheTransfer, GnuTarListsAndExtractsWhatExportWrote) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const std::string archive = dir_.path() + "/course-cache.tar";
  const int64_t written = write_cache_archive(source_, entries, archive);
  size_t expected_bytes = 1024;
  for (const EntryRef& e : entries) {
    expected_bytes += 512 + (fs::file_size(source_.entry_path(e.kind, e.key)) + 511) / 512 * 512;
  }
  EXPECT_EQ(fs::file_size(archive), expected_bytes);
  EXPECT_EQ(static_cast<size_t>(written), expected_bytes);
  const char posix_magic[] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};  // at byte 257
  EXPECT_EQ(read_file(archive).substr(257, 8), std::string(posix_magic, 8));

  std::string listing;
  ASSERT_EQ(run_command("tar --numeric-owner -tvf " + archive + " 2>&1", &listing), 0) << listing;
  std::istringstream lines(listing);
  std::vector<std::string> listed;
  std::string mode, owner, size, date, time, name;
  while (lines >> mode >> owner >> size >> date >> time >> name) {
    EXPECT_EQ(mode, "-rw-r--r--") << name;
    EXPECT_EQ(owner, "0/0") << name;
    listed.push_back(name);
  }
  std::vector<std::string> expected;
  for (const EntryRef& e : entries) expected.push_back(archive_member_name(e));
  EXPECT_EQ(listed, expected) << listing;

  const std::string out = dir_.path() + "/out";
  fs::create_directories(out);
  std::string messages;
  ASSERT_EQ(run_command("tar -xf " + archive + " -C " + out + " 2>&1", &messages), 0) << messages;
  for (const EntryRef& e : entries) {
    EXPECT_EQ(read_file(out + "/" + archive_member_name(e)),
              read_file(source_.entry_path(e.kind, e.key)));
  }
}

TEST_F(CacheTransfer, MissingOrForeignArchiveIsRefused) {
  EXPECT_THROW(import_cache_archive(dest_, dir_.path() + "/nope.tar"), InputError);
  EXPECT_THROW(import_cache_archive(dest_, dir_.path()), InputError);
  const std::string noise = dir_.path() + "/noise.tar";
  std::string bytes(4096, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919 + 13) % 251);
  write_file(noise, bytes);
  EXPECT_THROW(import_cache_archive(dest_, noise), CorruptArchive);
  EXPECT_EQ(files_below(dest_.root()), std::vector<std::string>{});
}

TEST_F(CacheTransfer, DamagedArchiveWritesNothing) {
  const std::string archive = export_source(fill(source_, 1));
  const std::string whole = read_file(archive);
  write_file(archive, whole.substr(0, whole.size() - 1024 - 512));  // the last member cut
  EXPECT_THROW(import_cache_archive(dest_, archive), CorruptArchive);
  EXPECT_EQ(files_below(dest_.root()), std::vector<std::string>{});
  // A damaged header after valid members: still nothing is written.
  std::string damaged = whole;
  const size_t second_header = whole.find("grids/");
  ASSERT_NE(second_header, std::string::npos);
  ASSERT_EQ(second_header % 512, 0u);
  damaged[second_header] = 'G';
  write_file(archive, damaged);
  EXPECT_THROW(import_cache_archive(dest_, archive), CorruptArchive);
  EXPECT_EQ(files_below(dest_.root()), std::vector<std::string>{});
}

TEST_F(CacheTransfer, ExportListsMissingAndCorruptEntriesAndLeavesNoArchive) {
  std::vector<EntryRef> entries = fill(source_, 1);
  const std::string corrupt = source_.entry_path(EntryKind::kSeries, entries[3].key);
  fs::resize_file(corrupt, 100);
  entries.push_back({EntryKind::kTrajectory, sha256_hex("never made")});
  const std::vector<UnusableEntry> unusable = find_unusable_entries(source_, entries);
  ASSERT_EQ(unusable.size(), 2u);
  EXPECT_EQ(unusable[0].entry.key, entries[3].key);
  EXPECT_FALSE(unusable[0].missing);
  EXPECT_EQ(unusable[0].reason.rfind(corrupt + ": ", 0), 0u) << unusable[0].reason;
  EXPECT_TRUE(unusable[1].missing);
  EXPECT_EQ(unusable[1].reason, source_.entry_path(EntryKind::kTrajectory, entries[4].key));

  // Writing fails half-way (a file is missing): no archive and no temporary remain.
  const std::string archive = dir_.path() + "/out/course.tar";
  fs::create_directories(dir_.path() + "/out");
  EXPECT_THROW(write_cache_archive(source_, entries, archive), RuntimeFailure);
  EXPECT_EQ(files_below(dir_.path() + "/out"), std::vector<std::string>{});
}

TEST_F(CacheTransfer, InstallIfAbsentNeverReplaces) {
  const std::vector<EntryRef> entries = fill(source_, 1);
  const EntryRef& run = entries[0];
  const std::string existing = read_file(source_.entry_path(run.kind, run.key));
  const std::string temporary = source_.new_temporary(run.kind, run.key);
  write_file(temporary, "other bytes");
  EXPECT_FALSE(source_.install_if_absent(run.kind, run.key, temporary));
  EXPECT_EQ(read_file(source_.entry_path(run.kind, run.key)), existing);
  EXPECT_EQ(read_file(temporary), "other bytes");  // left for the caller
  source_.remove(run.kind, run.key);
  EXPECT_TRUE(source_.install_if_absent(run.kind, run.key, temporary));
  EXPECT_EQ(read_file(source_.entry_path(run.kind, run.key)), "other bytes");
  EXPECT_FALSE(fs::exists(temporary));
}

}  // namespace
}  // namespace trajtool
