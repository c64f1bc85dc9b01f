#include "toolkit/core/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace trajtool {
namespace {

// The SHA-256 implementation, fetched once (an implicit fetch per hash costs a lookup each time).
// The system's openssl.cnf is not read: it chooses providers and TLS policy, nothing a SHA-256 of
// our own bytes depends on, and reading it costs about 0.4 ms of every command's start.
EVP_MD* fetch_sha256() {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
  return EVP_MD_fetch(nullptr, "SHA256", nullptr);
}

const EVP_MD* sha256_md() {
  static EVP_MD* const md = fetch_sha256();
  if (!md) throw std::runtime_error("OpenSSL has no SHA-256 digest");
  return md;
}

}  // namespace

void Sha256::FreeContext::operator()(evp_md_ctx_st* context) const { EVP_MD_CTX_free(context); }

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), sha256_md(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL cannot start a SHA-256 digest");
  }
}

void Sha256::update(const void* data, size_t size) {
  if (EVP_DigestUpdate(context_.get(), data, size) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 update failed");
  }
}

std::array<uint8_t, 32> Sha256::digest() {
  std::array<uint8_t, 32> out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_.get(), out.data(), &length) != 1 || length != out.size()) {
    throw std::runtime_error("OpenSSL SHA-256 final failed");
  }
  return out;
}

std::string Sha256::hex_digest() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (uint8_t byte : digest()) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.hex_digest();
}

}  // namespace trajtool
