// SHA-256 (OpenSSL behind toolkit/core/digest.h) against the FIPS 180-4 / NIST example vectors and
// against coreutils' sha256sum.
#include <gtest/gtest.h>

#include <string>

#include "tests/cache/test_support.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

std::string hash(const std::string& data, size_t piece) {
  Sha256 hasher;
  for (size_t i = 0; i < data.size(); i += piece) {
    hasher.update(data.data() + i, std::min(piece, data.size() - i));
  }
  return hasher.hex_digest();
}

TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(hash("abc", 64), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash("", 64), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 7),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hash("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqk"
                 "lmnopqrlmnopqrsmnopqrstnopqrstu",
                 1),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hash(std::string(1000000, 'a'), 4096),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Every length around the padding boundaries, hashed whole and in odd pieces, equals sha256sum.
TEST(Sha256Test, MatchesSha256sum) {
  testing::TempDir dir;
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>((i * 131 + 7) % 256);
  std::string script;
  for (size_t length : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 200, 300}) {
    const std::string file = dir.path() + "/d" + std::to_string(length);
    testing::write_file(file, data.substr(0, length));
    script += " " + file;
  }
  std::string output;
  ASSERT_EQ(testing::run_command("cd " + dir.path() + " && sha256sum" + script, &output), 0);
  std::istringstream lines(output);
  std::string digest, file;
  int checked = 0;
  while (lines >> digest >> file) {
    const std::string content = testing::read_file(file);
    EXPECT_EQ(hash(content, 1000), digest) << file;
    EXPECT_EQ(hash(content, 13), digest) << file;
    ++checked;
  }
  EXPECT_EQ(checked, 15);
}

TEST(Sha256, HexHelper) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace trajtool
