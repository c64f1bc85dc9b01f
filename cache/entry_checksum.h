#pragma once
// The checksum every cache file stores in its `checksum` attribute: a SHA-256 over the SHA-256 of
// each dataset's stored bytes, so that any change to the data is detected. Precisely:
//   sha256( for each dataset, sorted by path: "<path> <sha256 hex of its bytes>\n" )
// where a dataset's bytes are its elements in row-major order as stored (IEEE little-endian
// float32/float64, int64 little-endian). Order of writing or reading does not matter.
#include <cstddef>
#include <map>
#include <string>

namespace trajtool {

// Collects the datasets of one file, then gives the file's checksum.
class EntryChecksum {
 public:
  // Records the dataset at `path` (e.g. "state/exp_avg") with its stored bytes.
  void add(const std::string& path, const void* bytes, size_t size);
  // Records a dataset whose bytes were hashed piecewise; `sha256_hex` is their digest.
  void add_digest(const std::string& path, const std::string& sha256_hex);
  std::string hex() const;  // the checksum as 64 lowercase hex characters

 private:
  std::map<std::string, std::string> dataset_digests_;  // path -> sha256 hex of its bytes
};

}  // namespace trajtool
