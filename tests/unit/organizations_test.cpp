// organization_of: what the IAM authorizer reads of AWS Organizations, built
// here through the operations' own handlers on an in-memory store.
#include <gtest/gtest.h>

#include "core/aws_error.hpp"
#include "core/context.hpp"
#include "services/organizations/operations.hpp"
#include "services/organizations/policy_source.hpp"
#include "store/store.hpp"

namespace terrarium::services::organizations {
namespace {

constexpr const char* kManagement = "111122223333";
constexpr const char* kDeny =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";

class OrganizationsTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Store> store = store::open_store("");

  // Runs one operation as `account` in its own committed transaction.
  Value call(Value (*handler)(Context&, const Value&), const Value& input, const std::string& account = kManagement) {
    Context ctx;
    ctx.store = store.get();
    ctx.caller.account_id = account;
    Value out = handler(ctx, input);
    if (ctx.open_txn && !ctx.open_txn->read_only()) ctx.open_txn->commit();
    return out;
  }

  std::optional<AccountOrganization> of(const std::string& account) {
    auto txn = store->begin_read();
    return organization_of(*txn, account);
  }
};

TEST_F(OrganizationsTest, AccountsOutsideAnyOrganizationHaveNone) { EXPECT_FALSE(of(kManagement)); }

TEST_F(OrganizationsTest, LevelsFollowTheTreeOnceScpsAreEnabled) {
  const Value org = call(create_organization, Object{});
  const std::string org_id(org.at("Organization").at("Id").as_string());
  const Value roots = call(list_roots, Object{});
  const std::string root(roots.at("Roots").at(0).at("Id").as_string());
  const Value ou = call(create_organizational_unit, Object{{"ParentId", root}, {"Name", "prod"}});
  const std::string ou_id(ou.at("OrganizationalUnit").at("Id").as_string());
  const Value created = call(create_account, Object{{"Email", "a@example.com"}, {"AccountName", "a"}});
  const Value status = call(describe_create_account_status,
                            Object{{"CreateAccountRequestId", created.at("CreateAccountStatus").at("Id")}});
  const std::string account(status.at("CreateAccountStatus").at("AccountId").as_string());

  // SCPs not enabled yet: the organization, but no levels.
  auto before = of(account);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->organization_id, org_id);
  EXPECT_EQ(before->management_account, kManagement);
  EXPECT_TRUE(before->scp_levels.empty());

  call(enable_policy_type, Object{{"RootId", root}, {"PolicyType", "SERVICE_CONTROL_POLICY"}});
  call(move_account, Object{{"AccountId", account}, {"SourceParentId", root}, {"DestinationParentId", ou_id}});
  const Value policy = call(create_policy, Object{{"Content", kDeny}, {"Description", "no s3"}, {"Name", "deny-s3"},
                                                  {"Type", "SERVICE_CONTROL_POLICY"}});
  const std::string policy_arn(policy.at("Policy").at("PolicySummary").at("Arn").as_string());
  call(attach_policy, Object{{"PolicyId", policy.at("Policy").at("PolicySummary").at("Id")}, {"TargetId", ou_id}});

  auto after = of(account);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->scp_levels.size(), 3u);  // root, OU, account
  const std::string full = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
  ASSERT_EQ(after->scp_levels[0].size(), 1u);
  EXPECT_EQ(after->scp_levels[0][0]->id(), full);
  ASSERT_EQ(after->scp_levels[1].size(), 2u);
  EXPECT_TRUE(after->scp_levels[1][0]->id() == policy_arn || after->scp_levels[1][1]->id() == policy_arn);
  ASSERT_EQ(after->scp_levels[2].size(), 1u);
  EXPECT_EQ(after->scp_levels[2][0]->id(), full);
  EXPECT_EQ(after->scp_levels[2][0]->statements().at(0).effect, auth::Effect::kAllow);

  // The management account sees the same organization.
  auto management = of(kManagement);
  ASSERT_TRUE(management);
  EXPECT_EQ(management->organization_id, org_id);
  ASSERT_EQ(management->scp_levels.size(), 2u);  // root, account

  call(disable_policy_type, Object{{"RootId", root}, {"PolicyType", "SERVICE_CONTROL_POLICY"}});
  EXPECT_TRUE(of(account)->scp_levels.empty());
}

TEST_F(OrganizationsTest, LeavingEndsMembership) {
  call(create_organization, Object{});
  const Value created = call(create_account, Object{{"Email", "b@example.com"}, {"AccountName", "b"}});
  const Value status = call(describe_create_account_status,
                            Object{{"CreateAccountRequestId", created.at("CreateAccountStatus").at("Id")}});
  const std::string account(status.at("CreateAccountStatus").at("AccountId").as_string());
  ASSERT_TRUE(of(account));
  call(leave_organization, Object{}, account);
  EXPECT_FALSE(of(account));
  try {
    call(describe_organization, Object{}, account);
    FAIL() << "expected AWSOrganizationsNotInUseException";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "AWSOrganizationsNotInUseException");
  }
}

}  // namespace
}  // namespace terrarium::services::organizations
