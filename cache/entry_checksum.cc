#include "cache/entry_checksum.h"

#include "toolkit/core/digest.h"

namespace trajtool {

void EntryChecksum::add(const std::string& path, const void* bytes, size_t size) {
  Sha256 hasher;
  hasher.update(bytes, size);
  dataset_digests_[path] = hasher.hex_digest();
}

void EntryChecksum::add_digest(const std::string& path, const std::string& sha256_hex) {
  dataset_digests_[path] = sha256_hex;
}

std::string EntryChecksum::hex() const {
  Sha256 hasher;
  for (const auto& [path, digest] : dataset_digests_) {
    hasher.update(path);
    hasher.update(" ");
    hasher.update(digest);
    hasher.update("\n");
  }
  return hasher.hex_digest();
}

}  // namespace trajtool
