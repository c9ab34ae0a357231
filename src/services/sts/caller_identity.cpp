// GetCallerIdentity, GetAccessKeyInfo and DecodeAuthorizationMessage: what
// STS tells about credentials without issuing any.
#include "auth/authorization_message.hpp"
#include "auth/credentials.hpp"
#include "core/aws_error.hpp"
#include "services/sts/operations.hpp"

namespace terrarium::services::sts {

Value get_caller_identity(Context& ctx, const Value&) {
  return Object{{"UserId", ctx.caller.user_id},
                {"Account", ctx.caller.account_id},
                {"Arn", ctx.caller.arn}};
}

Value get_access_key_info(Context& ctx, const Value& input) {
  const std::string key = *get_string(input, "AccessKeyId");
  if (auto issued = ctx.credentials->find(key)) return Object{{"Account", issued->caller.account_id}};
  auto account = auth::account_of_access_key(key);
  if (!account || (!auth::is_account_id(key) && key.rfind("AKIA", 0) != 0 && key.rfind("ASIA", 0) != 0))
    throw AwsError("InvalidParameterValue", "The access key ID provided is not in the expected format.");
  return Object{{"Account", *account}};
}

Value decode_authorization_message(Context&, const Value& input) {
  auto decoded = auth::decode_authorization_message(*get_string(input, "EncodedMessage"));
  if (!decoded)
    throw AwsError("InvalidAuthorizationMessageException",
                   "The encoded authorization message is invalid.");
  return Object{{"DecodedMessage", *decoded}};
}

Value get_delegated_access_token(Context&, const Value&) {
  // Terrarium issues no trade-in tokens, so none can be redeemed.
  throw AwsError("ExpiredTradeInTokenException", "The trade-in token is expired or invalid.");
}

Value get_web_identity_token(Context& ctx, const Value&) {
  // Outbound identity federation is off in a new account until IAM turns it
  // on; Terrarium has no IAM yet to turn it on.
  throw AwsError("OutboundWebIdentityFederationDisabledException",
                 "Outbound web identity federation is disabled for account " +
                     ctx.caller.account_id + ".");
}

}  // namespace terrarium::services::sts
