// What each STS operation asks IAM to allow. AssumeRole is the one that
// reaches into another account: the role's trust policy is the resource
// policy, and both it and the caller's own policies must allow.
#include "services/sts/access.hpp"

#include "auth/credentials.hpp"
#include "auth/iam_arn.hpp"
#include "auth/policy.hpp"
#include "auth/policy_evaluation.hpp"
#include "core/aws_error.hpp"
#include "core/server_config.hpp"
#include "services/iam/principal_policies.hpp"
#include "store/store.hpp"

namespace terrarium::services::sts {

namespace {

// The role's account, or "" when `arn` is no role ARN (the handler's
// validation then answers).
std::string account_of_role(std::string_view arn) {
  auto parsed = auth::parse_iam_arn(arn);
  return parsed && parsed->type == "role" && parsed->account != "aws" ? parsed->account : std::string();
}

void add_key(AccessRequest& request, const char* key, const Value& input, std::string_view member) {
  if (auto value = get_string(input, member)) request.keys[key] = {*value};
}

}  // namespace

void describe_assume_role(Context& ctx, const Value& input, AccessRequest& request) {
  const std::string arn = get_string(input, "RoleArn").value_or("");
  request.resources = {arn};
  request.resource_account = account_of_role(arn);
  // A role that does not exist trusts no one: AWS answers AccessDenied, not
  // NoSuchEntity, so that callers cannot probe for role names.
  auto trust = iam::trust_policy_of(ctx.read_txn(), arn);
  request.resource_policy =
      trust ? *trust
            : auth::Policy::allow_nothing(auth::PolicyKind::kTrust, arn);
  add_key(request, "sts:ExternalId", input, "ExternalId");
  add_key(request, "sts:RoleSessionName", input, "RoleSessionName");
  add_key(request, "sts:SourceIdentity", input, "SourceIdentity");
  if (const auto* tags = input.as_object().if_contains("Tags")) add_request_tags(request, *tags);
  if (const auto* keys = input.as_object().if_contains("TransitiveTagKeys"); keys && keys->is_array()) {
    std::vector<std::string> values;
    for (const auto& k : keys->as_array()) values.emplace_back(k.as_string());
    request.keys["sts:TransitiveTagKeys"] = std::move(values);
  }
}

void describe_federation_token(Context& ctx, const Value& input, AccessRequest& request) {
  request.resources = {"arn:aws:sts::" + ctx.caller.account_id + ":federated-user/" +
                       get_string(input, "Name").value_or("")};
  if (const auto* tags = input.as_object().if_contains("Tags")) add_request_tags(request, *tags);
}

void describe_assume_root(Context&, const Value& input, AccessRequest& request) {
  // The member account's root is the resource; the task policy a key.
  request.resources = {"arn:aws:iam::" + get_string(input, "TargetPrincipal").value_or("") + ":root"};
  if (const auto* task = input.as_object().if_contains("TaskPolicyArn"))
    if (auto arn = get_string(*task, "arn")) request.keys["sts:TaskPolicyArn"] = {*arn};
}

void check_federated_trust(Context& ctx, const std::string& role_arn, const std::string& action,
                           const std::string& provider, auth::ContextKeys keys) {
  if (!ctx.config || !ctx.config->enforce_iam) return;
  auth::PolicySet policies;
  // The handler writes afterwards: read through a snapshot of our own.
  auto snapshot = ctx.store->begin_read();
  auto trust = iam::trust_policy_of(*snapshot, role_arn);
  policies.resource = trust ? *trust : auth::Policy::allow_nothing(auth::PolicyKind::kTrust, role_arn);
  policies.resource_account = account_of_role(role_arn);
  auth::RequestContext request;
  request.action = action;
  request.resource = role_arn;
  request.principal.kind = auth::PrincipalKind::kWebIdentity;
  request.principal.federated_provider = provider;
  request.context_keys = std::move(keys);
  if (!auth::evaluate(policies, request).allowed())
    throw AwsError("AccessDenied", "Not authorized to perform " + action, 403);
}

}  // namespace terrarium::services::sts
