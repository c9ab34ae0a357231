#pragma once
// A user's credentials besides access keys and the password: signing
// certificates, SSH public keys, service-specific credentials, MFA devices.
// DeleteUser refuses while any remain, as AWS does.
#include <cstddef>
#include <string>

#include "core/context.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// Counts for the user whose lower-cased name is `user_key`.
size_t signing_certificate_count(store::Transaction& txn, const Context& ctx, const std::string& user_key);
size_t ssh_public_key_count(store::Transaction& txn, const Context& ctx, const std::string& user_key);
size_t service_credential_count(store::Transaction& txn, const Context& ctx, const std::string& user_key);

// Moves them to a renamed user.
void rename_credentials_owner(store::Transaction& txn, const Context& ctx, const std::string& old_key,
                              const std::string& new_name);

}  // namespace terrarium::services::iam
