// AssumeRole and AssumeRoot: temporary credentials for a role, or for the
// root user of a member account.
#include "auth/credentials.hpp"
#include "core/aws_error.hpp"
#include "services/iam/principal_policies.hpp"
#include "services/sts/operations.hpp"
#include "services/sts/sessions.hpp"

namespace terrarium::services::sts {

Value assume_role(Context& ctx, const Value& input) {
  const RoleArn role = parse_role_arn(*get_string(input, "RoleArn"));
  const std::string session_name = *get_string(input, "RoleSessionName");
  const int64_t duration = requested_duration(input, kDefaultRoleSeconds);
  // A role session assuming a role is "role chaining": AWS caps it at an hour.
  if (ctx.caller.type == PrincipalType::kAssumedRole && duration > kRoleChainingMaxSeconds)
    throw AwsError("ValidationError",
                   "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                   "assumed by role chaining.");
  const int64_t packed = check_session_policy_and_tags(input);

  Caller session = assumed_role_caller(role, session_name, input);
  // A role IAM knows lends the session its id and its session limit.
  if (auto doc = iam::find_role_by_arn(ctx.txn(), role.arn)) {
    if (const auto* id = doc->if_contains("RoleId")) session.user_id = std::string(id->as_string()) + ":" + session_name;
    if (const auto* max = doc->if_contains("MaxSessionDuration"); max && duration > max->to_number<int64_t>())
      throw AwsError("ValidationError",
                     "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  // Transitive session tags of the caller carry over into a chained session.
  if (ctx.caller.type == PrincipalType::kAssumedRole)
    for (const auto& [k, v] : ctx.caller.session_tags) session.session_tags.try_emplace(k, v);

  Object out;
  out["Credentials"] = issue_credentials(ctx, session, duration);
  out["AssumedRoleUser"] = assumed_role_user(session);
  if (packed >= 0) out["PackedPolicySize"] = packed;
  if (!session.source_identity.empty()) out["SourceIdentity"] = session.source_identity;
  return out;
}

namespace {

// The task policies AssumeRoot accepts (arn:aws:iam::aws:policy/root-task/<name>).
constexpr std::string_view kRootTaskPolicies[] = {
    "IAMAuditRootUserCredentials", "IAMCreateRootUserPassword", "IAMDeleteRootUserCredentials",
    "S3UnlockBucketPolicy", "SQSUnlockQueuePolicy"};

}  // namespace

Value assume_root(Context& ctx, const Value& input) {
  const std::string target = *get_string(input, "TargetPrincipal");
  if (!auth::is_account_id(target))
    throw AwsError("ValidationError", "TargetPrincipal must be an AWS account ID.");
  const std::string policy_arn =
      get_string(input.as_object().at("TaskPolicyArn"), "arn").value_or("");
  const std::string prefix = "arn:aws:iam::aws:policy/root-task/";
  bool known = false;
  for (auto name : kRootTaskPolicies) known = known || policy_arn == prefix + std::string(name);
  if (!known)
    throw AwsError("ValidationError", "The TaskPolicyArn " + policy_arn + " is not a valid root task policy.");
  if (target == ctx.caller.account_id)
    throw AwsError("ValidationError", "The TargetPrincipal cannot be the caller's own account.");
  Caller root;
  root.account_id = target;
  root.arn = "arn:aws:iam::" + target + ":root";
  root.user_id = target;
  root.type = PrincipalType::kRoot;
  root.authenticated = true;
  return Object{{"Credentials", issue_credentials(ctx, root, requested_duration(input, 900))}};
}

}  // namespace terrarium::services::sts
