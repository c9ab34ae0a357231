// GetSessionToken and GetFederationToken: temporary credentials for the
// long-term identity that calls them.
#include "core/aws_error.hpp"
#include "services/sts/operations.hpp"
#include "services/sts/sessions.hpp"

namespace terrarium::services::sts {

namespace {

constexpr int64_t kDefaultTokenSeconds = 43200;
constexpr int64_t kRootMaxSeconds = 3600;

void require_long_term_caller(const Caller& caller, std::string_view operation) {
  if (!caller.session_token.empty())
    throw AwsError("AccessDenied", "Cannot call " + std::string(operation) + " with session credentials", 403);
}

// The root user gets at most an hour; AWS shortens longer requests silently.
int64_t capped_for_root(const Caller& caller, int64_t seconds) {
  return caller.type == PrincipalType::kRoot ? std::min(seconds, kRootMaxSeconds) : seconds;
}

}  // namespace

Value get_session_token(Context& ctx, const Value& input) {
  require_long_term_caller(ctx.caller, "GetSessionToken");
  const int64_t duration = capped_for_root(ctx.caller, requested_duration(input, kDefaultTokenSeconds));
  Caller session = ctx.caller;  // the same identity, with a session
  session.mfa_present = get_string(input, "TokenCode").has_value();
  return Object{{"Credentials", issue_credentials(ctx, session, duration)}};
}

Value get_federation_token(Context& ctx, const Value& input) {
  require_long_term_caller(ctx.caller, "GetFederationToken");
  const std::string name = *get_string(input, "Name");
  const int64_t duration = capped_for_root(ctx.caller, requested_duration(input, kDefaultTokenSeconds));
  const int64_t packed = check_session_policy_and_tags(input);

  Caller federated;
  federated.account_id = ctx.caller.account_id;
  federated.type = PrincipalType::kFederatedUser;
  federated.session_name = name;
  federated.arn = "arn:aws:sts::" + federated.account_id + ":federated-user/" + name;
  federated.user_id = federated.account_id + ":" + name;
  federated.authenticated = true;
  federated.parent_user_arn = ctx.caller.arn;
  set_session_policies(federated, input);
  if (const auto* tags = input.as_object().if_contains("Tags"); tags && tags->is_array())
    for (const auto& tag : tags->as_array())
      federated.session_tags[get_string(tag, "Key").value_or("")] = get_string(tag, "Value").value_or("");

  Object out;
  out["Credentials"] = issue_credentials(ctx, federated, duration);
  out["FederatedUser"] = Object{{"FederatedUserId", federated.user_id}, {"Arn", federated.arn}};
  if (packed >= 0) out["PackedPolicySize"] = packed;
  return out;
}

}  // namespace terrarium::services::sts
