#pragma once
// Console passwords: checked against the account's password policy and kept
// only as a salted digest, for ChangePassword to verify the old one.
#include <string>

#include "core/context.hpp"
#include "core/value.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// Throws PasswordPolicyViolation when `password` breaks the account's policy
// (or, with none set, AWS's default one).
void check_password_policy(store::Transaction& txn, const Context& ctx, const std::string& password);
// The digest kept on the user.
std::string password_digest(const std::string& password, const std::string& salt);

}  // namespace terrarium::services::iam
