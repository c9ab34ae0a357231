// OpenSSL 3 deprecates the SHA256_* functions in favour of EVP, whose
// dispatch costs about half a compression round per call: more than the
// hashing itself for the short strings SigV4 signs. The functions are still
// OpenSSL's own assembly, so this file alone opts back in.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "auth/sha256.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace terrarium::auth {

namespace {

constexpr size_t kBlockSize = 64;  // SHA-256's input block

// Two lowercase hex characters per byte value: every signed request formats
// two digests.
constexpr auto kHexPairs = [] {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> pairs{};
  for (size_t b = 0; b < 256; ++b) pairs[b] = {kDigits[b >> 4], kDigits[b & 15]};
  return pairs;
}();

// A block absorbed from a state, and the state it led to.
struct AbsorbedBlock {
  bool used = false;
  SHA256_CTX before;
  unsigned char block[kBlockSize];
  SHA256_CTX after;
};

bool same_state(const SHA256_CTX& a, const SHA256_CTX& b) {
  return a.Nl == b.Nl && a.Nh == b.Nh && a.num == b.num && std::memcmp(a.h, b.h, sizeof a.h) == 0;
}

// Where a state and block are remembered: a hash of both picks one slot, so
// that a lookup reads one entry instead of scanning all of them (a few cache
// lines each, and cold by the time the next request comes).
size_t memo_slot(const SHA256_CTX& ctx, const char* block, size_t slots) {
  uint64_t h = (static_cast<uint64_t>(ctx.h[0]) << 32 | ctx.h[7]) ^ ctx.Nl;
  for (size_t i = 0; i < kBlockSize; i += 8) {
    uint64_t word;
    std::memcpy(&word, block + i, 8);
    h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
  }
  return static_cast<size_t>(h >> 32) % slots;
}

// Absorbs the whole blocks that begin `data` and lie within its first
// `recurring` bytes into `ctx` (and drops them from `data`), each from this
// thread's memo when the same state has absorbed the same block before. A
// few entries suffice: they serve the requests of the last second.
void absorb_recurring_blocks(SHA256_CTX& ctx, std::string_view& data, size_t recurring) {
  if (ctx.num != 0) return;
  constexpr size_t kSlots = 32;
  thread_local std::array<AbsorbedBlock, kSlots> memo;
  for (; recurring >= kBlockSize && data.size() >= kBlockSize; recurring -= kBlockSize) {
    AbsorbedBlock& e = memo[memo_slot(ctx, data.data(), kSlots)];
    if (e.used && std::memcmp(e.block, data.data(), kBlockSize) == 0 && same_state(e.before, ctx)) {
      ctx = e.after;
    } else {
      e.used = true;
      e.before = ctx;
      std::memcpy(e.block, data.data(), kBlockSize);
      SHA256_Update(&ctx, data.data(), kBlockSize);
      e.after = ctx;
    }
    data.remove_prefix(kBlockSize);
  }
}

// SHA256_Final, without what it does beyond the hashing: it wipes the
// context's buffer (OPENSSL_cleanse, a call that defeats inlining) and
// checks its arguments, which cost a third of a compression round, three
// times per signed request. The padding is FIPS 180-4's: 0x80, zeros, and
// the message's length in bits, big-endian, ending a block.
Sha256Digest finish_state(SHA256_CTX& ctx) {
  unsigned char tail[2 * kBlockSize];
  const size_t partial = ctx.num;  // bytes of the last block held in ctx.data
  const size_t length = partial + 1 + 8 <= kBlockSize ? kBlockSize : 2 * kBlockSize;
  std::memcpy(tail, ctx.data, partial);
  tail[partial] = 0x80;
  std::memset(tail + partial + 1, 0, length - 8 - partial - 1);
  const uint64_t bits = static_cast<uint64_t>(ctx.Nh) << 32 | ctx.Nl;  // OpenSSL counts bits
  for (size_t i = 0; i < 8; ++i) tail[length - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (size_t block = 0; block < length; block += kBlockSize) SHA256_Transform(&ctx, tail + block);
  Sha256Digest out;
  for (size_t i = 0; i < 8; ++i)
    for (size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<unsigned char>(ctx.h[i] >> (24 - 8 * b));
  return out;
}

std::string as_string(const Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

Sha256::Sha256() {
  if (SHA256_Init(&ctx_) != 1) throw std::runtime_error("OpenSSL: SHA256 init failed");
}

void Sha256::update(std::string_view data) {
  if (!data.empty() && SHA256_Update(&ctx_, data.data(), data.size()) != 1)
    throw std::runtime_error("OpenSSL: SHA256 update failed");
}

void Sha256::update_recurring(std::string_view data, size_t recurring) {
  absorb_recurring_blocks(ctx_, data, recurring);
  update(data);
}

Sha256Digest Sha256::finish() { return finish_state(ctx_); }

std::string Sha256::digest() { return as_string(finish()); }

std::string Sha256::hex_digest() {
  const Sha256Hex hex = hex_of(finish());
  return std::string(view_of(hex));
}

HmacSha256::HmacSha256(std::string_view key) {
  // RFC 2104: a key longer than a block is hashed first; the padded key is
  // XORed with 0x36 for the inner hash and 0x5c for the outer.
  unsigned char block[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    Sha256 hash;
    hash.update(key);
    const Sha256Digest hashed = hash.finish();
    std::memcpy(block, hashed.data(), hashed.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&inner_);
  SHA256_Update(&inner_, pad, kBlockSize);
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&outer_);
  SHA256_Update(&outer_, pad, kBlockSize);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
}

Sha256Digest HmacSha256::mac(std::string_view data) const {
  SHA256_CTX ctx = inner_;
  absorb_recurring_blocks(ctx, data, kBlockSize);
  SHA256_Update(&ctx, data.data(), data.size());
  const Sha256Digest inner_digest = finish_state(ctx);
  ctx = outer_;
  SHA256_Update(&ctx, inner_digest.data(), inner_digest.size());
  return finish_state(ctx);
}

std::string sha256(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.digest();
}

std::string sha256_hex(std::string_view data) { return std::string(view_of(sha256_hex_of(data))); }

Sha256Hex sha256_hex_of(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hex_of(hash.finish());
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  return as_string(HmacSha256(key).mac(data));
}

std::string hex_encode(std::string_view bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i)
    std::memcpy(&out[2 * i], kHexPairs[static_cast<unsigned char>(bytes[i])].data(), 2);
  return out;
}

Sha256Hex hex_of(const Sha256Digest& digest) {
  Sha256Hex out;
  for (size_t i = 0; i < digest.size(); ++i) std::memcpy(&out[2 * i], kHexPairs[digest[i]].data(), 2);
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Every byte is looked at, wherever the first difference is: the XORs of
  // 8-byte words are ORed together, then those of the bytes left over.
  // (OpenSSL's CRYPTO_memcmp goes byte by byte, ten times the instructions
  // for the 64 hex digits every signed request compares.)
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
  }
  for (; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace terrarium::auth
