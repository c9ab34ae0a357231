#pragma once
// STS's operations, one function each (see register.cpp).
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services::sts {

Value assume_role(Context& ctx, const Value& input);
Value assume_root(Context& ctx, const Value& input);
Value assume_role_with_web_identity(Context& ctx, const Value& input);
Value assume_role_with_saml(Context& ctx, const Value& input);
Value get_session_token(Context& ctx, const Value& input);
Value get_federation_token(Context& ctx, const Value& input);
Value get_caller_identity(Context& ctx, const Value& input);
Value get_access_key_info(Context& ctx, const Value& input);
Value decode_authorization_message(Context& ctx, const Value& input);
Value get_delegated_access_token(Context& ctx, const Value& input);
Value get_web_identity_token(Context& ctx, const Value& input);

}  // namespace terrarium::services::sts
