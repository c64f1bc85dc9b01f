#pragma once
// SHA-256 for cache keys and cache file checksums, computed by OpenSSL's libcrypto (EVP digests;
// it uses the CPU's SHA instructions itself). This is only the RAII handle around EVP_MD_CTX.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace trajtool {

// Incremental hasher: update() any number of times, then hex_digest() or digest() once.
class Sha256 {
 public:
  Sha256();

  void update(const void* data, size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }

  std::array<uint8_t, 32> digest();  // finishes the hash; the hasher must not be updated after
  std::string hex_digest();          // digest() as 64 lowercase hex characters

 private:
  struct FreeContext {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, FreeContext> context_;  // OpenSSL's running state
};

// SHA-256 of a byte string as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

}  // namespace trajtool
