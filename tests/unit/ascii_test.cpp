// ASCII case folding: what AWS folds, and the bytes it leaves alone.
#include <gtest/gtest.h>

#include "core/ascii.hpp"

namespace terrarium {
namespace {

TEST(Ascii, FoldsAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("X-Amz-Date"), "x-amz-date");
  EXPECT_EQ(ascii_lower("Ä-Z_9"), "Ä-z_9");  // UTF-8 bytes pass through unchanged
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_EQ(ascii_upper('q'), 'Q');
  EXPECT_EQ(ascii_upper('`'), '`');  // the byte before 'a'
  EXPECT_EQ(ascii_upper('{'), '{');  // and the one after 'z'
}

TEST(Ascii, EqualsIgnoringCase) {
  EXPECT_TRUE(iequals("Content-Encoding", "content-encoding"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("true", "truE "));
  EXPECT_FALSE(iequals("Ä", "ä"));  // not ASCII: compared as bytes
}

TEST(Ascii, StartsWithIgnoringCase) {
  EXPECT_TRUE(istarts_with("aws:principaltag/Team", "aws:PrincipalTag/"));
  EXPECT_TRUE(istarts_with("X-Amz-Meta-Color", "x-amz-meta-"));
  EXPECT_TRUE(istarts_with("abc", ""));
  EXPECT_FALSE(istarts_with("x-amz", "x-amz-meta-"));
  EXPECT_FALSE(istarts_with("x-amzmeta-", "x-amz-meta-"));
}

}  // namespace
}  // namespace terrarium
