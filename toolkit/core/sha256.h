#pragma once
// SHA-256 (FIPS 180-4), used for cache keys and cache file checksums. Uses the CPU's SHA
// extensions when present (x86 SHA-NI, ~5x faster), else portable code; both give the same digest.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trajtool {

// Which compression function to use: kAuto picks the CPU extensions when available.
enum class Sha256Engine { kAuto, kPortable };

// Incremental hasher: update() any number of times, then hex_digest() or digest() once.
class Sha256 {
 public:
  explicit Sha256(Sha256Engine engine = Sha256Engine::kAuto);

  void update(const void* data, size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }

  std::array<uint8_t, 32> digest();  // finishes the hash; the hasher must not be updated after
  std::string hex_digest();          // digest() as 64 lowercase hex characters

  // True when kAuto uses the CPU's SHA instructions on this machine.
  static bool cpu_extensions_available();

 private:
  void compress(const uint8_t* blocks, size_t count);

  std::array<uint32_t, 8> state_;   // the chaining value H0..H7
  std::array<uint8_t, 64> buffer_;  // bytes of an incomplete block
  size_t buffered_ = 0;             // how many bytes of buffer_ are used
  uint64_t total_bytes_ = 0;        // message length so far
  bool use_cpu_ = false;            // compress with SHA-NI
};

// SHA-256 of a byte string as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

}  // namespace trajtool
