#pragma once
// The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy,
// answered by the same evaluation (auth/policy_evaluation) that enforces
// every request under --enforce-iam.
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services::iam {

Value simulate_principal_policy(Context& ctx, const Value& input);
Value simulate_custom_policy(Context& ctx, const Value& input);

}  // namespace terrarium::services::iam
