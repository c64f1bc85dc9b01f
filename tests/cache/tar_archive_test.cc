// The ustar writer and reader, checked against GNU tar in both directions.
#include "cache/tar_archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cache/test_support.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_command;
using testing::TempDir;
using testing::write_file;

// `size` bytes that differ from file to file and from block to block.
std::string pseudo_random_bytes(size_t size, unsigned seed) {
  std::string bytes(size, '\0');
  unsigned state = seed * 2654435761u + 1;
  for (char& c : bytes) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 24);
  }
  return bytes;
}

// Every member of an archive read with TarReader, with its data.
struct ReadMember {
  TarMember header;  // as the reader reports it
  std::string data;  // its bytes
};
std::vector<ReadMember> read_all(const std::string& archive) {
  std::vector<ReadMember> members;
  TarReader reader(archive);
  TarMember member;
  while (reader.next(&member)) {
    ReadMember read{member, ""};
    reader.read_data([&](const char* data, size_t size) { read.data.append(data, size); });
    members.push_back(read);
  }
  return members;
}

void flip_byte(const std::string& path, size_t at) {
  std::string bytes = read_file(path);
  ASSERT_LT(at, bytes.size());
  bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
  write_file(path, bytes);
}

// Sizes around the block size, an empty file and one larger than the 1 MiB copy piece.
const std::map<std::string, size_t> kSizes = {
    {"trajectories/empty.h5", 0},
    {"trajectories/one-block.h5", 512},
    {"grids/odd.h5", 1000},
    {"models/large.h5", (3 << 20) + 17},
    {"series/just-over-a-block.h5", 513},
};

class TarArchive : public ::testing::Test {
 protected:
  // Writes kSizes' files under dir/src and an archive of them (plus one add_bytes member).
  std::string write_archive() {
    const std::string archive = dir_.path() + "/a.tar";
    TarWriter writer(archive);
    unsigned seed = 1;
    for (const auto& [name, size] : kSizes) {
      const std::string source = dir_.path() + "/src/" + name;
      fs::create_directories(fs::path(source).parent_path());
      write_file(source, pseudo_random_bytes(size, seed++));
      writer.add_file(name, source);
    }
    writer.add_bytes("notes.txt", "made by add_bytes\n", 1700000000);
    writer.finish();
    return archive;
  }

  TempDir dir_;
};

TEST_F(TarArchive, GnuTarListsAndExtractsWhatTheWriterWrote) {
  const std::string archive = write_archive();
  // Layout: a header per member, data padded to 512 bytes, two zero blocks.
  size_t expected_bytes = 512 + 512 + 1024;  // notes.txt and the end
  for (const auto& [name, size] : kSizes) expected_bytes += 512 + (size + 511) / 512 * 512;
  EXPECT_EQ(fs::file_size(archive), expected_bytes);
  const char posix_magic[] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};  // at byte 257
  EXPECT_EQ(read_file(archive).substr(257, 8), std::string(posix_magic, 8));

  std::string listing;
  ASSERT_EQ(run_command("TZ=UTC tar -tvf " + archive + " 2>&1", &listing), 0) << listing;
  std::istringstream lines(listing);
  std::map<std::string, size_t> listed;
  std::string mode, owner, date, time, name;
  size_t size = 0;
  while (lines >> mode >> owner >> size >> date >> time >> name) {
    EXPECT_EQ(mode, "-rw-r--r--") << name;
    EXPECT_EQ(owner, "0/0") << name;
    listed[name] = size;
  }
  std::map<std::string, size_t> expected = kSizes;
  expected["notes.txt"] = 18;
  EXPECT_EQ(listed, expected) << listing;
  EXPECT_NE(listing.find("2023-11-14 22:13 notes.txt"), std::string::npos) << listing;

  const std::string out = dir_.path() + "/out";
  fs::create_directories(out);
  std::string messages;
  ASSERT_EQ(run_command("tar -xf " + archive + " -C " + out + " 2>&1", &messages), 0) << messages;
  for (const auto& [member, bytes] : kSizes) {
    EXPECT_EQ(read_file(out + "/" + member), read_file(dir_.path() + "/src/" + member)) << member;
  }
  EXPECT_EQ(read_file(out + "/notes.txt"), "made by add_bytes\n");
}

TEST_F(TarArchive, ReaderReadsBackTheWriter) {
  const std::string archive = write_archive();
  const std::vector<ReadMember> members = read_all(archive);
  ASSERT_EQ(members.size(), kSizes.size() + 1);
  size_t i = 0;
  for (const auto& [name, size] : kSizes) {
    EXPECT_EQ(members[i].header.name, name);
    EXPECT_TRUE(members[i].header.is_regular_file());
    EXPECT_EQ(members[i].header.size, static_cast<int64_t>(size));
    EXPECT_EQ(members[i].header.mode, 0644);
    EXPECT_EQ(members[i].data, read_file(dir_.path() + "/src/" + name)) << name;
    ++i;
  }
  EXPECT_EQ(members[i].header.mtime, 1700000000);
}

// GNU tar's ustar output: a name longer than 100 bytes goes into the prefix field; folders and
// symbolic links are members of their own type. Members whose data is not read are skipped.
TEST_F(TarArchive, ReaderReadsGnuTarUstarArchives) {
  const std::string src = dir_.path() + "/src";
  const std::string deep = std::string(60, 'd') + "/" + std::string(60, 'e');
  fs::create_directories(src + "/" + deep);
  const std::string long_name = deep + "/file.h5";
  write_file(src + "/" + long_name, pseudo_random_bytes(2000, 7));
  write_file(src + "/skipped.h5", pseudo_random_bytes(5000, 8));
  fs::create_symlink("skipped.h5", src + "/link.h5");
  const std::string archive = dir_.path() + "/gnu.tar";
  std::string messages;
  // The folder brings "d.../", "d.../e.../" and the long name.
  ASSERT_EQ(run_command("cd " + src + " && tar --format=ustar -cf " + archive + " " +
                            std::string(60, 'd') + " skipped.h5 link.h5 2>&1",
                        &messages),
            0)
      << messages;

  TarReader reader(archive);
  TarMember member;
  std::map<std::string, TarMember> seen;
  std::string long_data;
  while (reader.next(&member)) {
    seen[member.name] = member;
    if (member.name == long_name) {
      reader.read_data([&](const char* data, size_t size) { long_data.append(data, size); });
    }
  }
  ASSERT_TRUE(seen.count(long_name)) << "prefix field not joined";
  EXPECT_EQ(long_data, read_file(src + "/" + long_name));
  EXPECT_EQ(seen["skipped.h5"].size, 5000);
  EXPECT_EQ(seen["link.h5"].type, '2');
  EXPECT_EQ(seen["link.h5"].link_name, "skipped.h5");
  EXPECT_FALSE(seen["link.h5"].is_regular_file());
  EXPECT_EQ(seen[std::string(60, 'd') + "/"].type, '5');

  // GNU tar's default format writes its own magic ("ustar  "); short names read the same.
  const std::string gnu = dir_.path() + "/gnu-format.tar";
  ASSERT_EQ(run_command("cd " + src + " && tar --format=gnu -cf " + gnu + " skipped.h5", &messages),
            0);
  const std::vector<ReadMember> members = read_all(gnu);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].header.name, "skipped.h5");
  EXPECT_EQ(members[0].data, read_file(src + "/skipped.h5"));
}

template <class Read>
void expect_corrupt_archive(const std::string& what, Read read) {
  try {
    read();
    ADD_FAILURE() << "no CorruptArchive";
  } catch (const CorruptArchive& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST_F(TarArchive, DamagedHeaderIsDetected) {
  const std::string archive = write_archive();
  // The name in the second header (the first member, grids/odd.h5, has 1000 bytes: 2 blocks).
  flip_byte(archive, 512 + 1024 + 3);
  expect_corrupt_archive("header at byte 1536: header checksum", [&] { read_all(archive); });

  write_file(archive, pseudo_random_bytes(4096, 3));
  expect_corrupt_archive("header at byte 0: ", [&] { read_all(archive); });
}

TEST_F(TarArchive, TruncatedArchiveIsDetected) {
  const std::string archive = write_archive();
  const std::string whole = read_file(archive);
  // Inside the large member's data: the header announces more than the file holds.
  write_file(archive, whole.substr(0, whole.size() / 2));
  expect_corrupt_archive("(truncated?)", [&] { read_all(archive); });
  // Exactly after the last member: no end-of-archive marker.
  write_file(archive, whole.substr(0, whole.size() - 1024));
  expect_corrupt_archive("without the end-of-archive marker", [&] { read_all(archive); });
  // Inside the second header.
  write_file(archive, whole.substr(0, 512 + 1024 + 100));
  expect_corrupt_archive("without the end-of-archive marker", [&] { read_all(archive); });
}

TEST_F(TarArchive, MissingArchiveIsAnInputError) {
  EXPECT_THROW(TarReader(dir_.path() + "/nope.tar"), InputError);
  EXPECT_THROW(TarReader{dir_.path()}, InputError);
}

}  // namespace
}  // namespace trajtool
