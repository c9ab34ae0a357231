#pragma once
// The AWS managed policies Terrarium knows (arn:aws:iam::aws:policy/...):
// the ones infrastructure code attaches most. Their documents are condensed
// to the actions they grant.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace terrarium::services::iam {

struct AwsManagedPolicy {
  std::string name;
  std::string path;  // "/" or "/service-role/"
  std::string document;
  std::string arn() const { return "arn:aws:iam::aws:policy" + path + name; }
};

const std::vector<AwsManagedPolicy>& aws_managed_policies();
const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn);
// A stable PolicyId (ANPA...) for an AWS managed policy.
std::string aws_policy_id(std::string_view arn);

}  // namespace terrarium::services::iam
