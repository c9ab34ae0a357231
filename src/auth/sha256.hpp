#pragma once
// SHA-256 and HMAC-SHA256, the primitives SigV4 and aws-chunked signing are
// built from. Every signed request hashes a few hundred bytes, so the
// per-call overhead matters as much as the hashing: these call OpenSSL's
// SHA-256 directly (no EVP dispatch, no allocation), and an HmacSha256 keeps
// its key's padded blocks already absorbed.
#include <openssl/sha.h>

#include <array>
#include <string>
#include <string_view>

namespace terrarium::auth {

using Sha256Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;
using Sha256Hex = std::array<char, 2 * SHA256_DIGEST_LENGTH>;  // lowercase, unterminated

// Incremental SHA-256: update() any number of times, then digest() once.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // update() for a message whose first `recurring` bytes recur across
  // calls: a client's canonical requests to one path within one second
  // differ only in their payload hash (boto3 signs content-type, host and
  // x-amz-date), and its strings to sign begin alike (algorithm, time,
  // scope). The state after each whole block within those bytes is
  // remembered per thread, so a repeat costs a compression round fewer per
  // block.
  void update_recurring(std::string_view data, size_t recurring);
  // One of these, once: the object is then spent.
  Sha256Digest finish();
  std::string digest();      // raw 32 bytes
  std::string hex_digest();  // lowercase hex

 private:
  SHA256_CTX ctx_;
};

// HMAC-SHA256 under one key. The key's inner and outer pad blocks are hashed
// once, here, so each MAC costs two compression rounds fewer than keying
// from scratch: SigV4 signs every request with a cached signing key. The
// message's first block is absorbed as update_recurring() absorbs it.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  Sha256Digest mac(std::string_view data) const;

 private:
  SHA256_CTX inner_;
  SHA256_CTX outer_;
};

// Raw 32-byte digest / MAC; hex is lowercase.
std::string sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hex_encode(std::string_view bytes);
// Hex without allocating, for the digests every signed request compares.
Sha256Hex hex_of(const Sha256Digest& digest);
Sha256Hex sha256_hex_of(std::string_view data);
inline std::string_view view_of(const Sha256Hex& hex) { return {hex.data(), hex.size()}; }

// Compares signatures in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace terrarium::auth
