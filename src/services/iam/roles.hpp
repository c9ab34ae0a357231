#pragma once
// What other IAM operations show of a role.
#include "core/value.hpp"

namespace terrarium::services::iam {

// ListRoles's and instance profiles' view of a role; `full` (GetRole,
// CreateRole) adds tags and RoleLastUsed.
Object role_view(const Object& doc, bool full);

}  // namespace terrarium::services::iam

#include <string>
#include <string_view>

namespace terrarium::services::iam {

// The name AWS gives the service-linked role of `service_principal`
// ("autoscaling.amazonaws.com" -> "AWSServiceRoleForAutoScaling"), with
// "_<suffix>" when one is given.
std::string service_linked_role_name(std::string_view service_principal, std::string_view suffix);

// Refuses changes AWS keeps to itself on service-linked roles
// (UnmodifiableEntity).
void check_modifiable_role(const Object& role);

}  // namespace terrarium::services::iam
