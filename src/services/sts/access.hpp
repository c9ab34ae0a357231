#pragma once
// The resources and condition keys of STS's operations (see access.cpp).
#include "services/access.hpp"

namespace terrarium::services::sts {

void describe_assume_role(Context& ctx, const Value& input, AccessRequest& request);
void describe_federation_token(Context& ctx, const Value& input, AccessRequest& request);
void describe_assume_root(Context& ctx, const Value& input, AccessRequest& request);

}  // namespace terrarium::services::sts
