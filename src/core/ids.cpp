#include "core/ids.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <random>
#include <stdexcept>

#include "core/base32.hpp"

namespace terrarium {

std::string random_bytes(size_t length) {
  std::string out(length, '\0');
  if (length > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(length)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string new_request_id() {
  // Request ids need to be unique, not secret: a per-thread generator seeded
  // once from OpenSSL is 20x cheaper than RAND_bytes on every request.
  thread_local std::mt19937_64 generator = [] {
    const std::string seed = random_bytes(sizeof(uint64_t) * 4);
    std::seed_seq seq(seed.begin(), seed.end());
    return std::mt19937_64(seq);
  }();
  unsigned char u[16];
  const uint64_t a = generator(), b = generator();
  for (int i = 0; i < 8; ++i) {
    u[i] = static_cast<unsigned char>(a >> (8 * i));
    u[8 + i] = static_cast<unsigned char>(b >> (8 * i));
  }
  u[6] = (u[6] & 0x0F) | 0x40;
  u[8] = (u[8] & 0x3F) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHex[u[i] >> 4]);
    id.push_back(kHex[u[i] & 15]);
  }
  return id;
}

static std::string from_alphabet(std::string_view alphabet, size_t length) {
  const std::string b = random_bytes(length);
  std::string out;
  out.reserve(length);
  for (char c : b) out.push_back(alphabet[static_cast<unsigned char>(c) % alphabet.size()]);
  return out;
}

std::string new_base32_id(const std::string& prefix, size_t length) {
  return prefix + from_alphabet(kBase32Alphabet, length);
}

std::string new_secret(size_t length) {
  return from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                       length);
}

}  // namespace terrarium
