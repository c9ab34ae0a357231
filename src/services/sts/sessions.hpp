#pragma once
// What the STS operations that hand out temporary credentials share: the
// rules for durations, session names, tags and session policies, and minting
// the credentials themselves.
#include <string>

#include "core/caller.hpp"
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services::sts {

// AssumeRole's DurationSeconds default and AWS's limits.
inline constexpr int64_t kDefaultRoleSeconds = 3600;
inline constexpr int64_t kRoleChainingMaxSeconds = 3600;

// A role ARN taken apart: arn:aws:iam::<account>:role/<path><name>.
struct RoleArn {
  std::string account_id;
  std::string path;  // "/" or "/a/b/"
  std::string name;
  std::string arn;
};
// Throws ValidationError when `arn` is not a role ARN.
RoleArn parse_role_arn(const std::string& arn);

// The stable role id AWS would show (AROA...) for a role ARN.
std::string role_id_for(const std::string& role_arn);

// Checks the session policy (JSON, at most 2048 characters once packed) and
// session tags (at most 50; keys unique case-insensitively); returns
// PackedPolicySize, the percentage of the packed limit used, or -1 when
// neither was given.
int64_t check_session_policy_and_tags(const Value& input);

// Mints credentials for `session` (an assumed-role, federated-user or
// session-token caller), remembers them in the request's transaction, and
// returns the Credentials structure of the response.
Value issue_credentials(Context& ctx, Caller session, int64_t duration_seconds);

// The assumed-role caller for `role` and `session_name`, with the input's
// SourceIdentity, session tags and ExternalId.
Caller assumed_role_caller(const RoleArn& role, const std::string& session_name, const Value& input);

// The input's Policy and PolicyArns as the session's session policies.
void set_session_policies(Caller& session, const Value& input);

// The AssumedRoleUser structure of a response.
Value assumed_role_user(const Caller& session);

// The DurationSeconds of `input`, or `fallback`.
int64_t requested_duration(const Value& input, int64_t fallback);

}  // namespace terrarium::services::sts
