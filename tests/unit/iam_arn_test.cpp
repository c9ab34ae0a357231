// IAM entity ARNs taken apart, and what is not one.
#include <gtest/gtest.h>

#include "auth/iam_arn.hpp"

namespace terrarium::auth {
namespace {

TEST(IamArn, UserRoleAndManagedPolicy) {
  auto user = parse_iam_arn("arn:aws:iam::123456789012:user/division/team/alice");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->account, "123456789012");
  EXPECT_EQ(user->type, "user");
  EXPECT_EQ(user->path, "/division/team/");
  EXPECT_EQ(user->name, "alice");

  auto role = parse_iam_arn("arn:aws:iam::210987654321:role/deploy");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->type, "role");
  EXPECT_EQ(role->path, "/");
  EXPECT_EQ(role->name, "deploy");

  auto managed = parse_iam_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaRole");
  ASSERT_TRUE(managed);
  EXPECT_EQ(managed->account, "aws");
  EXPECT_EQ(managed->type, "policy");
  EXPECT_EQ(managed->path, "/service-role/");
  EXPECT_EQ(managed->name, "AWSLambdaRole");
}

TEST(IamArn, RefusesWhatIsNoEntityArn) {
  for (const char* arn : {"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/",
                          "arn:aws:iam::12345678901:role/x", "arn:aws:iam::123456789012:/x",
                          "arn:aws:s3:::bucket/key", "arn:aws:iam::abcdefghijkl:user/x",
                          "arn:aws:iam::123456789012", ""})
    EXPECT_FALSE(parse_iam_arn(arn)) << arn;
}

}  // namespace
}  // namespace terrarium::auth
