#pragma once
// Who is making a request, as established from its credentials (auth/).
#include <map>
#include <string>
#include <vector>

namespace terrarium {

enum class PrincipalType { kRoot, kUser, kAssumedRole, kFederatedUser, kAnonymous };

struct Caller {
  std::string account_id = "000000000000";
  std::string arn = "arn:aws:iam::000000000000:root";
  std::string user_id = "000000000000";  // AIDA..., AROA...:session, or the account id
  PrincipalType type = PrincipalType::kRoot;
  std::string access_key_id;
  bool authenticated = false;  // false for unsigned requests

  // Temporary credentials only.
  std::string session_token;
  std::string session_name;
  std::string role_arn;  // the role behind an assumed-role session
  std::string source_identity;
  std::string external_id;
  std::map<std::string, std::string> session_tags;
  // Session policies (the Policy and PolicyArns of AssumeRole and
  // GetFederationToken): the session may do only what they allow too.
  std::string session_policy;
  std::vector<std::string> session_policy_arns;
  // The IAM user whose GetFederationToken made a federated-user session: its
  // policies are the session's identity policies.
  std::string parent_user_arn;
  bool mfa_present = false;  // aws:MultiFactorAuthPresent
  double expiration = 0;  // epoch seconds; 0 for long-term credentials
};

}  // namespace terrarium
