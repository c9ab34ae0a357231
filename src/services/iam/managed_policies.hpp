#pragma once
// Managed policies as other IAM operations use them: looking one up by ARN
// (the account's own or AWS's), and counting where it is used.
#include <optional>
#include <string>

#include "core/context.hpp"
#include "core/value.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

// The policy `arn` names, in the account or among AWS's; nullopt if none.
std::optional<Object> find_policy(store::Transaction& txn, const Context& ctx, const std::string& arn);
// Writes it back (for AWS's policies, only the account's usage counts).
void save_policy(store::Transaction& txn, const Context& ctx, const Object& policy);

// AttachmentCount += delta; throws NoSuchEntity as Attach*Policy does when
// the policy does not exist.
Object count_attachment(store::Transaction& txn, const Context& ctx, const std::string& arn, int delta);

// A permissions boundary set to policy `arn`: the AttachedPermissionsBoundary
// value, after counting its use. Throws NoSuchEntity as AWS does.
Value use_as_boundary(store::Transaction& txn, const Context& ctx, const std::string& arn);
void release_boundary(store::Transaction& txn, const Context& ctx, const std::string& arn);

}  // namespace terrarium::services::iam
