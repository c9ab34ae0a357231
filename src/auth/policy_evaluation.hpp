#pragma once
// AWS's policy evaluation logic: one decision for one request from every
// policy that applies to it.
//
// 1. An explicit Deny in any applicable policy wins.
// 2. SCPs (principal's account) and RCPs (resource's account): every level
//    from the root to the account must allow; the management account (and
//    service-linked roles) is exempt.
// 3. Same account: a resource-based policy that names the caller itself (a
//    user, a role session, "*") allows on its own; one that names the role
//    behind a session allows unless the permissions boundary or a session
//    policy does not; one that names only the account delegates to the
//    identity-based policies. Otherwise identity-based policies must allow.
//    Cross-account: the identity side and the resource-based policy must
//    both allow. A role's trust policy (PolicyKind::kTrust) must allow in
//    every case, as sts:AssumeRole requires.
// 4. The permissions boundary and the session policies, when present, must
//    allow too.
// The account's root user holds every identity-based permission; SCPs,
// RCPs and resource-based denials still apply to it. Service, web-identity
// and anonymous principals are allowed only by resource-based policies.
//
// evaluate() does not allocate unless a trace is asked for.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.hpp"
#include "auth/request_context.hpp"

namespace terrarium::auth {

using PolicyPtr = std::shared_ptr<const Policy>;

struct PolicySet {
  // The principal's inline and attached policies, its groups' included.
  std::vector<PolicyPtr> identity;
  // The resource's policy (bucket policy, key policy, role trust policy...),
  // and the account that owns the resource; an empty account means the
  // caller's own.
  PolicyPtr resource;
  std::string resource_account;
  PolicyPtr permissions_boundary;   // null when the user or role has none
  std::vector<PolicyPtr> session;   // session policies; empty when the session has none
  // SCPs of the principal's account, one list per level: root, OUs, account.
  // Empty when the account is in no organization.
  std::vector<std::vector<PolicyPtr>> scps;
  bool scp_exempt = false;          // management account, service-linked role
  // RCPs of the resource's account, likewise.
  std::vector<std::vector<PolicyPtr>> rcps;
  bool rcp_exempt = false;
};

// Whether every policy of the set reads nothing of a request but its action,
// its resource and its principal (Policy::reads_only_principal), so that one
// principal's decision for one action on one resource holds for every such
// request until the policies change.
bool reads_only_principal(const PolicySet& policies);

// Which kind of policy decided (named in AccessDenied messages).
enum class PolicyType : uint8_t {
  kNone,
  kIdentity,
  kResource,
  kPermissionsBoundary,
  kSession,
  kServiceControl,
  kResourceControl,
};

enum class Outcome : uint8_t { kAllow, kExplicitDeny, kImplicitDeny };

struct Decision {
  Outcome outcome = Outcome::kImplicitDeny;
  // Allow: the policy type that granted (identity or resource). Denials: the
  // one that denied explicitly, or the one that did not allow.
  PolicyType policy_type = PolicyType::kIdentity;

  bool allowed() const { return outcome == Outcome::kAllow; }
  bool operator==(const Decision&) const = default;
};

// What SimulatePrincipalPolicy / SimulateCustomPolicy report besides the decision.
struct MatchedStatement {
  PolicyType type;
  const Policy* policy;
  size_t statement_index;
  Effect effect;
};

struct EvaluationTrace {
  std::vector<MatchedStatement> matched;  // statements whose every element applied
  std::vector<std::string> missing_context_keys;  // keys read by conditions the request lacked
  bool allowed_by_organizations = true;           // every SCP level allowed (or none applied)
  bool allowed_by_resource_controls = true;
  bool allowed_by_permissions_boundary = true;    // or no boundary
  bool allowed_by_session_policies = true;        // or no session policy
};

Decision evaluate(const PolicySet& policies, const RequestContext& request,
                  EvaluationTrace* trace = nullptr);

// "identity-based policy", "service control policy", ...
std::string_view policy_type_name(PolicyType type);
// "because no identity-based policy allows the s3:GetObject action", or
// "with an explicit deny in a service control policy"; empty for an Allow.
std::string denial_reason(const Decision& decision, std::string_view action);
// AWS's AccessDenied message: "User: ARN is not authorized to perform:
// ACTION on resource: RESOURCE because ..." (no "on resource" part when
// `resource` is empty or "*").
std::string access_denied_message(std::string_view principal_arn, std::string_view action,
                                  std::string_view resource, const Decision& decision);

}  // namespace terrarium::auth
