#pragma once
// What the IAM authorizer needs of AWS Organizations: the organization an
// account belongs to and the service control policies that govern it.
//
// AWS exempts the management account from SCPs: the authorizer must not
// apply scp_levels when account_id == management_account.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy_evaluation.hpp"
#include "store/store.hpp"

namespace terrarium::services::organizations {

struct AccountOrganization {
  std::string organization_id;     // o-...
  std::string management_account;  // 12 digits
  // Service control policies attached at each level from the root down: the
  // root, each OU on the path, the account; compiled, each named by its ARN.
  // Empty when SERVICE_CONTROL_POLICY is not enabled on the root.
  std::vector<std::vector<auth::PolicyPtr>> scp_levels;
};

// The organization `account_id` belongs to, or nullopt.
std::optional<AccountOrganization> organization_of(store::Transaction& txn, std::string_view account_id);

}  // namespace terrarium::services::organizations
