// SHA-256 and HMAC-SHA256 against published vectors (FIPS 180-2, RFC 4231).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "auth/sha256.hpp"

namespace terrarium::auth {
namespace {

std::string hmac_hex(std::string_view key, std::string_view data) {
  return std::string(view_of(hex_of(HmacSha256(key).mac(data))));
}

// OpenSSL's own HMAC, independent of the precomputed pads and remembered blocks.
std::string openssl_hmac_hex(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// OpenSSL's own one-shot digest, independent of how Sha256 pads and finishes.
std::string openssl_sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

TEST(Sha256, EveryLengthAcrossThreeBlocks) {
  // The padding takes one block or two depending on what is left of the
  // last: every remainder, for messages of up to three blocks.
  std::string text;
  for (size_t n = 0; n <= 3 * 64 + 1; ++n) {
    ASSERT_EQ(sha256_hex(text), openssl_sha256_hex(text)) << n;
    ASSERT_EQ(std::string(view_of(hex_of(HmacSha256("key").mac(text)))), openssl_hmac_hex("key", text)) << n;
    text.push_back(static_cast<char>('a' + n % 26));
  }
}

TEST(Sha256, IncrementalEqualsOneShot) {
  const std::string text(1000, 'a');
  for (size_t cut : {0u, 1u, 55u, 64u, 65u, 999u}) {
    Sha256 hash;
    hash.update(std::string_view(text).substr(0, cut));
    hash.update(std::string_view(text).substr(cut));
    EXPECT_EQ(hash.hex_digest(), sha256_hex(text)) << cut;
  }
}

TEST(Sha256, RecurringBlocksHashAsUpdateDoes) {
  // More messages than the memo holds, sharing and not sharing their first
  // blocks, each hashed twice, with every recurring length from none to
  // past the end: every digest must be the plain one.
  const std::string shared(3 * 64, 's');
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 40; ++i) {
      const std::string head = i % 2 ? shared.substr(0, 64 * (1 + i % 3))
                                     : std::string(100, static_cast<char>('a' + i % 26)) + std::to_string(i);
      const std::string text = head + "tail " + std::to_string(i);
      for (size_t recurring : {size_t{0}, size_t{63}, size_t{64}, size_t{130}, head.size(), text.size() + 64}) {
        Sha256 hash;
        hash.update_recurring(text, recurring);
        ASSERT_EQ(hash.hex_digest(), sha256_hex(text)) << i << " " << recurring;
      }
    }
  }
  // Shorter than a block: nothing to remember.
  Sha256 hash;
  hash.update_recurring("abc", 3);
  EXPECT_EQ(hash.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, RecurringBlocksAfterADifferentBlockStayApart) {
  // The same second block after two different first blocks: the state it
  // was remembered from must match, not only the block.
  const std::string second(64, '2');
  const std::string a = std::string(64, 'a') + second + "end";
  const std::string b = std::string(64, 'b') + second + "end";
  for (int i = 0; i < 3; ++i) {
    for (const std::string* text : {&a, &b}) {
      Sha256 hash;
      hash.update_recurring(*text, 128);
      EXPECT_EQ(hash.hex_digest(), sha256_hex(*text));
    }
  }
}

TEST(HmacSha256, KeysSharingAFirstBlockStayApart) {
  // The same long message under two keys, alternately: a block remembered
  // from one key's state must never serve the other's.
  const std::string message = std::string(64, 'm') + " and more";
  const HmacSha256 jefe("Jefe"), other("other");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(std::string(view_of(hex_of(jefe.mac(message)))), openssl_hmac_hex("Jefe", message));
    EXPECT_EQ(std::string(view_of(hex_of(other.mac(message)))), openssl_hmac_hex("other", message));
  }
}

TEST(HmacSha256, Rfc4231Vectors) {
  // Test case 1: a 20-byte key.
  EXPECT_EQ(hmac_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the output.
  EXPECT_EQ(hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key, longer than a block, is hashed first.
  EXPECT_EQ(hmac_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, OneKeySignsManyMessages) {
  const HmacSha256 key("Jefe");
  EXPECT_EQ(std::string(view_of(hex_of(key.mac("what do ya want for nothing?")))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "another")), openssl_hmac_hex("Jefe", "another"));
}

TEST(ConstantTimeEqual, ComparesLengthAndBytes) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
  // Words and leftover bytes alike: a difference anywhere is found, in
  // signatures' 64 characters and in lengths that are not whole words.
  for (size_t length : {7, 8, 63, 64, 65}) {
    const std::string a(length, 'f');
    EXPECT_TRUE(constant_time_equal(a, a)) << length;
    for (size_t at = 0; at < length; ++at) {
      std::string b = a;
      b[at] = 'e';
      EXPECT_FALSE(constant_time_equal(a, b)) << length << " differing at " << at;
    }
  }
}

}  // namespace
}  // namespace terrarium::auth
