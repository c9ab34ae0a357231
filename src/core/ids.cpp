#include "core/ids.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace terrarium {

std::string random_bytes(size_t length) {
  std::string out(length, '\0');
  if (length > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(length)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string new_request_id() {
  const std::string b = random_bytes(16);
  unsigned char u[16];
  for (int i = 0; i < 16; ++i) u[i] = static_cast<unsigned char>(b[i]);
  u[6] = (u[6] & 0x0F) | 0x40;
  u[8] = (u[8] & 0x3F) | 0x80;
  char buf[37];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
                u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                u[14], u[15]);
  return buf;
}

static std::string from_alphabet(std::string_view alphabet, size_t length) {
  const std::string b = random_bytes(length);
  std::string out;
  out.reserve(length);
  for (char c : b) out.push_back(alphabet[static_cast<unsigned char>(c) % alphabet.size()]);
  return out;
}

std::string new_base32_id(const std::string& prefix, size_t length) {
  return prefix + from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", length);
}

std::string new_secret(size_t length) {
  return from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                       length);
}

}  // namespace terrarium
