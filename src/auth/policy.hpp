#pragma once
// An IAM policy document, checked the way IAM checks it (MalformedPolicyDocument
// and its messages) and compiled once into a form that is cheap to evaluate
// on every request: actions pre-lowercased, wildcards pre-split, ARNs
// pre-split into segments, condition operators and values pre-parsed,
// principals pre-classified.
//
//   auto policy = Policy::compile_shared(json, PolicyKind::kIdentity, "arn:...:policy/x");
//   if (auto why = policy_document_error(json, PolicyKind::kTrust)) throw AwsError(
//       "MalformedPolicyDocument", *why, 400);
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy_conditions.hpp"
#include "auth/policy_pattern.hpp"
#include "auth/request_context.hpp"

namespace terrarium::auth {

// Which rules a document must follow.
enum class PolicyKind : uint8_t {
  kIdentity,         // identity-based, permissions boundary, session policy: no Principal, Resource required
  kResource,         // resource-based (bucket, key, topic, queue...): Principal required
  kTrust,            // a role's trust policy: Principal required, Resource prohibited, sts actions only
  kServiceControl,   // an SCP: no Principal
  kResourceControl,  // an RCP
};

enum class Effect : uint8_t { kAllow, kDeny };

// What is wrong with a document, so that a service whose wording differs
// from IAM's (S3's MalformedPolicy, KMS's MalformedPolicyDocumentException)
// can pick its own message.
enum class PolicyProblem : uint8_t {
  kSyntax,                // not JSON, wrong types, unknown element, both Action and NotAction...
  kLegacyParsing,         // Version not 2012-10-17/2008-10-17, Effect not Allow/Deny
  kPrincipalNotAllowed,   // Principal/NotPrincipal in an identity policy or SCP
  kMissingPrincipal,      // resource or trust policy statement without Principal
  kInvalidPrincipal,      // an AWS principal that is not "*", an account or an ARN
  kMissingAction,         // neither Action nor NotAction
  kMissingResource,       // identity policy statement without Resource/NotResource
  kProhibitedResource,    // Resource in a trust policy
  kActionVendor,          // an action or condition key without "vendor:"
  kActionColons,          // an action with more than one colon
  kInvalidResource,       // a resource that is neither "*" nor an ARN
  kInvalidPartition,      // arn:<unknown partition>:...
  kInvalidSid,            // a Sid that is not alphanumeric (identity and trust policies)
  kDuplicateSid,
  kTrustAction,           // a trust policy action other than the sts:AssumeRole family
};

struct PolicyDocumentIssue {
  PolicyProblem problem;
  std::string message;  // IAM's MalformedPolicyDocument message
};

class PolicyDocumentError : public std::runtime_error {
 public:
  PolicyDocumentError(PolicyProblem problem, const std::string& message)
      : std::runtime_error(message), problem_(problem) {}
  PolicyProblem problem() const { return problem_; }

 private:
  PolicyProblem problem_;
};

// 1-based line and column in the document's text (SimulatePolicy's StartPosition/EndPosition).
struct SourcePosition {
  int line = 0;
  int column = 0;
};

// How a resource policy's Principal names the caller; the evaluation treats
// the cases differently within one account (see policy_evaluation.hpp).
enum class PrincipalGrant : uint8_t {
  kNone,
  kAccount,  // the caller's account ("123456789012", "arn:aws:iam::123456789012:root")
  kRole,     // the role behind the caller's role session
  kDirect,   // the caller itself (user, session, service, provider) or "*"
};

struct PrincipalSpec {
  bool present = false;   // Principal or NotPrincipal was given
  bool negated = false;   // NotPrincipal
  bool wildcard = false;  // "*" or {"AWS": "*"}
  std::vector<std::string> accounts;   // 12-digit ids
  std::vector<std::string> arns;       // user, role, session, federated-user ARNs
  std::vector<std::string> unique_ids; // AIDA..., AROA... (what IAM leaves for a deleted principal)
  std::vector<std::string> services;
  std::vector<std::string> federated;
  std::vector<std::string> canonical_users;

  // For Principal: how it names `p`. For NotPrincipal: kDirect when the
  // statement applies to `p`, i.e. when not every identity `p` acts as (its
  // session, its role, its account) is listed, as AWS requires for Deny with
  // NotPrincipal.
  PrincipalGrant match(const PrincipalFacts& p) const;
};

struct Statement {
  std::string sid;
  Effect effect = Effect::kAllow;
  bool not_action = false;
  std::vector<Pattern> actions;  // lowercased, case-insensitive
  bool has_resource = false;     // trust policies have none: every resource
  bool not_resource = false;
  std::vector<ArnPattern> resources;
  PrincipalSpec principal;
  std::vector<Condition> conditions;  // all must hold
  SourcePosition start;
  SourcePosition end;

  bool matches_action(std::string_view action) const;
  bool matches_resource(std::string_view resource, const RequestContext& ctx) const;
  bool conditions_hold(const RequestContext& ctx) const;
  // No condition, and no policy variable but the principal's own.
  bool reads_only_principal() const;
};

class Policy {
 public:
  // Throws PolicyDocumentError with IAM's message when the document is malformed.
  static Policy compile(std::string_view json, PolicyKind kind, std::string id = {});
  static std::shared_ptr<const Policy> compile_shared(std::string_view json, PolicyKind kind,
                                                      std::string id = {});
  // A policy without statements: it allows nothing. What a deleted
  // boundary, an unknown role's trust policy or an unreadable session
  // policy amounts to.
  static std::shared_ptr<const Policy> allow_nothing(PolicyKind kind, std::string id = {});
  // A document stored earlier: compiled, or, when it no longer compiles (it
  // was stored before a validator change), a policy that allows nothing.
  static std::shared_ptr<const Policy> compile_stored(std::string_view json, PolicyKind kind,
                                                      std::string id = {});

  PolicyKind kind() const { return kind_; }
  // A name for traces and SimulatePolicy's SourcePolicyId (policy ARN or name).
  const std::string& id() const { return id_; }
  const std::string& version() const { return version_; }  // empty when absent
  const std::vector<Statement>& statements() const { return statements_; }
  // Policy variables are honoured only under Version 2012-10-17.
  bool variables_enabled() const { return version_ == "2012-10-17"; }
  // Whether what the policy says about a request depends only on its action,
  // its resource and who asks: no statement has a condition or a variable
  // other than the principal's own. Such answers can be remembered per
  // credential (services/authorization.hpp).
  bool reads_only_principal() const { return reads_only_principal_; }

 private:
  PolicyKind kind_ = PolicyKind::kIdentity;
  std::string id_;
  std::string version_;
  std::vector<Statement> statements_;
  bool reads_only_principal_ = true;
};

// The first problem IAM would report for `json` as a policy of `kind`, or
// nullopt when it is well-formed. Size limits are the caller's: they differ
// per entity.
std::optional<PolicyDocumentIssue> check_policy_document(std::string_view json, PolicyKind kind);
std::optional<std::string> policy_document_error(std::string_view json, PolicyKind kind);

}  // namespace terrarium::auth
