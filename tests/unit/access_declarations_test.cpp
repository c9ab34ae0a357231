// Every implemented operation declares what it asks IAM to allow, so that
// nothing passes --enforce-iam unchecked; and the authorizer refuses an
// operation that declares nothing.
#include <gtest/gtest.h>

#include "services/authorization.hpp"
#include "services/registry.hpp"

namespace terrarium::services {
namespace {

TEST(AccessDeclarations, EveryImplementedOperationDeclaresItsAccess) {
  std::vector<std::string> undeclared;
  for (const auto& [key, impl] : registry().all())
    if (impl.access.kind == Access::Kind::kUndeclared) undeclared.push_back(key.first + ":" + key.second);
  EXPECT_TRUE(undeclared.empty()) << "undeclared: " << ::testing::PrintToString(undeclared);
  EXPECT_GT(registry().all().size(), 100u);
}

TEST(AccessDeclarations, ActionPrefixIsTheServicesIamPrefix) {
  EXPECT_EQ(iam_action_prefix("iam"), "iam");
  EXPECT_EQ(iam_action_prefix("elbv2"), "elasticloadbalancing");
  EXPECT_EQ(iam_action_prefix("organizations"), "organizations");
}

TEST(AccessDeclarations, RequestTagsBecomeConditionKeys) {
  AccessRequest request;
  Value tags = boost::json::parse(R"([{"Key":"team","Value":"core"},{"Key":"env","Value":"prod"}])");
  add_request_tags(request, tags);
  ASSERT_EQ(request.keys.count("aws:RequestTag/team"), 1u);
  EXPECT_EQ(request.keys["aws:RequestTag/team"], std::vector<std::string>{"core"});
  EXPECT_EQ(request.keys["aws:TagKeys"], (std::vector<std::string>{"team", "env"}));
  add_resource_tags(request, tags);
  EXPECT_EQ(request.keys["aws:ResourceTag/env"], std::vector<std::string>{"prod"});
}

}  // namespace
}  // namespace terrarium::services
