#pragma once
// IAM's checks of a policy document, with AWS's MalformedPolicyDocument
// messages: what CreatePolicy, Put*Policy and CreateRole accept.
#include <cstddef>
#include <string>

namespace terrarium::services::iam {

enum class PolicyKind {
  kIdentity,  // managed and inline policies: no Principal
  kTrust,     // a role's AssumeRolePolicyDocument: Principal, no Resource
};

// Throws MalformedPolicyDocument when `document` is not a policy IAM takes.
void validate_policy_document(const std::string& document, PolicyKind kind);

// AWS measures policy sizes without whitespace outside strings.
size_t policy_size(const std::string& document);

// Throws LimitExceeded "Cannot exceed quota for <quota>: <limit>" when the
// document is larger than `limit`.
void check_policy_size(const std::string& document, size_t limit, const std::string& quota);

}  // namespace terrarium::services::iam
