#pragma once
// The role AWS Organizations creates in an account it creates
// (OrganizationAccountAccessRole by default): the management account's root
// may assume it, and it holds AdministratorAccess. Written into the new
// account's IAM state exactly as CreateRole + AttachRolePolicy would.
#include <string>

#include "store/store.hpp"

namespace terrarium::services::iam {

// Creates role `role_name` in `account_id`'s IAM, trusting
// arn:aws:iam::<trusted_account>:root, with arn:aws:iam::aws:policy/AdministratorAccess
// attached. Does nothing when the account already has a role of that name.
void create_organization_access_role(store::Transaction& txn, const std::string& account_id,
                                     const std::string& role_name, const std::string& trusted_account);

}  // namespace terrarium::services::iam
