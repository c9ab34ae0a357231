#pragma once
// SHA-256 and HMAC-SHA256, the primitives SigV4 and aws-chunked signing are
// built from. Every signed request hashes a few hundred bytes, so the
// per-call overhead matters as much as the hashing: these call OpenSSL's
// SHA-256 directly (no EVP dispatch, no allocation), and an HmacSha256 keeps
// its key's padded blocks already absorbed.
#include <openssl/sha.h>

#include <string>
#include <string_view>

namespace terrarium::auth {

// Incremental SHA-256: update() any number of times, then digest() once.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string digest();      // raw 32 bytes; the object is then spent
  std::string hex_digest();  // lowercase hex

 private:
  SHA256_CTX ctx_;
};

// HMAC-SHA256 under one key. The key's inner and outer pad blocks are hashed
// once, here, so each MAC costs two compression rounds fewer than keying
// from scratch: SigV4 signs every request with a cached signing key.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  std::string mac(std::string_view data) const;  // raw 32 bytes

 private:
  SHA256_CTX inner_;
  SHA256_CTX outer_;
};

// Raw 32-byte digest / MAC; hex is lowercase.
std::string sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hex_encode(std::string_view bytes);

// Compares signatures in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace terrarium::auth
