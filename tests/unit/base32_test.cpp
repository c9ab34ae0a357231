// RFC 4648's base32 test vectors (without padding, as AWS writes seeds and keys).
#include <gtest/gtest.h>

#include "core/base32.hpp"

namespace terrarium {
namespace {

TEST(Base32, EncodesRfc4648Vectors) {
  EXPECT_EQ(base32_encode(""), "");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("fo"), "MZXQ");
  EXPECT_EQ(base32_encode("foo"), "MZXW6");
  EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
}

TEST(Base32, DecodesWithPaddingCaseAndSpaces) {
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(base32_decode("mzxw 6ytb oi"), "foobar");
  EXPECT_EQ(base32_decode("MZXW6YQ"), "foob");
  EXPECT_EQ(base32_decode("MZ1W6"), std::nullopt);  // '1' is not in the alphabet
}

TEST(Base32, RoundTrips) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(base32_decode(base32_encode(bytes)), bytes);
}

}  // namespace
}  // namespace terrarium
