#pragma once
// What other IAM operations show of a role.
#include "core/value.hpp"

namespace terrarium::services::iam {

// ListRoles's and instance profiles' view of a role; `full` (GetRole,
// CreateRole) adds tags and RoleLastUsed.
Object role_view(const Object& doc, bool full);

}  // namespace terrarium::services::iam
