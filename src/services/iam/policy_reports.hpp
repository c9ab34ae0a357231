#pragma once
// What an IAM entity's policies say, shared by the reports that read them:
// ListPoliciesGrantingServiceAccess, GetContextKeysFor*, and the
// service-last-accessed jobs.
#include <set>
#include <string>

#include "auth/policy.hpp"
#include "services/iam/principal_policies.hpp"
#include "services/iam/state.hpp"

namespace terrarium::services::iam {

// The user, group or role, or the managed policy, an ARN names.
struct EntityRef {
  const EntityKind* kind = nullptr;  // null for a managed policy
  std::string name;
  std::string type;  // "user", "group", "role", "policy"
};

// Throws InvalidInput when `arn` names none of those.
EntityRef parse_entity_arn(const std::string& arn);

// Every policy that applies to the entity `arn` names (a user's include its
// groups'), compiled. Throws NoSuchEntity when it does not exist.
PrincipalPolicies policies_of(store::Transaction& txn, const std::string& arn);

// The service namespaces an Allow of `policy` names ("*" for all).
void granted_services(const auth::Policy& policy, std::set<std::string>& out);

}  // namespace terrarium::services::iam
