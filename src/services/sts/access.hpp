#pragma once
// The resources and condition keys of STS's operations (see access.cpp).
#include "services/access.hpp"

namespace terrarium::services::sts {

void describe_assume_role(Context& ctx, const Value& input, AccessRequest& request);
void describe_federation_token(Context& ctx, const Value& input, AccessRequest& request);
void describe_assume_root(Context& ctx, const Value& input, AccessRequest& request);

// Under --enforce-iam, AssumeRoleWithWebIdentity and AssumeRoleWithSAML (which
// are unsigned) need the role's trust policy to admit the identity provider
// `provider` (an OIDC or SAML provider ARN, or a well-known provider such as
// accounts.google.com) with the token's claims as condition keys. Throws
// AccessDenied as AWS words it otherwise.
void check_federated_trust(Context& ctx, const std::string& role_arn, const std::string& action,
                           const std::string& provider, auth::ContextKeys keys);

}  // namespace terrarium::services::sts
