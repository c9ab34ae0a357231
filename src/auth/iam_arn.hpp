#pragma once
// IAM entity ARNs taken apart: arn:aws:iam::<account>:<type>/<path><name>,
// for users, roles, groups, policies, instance profiles and the like.
#include <optional>
#include <string>
#include <string_view>

namespace terrarium::auth {

struct IamArn {
  std::string account;  // 12 digits, or "aws" for AWS managed policies
  std::string type;     // "user", "role", "policy", ...
  std::string path;     // "/" or "/a/b/"
  std::string name;     // never empty
};

// nullopt unless `arn` has that form (an account's root, which has no
// path, is not an entity ARN).
std::optional<IamArn> parse_iam_arn(std::string_view arn);

}  // namespace terrarium::auth
