#pragma once
// Access keys, as other IAM operations need them.
#include <string>
#include <vector>

#include "core/context.hpp"
#include "core/value.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// The access keys of the user named `user_name` (any case).
std::vector<Object> access_keys_of(store::Transaction& txn, const Context& ctx, const std::string& user_name);

// After a user is renamed or moved (`old_key`: its former lower-cased
// name), its keys follow it and sign as the new ARN.
void rebind_access_keys(Context& ctx, store::Transaction& txn, const std::string& old_key, const Object& user);

}  // namespace terrarium::services::iam
