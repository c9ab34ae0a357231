// ASCII case folding: what AWS folds, and the bytes it leaves alone.
#include <gtest/gtest.h>

#include "core/ascii.hpp"

namespace terrarium {
namespace {

TEST(Ascii, FoldsAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("X-Amz-Date"), "x-amz-date");
  EXPECT_EQ(ascii_lower("Ä-Z_9"), "Ä-z_9");  // UTF-8 bytes pass through unchanged
  EXPECT_EQ(ascii_lower('['), '[');
}

TEST(Ascii, EqualsIgnoringCase) {
  EXPECT_TRUE(iequals("Content-Encoding", "content-encoding"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("true", "truE "));
  EXPECT_FALSE(iequals("Ä", "ä"));  // not ASCII: compared as bytes
}

}  // namespace
}  // namespace terrarium
