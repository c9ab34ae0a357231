#pragma once
// The IAM side of an authorization: the policies that apply to a caller
// (its own, its groups', its role's), its permissions boundary, its session
// policies and its tags; and the trust policy of a role, in any account.
// The authorizer (services/authorization.cpp) caches what this returns.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/policy_evaluation.hpp"
#include "auth/request_context.hpp"
#include "core/caller.hpp"
#include "core/value.hpp"
#include "store/store.hpp"

namespace terrarium::services::iam {

struct PolicySource {
  std::string type;         // "user", "group", "role" (inline), "aws-managed", "user-managed"
  std::string name;         // the policy's name
  std::string arn;          // managed policies only
  std::string entity_name;  // inline policies: the user, group or role that holds it
};

struct PrincipalPolicies {
  std::vector<auth::PolicyPtr> identity;
  auth::PolicyPtr permissions_boundary;
  std::vector<auth::PolicyPtr> session;
  auth::TagMap tags;  // the user's or role's tags (aws:PrincipalTag/*)
  // Where each policy came from, as the policy simulator and IAM's reports
  // name it.
  std::unordered_map<const auth::Policy*, PolicySource> sources;
};

// Everything IAM knows about `caller`'s permissions. A user or role that no
// longer exists has no policies (its credentials then grant nothing).
PrincipalPolicies principal_policies(store::Transaction& txn, const Caller& caller);

// The policies of the user, group or role `arn` names (a user's include its
// groups'), or of the managed policy it names; nullopt when there is none.
std::optional<PrincipalPolicies> entity_policies(store::Transaction& txn, std::string_view arn);

// The role named by `role_arn` in its own account, or nullopt.
std::optional<Object> find_role_by_arn(store::Transaction& txn, std::string_view role_arn);

// A role's trust policy, compiled; nullopt when the role does not exist.
std::optional<auth::PolicyPtr> trust_policy_of(store::Transaction& txn, std::string_view role_arn);

}  // namespace terrarium::services::iam
